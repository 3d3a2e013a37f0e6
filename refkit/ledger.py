"""``refkit log``: append to content/referrals.yaml (filled in by the tracking issue)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from refkit.errors import RefkitError


def append_referral(
    root: Path,
    *,
    direction: str,
    partner: str,
    prospect: str,
    profile: str | None,
    status: str | None,
    value: float | None,
    date: dt.date,
    follow_up_due: dt.date | None,
    note: str | None,
    thanked: bool,
) -> str:
    """Append one validated entry; return a one-line confirmation."""
    raise RefkitError("refkit log is not available yet")
