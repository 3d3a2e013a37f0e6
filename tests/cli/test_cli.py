"""The command line: help, usage errors, init, and what each command costs to import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import run_refkit
from refkit.cli import main


def test_every_command_has_help() -> None:
    runner = CliRunner()
    for name, command in main.commands.items():
        assert command.help and len(command.help.strip()) > 40, name
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Usage:" in result.output
    assert {"init", "check", "build", "serve", "email", "partners", "log", "schema"} <= set(
        main.commands
    )


def test_usage_errors_exit_2() -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["buidl"]).exit_code == 2
    assert runner.invoke(main, ["build", "--jobs", "0"]).exit_code == 2
    assert runner.invoke(main, ["email", "no-such-template"]).exit_code == 2


def test_init_refuses_non_empty_dir(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    result = run_refkit("init", tmp_path)
    assert result.returncode == 1
    assert "is not empty" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and "refkit" in result.output


def test_init_takes_the_folder_as_argument_or_project_option(tmp_path: Path) -> None:
    result = run_refkit("init", "-p", tmp_path / "via-option")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "via-option" / "content" / "business.yaml").is_file()
    here = tmp_path / "here"
    here.mkdir()
    result = run_refkit("init", cwd=here)  # like -p everywhere: the current folder
    assert result.returncode == 0, result.stderr
    assert (here / "content" / "business.yaml").is_file()
    assert run_refkit("init", cwd=here).returncode == 1  # no longer empty
    runner = CliRunner()
    both = runner.invoke(main, ["init", str(tmp_path / "a"), "-p", str(tmp_path / "b")])
    assert both.exit_code == 2 and not (tmp_path / "a").exists()


def test_log_refuses_a_profile_on_a_given_referral(make_project) -> None:
    root = make_project()
    ledger = root / "content" / "referrals.yaml"
    before = ledger.read_bytes()
    result = CliRunner().invoke(
        main,
        [
            "log",
            "given",
            "--partner",
            "dana-whitfield",
            "--prospect",
            "A",
            "--profile",
            "first-hr-hire",
            "-p",
            str(root),
        ],
    )
    assert result.exit_code == 2
    assert "--profile is for received referrals" in result.output
    assert ledger.read_bytes() == before


def test_a_terminal_that_is_not_utf8_gets_no_traceback(make_project) -> None:
    root = make_project()
    env = {"PYTHONIOENCODING": "ascii"}
    result = run_refkit("partners", "--today", "2026-11-25", "-p", root, env=env)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "Carvalho" in result.stdout


def test_email_eml_says_when_the_one_pagers_are_not_built_yet(make_project) -> None:
    root = make_project()
    args = ("email", "criteria-share", "--partner", "dana-whitfield", "--format", "eml", "-p")
    before = run_refkit(*args, root)
    assert before.returncode == 0, before.stderr
    assert "not attached" in before.stderr and "run `refkit build` first" in before.stderr
    assert run_refkit("build", "--only", "pdf", "-p", root).returncode == 0
    after = run_refkit(*args, root)
    assert after.returncode == 0 and "not attached" not in after.stderr
    assert after.stdout.count("Content-Disposition: attachment") == 3


#: records, as the interpreter exits, which WeasyPrint modules the command loaded
WEASYPRINT_PROBE = """\
import atexit, sys

def record():
    with open(sys.argv[1], "w", encoding="utf-8") as file:
        file.write(repr(sorted(m for m in sys.modules if m.split(".")[0] == "weasyprint")))

atexit.register(record)
from refkit.cli import main
main(sys.argv[2:], prog_name="refkit")
"""


@pytest.mark.parametrize(
    "args",
    [
        ["--version"],
        ["check", "-p", "{root}"],
        ["schema"],
        ["partners", "--json", "-p", "{root}"],
        ["partners", "-p", "{root}"],
        ["build", "--only", "site", "-p", "{root}"],
        ["build", "--only", "site,email,report", "-p", "{root}"],
        ["email", "criteria-share", "--partner", "dana-whitfield", "-p", "{root}"],
        [
            "email",
            "criteria-share",
            "--partner",
            "dana-whitfield",
            "--format",
            "eml",
            "-p",
            "{root}",
        ],
    ],
    ids=lambda args: " ".join(arg for arg in args if arg not in ("-p", "{root}")),
)
def test_commands_without_pdfs_never_import_weasyprint(
    make_project, tmp_path: Path, args: list[str]
) -> None:
    """WeasyPrint costs most of a second to import: only building PDFs may pay for it."""
    root = make_project()
    record = tmp_path / "weasyprint-modules.txt"
    command = [arg.replace("{root}", str(root)) for arg in args]
    result = subprocess.run(
        [sys.executable, "-c", WEASYPRINT_PROBE, str(record), *command],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert record.read_text(encoding="utf-8") == "[]", "WeasyPrint was imported"
