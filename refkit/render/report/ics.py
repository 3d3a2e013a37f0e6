"""``calendar.ics``: what is due with each partner, to subscribe to.

A subscribed calendar must always show what is to do, so anything overdue (a
check-in, a follow-up) is dated **today**, with "(N days overdue)" in its
summary: each build moves it on, and the event keeps its UID, so a client
moves the event rather than adding a second one. What is not yet due stays
on its due date.

- **UIDs** are ``checkin-SLUG@DOMAIN`` and ``followup-HASH@DOMAIN``, stable
  across builds. DOMAIN is unique per installation: the host of
  ``site.base_url`` (with a hash of its path when the site lives in a
  folder, so two projects on one host differ), else a short keyed hash of
  the project's secret, under the reserved ``.invalid`` top-level domain.
  The hash is one-way: the secret cannot be read back from it.
- **DTSTAMP** is the build's day and **SEQUENCE** the number of days from
  2020-01-01 to it: it only grows, so a client that compares sequences takes
  each day's version over the last, and a rebuild on the same day is
  byte-identical.
- **VALARM**: one DISPLAY reminder at 9:00 on the day, ``TRIGGER;RELATED=
  START:PT9H`` (an all-day event starts at midnight of its date, floating in
  the reader's time zone). This is how Apple Calendar and Thunderbird write
  "on the day at 9 AM" (``-PT15H`` would be 9:00 the day before), and how
  they ring it. Google Calendar and Outlook ignore the alarms of a
  subscribed calendar and use their own default notifications for it: set
  one there once.
- Each **description** names the draft to send: its file under
  ``output/email/`` and the ``refkit email`` command that prints it.

Retired partners are absent: they get no outputs. All-day events rather than
to-dos: Google Calendar, Outlook and Apple Calendar show events from a
subscribed calendar but drop VTODOs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from urllib.parse import urlsplit

from refkit.content.models import Partner, Referral
from refkit.content.project import Project
from refkit.derive.attention import current, next_step
from refkit.derive.layout import OUTPUT_DIR
from refkit.derive.scorecard import ScoreRow
from refkit.render.report.drafts import Draft, resolving_draft
from refkit.text.dates import cadence_words, days_after

#: SEQUENCE counts days from here: it grows with every day's build
SEQUENCE_EPOCH = dt.date(2020, 1, 1)
#: the reminder of an all-day event: 9 hours after its start, 9:00 on the day
ALARM_AFTER_START = dt.timedelta(hours=9)


def calendar_domain(project: Project, secret: str) -> str:
    """The right-hand side of every UID: unique per installation, stable, not the secret."""
    base = project.business.site.base_url
    if base:
        parts = urlsplit(base)
        host = _ascii_host(parts.hostname or "")
        if host:
            path = parts.path.strip("/")
            if not path:
                return host
            return f"{hashlib.sha256(path.encode()).hexdigest()[:8]}.{host}"
    digest = hmac.new(secret.encode(), b"refkit-calendar-uid", hashlib.sha256).hexdigest()
    return f"{digest[:16]}.invalid"


def _ascii_host(host: str) -> str:
    import idna

    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        return ""


def _stamp(today: dt.date) -> dt.datetime:
    return dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC)


def _reach(partner: Partner) -> list[str]:
    return [
        f"{label}: {value}"
        for label, value in (("Phone", partner.phone), ("Email", partner.email))
        if value
    ]


def _overdue(days: int) -> str:
    return f" ({days} day{'' if days == 1 else 's'} overdue)"


def _draft_lines(draft: Draft | None) -> list[str]:
    """Where the draft to send is, and the command that prints it."""
    if draft is None:
        return []
    lines = []
    if draft.main is not None:
        others = ", ".join(f".{ext}" for ext in draft.formats[1:])
        lines.append(
            f"Draft to send: {OUTPUT_DIR}/{draft.main}" + (f" (also {others})" if others else "")
        )
    lines.append(f"Or print it: {draft.command}")
    return lines


def _follow_up_uid(row: ScoreRow, entry: Referral, seen: dict[str, int]) -> str:
    key = f"{row.slug}|{entry.prospect}|{entry.date.isoformat()}|{entry.direction}"
    uid = f"followup-{hashlib.sha256(key.encode()).hexdigest()[:16]}"
    seen[uid] = seen.get(uid, 0) + 1
    if seen[uid] > 1:  # the same prospect logged twice on one day
        uid += f"-{seen[uid]}"
    return uid


def render_calendar(project: Project, rows: list[ScoreRow], today: dt.date, secret: str) -> bytes:
    """``calendar.ics``: check-ins and open follow-ups, overdue ones on today's date."""
    from icalendar import Alarm, Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//refkit//partner check-ins//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{project.business.name}: partner check-ins")
    calendar.add(
        "x-wr-caldesc",
        "Check-ins agreed with referral partners and follow-ups due (refkit); "
        "anything overdue is on today's date.",
    )
    calendar.add("refresh-interval", dt.timedelta(hours=12), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT12H")
    stamp = _stamp(today)
    sequence = max(0, (today - SEQUENCE_EPOCH).days)
    domain = calendar_domain(project, secret)

    def event(uid: str, due: dt.date, summary: str, lines: list[str], category: str) -> Event:
        late = (today - due).days if due < today else 0
        day = today if late else due
        if late:
            summary += _overdue(late)
            lines = [f"Due on {due.isoformat()}, {late} day{'' if late == 1 else 's'} ago.", *lines]
        item = Event()
        item.add("uid", f"{uid}@{domain}")
        item.add("dtstamp", stamp)
        item.add("sequence", sequence)
        item.add("dtstart", day)
        item.add("dtend", days_after(day, 1))
        item.add("summary", summary)
        item.add("description", "\n".join(lines))
        item.add("categories", [category])
        item.add("transp", "TRANSPARENT")  # a reminder, not a busy slot
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", ALARM_AFTER_START, parameters={"RELATED": "START"})
        item.add_component(alarm)
        return item

    seen: dict[str, int] = {}
    for row in sorted(current(rows), key=lambda r: r.slug):
        partner = row.partner
        days = partner.agreement.check_in_days
        if row.check_in_due is not None and days:
            touch = row.last_touch.isoformat() if row.last_touch else "none on record"
            lines = [
                f"Agreed cadence: {cadence_words(days)}. Last touch: {touch}.",
                f"Referrals received {row.received}, given {row.given}, balance {row.balance:+d}.",
                *(f"Expectation: {e}" for e in partner.agreement.expectations),
                *_draft_lines(resolving_draft(project, row.slug, "check-in-overdue")),
                *_reach(partner),
            ]
            calendar.add_component(
                event(
                    f"checkin-{row.slug}",
                    row.check_in_due,
                    f"Check in with {partner.display_name}",
                    lines,
                    "Check-in",
                )
            )
        for entry in row.referrals:
            if entry.follow_up_due is None or not entry.is_open:
                continue
            way = "received from" if entry.direction == "received" else "given to"
            draft = resolving_draft(project, row.slug, "follow-up-due", entry)
            lines = [
                f"Status: {entry.status}. Referred on {entry.date.isoformat()}.",
                f"Next step: {next_step(entry)}.",
                *(
                    _draft_lines(draft)
                    if draft
                    else [f"No draft: contact {entry.prospect} directly."]
                ),
                # the prospect's address is not in the ledger; the partner's is
                *(_reach(partner) if entry.direction == "given" else []),
            ]
            calendar.add_component(
                event(
                    _follow_up_uid(row, entry, seen),
                    entry.follow_up_due,
                    f"Follow up on {entry.prospect}, {way} {partner.name}",
                    lines,
                    "Follow-up",
                )
            )
    return bytes(calendar.to_ical())
