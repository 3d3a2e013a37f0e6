"""Compose one email (subject, plain text, HTML) from its template.

Shared by the email renderer (``emails.py``), `refkit email` and the site's
"Introduce someone" action, so there is one source of every email's words.
(Interim version: the email issue replaces the body of ``compose_email``.)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from refkit.links import SitePaths
from refkit.project import Project


@dataclass(frozen=True)
class ComposedEmail:
    """One email: the subject, the plain-text source of truth and the HTML version."""

    template: str
    subject: str
    text: str
    html: str
    sender: str | None = None
    recipient: str | None = None


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
    business = project.business
    chosen = project.profiles[profile] if profile else next(iter(project.profiles.values()))
    name = prospect or "[Prospect first name]"
    subject = f"Introduction: {name} <> {business.contact.name} ({business.name})"
    text = (
        f"Hi {name},\n\n"
        f"I'd like to introduce {business.contact.name} of {business.name}. "
        f"{chosen.intro_hint or ''}\n\n"
        f"Best,\n[Your name]\n"
    )
    return ComposedEmail(template=template, subject=subject, text=text, html=f"<p>{text}</p>")
