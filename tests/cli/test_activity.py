"""Check-ins, meetings and calls on record: `refkit log check-in|meeting|call` and
content/activity.yaml, whose last touch restarts a partner's check-in cadence."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import TRACKING_TODAY, calendar_events, parse_eml, run_refkit, scorecard_json
from refkit.content.project import load_project

ACTIVITY = """\
# what we talked about
- date: 2026-05-02   # keep this comment
  partner: marcus-oyelaran
  kind: meeting
  note: Lunch.
"""


@pytest.fixture
def project(ledger_project: Path) -> Path:
    (ledger_project / "content" / "activity.yaml").write_text(ACTIVITY, encoding="utf-8")
    return ledger_project


def test_a_check_in_restarts_the_cadence(project: Path) -> None:
    before = scorecard_json(project)["dana-whitfield"]
    assert "check-in-overdue" in before["flags"]
    assert (before["last_check_in"], before["check_in_due"]) == (None, "2026-05-31")

    result = run_refkit(
        "log", "check-in", "-p", project, "--partner", "dana-whitfield",
        "--date", "2026-06-25", "--note", "Coffee: two names for us",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "check-in with Dana Whitfield" in result.stdout
    assert "next check-in due 2026-08-24" in result.stdout  # 60 days on

    after = scorecard_json(project)["dana-whitfield"]
    assert after["last_check_in"] == "2026-06-25"
    assert after["check_in_due"] == "2026-08-24"
    assert "check-in-overdue" not in after["flags"]
    # a touch is not a referral: the figures do not move
    for key in ("received", "given", "balance", "won", "last_referral"):
        assert after[key] == before[key], key


def test_log_appends_keeping_comments_and_validates(project: Path) -> None:
    path = project / "content" / "activity.yaml"
    for kind in ("call", "meeting"):
        result = run_refkit(
            "log", kind, "-p", project, "--partner", "zoe-lindqvist", "--date", "2026-06-01"
        )
        assert result.returncode == 0, result.stderr
    text = path.read_text(encoding="utf-8")
    assert text.startswith(ACTIVITY)  # every earlier byte kept, comments too
    touches = load_project(project).touches
    assert [(t.partner, t.kind, t.date) for t in touches[1:]] == [
        ("zoe-lindqvist", "call", dt.date(2026, 6, 1)),
        ("zoe-lindqvist", "meeting", dt.date(2026, 6, 1)),
    ]


def test_the_first_touch_creates_the_file_with_its_schema_line(ledger_project: Path) -> None:
    path = ledger_project / "content" / "activity.yaml"
    path.unlink(missing_ok=True)
    result = run_refkit("log", "call", "-p", ledger_project, "--partner", "raj-patel")
    assert result.returncode == 0, result.stderr
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../.refkit/schema/activity.json")
    assert [t.kind for t in load_project(ledger_project).touches] == ["call"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--partner", "dana-whitfeld"], 1, "did you mean 'dana-whitfield'?"),
        (["--partner", "dana-whitfield", "--prospect", "X"], 2, "--prospect: for referrals"),
        (["--partner", "dana-whitfield", "--status", "won"], 2, "--status: for referrals"),
        (["--partner", "dana-whitfield", "--thanked"], 2, "--thanked: for referrals"),
        (["--partner", "dana-whitfield", "--date", "2026-13-01"], 2, "--date"),
        (["--partner", "dana-whitfield", "--note", "bell \x07"], 1, "--note"),
    ],
)
def test_a_refused_touch_leaves_the_file_untouched(
    project: Path, args: list[str], code: int, message: str
) -> None:
    path = project / "content" / "activity.yaml"
    before = path.read_bytes()
    result = run_refkit("log", "check-in", "-p", project, *args)
    assert result.returncode == code, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == before


def test_received_still_needs_a_prospect(project: Path) -> None:
    result = run_refkit("log", "received", "-p", project, "--partner", "dana-whitfield")
    assert result.returncode == 2
    assert "--prospect" in result.stderr


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("- date: 2026-05-02\n  partner: dana-whitfield\n  kind: lunch\n", ":3:9: error: [0].kind"),
        ("- date: 2026-05-02\n  partner: dana-whitfeld\n", ":2:12: error:"),
        ("date: 2026-05-02\n", ":1:1: error: expected a list of check-ins"),
    ],
)
def test_a_broken_activity_file_is_an_error_at_its_line(
    ledger_project: Path, text: str, where: str
) -> None:
    (ledger_project / "content" / "activity.yaml").write_text(text, encoding="utf-8")
    result = run_refkit("check", "-p", ledger_project)
    assert result.returncode == 1
    assert f"content/activity.yaml{where}" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_a_touch_after_today_does_not_count_yet(project: Path) -> None:
    later = ACTIVITY + "- date: 2026-07-20\n  partner: dana-whitfield\n"
    (project / "content" / "activity.yaml").write_text(later, encoding="utf-8")
    row = scorecard_json(project, TRACKING_TODAY)["dana-whitfield"]
    assert row["last_check_in"] is None
    assert scorecard_json(project, dt.date(2026, 7, 21))["dana-whitfield"]["last_check_in"] == (
        "2026-07-20"
    )


def test_the_check_in_email_speaks_of_what_is_new_since_we_last_spoke(project: Path) -> None:
    run_refkit(
        "log", "check-in", "-p", project, "--partner", "dana-whitfield", "--date", "2026-03-15"
    )
    result = run_refkit(
        "email", "check-in", "-p", project, "--partner", "dana-whitfield",
        "--today", TRACKING_TODAY.isoformat(),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    body = " ".join(result.stdout.split())
    assert "Since we last spoke, on March 15, 2026:" in body
    assert "we introduced Delta Co to you" in body  # 2026-04-01: after the check-in
    assert "Gamma Co" not in body  # 2026-03-01: before it, already talked about


def test_the_build_uses_the_last_touch(project: Path) -> None:
    """The report, the calendar and the check-in .eml all move with a check-in."""
    from refkit.pipeline import build

    run_refkit(
        "log", "meeting", "-p", project, "--partner", "dana-whitfield", "--date", "2026-06-25"
    )
    build(project, today=TRACKING_TODAY, jobs=1)
    out = project / "output"
    event = calendar_events(out)
    starts = {str(e["summary"]): e.decoded("dtstart") for e in event.values()}
    dana = [day for summary, day in starts.items() if "Dana Whitfield" in summary]
    assert dt.date(2026, 8, 24) in dana
    draft = parse_eml(next((out / "email").glob("dana-whitfield/check-in*.eml")))
    text = draft.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "since we last spoke, on June 25, 2026" in " ".join(text.split())
