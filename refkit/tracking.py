"""The partner scorecard, the private report and the calendar (filled in by the tracking issue)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from refkit.writer import Output

if TYPE_CHECKING:
    from refkit.build import BuildContext
    from refkit.project import Project


def render_tracking(ctx: BuildContext) -> Iterator[Output]:
    """``report/index.html`` and ``calendar.ics``."""
    yield from ()


def compute_scorecard(project: Project, today: dt.date) -> list[Any]:
    """One row per partner."""
    return []


def scorecard_json(rows: list[Any]) -> list[dict[str, Any]]:
    """The rows as JSON-ready dicts."""
    return []


def print_scorecard(rows: list[Any], today: dt.date) -> None:
    """The rows as a table on the terminal."""
