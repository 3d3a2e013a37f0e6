"""The site's pages as data: which pages there are, their titles, and the emails they show.

Each :class:`Page` names its template and carries the context only it
needs; :mod:`refkit.render.site` renders them. Private data never reaches a
page: partner ``notes``, the qualifier checklist and the ledger are not
passed to any template. A partner with ``share_progress`` gets the ledger's
counts of their introductions (:mod:`refkit.derive.progress`), never its entries.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from refkit.content.models import Partner
from refkit.content.project import Project
from refkit.derive.layout import PRIVATE_PAGES, page_file, site_output
from refkit.derive.progress import shared_progress
from refkit.render.context import RenderContext
from refkit.render.messages.compose import BLANK, PROSPECT_BLANKS, SENDER_BLANK, compose_email
from refkit.render.site.assets import SiteAssets
from refkit.render.site.jsonld import jsonld, script_safe_json
from refkit.text.english import HONORIFICS, join_words, lower_first
from refkit.text.formats import employees_label
from refkit.text.mailto import CUT, MAX_LENGTH, mailto_link
from refkit.text.markup import markdown_to_text

#: which template renders which page, for error messages
PAGE_TEMPLATES = {
    "home": "site/index.html",
    "about": "site/about.html",
    "refer": "site/refer.html",
    "profile": "site/profile.html",
    "partner": "site/partner.html",
    "404": "site/404.html",
    "unlisted": "site/unlisted.html",
}


@dataclass(frozen=True)
class EmailBox:
    """One ready-to-copy email shown on a page: subject, body and a mailto: link."""

    id: str
    title: str
    subject: str
    text: str
    mailto: str
    note: str = ""


@dataclass
class Page:
    """One HTML page of the site."""

    kind: str
    path: str  # the page's folder ('' for home), or a file name like 404.html
    title: str
    description: str
    listed: bool  # in the sitemap, with canonical and Open Graph links
    private: bool = False
    context: dict[str, Any] = field(default_factory=dict)
    #: what its share image (og:image) says, when not its title
    headline: str = ""

    @property
    def file(self) -> str:
        """The page's file under site/."""
        return page_file(self.path)

    @property
    def template(self) -> str:
        """The template that renders it."""
        return PAGE_TEMPLATES[self.kind]


def mark_blanks(text: str) -> Markup:
    """``text``, escaped, with each [Blank] still to fill in set in <mark>."""
    out, last = [], 0
    for match in BLANK.finditer(text):
        out.append(Markup.escape(text[last : match.start()]))
        out.append(Markup("<mark>%s</mark>") % match.group(0))
        last = match.end()
    out.append(Markup.escape(text[last:]))
    return Markup("").join(out)


def clip(text: str, limit: int = 160) -> str:
    """``text`` on one line, cut at a word to at most ``limit`` characters (with '…')."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"


#: what stands for a profile in the refer page's emails, which are about no
#: profile in particular (each profile page has its own introduction email)
GENERIC_PROFILE = {
    "title": "[Companies like theirs]",
    "summary": "[What the company does]",
    "contact_role": "[Their role]",
    "signals": ["[The moment you spotted]"],
    "needs": ["[What they need]"],
    "criteria": ["[Which of our criteria they meet]"],
    "disqualifiers": [],
    "why_us": [],
    "example": None,
    "intro_hint": None,
}


def generic_project(project: Project) -> Project:
    """``project`` with its first profile's details replaced by [blanks] to fill in."""
    first = next(iter(project.profiles))
    blank = project.profiles[first].model_copy(update=GENERIC_PROFILE)
    return dataclasses.replace(project, profiles={first: blank})


def prospect_page_url(ctx: RenderContext) -> str | None:
    """The page a prospect may be sent to: our website, else the about page (absolute).

    Never a profile page (our criteria for them) nor a partner's page; without
    ``site.base_url`` there is no absolute URL to give, so None.
    """
    website = ctx.project.business.website
    return str(website) if website else ctx.paths.absolute(ctx.paths.about())


def more_about(ctx: RenderContext) -> str | None:
    """What stands for the paragraphs a shortened mailto: draft leaves out."""
    url = prospect_page_url(ctx)
    return f"More about {ctx.project.business.name}: {url}" if url else None


def _email_box(
    ctx: RenderContext,
    box_id: str,
    title: str,
    template: str,
    *,
    partner: str | None,
    profile: str | None,
    to: str = "",
    note: str = "",
    project: Project | None = None,
) -> EmailBox:
    email = compose_email(
        project or ctx.project,
        ctx.paths,
        template,
        partner=partner,
        profile=profile,
        today=ctx.today,
    )
    more = more_about(ctx)
    # paragraphs unwrapped: the page, the clipboard and the mail app wrap them
    body = email.unwrapped or email.text.strip("\n")
    mailto = mailto_link(to, subject=email.subject, body=body, more=more)
    if mailto != mailto_link(to, subject=email.subject, body=body, max_length=1 << 30):
        shortened = (
            "The email-app button opens a shorter draft (mail apps cut long links); "
            "copy the text for the whole email."
        )
        note = f"{note} {shortened}".strip()
    return EmailBox(
        id=box_id,
        title=title,
        subject=email.subject,
        text=body,
        mailto=mailto,
        note=note,
    )


#: what stands for each value the intro builder fills in, in the drafts it embeds
#: (site.js swaps them for what the partner typed, or back for the blank)
TOKENS = {
    "name": "\u27e6name\u27e7",
    "last": "\u27e6last\u27e7",
    "company": "\u27e6company\u27e7",
    "signals": "\u27e6signals\u27e7",
    "criteria": "\u27e6criteria\u27e7",
    "warmth": "\u27e6warmth\u27e7",
    "first_call": "\u27e6first-call\u27e7",
}
#: more signals than this and the builder joins them itself, without the template's
#: own commas (2**8 phrasings are embedded at most)
_JOINED_AT_MOST = 8


@dataclass(frozen=True)
class Builder:
    """The intro builder for one profile: its three drafts and what site.js fills them with."""

    id: str
    slug: str
    household: bool
    #: whether the partner types their own name (a profile page: no partner known)
    sender: bool
    signals: list[str]
    criteria: list[str]
    boxes: list[EmailBox]
    data: Markup


def _builder(
    ctx: RenderContext,
    builder_id: str,
    profile_slug: str,
    partner: str | None,
    boxes: list[EmailBox],
) -> Builder:
    """The builder of ``profile_slug``: the boxes as rendered, and as JSON with tokens."""
    project = ctx.project
    profile = project.profiles[profile_slug]
    household = profile.kind == "household"
    t = TOKENS
    name = f"{t['name']} {t['last']}"

    def draft(template: str, **kw: Any) -> dict[str, str]:
        email = compose_email(
            project,
            ctx.paths,
            template,
            partner=partner,
            profile=profile_slug,
            prospect=name,
            prospect_company=None if household else t["company"],
            today=ctx.today,
            **kw,
        )
        return {"subject": email.subject, "text": email.unwrapped or email.text.strip("\n")}

    def blank(template: str, **kw: Any) -> str:
        """The blank ``kw`` fills (a draft with it, and without it, differ by one blank)."""

        def compose(**extra: Any) -> Any:
            return compose_email(
                project,
                ctx.paths,
                template,
                partner=partner,
                profile=profile_slug,
                today=ctx.today,
                **extra,
            )

        base, filled = compose(), compose(**kw)
        missing = [b for b in base.blanks if b not in filled.blanks]
        return missing[0] if missing else ""

    signals, criteria = list(profile.signals), list(profile.criteria)
    mentions = [lower_first(s) for s in signals]
    joined = (
        {
            str(mask): join_words(m for i, m in enumerate(mentions) if mask >> i & 1)
            for mask in range(1, 1 << len(mentions))
        }
        if len(mentions) <= _JOINED_AT_MOST
        else {}
    )
    ask, intro, brief = boxes
    tokens_s, tokens_c = [t["signals"]], [t["criteria"]]
    warm = {"warmth": t["warmth"], "first_call": t["first_call"]}
    data = {
        "tokens": t,
        "blanks": {
            "name": PROSPECT_BLANKS[2],
            "first": PROSPECT_BLANKS[0],
            "company": PROSPECT_BLANKS[1],
            "warmth": blank("referral-brief", warmth="x"),
            "first_call": blank("referral-brief", first_call="x"),
            # on a profile page the partner is not known: they type their name
            "sender": SENDER_BLANK if partner is None else "",
        },
        "honorifics": sorted(HONORIFICS),
        "household": household,
        "signals": signals,
        "mentions": mentions,
        "joined": joined,
        "criteria": criteria,
        "more": more_about(ctx),
        "max": MAX_LENGTH,
        "cut": CUT,
        "emails": [
            {"box": ask.id, "base": mailto_link(""), "variants": {"": draft("ask-permission")}},
            {
                "box": intro.id,
                "base": mailto_link(project.business.contact.email),
                "variants": {
                    "": draft("introduction"),
                    "s": draft("introduction", signals=tokens_s),
                },
            },
            {
                "box": brief.id,
                "base": mailto_link(project.business.contact.email),
                "list": True,
                "variants": {
                    "": draft("referral-brief", **warm),
                    "s": draft("referral-brief", signals=tokens_s, **warm),
                    "c": draft("referral-brief", criteria=tokens_c, **warm),
                    "sc": draft("referral-brief", signals=tokens_s, criteria=tokens_c, **warm),
                },
            },
        ],
    }
    return Builder(
        id=builder_id,
        slug=profile_slug,
        household=household,
        sender=partner is None,
        signals=signals,
        criteria=criteria,
        boxes=boxes,
        data=Markup(script_safe_json(json.dumps(data, ensure_ascii=False))),
    )


def page_list(ctx: RenderContext, assets: SiteAssets) -> list[Page]:
    """Every page of the site but the 404 page, in the order they are built."""
    return [
        _home_page(ctx, assets),
        _about_page(ctx),
        _refer_page(ctx),
        *_profile_pages(ctx),
        *_partner_pages(ctx),
    ]


def _home_page(ctx: RenderContext, assets: SiteAssets) -> Page:
    business = ctx.project.business
    return Page(
        "home",
        ctx.paths.home(),
        title=f"{business.name}: {business.tagline}" if business.tagline else business.name,
        headline=business.tagline or business.name,
        description=clip(business.tagline or markdown_to_text(business.summary)),
        listed=True,
        context={"jsonld": Markup(script_safe_json(jsonld(ctx.project, ctx.paths, assets.logo)))},
    )


def _about_page(ctx: RenderContext) -> Page:
    business = ctx.project.business
    return Page(
        "about",
        ctx.paths.about(),
        title=f"About {business.name}",
        description=clip(business.tagline or markdown_to_text(business.summary)),
        listed=True,
    )


def _refer_page(ctx: RenderContext) -> Page:
    business = ctx.project.business
    generic = generic_project(ctx.project)
    return Page(
        "refer",
        ctx.paths.refer(),
        title=f"How to refer a client to {business.name}",
        description=clip(
            f"How to introduce a client to {business.name} so it is a real introduction, "
            "not a blind date: ask first, introduce with context, and we close the loop."
        ),
        listed=True,
        context={
            "emails": [
                _email_box(
                    ctx,
                    "email-ask-permission",
                    "1. Ask the prospect first",
                    "ask-permission",
                    partner=None,
                    profile=None,
                    project=generic,
                ),
                _email_box(
                    ctx,
                    "email-introduction",
                    "2. The introduction",
                    "introduction",
                    partner=None,
                    profile=None,
                    to=business.contact.email,
                    project=generic,
                ),
            ]
        },
    )


def _profile_pages(ctx: RenderContext) -> list[Page]:
    business = ctx.project.business
    paths = ctx.paths
    pages = []
    for slug, profile in ctx.project.profiles.items():
        pdf = paths.profile_pdf(slug)
        employees = profile.company.employees
        pages.append(
            Page(
                "profile",
                paths.profile(slug),
                title=f"{profile.title} | {business.name}",
                headline=profile.title,
                description=clip(markdown_to_text(profile.summary)),
                listed=True,
                context={
                    "slug": slug,
                    "profile": profile,
                    "employees": employees_label(employees.min, employees.max)
                    if employees
                    else None,
                    "pdf": pdf if ctx.upstream.exists(site_output(pdf)) else None,
                    "builder": _profile_builder(ctx, slug, None, several=False),
                },
            )
        )
    return pages


def _profile_builder(
    ctx: RenderContext, profile_slug: str, partner: str | None, *, several: bool
) -> Builder:
    """The three emails a partner sends about one prospect of ``profile_slug``, as a builder.

    On a profile page (no partner) the boxes keep the ids they always had
    (``introduce``); on a partner's page the ask names what we do for that kind
    of client, so a partner who serves several profiles gets a builder for each.
    """
    profile = ctx.project.profiles[profile_slug]
    us = ctx.project.business.contact.email
    if partner is None:
        ids = ("introduce-ask", "introduce", "introduce-brief")
        titles = ("1. Ask them first", "2. The introduction", "3. The referral brief, to us")
        builder_id = "builder"
    else:
        suffix = f"-{profile_slug}" if several else ""
        ids = (
            f"email-ask-permission{suffix}",
            f"email-introduction-{profile_slug}",
            f"email-referral-brief-{profile_slug}",
        )
        titles = (
            f"Ask first: {profile.title}" if several else "Ask the prospect first",
            f"Introduce: {profile.title}",
            f"Brief us: {profile.title}",
        )
        builder_id = f"builder-{profile_slug}"
    boxes = [
        _email_box(ctx, ids[0], titles[0], "ask-permission", partner=partner, profile=profile_slug),
        _email_box(
            ctx, ids[1], titles[1], "introduction", partner=partner, profile=profile_slug, to=us
        ),
        _email_box(
            ctx, ids[2], titles[2], "referral-brief", partner=partner, profile=profile_slug, to=us
        ),
    ]
    return _builder(ctx, builder_id, profile_slug, partner, boxes)


def _partner_pages(ctx: RenderContext) -> list[Page]:
    project = ctx.project
    business = project.business
    paths = ctx.paths
    pages = []
    for slug, partner in project.active_partners().items():
        path = paths.partner(slug)
        if path is None:
            continue
        served = project.profiles_for(slug)
        whom = f"{partner.name} ({partner.company})" if partner.company else partner.name
        agreed = "what we propose" if partner.status == "prospect" else "what we agreed"
        own_pdf = paths.partner_pdf(slug)
        pages.append(
            Page(
                "partner",
                path,
                title=f"Prepared for {partner.display_name} | {business.name}",
                headline=f"Prepared for {partner.display_name}",
                description=clip(
                    f"Prepared for {whom} by {business.name}: whom to introduce to us, "
                    f"whom we send you in return, and {agreed}."
                ),
                listed=partner.page == "public",
                private=partner.page != "public",
                context={
                    "slug": slug,
                    "partner": partner,
                    "served": served,
                    # counts only, and only on a private page (share_progress)
                    "progress": shared_progress(project, slug, ctx.today),
                    "pdf": own_pdf
                    if own_pdf and ctx.upstream.exists(site_output(own_pdf))
                    else None,
                    "builders": [
                        _profile_builder(ctx, s, slug, several=len(served) > 1) for s in served
                    ],
                    "profile_pdfs": {
                        s: paths.profile_pdf(s)
                        for s in served
                        if ctx.upstream.exists(site_output(paths.profile_pdf(s)))
                    },
                },
            )
        )
    return pages


def unlisted_page(ctx: RenderContext, pages: list[Page]) -> Page | None:
    """``p/index.html``, which says and lists nothing, when there are private pages.

    Without it a static host that lists folders (and any ``GET /p/``) would
    show every private page's token.
    """
    if not any(page.path.startswith(PRIVATE_PAGES) for page in pages if page.private):
        return None
    return Page(
        "unlisted",
        PRIVATE_PAGES,
        title=f"Nothing to see here | {ctx.project.business.name}",
        description="There is nothing to see here.",
        listed=False,
        private=True,
    )


def public_partners(ctx: RenderContext) -> list[tuple[str, Partner, str]]:
    """(slug, partner, page path) of every partner with a public page."""
    out = []
    for slug, partner in ctx.project.active_partners().items():
        path = ctx.paths.partner(slug)
        if path is not None and partner.page == "public":
            out.append((slug, partner, path))
    return out


def nav(current: str) -> list[dict[str, Any]]:
    """The site's navigation, with the current page marked."""
    return [
        {"label": "Who we serve", "target": "#who-we-serve", "current": False},
        {"label": "How to refer us", "target": "refer/", "current": current == "refer"},
        {"label": "Contact", "target": "#contact", "current": False},
    ]
