"""`refkit partners` at every width: no line too long, no figure cut, every figure = --json.

The ledger is built here, with what makes a table hard: a long name, a name in
double-width characters, a seven-figure amount written the German way (with
no-break spaces), a balance both ways, a conversion still undecided.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from rich.cells import cell_len

from conftest import SCORECARD_JSON_KEYS, refkit_exe, run_refkit
from refkit.resources import example_content
from refkit.text.money import format_money

TODAY = dt.date(2026, 6, 30)
LANGUAGE = "de"
CURRENCY = "EUR"
#: the headers the layouts use, long and short, and the --json key each shows
HEADERS = {
    "Fit": "fit_score",
    "Recv": "received",
    "Given": "given",
    "Bal": "balance",
    "Won": "won",
    "Won value": "won_value",
    "Value": "won_value",
    "Conv": "conversion",
    "Last referral": "last_referral",
    "Last ref.": "last_referral",
    "Last check-in": "last_check_in",
    "Checked in": "last_check_in",
    "Check-in due": "check_in_due",
    "Due": "check_in_due",
}
#: the labels of the dates on a partner's second line
LABELS = {
    "won value": "won_value",
    "last referral": "last_referral",
    "last check-in": "last_check_in",
    "check-in due": "check_in_due",
}
FIGURE_KEYS = set(HEADERS.values())
FLAG = re.compile(r"check-in-overdue|follow-up-due|unthanked|one-way|dry-spell")


def ref(partner: str, direction: str, when: str, prospect: str, **more: Any) -> dict[str, Any]:
    return {
        "date": dt.date.fromisoformat(when),
        "direction": direction,
        "partner": partner,
        "prospect": prospect,
        **more,
    }


PARTNERS: dict[str, dict[str, Any]] = {
    "annabelle": {
        "name": "Annabelle Fitzgerald-Montgomery",
        "company": "Fitzgerald Montgomery Partners",
        "email": "annabelle@example.com",
        "phone": "+49 30 1234567",
        "role": "Managing Partner",
        "website": "https://fm.example.com/",
        "since": dt.date(2025, 1, 10),
        "agreement": {"check_in_days": 30},
    },
    "ben": {"name": "Ben Ng", "kind": "customer", "agreement": {"check_in_days": 60}},
    "ines": {"name": "Inês Carvalho", "since": dt.date(2026, 1, 1)},
    "yamada": {"name": "山田 太郎", "status": "paused"},
    "tom": {"name": "Tom Brenner", "status": "prospect", "agreement": {"check_in_days": 14}},
    "gary": {"name": "Gary Koenig", "status": "retired"},
}
LEDGER = [
    ref("annabelle", "received", "2026-01-05", "Alpha GmbH", status="won", value=1234567.89),
    ref("annabelle", "received", "2026-02-05", "Beta AG", status="won", value=5000, thanked=True),
    ref(
        "annabelle",
        "received",
        "2026-03-05",
        "Gamma KG",
        status="meeting",
        follow_up_due="2026-04-01",
    ),
    ref("annabelle", "given", "2026-03-20", "Delta SE"),
    ref("ben", "received", "2026-06-01", "Epsilon", status="proposal", value=800),
    ref("ines", "received", "2026-02-01", "Zeta", status="lost"),
    ref("ines", "given", "2026-02-10", "Eta"),
    ref("ines", "given", "2026-03-10", "Theta"),
    ref("ines", "given", "2026-06-10", "Iota", status="won", value=12000),
    ref("ines", "given", "2026-06-20", "Kappa"),
]
ACTIVITY = [
    {"date": dt.date(2026, 5, 2), "partner": "annabelle", "kind": "check-in", "note": "Coffee"},
    {"date": dt.date(2026, 6, 20), "partner": "tom", "kind": "call"},
    {"date": dt.date(2026, 7, 15), "partner": "ben", "kind": "meeting"},  # not yet: no touch
]


@pytest.fixture
def project(make_project) -> Path:
    changes: dict[str, Any] = {
        f"content/partners/{p.name}": None for p in (example_content() / "partners").glob("*.yaml")
    }
    for slug, fields in PARTNERS.items():
        changes[f"content/partners/{slug}.yaml"] = fields
    business = yaml.safe_load((example_content() / "business.yaml").read_text("utf-8"))
    site = {**business["site"], "language": LANGUAGE}
    changes["content/business.yaml"] = {"currency": CURRENCY, "site": site}
    changes["content/referrals.yaml"] = [
        {k: dt.date.fromisoformat(v) if k == "follow_up_due" else v for k, v in e.items()}
        for e in LEDGER
    ]
    changes["content/activity.yaml"] = ACTIVITY
    return make_project(changes)


def partners_json(root: Path) -> list[dict[str, Any]]:
    result = run_refkit("partners", "-p", root, "--json", "--today", TODAY.isoformat())
    assert result.returncode == 0, result.stderr
    return list(json.loads(result.stdout))


def table_at(root: Path, columns: int | None, monkeypatch: pytest.MonkeyPatch) -> str:
    """`refkit partners` on a pipe, with COLUMNS set (or unset: None)."""
    monkeypatch.delenv("COLUMNS", raising=False)
    env = {} if columns is None else {"COLUMNS": str(columns)}
    result = run_refkit("partners", "-p", root, "--today", TODAY.isoformat(), env=env)
    assert result.returncode == 0, result.stderr
    assert "\x1b[" not in result.stdout  # plain text on a pipe
    return result.stdout


# --------------------------------------------------------------------------- reading it back


def scorecard_part(out: str) -> list[str]:
    """The lines of the table, before "Needs attention"."""
    lines = out.splitlines()
    assert lines[0].strip() == f"Partner scorecard, {TODAY.isoformat()}"
    end = next(i for i, line in enumerate(lines) if line.startswith(("Needs attention", "Nothing")))
    return [line.rstrip() for line in lines[1:end] if line.strip()]


def parse_boxed(lines: list[str]) -> list[dict[str, Any]]:
    """A rich table (│ between cells): one dict a partner, keyed by --json key."""
    head = [line for line in lines if line.startswith("┃")]
    titles: list[str] = []
    for line in head:
        cells = [c.strip() for c in line.strip("┃").split("┃")]
        titles = (
            [f"{t} {c}".strip() for t, c in zip(titles, cells, strict=True)] if titles else cells
        )
    body = [line for line in lines if line.startswith("│")]
    keys = [HEADERS.get(t, t.lower()) for t in titles]
    rows: list[dict[str, Any]] = []
    for line in body:
        cells = dict(zip(keys, (c.strip() for c in line.strip("│").split("│")), strict=True))
        if cells["fit_score"]:  # a partner's first line
            rows.append({**cells, "_name": [cells["partner"]], "_flags": [cells["flags"]]})
        else:
            rows[-1]["_name"].append(cells["partner"])
            rows[-1]["_flags"].append(cells["flags"])
    for row in rows:
        names = [part for part in row.pop("_name") if part]
        if "kind" not in row:  # the kind and status sit under the name
            row["kind"], row["status"] = names.pop().split(" · ")
        row["name"] = " ".join(names)
        row["flags"] = " ".join(row.pop("_flags"))
        del row["partner"]
    return rows


def parse_lines(lines: list[str]) -> list[dict[str, Any]]:
    """The line layout: name and figures, then details, then flags, a partner."""
    header, rule, *body = lines
    assert set(rule) == {"─"}
    titles = sorted(HEADERS, key=len, reverse=True)
    keys: list[str] = []
    rest = header.removeprefix("Partner").strip()
    while rest:
        title = next(t for t in titles if rest.startswith(t))
        keys.append(HEADERS[title])
        rest = rest[len(title) :].strip()
    rows: list[dict[str, Any]] = []
    mode = ""
    for line in body:
        # figures hold no plain space (an amount's is a no-break space)
        tokens = re.split(r" +", line.strip())
        if not line.startswith(" ") and len(tokens) > len(keys) and tokens[-len(keys)].isdigit():
            name = line.rstrip()
            for _ in keys:
                name = name[: name.rstrip().rfind(" ")]
            figures = dict(zip(keys, tokens[-len(keys) :], strict=True))
            rows.append({**figures, "name": name.strip(), "_details": [], "flags": ""})
            mode = ""
        elif not line.startswith(" "):  # the rest of a long name
            rows[-1]["name"] += " " + line.strip()
        elif line.startswith("  flags: "):
            mode = "flags"
            rows[-1]["flags"] = line[len("  flags: ") :]
        elif line.startswith("    ") and mode == "flags":
            rows[-1]["flags"] += " · " + line.strip()
        else:
            mode = "details"
            rows[-1]["_details"].extend(line.strip().split(" · "))
    for row in rows:
        details = row.pop("_details")
        row["kind"], row["status"] = details[0], details[1]
        for item in details[2:]:
            label, _, value = item.rpartition(" ")
            row[LABELS[label]] = value
    return rows


def parse_table(out: str) -> tuple[str, list[dict[str, Any]]]:
    """Which layout, and its rows."""
    lines = scorecard_part(out)
    if lines[0].startswith("┏"):
        return "boxed", parse_boxed(lines)
    return "lines", parse_lines(lines)


def assert_same_figures(shown: list[dict[str, Any]], data: list[dict[str, Any]]) -> None:
    """Every figure the table shows is the --json value, parsed back."""
    assert len(shown) == len(data)
    for cells, row in zip(shown, data, strict=True):
        where = row["slug"]
        assert set(cells) >= FIGURE_KEYS | {"name", "kind", "status", "flags"}, where
        assert cells["name"].replace(" ", "") == row["name"].replace(" ", ""), where
        assert (cells["kind"], cells["status"]) == (row["kind"], row["status"]), where
        for key in ("fit_score", "received", "given", "won", "balance"):
            assert int(cells[key]) == row[key], (where, key)  # "+2" reads as 2
        assert cells["won_value"] == format_money(row["won_value"], row["currency"], LANGUAGE)
        if row["conversion"] is None:
            assert cells["conversion"] == "-", where
        else:
            assert cells["conversion"] == f"{round(row['conversion'] * 100)}%", where
        for key in ("last_referral", "last_check_in", "check_in_due"):
            assert (cells[key] if cells[key] != "-" else None) == row[key], (where, key)
        assert FLAG.findall(cells["flags"]) == row["flags"], where
        if "one-way" in row["flags"]:
            owes = "we owe them" if row["balance"] > 0 else "they owe us"
            assert f"one-way ({owes})" in cells["flags"], where


# --------------------------------------------------------------------------- the tests


@pytest.mark.parametrize(
    ("columns", "layout"),
    [(40, "lines"), (60, "lines"), (80, "lines"), (120, "lines"), (None, "boxed"), (200, "boxed")],
)
def test_every_width_fits_and_reads_back(
    project: Path, monkeypatch: pytest.MonkeyPatch, columns: int | None, layout: str
) -> None:
    data = partners_json(project)
    out = table_at(project, columns, monkeypatch)
    width = columns or 150  # piped without COLUMNS: as wide as a file can be read
    too_long = [line for line in out.splitlines() if cell_len(line) > width]
    assert too_long == []
    assert "…" not in out  # nothing cut, names included
    # "Needs attention" wraps too, never inside a phone number
    calls = [line for line in out.splitlines() if "+49" in line]
    assert len(calls) == 2 and all("+49 30 1234567" in line for line in calls), calls
    found, shown = parse_table(out)
    assert found == layout
    assert_same_figures(shown, data)


def test_the_layouts_as_designed(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wide = scorecard_part(table_at(project, 200, monkeypatch))
    assert "┃ Kind" in wide[1] and "Last check-in" in wide[1]  # a spreadsheet row
    piped = scorecard_part(table_at(project, None, monkeypatch))
    assert "Kind" not in "".join(piped[:4])  # under the name instead
    assert any("│ partner · active" in line for line in piped)
    for columns, on_line_1, moved in (
        (120, ["Won value", "Last referral", "Last check-in", "Check-in due"], []),
        (80, ["Value", "Conv", "Due"], ["last referral", "last check-in"]),
        (60, ["Value", "Conv"], ["last referral", "last check-in", "check-in due"]),
    ):
        lines = scorecard_part(table_at(project, columns, monkeypatch))
        assert lines[0].startswith("Partner")
        assert all(title in lines[0] for title in on_line_1), (columns, lines[0])
        details = [line for line in lines if line.startswith("  ") and "flags" not in line]
        for label in moved:  # a date that leaves line 1 is on the next, labelled
            assert sum(f" {label} " in line for line in details) == len(PARTNERS), label
        # flags on lines of their own: Annabelle's five, Ines' one-way
        flags = [line for line in lines if line.startswith("  flags: ")]
        assert len(flags) == 2, columns
        assert not any("-overdue" in line for line in lines if not line.startswith("  flags: "))


def test_a_long_name_wraps_and_the_amount_stays_whole(project: Path, monkeypatch) -> None:
    lines = scorecard_part(table_at(project, 60, monkeypatch))
    first = next(i for i, line in enumerate(lines) if line.startswith("Annabelle"))
    assert format_money(1239567.89, CURRENCY, LANGUAGE) in lines[first]  # "1.239.567,89 €"
    assert "\xa0€" in lines[first]  # with its no-break space, never split from the number
    assert lines[first + 1].strip() and not lines[first + 1].startswith(" ")  # the name goes on
    assert "Montgomery" in lines[first + 1] + lines[first + 2]


def test_json_conversion_is_null_while_undecided(project: Path) -> None:
    data = {row["slug"]: row for row in partners_json(project)}
    assert list(data["ben"]) == SCORECARD_JSON_KEYS
    assert data["ben"]["conversion"] is None  # one open referral: no verdict yet
    assert data["ines"]["conversion"] == 0.0  # one lost: decided
    assert data["annabelle"]["conversion"] == pytest.approx(2 / 3)
    assert data["annabelle"]["last_check_in"] == "2026-05-02"
    assert data["annabelle"]["check_in_due"] == "2026-06-01"  # the check-in + 30 days
    assert data["ben"]["last_check_in"] is None  # the meeting is next month
    assert data["tom"]["last_check_in"] == "2026-06-20"
    assert data["ines"]["balance"] == -3 and "one-way" in data["ines"]["flags"]


def read_csv(root: Path, *args: str) -> tuple[bytes, list[dict[str, str]]]:
    result = subprocess.run(
        [refkit_exe(), "partners", "-p", str(root), "--today", TODAY.isoformat(), *args],
        capture_output=True,
        check=True,
    )
    data = result.stdout
    return data, list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_is_the_json_plus_contact_details(project: Path) -> None:
    raw, rows = read_csv(project, "--csv")
    assert raw.startswith(b"\xef\xbb\xbfslug,name,")  # UTF-8 with BOM: Excel reads the ê
    assert b"\r\n" in raw
    data = partners_json(project)
    header = raw.decode("utf-8-sig").splitlines()[0].split(",")
    assert header == [*SCORECARD_JSON_KEYS, "role", "email", "phone", "website"]
    assert [row["slug"] for row in rows] == [row["slug"] for row in data]
    for row, expected in zip(rows, data, strict=True):
        for key, value in expected.items():
            if value is None:
                assert row[key] == "", key
            elif key == "flags":
                assert (row[key].split(";") if row[key] else []) == value, key
            elif isinstance(value, float):
                assert float(row[key]) == value, key
            else:
                assert row[key] == str(value), key
    annabelle = next(row for row in rows if row["slug"] == "annabelle")
    assert (annabelle["email"], annabelle["phone"], annabelle["role"]) == (
        "annabelle@example.com",
        "+49 30 1234567",
        "Managing Partner",
    )
    assert annabelle["website"] == "https://fm.example.com/"
    assert annabelle["flags"] == ";".join(
        next(r for r in data if r["slug"] == "annabelle")["flags"]
    )
    ben = next(row for row in rows if row["slug"] == "ben")
    assert ben["conversion"] == "" and ben["email"] == ""  # null: an empty cell


def test_json_and_csv_together_is_a_usage_error(project: Path) -> None:
    result = run_refkit("partners", "-p", project, "--json", "--csv")
    assert result.returncode == 2 and "--json and --csv" in result.stderr


def test_too_narrow_to_share_a_line_the_name_takes_its_own(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from refkit.cli import tracking
    from refkit.content.project import load_project
    from refkit.derive.scorecard import compute_scorecard

    monkeypatch.setattr(tracking, "MIN_WIDTH", 20)
    rows = compute_scorecard(load_project(project), TODAY)
    lines = [line.plain.rstrip() for line in tracking.scorecard_lines(rows, TODAY, LANGUAGE, 30)]
    assert [line for line in lines if cell_len(line) > 30] == []
    assert lines[1] == "Partner" and lines[2].split() == [
        "Fit",
        "Recv",
        "Given",
        "Bal",
        "Won",
        "Conv",
    ]
    first = lines.index("Annabelle Fitzgerald-")  # wrapped after the hyphen
    assert lines[first + 1] == "Montgomery"
    assert lines[first + 2].split() == ["50", "3", "1", "+2", "2", "67%"]
    assert f"won value {format_money(1239567.89, CURRENCY, LANGUAGE)}" in "\n".join(lines)


def test_no_width_from_40_to_230_cuts_or_overflows(project: Path) -> None:
    """Every width, in process: the layouts change over as the figures need, never cut."""
    from rich.console import Console

    from refkit.cli.tracking import print_scorecard
    from refkit.content.project import load_project
    from refkit.derive.scorecard import compute_scorecard

    rows = compute_scorecard(load_project(project), TODAY)
    seen: dict[str, list[int]] = {}
    for width in range(40, 231):
        buffer = io.StringIO()
        print_scorecard(rows, TODAY, LANGUAGE, Console(file=buffer, width=width, height=25))
        out = buffer.getvalue()
        assert "…" not in out, width
        assert max(cell_len(line) for line in out.splitlines()) <= width, width
        # and nothing cropped at the edge: a table closes on its right, dates are whole
        boxed = [line.rstrip() for line in out.splitlines() if line and line[0] in "┏┃┡│└"]
        assert all(line[-1] in "┓┃┩│┘" for line in boxed), width
        assert len(re.findall(r"20\d\d-", out)) == len(re.findall(r"20\d\d-\d\d-\d\d", out))
        layout = "roomy" if "┃ Kind" in out else "wide" if "┏" in out else "lines"
        seen.setdefault(layout, []).append(width)
    # each layout takes over at one width and keeps it: lines, then wide, then roomy
    assert [ws[0] for ws in seen.values()] == sorted(ws[0] for ws in seen.values())
    assert list(seen) == ["lines", "wide", "roomy"]
    assert all(ws == list(range(ws[0], ws[-1] + 1)) for ws in seen.values())
