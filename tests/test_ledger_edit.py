"""refkit log and refkit mark: the ledger keeps every byte, bad input leaves it untouched."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest

from conftest import run_refkit, scorecard_json
from refkit.content.project import load_project
from refkit.errors import ContentError
from refkit.ledger_edit import append_referral, update_referral

LEDGER = """\
# our ledger: comments, blank lines and odd spacing must survive
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
  prospect: 'Beta Co'
  status: won
  value: 2500.5
  note: "private"
# a trailing comment
"""


@pytest.fixture
def root(make_project) -> Path:
    return make_project(**{"content/referrals.yaml": LEDGER})


def ledger(root: Path) -> Path:
    return root / "content" / "referrals.yaml"


def log(root: Path, **kw: Any) -> str:
    """append_referral with defaults for what a test does not care about."""
    args: dict[str, Any] = {
        "direction": "given",
        "partner": "dana-whitfield",
        "prospect": "New Co",
        "profile": None,
        "status": None,
        "value": None,
        "date": dt.date(2026, 6, 1),
        "follow_up_due": None,
        "note": None,
        "thanked": False,
    }
    return append_referral(root, **{**args, **kw})


def test_log_appends_and_keeps_every_byte(root: Path) -> None:
    before = ledger(root).read_bytes()
    result = run_refkit(
        "log",
        "received",
        "-p",
        root,
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
        "--follow-up",
        "2026-07-02",
        "--note",
        "call back",
        "--thanked",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Logged 2026-06-25: received from Marcus Oyelaran")
    after = ledger(root).read_bytes()
    assert after.startswith(before)
    assert after[len(before) :].decode() == (
        "\n"
        "- date: 2026-06-25\n"
        "  direction: received\n"
        "  partner: marcus-oyelaran\n"
        '  prospect: "Zeta: Holdings"\n'
        "  profile: first-hr-hire\n"
        "  status: meeting\n"
        "  value: 1200\n"
        "  follow_up_due: 2026-07-02\n"
        "  note: call back\n"
        "  thanked: true\n"
    )
    entry = load_project(root).referrals[-1]
    assert entry.prospect == "Zeta: Holdings" and entry.value == 1200
    assert entry.follow_up_due == dt.date(2026, 7, 2) and entry.thanked


def test_log_defaults_to_today(root: Path) -> None:
    result = run_refkit("log", "given", "-p", root, "--partner", "raj-patel", "--prospect", "Q")
    assert result.returncode == 0, result.stderr
    assert load_project(root).referrals[-1].date == dt.date.today()


@pytest.mark.parametrize(
    "prospect",
    [
        "yes",
        "No",
        "null",
        "true",
        "0123",
        "1e3",
        "12:30",
        "2026-01-01",
        "- dash",
        "#hash",
        "a # b",
        "a: b",
        "  padded  ",
        "'quoted'",
        '"double"',
        "back\\slash",
        "{flow}",
        "[list]",
        "*alias",
        "&anchor",
        "!tag",
        "%percent",
        "@at",
        "`tick`",
        "|pipe",
        ">fold",
        "?question",
        "Ünïcödé ☃ 😀",
        "line\u2028separator",
        "next\x85line",
        "O'Brien & Sons (US)",
    ],
)
def test_log_quotes_whatever_yaml_would_misread(root: Path, prospect: str) -> None:
    before = ledger(root).read_bytes()
    log(root, prospect=prospect, note=prospect)
    assert ledger(root).read_bytes().startswith(before)
    entry = load_project(root).referrals[-1]
    expected = prospect.strip()
    assert entry.prospect == expected and entry.note == expected


def test_log_plain_words_stay_plain(root: Path) -> None:
    log(root, prospect="O'Brien & Sons (US)")
    assert ledger(root).read_text().endswith("  prospect: O'Brien & Sons (US)\n")


def bad_logs() -> list[tuple[list[str], str]]:
    return [
        (
            ["given", "--partner", "dana-whitfeld", "--prospect", "X"],
            "--partner: unknown partner 'dana-whitfeld' (did you mean 'dana-whitfield'?)",
        ),
        (
            ["received", "--partner", "dana-whitfield", "--prospect", "X", "--profile", "first-hr"],
            "--profile: unknown profile 'first-hr' (did you mean 'first-hr-hire'?)",
        ),
        (["received", "--partner", "dana-whitfield", "--prospect", "Line\nBreak"], "single line"),
        (["received", "--partner", "dana-whitfield", "--prospect", "  "], "--prospect: is empty"),
        (["received", "--partner", "Dana Whitfield", "--prospect", "X"], "--partner:"),
    ]


@pytest.mark.parametrize(("args", "message"), bad_logs())
def test_log_refuses_bad_input_and_leaves_the_file(root: Path, args: list, message: str) -> None:
    path = ledger(root)
    os.utime(path, (1_000_000_000, 1_000_000_000))
    before = path.read_bytes()
    result = run_refkit("log", "-p", root, *args)
    assert result.returncode == 1, result.stdout
    assert message in result.stderr
    assert result.stderr.startswith("content/referrals.yaml: error: ")
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == before
    assert path.stat().st_mtime == 1_000_000_000
    assert sorted(p.name for p in path.parent.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize(
    "args",
    [
        ["sent", "--partner", "dana-whitfield", "--prospect", "X"],
        ["given", "--prospect", "X"],
        ["given", "--partner", "dana-whitfield", "--prospect", "X", "--status", "maybe"],
        ["given", "--partner", "dana-whitfield", "--prospect", "X", "--value", "-5"],
        ["given", "--partner", "dana-whitfield", "--prospect", "X", "--date", "2026-13-01"],
    ],
)
def test_log_usage_errors_exit_2(root: Path, args: list[str]) -> None:
    before = ledger(root).read_bytes()
    result = run_refkit("log", "-p", root, *args)
    assert result.returncode == 2
    assert ledger(root).read_bytes() == before


def test_log_refuses_when_the_project_has_errors(root: Path) -> None:
    broken = LEDGER + "- date: 2026-03-01\n  direction: sideways\n"
    ledger(root).write_text(broken)
    with pytest.raises(ContentError, match="sideways"):
        log(root)
    assert ledger(root).read_text() == broken


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
    text = ledger(root).read_text()
    assert text.startswith("# yaml-language-server: $schema=../.refkit/schema/referrals.json\n")
    assert text.endswith(
        "\n- date: 2026-01-05\n  direction: given\n  partner: dana-whitfield\n"
        "  prospect: New Co\n  thanked: true\n"
    )
    assert run_refkit("check", "-p", root).returncode == 0


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("", ""),
        ("[]\n", ""),
        ("# nothing yet\n[]  # empty\n", "# nothing yet\n# empty\n\n"),
        ("# only a comment", "# only a comment\n\n"),
        ("# only a comment\n\n", "# only a comment\n\n"),
    ],
)
def test_log_into_an_empty_ledger(make_project, before: str, after: str) -> None:
    root = make_project(**{"content/referrals.yaml": before})
    log(root)
    entry = (
        "- date: 2026-06-01\n  direction: given\n  partner: dana-whitfield\n  prospect: New Co\n"
    )
    assert ledger(root).read_text() == after + entry
    assert len(load_project(root).referrals) == 1


def test_log_matches_the_indentation_line_endings_and_bom(make_project) -> None:
    text = "\ufeff# crlf\r\n  - date: 2026-01-01\r\n    direction: given\r\n"
    text += "    partner: raj-patel\r\n    prospect: Old\r\n"
    root = make_project(**{"content/referrals.yaml": text.encode("utf-8")})
    log(root)
    data = ledger(root).read_bytes()
    assert data.startswith(text.encode("utf-8"))
    assert data[len(text.encode("utf-8")) :] == (
        b"\r\n  - date: 2026-06-01\r\n    direction: given\r\n"
        b"    partner: dana-whitfield\r\n    prospect: New Co\r\n"
    )
    assert [r.prospect for r in load_project(root).referrals] == ["Old", "New Co"]


def test_log_adds_a_missing_final_newline(make_project) -> None:
    text = "- date: 2026-01-01\n  direction: given\n  partner: raj-patel\n  prospect: Old"
    root = make_project(**{"content/referrals.yaml": text})
    log(root)
    assert ledger(root).read_text().startswith(text + "\n\n- date: 2026-06-01\n")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[{date: 2026-01-01, direction: given, partner: raj-patel, prospect: X}]\n", "block list"),
        (
            "- date: 2026-01-01\n  direction: given\n  partner: raj-patel\n  prospect: X\n...\n",
            "'...'",
        ),
    ],
)
def test_log_refuses_what_it_cannot_append_to(make_project, text: str, message: str) -> None:
    root = make_project(**{"content/referrals.yaml": text})
    result = run_refkit(
        "log", "given", "-p", root, "--partner", "dana-whitfield", "--prospect", "N"
    )
    assert result.returncode == 1 and message in result.stderr
    assert "add the entry by hand" in result.stderr
    assert ledger(root).read_text() == text


def test_log_keeps_a_symlinked_ledger_linked(root: Path, tmp_path: Path) -> None:
    real = tmp_path / "elsewhere.yaml"
    real.write_bytes(ledger(root).read_bytes())
    ledger(root).unlink()
    ledger(root).symlink_to(real)
    log(root)
    assert ledger(root).is_symlink()
    assert real.read_text().startswith(LEDGER)
    assert load_project(root).referrals[-1].prospect == "New Co"


def test_logged_entries_reach_the_scorecard(root: Path) -> None:
    log(root, direction="received", partner="marcus-oyelaran", status="won", value=500.0)
    marcus = scorecard_json(root, dt.date(2026, 6, 30))["marcus-oyelaran"]
    assert (marcus["received"], marcus["won"], marcus["won_value"]) == (1, 1, 500)
    assert marcus["last_referral"] == "2026-06-01"
    assert "unthanked" in marcus["flags"]


def test_log_writes_the_name_as_mark_finds_it(root: Path) -> None:
    """`log --prospect "  Acme   Co "` writes "Acme Co", which `mark --prospect "Acme Co"` finds."""
    log(root, prospect="  Acme \t  Co ")
    assert ledger(root).read_text().endswith("  prospect: Acme Co\n")
    result = run_refkit(
        "mark",
        "-p",
        root,
        "--partner",
        "dana-whitfield",
        "--prospect",
        "Acme Co",
        "--status",
        "won",
    )
    assert result.returncode == 0, result.stderr
    assert load_project(root).referrals[-1].status == "won"


def test_mark_updates_an_entry_in_place(root: Path) -> None:
    before = ledger(root).read_text()
    result = run_refkit(
        "mark",
        "-p",
        root,
        "--partner",
        "dana-whitfield",
        "--prospect",
        "beta co",
        "--status",
        "lost",
        "--thanked",
        "--follow-up",
        "2026-07-01",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        "Updated beta co (Dana Whitfield): status lost, follow_up_due 2026-07-01, thanked true"
    )
    # only the Beta Co entry changed: its status replaced, new keys after its last line
    expected = before.replace(
        '  status: won\n  value: 2500.5\n  note: "private"\n',
        '  status: lost\n  value: 2500.5\n  note: "private"\n'
        "  follow_up_due: 2026-07-01\n  thanked: true\n",
    )
    assert ledger(root).read_text() == expected


def test_mark_keeps_comments_block_scalars_and_empty_values(make_project) -> None:
    text = (
        "- date: 2026-01-01\n"
        "  direction: received\n"
        "  partner: dana-whitfield\n"
        "  prospect: Alpha Co\n"
        "  value:\n"
        "  thanked: false  # not yet\n"
        "- date: 2026-01-02\n"
        "  direction: received\n"
        "  partner: dana-whitfield\n"
        "  prospect: Beta Co\n"
        "  note: |\n"
        "    two\n"
        "    lines\n"
        "\n"
        "# the end\n"
    )
    root = make_project(**{"content/referrals.yaml": text})
    update_referral(
        root,
        partner="dana-whitfield",
        prospect="Alpha Co",
        status="won",
        value=30000.0,
        follow_up_due=None,
        thanked=True,
    )
    update_referral(
        root,
        partner="dana-whitfield",
        prospect="Beta Co",
        status="meeting",
        value=None,
        follow_up_due=None,
        thanked=False,
    )
    assert ledger(root).read_text() == text.replace(
        "  value:\n  thanked: false  # not yet\n",
        "  value: 30000\n  thanked: true  # not yet\n  status: won\n",
    ).replace("    lines\n", "    lines\n  status: meeting\n")
    first, second = load_project(root).referrals
    assert (first.status, first.value, first.thanked) == ("won", 30000, True)
    assert second.status == "meeting"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--partner", "dana-whitfield", "--prospect", "Nobody", "--status", "won"],
            "no referral of 'Nobody' with 'dana-whitfield'; their referrals: Alpha Co, Beta Co",
        ),
        (
            ["--partner", "dana-whitfeld", "--prospect", "Alpha Co", "--status", "won"],
            "did you mean 'dana-whitfield'?",
        ),
        # a usage error (tests/cli/test_exit_codes.py)
        (["--partner", "dana-whitfield", "--prospect", "Alpha Co"], "nothing to change"),
    ],
)
def test_mark_refuses_and_leaves_the_file(root: Path, args: list[str], message: str) -> None:
    before = ledger(root).read_bytes()
    result = run_refkit("mark", "-p", root, *args)
    assert result.returncode == (2 if message == "nothing to change" else 1)
    assert message in result.stderr
    assert ledger(root).read_bytes() == before
