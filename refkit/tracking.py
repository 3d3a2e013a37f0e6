"""The private partner report, the check-in calendar and the scorecard table.

Every figure comes from ``scorecard.py``: one computation for the terminal,
the report, the calendar and the emails. Nothing here reads a partner's
``notes`` or a ledger entry's ``note``: both stay private.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from refkit.resources import static_dir
from refkit.scorecard import (
    DRY_SPELL_DAYS,
    ONE_WAY_THRESHOLD,
    ScoreRow,
    compute_scorecard,
    days_after,
)
from refkit.templating import (
    MONTH_NAMES,
    cadence_words,
    format_money,
    make_environment,
    render_template,
)
from refkit.writer import Output

if TYPE_CHECKING:
    from refkit.build import BuildContext
    from refkit.models import Partner
    from refkit.project import Project

FLAG_LABELS = {
    "check-in-overdue": "check-in overdue",
    "follow-up-due": "follow-up due",
    "unthanked": "unthanked win",
    "one-way": "one-way",
    "dry-spell": "dry spell",
}
#: what each flag means, for the legends of the table and the report
FLAG_MEANINGS = {
    "check-in-overdue": "the agreed check-in date has passed",
    "follow-up-due": "an open referral's follow-up date has passed",
    "unthanked": "a referral they sent us was won and they were not thanked",
    "one-way": f"one side has sent {ONE_WAY_THRESHOLD} or more referrals more than the other",
    "dry-spell": f"an active partner with no referral either way for {DRY_SPELL_DAYS} days",
}
#: how far ahead the report's "coming up" list looks
UPCOMING_DAYS = 30
CHART_MONTHS = 12
#: the site's typeface, embedded so the report stays one self-contained file
REPORT_FONTS = (
    ("inter-regular.woff2", 400),
    ("inter-semibold.woff2", 600),
    ("inter-bold.woff2", 700),
)

DateFormat = Callable[[dt.date], str]


@dataclass(frozen=True)
class Attention:
    """One thing to do about one partner."""

    slug: str
    name: str
    flag: str
    sentence: str


@dataclass(frozen=True)
class Upcoming:
    """A check-in or follow-up due soon."""

    date: dt.date
    slug: str
    name: str
    what: str


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _iso(day: dt.date) -> str:
    return day.isoformat()


def _sentence(row: ScoreRow, flag: str, today: dt.date, date: DateFormat = _iso) -> str:
    """The plain-language sentence for one flag of one row."""
    partner = row.partner
    if flag == "check-in-overdue" and row.check_in_due:
        days = (today - row.check_in_due).days
        reach = f" on {partner.phone}" if partner.phone else ""
        return (
            f"Check-in overdue since {date(row.check_in_due)} "
            f"({_plural(days, 'day')}): call {partner.name}{reach}."
        )
    if flag == "follow-up-due":
        late = ", ".join(
            f"{r.prospect} ({r.status}, due {date(r.follow_up_due)})"
            for r in row.late_follow_ups(today)
            if r.follow_up_due
        )
        return f"Follow up on {late}."
    if flag == "unthanked":
        wins = [r.prospect for r in row.unthanked_wins()]
        was = "it was" if len(wins) == 1 else "they were"
        return f"Thank {partner.name} for {', '.join(wins)}: {was} won."
    if flag == "one-way":
        owed = _plural(abs(row.balance), "referral")
        if row.balance > 0:
            return f"We owe them {owed}: they sent us {row.received}, we sent {row.given}."
        return f"They owe us {owed}: we sent {row.given}, they sent {row.received}."
    if flag == "dry-spell":
        if row.last_referral:
            days = (today - row.last_referral).days
            return (
                f"No referral either way for {_plural(days, 'day')} "
                f"(the last on {date(row.last_referral)})."
            )
        since = date(partner.since) if partner.since else "the start"
        return f"No referral either way since the partnership began on {since}."
    raise ValueError(f"unknown flag {flag!r}")  # a refkit bug


def attention_list(
    rows: list[ScoreRow], today: dt.date, date: DateFormat = _iso
) -> list[Attention]:
    """A plain sentence for every flag, the most urgent partner first (dates by ``date``)."""
    return [
        Attention(row.slug, row.partner.display_name, flag, _sentence(row, flag, today, date))
        for row in rows
        for flag in row.flags
    ]


def upcoming(rows: list[ScoreRow], today: dt.date, days: int = UPCOMING_DAYS) -> list[Upcoming]:
    """Check-ins and open follow-ups due from today to ``days`` ahead, soonest first."""
    until = days_after(today, days)
    out: list[Upcoming] = []
    for row in rows:
        due = row.check_in_due
        if due is not None and today <= due <= until and row.partner.status != "retired":
            out.append(Upcoming(due, row.slug, row.partner.name, "Check-in"))
        for entry in row.referrals:
            follow = entry.follow_up_due
            if entry.is_open and follow is not None and today <= follow <= until:
                what = f"Follow up on {entry.prospect} ({entry.status})"
                out.append(Upcoming(follow, row.slug, row.partner.name, what))
    return sorted(out, key=lambda u: (u.date, u.slug, u.what))


def monthly_counts(
    project: Project, today: dt.date, months: int = CHART_MONTHS
) -> list[dict[str, Any]]:
    """Referrals received and given per month, for the last ``months`` months."""
    first = _add_months(today.replace(day=1), -(months - 1))
    buckets: list[dict[str, Any]] = [
        {"month": _add_months(first, i), "received": 0, "given": 0} for i in range(months)
    ]
    index = {(b["month"].year, b["month"].month): b for b in buckets}
    for entry in project.referrals:
        bucket = index.get((entry.date.year, entry.date.month))
        if bucket is not None and entry.date <= today:
            bucket[entry.direction] += 1
    return buckets


def _add_months(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + day.month - 1 + months
    return dt.date(total // 12, total % 12 + 1, 1)


def chart_svg(buckets: list[dict[str, Any]]) -> Markup:
    """A grouped bar chart (received vs given per month) as accessible inline SVG."""
    width, height = 640, 240
    left, right, top, bottom = 30, 8, 18, 42
    plot_w, plot_h = width - left - right, height - top - bottom
    # at least 2, so that a month with one referral is not a full-height bar
    peak = max([b["received"] for b in buckets] + [b["given"] for b in buckets] + [2])
    tick = max(1, -(-peak // 4))  # at most five gridlines, whole numbers
    peak = -(-peak // tick) * tick
    step = plot_w / len(buckets)
    bar = step * 0.3
    first, last = buckets[0]["month"], buckets[-1]["month"]
    title = f"Referrals per month, {first:%B %Y} to {last:%B %Y}: received and given"
    desc = "; ".join(
        f"{b['month']:%B %Y}: {b['received']} received, {b['given']} given" for b in buckets
    )
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        'aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(desc)}</desc>',
    ]
    for value in range(0, peak + 1, tick):
        y = top + plot_h - plot_h * value / peak
        parts.append(
            f'<line class="grid{" base" if value == 0 else ""}" x1="{left}" '
            f'x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="axis" x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">{value}</text>'
        )
    for i, b in enumerate(buckets):
        x = left + i * step + (step - 2 * bar - 3) / 2
        for offset, key in ((0.0, "received"), (bar + 3, "given")):
            count = b[key]
            h = plot_h * count / peak
            y = top + plot_h - h
            label = f"{b['month']:%B %Y}: {count} {key}"
            parts.append(
                f'<rect class="{key}" x="{x + offset:.1f}" y="{y:.1f}" width="{bar:.1f}" '
                f'height="{h:.1f}" rx="2"><title>{label}</title></rect>'
            )
            if count:
                parts.append(
                    f'<text class="value" x="{x + offset + bar / 2:.1f}" y="{y - 5:.1f}" '
                    f'text-anchor="middle">{count}</text>'
                )
        centre = left + i * step + step / 2
        parts.append(
            f'<text class="axis" x="{centre:.1f}" y="{height - bottom + 18}" '
            f'text-anchor="middle">{b["month"]:%b}</text>'
        )
        if i == 0 or b["month"].month == 1:
            parts.append(
                f'<text class="axis year" x="{centre:.1f}" y="{height - bottom + 34}" '
                f'text-anchor="middle">{b["month"]:%Y}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def date_formats(language: str) -> tuple[DateFormat, DateFormat]:
    """(long, short) date formats as people write them: US or day-first order.

    en-US: 'Wednesday, November 25, 2026' and 'Nov 25, 2026';
    others: 'Wednesday 25 November 2026' and '25 Nov 2026'.
    """
    american = language.lower() in ("en-us", "en-ph")

    def long(day: dt.date) -> str:
        month = MONTH_NAMES[day.month - 1]
        weekday = f"{day:%A}"
        if american:
            return f"{weekday}, {month} {day.day}, {day.year}"
        return f"{weekday} {day.day} {month} {day.year}"

    def short(day: dt.date) -> str:
        month = MONTH_NAMES[day.month - 1][:3]
        return f"{month} {day.day}, {day.year}" if american else f"{day.day} {month} {day.year}"

    return long, short


def font_faces(project: Project) -> str:
    """@font-face rules for the site's typeface, as data: URLs (the project's copy first)."""
    rules = []
    for name, weight in REPORT_FONTS:
        source = project.root / "templates" / "static" / "webfonts" / name
        if not source.is_file():
            source = static_dir() / "webfonts" / name
        if not source.is_file():
            continue
        data = base64.b64encode(source.read_bytes()).decode("ascii")
        rules.append(
            f'@font-face {{ font-family: "Inter"; font-style: normal; font-weight: {weight}; '
            f'font-display: swap; src: url("data:font/woff2;base64,{data}") format("woff2"); }}'
        )
    return "\n".join(rules)


def _decided(row: ScoreRow) -> int:
    """How many referrals this partner sent us are decided (won, lost or not a fit)."""
    return sum(1 for r in row.referrals if r.direction == "received" and not r.is_open)


def conversion_label(row: ScoreRow, dash: str = "–") -> str:
    """'67%'; ``dash`` until a referral they sent us has been decided, won or not.

    Conversion is won / received (scorecard.py); while every referral received
    is still open, 0% would read as a verdict nobody has given yet.
    """
    if row.conversion is None or _decided(row) == 0:
        return dash
    return f"{round(row.conversion * 100)}%"


def render_report(ctx: BuildContext, rows: list[ScoreRow]) -> str:
    """``report/index.html``: the scorecard, the chart and the attention list."""
    project = ctx.project
    today = ctx.today
    env = make_environment(project.root)
    long_date, short_date = date_formats(project.business.site.language)
    received = sum(r.received for r in rows)
    won = sum(r.won for r in rows)
    decided = sum(_decided(r) for r in rows)
    totals = {
        "received": received,
        "given": sum(r.given for r in rows),
        "won": won,
        "won_value": sum(r.won_value for r in rows),
        "conversion": won / received if received and decided else None,
    }
    attention = attention_list(rows, today, short_date)
    groups = [
        {"row": row, "items": [a for a in attention if a.slug == row.slug]}
        for row in rows
        if row.flags
    ]
    buckets = monthly_counts(project, today)
    return render_template(
        env,
        "report/index.html",
        business=project.business,
        # "retired partners get no outputs" (the content model): the report too
        rows=[row for row in rows if row.partner.status != "retired"],
        today=today,
        today_long=long_date(today),
        short_date=short_date,
        conversion=conversion_label,
        fonts=Markup(font_faces(project)),
        totals=totals,
        attention=attention,
        attention_groups=groups,
        upcoming=upcoming(rows, today),
        upcoming_days=UPCOMING_DAYS,
        chart=chart_svg(buckets),
        chart_totals={
            "received": sum(b["received"] for b in buckets),
            "given": sum(b["given"] for b in buckets),
        },
        flag_labels=FLAG_LABELS,
        flag_meanings=FLAG_MEANINGS,
        brand=project.business.site.brand.color or "#1d4e5f",
    )


def _stamp(today: dt.date) -> dt.datetime:
    return dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC)


def _reach(partner: Partner) -> list[str]:
    return [
        f"{label}: {value}"
        for label, value in (("Phone", partner.phone), ("Email", partner.email))
        if value
    ]


def render_calendar(project: Project, rows: list[ScoreRow], today: dt.date) -> bytes:
    """``calendar.ics``: next check-ins and open follow-ups, with stable UIDs.

    All-day events rather than to-dos: Google Calendar, Outlook and Apple
    Calendar show events from a subscribed calendar but drop VTODOs.
    """
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//refkit//partner check-ins//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{project.business.name}: partner check-ins")
    calendar.add(
        "x-wr-caldesc", "Check-ins agreed with referral partners and follow-ups due (refkit)."
    )
    calendar.add("refresh-interval", dt.timedelta(hours=12), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT12H")
    stamp = _stamp(today)

    def event(uid: str, day: dt.date, summary: str, lines: list[str], category: str) -> Event:
        item = Event()
        item.add("uid", uid)
        item.add("dtstamp", stamp)
        item.add("dtstart", day)
        item.add("dtend", days_after(day, 1))
        item.add("summary", summary)
        item.add("description", "\n".join(lines))
        item.add("categories", [category])
        item.add("transp", "TRANSPARENT")  # a reminder, not a busy slot
        return item

    seen: dict[str, int] = {}
    for row in sorted(rows, key=lambda r: r.slug):
        partner = row.partner
        days = partner.agreement.check_in_days
        if row.check_in_due is not None and days and partner.status != "retired":
            lines = [
                f"Agreed cadence: {cadence_words(days)}.",
                f"Referrals received {row.received}, given {row.given}, balance {row.balance:+d}.",
                *(f"Expectation: {e}" for e in partner.agreement.expectations),
                *_reach(partner),
            ]
            overdue = " (overdue)" if row.check_in_due < today else ""
            calendar.add_component(
                event(
                    f"checkin-{row.slug}@refkit",
                    row.check_in_due,
                    f"Check in with {partner.display_name}{overdue}",
                    lines,
                    "Check-in",
                )
            )
        for entry in row.referrals:
            if entry.follow_up_due is None or not entry.is_open:
                continue
            key = f"{row.slug}|{entry.prospect}|{entry.date.isoformat()}|{entry.direction}"
            uid = f"followup-{hashlib.sha256(key.encode()).hexdigest()[:16]}"
            seen[uid] = seen.get(uid, 0) + 1
            if seen[uid] > 1:  # the same prospect logged twice on one day
                uid += f"-{seen[uid]}"
            way = "received from" if entry.direction == "received" else "given to"
            lines = [
                f"Status: {entry.status}. Referred on {entry.date.isoformat()}.",
                *_reach(partner),
            ]
            calendar.add_component(
                event(
                    f"{uid}@refkit",
                    entry.follow_up_due,
                    f"Follow up: {entry.prospect} ({way} {partner.name})",
                    lines,
                    "Follow-up",
                )
            )
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
    """The rows as a table on the terminal, what needs attention first.

    Colours only on a terminal; piped output is plain text, 150 columns wide.
    """
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    if not console.is_terminal:  # piped or redirected: don't squeeze into 80 columns
        console = Console(width=150, highlight=False)
    if not rows:
        console.print("No partners yet: add one as content/partners/SLUG.yaml.")
        return
    table = Table(
        title=f"Partner scorecard, {today.isoformat()}",
        title_justify="left",
        title_style="bold",
    )
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
        ("Conv", "right"),
        ("Last referral", "left"),
        ("Check-in", "left"),
        ("Flags", "left"),
    ):
        table.add_column(header, justify=justify)  # type: ignore[arg-type]
    for row in rows:
        flags = "\n".join(f"{f} ({row.owes})" if f == "one-way" else f for f in row.flags)
        balance_style = "green" if row.balance > 0 else ("red" if row.balance < 0 else "")
        due_style = "bold red" if "check-in-overdue" in row.flags else ""
        table.add_row(
            Text(row.partner.name, style="bold" if row.flags else ""),
            row.partner.kind,
            Text(row.partner.status, style="dim" if row.partner.status != "active" else ""),
            str(row.fit_score),
            str(row.received),
            str(row.given),
            Text(f"{row.balance:+d}" if row.balance else "0", style=balance_style),
            str(row.won),
            format_money(row.won_value),
            conversion_label(row, dash="-"),
            row.last_referral.isoformat() if row.last_referral else "-",
            Text(row.check_in_due.isoformat() if row.check_in_due else "-", style=due_style),
            Text(flags, style="red"),
        )
    console.print(table)
    todo = attention_list(rows, today)
    if todo:
        console.print(Text("\nNeeds attention", style="bold"))
        for row in rows:
            items = [item for item in todo if item.slug == row.slug]
            if not items:
                continue
            head = Text("  ")
            head.append(row.partner.display_name, style="bold")
            reach = " · ".join(v for v in (row.partner.phone, row.partner.email) if v)
            if reach:
                head.append(f"  {reach}", style="dim")
            console.print(head)
            for item in items:
                console.print(Text(f"    - {item.sentence}"))
    else:
        console.print("\nNothing needs attention: every partnership is on track.")
    console.print(
        Text(
            "\nBal = received - given (positive: we owe them referrals). Conv = won / received. "
            "Fit 0-100 from the qualifier checklist, the profiles they serve and price tier.",
            style="dim",
        )
    )
    console.print(
        Text(
            "Flags: " + "; ".join(f"{f} = {m}" for f, m in FLAG_MEANINGS.items()),
            style="dim",
        )
    )
