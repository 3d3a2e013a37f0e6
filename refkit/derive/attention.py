"""What needs doing about each partnership, as plain sentences: the report's and the table's.

Pure views of the scorecard rows (:mod:`refkit.derive.scorecard`): every flag
of every row becomes one sentence, the most urgent first, and the check-ins
and follow-ups due soon become a list of what is coming up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from refkit.derive.scorecard import DRY_SPELL_DAYS, ONE_WAY_THRESHOLD, ScoreRow
from refkit.errors import InternalError
from refkit.text.dates import DateFormat, days_after

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
    raise InternalError(f"unknown flag {flag!r}")


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


def decided_count(row: ScoreRow) -> int:
    """How many referrals this partner sent us are decided (won, lost or not a fit)."""
    return sum(1 for r in row.referrals if r.direction == "received" and not r.is_open)


def conversion_label(row: ScoreRow, dash: str = "–") -> str:
    """'67%'; ``dash`` until a referral they sent us has been decided, won or not.

    Conversion is won / received (scorecard.py), None while every referral
    received is still open: 0% would read as a verdict nobody has given yet.
    """
    if row.conversion is None:
        return dash
    return f"{round(row.conversion * 100)}%"
