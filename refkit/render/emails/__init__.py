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
"""

from __future__ import annotations

import datetime as dt
import email.policy
import hashlib
import re
from collections.abc import Callable, Iterator
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

from refkit.content.diagnostics import unknown_reference
from refkit.content.project import Project
from refkit.derive.layout import (
    EMAIL_TEMPLATES,
    OUTPUT_DIR,
    SitePaths,
    attachment_name,
    email_draft,
)
from refkit.errors import Problem, RefkitError
from refkit.output import Output
from refkit.render.context import RenderContext
from refkit.render.messages.compose import ComposedEmail, compose_email
from refkit.render.messages.selection import applies_to, partner_templates, profile_emails

#: Headers are written unfolded (RFC 5322 allows 998 characters): CPython's
#: folder drops the space between two RFC 2047 encoded words, so a folded
#: "Inês Müller (Acme)" would come back as "Inês Müller(Acme)".
_OUTPUT_POLICY = email.policy.SMTP.clone(max_line_length=998)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def text_file(mail: ComposedEmail) -> bytes:
    """The .txt version: the subject line, a blank line, the wrapped body."""
    return f"Subject: {mail.subject}\n\n{mail.text}".encode()


def eml_file(mail: ComposedEmail, attachment: Callable[[str], bytes | None]) -> bytes:
    """An RFC 5322 draft: multipart/alternative text + HTML, PDFs attached when available."""
    message = EmailMessage(policy=email.policy.SMTP)
    # an Address without an email would print as "Name <>": leave the header out
    if mail.sender is not None and mail.sender[1] is not None:
        message["From"] = _address(*mail.sender)
    if mail.recipient is not None and mail.recipient[1] is not None:
        message["To"] = _address(*mail.recipient)
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
    return message.as_bytes(policy=_OUTPUT_POLICY)


def _fix_boundaries(message: EmailMessage, seed: str) -> None:
    """Boundaries from the content, not at random, so rebuilds are byte-identical."""
    for index, part in enumerate(message.walk()):
        if part.is_multipart():
            part.set_boundary(f"refkit-{seed[:24]}-{index}")


def _address(name: str, addr: str | None) -> Address:
    # models.py rejects line breaks in names and emails (file:line); Address
    # refuses CR/LF too, so a header can never be injected even from Python
    user, _, domain = (addr or "").rpartition("@")
    return Address(display_name=name, username=user, domain=domain)


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
        Problem(f"--{name}", "must be a single line of text (it can reach an email header)")
        for name, value in (("prospect", prospect), ("prospect-company", prospect_company))
        if value is not None and _CONTROL.search(value)
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
    chosen = project.partners[partner] if partner else None
    if chosen is not None and not applies_to(template, chosen):
        wanted = "prospect" if template == "partner-proposal" else "active"
        reason = (
            f"{partner} is retired and gets no emails"
            if chosen.status == "retired"
            else f"'{template}' is only for partners with status: {wanted} ({partner} is "
            f"{chosen.status})"
        )
        raise RefkitError(Problem("--partner", reason))
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
