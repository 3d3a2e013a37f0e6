"""Issue 11, items 2, 7 and part of 10: the ledger under concurrent writers, mark's matching,
and a content/referrals.yaml that is not a file."""

from __future__ import annotations

import contextlib
import datetime as dt
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import network_guard, refkit_exe, run_refkit
from refkit.content.project import load_project
from refkit.errors import RefkitError
from refkit.ledger_edit import append_referral, lock_ledger, update_referral

LEDGER = """\
# our ledger: this comment must survive every writer
- date: 2026-01-10
  direction: received
  partner: dana-whitfield
  prospect: Acme Co
  status: meeting

- date: 2026-02-10   # keep this comment
  direction: received
  partner: dana-whitfield
  prospect: ACME CO
  status: proposal

- date: 2026-03-01
  direction: given
  partner: dana-whitfield
  prospect: Beta Co

- date: 2026-04-01
  direction: received
  partner: dana-whitfield
  prospect: Beta Co
  status: won
  value: 1200
"""


@pytest.fixture
def root(make_project) -> Path:
    return make_project(**{"content/referrals.yaml": LEDGER})


def ledger(root: Path) -> Path:
    return root / "content" / "referrals.yaml"


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0]


# --------------------------------------------------------------------------- item 2: the lock


def test_ten_concurrent_logs_keep_every_entry(root: Path) -> None:
    before = len(load_project(root).referrals)
    names = [f"Concurrent {i} Co" for i in range(10)]
    processes = [
        subprocess.Popen(
            [
                *network_guard(),
                refkit_exe(),
                "log",
                "given",
                "-p",
                str(root),
                "--partner",
                "marcus-oyelaran",
                "--prospect",
                name,
                "--date",
                "2026-06-01",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in names
    ]
    results = [(p.wait(timeout=300), *p.communicate()) for p in processes]
    for code, out, err in results:
        assert code == 0, err
        assert out.startswith("Logged 2026-06-01")
    text = ledger(root).read_text(encoding="utf-8")
    assert text.startswith(LEDGER)  # every byte before stays: comments, blank lines
    referrals = load_project(root).referrals
    assert len(referrals) == before + 10
    logged = [r.prospect for r in referrals if r.partner == "marcus-oyelaran"]
    assert sorted(logged) == sorted(names)
    # no temporary file, and no lock file, is left beside the ledger
    leftovers = {p.name for p in ledger(root).parent.iterdir()} - {
        "assets",
        "business.yaml",
        "partners",
        "profiles",
        "referrals.yaml",
        "activity.yaml",
    }
    assert not leftovers


def test_ten_concurrent_check_ins_keep_every_entry(root: Path) -> None:
    """content/activity.yaml has its own lock: every touch logged at once is kept."""
    activity = root / "content" / "activity.yaml"
    before = activity.read_text(encoding="utf-8")
    count = len(load_project(root).touches)
    notes = [f"Call number {i}" for i in range(10)]
    processes = [
        subprocess.Popen(
            [
                *network_guard(),
                refkit_exe(),
                "log",
                "call",
                "-p",
                str(root),
                "--partner",
                "marcus-oyelaran",
                "--note",
                note,
                "--date",
                "2026-06-01",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for note in notes
    ]
    for process in processes:
        _out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    assert activity.read_text(encoding="utf-8").startswith(before)
    touches = load_project(root).touches
    assert len(touches) == count + 10
    assert sorted(t.note or "" for t in touches[count:]) == sorted(notes)
    assert not list(activity.parent.glob(".activity.*"))  # no lock, no temporary file


def test_log_waits_for_the_lock(root: Path) -> None:
    with lock_ledger(root):
        process = subprocess.Popen(
            [
                *network_guard(),
                refkit_exe(),
                *("log", "given", "-p", str(root), "--partner", "marcus-oyelaran"),
                *("--prospect", "Waiting Co"),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(3)  # long enough for the command to load the project and wait
        assert process.poll() is None, process.communicate()
        assert ledger(root).read_text(encoding="utf-8") == LEDGER
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "Waiting Co" in [r.prospect for r in load_project(root).referrals]


@contextlib.contextmanager
def held_by_another_thread(root: Path) -> Iterator[None]:
    """The ledger's lock, held by another thread (the lock is re-entrant in one thread)."""
    taken, done = threading.Event(), threading.Event()

    def hold() -> None:
        with lock_ledger(root):
            taken.set()
            done.wait(timeout=60)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert taken.wait(timeout=30)
        yield
    finally:
        done.set()
        thread.join()


def test_a_held_lock_times_out_with_a_clear_message(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import refkit.ledger_edit

    monkeypatch.setattr(refkit.ledger_edit, "LOCK_TIMEOUT_SECONDS", 0.3)
    with held_by_another_thread(root), pytest.raises(RefkitError) as caught:
        update_referral(
            root,
            partner="dana-whitfield",
            prospect="Acme Co",
            status="won",
            value=None,
            follow_up_due=None,
            thanked=False,
        )
    message = str(caught.value)
    assert "\n" not in message
    assert "another refkit command is writing content/referrals.yaml" in message
    assert ledger(root).read_text(encoding="utf-8") == LEDGER


def test_the_lock_can_be_taken_again_after_release(root: Path) -> None:
    with lock_ledger(root):
        pass
    with lock_ledger(root, timeout=0.1):
        pass
    assert not (root / "content" / ".referrals.yaml.lock").exists()


def test_a_holder_of_the_lock_can_log_several_entries(root: Path) -> None:
    """What `refkit ingest` does: one lock around several appends."""
    with lock_ledger(root, timeout=0.1):
        for name in ("One Co", "Two Co"):
            append_referral(
                root,
                direction="given",
                partner="marcus-oyelaran",
                prospect=name,
                profile=None,
                status=None,
                value=None,
                date=dt.date(2026, 6, 1),
                follow_up_due=None,
                note=None,
                thanked=False,
            )
        assert (root / "content" / ".referrals.yaml.lock").exists()
    logged = [r.prospect for r in load_project(root).referrals]
    assert logged[-2:] == ["One Co", "Two Co"]


# --------------------------------------------------------------------------- item 7: matching


def mark(root: Path, prospect: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_refkit(
        "mark", "-p", root, "--partner", "dana-whitfield", "--prospect", prospect, *args
    )


@pytest.mark.parametrize(
    ("prospect", "changed"),
    [("Acme Co", dt.date(2026, 1, 10)), ("ACME CO", dt.date(2026, 2, 10))],
)
def test_mark_prefers_the_exact_spelling(root: Path, prospect: str, changed: dt.date) -> None:
    result = mark(root, prospect, "--status", "lost")
    assert result.returncode == 0, result.stderr
    statuses = {r.date: r.status for r in load_project(root).referrals}
    expected = {
        dt.date(2026, 1, 10): "meeting",
        dt.date(2026, 2, 10): "proposal",
        dt.date(2026, 3, 1): "introduced",
        dt.date(2026, 4, 1): "won",
    }
    assert statuses == {**expected, changed: "lost"}
    assert "# keep this comment" in ledger(root).read_text(encoding="utf-8")


def test_mark_refuses_several_case_insensitive_matches(root: Path) -> None:
    result = mark(root, "acme co", "--status", "lost")
    assert_one_line_error(
        result, "content/referrals.yaml", "2026-01-10", "meeting", "2026-02-10", "proposal"
    )
    assert "--date YYYY-MM-DD" in result.stderr
    assert ledger(root).read_text(encoding="utf-8") == LEDGER


def test_mark_refuses_several_entries_of_one_prospect(root: Path) -> None:
    result = mark(root, "Beta Co", "--status", "lost")
    assert_one_line_error(result, "2026-03-01", "introduced", "2026-04-01", "won", "--date")
    assert ledger(root).read_text(encoding="utf-8") == LEDGER


def test_mark_finds_a_prospect_logged_with_spaces(root: Path) -> None:
    logged = run_refkit(
        "log", "given", "-p", root, "--partner", "dana-whitfield", "--prospect", "  Zeta   Co "
    )
    assert logged.returncode == 0, logged.stderr
    for typed, status in [("  Zeta   Co ", "meeting"), ("Zeta Co", "won"), ("zeta co", "lost")]:
        result = mark(root, typed, "--status", status)
        assert result.returncode == 0, result.stderr
        (zeta,) = [r for r in load_project(root).referrals if "Zeta" in r.prospect]
        assert zeta.status == status
    assert ledger(root).read_text(encoding="utf-8").startswith(LEDGER)


def test_update_referral_date_picks_one_of_several(root: Path) -> None:
    update_referral(
        root,
        partner="dana-whitfield",
        prospect="Beta Co",
        status="meeting",
        value=None,
        follow_up_due=None,
        thanked=False,
        date=dt.date(2026, 3, 1),
    )
    statuses = {r.date: r.status for r in load_project(root).referrals if r.prospect == "Beta Co"}
    assert statuses == {dt.date(2026, 3, 1): "meeting", dt.date(2026, 4, 1): "won"}


def test_update_referral_date_also_picks_among_case_variants(root: Path) -> None:
    update_referral(
        root,
        partner="dana-whitfield",
        prospect="acme co",
        status="won",
        value=None,
        follow_up_due=None,
        thanked=False,
        date=dt.date(2026, 2, 10),
    )
    statuses = {r.date: r.status for r in load_project(root).referrals}
    assert statuses[dt.date(2026, 1, 10)] == "meeting"
    assert statuses[dt.date(2026, 2, 10)] == "won"


def test_update_referral_with_a_date_that_matches_nothing(root: Path) -> None:
    with pytest.raises(RefkitError) as caught:
        update_referral(
            root,
            partner="dana-whitfield",
            prospect="Beta Co",
            status="won",
            value=None,
            follow_up_due=None,
            thanked=False,
            date=dt.date(2026, 5, 5),
        )
    message = str(caught.value)
    assert "\n" not in message
    assert "2026-05-05" in message and "2026-03-01" in message and "2026-04-01" in message
    assert ledger(root).read_text(encoding="utf-8") == LEDGER


def test_update_referral_not_thanked_and_note(root: Path) -> None:
    kw = {"partner": "dana-whitfield", "value": None, "follow_up_due": None, "status": None}
    update_referral(root, prospect="Acme Co", thanked=True, **kw)
    assert load_project(root).referrals[0].thanked is True
    update_referral(root, prospect="Acme Co", thanked=False, not_thanked=True, **kw)
    update_referral(root, prospect="ACME CO", thanked=False, note="Called: said 'soon'", **kw)
    first, second, *_ = load_project(root).referrals
    assert (first.thanked, first.note) == (False, None)
    assert (second.thanked, second.note) == (False, "Called: said 'soon'")
    text = ledger(root).read_text(encoding="utf-8")
    assert "  thanked: false\n" in text
    assert "# keep this comment" in text


def test_update_referral_refuses_thanked_and_not_thanked(root: Path) -> None:
    with pytest.raises(RefkitError, match="not-thanked"):
        update_referral(
            root,
            partner="dana-whitfield",
            prospect="Acme Co",
            status=None,
            value=None,
            follow_up_due=None,
            thanked=True,
            not_thanked=True,
        )
    assert ledger(root).read_text(encoding="utf-8") == LEDGER


def test_update_referral_refuses_a_bad_note_in_the_options_words(root: Path) -> None:
    with pytest.raises(RefkitError) as caught:
        update_referral(
            root,
            partner="dana-whitfield",
            prospect="Acme Co",
            status=None,
            value=None,
            follow_up_due=None,
            thanked=False,
            note="bad \udcff byte",
        )
    assert "--note" in str(caught.value)
    assert ledger(root).read_text(encoding="utf-8") == LEDGER


# --------------------------------------------------------------------------- item 10: a directory


@pytest.fixture
def ledger_is_a_directory(make_project) -> Path:
    root = make_project(**{"content/referrals.yaml": None})
    (root / "content" / "referrals.yaml").mkdir()
    (root / "content" / "referrals.yaml" / "keep.txt").write_text("mine")
    return root


@pytest.mark.parametrize(
    "args",
    [
        ["log", "given", "--partner", "dana-whitfield", "--prospect", "X Co"],
        ["mark", "--partner", "dana-whitfield", "--prospect", "X Co", "--status", "won"],
    ],
)
def test_ledger_edits_refuse_a_directory(ledger_is_a_directory: Path, args: list[str]) -> None:
    root = ledger_is_a_directory
    result = run_refkit(*args, "-p", root)
    assert_one_line_error(result, "content/referrals.yaml", "not a regular file")
    assert (root / "content" / "referrals.yaml" / "keep.txt").read_text() == "mine"


def test_check_refuses_a_directory(ledger_is_a_directory: Path) -> None:
    result = run_refkit("check", "-p", ledger_is_a_directory)
    assert_one_line_error(result, "content/referrals.yaml", "not a regular file")
