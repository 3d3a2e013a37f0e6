"""The site's pages as data: which pages there are, their titles, and the emails they show.

Each :class:`Page` names its template and carries the context only it
needs; :mod:`refkit.render.site` renders them. Private data never reaches a
page: partner ``notes``, the qualifier checklist and the ledger are not
passed to any template.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from refkit.content.models import Partner
from refkit.content.project import Project
from refkit.derive.layout import PRIVATE_PAGES, page_file, site_output
from refkit.render.context import RenderContext
from refkit.render.messages.compose import compose_email
from refkit.render.site.assets import SiteAssets
from refkit.render.site.jsonld import jsonld, script_safe_json
from refkit.text.formats import employees_label
from refkit.text.mailto import mailto_link
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

    @property
    def file(self) -> str:
        """The page's file under site/."""
        return page_file(self.path)

    @property
    def template(self) -> str:
        """The template that renders it."""
        return PAGE_TEMPLATES[self.kind]


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
                description=clip(markdown_to_text(profile.summary)),
                listed=True,
                context={
                    "slug": slug,
                    "profile": profile,
                    "employees": employees_label(employees.min, employees.max)
                    if employees
                    else None,
                    "pdf": pdf if ctx.upstream.exists(site_output(pdf)) else None,
                    "email": _email_box(
                        ctx,
                        "introduce",
                        "The introduction email",
                        "introduction",
                        partner=None,
                        profile=slug,
                        to=business.contact.email,
                    ),
                },
            )
        )
    return pages


def _partner_emails(ctx: RenderContext, slug: str) -> list[EmailBox]:
    """The ask-permission and introduction emails a partner sends, per profile they serve.

    The ask names what we do for that kind of client, so a partner who serves
    several profiles gets an ask and an introduction for each.
    """
    served = ctx.project.profiles_for(slug)
    several = len(served) > 1
    emails: list[EmailBox] = []
    for profile_slug, profile in served.items():
        if several or not emails:
            emails.append(
                _email_box(
                    ctx,
                    f"email-ask-permission-{profile_slug}" if several else "email-ask-permission",
                    f"Ask first: {profile.title}" if several else "Ask the prospect first",
                    "ask-permission",
                    partner=slug,
                    profile=profile_slug,
                )
            )
        emails.append(
            _email_box(
                ctx,
                f"email-introduction-{profile_slug}",
                f"Introduce: {profile.title}",
                "introduction",
                partner=slug,
                profile=profile_slug,
                to=ctx.project.business.contact.email,
            )
        )
    return emails


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
                    "pdf": own_pdf
                    if own_pdf and ctx.upstream.exists(site_output(own_pdf))
                    else None,
                    "emails": _partner_emails(ctx, slug),
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
