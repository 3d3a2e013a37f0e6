"""Partner tracking: scorecard figures by hand, --json, report, calendar, refkit log."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from icalendar import Calendar

from conftest import run_refkit
from refkit.build import build

LEDGER = """\
# our ledger
- date: 2026-01-10
  direction: received
  partner: dana-whitfield
  prospect: Alpha Co
  status: won
  value: 1000
  thanked: true
- date: 2026-02-10   # keep this comment
  direction: received
  partner: dana-whitfield
  prospect: Beta Co
  status: won
  value: 2500.5
- date: 2026-03-01
  direction: received
  partner: dana-whitfield
  prospect: Gamma Co
  status: meeting
  follow_up_due: 2026-06-01
- date: 2026-04-01
  direction: given
  partner: dana-whitfield
  prospect: Delta Co
- date: 2026-06-20
  direction: received
  partner: marcus-oyelaran
  prospect: Epsilon Co
  status: lost
  follow_up_due: 2026-06-01
  note: SECRET-LEDGER-NOTE
"""
TODAY = "2026-06-30"


@pytest.fixture
def ledger_project(make_project) -> Path:
    return make_project(**{"content/referrals.yaml": LEDGER})


def scorecard(root: Path, today: str = TODAY) -> dict[str, dict]:
    result = run_refkit("partners", "-p", root, "--json", "--today", today)
    assert result.returncode == 0, result.stderr
    return {row["slug"]: row for row in json.loads(result.stdout)}


def test_figures_computed_by_hand(ledger_project: Path) -> None:
    rows = scorecard(ledger_project)
    dana = rows["dana-whitfield"]
    assert list(dana) == [
        "slug",
        "name",
        "company",
        "kind",
        "status",
        "fit_score",
        "received",
        "given",
        "balance",
        "won",
        "won_value",
        "conversion",
        "last_referral",
        "check_in_due",
        "flags",
    ]
    assert (dana["received"], dana["given"], dana["balance"]) == (3, 1, 2)
    assert (dana["won"], dana["won_value"]) == (2, 3500.5)
    assert dana["conversion"] == pytest.approx(2 / 3, abs=0.001)
    assert dana["last_referral"] == "2026-04-01"
    assert dana["check_in_due"] == "2026-05-31"  # last referral + 60 days
    assert set(dana["flags"]) == {
        "one-way",
        "dry-spell",
        "check-in-overdue",
        "unthanked",
        "follow-up-due",
    }
    marcus = rows["marcus-oyelaran"]
    assert (marcus["received"], marcus["given"], marcus["balance"]) == (1, 0, 1)
    assert (marcus["won"], marcus["won_value"], marcus["conversion"]) == (0, 0.0, 0.0)
    assert marcus["check_in_due"] == "2026-09-18"
    assert marcus["flags"] == []  # a lost referral's follow-up date is not due
    tom = rows["tom-brenner"]  # a prospect: no since, no referrals
    assert (tom["last_referral"], tom["check_in_due"], tom["conversion"]) == (None, None, None)
    assert tom["flags"] == []
    raj = rows["raj-patel"]  # paused, no cadence: no dry spell, no check-in
    assert raj["check_in_due"] is None and raj["flags"] == []
    # attention first
    assert list(rows)[0] == "dana-whitfield"


def test_flags_turn_off(ledger_project: Path) -> None:
    rows = scorecard(ledger_project, "2026-05-15")
    dana = rows["dana-whitfield"]
    # 44 days since the last referral, check-in due 2026-05-31, follow-up due 2026-06-01
    assert set(dana["flags"]) == {"one-way", "unthanked"}


def test_fit_score_formula(ledger_project: Path) -> None:
    rows = scorecard(ledger_project)
    assert rows["dana-whitfield"]["fit_score"] == 100  # every qualifier true, same tier
    # Raj: 3 qualifiers set (true, false, false), serves ours, price tier value vs mid-market
    # qualifiers: 1 + 0 + 0 + 6 * 0.5 = 4; serves: 2 * 1; tier: 0 -> 6 / 12
    assert rows["raj-patel"]["fit_score"] == 50
    # Gary: nothing known, serves none -> everything unknown
    assert rows["gary-koenig"]["fit_score"] == 50


def test_table_output(ledger_project: Path) -> None:
    result = run_refkit("partners", "-p", ledger_project, "--today", TODAY)
    assert result.returncode == 0, result.stderr
    assert "Dana Whitfield" in result.stdout
    assert "We owe them: they sent us 3, we sent 1." in result.stdout
    assert "Needs attention" in result.stdout
    assert "SECRET-LEDGER-NOTE" not in result.stdout


def test_report_and_calendar(ledger_project: Path) -> None:
    import datetime as dt

    build(ledger_project, only=["report"], today=dt.date(2026, 6, 30))
    out = ledger_project / "output"
    html = (out / "report" / "index.html").read_text()
    assert not (out / "site").exists()
    assert "<svg" in html and "Referrals per month" in html
    assert "noindex" in html
    assert "SECRET-LEDGER-NOTE" not in html and "PRIVATE-NOTE" not in html
    assert "We owe them: they sent us 3, we sent 1." in html

    calendar = Calendar.from_ical((out / "calendar.ics").read_bytes())
    todos = {str(c["uid"]): c for c in calendar.walk("VTODO")}
    assert todos["checkin-dana-whitfield@refkit"].decoded("due") == dt.date(2026, 5, 31)
    follow_ups = [c for uid, c in todos.items() if uid.startswith("followup-")]
    assert [str(c["summary"]) for c in follow_ups] == [
        "Follow up: Gamma Co (received via Dana Whitfield)"
    ]
    assert "checkin-gary-koenig@refkit" not in todos  # retired
    first = (out / "calendar.ics").read_bytes()
    build(ledger_project, only=["report"], today=dt.date(2026, 6, 30))
    assert (out / "calendar.ics").read_bytes() == first  # stable UIDs, stable bytes


@pytest.mark.browser
def test_report_in_chromium(example_build: Path, browser, artifacts: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    failed: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("request", lambda r: failed.append(r.url) if not r.url.startswith("file:") else None)
    page.goto((example_build / "output" / "report" / "index.html").as_uri())
    assert page.locator("h1").inner_text() == "Partner report"
    assert page.locator("svg.chart rect").count() == 24
    page.screenshot(path=str(artifacts / "report.png"), full_page=True)
    page.close()
    assert errors == [] and failed == []


def test_log_appends_and_keeps_every_byte(ledger_project: Path) -> None:
    path = ledger_project / "content" / "referrals.yaml"
    before = path.read_bytes()
    result = run_refkit(
        "log",
        "received",
        "-p",
        ledger_project,
        "--partner",
        "marcus-oyelaran",
        "--prospect",
        "Zeta: Holdings",
        "--profile",
        "first-hr-hire",
        "--status",
        "meeting",
        "--value",
        "1200",
        "--date",
        "2026-06-25",
        "--note",
        "call back",
    )
    assert result.returncode == 0, result.stderr
    assert "Logged 2026-06-25: received from Marcus Oyelaran" in result.stdout
    after = path.read_bytes()
    assert after.startswith(before)
    assert b"# keep this comment" in after
    rows = scorecard(ledger_project)
    assert rows["marcus-oyelaran"]["received"] == 2
    assert rows["marcus-oyelaran"]["last_referral"] == "2026-06-25"


def test_log_refuses_unknown_partner_and_profile(ledger_project: Path) -> None:
    path = ledger_project / "content" / "referrals.yaml"
    before = path.read_bytes()
    result = run_refkit(
        "log", "given", "-p", ledger_project, "--partner", "dana-whitfeld", "--prospect", "X"
    )
    assert result.returncode == 1
    assert "unknown partner 'dana-whitfeld' (did you mean 'dana-whitfield'?)" in result.stderr
    result = run_refkit(
        "log",
        "received",
        "-p",
        ledger_project,
        "--partner",
        "dana-whitfield",
        "--prospect",
        "X",
        "--profile",
        "nobody",
    )
    assert result.returncode == 1 and "unknown profile 'nobody'" in result.stderr
    result = run_refkit(
        "log",
        "received",
        "-p",
        ledger_project,
        "--partner",
        "dana-whitfield",
        "--prospect",
        "Line\nBreak",
    )
    assert result.returncode == 1 and "single line" in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == before


def test_log_creates_the_ledger(make_project) -> None:
    root = make_project(**{"content/referrals.yaml": None})
    result = run_refkit(
        "log",
        "given",
        "-p",
        root,
        "--partner",
        "dana-whitfield",
        "--prospect",
        "New Co",
        "--date",
        "2026-01-05",
        "--thanked",
    )
    assert result.returncode == 0, result.stderr
    text = (root / "content" / "referrals.yaml").read_text()
    assert text.startswith("# yaml-language-server")
    assert "- date: 2026-01-05\n  direction: given\n  partner: dana-whitfield\n" in text
    assert "thanked: true" in text
    assert run_refkit("check", "-p", root).returncode == 0


def test_log_refuses_a_flow_list(make_project) -> None:
    root = make_project(**{"content/referrals.yaml": "[]\n"})
    result = run_refkit(
        "log", "given", "-p", root, "--partner", "dana-whitfield", "--prospect", "New Co"
    )
    assert result.returncode == 1 and "block list" in result.stderr
    assert (root / "content" / "referrals.yaml").read_text() == "[]\n"


def test_mark_updates_an_entry_in_place(ledger_project: Path) -> None:
    path = ledger_project / "content" / "referrals.yaml"
    before = path.read_text()
    result = run_refkit(
        "mark",
        "-p",
        ledger_project,
        "--partner",
        "dana-whitfield",
        "--prospect",
        "beta co",
        "--status",
        "lost",
        "--thanked",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Updated beta co (Dana Whitfield): status lost, thanked true")
    after = path.read_text()
    # only the Beta Co entry changed: its status replaced, `thanked` added after its last line
    expected = before.replace(
        "  prospect: Beta Co\n  status: won\n  value: 2500.5\n",
        "  prospect: Beta Co\n  status: lost\n  value: 2500.5\n  thanked: true\n",
    )
    assert after == expected
    assert "# keep this comment" in after
    rows = scorecard(ledger_project)
    assert "unthanked" not in rows["dana-whitfield"]["flags"]


def test_mark_refuses_unknown_prospect(ledger_project: Path) -> None:
    path = ledger_project / "content" / "referrals.yaml"
    before = path.read_bytes()
    result = run_refkit(
        "mark",
        "-p",
        ledger_project,
        "--partner",
        "dana-whitfield",
        "--prospect",
        "Nobody",
        "--status",
        "won",
    )
    assert result.returncode == 1
    assert (
        "no referral of 'Nobody' with 'dana-whitfield'; their referrals: Alpha Co" in result.stderr
    )
    assert path.read_bytes() == before
