"""Compose one email (subject, plain text, HTML) from its template.

Shared by the email renderer (``emails.py``), `refkit email` and the site's
"Introduce someone" action, so every email's words have one source: a Jinja
text template under ``templates/email/`` whose first line is ``Subject: ...``.
The HTML version is rendered from that same text (Markdown), laid out in a
600 px single column, with its CSS inlined for Gmail and Outlook.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from refkit.errors import Problem, TemplateError
from refkit.links import SitePaths
from refkit.markup import markdown_to_text, render_markdown
from refkit.models import Partner, Profile, Referral
from refkit.project import Project
from refkit.scorecard import ScoreRow, score_partner
from refkit.templating import make_environment, render_template

TEMPLATES = (
    "ask-permission",
    "introduction",
    "criteria-share",
    "partner-proposal",
    "thank-you",
    "check-in",
)
#: emails the partner sends (signed with the partner's name); we send the rest
PARTNER_SENDS = frozenset({"ask-permission", "introduction"})
#: blanks a partner fills in per prospect; every other blank is filled per partner
PROSPECT_BLANKS = ("[Prospect first name]", "[Prospect company]")
WRAP = 72
FORWARDABLE_WORDS = 120
_URL = re.compile(r"(?<![<(])\b(https?://[^\s<>()]+[^\s<>().,;:!?'\"])")
_BLANK = re.compile(r"\[[A-Z][^\[\]\n]{2,60}\]")


@dataclass(frozen=True)
class ComposedEmail:
    """One email: the subject, the plain-text source of truth and the HTML version."""

    template: str
    subject: str
    text: str
    html: str
    sender: tuple[str, str | None] | None = None
    recipient: tuple[str, str | None] | None = None
    #: PDF attachments (paths under output/) the .eml should carry
    attachments: tuple[str, ...] = ()

    @property
    def blanks(self) -> list[str]:
        """The ``[Blanks]`` still in the text, in order of appearance."""
        return list(dict.fromkeys(_BLANK.findall(self.subject + "\n" + self.text)))


def applies_to(template: str, partner: Partner | None) -> bool:
    """Whether a template is written for this partner (proposals go to prospects only)."""
    if partner is None:
        return True
    if partner.status == "retired":
        return False
    return template != "partner-proposal" or partner.status == "prospect"


def compose_email(
    project: Project,
    paths: SitePaths,
    template: str,
    *,
    partner: str | None = None,
    profile: str | None = None,
    prospect: str | None = None,
    prospect_company: str | None = None,
    today: dt.date | None = None,
) -> ComposedEmail:
    """The email ``template`` for ``partner`` (None: the generic version with [blanks])."""
    today = today or dt.date.today()
    envs = _environments(project.root)
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
    name = f"email/{template}.txt"
    rendered = render_template(envs[0], name, **context)
    subject, body = _split_subject(rendered, name)
    text = wrap_text(body)
    html = render_html(envs[1], subject, body, context)
    business = project.business
    us = (business.contact.name, business.contact.email)
    chosen = project.partners[partner] if partner else None
    them = (chosen.name, chosen.email) if chosen else None
    if template in PARTNER_SENDS:
        sender, recipient = them, None
    else:
        sender, recipient = us, them
    attachments: tuple[str, ...] = ()
    if template == "criteria-share" and partner:
        attachments = tuple(f"pdf/clients/{slug}.pdf" for slug in context["profiles"]) + (
            f"pdf/partners/{partner}.pdf",
        )
    return ComposedEmail(
        template=template,
        subject=subject,
        text=text,
        html=html,
        sender=sender,
        recipient=recipient,
        attachments=attachments,
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
    """Everything an email template may use."""
    business = project.business
    chosen: Partner | None = project.partners[partner] if partner else None
    profiles: dict[str, Profile] = (
        project.profiles_for(partner) if partner else dict(project.profiles)
    )
    if profile is not None:
        main_slug = profile
    else:
        main_slug = next(iter(profiles), next(iter(project.profiles)))
    main = project.profiles[main_slug]
    row: ScoreRow | None = score_partner(project, partner, today) if partner else None
    contact_first = business.contact.name.split()[0]

    window_start: dt.date | None = None
    window: list[Referral] = []
    if row is not None and chosen is not None:
        cadence = chosen.agreement.check_in_days
        window_start = today - dt.timedelta(days=cadence) if cadence else chosen.since
        window = [r for r in row.referrals if window_start is None or r.date >= window_start]
    last_received = None
    if row is not None:
        received = [r for r in row.referrals if r.direction == "received"]
        last_received = received[-1] if received else None

    partner_page = paths.partner(partner) if partner else None
    return {
        "business": business,
        "contact": business.contact,
        "contact_first": contact_first,
        "partner": chosen,
        "partner_first": chosen.name.split()[0] if chosen else "[Partner first name]",
        "sender_name": chosen.name if chosen else "[Your name]",
        "profiles": profiles,
        "profile": main,
        "profile_slug": main_slug,
        "prospect": prospect or "[Prospect first name]",
        "prospect_company": prospect_company or "[Prospect company]",
        "row": row,
        "window": window,
        "window_start": window_start,
        "last_received": last_received,
        "today": today,
        "forwardable": forwardable_paragraph(project),
        "profile_url": paths.absolute(paths.profile(main_slug)),
        "partner_url": paths.absolute(partner_page) if partner_page else None,
        "refer_url": paths.absolute(paths.refer()),
        "strategy_labels": STRATEGY_LABELS,
        "status_labels": STATUS_LABELS,
        "template": template,
    }


STRATEGY_LABELS = {
    "referrals": "warm, double opt-in referrals both ways",
    "joint-marketing": "joint marketing (articles, webinars, a shared newsletter)",
    "joint-sales-calls": "joint sales calls where a client needs us both",
    "co-hosted-events": "co-hosted events for the clients we share",
}
STATUS_LABELS = {
    "introduced": "we have been introduced and are arranging a first conversation",
    "meeting": "we have met and are talking about what they need",
    "proposal": "they have our proposal",
    "won": "they became a client",
    "lost": "they decided not to go ahead",
    "not-a-fit": "it turned out not to be a fit, and we said so",
}


def forwardable_paragraph(project: Project) -> str:
    """A self-contained paragraph about us of at most 120 words, for forwarding."""
    business = project.business
    text = markdown_to_text(business.summary).replace("\n\n", " ")
    sentences = re.split(r"(?<=[.!?])\s+", text)
    out: list[str] = []
    count = 0
    for sentence in sentences:
        words = len(sentence.split())
        if count + words > FORWARDABLE_WORDS - 25 and out:
            break
        out.append(sentence)
        count += words
    tail = f"Contact: {business.contact.name}, {business.contact.email}"
    if business.website:
        tail += f", {business.website}"
    paragraph = " ".join(out) + " " + tail + "."
    every_word = paragraph.split()
    if len(every_word) > FORWARDABLE_WORDS:
        paragraph = " ".join(every_word[:FORWARDABLE_WORDS]).rstrip(",.;:") + "."
    return paragraph


def wrap_text(body: str, width: int = WRAP) -> str:
    """Wrap paragraphs and list items at ``width`` columns; URLs are never broken."""
    out: list[str] = []
    for line in body.strip("\n").split("\n"):
        stripped = line.rstrip()
        if len(stripped) <= width:
            out.append(stripped)
            continue
        indent = re.match(r"^(\s*(?:[-*] |\d+\. )?)", stripped)
        lead = indent.group(1) if indent else ""
        out.extend(
            textwrap.wrap(
                stripped,
                width=width,
                subsequent_indent=" " * len(lead),
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return "\n".join(out) + "\n"


def render_html(env: Any, subject: str, body: str, context: dict[str, Any]) -> str:
    """The HTML version: the same text as Markdown, in the email layout, CSS inlined."""
    import css_inline

    source = _URL.sub(r"<\1>", body)
    # a line break inside a paragraph (a signature, an address) stays a line break
    source = re.sub(r"(?<=\S)\n(?=[^\n-])", "  \n", source)
    content = render_markdown(source)
    page = render_template(env, "email/_layout.html", subject=subject, content=content, **context)
    inliner = css_inline.CSSInliner(load_remote_stylesheets=False, keep_style_tags=False)
    return str(inliner.inline(page))


def _split_subject(rendered: str, name: str) -> tuple[str, str]:
    first, _, rest = rendered.lstrip("\n").partition("\n")
    if not first.startswith("Subject:"):
        raise TemplateError(
            Problem(f"templates/{name}", "the first line must be 'Subject: ...'", 1)
        )
    subject = " ".join(first.removeprefix("Subject:").split())
    return subject, rest.lstrip("\n")


@lru_cache(maxsize=8)
def _environments(root: Path) -> tuple[Any, Any]:
    return make_environment(root, html=False), make_environment(root)
