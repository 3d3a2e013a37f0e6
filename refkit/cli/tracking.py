"""The partner scorecard on the terminal (`refkit partners`) and as JSON."""

from __future__ import annotations

import datetime as dt
from typing import Any

from refkit.derive.attention import FLAG_MEANINGS, attention_list, conversion_label
from refkit.derive.scorecard import ScoreRow
from refkit.text.money import format_money


def scorecard_json(rows: list[ScoreRow]) -> list[dict[str, Any]]:
    """The rows as JSON-ready dicts (the keys of `refkit partners --json`)."""
    return [row.as_json() for row in rows]


def print_scorecard(rows: list[ScoreRow], today: dt.date, language: str = "en") -> None:
    """The rows as a table on the terminal, what needs attention first.

    Amounts are written in each row's currency as ``language`` (``site.language``)
    writes them. Colours only on a terminal; piped output is plain text, 150
    columns wide.
    """
    from rich.console import Console

    console = Console(highlight=False)
    if not console.is_terminal:  # piped or redirected: don't squeeze into 80 columns
        console = Console(width=150, highlight=False)
    if not rows:
        console.print("No partners yet: add one as content/partners/SLUG.yaml.")
        return
    console.print(_table(rows, today, language))
    _print_attention(console, rows, today)
    _print_legend(console)


def _table(rows: list[ScoreRow], today: dt.date, language: str) -> Any:
    """The scorecard as a rich Table, one row a partner."""
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=f"Partner scorecard, {today.isoformat()}",
        title_justify="left",
        title_style="bold",
    )
    for header, justify in (
        ("Partner", "left"),
        ("Kind", "left"),
        ("Status", "left"),
        ("Fit", "right"),
        ("Recv", "right"),
        ("Given", "right"),
        ("Bal", "right"),
        ("Won", "right"),
        ("Won value", "right"),
        ("Conv", "right"),
        ("Last referral", "left"),
        ("Check-in", "left"),
        ("Flags", "left"),
    ):
        table.add_column(header, justify=justify)  # type: ignore[arg-type]
    for row in rows:
        flags = "\n".join(f"{f} ({row.owes})" if f == "one-way" else f for f in row.flags)
        balance_style = "green" if row.balance > 0 else ("red" if row.balance < 0 else "")
        due_style = "bold red" if "check-in-overdue" in row.flags else ""
        table.add_row(
            Text(row.partner.name, style="bold" if row.flags else ""),
            row.partner.kind,
            Text(row.partner.status, style="dim" if row.partner.status != "active" else ""),
            str(row.fit_score),
            str(row.received),
            str(row.given),
            Text(f"{row.balance:+d}" if row.balance else "0", style=balance_style),
            str(row.won),
            format_money(row.won_value, row.currency, language),
            conversion_label(row, dash="-"),
            row.last_referral.isoformat() if row.last_referral else "-",
            Text(row.check_in_due.isoformat() if row.check_in_due else "-", style=due_style),
            Text(flags, style="red"),
        )
    return table


def _print_attention(console: Any, rows: list[ScoreRow], today: dt.date) -> None:
    """What needs attention, grouped by partner, with how to reach them."""
    from rich.text import Text

    todo = attention_list(rows, today)
    if todo:
        console.print(Text("\nNeeds attention", style="bold"))
        for row in rows:
            items = [item for item in todo if item.slug == row.slug]
            if not items:
                continue
            head = Text("  ")
            head.append(row.partner.display_name, style="bold")
            reach = " · ".join(v for v in (row.partner.phone, row.partner.email) if v)
            if reach:
                head.append(f"  {reach}", style="dim")
            console.print(head)
            for item in items:
                console.print(Text(f"    - {item.sentence}"))
    else:
        console.print("\nNothing needs attention: every partnership is on track.")


def _print_legend(console: Any) -> None:
    """What the abbreviations and flags mean."""
    from rich.text import Text

    console.print(
        Text(
            "\nBal = received - given (positive: we owe them referrals). Conv = won / received. "
            "Fit 0-100 from the qualifier checklist, the profiles they serve and price tier.",
            style="dim",
        )
    )
    console.print(
        Text(
            "Flags: " + "; ".join(f"{f} = {m}" for f, m in FLAG_MEANINGS.items()),
            style="dim",
        )
    )
