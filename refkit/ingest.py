"""``refkit ingest``: saved emails -> received referrals in content/referrals.yaml.

A message is either a referral brief (a partner writes to us about a prospect,
in the shape of the ``referral-brief`` email: ``Prospect:``, ``Profile:`` ...
lines) or an introduction we were copied on. Mail is parsed by the standard
library's ``email`` package only; the lines of a brief are read from the
decoded body. Whatever is logged goes through :func:`append_referral`, with its
validation and lock, so a refused message leaves the ledger as it was.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import email.errors
import email.policy
import email.utils
import mailbox
import re
import stat
from collections.abc import Iterator
from email.headerregistry import Address
from email.message import EmailMessage, Message
from html.parser import HTMLParser
from pathlib import Path

from refkit.content.diagnostics import unknown_reference
from refkit.content.project import Project
from refkit.errors import ContentError, Problem

#: what the email package may raise on a message it cannot make sense of
_MAIL_ERRORS = (email.errors.MessageError, ValueError, LookupError, TypeError, AttributeError)
#: header names that make a pasted text a message rather than a bare brief
_MESSAGE_HEADERS = ("from", "to", "subject", "date", "message-id", "mime-version")
#: the lines mail apps put above a forwarded or quoted original
_FORWARD_MARKERS = re.compile(
    r"^\s*(?:-+ ?Forwarded message ?-+|-+ ?Original Message ?-+|Begin forwarded message:)\s*$",
    re.IGNORECASE | re.MULTILINE,
)
#: a blank the partner never filled in: ``[Prospect name]`` (not ``[sic]``)
_BLANK = re.compile(r"\[[A-Z][^\]\n]*\]")
#: "Label: value", the label perhaps followed by a remark: "Criteria they meet (delete ...):"
_LABEL = re.compile(r"^([A-Za-z][A-Za-z ]*?)\s*(?:\([^()\n]*\))?\s*:\s*(.*)$")
_FIELDS = ("prospect", "company", "email", "profile", "how warm")
_LISTS = ("criteria they meet", "signals that apply")
_NOTE = "before the first call"
#: how some mail apps write the date of a forwarded original
_FORWARD_DATES = (
    "%a, %b %d, %Y at %I:%M %p",
    "%A, %B %d, %Y %I:%M %p",
    "%A, %B %d, %Y at %I:%M %p",
)


@dataclasses.dataclass(frozen=True)
class Ingested:
    """One received referral read from a message, ready to log."""

    partner: str
    prospect: str
    profile: str | None
    date: dt.date
    note: str
    #: the file it came from, and which message of it ("message 2") in an mbox
    source: str = ""
    label: str | None = None


class IngestError(Exception):
    """A message that says nothing we can log; the text says why (the caller names the file)."""


def read_messages(path: Path) -> list[EmailMessage | str]:
    """The messages in ``path`` (.eml, mbox, pasted text); a bare brief stays text.

    Raises :class:`ContentError` naming the file when it holds no message.
    """
    where = str(path)
    try:
        info = path.stat()
    except OSError as exc:
        raise ContentError(Problem(where, f"cannot read: {exc.strerror}")) from None
    if stat.S_ISDIR(info.st_mode):
        raise ContentError(Problem(where, "is a folder, not a saved email"))
    if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block or never end
        raise ContentError(Problem(where, "is not a regular file, not a saved email"))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ContentError(Problem(where, f"cannot read: {exc.strerror}")) from None
    data = data.removeprefix(b"\xef\xbb\xbf").lstrip(b"\r\n\t ")
    if not data:
        raise ContentError(Problem(where, "is empty"))
    if re.search(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]", data[:65536]):
        raise ContentError(Problem(where, "is not an email (binary data)"))
    if data.startswith(b"From "):
        return list(_mbox_messages(path, where))
    message = email.message_from_bytes(data, policy=email.policy.default)
    if any(name in message for name in _MESSAGE_HEADERS):
        return [_as_email(message)]
    try:
        return [data.decode("utf-8")]
    except UnicodeDecodeError:
        raise ContentError(
            Problem(where, "is neither an email nor UTF-8 text (no From:, To:, Subject: lines)")
        ) from None


def _mbox_messages(path: Path, where: str) -> Iterator[EmailMessage]:
    try:
        box = mailbox.mbox(path, create=False)
        try:
            raw = [box.get_bytes(key) for key in box.iterkeys()]
        finally:
            box.close()
    except mailbox.Error as exc:
        raise ContentError(Problem(where, f"cannot read this mbox file: {exc}")) from None
    if not raw:
        raise ContentError(Problem(where, "is an empty mbox file"))
    for data in raw:
        yield _as_email(email.message_from_bytes(data, policy=email.policy.default))


def _as_email(message: Message) -> EmailMessage:
    if not isinstance(message, EmailMessage):  # policy.default always makes one
        raise IngestError("not an email message")
    return message


def referral_from(
    project: Project,
    message: EmailMessage | str,
    *,
    partner: str | None = None,
    prospect: str | None = None,
    date: dt.date | None = None,
    today: dt.date,
) -> Ingested:
    """What ``message`` refers to us: partner, prospect, profile, date, a one-line note.

    ``partner``, ``prospect`` and ``date`` override what the message says.
    Raises :class:`IngestError` with the reason.
    """
    if isinstance(message, str):
        if partner is None:
            raise IngestError(
                "no email headers (From:, To:, Subject:), so no sender: "
                "give --partner SLUG, the partner who wrote this brief"
            )
        slug = _checked_partner(project, partner)
        return _from_body(project, slug, message, [], prospect, date or today)
    try:
        original = _original(project, message)
        text = _body_text(original)
        sender = _addresses(original, "from")
        recipients = _addresses(original, "to") + _addresses(original, "cc")
        sent = _sent_date(original) or _sent_date(message)
    except _MAIL_ERRORS as exc:
        raise IngestError(f"cannot read this message: {exc}") from None
    if partner is not None:
        slug = _checked_partner(project, partner)
    else:
        slug = _partner_of(project, sender)
    return _from_body(project, slug, text, recipients, prospect, date or sent or today)


def _from_body(
    project: Project,
    slug: str,
    text: str,
    recipients: list[Address],
    prospect: str | None,
    date: dt.date,
) -> Ingested:
    brief = parse_brief(text)
    if brief is not None:
        return _from_brief(project, slug, brief, prospect, date)
    name = prospect or _introduced(project, slug, recipients)
    served = project.partners[slug].serves
    return Ingested(
        partner=slug,
        prospect=name,
        profile=served[0] if len(served) == 1 else None,
        date=date,
        note="from an introduction we were copied on",
    )


def parse_brief(text: str) -> dict[str, str | list[str]] | None:
    """The labelled lines of a referral brief (lowercase labels), or None if it is not one.

    Quoting (``> ``) is ignored; a list label collects the ``- `` lines under it
    (an indented line continues the item above, as refkit's drafts wrap them);
    ``Before the first call:`` collects the lines up to a blank one.
    """
    fields: dict[str, str | list[str]] = {}
    current: str | None = None
    for raw in text.splitlines():
        unquoted = _unquoted(raw)
        line = unquoted.strip()
        match = _LABEL.match(line)
        label = match.group(1).strip().casefold() if match else ""
        if match and label in (*_FIELDS, *_LISTS, _NOTE) and label not in fields:
            value = match.group(2).strip()
            fields[label] = ([value] if value else []) if label in _LISTS else value
            current = label if label in (*_LISTS, _NOTE) else None
        elif not line:
            current = None
        elif current in _LISTS and line[:2] in ("- ", "* ", "• "):
            items = fields[current]
            if isinstance(items, list):
                items.append(line[2:].strip())
        elif current in _LISTS and unquoted[:1] in (" ", "\t") and fields[current]:
            items = fields[current]  # a long item wrapped onto an indented line
            if isinstance(items, list):
                items[-1] = f"{items[-1]} {line}"
        elif current == _NOTE:
            fields[_NOTE] = f"{fields[_NOTE]} {line}".strip()
        else:
            current = None
    return fields if "prospect" in fields else None


def _unquoted(line: str) -> str:
    """``line`` without the ``> `` marks of a reply or forward."""
    return re.sub(r"^(?:[ \t]*>)+ ?", "", line)


def _from_brief(
    project: Project,
    slug: str,
    brief: dict[str, str | list[str]],
    prospect: str | None,
    date: dt.date,
) -> Ingested:
    blanks = [b for v in brief.values() for item in _items(v) for b in _BLANK.findall(item)]
    if blanks:
        raise IngestError(f"the brief still has blanks: {', '.join(dict.fromkeys(blanks))}")
    name = prospect or _one(brief.get("prospect"))
    if not name:
        raise IngestError("the brief's Prospect: line is empty; give --prospect NAME")
    profile = _profile_of(project, _one(brief.get("profile")))
    parts: list[str] = []
    warm = _one(brief.get("how warm"))
    if warm:
        parts.append(warm)
    criteria = brief.get("criteria they meet")
    if isinstance(criteria, list) and criteria:
        parts.append(f"meets {len(criteria)} criteri{'on' if len(criteria) == 1 else 'a'}")
    company = _one(brief.get("company"))
    if company:
        parts.append(f"company {company}")
    return Ingested(
        partner=slug,
        prospect=name,
        profile=profile,
        date=date,
        # one line, whatever the brief held
        note=" ".join(("from a referral brief: " + "; ".join(parts)).split()).rstrip(":"),
    )


def _items(value: str | list[str]) -> list[str]:
    return value if isinstance(value, list) else [value]


def _one(value: str | list[str] | None) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _profile_of(project: Project, given: str) -> str | None:
    """The profile slug a brief names by slug or by title (case-insensitive)."""
    if not given:
        return None
    wanted = given.casefold()
    for slug, profile in project.profiles.items():
        if wanted in (slug.casefold(), " ".join(profile.title.split()).casefold()):
            return slug
    raise IngestError("Profile: " + unknown_reference("profile", given, sorted(project.profiles)))


def _checked_partner(project: Project, slug: str) -> str:
    if slug not in project.partners:
        raise IngestError(
            "--partner: " + unknown_reference("partner", slug, sorted(project.partners))
        )
    return _not_retired(project, slug)


def _not_retired(project: Project, slug: str) -> str:
    if project.partners[slug].status == "retired":
        raise IngestError(
            f"{project.partners[slug].name} ({project.file_of('partner', slug)}) is retired: "
            "refkit logs no referrals from retired partners; set their status to active first"
        )
    return slug


def _partner_of(project: Project, sender: list[Address]) -> str:
    """The partner whose ``email`` is the sender's address (case-insensitive)."""
    if not sender or not sender[0].addr_spec or "@" not in sender[0].addr_spec:
        raise IngestError("the message has no sender address (From:); give --partner SLUG")
    address = sender[0].addr_spec.casefold()
    if address == project.business.contact.email.casefold():
        raise IngestError(
            f"the message is from us ({address}) and forwards no partner's email; "
            "give --partner SLUG"
        )
    found = [s for s, p in project.partners.items() if p.email and p.email.casefold() == address]
    if not found:
        raise IngestError(
            f"unknown sender {address}: no partner in content/partners/ has this email "
            "(add it to their file, or give --partner SLUG)"
        )
    if len(found) > 1:
        raise IngestError(f"several partners have the email {address}: {', '.join(found)}")
    return _not_retired(project, found[0])


def _introduced(project: Project, slug: str, recipients: list[Address]) -> str:
    """The one recipient of an introduction who is neither us nor the partner."""
    ours = {project.business.contact.email.casefold()}
    theirs = project.partners[slug].email
    if theirs:
        ours.add(theirs.casefold())
    seen: dict[str, Address] = {}
    for address in recipients:
        key = address.addr_spec.casefold()
        if key and key not in ours:
            seen.setdefault(key, address)
    if len(seen) != 1:
        who = ", ".join(seen) if seen else "none besides us and the partner"
        raise IngestError(
            "not a referral brief (no Prospect: line), and the introduction's prospect is "
            f"not clear (recipients: {who}); give --prospect NAME"
        )
    (address,) = seen.values()
    return " ".join(address.display_name.split()) or address.username


def _addresses(message: EmailMessage, name: str) -> list[Address]:
    header = message.get(name)
    if header is None:
        return []
    return list(getattr(header, "addresses", ()))


def _sent_date(message: EmailMessage) -> dt.date | None:
    """The ``Date:`` header as a date in local time (None when absent or unreadable)."""
    try:  # Outlook's forwarded block says "Sent:"
        header = message.get("date") or message.get("sent")
        when = getattr(header, "datetime", None)
    except _MAIL_ERRORS:
        return None
    if header is None:
        return None
    if when is None:
        text = " ".join(str(header).replace("\u202f", " ").split())
        for form in _FORWARD_DATES:
            try:
                when = dt.datetime.strptime(text, form)
                break
            except ValueError:
                continue
    if not isinstance(when, dt.datetime):
        return None
    return when.astimezone().date() if when.tzinfo else when.date()


def _original(project: Project, message: EmailMessage) -> EmailMessage:
    """The partner's own message: ``message``, or the original it forwards from us."""
    sender = _addresses(message, "from")
    address = sender[0].addr_spec.casefold() if sender else ""
    partners = {p.email.casefold() for p in project.partners.values() if p.email}
    if address in partners:
        return message
    for part in message.walk():
        if part.get_content_type() == "message/rfc822":
            inner = part.get_content()
            if isinstance(inner, EmailMessage):
                return inner
    text = _body_text(message)
    marker = _FORWARD_MARKERS.search(text)
    if marker is None:
        return message
    block = "\n".join(_unquoted(line) for line in text[marker.end() :].splitlines())
    block = block.lstrip("\r\n")
    forwarded = email.message_from_string(block, policy=email.policy.default)
    if isinstance(forwarded, EmailMessage) and "from" in forwarded:
        return forwarded
    return message


def _body_text(message: EmailMessage) -> str:
    """The message's text: its plain part, else its HTML part as text."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    if not isinstance(part, EmailMessage):
        raise IngestError("not an email message")
    try:
        content = part.get_content()
    except LookupError:  # an unknown charset: the bytes as UTF-8, as best we can
        raw = part.get_payload(decode=True)
        content = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else ""
    if not isinstance(content, str):
        return ""
    if part.get_content_subtype() == "html":
        return html_to_text(content)
    return content


class _Text(HTMLParser):
    """Collects an HTML body's text, one line per block element and ``<br>``."""

    _BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "blockquote"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head"):
            self._skip += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head"):
            self._skip = max(0, self._skip - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(" ".join(data.split("\n")))


def html_to_text(markup: str) -> str:
    """The text of an HTML email body, a line per paragraph, line break and list item."""
    parser = _Text()
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(lines)


def read_referrals(
    project: Project,
    path: Path,
    *,
    partner: str | None = None,
    prospect: str | None = None,
    date: dt.date | None = None,
    today: dt.date,
) -> Iterator[Ingested | Problem]:
    """The referral in each message of ``path``, or a Problem naming the file (and the
    message's number in an mbox) for each message that holds none.

    Reads only: the caller logs each with :func:`refkit.ledger_edit.append_referral`.
    """
    where = str(path)
    try:
        messages = read_messages(path)
    except ContentError as exc:
        yield from exc.problems
        return
    except IngestError as exc:
        yield Problem(where, str(exc))
        return
    except OSError as exc:
        yield Problem(where, f"cannot read: {exc.strerror or exc}")
        return
    for number, message in enumerate(messages, start=1):
        label = f"message {number}" if len(messages) > 1 else None
        try:
            found = referral_from(
                project, message, partner=partner, prospect=prospect, date=date, today=today
            )
        except IngestError as exc:
            yield Problem(where, str(exc), field=label)
        else:
            yield dataclasses.replace(found, source=where, label=label)


def refused(found: Ingested, exc: ContentError) -> Problem:
    """The ledger's refusal of ``found`` as one line naming the message's file."""
    said = "; ".join(f"{p.field}: {p.message}" if p.field else p.message for p in exc.problems)
    ledger = exc.problems[0].path if exc.problems else "the ledger"
    return Problem(found.source, f"{said} ({ledger}); nothing logged", field=found.label)
