"""The partner scorecard: one computation shared by `refkit partners`, the report,
the calendar and the check-in / thank-you emails.

fit_score (0-100) is a weighted average over three kinds of evidence, each
scored 1 for yes, 0.5 for unknown and 0 for no:

- the nine qualifiers of the fit checklist (true / null / false), weight 1 each;
- whether the partner serves at least one of our profiles, weight 2
  (unknown when the partner lists none);
- price-tier match: the partner's `price_tier` equal to ours, weight 1
  (unknown when either is missing). This is the recorded tiers; the
  `price_tier_match` qualifier is the owner's judgement and counts on its own.

score = round(100 * sum(weight * value) / sum(weight)), total weight 12. A
partner about whom nothing is known scores 50; every "no" pulls it down,
every "yes" up.

The flags, as of ``today``:

- ``one-way``: |received - given| >= 2 (``owes`` says which side owes);
- ``dry-spell``: an active partner with no referral either way for 90 days or
  more (counted from ``since`` when there has been none);
- ``check-in-overdue``: ``check_in_due`` (the last touch, else ``since``, plus
  ``agreement.check_in_days``) is before today; never for retired partners.
  A touch is a referral either way or an entry of ``content/activity.yaml``
  (a check-in, meeting or call): the last of any kind restarts the cadence;
- ``unthanked``: a received referral that was won and is not ``thanked``;
- ``follow-up-due``: an open referral (introduced, meeting, proposal) whose
  ``follow_up_due`` is before today.
"""

from __future__ import annotations

import datetime as dt
import math
import weakref
from dataclasses import dataclass, field
from typing import Any

from refkit.content.models import Partner, Referral, Touch
from refkit.content.project import Project
from refkit.text.dates import days_after

DRY_SPELL_DAYS = 90
ONE_WAY_THRESHOLD = 2
_QUALIFIER_VALUE = {True: 1.0, None: 0.5, False: 0.0}

#: flags in the order they need attention
FLAG_ORDER = ("check-in-overdue", "follow-up-due", "unthanked", "one-way", "dry-spell")


@dataclass(frozen=True)
class ScoreRow:
    """The scorecard of one partner."""

    slug: str
    partner: Partner
    fit_score: int
    received: int
    given: int
    balance: int
    won: int
    won_value: float
    #: won / received; None until a referral they sent us is decided (won, lost, not a fit)
    conversion: float | None
    last_referral: dt.date | None
    check_in_due: dt.date | None
    flags: tuple[str, ...]
    #: who owes whom when one-way: "we owe them" or "they owe us"
    owes: str | None = None
    #: the ISO 4217 code of ``won_value`` (``business.currency``)
    currency: str = "USD"
    referrals: tuple[Referral, ...] = field(default=(), repr=False)
    #: the last check-in, meeting or call on record (content/activity.yaml)
    last_check_in: dt.date | None = None
    #: the last touch of any kind: that, or a referral either way
    last_touch: dt.date | None = None
    touches: tuple[Touch, ...] = field(default=(), repr=False)

    @property
    def name(self) -> str:
        """The partner's name."""
        return self.partner.name

    def unthanked_wins(self) -> list[Referral]:
        """Referrals this partner sent us that were won and not yet thanked."""
        return [r for r in self.referrals if _unthanked(r)]

    def late_follow_ups(self, today: dt.date) -> list[Referral]:
        """Open referrals whose follow-up date is before ``today``."""
        return [r for r in self.referrals if _follow_up_late(r, today)]

    def as_json(self) -> dict[str, Any]:
        """The row with exactly the keys of `refkit partners --json`."""
        return {
            "slug": self.slug,
            "name": self.partner.name,
            "company": self.partner.company,
            "kind": self.partner.kind,
            "status": self.partner.status,
            "fit_score": self.fit_score,
            "received": self.received,
            "given": self.given,
            "balance": self.balance,
            "won": self.won,
            "won_value": self.won_value,
            "conversion": self.conversion,
            "last_referral": _iso(self.last_referral),
            "last_check_in": _iso(self.last_check_in),
            "check_in_due": _iso(self.check_in_due),
            "flags": list(self.flags),
            "currency": self.currency,
        }


def fit_score(project: Project, partner: Partner) -> int:
    """The documented 0-100 fit score (see the module docstring)."""
    scores: list[tuple[float, float]] = [
        (1.0, _QUALIFIER_VALUE[value]) for _key, value in partner.qualifiers.items()
    ]
    if partner.serves:
        serves_ours = any(slug in project.profiles for slug in partner.serves)
        scores.append((2.0, 1.0 if serves_ours else 0.0))
    else:
        scores.append((2.0, 0.5))
    ours = project.business.price_tier
    if ours is None or partner.price_tier is None:
        scores.append((1.0, 0.5))
    else:
        scores.append((1.0, 1.0 if partner.price_tier == ours else 0.0))
    total = sum(weight for weight, _ in scores)
    return round(100 * sum(weight * value for weight, value in scores) / total)


def _score(project: Project, slug: str, today: dt.date) -> ScoreRow:
    """The scorecard row of one partner as of ``today``."""
    partner = project.partners[slug]
    entries = tuple(project.referrals_with(slug))
    received = [r for r in entries if r.direction == "received"]
    given = [r for r in entries if r.direction == "given"]
    won = [r for r in received if r.status == "won"]
    last = max((r.date for r in entries), default=None)
    # as of today: a touch dated later has not happened yet
    touches = tuple(t for t in project.touches_with(slug) if t.date <= today)
    last_check_in = max((t.date for t in touches), default=None)
    last_touch = max((d for d in (last, last_check_in) if d is not None), default=None)
    cadence = partner.agreement.check_in_days
    anchor = last_touch or partner.since
    check_in_due = days_after(anchor, cadence) if cadence and anchor else None
    balance = len(received) - len(given)

    flags: set[str] = set()
    owes = None
    if abs(balance) >= ONE_WAY_THRESHOLD:
        flags.add("one-way")
        owes = "we owe them" if balance > 0 else "they owe us"
    if partner.status == "active":
        quiet_since = last or partner.since
        if quiet_since is not None and (today - quiet_since).days >= DRY_SPELL_DAYS:
            flags.add("dry-spell")
    if check_in_due is not None and check_in_due < today and partner.status != "retired":
        flags.add("check-in-overdue")
    if any(_unthanked(r) for r in entries):
        flags.add("unthanked")
    if any(_follow_up_late(r, today) for r in entries):
        flags.add("follow-up-due")

    return ScoreRow(
        slug=slug,
        partner=partner,
        fit_score=fit_score(project, partner),
        received=len(received),
        given=len(given),
        balance=balance,
        won=len(won),
        won_value=math.fsum(r.value or 0 for r in won),  # values are finite, < 1e15
        # won / received, once a referral they sent is decided: 0% would be a verdict
        conversion=len(won) / len(received) if any(not r.is_open for r in received) else None,
        last_referral=last,
        check_in_due=check_in_due,
        flags=tuple(f for f in FLAG_ORDER if f in flags),
        owes=owes,
        currency=project.business.currency,
        referrals=entries,
        last_check_in=last_check_in,
        last_touch=last_touch,
        touches=touches,
    )


def compute_scorecard(project: Project, today: dt.date) -> list[ScoreRow]:
    """Every partner's row, what needs attention first (computed once per project and day)."""
    by_day = _COMPUTED.setdefault(project, {})
    if today not in by_day:
        rows = [_score(project, slug, today) for slug in project.partners]
        by_day[today] = sorted(rows, key=lambda row: _attention_key(row, today))
    return list(by_day[today])


def score_partner(project: Project, slug: str, today: dt.date) -> ScoreRow:
    """The scorecard row of one partner as of ``today`` (from :func:`compute_scorecard`)."""
    rows = {row.slug: row for row in compute_scorecard(project, today)}
    return rows[slug]


#: the rows of each project, by day: a build composes dozens of emails that
#: each need a partner's row, and a Project never changes once loaded
_COMPUTED: weakref.WeakKeyDictionary[Project, dict[dt.date, list[ScoreRow]]] = (
    weakref.WeakKeyDictionary()
)


def _attention_key(row: ScoreRow, today: dt.date) -> tuple[Any, ...]:
    retired = row.partner.status == "retired"
    urgency = min((FLAG_ORDER.index(f) for f in row.flags), default=len(FLAG_ORDER))
    due = row.check_in_due or dt.date.max
    return (retired, -len(row.flags) if row.flags else 0, urgency, due, row.slug)


def _unthanked(entry: Referral) -> bool:
    return entry.direction == "received" and entry.status == "won" and not entry.thanked


def _follow_up_late(entry: Referral, today: dt.date) -> bool:
    return entry.is_open and entry.follow_up_due is not None and entry.follow_up_due < today


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None
