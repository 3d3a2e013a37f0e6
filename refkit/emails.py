"""Introduction-email templates as .txt, .html and .eml (filled in by the email issue)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

from refkit.errors import RefkitError
from refkit.writer import Output

if TYPE_CHECKING:
    from refkit.build import BuildContext
    from refkit.links import SitePaths
    from refkit.project import Project


def render_emails(ctx: BuildContext) -> Iterator[Output]:
    """Every email of every partner, and the generic ones."""
    yield from ()


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
    """One email for `refkit email`, subject line first."""
    raise RefkitError("refkit email is not available yet")
