"""The private partner report, the check-in calendar and the scorecard table.

Every figure comes from ``scorecard.py``: one computation for the terminal,
the report, the calendar and the emails.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from refkit.scorecard import ScoreRow, compute_scorecard
from refkit.templating import format_money, make_environment, render_template
from refkit.writer import Output

if TYPE_CHECKING:
    from refkit.build import BuildContext
    from refkit.project import Project

FLAG_LABELS = {
    "check-in-overdue": "check-in overdue",
    "follow-up-due": "follow-up due",
    "unthanked": "unthanked win",
    "one-way": "one-way",
    "dry-spell": "dry spell",
}


@dataclass(frozen=True)
class Attention:
    """One thing to do about one partner."""

    slug: str
    name: str
    flag: str
    sentence: str


def attention_list(rows: list[ScoreRow], today: dt.date) -> list[Attention]:
    """A plain sentence for every flag, what needs attention first."""
    out: list[Attention] = []
    for row in rows:
        who = row.partner.display_name
        for flag in row.flags:
            if flag == "check-in-overdue" and row.check_in_due:
                days = (today - row.check_in_due).days
                due = row.check_in_due.isoformat()
                text = f"Check-in overdue since {due} ({days} days): call {row.name}."
            elif flag == "follow-up-due":
                late = [
                    r
                    for r in row.referrals
                    if r.is_open and r.follow_up_due and r.follow_up_due < today
                ]
                names = ", ".join(f"{r.prospect} (due {r.follow_up_due})" for r in late)
                text = f"Follow up on {names}."
            elif flag == "unthanked":
                names = ", ".join(
                    r.prospect
                    for r in row.referrals
                    if r.direction == "received" and r.status == "won" and not r.thanked
                )
                text = f"Thank {row.name} for {names}: it was won."
            elif flag == "one-way":
                if row.balance > 0:
                    text = f"We owe them: they sent us {row.received}, we sent {row.given}."
                else:
                    text = f"They owe us: we sent {row.given}, they sent {row.received}."
            else:  # dry-spell
                since = row.last_referral or row.partner.since
                text = f"No referral either way since {since.isoformat() if since else 'ever'}."
            out.append(Attention(row.slug, who, flag, text))
    return out


def monthly_counts(project: Project, today: dt.date, months: int = 12) -> list[dict[str, Any]]:
    """Referrals received and given per month, for the last ``months`` months."""
    first = _add_months(today.replace(day=1), -(months - 1))
    buckets: list[dict[str, Any]] = []
    for i in range(months):
        start = _add_months(first, i)
        buckets.append({"month": start, "received": 0, "given": 0})
    index = {(b["month"].year, b["month"].month): b for b in buckets}
    for entry in project.referrals:
        bucket = index.get((entry.date.year, entry.date.month))
        if bucket is not None and entry.date <= today:
            bucket[entry.direction] += 1
    return buckets


def _add_months(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + day.month - 1 + months
    return dt.date(total // 12, total % 12 + 1, 1)


def chart_svg(buckets: list[dict[str, Any]]) -> str:
    """A grouped bar chart (received vs given per month) as accessible inline SVG."""
    width, height, left, bottom, top = 720, 240, 36, 28, 16
    peak = max([b["received"] for b in buckets] + [b["given"] for b in buckets] + [1])
    ticks = max(1, -(-peak // 4))
    peak = ticks * 4 if peak > 4 else max(peak, 1)
    plot_h = height - bottom - top
    step = (width - left - 8) / len(buckets)
    bar = step * 0.32
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        'aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">',
        '<title id="chart-title">Referrals per month, received and given</title>',
        '<desc id="chart-desc">'
        + "; ".join(
            f"{b['month']:%b %Y}: {b['received']} received, {b['given']} given" for b in buckets
        )
        + "</desc>",
    ]
    for value in range(0, peak + 1, max(1, peak // 4)):
        y = top + plot_h - plot_h * value / peak
        parts.append(
            f'<line x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" class="axis" text-anchor="end">{value}</text>'
        )
    for i, b in enumerate(buckets):
        x = left + i * step + step * 0.15
        for offset, key in ((0.0, "received"), (bar + 2, "given")):
            h = plot_h * b[key] / peak
            y = top + plot_h - h
            parts.append(
                f'<rect class="{key}" x="{x + offset:.1f}" y="{y:.1f}" width="{bar:.1f}" '
                f'height="{h:.1f}"><title>{b["month"]:%b %Y}: {b[key]} {key}</title></rect>'
            )
        parts.append(
            f'<text x="{x + bar:.1f}" y="{height - 10}" class="axis" text-anchor="middle">'
            f"{b['month']:%b}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def render_report(ctx: BuildContext, rows: list[ScoreRow]) -> str:
    """``report/index.html``: the scorecard, the chart and the attention list."""
    project = ctx.project
    env = make_environment(project.root)
    totals = {
        "received": sum(r.received for r in rows),
        "given": sum(r.given for r in rows),
        "won": sum(r.won for r in rows),
        "won_value": sum(r.won_value for r in rows),
    }
    return render_template(
        env,
        "report/index.html",
        business=project.business,
        rows=rows,
        today=ctx.today,
        totals=totals,
        attention=attention_list(rows, ctx.today),
        chart=chart_svg(monthly_counts(project, ctx.today)),
        flag_labels=FLAG_LABELS,
        brand=project.business.site.brand.color or "#1d4e5f",
    )


def render_calendar(project: Project, rows: list[ScoreRow], today: dt.date) -> bytes:
    """``calendar.ics``: next check-ins and open follow-ups, with stable UIDs."""
    from icalendar import Calendar, Todo

    calendar = Calendar()
    calendar.add("prodid", "-//refkit//partner check-ins//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{project.business.name}: partner check-ins")
    stamp = dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC)
    for row in sorted(rows, key=lambda r: r.slug):
        partner = row.partner
        if row.check_in_due is not None and partner.status != "retired":
            todo = Todo()
            todo.add("uid", f"checkin-{row.slug}@refkit")
            todo.add("dtstamp", stamp)
            todo.add("due", row.check_in_due)
            todo.add("summary", f"Check in with {partner.display_name}")
            cadence = partner.agreement.check_in_days
            lines = [f"Agreed cadence: every {cadence} days."]
            lines.append(
                f"Referrals received {row.received}, given {row.given}, balance {row.balance:+d}."
            )
            lines += [f"Expectation: {e}" for e in partner.agreement.expectations]
            todo.add("description", "\n".join(lines))
            calendar.add_component(todo)
        for entry in row.referrals:
            if entry.follow_up_due is None or not entry.is_open:
                continue
            key = f"{row.slug}|{entry.prospect}|{entry.date.isoformat()}|{entry.direction}"
            todo = Todo()
            todo.add("uid", f"followup-{hashlib.sha256(key.encode()).hexdigest()[:16]}@refkit")
            todo.add("dtstamp", stamp)
            todo.add("due", entry.follow_up_due)
            todo.add(
                "summary",
                f"Follow up: {entry.prospect} ({entry.direction} via {partner.name})",
            )
            todo.add("description", f"Status: {entry.status}. Referred on {entry.date}.")
            calendar.add_component(todo)
    return bytes(calendar.to_ical())


def render_tracking(ctx: BuildContext) -> Iterator[Output]:
    """``report/index.html`` and ``calendar.ics``."""
    rows = compute_scorecard(ctx.project, ctx.today)
    yield Output("report/index.html", render_report(ctx, rows).encode("utf-8"))
    yield Output("calendar.ics", render_calendar(ctx.project, rows, ctx.today))


def scorecard_json(rows: list[ScoreRow]) -> list[dict[str, Any]]:
    """The rows as JSON-ready dicts (the keys of `refkit partners --json`)."""
    return [row.as_json() for row in rows]


def print_scorecard(rows: list[ScoreRow], today: dt.date) -> None:
    """The rows as a table on the terminal, what needs attention first."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not console.is_terminal:  # piped or redirected: don't squeeze into 80 columns
        console = Console(width=150)
    table = Table(title=f"Partner scorecard, {today.isoformat()}", title_justify="left")
    for header, justify in (
        ("Partner", "left"),
        ("Kind", "left"),
        ("Status", "left"),
        ("Fit", "right"),
        ("Recv", "right"),
        ("Given", "right"),
        ("Bal", "right"),
        ("Won", "right"),
        ("Won value", "right"),
        ("Last referral", "left"),
        ("Check-in due", "left"),
        ("Flags", "left"),
    ):
        table.add_column(header, justify=justify)  # type: ignore[arg-type]
    for row in rows:
        flags = ", ".join(
            f"{FLAG_LABELS[f]} ({row.owes})" if f == "one-way" else FLAG_LABELS[f]
            for f in row.flags
        )
        table.add_row(
            row.partner.name,
            row.partner.kind,
            row.partner.status,
            str(row.fit_score),
            str(row.received),
            str(row.given),
            f"{row.balance:+d}",
            str(row.won),
            format_money(row.won_value),
            row.last_referral.isoformat() if row.last_referral else "-",
            row.check_in_due.isoformat() if row.check_in_due else "-",
            f"[bold red]{flags}[/]" if flags else "",
        )
    console.print(table)
    todo = attention_list(rows, today)
    if todo:
        console.print("\n[bold]Needs attention[/]")
        for item in todo:
            console.print(f"  - {item.name}: {item.sentence}")
    console.print(
        "\nBal = received - given (positive: we owe them a referral). "
        "Fit 0-100 from the qualifier checklist, the profiles they serve and price tier."
    )
