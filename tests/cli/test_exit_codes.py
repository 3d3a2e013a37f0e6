"""Exit codes, command by command: 2 for a command line that is wrong whatever the
project holds (click's usage errors), 1 for content that refuses it, never a traceback.

The line between them: a missing or malformed option, a value outside its
choices or format, options that contradict each other or ask for nothing are
usage errors (exit 2, click's ``Usage:`` and ``Error:`` lines). A value that
names something the project does not have (a partner, a profile, a logged
referral), or that breaks a rule of the content model which `refkit check`
would report in a file, is a content error (exit 1, one ``error:`` line per
problem, with "did you mean" for a typo), as `refkit check` exits on bad content.
A refused command leaves the ledger byte for byte as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from refkit.cli import main

P = "{project}"
BRIEF = "{brief}"
LOG = ["log", "received", "-p", P]
MARK = ["mark", "-p", P]
DANA = ["--partner", "dana-whitfield"]
X = ["--prospect", "Kettle Moraine Foods"]

#: (arguments, exit code, a part of what is said)
CASES: list[tuple[list[str], int, str]] = [
    # ---- usage errors: exit 2
    ([*LOG, *DANA], 2, "Missing option '--prospect'"),
    ([*LOG, *X], 2, "Missing option '--partner'"),
    (["log", "sideways", "-p", P, *DANA, *X], 2, "'sideways' is not one of"),
    ([*LOG, *DANA, *X, "--status", "bogus"], 2, "'bogus' is not one of"),
    ([*LOG, *DANA, *X, "--value", "-3"], 2, "is not in the range x>=0"),
    ([*LOG, *DANA, *X, "--value", "abc"], 2, "'abc' is not a valid float"),
    ([*LOG, *DANA, *X, "--date", "2026-13-01"], 2, "does not match the format"),
    ([*LOG, *DANA, *X, "--follow-up", "soon"], 2, "does not match the format"),
    (
        ["log", "given", "-p", P, *DANA, *X, "--profile", "growing-manufacturers"],
        2,
        "--profile is for received referrals",
    ),
    ([*MARK, *DANA, "--status", "won"], 2, "Missing option '--prospect'"),
    ([*MARK, *X, "--status", "won"], 2, "Missing option '--partner'"),
    ([*MARK, *DANA, *X, "--status", "nope"], 2, "'nope' is not one of"),
    ([*MARK, *DANA, *X, "--date", "2026-02-30", "--status", "won"], 2, "does not match"),
    ([*MARK, *DANA, *X], 2, "nothing to change: give --status"),
    ([*MARK, *DANA, *X, "--thanked", "--not-thanked"], 2, "--thanked or --not-thanked, not both"),
    (["email", "nope", "-p", P], 2, "'nope' is not one of"),
    (["email", "introduction", "-p", P, "--format", "pdf"], 2, "'pdf' is not one of"),
    (["ingest", "-p", P], 2, "Missing argument 'FILES...'"),
    (["partners", "-p", P, "--today", "yesterday"], 2, "does not match the format"),
    (["build", "-p", P, "--only", "nope"], 2, "nope (choose from site, pdf, email, report)"),
    (["build", "-p", P, "--jobs", "0"], 2, "0 is not in the range x>=1"),
    (["check", "-p", P, "--jobs", "0"], 2, "0 is not in the range x>=1"),
    (["schema", "nope"], 2, "'nope' is not one of"),
    (["serve", "-p", P, "--port", "99999"], 2, "not in the range 0<=x<=65535"),
    (["init", "a", "-p", "b"], 2, "give the folder once"),
    (["check", "-p", P, "--nope"], 2, "No such option '--nope'"),
    (["nope"], 2, "No such command 'nope'"),
    # ---- content errors: exit 1
    ([*LOG, "--partner", "dana-whitfeld", *X], 1, "(did you mean 'dana-whitfield'?)"),
    ([*LOG, "--partner", "DANA-WHITFIELD", *X], 1, "(did you mean 'dana-whitfield'?)"),
    ([*LOG, *DANA, *X, "--profile", "growing-manufacturer"], 1, "did you mean 'growing-m"),
    ([*LOG, *DANA, "--prospect", "  "], 1, "--prospect: is empty"),
    ([*LOG, *DANA, *X, "--value", "inf"], 1, "--value: Input should be a finite number"),
    ([*MARK, "--partner", "dana-whitfeld", *X, "--status", "won"], 1, "did you mean 'dana-w"),
    ([*MARK, "--partner", "Dana-Whitfield", *X, "--status", "won"], 1, "did you mean 'dana-w"),
    ([*MARK, *DANA, "--prospect", "Nobody", "--status", "won"], 1, "no referral of 'Nobody'"),
    (["email", "check-in", "-p", P, "--partner", "dana-whitfeld"], 1, "did you mean 'dana-w"),
    (["email", "check-in", "-p", P, "--partner", "gary-koenig"], 1, "is retired"),
    (["email", "introduction", "-p", P, "--profile", "first-hr"], 1, "did you mean 'first-hr-"),
    (["ingest", "-p", P, "--partner", "dana-whitfeld", BRIEF], 1, "did you mean 'dana-w"),
    (["check", "-p", "{project}/nowhere"], 1, "no content/ folder here"),
    (["init", P], 1, "is not empty"),
]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import write_project

    root = write_project(tmp_path_factory.mktemp("exit-codes"))
    (root / "brief.txt").write_text(
        "Prospect: Jane Doe\nProfile: growing-manufacturers\n", encoding="utf-8"
    )
    return root


@pytest.mark.parametrize(
    ("args", "code", "said"), CASES, ids=[" ".join(c[0]).replace(P, "P") for c in CASES]
)
def test_exit_code(project: Path, args: list[str], code: int, said: str) -> None:
    ledger = project / "content" / "referrals.yaml"
    before = ledger.read_bytes()
    filled = [a.replace(P, str(project)).replace(BRIEF, str(project / "brief.txt")) for a in args]
    result = CliRunner().invoke(main, filled)
    output = result.output
    assert "Traceback" not in output, output
    assert result.exception is None or isinstance(result.exception, SystemExit), output
    assert result.exit_code == code, output
    assert said in output, output
    if code == 2:
        assert "Usage:" in output and "Error:" in output
    else:
        errors = [line for line in output.splitlines() if ": error: " in line]
        assert errors, output
        assert "Usage:" not in output
        if "did you mean" in said:  # one line for the option, not also "is not a slug"
            assert len([line for line in errors if "--partner" in line]) <= 1, output
    assert ledger.read_bytes() == before


def test_every_partner_option_suggests_the_slug(project: Path) -> None:
    """Each command that takes --partner answers a typo with the partner it means."""
    taking = sorted(
        name
        for name, command in main.commands.items()
        if any("--partner" in getattr(p, "opts", ()) for p in command.params)
    )
    typo = [args[0] for args, code, said in CASES if code == 1 and "did you mean 'dana" in said]
    assert taking and set(taking) <= set(typo), (taking, typo)
