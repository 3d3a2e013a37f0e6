"""Compose one email (subject, plain text, HTML) from its template.

Shared by the email renderer (``emails.py``), `refkit email` and the site's
"Introduce someone" action, so every email's words have one source: a Jinja
text template under ``templates/email/`` whose first line is ``Subject: ...``.

The HTML version is the same template rendered a second time with every
``{{ value }}`` escaped for Markdown (so a name like ``*Acme* [x](...)`` stays
literal text), then Markdown to HTML, laid out in a 600 px single column with
its CSS inlined for Gmail and Outlook. The template's own text may use
Markdown (lists, emphasis); the content never can. ``strong(text)`` and
``quote(text)`` mark a value bold or set apart as a quotation in the HTML
only. Web and email addresses become links in the HTML.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import jinja2

from refkit.errors import Problem, TemplateError
from refkit.links import SitePaths
from refkit.markup import markdown_to_text, render_markdown
from refkit.models import Partner, Profile, Referral
from refkit.project import Project
from refkit.scorecard import ScoreRow, score_partner
from refkit.templating import MONTH_NAMES, make_environment, render_template

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
#: separates template and profile in a per-profile file name (introduction--SLUG)
VARIANT_SEPARATOR = "--"
FORWARDABLE_WORDS = 120
#: how many "why now" signals an email quotes from a profile
SIGNALS_QUOTED = 3

_URL = re.compile(r"(?<![<(])\b(https?://[^\s<>()]+[^\s<>().,;:!?'\"])")
# an address CommonMark can autolink (<a@b.c>), not one inside a URL or already linked
_EMAIL = re.compile(
    r"(?<![\w.+%/:<@-])([A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+)(?![\w@-])"
)
# what escape_markdown leaves whole, so the HTML version can link it
_LINKABLE = re.compile(f"{_URL.pattern}|{_EMAIL.pattern}")
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
    #: the plain text before wrapping: one line per paragraph or list item, for
    #: places that wrap it themselves (a web page, a mailto: draft, the clipboard)
    unwrapped: str = ""

    @property
    def blanks(self) -> list[str]:
        """The ``[Blanks]`` still in the text, in order of appearance."""
        return list(dict.fromkeys(_BLANK.findall(self.subject + "\n" + self.text)))


def applies_to(template: str, partner: Partner | None) -> bool:
    """Whether a template is written for this partner.

    Proposals go to prospects only; check-ins to active partners only (a
    prospect has agreed nothing yet, a paused partner has nothing to review).
    """
    if partner is None:
        return True
    if partner.status == "retired":
        return False
    if template == "partner-proposal":
        return partner.status == "prospect"
    if template == "check-in":
        return partner.status == "active"
    return True


def partner_templates(project: Project, slug: str) -> tuple[str, ...]:
    """The templates drafted for a partner under ``output/email/SLUG/``.

    Everything :func:`applies_to` allows, except a thank-you to someone who
    has sent us nobody yet: it would be addressed to a real person and
    still be full of blanks.
    """
    partner = project.partners[slug]
    sent_us = any(r.direction == "received" for r in project.referrals_with(slug))
    return tuple(
        template
        for template in TEMPLATES
        if applies_to(template, partner) and (template != "thank-you" or sent_us)
    )


class ProfileEmail(NamedTuple):
    """A partner's ask-permission or introduction for one of the profiles they serve."""

    profile: str
    template: str
    #: where the build writes it, relative to output/, without the extension
    #: (add .txt, .html, or .eml when the partner has an email address)
    path: str


def profile_emails(project: Project, slug: str) -> list[ProfileEmail]:
    """Where to find each email a partner sends, for every profile they serve.

    ``email/SLUG/TEMPLATE`` is written for the first served profile. A partner
    serving more than one also gets ``email/SLUG/TEMPLATE--PROFILE`` for each
    (the first included), and those are what this lists; a partner serving
    one profile gets ``email/SLUG/TEMPLATE``. Template names never contain
    "--", so the part after the first "--" is always the profile slug.
    """
    partner = project.partners[slug]
    served = list(project.profiles_for(slug))
    templates = [t for t in TEMPLATES if t in PARTNER_SENDS and applies_to(t, partner)]
    out: list[ProfileEmail] = []
    for profile in served:
        for template in templates:
            name = template if len(served) == 1 else f"{template}{VARIANT_SEPARATOR}{profile}"
            out.append(ProfileEmail(profile, template, f"email/{slug}/{name}"))
    return out


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
    context["attachments"] = attachments
    text_env, markdown_env, html_env = _environments(project.root, project.templates_dir.is_dir())
    name = f"email/{template}.txt"
    rendered = render_template(text_env, name, **context, strong=str, quote=str)
    subject, body = _split_subject(rendered, name)
    _, source = _split_subject(
        render_template(
            markdown_env, name, **context, strong=_strong_markdown, quote=_quote_markdown
        ),
        name,
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
        unwrapped=body.strip("\n"),
    )


def attachments_for(project: Project, template: str, partner: str | None) -> tuple[str, ...]:
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
    prospect = " ".join((prospect or "").split()) or None
    prospect_company = " ".join((prospect_company or "").split()) or None
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
    chosen_profile = project.profiles[main_slug]
    contact_first = first_name(business.contact.name)
    return {
        "business": business,
        "contact": business.contact,
        "contact_first": contact_first,
        "partner": chosen,
        "partner_first": first_name(chosen.name) if chosen else "[Partner first name]",
        "partner_company": (chosen.company or chosen.name) if chosen else "[Partner company]",
        "sender_name": chosen.name if chosen else "[Your name]",
        "profiles": profiles,
        "profile": chosen_profile,
        "profile_slug": main_slug,
        "pitch": pitch(chosen_profile, contact_first),
        "prospect": prospect or PROSPECT_BLANKS[0],
        "prospect_first": first_name(prospect) if prospect else PROSPECT_BLANKS[0],
        "prospect_company": prospect_company or PROSPECT_BLANKS[1],
        "referral": _thanked_referral(row, prospect or prospect_company),
        "referred": prospect or prospect_company or "[Prospect]",
        "row": row,
        "window": window,
        "window_days": window_days,
        "window_start": window_start,
        "last_referral": next((r for r in reversed(row.referrals) if r.date <= today), None)
        if row
        else None,
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
    """The referral a thank-you is about (of ``prospect`` when given).

    The latest one received that is not yet ``thanked``; when every one has
    been thanked, the latest.
    """
    if row is None:
        return None
    received = [r for r in row.referrals if r.direction == "received"]
    if prospect:
        received = [r for r in received if r.prospect.casefold() == prospect.casefold()]
    open_loops = [r for r in received if not r.thanked]
    chosen = open_loops or received
    return chosen[-1] if chosen else None


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


def _quote_markdown(value: Any) -> _MarkdownSource:
    """A paragraph set apart as a quotation in the HTML (``quote(text)`` in a template)."""
    return _MarkdownSource(f"> {escape_markdown(value)}")


def escape_markdown(value: Any) -> str:
    """A template value as literal Markdown text: punctuation escaped, URLs left whole."""
    if isinstance(value, _MarkdownSource):
        return str(value)
    text = str(value)
    parts: list[str] = []
    position = 0
    for match in _LINKABLE.finditer(text):
        parts.append(_MD_SPECIAL.sub(r"\\\1", text[position : match.start()]))
        parts.append(match.group())
        position = match.end()
    parts.append(_MD_SPECIAL.sub(r"\\\1", text[position:]))
    return _MD_ORDERED.sub(r"\1\\\2", "".join(parts))


def render_html(env: jinja2.Environment, subject: str, source: str, context: dict[str, Any]) -> str:
    """The HTML version of a Markdown body: the email layout, CSS inlined."""
    import css_inline

    source = _URL.sub(r"<\1>", source)
    source = _EMAIL.sub(r"<\1>", source)
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
    """'Adding a shift' -> 'adding a shift', 'A claim' -> 'a claim'.

    'OSHA', 'CFOs' and a possessive name ('Álvaro's clients') stay as written.
    """
    word = text.split(" ", 1)[0]
    possessive = word.endswith(("'s", "\u2019s"))
    if (
        word[:1].isupper()
        and word != "I"
        and not possessive
        and (len(word) == 1 or word[1:].islower())
    ):
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


def number_words(count: int) -> str:
    """A count as a person writes it in a sentence: 1 -> 'one', 9 -> 'nine', 12 -> '12'."""
    return _NUMBERS[count] if 0 <= count < len(_NUMBERS) else str(count)


def plural(count: int, singular: str, many: str | None = None) -> str:
    """1, 'introduction' -> 'one introduction'; 3 -> 'three introductions'; 12 -> '12 ...'."""
    return f"{number_words(count)} {singular if count == 1 else (many or singular + 's')}"


def pitch(profile: Profile, name: str) -> str:
    """Why the referrer thinks the prospect should talk to us, as the referrer would say it.

    The profile's ``intro_hint`` spoken about ``name`` (see :func:`speak_hint`);
    without one that can be rephrased, who we work with, from the title.
    """
    spoken = speak_hint(profile.intro_hint, name) if profile.intro_hint else None
    return spoken or f"{name} works with {lower_first(profile.title)}."


def speak_hint(hint: str, name: str) -> str | None:
    """'Tell them we coach first-time HR managers and never try to replace them.'
    -> 'Priya coaches first-time HR managers and never tries to replace them.'

    ``intro_hint`` is advice to the referrer in our voice. Said to the
    prospect it becomes: ``name`` for "we" (with the verb agreeing), "you"
    for the prospect's "they/their/theirs". Returns None when the hint is
    not of that shape or keeps a word in our voice, so nothing half-rewritten
    ever reaches an email.
    """
    text = " ".join(hint.split())
    lead = _HINT_LEAD.match(text)
    if lead:
        text = text[lead.end() :]
    if not re.match(r"we\b", text, re.I):
        return None

    def subject_and_verb(match: re.Match[str]) -> str:
        verb = f"{match.group('adverb')}{_third_person(match.group('verb'))}"
        if match.group("joined"):
            # "..., and that we have run" -> "..., and has run": one subject is enough
            return f"{match.group('comma')} and {verb}"
        return f"{name} {verb}"

    text = _CONTRACTIONS.sub(lambda m: f"we {_CONTRACTED[m.group(1).casefold()]}", text)
    # "we coach ... and never try": the second verb agrees too (before "we" is gone)
    text = _AND_ADVERB_VERB.sub(
        lambda m: f"{m.group(1)}{m.group(2)}{_third_person(m.group(3))}", text
    )
    text = _WE_VERB.sub(subject_and_verb, text)
    text = _PROSPECT_PRONOUN.sub(lambda m: _match_case(m.group(), _TO_YOU[m.group().lower()]), text)
    if _OUR_VOICE.search(text):
        return None
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def _third_person(verb: str) -> str:
    """'coach' -> 'coaches', 'try' -> 'tries', 'are' -> 'is', 'can' and 'ran' unchanged."""
    low = verb.casefold()
    if low in _THIRD_PERSON:
        return _match_case(verb, _THIRD_PERSON[low])
    if low in _UNCHANGED or low.endswith("ed") or not low.isalpha():
        return verb
    if re.search(r"(?:s|sh|ch|x|z|o)$", low):
        return verb + "es"
    if re.search(r"[^aeiou]y$", low):
        return verb[:-1] + "ies"
    return verb + "s"


def _match_case(original: str, word: str) -> str:
    return word[0].upper() + word[1:] if original[:1].isupper() else word


_HONORIFICS = frozenset({"dr", "mr", "mrs", "ms", "mx", "prof", "sir", "dame"})
_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
# intro_hint: "Tell them (that) we ...", "Let them know we ...", "Say we ..."
_HINT_LEAD = re.compile(
    r"(?:(?:tell|remind)\s+(?:them|him|her)|let\s+(?:them|him|her)\s+know|say|mention|explain)"
    r"(?:\s+that)?\s+",
    re.I,
)
_ADVERBS = (
    "also|always|never|often|usually|only|really|just|still|even|simply|rarely|typically|"
    "already|personally|quickly|then|now|genuinely|regularly"
)
_CONTRACTED = {"re": "are", "ve": "have", "ll": "will", "d": "would"}
_CONTRACTIONS = re.compile(r"\bwe[’'](re|ve|ll|d)\b", re.I)
_WE_VERB = re.compile(
    rf"(?P<joined>(?P<comma>,?)\s+and(?:\s+that)?\s+)?\bwe\s+"
    rf"(?P<adverb>(?:(?:{_ADVERBS})\s+)*)(?P<verb>[A-Za-z’'-]+)",
    re.I,
)
_AND_ADVERB_VERB = re.compile(rf"(\band\s+)((?:(?:{_ADVERBS})\s+)+)([a-z]+)\b")
_PROSPECT_PRONOUN = re.compile(r"\b(?:they|their|theirs|themselves)\b", re.I)
_TO_YOU = {"they": "you", "their": "your", "theirs": "yours", "themselves": "yourselves"}
# case matters: "US manufacturers" is not "us"
_OUR_VOICE = re.compile(r"\b(?:[Ww]e|us|[Oo]urs?|[Oo]urselves|I|me|[Mm]y|[Mm]ine)\b")
_THIRD_PERSON = {
    "are": "is",
    "were": "was",
    "have": "has",
    "do": "does",
    "go": "goes",
    "aren't": "isn't",
    "aren’t": "isn’t",
    "haven't": "hasn't",
    "haven’t": "hasn’t",
    "don't": "doesn't",
    "don’t": "doesn’t",
    "weren't": "wasn't",
    "weren’t": "wasn’t",
}
#: modal verbs and common irregular past tenses: the same after "she" as after "we"
_UNCHANGED = frozenset(
    (
        *("can", "could", "will", "would", "shall", "should", "may", "might", "must"),
        *("cannot", "can't", "won't", "wouldn't", "couldn't", "shouldn't"),
        *("can’t", "won’t", "wouldn’t", "couldn’t", "shouldn’t"),
        *("ran", "built", "made", "led", "did", "had", "saw", "took", "gave", "got", "wrote"),
        *("went", "began", "brought", "bought", "sold", "taught", "found", "kept", "held"),
        *("met", "sent", "spent", "won", "grew", "knew", "thought", "told", "became", "came"),
    )
)


def date_formatter(language: str) -> Callable[[dt.date], str]:
    """A function writing dates as people do: 'October 8, 2026' (en-US) or '8 October 2026'."""
    american = language.lower() in ("en-us", "en-ph")

    def human_date(value: dt.date) -> str:
        month = MONTH_NAMES[value.month - 1]
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
        "number": number_words,
    }
    text = make_environment(root, html=False, filters=filters)
    markdown = make_environment(root, html=False, filters=filters)
    markdown.finalize = escape_markdown
    html = make_environment(root, filters=filters)
    return text, markdown, html
