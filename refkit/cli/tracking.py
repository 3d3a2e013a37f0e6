"""The partner scorecard on the terminal (`refkit partners`), as JSON and CSV, and the links.

The table fits the width it is given (the terminal's, ``COLUMNS``, else 150
when piped) by choosing a layout, never by cutting a figure:

- roomy (about 160 columns and up): one row a partner, Kind and Status in
  columns of their own, as in a spreadsheet;
- wide (about 130-160): the same row, Kind and Status under the name,
  headers on two lines;
- lines (narrower): line 1 the name and the figures, line 2 kind, status
  and the dates that no longer fit on line 1, line 3 the flags. At 80
  columns line 1 holds fit, referrals both ways, balance, wins, their
  value, conversion and the check-in due date.

Which layout is the first whose figures fit whole; names may wrap, numbers,
dates and amounts never. Every figure is the one `--json` gives (a dash
where JSON has null).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from refkit.derive.attention import (
    FLAG_MEANINGS,
    OVERDUE_FLAGS,
    attention_list,
    conversion_label,
    current,
    overdue_items,
)
from refkit.derive.scorecard import ScoreRow
from refkit.text.money import format_money

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from refkit.derive.links import PartnerLinks

#: the width when output is piped and ``COLUMNS`` is unset: a file, not a screen
PIPED_WIDTH = 150
#: narrower than this is laid out as this wide (a figure line needs about 40)
MIN_WIDTH = 40
#: what a cell shows where JSON has null
DASH = "-"
#: a name gets at least this room on line 1 before a figure moves to line 2
NAME_ROOM = 18
#: the columns of `--csv` after those of `--json`, for a round trip through
#: `refkit import partners`
CONTACT_KEYS = ("role", "email", "phone", "website")


@dataclass(frozen=True)
class Figure:
    """One figure of the scorecard: its `--json` key and how the layouts name it."""

    key: str
    header: str
    short: str
    #: before the value on a partner's second line ("last referral 2026-04-01")
    label: str


FIGURES = (
    Figure("fit_score", "Fit", "Fit", "fit"),
    Figure("received", "Recv", "Recv", "received"),
    Figure("given", "Given", "Given", "given"),
    Figure("balance", "Bal", "Bal", "balance"),
    Figure("won", "Won", "Won", "won"),
    Figure("won_value", "Won value", "Value", "won value"),
    Figure("conversion", "Conv", "Conv", "conversion"),
    Figure("last_referral", "Last referral", "Last ref.", "last referral"),
    Figure("last_check_in", "Last check-in", "Checked in", "last check-in"),
    Figure("check_in_due", "Check-in due", "Due", "check-in due"),
)
#: the figures that move to line 2 first when line 1 runs out of room
_MOVABLE = ("last_check_in", "last_referral", "check_in_due")


# ----------------------------------------------------------------------------- data


def scorecard_json(rows: list[ScoreRow]) -> list[dict[str, Any]]:
    """The rows as JSON-ready dicts (the keys of `refkit partners --json`)."""
    return [row.as_json() for row in rows]


def scorecard_csv(rows: list[ScoreRow]) -> bytes:
    """The rows as CSV: the `--json` keys, then role, email, phone and website.

    UTF-8 with a byte-order mark, so Excel reads accents right (Python reads
    it with ``encoding="utf-8-sig"``); CRLF line ends; null is an empty cell;
    flags are joined by ``;``; numbers are written as JSON writes them. No
    partners, no rows and no header (as `--json` gives ``[]``).
    """
    records = scorecard_json(rows)
    if not records:
        return b""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*records[0], *CONTACT_KEYS])
    writer.writeheader()
    for row, record in zip(rows, records, strict=True):
        partner = row.partner
        contact = (partner.role, partner.email, partner.phone, partner.website)
        record.update(
            {k: None if v is None else str(v) for k, v in zip(CONTACT_KEYS, contact, strict=True)}
        )
        writer.writerow({key: _csv_cell(value) for key, value in record.items()})
    return out.getvalue().encode("utf-8-sig")


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, bool | int | float):
        return json.dumps(value)
    return str(value)


def figure_cells(row: ScoreRow, language: str) -> dict[str, str]:
    """Each figure of a row as the table shows it, by `--json` key."""
    return {
        "fit_score": str(row.fit_score),
        "received": str(row.received),
        "given": str(row.given),
        "balance": f"{row.balance:+d}" if row.balance else "0",
        "won": str(row.won),
        "won_value": format_money(row.won_value, row.currency, language),
        "conversion": conversion_label(row, dash=DASH),
        "last_referral": _day(row.last_referral),
        "last_check_in": _day(row.last_check_in),
        "check_in_due": _day(row.check_in_due),
    }


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else DASH


def flag_words(row: ScoreRow) -> list[str]:
    """The row's flags as shown: ``one-way (we owe them)`` says which side owes."""
    return [f"{f} ({row.owes})" if f == "one-way" and row.owes else f for f in row.flags]


# ----------------------------------------------------------------------------- width


def scorecard_width(environ: dict[str, str] | None = None, *, is_terminal: bool) -> int:
    """How wide to lay out: ``COLUMNS`` when set, else the terminal's, else PIPED_WIDTH.

    rich honours ``COLUMNS`` only in some cases (not on a dumb terminal, not
    when stdin is a terminal and stdout a pipe), so the width is decided here.
    """
    import shutil

    env = os.environ if environ is None else environ
    columns = env.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return max(int(columns), MIN_WIDTH)
    if is_terminal:
        return max(shutil.get_terminal_size((80, 24)).columns, MIN_WIDTH)
    return PIPED_WIDTH


def make_console() -> Console:
    """A console as wide as :func:`scorecard_width` says; colours only on a terminal."""
    import sys

    from rich.console import Console

    is_terminal = sys.stdout.isatty()
    width = scorecard_width(is_terminal=is_terminal)
    return Console(highlight=False, width=width, height=25, force_terminal=is_terminal or None)


# ----------------------------------------------------------------------------- the table


def print_scorecard(
    rows: list[ScoreRow], today: dt.date, language: str = "en", console: Console | None = None
) -> None:
    """The rows on the terminal, what needs attention first, in a layout that fits.

    Amounts are written in each row's currency as ``language`` (``site.language``)
    writes them. Colours only on a terminal.
    """
    console = console or make_console()
    if not rows:
        console.print("No partners yet: add one as content/partners/SLUG.yaml.")
        return
    width = console.width
    table = _fitting_table(console, rows, today, language, width)
    if table is not None:
        console.print(table, crop=False)  # a misfit shows, never cut silently
    else:
        for line in scorecard_lines(rows, today, language, width):
            console.print(line, no_wrap=True, overflow="ignore", crop=False)
    _print_attention(console, rows, today)
    _print_legend(console)


def _fitting_table(
    console: Console, rows: list[ScoreRow], today: dt.date, language: str, width: int
) -> Table | None:
    """The roomiest rich table whose figures all fit in ``width``, or None."""
    from rich.measure import Measurement

    for roomy in (True, False):
        table = _table(rows, today, language, roomy=roomy)
        need = Measurement.get(console, console.options.update_width(10_000), table).minimum
        if need <= width:
            return table
    return None


def _table(rows: list[ScoreRow], today: dt.date, language: str, *, roomy: bool) -> Table:
    """One row a partner; Kind and Status in columns (``roomy``) or under the name."""
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=f"Partner scorecard, {today.isoformat()}",
        title_justify="left",
        title_style="bold",
    )
    cells = [figure_cells(row, language) for row in rows]
    names = [_name_cell(row, with_kind=not roomy) for row in rows]
    table.add_column(
        "Partner", overflow="fold", min_width=min(NAME_ROOM - 2, _widest(r.name for r in rows))
    )
    if roomy:
        for header, key in (("Kind", "kind"), ("Status", "status")):
            width = _widest([header, *(getattr(r.partner, key) for r in rows)])
            table.add_column(header, no_wrap=True, min_width=width)
    for figure in FIGURES:
        header = figure.header if roomy else figure.header.replace(" ", "\n", 1)
        values = [c[figure.key] for c in cells]
        width = max(_widest(values), *(cell_len(h) for h in header.split("\n")))
        justify = "left" if figure.key in _MOVABLE else "right"
        table.add_column(header, justify=justify, no_wrap=True, min_width=width)  # type: ignore[arg-type]
    flags = [flag_words(row) for row in rows]
    table.add_column("Flags", overflow="fold", min_width=min(16, _widest(sum(flags, []) or [""])))
    for row, name, row_cells, row_flags in zip(rows, names, cells, flags, strict=True):
        status = Text(row.partner.status, style="dim" if row.partner.status != "active" else "")
        columns: list[Any] = [name, *((row.partner.kind, status) if roomy else ())]
        for figure in FIGURES:
            columns.append(Text(row_cells[figure.key], style=_style(row, figure.key)))
        columns.append(Text("\n".join(row_flags), style="red"))
        table.add_row(*columns)
    return table


def _name_cell(row: ScoreRow, *, with_kind: bool) -> Text:
    from rich.text import Text

    cell = Text(row.partner.name, style="bold" if row.flags else "")
    if with_kind:
        cell.append(f"\n{row.partner.kind} · {row.partner.status}", style="dim")
    return cell


def _style(row: ScoreRow, key: str) -> str:
    """Owing is what needs attention (yellow), being owed is neutral; overdue is red."""
    if key == "balance" and row.balance > 0:
        return "yellow"
    if key == "check_in_due" and "check-in-overdue" in row.flags:
        return "bold red"
    return ""


def _widest(texts: Iterable[str]) -> int:
    from rich.cells import cell_len

    return max((cell_len(t) for t in texts), default=0)


# ----------------------------------------------------------------------------- lines


@dataclass(frozen=True)
class _LineLayout:
    """Which figures line 1 holds, their headers, and the space between columns."""

    figures: tuple[Figure, ...]
    short: bool
    gap: int


def _line_layouts() -> list[_LineLayout]:
    """From roomy to tight: every figure on line 1, then the dates move to line 2.

    The last, for the narrowest screens, moves the amount as well.
    """
    layouts: list[_LineLayout] = []
    for short, gap, moved in (
        (False, 2, ()),
        (False, 2, _MOVABLE[:1]),
        (False, 2, _MOVABLE[:2]),
        (True, 1, _MOVABLE[:2]),
        (True, 1, _MOVABLE),
        (True, 1, (*_MOVABLE, "won_value")),
    ):
        figures = tuple(f for f in FIGURES if f.key not in moved)
        layouts.append(_LineLayout(figures, short, gap))
    return layouts


def _choose_line_layout(width: int, cells: list[dict[str, str]], longest_name: int) -> Any:
    """The roomiest layout leaving the names enough room, and that room (0: a line each).

    First the amount stays on line 1 and names get NAME_ROOM; then names may
    wrap at 10 and the amount may move; else the name goes on a line of its own.
    """
    layouts = _line_layouts()
    for candidates, wanted in (
        (layouts[:-1], min(longest_name, NAME_ROOM)),
        (layouts, min(longest_name, 10)),
    ):
        for layout in candidates:
            room = width - _figures_width(layout, cells)
            if room >= wanted:
                return layout, min(room, longest_name)
    return layouts[-1], 0


def scorecard_lines(rows: list[ScoreRow], today: dt.date, language: str, width: int) -> list[Text]:
    """The scorecard as lines no wider than ``width`` (at least MIN_WIDTH), 2-3 a partner."""
    from rich.text import Text

    width = max(width, MIN_WIDTH)
    cells = [figure_cells(row, language) for row in rows]
    chosen, name_width = _choose_line_layout(
        width, cells, _widest(row.partner.name for row in rows)
    )
    widths = _column_sizes(chosen, cells)
    gap = " " * chosen.gap

    def figure_line(first: str, values: list[tuple[str, str]], name_style: str = "") -> Text:
        line = Text(first, style=name_style)
        line.pad_right(max(name_width - line.cell_len, 0))
        for index, ((value, style), size) in enumerate(zip(values, widths, strict=True)):
            if index or name_width:
                line.append(gap)
            line.append(value.rjust(size), style=style)
        return line

    headers = [((f.short if chosen.short else f.header), "bold") for f in chosen.figures]
    head = figure_line("Partner" if name_width else "", headers, name_style="bold")
    out = [Text(f"Partner scorecard, {today.isoformat()}", style="bold")]
    if not name_width:
        out.append(Text("Partner", style="bold"))
    out += [head, Text("─" * head.cell_len, style="dim")]
    on_line_1 = {f.key for f in chosen.figures}
    for row, row_cells in zip(rows, cells, strict=True):
        values = [(row_cells[f.key], _style(row, f.key)) for f in chosen.figures]
        bold = "bold" if row.flags else ""
        if name_width == 0:  # too narrow to share: the name has a line of its own
            out.extend(Text(part, style=bold) for part in _wrap_name(row.partner.name, width))
            out.append(figure_line("", values))
        else:
            first, *more = _wrap_name(row.partner.name, name_width)
            out.append(figure_line(first, values, name_style=bold))
            out.extend(Text(part, style=bold) for part in more)
        details = [f"{row.partner.kind} · {row.partner.status}"] + [
            f"{f.label} {row_cells[f.key]}" for f in FIGURES if f.key not in on_line_1
        ]
        out.extend(_wrapped_items(details, width, style="dim"))
        flags = flag_words(row)
        if flags:
            out.extend(_wrapped_items(flags, width, style="red", lead="flags: "))
    return out


def _wrap_name(name: str, width: int) -> list[str]:
    """A name on lines of ``width`` cells: between words, else after a hyphen, else anywhere."""
    import textwrap

    from rich.cells import cell_len
    from rich.text import Text

    if cell_len(name) == len(name):  # one cell a character: textwrap counts right
        return textwrap.wrap(name, width, break_on_hyphens=True) or [""]
    return [line.plain for line in Text(name).wrap(_console(width), width)]


def _figures_width(layout: _LineLayout, cells: list[dict[str, str]]) -> int:
    return sum(layout.gap + size for size in _column_sizes(layout, cells))


def _column_sizes(layout: _LineLayout, cells: list[dict[str, str]]) -> list[int]:
    """How wide each figure column of line 1 is: its widest value or its header."""
    return [
        max(_widest(c[f.key] for c in cells), len(f.short if layout.short else f.header))
        for f in layout.figures
    ]


def _wrapped_items(items: list[str], width: int, style: str, lead: str = "") -> list[Text]:
    """``items`` joined by " · " on lines of ``width``, broken between items only."""
    from rich.text import Text

    lines: list[str] = []
    current = "  " + lead
    for index, item in enumerate(items):
        joined = current + ("" if index == 0 else " · ") + item
        if index and len(joined) > width:
            lines.append(current)
            current = "    " + item
        else:
            current = joined
    lines.append(current)
    return [Text(line, style=style) for line in lines]


def _console(width: int) -> Console:
    from rich.console import Console

    return Console(width=width, height=25, file=io.StringIO())


# ----------------------------------------------------------------------------- the rest


def _print_attention(console: Console, rows: list[ScoreRow], today: dt.date) -> None:
    """What needs doing, in the report's order: everything late in one ranking by days
    overdue, then what is worth a look, then how to reach each partner named.

    Lines wrap with a hanging indent, and never inside a phone number.
    """
    from rich.text import Text

    late = overdue_items(rows, today)
    watch = [a for a in attention_list(current(rows), today) if a.flag not in OVERDUE_FLAGS]
    if not late and not watch:
        console.print("\nNothing needs attention: every partnership is on track.")
        return
    width = console.width
    keep = [row.partner.phone for row in rows if row.partner.phone]

    def say(text: str, first: str = "  ", rest: str = "    ", style: str = "") -> None:
        for line in _wrap_text(text, width, first, rest, keep):
            console.print(Text(line, style=style), no_wrap=True, crop=False)

    names = {row.slug: row.partner.name for row in rows}
    if late:
        console.print(Text("\nNeeds attention, most days overdue first", style="bold"))
        for item in late:
            when = (
                "due today"
                if item.days == 0
                else f"{item.days} day{'' if item.days == 1 else 's'} late"
            )
            say(f"- {when} ({names[item.slug]}): {item.sentence}")
    if watch:
        console.print(Text("\nWorth a look", style="bold"))
        for look in watch:
            say(f"- {look.name}: {look.sentence}")
    named = {o.slug for o in late} | {a.slug for a in watch}
    console.print(Text("\nHow to reach them", style="bold"))
    for row in rows:
        if row.slug not in named:
            continue
        partner = row.partner
        reach = (
            " · ".join(v for v in (partner.phone, partner.email) if v)
            or "no phone or email on file"
        )
        say(f"{partner.display_name}: {reach}", style="dim")


def _wrap_text(text: str, width: int, first: str, rest: str, keep: list[str]) -> list[str]:
    """``text`` on lines of ``width``, broken at spaces but not inside the ``keep`` strings."""
    import textwrap

    hold = "\ue000"  # a private-use character: in no name, phone or sentence
    for whole in keep:
        text = text.replace(whole, whole.replace(" ", hold))
    lines = textwrap.wrap(
        text,
        width,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return [line.replace(hold, " ") for line in lines]


def _print_legend(console: Console) -> None:
    """What the abbreviations and flags mean."""
    from rich.text import Text

    console.print(
        Text(
            "\nBal = received - given (positive: we owe them referrals). "
            f"Conv = won / received ({DASH} until one is decided). "
            "Last check-in = the last check-in, meeting or call on record; "
            "the next check-in is due the agreed days after the last touch of any kind. "
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


# ----------------------------------------------------------------------------- links


def links_json(links: list[tuple[str, PartnerLinks]]) -> list[dict[str, str | None]]:
    """``[{slug, name, page, pdf}]`` for `refkit partners --links --json`."""
    return [
        {"slug": link.slug, "name": name, "page": link.page, "pdf": link.pdf}
        for name, link in links
    ]


def links_csv(links: list[tuple[str, PartnerLinks]]) -> bytes:
    """The links as CSV (slug, name, page, pdf), encoded as :func:`scorecard_csv` is."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["slug", "name", "page", "pdf"])
    writer.writeheader()
    for record in links_json(links):
        writer.writerow({key: _csv_cell(value) for key, value in record.items()})
    return out.getvalue().encode("utf-8-sig")


def print_links(console: Console, links: list[tuple[str, PartnerLinks]]) -> None:
    """Each partner's page and one-pager: one line each when that fits, else a block.

    A URL is never broken: one wider than the screen gets a line of its own.
    """
    from rich.text import Text

    if not links:
        console.print("No current partners: nothing to link to.")
        return
    width = console.width
    rows = [(name, link.page or "no page (page: none)", link.pdf or DASH) for name, link in links]
    name_w, page_w, pdf_w = (_widest(col) for col in zip(*rows, strict=True))
    name_w, page_w, pdf_w = max(name_w, 7), max(page_w, 4), max(pdf_w, 9)
    if name_w + page_w + pdf_w + 4 <= width:
        console.print(Text(f"{'Partner':<{name_w}}  {'Page':<{page_w}}  One-pager", style="bold"))
        for name, page, pdf in rows:
            line = Text(f"{name:<{name_w}}  ")
            line.append(f"{page:<{page_w}}", style="cyan")
            line.append(f"  {pdf}")
            console.print(line, no_wrap=True, crop=False)
        return
    for name, page, pdf in rows:
        console.print(Text(name, style="bold"))
        for label, value in (("page", page), ("pdf", pdf)):
            if len(value) + 8 <= width:
                console.print(Text(f"  {label:<4}  {value}"), no_wrap=True, crop=False)
            else:  # whole, so that it can be copied; the terminal wraps it
                console.print(Text(f"  {label}"))
                console.print(Text(value), no_wrap=True, crop=False, overflow="ignore")
