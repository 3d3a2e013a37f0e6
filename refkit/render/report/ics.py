"""``calendar.ics``: the next check-in with each partner and open follow-ups, to subscribe to."""

from __future__ import annotations

import datetime as dt
import hashlib

from refkit.content.models import Partner
from refkit.content.project import Project
from refkit.derive.scorecard import ScoreRow
from refkit.text.dates import cadence_words, days_after


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
