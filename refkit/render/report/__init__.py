"""The private partner report and the check-in calendar.

Every figure comes from :mod:`refkit.derive.scorecard`: one computation for
the terminal, the report, the calendar and the emails. Nothing here reads a
partner's ``notes`` or a ledger entry's ``note``: both stay private.
"""

from __future__ import annotations

from collections.abc import Iterator

from refkit.derive.layout import CALENDAR, REPORT_PAGE
from refkit.derive.scorecard import compute_scorecard
from refkit.output import Output
from refkit.render.context import RenderContext
from refkit.render.report.ics import render_calendar
from refkit.render.report.page import render_report


def render(ctx: RenderContext) -> Iterator[Output]:
    """``report/index.html`` and ``calendar.ics``."""
    rows = compute_scorecard(ctx.project, ctx.today)
    yield Output(REPORT_PAGE, render_report(ctx, rows).encode("utf-8"))
    yield Output(CALENDAR, render_calendar(ctx.project, rows, ctx.today, ctx.paths.secret))
