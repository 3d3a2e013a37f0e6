"""`refkit partners`: the scorecard as a table on the terminal and as JSON for scripts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import (
    LEDGER_MARKER,
    SCORECARD_JSON_KEYS,
    TRACKING_TODAY,
    run_refkit,
    scorecard_json,
)
from refkit.resources import example_content


def test_partners_json_figures_computed_by_hand(ledger_project: Path) -> None:
    rows = scorecard_json(ledger_project)
    dana = rows["dana-whitfield"]
    assert list(dana) == SCORECARD_JSON_KEYS  # exactly these, in this order
    assert (dana["name"], dana["company"]) == ("Dana Whitfield", "Whitfield Employment Law")
    assert (dana["kind"], dana["status"]) == ("partner", "active")
    assert (dana["received"], dana["given"], dana["balance"]) == (3, 1, 2)
    assert (dana["won"], dana["won_value"]) == (2, 3500.5)
    assert dana["conversion"] == pytest.approx(2 / 3)
    assert dana["last_referral"] == "2026-04-01"
    assert dana["check_in_due"] == "2026-05-31"  # last referral + 60 days
    assert dana["flags"] == [
        "check-in-overdue",
        "follow-up-due",
        "unthanked",
        "one-way",
        "dry-spell",
    ]
    marcus = rows["marcus-oyelaran"]
    assert (marcus["received"], marcus["given"], marcus["balance"]) == (1, 0, 1)
    assert (marcus["won"], marcus["won_value"], marcus["conversion"]) == (0, 0.0, 0.0)
    assert marcus["check_in_due"] == "2026-09-18"  # 2026-06-20 + 90
    assert marcus["flags"] == []  # a lost referral's follow-up date is not due
    tom = rows["tom-brenner"]  # a prospect: no since, no referrals
    assert (tom["last_referral"], tom["check_in_due"], tom["conversion"]) == (None, None, None)
    assert tom["flags"] == []
    raj = rows["raj-patel"]  # paused, no cadence: no dry spell, no check-in
    assert raj["check_in_due"] is None and raj["flags"] == []
    assert list(rows)[0] == "dana-whitfield"  # attention first
    assert list(rows)[-1] == "gary-koenig"  # retired last


def test_flags_turn_off_earlier(ledger_project: Path) -> None:
    dana = scorecard_json(ledger_project, dt.date(2026, 5, 15))["dana-whitfield"]
    # 44 days since the last referral, check-in due 2026-05-31, follow-up due 2026-06-01
    assert dana["flags"] == ["unthanked", "one-way"]


def test_fit_scores_of_the_example(ledger_project: Path) -> None:
    rows = scorecard_json(ledger_project)
    assert rows["dana-whitfield"]["fit_score"] == 100  # every qualifier true, same tier
    # Raj: qualifiers true, false, false and six unknown = 4; serves ours 2; value vs mid-market 0
    assert rows["raj-patel"]["fit_score"] == 50  # 6 / 12
    assert rows["gary-koenig"]["fit_score"] == 50  # nothing known, serves none listed


def test_partners_without_today_uses_the_clock(ledger_project: Path) -> None:
    result = run_refkit("partners", "-p", ledger_project)
    assert result.returncode == 0, result.stderr
    assert f"Partner scorecard, {dt.date.today().isoformat()}" in result.stdout


def test_partners_table(ledger_project: Path) -> None:
    result = run_refkit("partners", "-p", ledger_project, "--today", TRACKING_TODAY.isoformat())
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "\x1b[" not in out  # no colours when piped
    lines = out.splitlines()
    assert lines[0].rstrip() == "Partner scorecard, 2026-06-30"
    names = [n for n in ("Dana Whitfield", "Marcus Oyelaran", "Gary Koenig") if n in out]
    assert [out.index(n) for n in names] == sorted(out.index(n) for n in names)
    assert "one-way (we owe them)" in out
    # one ranking by days overdue, as the report has it; then what is worth a look
    late = out[out.index("Needs attention, most days overdue first") : out.index("Worth a look")]
    ranked = [
        "140 days late (Dana Whitfield): Thank Dana Whitfield for Beta Co: introduced on "
        "2026-02-10 and won.",
        "30 days late (Dana Whitfield): Check-in overdue since 2026-05-31 (30 days): "
        "call Dana Whitfield on ",
        "29 days late (Dana Whitfield): Follow up on Gamma Co (they sent us, meeting), due "
        "2026-06-01: send the proposal.",
    ]
    flat = " ".join(late.split())
    assert [flat.index(item) for item in ranked] == sorted(flat.index(item) for item in ranked)
    watch = " ".join(out[out.index("Worth a look") : out.index("How to reach them")].split())
    assert "We owe them 2 referrals: they sent us 3, we sent 1." in watch
    assert "No referral either way for 90 days (the last on 2026-04-01)." in watch
    assert "Dana Whitfield, Whitfield Employment Law: +1" in out[out.index("How to reach them") :]
    assert "Flags: check-in-overdue = the agreed check-in date has passed;" in out
    assert LEDGER_MARKER not in out and "PRIVATE-NOTE" not in out


def test_partners_with_no_partners(make_project) -> None:
    changes: dict[str, Any] = {
        f"content/partners/{p.name}": None for p in (example_content() / "partners").glob("*")
    }
    root = make_project(changes, **{"content/referrals.yaml": None})
    assert json.loads(run_refkit("partners", "-p", root, "--json").stdout) == []
    assert "No partners yet" in run_refkit("partners", "-p", root).stdout


def test_partners_reports_content_errors(make_project) -> None:
    root = make_project(**{"content/referrals.yaml": "- date: 2026-01-01\n  direction: up\n"})
    result = run_refkit("partners", "-p", root, "--json")
    assert result.returncode == 1 and result.stdout == ""
    assert "content/referrals.yaml:2:14: error: [0].direction:" in result.stderr
