"""Introduction-email templates as .txt, .html and .eml drafts under ``output/email/``.

The words come from :mod:`~refkit.render.messages.compose`; this module lays
them out as files: ``email/SLUG/TEMPLATE.{txt,html,eml}`` per partner that
is not retired (no .eml for a partner without an email address; which
templates a partner gets is decided in :mod:`~refkit.render.messages.selection`)
and ``email/_generic/TEMPLATE.{txt,html}`` with [blanks]. A partner serving
more than one profile also gets ``email/SLUG/TEMPLATE--PROFILE.*`` of the
emails they send (ask-permission, introduction) for each profile. The .eml
drafts are RFC 5322 messages (``X-Unsent: 1`` opens them as drafts in
Outlook and Thunderbird) with no Date or Message-ID and boundaries derived
from the content, so rebuilds are byte-identical. They attach the one-pagers
the PDF stage made (the registry says this renderer needs ``pdf``).

Headers are built from the text as written (already decoded): the names and
addresses through :class:`~email.headerregistry.Address`, the whole message
through the ``email`` package's policies, never by pasting strings. A value
that the email package would decode first, an RFC 2047 encoded word
(``=?utf-8?q?...?=``, which can decode to CR LF + ``Bcc: ...``), or one that
would fold into a new header line never gets there: the content model refuses
it at its file:line (:func:`~refkit.content.models.header_problem`), `refkit
email` refuses it in ``--prospect``, a Subject line of a template that holds
one is a :class:`~refkit.errors.TemplateError`, and anything else is a bug
(:class:`~refkit.errors.InternalError`). NEL, U+2028 and U+2029, whitespace
to Unicode, are written as one space, in the names as in the Subject. Each
draft is then parsed back as a mail client reads it, and must have exactly
the headers written here, with the text written here.

A non-ASCII domain (``dana@exämple.com``) is written in IDNA
(``dana@xn--exmple-cua.com``), which every mail app reads: the draft keeps
ASCII headers. A non-ASCII local part (``dänä@...``) has no ASCII form (RFC
2047 encoded words are not allowed in an address): such a draft is written
as an SMTPUTF8 message (RFC 6532: its headers in raw UTF-8,
``policy.SMTPUTF8``), which current mail clients open and send through
servers that offer SMTPUTF8, and `refkit check` says so at the address's
file:line. Every other draft keeps ASCII headers.
"""

from __future__ import annotations

import datetime as dt
import email.policy
import hashlib
from collections.abc import Callable, Iterator
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

import idna

from refkit.content.diagnostics import unknown_reference
from refkit.content.models import Referral, header_problem
from refkit.content.project import Project
from refkit.derive.layout import (
    EMAIL_TEMPLATES,
    OUTPUT_DIR,
    SitePaths,
    attachment_name,
    email_draft,
)
from refkit.errors import InternalError, Problem, RefkitError, TemplateError
from refkit.output import Output
from refkit.render.context import RenderContext
from refkit.render.messages.compose import ComposedEmail, compose_email, profile_about
from refkit.render.messages.selection import (
    CUSTOMERS_ONLY,
    applies_to,
    partner_templates,
    profile_emails,
    referral_to_thank,
)

#: Headers are written unfolded (RFC 5322 allows 998 characters): CPython's
#: folder drops the space between two RFC 2047 encoded words, so a folded
#: "Inês Müller (Acme)" would come back as "Inês Müller(Acme)".
_OUTPUT_POLICY = email.policy.SMTP.clone(max_line_length=998)
#: the same for a draft with a non-ASCII address: headers in raw UTF-8 (RFC 6532)
_UTF8_POLICY = _OUTPUT_POLICY.clone(utf8=True)
#: the headers of every draft, in order (From and To only when known)
_HEADERS = ("From", "To", "Subject", "X-Unsent", "MIME-Version", "Content-Type")


def text_file(mail: ComposedEmail) -> bytes:
    """The .txt version: the subject line, a blank line, the wrapped body."""
    return f"Subject: {mail.subject}\n\n{mail.text}".encode()


def eml_file(mail: ComposedEmail, attachment: Callable[[str], bytes | None]) -> bytes:
    """An RFC 5322 draft: multipart/alternative text + HTML, PDFs attached when available."""
    _refuse_unsafe(mail)
    people = _people(mail)
    # a non-ASCII name is an encoded word as ever; only an address needs UTF-8
    ascii_only = all(address.addr_spec.isascii() for address in people.values())
    # the message's own policy sets the body's line length; the output's, the headers'
    message = EmailMessage(policy=email.policy.SMTP if ascii_only else email.policy.SMTPUTF8)
    for name, address in people.items():
        message[name] = address
    message["Subject"] = mail.subject
    message["X-Unsent"] = "1"
    message.set_content(mail.text, cte="quoted-printable")
    message.add_alternative(mail.html, subtype="html", cte="quoted-printable")
    for path in mail.attachments:
        data = attachment(path)
        if data is None:
            continue
        message.add_attachment(
            data, maintype="application", subtype="pdf", filename=attachment_name(path)
        )
    seed = hashlib.sha256(
        "\0".join([mail.subject, mail.text, mail.html, *mail.attachments]).encode()
    ).hexdigest()
    _fix_boundaries(message, seed)
    data = message.as_bytes(policy=_OUTPUT_POLICY if ascii_only else _UTF8_POLICY)
    _check_written(data, mail.template, people, mail.subject)
    return data


def _people(mail: ComposedEmail) -> dict[str, Address]:
    """The From and To of a draft, those whose address is known."""
    people: dict[str, Address] = {}
    for header, who in (("From", mail.sender), ("To", mail.recipient)):
        # an Address without an email would print as "Name <>": leave the header out
        if who is not None and who[1] is not None:
            people[header] = _address(*who)
    return people


def _refuse_unsafe(mail: ComposedEmail) -> None:
    """Refuse what the email package would decode, or fold into a header of its own."""
    problem = header_problem(mail.subject)
    if problem:
        # content and --prospect were checked before: the template wrote it, or
        # put a field into its Subject line that is not a one-line field
        raise TemplateError(
            Problem(f"templates/email/{mail.template}.txt", f"the Subject line {problem}", 1)
        )
    for role, who in (("sender", mail.sender), ("recipient", mail.recipient)):
        for value in who or ():
            problem = header_problem(value) if value is not None else None
            if problem:
                raise InternalError(
                    f"the {role} {value!r} of a {mail.template} draft {problem}, "
                    "yet the content model let it reach an email header"
                )


def _check_written(data: bytes, template: str, people: dict[str, Address], subject: str) -> None:
    """Read the draft back as mail clients do: exactly the headers written, as written.

    An SMTPUTF8 draft is read twice: as bytes (by a client that knows ASCII
    headers only) and as UTF-8 text (where NEL or U+2028 would end a line).
    """
    readings = [email.message_from_bytes(data, policy=email.policy.default)]
    if not data.isascii():
        readings.append(email.message_from_string(data.decode(), policy=email.policy.default))
    expected = [name for name in _HEADERS if name in people or name not in ("From", "To")]
    for parsed in readings:
        found = list(parsed.keys())
        if found != expected:
            raise InternalError(f"a {template} draft has the headers {found}, not {expected}")
    # CPython's folder may drop a space between encoded words: compare words
    meant: dict[str, object] = {"Subject": subject.split()}
    read: dict[str, object] = {"Subject": str(readings[-1]["Subject"]).split()}
    for name, address in people.items():
        meant[name] = [(address.display_name.split(), address.addr_spec)]
        read[name] = [(a.display_name.split(), a.addr_spec) for a in readings[-1][name].addresses]
    if read != meant:
        raise InternalError(f"a {template} draft reads {read}, not {meant}")


def _fix_boundaries(message: EmailMessage, seed: str) -> None:
    """Boundaries from the content, not at random, so rebuilds are byte-identical."""
    for index, part in enumerate(message.walk()):
        if part.is_multipart():
            part.set_boundary(f"refkit-{seed[:24]}-{index}")


def _address(name: str, addr: str | None) -> Address:
    # the text as written, its whitespace collapsed as the Subject's is (NEL or
    # U+2028 must not reach a UTF-8 header raw); Address quotes and encodes it
    user, _, domain = (addr or "").rpartition("@")
    return Address(display_name=" ".join(name.split()), username=user, domain=ascii_domain(domain))


def ascii_domain(domain: str) -> str:
    """``exämple.com`` as every mail app reads it: ``xn--exmple-cua.com`` (IDNA 2008)."""
    if domain.isascii():
        return domain
    try:
        return idna.encode(domain, uts46=True).decode("ascii")
    except idna.IDNAError:  # valid to email-validator, not to IDNA: keep it as written
        return domain


def render(ctx: RenderContext) -> Iterator[Output]:
    """Every email of every non-retired partner, and the generic versions with blanks."""
    project = ctx.project
    available = ctx.upstream.exists  # the one-pagers the .eml drafts attach

    for template in EMAIL_TEMPLATES:
        mail = compose_email(project, ctx.paths, template, today=ctx.today)
        base = email_draft(None, template)
        yield Output(f"{base}.txt", text_file(mail))
        yield Output(f"{base}.html", mail.html.encode("utf-8"))
    for slug, partner in project.active_partners().items():
        drafts: list[tuple[str, str, str | None]] = [
            (email_draft(slug, template), template, None)
            for template in partner_templates(project, slug)
        ]
        drafts += [
            (variant.path, variant.template, variant.profile)
            for variant in profile_emails(project, slug)
            if variant.path not in {base for base, _, _ in drafts}
        ]
        for base, template, profile in drafts:
            mail = compose_email(
                project,
                ctx.paths,
                template,
                partner=slug,
                profile=profile,
                today=ctx.today,
                available=available,
            )
            yield Output(f"{base}.txt", text_file(mail))
            yield Output(f"{base}.html", mail.html.encode("utf-8"))
            if partner.email is not None:
                yield Output(f"{base}.eml", eml_file(mail, ctx.upstream.get))


def _nothing_to_thank(name: str, theirs: list[Referral]) -> str:
    if not any(r.direction == "received" for r in theirs):
        return f"{name} has not introduced anyone yet: there is nothing to thank them for"
    return (
        f"every introduction from {name} has been thanked; "
        "--prospect NAME writes a thank-you for one of them again"
    )


def previous_build(out_dir: Path) -> Callable[[str], bytes | None]:
    """The files a previous build left in ``out_dir`` (regular files only), by output path.

    `refkit email` attaches the one-pagers from there: it builds nothing.
    """

    def read(path: str) -> bytes | None:
        file = out_dir / path
        return file.read_bytes() if file.is_file() and not file.is_symlink() else None

    return read


def render_one_email(
    project: Project,
    paths: SitePaths,
    template: str,
    partner: str | None,
    *,
    profile: str | None,
    prospect: str | None,
    prospect_company: str | None,
    fmt: str,
    today: dt.date,
) -> bytes:
    """One email for `refkit email`, subject line first.

    One-pagers are attached (and mentioned) only when the project's last
    build left them in ``output/pdf/``; nothing is built here.
    """
    problems = [
        Problem(f"--{name}", problem)
        for name, value in (("prospect", prospect), ("prospect-company", prospect_company))
        if value is not None and (problem := header_problem(value))
    ]
    if partner is not None and partner not in project.partners:
        problems.append(
            Problem("--partner", unknown_reference("partner", partner, sorted(project.partners)))
        )
    if profile is not None and profile not in project.profiles:
        problems.append(
            Problem("--profile", unknown_reference("profile", profile, sorted(project.profiles)))
        )
    if problems:
        raise RefkitError(problems)
    about = profile_about(project, partner, profile)
    if prospect_company is not None and project.profiles[about].kind == "household":
        raise RefkitError(
            Problem(
                "--prospect-company",
                f"profile '{about}' is a household (kind: household), which has no company: "
                "leave out --prospect-company",
            )
        )
    chosen = project.partners[partner] if partner else None
    if chosen is not None and not applies_to(template, chosen):
        wanted = "prospect" if template == "partner-proposal" else "active"
        if chosen.status == "retired":
            reason = f"{partner} is retired and gets no emails"
        elif template in CUSTOMERS_ONLY:
            reason = (
                f"'{template}' is only for top customers (kind: customer); {partner} is a partner"
            )
        else:
            reason = (
                f"'{template}' is only for partners with status: {wanted} ({partner} is "
                f"{chosen.status})"
            )
        raise RefkitError(Problem("--partner", reason))
    named = prospect or prospect_company  # a thank-you for that one, logged or not
    if template == "thank-you" and chosen is not None and partner is not None and not named:
        theirs = project.referrals_with(partner)
        if referral_to_thank(theirs) is None:
            raise RefkitError(Problem("--partner", _nothing_to_thank(chosen.name, theirs)))
    previous = previous_build(project.root / OUTPUT_DIR)
    mail = compose_email(
        project,
        paths,
        template,
        partner=partner,
        profile=profile,
        prospect=prospect,
        prospect_company=prospect_company,
        today=today,
        available=lambda path: previous(path) is not None,
    )
    if fmt == "html":
        return mail.html.encode("utf-8")
    if fmt == "eml":
        return eml_file(mail, previous)
    return text_file(mail)
