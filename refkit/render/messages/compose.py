"""Compose one email (subject, plain text, HTML) from its template.

Shared by the email renderer, `refkit email` and the site's email boxes, so
every email's words have one source: a Jinja text template under
``templates/email/`` whose first line is ``Subject: ...``. The template's own
text may use Markdown (lists, emphasis); the content never can.
``strong(text)`` and ``quote(text)`` mark a value bold or set apart as a
quotation in the HTML only (see :mod:`refkit.render.messages.bodies`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from refkit.content.models import Partner, Profile, Promises, Referral
from refkit.content.project import Project
from refkit.derive.layout import SitePaths
from refkit.derive.logos import email_logo
from refkit.derive.scorecard import ScoreRow, score_partner
from refkit.errors import Problem, TemplateError
from refkit.render.messages.bodies import (
    escape_markdown,
    quote_markdown,
    render_html,
    strong_markdown,
    wrap_text,
)
from refkit.render.messages.selection import (
    PARTNER_SENDS,
    TO_US,
    attachments_for,
    referral_to_thank,
)
from refkit.render.templating import make_environment, render_template
from refkit.text.colors import brand_palette
from refkit.text.dates import date_styles
from refkit.text.english import (
    first_name,
    join_words,
    lower_first,
    number_words,
    plural,
    speak_hint,
)
from refkit.text.markup import markdown_to_text

#: blanks a partner fills in per prospect; every other blank is filled per partner
#: (a household has no company: its emails leave no company blank)
PROSPECT_BLANKS = ("[Prospect first name]", "[Prospect company]", "[Prospect name]")
#: who sends a partner's email when the partner is not known (a profile page)
SENDER_BLANK = "[Your name]"
FORWARDABLE_WORDS = 120
#: why the two should talk, in a draft for no profile in particular
GENERIC_PITCH = "[Why you think they should talk]"
#: how many "why now" signals an email quotes from a profile
SIGNALS_QUOTED = 3

BLANK = re.compile(r"\[[A-Z][^\[\]\n]{2,60}\]")


@dataclass(frozen=True)
class ComposedEmail:
    """One email: the subject, the plain-text source of truth and the HTML version."""

    template: str
    subject: str
    text: str
    html: str
    #: (name, email or None) of who sends it; None when unknown (generic)
    sender: tuple[str, str | None] | None = None
    #: (name, email or None) of whom it goes to; None when unknown (a prospect)
    recipient: tuple[str, str | None] | None = None
    #: PDF attachments (paths under output/) the .eml carries
    attachments: tuple[str, ...] = ()
    #: the partner it is written for (None: the generic version)
    partner: str | None = None
    #: the profile it is written about
    profile: str | None = None
    #: the plain text before wrapping: one line per paragraph or list item, for
    #: places that wrap it themselves (a web page, a mailto: draft, the clipboard)
    unwrapped: str = ""

    @property
    def blanks(self) -> list[str]:
        """The ``[Blanks]`` still in the text, in order of appearance."""
        return list(dict.fromkeys(BLANK.findall(self.subject + "\n" + self.text)))


#: the logo under the signature of the emails we send, in px (width and height
#: attributes: mail clients ignore most CSS); 8:1 still 24 px tall
EMAIL_LOGO_HEIGHT = 32
EMAIL_LOGO_MAX_WIDTH = 192
EMAIL_LOGO_MIN_HEIGHT = 24


def compose_email(
    project: Project,
    paths: SitePaths,
    template: str,
    *,
    partner: str | None = None,
    profile: str | None = None,
    prospect: str | None = None,
    prospect_company: str | None = None,
    signals: Sequence[str] = (),
    criteria: Sequence[str] = (),
    warmth: str | None = None,
    first_call: str | None = None,
    today: dt.date | None = None,
    available: Callable[[str], bool] | None = None,
) -> ComposedEmail:
    """The email ``template`` for ``partner`` (None: the generic version with [blanks]).

    ``signals`` and ``criteria`` are those the partner ticked for this
    prospect (the site's intro builder): the introduction mentions only the
    signals chosen, the referral-brief lists both (all of the profile's, to
    keep or delete, when none were chosen), with ``warmth`` and what to know
    ``first_call`` (blanks without them). ``available`` says whether an
    attachment (a path under output/) exists; by default every one-pager is
    assumed to be there.
    """
    today = today or dt.date.today()
    attachments = attachments_for(project, template, partner)
    if available is not None:
        attachments = tuple(path for path in attachments if available(path))
    context = email_context(
        project,
        paths,
        template,
        partner=partner,
        profile=profile,
        prospect=prospect,
        prospect_company=prospect_company,
        today=today,
    )
    context["chosen_signals"] = tuple(signals)
    context["chosen_criteria"] = tuple(criteria)
    context["warmth"] = " ".join((warmth or "").split()) or None
    context["first_call"] = (first_call or "").strip() or None
    context["attachments"] = attachments
    business = project.business
    text_env, markdown_env, html_env = _environments(
        project.root,
        project.templates_dir.is_dir(),
        business.promises,
        (business.currency, business.site.language),
    )
    name = f"email/{template}.txt"
    rendered = render_template(text_env, name, **context, strong=str, quote=str)
    subject, body = _split_subject(rendered, name)
    _, source = _split_subject(
        render_template(
            markdown_env, name, **context, strong=strong_markdown, quote=quote_markdown
        ),
        name,
    )
    html = render_html(html_env, subject, source, context)

    us: tuple[str, str | None] = (business.contact.name, business.contact.email)
    chosen = project.partners[partner] if partner else None
    them: tuple[str, str | None] | None = (chosen.name, chosen.email) if chosen else None
    if template in PARTNER_SENDS:
        # the partner writes; the introduction goes to us (and the prospect they add)
        sender, recipient = them, (us if template in TO_US else None)
    else:
        sender, recipient = us, them
    return ComposedEmail(
        template=template,
        subject=subject,
        text=wrap_text(body),
        html=html,
        sender=sender,
        recipient=recipient,
        attachments=attachments,
        partner=partner,
        profile=context["profile_slug"],
        unwrapped=body.strip("\n"),
    )


def email_context(
    project: Project,
    paths: SitePaths,
    template: str,
    *,
    partner: str | None,
    profile: str | None,
    prospect: str | None,
    prospect_company: str | None,
    today: dt.date,
) -> dict[str, Any]:
    """Everything an email template may use (see templates/email/*.txt)."""
    business = project.business
    prospect = " ".join((prospect or "").split()) or None
    prospect_company = " ".join((prospect_company or "").split()) or None
    chosen: Partner | None = project.partners[partner] if partner else None
    profiles: dict[str, Profile] = (
        project.profiles_for(partner) if partner else dict(project.profiles)
    )
    main_slug = profile_about(project, partner, profile)
    row: ScoreRow | None = score_partner(project, partner, today) if partner else None

    window_days: int | None = None
    window_start: dt.date | None = None
    window: list[Referral] = []
    if row is not None and chosen is not None:
        window_days = chosen.agreement.check_in_days
        window_start = today - dt.timedelta(days=window_days) if window_days else chosen.since
        if row.last_check_in is not None:
            # what is new since we last spoke, not since a date the cadence implies
            window_days, window_start = None, row.last_check_in
        window = [
            r
            for r in row.referrals
            if (window_start is None or r.date >= window_start) and r.date <= today
        ]

    partner_page = paths.partner(partner) if partner else None
    chosen_profile = project.profiles[main_slug]
    # a household has no company: no blank for one, and templates word it so
    household = chosen_profile.kind == "household"
    if household:
        prospect_company = None
    contact_first = first_name(business.contact.name)
    # _generic/ drafts: for no partner and no profile, so nothing from one profile
    generic = partner is None and profile is None
    return {
        "business": business,
        "contact": business.contact,
        "contact_first": contact_first,
        "partner": chosen,
        "partner_first": first_name(chosen.name) if chosen else "[Partner first name]",
        "partner_company": (chosen.company or chosen.name) if chosen else "[Partner company]",
        "sender_name": chosen.name if chosen else SENDER_BLANK,
        "profiles": profiles,
        "profile": chosen_profile,
        "profile_slug": main_slug,
        "pitch": GENERIC_PITCH if generic else pitch(chosen_profile, contact_first),
        "generic": generic,
        "prospect": prospect or PROSPECT_BLANKS[2],
        "prospect_first": first_name(prospect) if prospect else PROSPECT_BLANKS[0],
        "prospect_company": "" if household else (prospect_company or PROSPECT_BLANKS[1]),
        "household": household,
        "referral": referral_to_thank(row.referrals, prospect or prospect_company) if row else None,
        "referred": prospect or prospect_company or "[Prospect]",
        "row": row,
        "window": window,
        "window_days": window_days,
        "window_start": window_start,
        "last_check_in": row.last_check_in if row else None,  # on or before today
        "last_referral": next((r for r in reversed(row.referrals) if r.date <= today), None)
        if row
        else None,
        "today": today,
        "forwardable": forwardable_paragraph(project),
        "profile_url": paths.absolute(paths.profile(main_slug)),
        "partner_url": paths.absolute(partner_page) if partner_page else None,
        "refer_url": paths.absolute(paths.refer()),
        "signals_quoted": SIGNALS_QUOTED,
        "human_date": date_styles(business.site.language).medium,
        "palette": brand_palette(business.site.brand.color),
        # under our signature only: a partner's email carries no logo of ours
        "logo": None
        if template in PARTNER_SENDS
        else email_logo(
            project,
            paths,
            height=EMAIL_LOGO_HEIGHT,
            max_width=EMAIL_LOGO_MAX_WIDTH,
            min_height=EMAIL_LOGO_MIN_HEIGHT,
        ),
        "template": template,
    }


def profile_about(project: Project, partner: str | None, profile: str | None) -> str:
    """The slug of the profile an email is about: ``profile``, else the partner's first."""
    if profile is not None:
        return profile
    return next(iter(project.profiles_for(partner) if partner else project.profiles))


def forwardable_paragraph(project: Project) -> str:
    """A self-contained paragraph about us of at most 120 words, for forwarding."""
    business = project.business
    text = " ".join(markdown_to_text(business.summary).split())
    sentences = re.split(r"(?<=[.!?])\s+", text)
    tail = f"Contact: {business.contact.name}, {business.contact.email}"
    if business.website:
        tail += f", {business.website}"
    budget = FORWARDABLE_WORDS - len(tail.split())
    out: list[str] = []
    count = 0
    for sentence in sentences:
        words = len(sentence.split())
        if count + words > budget and out:
            break
        out.append(sentence)
        count += words
    paragraph = " ".join(out)
    every_word = paragraph.split()
    if len(every_word) > budget:  # a single sentence longer than the budget
        paragraph = " ".join(every_word[:budget]).rstrip(",.;:") + "..."
    return f"{paragraph} {tail}."


def _split_subject(rendered: str, name: str) -> tuple[str, str]:
    first, _, rest = rendered.lstrip("\n").partition("\n")
    if not first.startswith("Subject:"):
        raise TemplateError(
            Problem(f"templates/{name}", "the first line must be 'Subject: ...'", 1)
        )
    subject = " ".join(first.removeprefix("Subject:").split())
    # an empty {% if %} leaves blank lines behind: never more than one in a row
    body = re.sub(r"\n[ \t]*(?:\n[ \t]*)+\n", "\n\n", rest.strip("\n"))
    return subject, body + "\n"


def pitch(profile: Profile, name: str) -> str:
    """Why the referrer thinks the prospect should talk to us, as the referrer would say it.

    The profile's ``intro_hint`` spoken about ``name`` (see :func:`speak_hint`);
    without one that can be rephrased, who we work with, from the title.
    """
    spoken = speak_hint(profile.intro_hint, name) if profile.intro_hint else None
    return spoken or f"{name} works with {lower_first(profile.title)}."


@lru_cache(maxsize=16)
def _environments(
    root: Path, has_templates: bool, promises: Promises, money: tuple[str, str]
) -> tuple[jinja2.Environment, jinja2.Environment, jinja2.Environment]:
    """Plain text, its Markdown-escaping twin (for the HTML body), and HTML (the layout).

    ``has_templates``, ``promises`` and ``money`` (the currency and the
    language amounts are written in) are part of the cache key, so a
    ``templates/`` folder created, or a promise changed, while `refkit serve`
    runs is seen.
    """
    del has_templates
    filters: dict[str, Callable[..., Any]] = {
        "lowerfirst": lower_first,
        "join_words": join_words,
        "plural": plural,
        "number": number_words,
    }
    currency, language = money
    shared: dict[str, Any] = {
        "filters": filters,
        "promises": promises,
        "currency": currency,
        "language": language,
    }
    text = make_environment(root, html=False, **shared)
    markdown = make_environment(root, html=False, **shared)
    markdown.finalize = escape_markdown
    html = make_environment(root, **shared)
    return text, markdown, html
