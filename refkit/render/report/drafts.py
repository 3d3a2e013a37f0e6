"""Which email draft under ``output/email/`` resolves an item of the report or calendar.

The report links the draft, the calendar names it: both ask here, and both
name only drafts the email stage writes (:mod:`refkit.render.messages.selection`
decides which), with the `refkit email` command that prints the same email.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from refkit.content.models import Referral
from refkit.content.project import Project
from refkit.derive.attention import resolving_template
from refkit.derive.layout import email_draft
from refkit.render.messages.selection import partner_templates, referral_to_thank


@dataclass(frozen=True)
class Draft:
    """An email draft a build writes, and the command that prints it."""

    template: str
    #: under ``output/``, without the extension
    path: str
    #: the extensions written: eml only when the partner has an email address
    formats: tuple[str, ...]
    command: str

    @property
    def main(self) -> str | None:
        """The file to open first: the .eml (opens as a draft), else the .txt; None if no file."""
        return f"{self.path}.{self.formats[0]}" if self.formats else None


def partner_draft(
    project: Project, slug: str, template: str, prospect: str | None = None
) -> Draft | None:
    """The draft of ``template`` for partner ``slug``, or None when the build writes none.

    ``prospect`` names a thank-you for one introduction: the written draft
    thanks for the latest unthanked one only, so for any other the command
    (with ``--prospect``) is the draft, and there is no file to link.
    """
    if template not in partner_templates(project, slug):
        return None
    command = f"refkit email {template} --partner {slug}"
    if template == "thank-you" and prospect is not None:
        drafted = referral_to_thank(project.referrals_with(slug))
        if drafted is None or drafted.prospect != prospect:
            return Draft(template, "", (), f"{command} --prospect {shlex.quote(prospect)}")
    formats = ("eml", "txt", "html") if project.partners[slug].email else ("txt", "html")
    return Draft(template, email_draft(slug, template), formats, command)


def resolving_draft(
    project: Project, slug: str, flag: str, referral: Referral | None = None
) -> Draft | None:
    """The draft that settles ``flag`` for partner ``slug`` (see :func:`resolving_template`)."""
    template = resolving_template(flag, referral)
    if template is None:
        return None
    prospect = referral.prospect if flag == "unthanked" and referral is not None else None
    return partner_draft(project, slug, template, prospect)
