"""Compose one email (subject, plain text, HTML) from its template.

Shared by the email renderer (``emails.py``), `refkit email` and the site's
"Introduce someone" action, so every email's words have one source: a Jinja
text template under ``templates/email/`` whose first line is ``Subject: ...``.

The HTML version is the same template rendered a second time with every
``{{ value }}`` escaped for Markdown (so a name like ``*Acme* [x](...)`` stays
literal text), then Markdown to HTML, laid out in a 600 px single column with
its CSS inlined for Gmail and Outlook. The template's own text may use
Markdown (lists, emphasis); the content never can.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

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
#: how many "why now" signals an email quotes from a profile
SIGNALS_QUOTED = 3

_URL = re.compile(r"(?<![<(])\b(https?://[^\s<>()]+[^\s<>().,;:!?'\"])")
_BLANK = re.compile(r"\[[A-Z][^\[\]\n]{2,60}\]")
# ASCII punctuation CommonMark may read as markup anywhere in a line
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#!|~&+=-])")
_MD_ORDERED = re.compile(r"^(\d+)([.)])")
_LIST_ITEM = r"[ \t]*(?:[-*+]|\d+[.)])[ \t]"
_LIST_THEN_TEXT = re.compile(rf"^({_LIST_ITEM}.*)\n(?!{_LIST_ITEM})(?=[ \t]*\S)", re.M)

STRATEGY_LABELS = {
    "referrals": "Warm, double opt-in referrals both ways: we ask the client first, "
    "then introduce with the context that makes the call worth having",
    "joint-marketing": "Joint marketing: an article, webinar or newsletter piece for the "
    "clients we share",
    "joint-sales-calls": "Joint sales calls when a client needs us both",
    "co-hosted-events": "Co-hosted events for the clients we share",
}
#: where a referral stands, told to the partner who made it (thank-you)
STATUS_LABELS = {
    "introduced": "We've been in touch and are setting up a first conversation.",
    "meeting": "We've met, and we're talking through what they need.",
    "proposal": "They have our proposal, and we're waiting to hear back.",
    "won": "Good news: they've become a client.",
    "lost": "In the end they decided not to go ahead. It was still exactly the right "
    "kind of introduction.",
    "not-a-fit": "It turned out not to be a fit for what we do, and we told them so "
    "straight away rather than waste their time.",
}
#: the same, in a word or two (check-in lists)
STATUS_SHORT = {
    "introduced": "first conversation pending",
    "meeting": "in conversation",
    "proposal": "proposal out",
    "won": "won",
    "lost": "didn't go ahead",
    "not-a-fit": "not a fit",
}


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
    available: Callable[[str], bool] | None = None,
) -> ComposedEmail:
    """The email ``template`` for ``partner`` (None: the generic version with [blanks]).

    ``available`` says whether an attachment (a path under output/) exists;
    by default every one-pager is assumed to be there.
    """
    today = today or dt.date.today()
    attachments = _attachments(project, template, partner)
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
    context["attachments"] = attachments
    text_env, markdown_env, html_env = _environments(project.root, project.templates_dir.is_dir())
    name = f"email/{template}.txt"
    rendered = render_template(text_env, name, **context, strong=str)
    subject, body = _split_subject(rendered, name)
    _, source = _split_subject(
        render_template(markdown_env, name, **context, strong=_strong_markdown), name
    )
    html = render_html(html_env, subject, source, context)

    business = project.business
    us: tuple[str, str | None] = (business.contact.name, business.contact.email)
    chosen = project.partners[partner] if partner else None
    them: tuple[str, str | None] | None = (chosen.name, chosen.email) if chosen else None
    if template in PARTNER_SENDS:
        # the partner writes; the introduction goes to us (and the prospect they add)
        sender, recipient = them, (us if template == "introduction" else None)
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
    )


def _attachments(project: Project, template: str, partner: str | None) -> tuple[str, ...]:
    """The one-pagers a criteria-share .eml carries: served profiles', then the partner's."""
    if template != "criteria-share" or partner is None:
        return ()
    served = tuple(f"pdf/clients/{slug}.pdf" for slug in project.profiles_for(partner))
    return (*served, f"pdf/partners/{partner}.pdf")


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
    chosen: Partner | None = project.partners[partner] if partner else None
    profiles: dict[str, Profile] = (
        project.profiles_for(partner) if partner else dict(project.profiles)
    )
    main_slug = profile if profile is not None else next(iter(profiles))
    row: ScoreRow | None = score_partner(project, partner, today) if partner else None

    window_days: int | None = None
    window_start: dt.date | None = None
    window: list[Referral] = []
    if row is not None and chosen is not None:
        window_days = chosen.agreement.check_in_days
        window_start = today - dt.timedelta(days=window_days) if window_days else chosen.since
        window = [
            r
            for r in row.referrals
            if (window_start is None or r.date >= window_start) and r.date <= today
        ]

    partner_page = paths.partner(partner) if partner else None
    return {
        "business": business,
        "contact": business.contact,
        "contact_first": first_name(business.contact.name),
        "partner": chosen,
        "partner_first": first_name(chosen.name) if chosen else "[Partner first name]",
        "partner_company": (chosen.company or chosen.name) if chosen else "[Partner company]",
        "sender_name": chosen.name if chosen else "[Your name]",
        "profiles": profiles,
        "profile": project.profiles[main_slug],
        "profile_slug": main_slug,
        "prospect": prospect or PROSPECT_BLANKS[0],
        "prospect_company": prospect_company or PROSPECT_BLANKS[1],
        "referral": _thanked_referral(row, prospect or prospect_company),
        "referred": prospect or prospect_company or "[Prospect]",
        "row": row,
        "window": window,
        "window_days": window_days,
        "window_start": window_start,
        "today": today,
        "forwardable": forwardable_paragraph(project),
        "profile_url": paths.absolute(paths.profile(main_slug)),
        "partner_url": paths.absolute(partner_page) if partner_page else None,
        "refer_url": paths.absolute(paths.refer()),
        "strategy_labels": STRATEGY_LABELS,
        "status_labels": STATUS_LABELS,
        "status_short": STATUS_SHORT,
        "signals_quoted": SIGNALS_QUOTED,
        "human_date": date_formatter(business.site.language),
        "template": template,
    }


def _thanked_referral(row: ScoreRow | None, prospect: str | None) -> Referral | None:
    """The referral a thank-you is about: the latest received (of ``prospect`` when given)."""
    if row is None:
        return None
    received = [r for r in row.referrals if r.direction == "received"]
    if prospect:
        received = [r for r in received if r.prospect.casefold() == prospect.casefold()]
    return received[-1] if received else None


def first_name(name: str) -> str:
    """How to greet someone: 'Inês Carvalho' -> 'Inês'; 'Dr. Ana Lopez' -> 'Dr. Lopez'."""
    words = name.split()
    if len(words) > 1 and words[0].rstrip(".").casefold() in _HONORIFICS:
        return f"{words[0]} {words[-1]}"
    return words[0]


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


class _MarkdownSource(str):
    """Markdown a template asked for on purpose (``strong(...)``): not escaped again."""

    __slots__ = ()


def _strong_markdown(value: Any) -> _MarkdownSource:
    return _MarkdownSource(f"**{escape_markdown(value)}**")


def escape_markdown(value: Any) -> str:
    """A template value as literal Markdown text: punctuation escaped, URLs left whole."""
    if isinstance(value, _MarkdownSource):
        return str(value)
    text = str(value)
    parts: list[str] = []
    position = 0
    for match in _URL.finditer(text):
        parts.append(_MD_SPECIAL.sub(r"\\\1", text[position : match.start()]))
        parts.append(match.group())
        position = match.end()
    parts.append(_MD_SPECIAL.sub(r"\\\1", text[position:]))
    return _MD_ORDERED.sub(r"\1\\\2", "".join(parts))


def render_html(env: jinja2.Environment, subject: str, source: str, context: dict[str, Any]) -> str:
    """The HTML version of a Markdown body: the email layout, CSS inlined."""
    import css_inline

    source = _URL.sub(r"<\1>", source)
    # plain text ends a list with the next line; Markdown would glue that line
    # onto the last item (a "lazy continuation"), so end the list explicitly
    source = _LIST_THEN_TEXT.sub("\\1\n\n", source)
    # a line break inside a paragraph (a signature, a heading line) stays a line break
    source = re.sub(r"(?<=\S)\n(?=[^\n-])", "  \n", source)
    content = render_markdown(source)
    page = render_template(
        env, "email/_layout.html", **{**context, "subject": subject, "content": content}
    )
    inliner = css_inline.CSSInliner(load_remote_stylesheets=False, keep_style_tags=False)
    return str(inliner.inline(page)).rstrip("\n") + "\n"


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


def lower_first(text: str) -> str:
    """'Adding a shift' -> 'adding a shift', 'A claim' -> 'a claim'; 'OSHA' and 'CFOs' stay."""
    word = text.split(" ", 1)[0]
    if word[:1].isupper() and word != "I" and (len(word) == 1 or word[1:].islower()):
        return text[0].lower() + text[1:]
    return text


def join_words(items: Iterable[str], conjunction: str = "and") -> str:
    """['a', 'b', 'c'] -> 'a, b and c'; a comma before the last when an item has its own."""
    words = [str(item) for item in items]
    if len(words) <= 1:
        return "".join(words)
    tangled = any("," in word or f" {conjunction} " in word for word in words)
    comma = "," if tangled else ""
    return f"{', '.join(words[:-1])}{comma} {conjunction} {words[-1]}"


def plural(count: int, singular: str, many: str | None = None) -> str:
    """1, 'introduction' -> '1 introduction'; 3 -> '3 introductions'."""
    return f"{count} {singular if count == 1 else (many or singular + 's')}"


_HONORIFICS = frozenset({"dr", "mr", "mrs", "ms", "mx", "prof", "sir", "dame"})
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def date_formatter(language: str) -> Callable[[dt.date], str]:
    """A function writing dates as people do: 'October 8, 2026' (en-US) or '8 October 2026'."""
    american = language.lower() in ("en-us", "en-ph")

    def human_date(value: dt.date) -> str:
        month = _MONTHS[value.month - 1]
        if american:
            return f"{month} {value.day}, {value.year}"
        return f"{value.day} {month} {value.year}"

    return human_date


@lru_cache(maxsize=16)
def _environments(
    root: Path, has_templates: bool
) -> tuple[jinja2.Environment, jinja2.Environment, jinja2.Environment]:
    """Plain text, its Markdown-escaping twin (for the HTML body), and HTML (the layout).

    ``has_templates`` is part of the cache key, so a ``templates/`` folder
    created while `refkit serve` runs is seen.
    """
    del has_templates
    filters: dict[str, Callable[..., Any]] = {
        "lowerfirst": lower_first,
        "join_words": join_words,
        "plural": plural,
    }
    text = make_environment(root, html=False, filters=filters)
    markdown = make_environment(root, html=False, filters=filters)
    markdown.finalize = escape_markdown
    html = make_environment(root, filters=filters)
    return text, markdown, html
