"""What a partner with ``share_progress: true`` sees of the ledger: counts, nothing else.

The ledger is private (names, values, notes); this is its one view that goes
to a partner, on their private page only. :class:`SharedProgress` holds
numbers and a date, so that no template given it can print a prospect's name,
a deal's value or a note, however it is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from refkit.content.project import Project


@dataclass(frozen=True)
class SharedProgress:
    """A partner's introductions both ways, and how many became clients, as of ``updated``."""

    #: introductions the partner made to us (received), and how many of them we won
    to_us: int
    to_us_won: int
    #: introductions we made to the partner (given), and how many they won
    to_them: int
    to_them_won: int
    updated: dt.date

    @property
    def none_yet(self) -> bool:
        """No introduction either way yet."""
        return not (self.to_us or self.to_them)


def shared_progress(project: Project, slug: str, today: dt.date) -> SharedProgress | None:
    """The counts partner ``slug`` is shown as of ``today``, or None when they are not.

    Only a partner who gets outputs, has a private page and ``share_progress``
    set; a partner with a public page or none sees nothing (``refkit check``
    warns). An entry dated after ``today`` is not counted yet: the page says
    what was true on the date it shows.
    """
    partner = project.active_partners().get(slug)
    if partner is None or not partner.share_progress or partner.page != "private":
        return None
    entries = [r for r in project.referrals_with(slug) if r.date <= today]
    received = [r for r in entries if r.direction == "received"]
    given = [r for r in entries if r.direction == "given"]
    return SharedProgress(
        to_us=len(received),
        to_us_won=sum(r.status == "won" for r in received),
        to_them=len(given),
        to_them_won=sum(r.status == "won" for r in given),
        updated=today,
    )
