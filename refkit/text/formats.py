"""Numbers as they are printed: money, employee ranges."""

from __future__ import annotations


def format_money(value: float | int | None) -> str:
    """12345.0 -> '12,345'; None -> ''."""
    if value is None:
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


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
