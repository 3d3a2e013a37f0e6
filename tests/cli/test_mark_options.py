"""`refkit mark`'s options from the contract: --not-thanked, --note, --date."""

from __future__ import annotations

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
    result = CliRunner().invoke(main, [*args, "Kettle Moraine Foods", "--date", "1999-01-01"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
