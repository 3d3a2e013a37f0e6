"""Numbers as printed: employee ranges (one formatter for site and PDFs)."""

from __future__ import annotations

import pytest

from refkit.text.formats import employees_label, employees_range


@pytest.mark.parametrize(
    ("low", "high", "span"),
    [
        (40, 250, "40–250"),
        (1000, 5000, "1,000–5,000"),
        (12, 12, "12"),
        (100, None, "100+"),
        (None, 50, "up to 50"),
        (None, None, None),
    ],
)
def test_employee_range(low: int | None, high: int | None, span: str | None) -> None:
    assert employees_range(low, high) == span
    assert employees_label(low, high) == (f"{span} employees" if span else None)
