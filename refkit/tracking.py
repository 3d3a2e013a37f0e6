"""The private partner report, the check-in calendar and the scorecard table
(filled in by the tracking issue). The figures come from ``scorecard.py``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from refkit.writer import Output

if TYPE_CHECKING:
    from refkit.build import BuildContext
    from refkit.scorecard import ScoreRow


def render_tracking(ctx: BuildContext) -> Iterator[Output]:
    """``report/index.html`` and ``calendar.ics``."""
    yield from ()


def scorecard_json(rows: list[ScoreRow]) -> list[dict[str, Any]]:
    """The rows as JSON-ready dicts (the keys of `refkit partners --json`)."""
    return [row.as_json() for row in rows]


def print_scorecard(rows: list[ScoreRow], today: dt.date) -> None:
    """The rows as a table on the terminal."""
