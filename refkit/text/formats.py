"""Numbers as they are printed: employee ranges (money: :mod:`refkit.text.money`)."""

from __future__ import annotations


def employees_range(low: int | None, high: int | None) -> str | None:
    """'40–250', '1,000+', 'up to 50', '12' (min equals max); None when both are None."""
    if low is not None and high is not None:
        return f"{low:,}–{high:,}" if low != high else f"{low:,}"
    if low is not None:
        return f"{low:,}+"
    if high is not None:
        return f"up to {high:,}"
    return None


def employees_label(low: int | None, high: int | None) -> str | None:
    """The range in a sentence: '40–250 employees', 'up to 50 employees'; or None."""
    span = employees_range(low, high)
    return f"{span} employees" if span is not None else None
