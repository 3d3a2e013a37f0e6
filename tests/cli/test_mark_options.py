"""`refkit mark`'s options from the contract: --not-thanked, --note, --date."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from refkit.cli import main
from refkit.content.project import load_project


def _entry(root, prospect: str):  # type: ignore[no-untyped-def]
    return next(r for r in load_project(root).referrals if r.prospect == prospect)


def test_not_thanked_note_and_date(make_project) -> None:
    root = make_project()
    assert _entry(root, "Kettle Moraine Foods").thanked is True
    args = ["mark", "-p", str(root), "--partner", "dana-whitfield", "--prospect"]
    result = CliRunner().invoke(
        main, [*args, "Kettle Moraine Foods", "--not-thanked", "--note", "Call after Q3"]
    )
    assert result.exit_code == 0, result.output
    entry = _entry(root, "Kettle Moraine Foods")
    assert entry.thanked is False and entry.note == "Call after Q3"
    date = entry.date.isoformat()
    result = CliRunner().invoke(main, [*args, "Kettle Moraine Foods", "--date", date, "--thanked"])
    assert result.exit_code == 0, result.output
    assert _entry(root, "Kettle Moraine Foods").thanked is True
    result = CliRunner().invoke(
        main, [*args, "Kettle Moraine Foods", "--date", "1999-01-01", "--status", "won"]
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------- which entry


#: two "Dup" entries on different dates and one "dup", all with Dana; another
#: partner's "Dup"; a "Lone Co" to find by case or spacing
DUP_LEDGER = """\
# duplicates, on purpose
- date: 2026-03-01
  direction: received
  partner: dana-whitfield
  prospect: Dup
- date: 2026-04-01
  direction: received
  partner: dana-whitfield
  prospect: Dup
  status: meeting
- date: 2026-05-01   # the lower-case one
  direction: received
  partner: dana-whitfield
  prospect: dup
- date: 2026-05-01
  direction: received
  partner: ines-carvalho
  prospect: Dup
- date: 2026-06-01
  direction: given
  partner: dana-whitfield
  prospect: Lone Co
  note: first note
"""


def _mark(root, *args: str):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(
        main, ["mark", "-p", str(root), "--partner", "dana-whitfield", *args]
    )
    assert "Traceback" not in result.output, result.output
    return result


def _statuses(root) -> list[tuple[str, str, str, str]]:  # type: ignore[no-untyped-def]
    return [
        (r.date.isoformat(), r.partner, r.prospect, r.status) for r in load_project(root).referrals
    ]


def _dup_project(make_project):  # type: ignore[no-untyped-def]
    root = make_project(**{"content/referrals.yaml": DUP_LEDGER})
    return root, root / "content" / "referrals.yaml"


@pytest.mark.parametrize("spelling", ["Dup", "  Dup ", "DUP", "dUp"])
def test_an_ambiguous_prospect_is_refused_with_its_dates(make_project, spelling: str) -> None:
    root, ledger = _dup_project(make_project)
    before = ledger.read_bytes()
    result = _mark(root, "--prospect", spelling, "--status", "won")
    assert result.exit_code == 1
    dates = set(re.findall(r"\d{4}-\d{2}-\d{2}", result.output))
    # "Dup" exactly: the two entries spelled so; any other case: all three of Dana's
    exact = spelling.strip() == "Dup"
    assert dates == ({"2026-03-01", "2026-04-01"} | (set() if exact else {"2026-05-01"}))
    assert "add --date YYYY-MM-DD to pick one" in result.output
    assert ledger.read_bytes() == before


def test_the_exact_spelling_wins_over_another_case(make_project) -> None:
    root, ledger = _dup_project(make_project)
    before = _statuses(root)
    result = _mark(root, "--prospect", "dup", "--status", "won")
    assert result.exit_code == 0, result.output
    after = _statuses(root)
    changed = [new for old, new in zip(before, after, strict=True) if old != new]
    assert changed == [("2026-05-01", "dana-whitfield", "dup", "won")]
    assert "  prospect: dup\n  status: won\n" in ledger.read_text()


@pytest.mark.parametrize(
    ("args", "changed"),
    [
        # --date picks one of the two spelled "Dup"
        (["--prospect", "Dup", "--date", "2026-04-01"], ("2026-04-01", "Dup")),
        # on that date only "dup": the case does not matter when it is unambiguous
        (["--prospect", "DUP", "--date", "2026-05-01"], ("2026-05-01", "dup")),
        # whitespace as a person reads it, any case, when only one entry is so named
        (["--prospect", "  lone   CO "], ("2026-06-01", "Lone Co")),
    ],
)
def test_one_entry_is_picked_when_unambiguous(
    make_project, args: list[str], changed: tuple[str, str]
) -> None:
    root, _ledger = _dup_project(make_project)
    before = _statuses(root)
    result = _mark(root, *args, "--status", "lost")
    assert result.exit_code == 0, result.output
    after = _statuses(root)
    diff = [(new[0], new[2]) for old, new in zip(before, after, strict=True) if old != new]
    assert diff == [changed]
    assert next(r for r in after if (r[0], r[2]) == changed)[3] == "lost"


def test_a_date_with_no_entry_lists_the_dates_there_are(make_project) -> None:
    root, ledger = _dup_project(make_project)
    before = ledger.read_bytes()
    result = _mark(root, "--prospect", "Dup", "--date", "2026-07-01", "--status", "won")
    assert result.exit_code == 1
    assert "no referral of 'Dup' with 'dana-whitfield' on 2026-07-01" in result.output
    assert "2026-03-01" in result.output and "2026-04-01" in result.output
    assert ledger.read_bytes() == before


def test_note_and_not_thanked_change_only_their_values(make_project) -> None:
    root, ledger = _dup_project(make_project)
    assert _mark(root, "--prospect", "Lone Co", "--thanked").exit_code == 0
    text = ledger.read_text()
    result = _mark(root, "--prospect", "Lone Co", "--not-thanked", "--note", "second note")
    assert result.exit_code == 0, result.output
    assert ledger.read_text() == text.replace(
        "  note: first note\n  thanked: true\n", "  note: second note\n  thanked: false\n"
    )
    entry = _entry(root, "Lone Co")
    assert (entry.note, entry.thanked) == ("second note", False)
