"""Dates and spans of time in words."""

from __future__ import annotations

import pytest

from refkit.text.dates import cadence_words, period_words


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (30, "monthly"),
        (42, "every six weeks"),
        (45, "every six weeks"),
        (60, "every two months"),
        (90, "quarterly"),
        (120, "every four months"),
        (180, "twice a year"),
        (365, "yearly"),
        (17, "every 17 days"),
    ],
)
def test_cadence_words(days: int, words: str) -> None:
    assert cadence_words(days) == words


def test_cadence_in_words() -> None:
    expected = {
        7: "weekly",
        14: "every two weeks",
        30: "monthly",
        31: "monthly",
        42: "every six weeks",
        45: "every six weeks",
        60: "every two months",
        90: "quarterly",
        91: "quarterly",
        92: "quarterly",
        120: "every four months",
        180: "twice a year",
        182: "twice a year",
        365: "yearly",
        50: "every 50 days",
    }
    assert {days: cadence_words(days) for days in expected} == expected
    assert period_words(60) == "two months" and period_words(365) == "year"
    assert period_words(50) == "50 days"
