"""Dates and spans of time as people write them (English; US or day-first order)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

DateFormat = Callable[[dt.date], str]


#: month names in English, whatever the machine's locale (strftime's %B is not)
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


#: agreed check-in cadences people name in words: days -> (how often, how long)
_CADENCES = {
    1: ("daily", "day"),
    7: ("weekly", "week"),
    14: ("every two weeks", "two weeks"),
    30: ("monthly", "month"),
    31: ("monthly", "month"),
    42: ("every six weeks", "six weeks"),
    45: ("every six weeks", "six weeks"),
    60: ("every two months", "two months"),
    90: ("quarterly", "three months"),
    91: ("quarterly", "three months"),
    92: ("quarterly", "three months"),
    120: ("every four months", "four months"),
    180: ("twice a year", "six months"),
    182: ("twice a year", "six months"),
    365: ("yearly", "year"),
}


def cadence_words(days: int) -> str:
    """How often, in words: 30 -> 'monthly', 90 -> 'quarterly', 180 -> 'twice a year'.

    Reads after a verb ("we check in quarterly"); uncommon counts stay
    numbers ("every 50 days").
    """
    return _CADENCES.get(days, (f"every {days} days", ""))[0]


def period_words(days: int) -> str:
    """The same span as a length of time: 60 -> 'two months', 365 -> 'year', 50 -> '50 days'."""
    return _CADENCES.get(days, ("", f"{days} days"))[1]


#: weekday names in English, whatever the machine's locale (strftime's %A is not)
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class DateStyles:
    """How a site's language writes a date, in three lengths."""

    american: bool

    def long(self, day: dt.date) -> str:
        """'Wednesday, November 25, 2026' (US) or 'Wednesday 25 November 2026'."""
        weekday = WEEKDAY_NAMES[day.weekday()]
        return (
            f"{weekday}, {self.medium(day)}" if self.american else f"{weekday} {self.medium(day)}"
        )

    def medium(self, day: dt.date) -> str:
        """'November 25, 2026' (US) or '25 November 2026'."""
        return self._write(day, MONTH_NAMES[day.month - 1])

    def short(self, day: dt.date) -> str:
        """'Nov 25, 2026' (US) or '25 Nov 2026'."""
        return self._write(day, MONTH_NAMES[day.month - 1][:3])

    def _write(self, day: dt.date, month: str) -> str:
        if self.american:
            return f"{month} {day.day}, {day.year}"
        return f"{day.day} {month} {day.year}"


def date_styles(language: str) -> DateStyles:
    """The date styles of a BCP 47 language tag: month first for en-US and en-PH."""
    return DateStyles(american=language.lower() in ("en-us", "en-ph"))


def days_after(day: dt.date, days: int) -> dt.date:
    """``day`` plus ``days``, stopping at the last representable date (9999-12-31)."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max
