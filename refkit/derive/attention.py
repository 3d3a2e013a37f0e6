"""What needs doing about each partnership, as plain sentences: the report's and the table's.

Pure views of the scorecard rows (:mod:`refkit.derive.scorecard`): every flag
of every row becomes one sentence, the most urgent first, and the check-ins
and follow-ups due soon become a list of what is coming up.

:func:`overdue_items` is the one ranking of everything late, whatever its
kind, by how many days it is late (the report's "Needs attention" and the
calendar's "(N days overdue)" say the same number):

- a check-in is late from its ``check_in_due`` (the last touch plus the
  agreed cadence);
- a follow-up from the open referral's ``follow_up_due``;
- an unthanked win from the referral's ``date``: the ledger records no date
  of the win, and the introduction was what earned the thanks, so a win
  introduced in January and still unthanked in June is five months late.

Retired partners are in none of these views: they get no outputs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from refkit.content.models import Referral
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

#: the flags that are something late, ranked together by days overdue
OVERDUE_FLAGS = ("check-in-overdue", "follow-up-due", "unthanked")
#: the email draft that resolves each kind of overdue item (see :func:`resolving_template`)
RESOLVED_BY = {"check-in-overdue": "check-in", "unthanked": "thank-you"}

#: the next step on an open referral, by direction and status: on one they
#: sent us, the next step is ours; on one we sent them, we ask how it went
NEXT_STEPS = {
    ("received", "introduced"): "Book the first meeting",
    ("received", "meeting"): "Send the proposal",
    ("received", "proposal"): "Ask for a decision",
    ("given", "introduced"): "Ask whether they have met",
    ("given", "meeting"): "Ask how the meeting went",
    ("given", "proposal"): "Ask whether they won it",
}


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


@dataclass(frozen=True)
class Overdue:
    """One late thing (a check-in, a follow-up, a thank-you), with how late it is."""

    #: the scorecard flag it comes from (one of OVERDUE_FLAGS)
    flag: str
    slug: str
    name: str
    #: the day it became due
    due: dt.date
    days: int
    sentence: str
    #: the referral it is about (a follow-up, an unthanked win), None for a check-in
    referral: Referral | None = None


@dataclass(frozen=True)
class OpenReferral:
    """A referral still in play (introduced, meeting, proposal), either way."""

    slug: str
    name: str
    referral: Referral
    #: days since the referral was made
    age: int
    next_step: str
    #: the follow-up date has passed
    late: bool


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


def current(rows: list[ScoreRow]) -> list[ScoreRow]:
    """The rows of partners that get outputs: every status but ``retired``."""
    return [row for row in rows if row.partner.status != "retired"]


def next_step(entry: Referral) -> str:
    """What to do next on an open referral ('Book the first meeting'); '' once decided."""
    return NEXT_STEPS.get((entry.direction, entry.status), "")


def overdue_items(rows: list[ScoreRow], today: dt.date, date: DateFormat = _iso) -> list[Overdue]:
    """Every late check-in, follow-up and thank-you, the most days overdue first.

    One ranking across kinds (see the module docstring for when each became
    due); ties go check-in, follow-up, thank-you, then by partner and prospect.
    """
    out: list[Overdue] = []
    for row in current(rows):
        if "check-in-overdue" in row.flags and row.check_in_due is not None:
            sentence = _sentence(row, "check-in-overdue", today, date)
            out.append(_late("check-in-overdue", row, row.check_in_due, today, sentence))
        for entry in row.late_follow_ups(today):
            if entry.follow_up_due is None:
                continue
            way = "they sent us" if entry.direction == "received" else "we sent them"
            step = next_step(entry)
            sentence = (
                f"Follow up on {entry.prospect} ({way}, {entry.status}), due "
                f"{date(entry.follow_up_due)}: {step[:1].lower()}{step[1:]}."
            )
            out.append(_late("follow-up-due", row, entry.follow_up_due, today, sentence, entry))
        for entry in row.unthanked_wins():
            sentence = (
                f"Thank {row.partner.name} for {entry.prospect}: introduced on "
                f"{date(entry.date)} and won."
            )
            out.append(_late("unthanked", row, entry.date, today, sentence, entry))
    return sorted(
        out,
        key=lambda o: (
            -o.days,
            OVERDUE_FLAGS.index(o.flag),
            o.slug,
            o.referral.prospect if o.referral else "",
        ),
    )


def _late(
    flag: str,
    row: ScoreRow,
    due: dt.date,
    today: dt.date,
    sentence: str,
    referral: Referral | None = None,
) -> Overdue:
    days = max(0, (today - due).days)
    return Overdue(flag, row.slug, row.partner.display_name, due, days, sentence, referral)


def resolving_template(flag: str, referral: Referral | None = None) -> str | None:
    """The email template whose draft settles a flag: the check-in, the thank-you.

    A follow-up on a referral we gave is asked about in the check-in with
    that partner; one on a referral they sent us is a call or email to the
    prospect, for which refkit writes no draft (None).
    """
    if flag == "follow-up-due":
        given = referral is not None and referral.direction == "given"
        return "check-in" if given else None
    return RESOLVED_BY.get(flag)


def open_referrals(rows: list[ScoreRow], today: dt.date) -> list[OpenReferral]:
    """Referrals still in play both ways: the earliest follow-up date first, then the oldest."""
    out = [
        OpenReferral(
            row.slug,
            row.partner.name,
            entry,
            max(0, (today - entry.date).days),
            next_step(entry),
            entry.follow_up_due is not None and entry.follow_up_due < today,
        )
        for row in current(rows)
        for entry in row.referrals
        if entry.is_open and entry.date <= today
    ]
    return sorted(
        out,
        key=lambda o: (
            o.referral.follow_up_due or dt.date.max,
            -o.age,
            o.slug,
            o.referral.prospect,
        ),
    )


def upcoming(rows: list[ScoreRow], today: dt.date, days: int = UPCOMING_DAYS) -> list[Upcoming]:
    """Check-ins and open follow-ups due from today to ``days`` ahead, soonest first."""
    until = days_after(today, days)
    out: list[Upcoming] = []
    for row in current(rows):
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
