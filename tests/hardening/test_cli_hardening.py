"""The command line under pressure: closed pipes, its help, check --pdf, a profile not served.

Issue #11: item 10 (a broken pipe is not a bug) and the "Messages" section.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import network_guard, refkit_exe, run_refkit
from refkit.cli import main

#: what a command that failed on its own must never print
CRASH_SIGNS = ("Traceback", "hit a bug", "Exception ignored", "BrokenPipeError")

PIPED = {
    "check": ["check", "-p", "{root}"],
    "schema": ["schema"],
    "email": ["email", "introduction", "--partner", "dana-whitfield", "-p", "{root}"],
    "email eml": ["email", "criteria-share", "--partner", "dana-whitfield", "--format", "eml"],
    "partners --json": ["partners", "--json", "-p", "{root}"],
    "partners": ["partners", "-p", "{root}"],
}


def _args(name: str, root: Path) -> list[str]:
    args = [a.format(root=root) for a in PIPED[name]]
    if "-p" not in args and name != "schema":
        args += ["-p", str(root)]
    return args


@pytest.mark.parametrize("name", sorted(PIPED))
def test_a_reader_that_went_away_is_not_a_bug(make_project, name: str) -> None:
    """`refkit ... | head -0`: the reader closes the pipe before refkit writes."""
    root = make_project()
    process = subprocess.Popen(
        [*network_guard(), refkit_exe(), *_args(name, root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "COLUMNS": "120"},
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before the child has started Python, let alone written
    stderr = process.stderr.read().decode()
    code = process.wait(timeout=120)
    assert not any(sign in stderr for sign in CRASH_SIGNS), stderr
    assert code == 1, stderr


def test_a_reader_that_read_a_little_is_not_a_bug(make_project) -> None:
    """`refkit schema | head -1`: the reader takes one line and goes."""
    process = subprocess.Popen(
        [*network_guard(), refkit_exe(), "schema"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None and process.stderr is not None
    # a pipe smaller than the schema (31 KB), so refkit is still writing when the reader goes
    fcntl.fcntl(process.stdout.fileno(), fcntl.F_SETPIPE_SZ, 4096)
    assert process.stdout.readline().strip() == b"{"
    process.stdout.close()
    stderr = process.stderr.read().decode()
    # 1, or 0 when the write that was cut short reports what it wrote and no more is tried
    assert process.wait(timeout=120) in (0, 1)
    assert not any(sign in stderr for sign in CRASH_SIGNS), stderr


def test_an_unbroken_pipe_still_gets_everything(make_project) -> None:
    root = make_project()
    result = run_refkit("partners", "--json", "-p", root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith("]")


def _listed_commands(help_text: str) -> dict[str, str]:
    """The Commands section of `refkit --help`: each command's text, continuation lines joined."""
    section = help_text.split("\nCommands:\n", 1)[1]
    listed: dict[str, str] = {}
    last = ""
    for line in section.splitlines():
        if not line.strip():
            continue
        if line.startswith("  ") and not line.startswith("   "):
            last, _, text = line.strip().partition(" ")
            listed[last] = text.strip()
        else:
            listed[last] += " " + line.strip()
    return listed


@pytest.mark.parametrize("columns", ["80", "200"])
def test_help_lists_each_command_by_its_whole_first_line(columns: str) -> None:
    result = run_refkit("--help", env={"COLUMNS": columns})
    assert result.returncode == 0, result.stderr
    listed = _listed_commands(result.stdout)
    assert set(listed) == set(main.commands)
    for name, command in main.commands.items():
        assert command.help, name
        first_line = command.help.strip().splitlines()[0].strip()
        assert listed[name] == first_line, name
        assert not listed[name].endswith("..."), name


def test_a_command_keeps_its_long_help() -> None:
    result = run_refkit("email", "--help", env={"COLUMNS": "80"})
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "Print one introduction email, subject line first, for copy-paste." in text
    assert "Without --partner, prints the generic version with [blanks] to fill in." in text


# --------------------------------------------------------------------------- check --pdf


def _too_long(root: Path) -> None:
    path = root / "content" / "profiles" / "first-hr-hire.yaml"
    data = yaml.safe_load(path.read_text())
    data["criteria"] = [
        f"Criterion {i}: a long sentence describing one more thing a qualified referral "
        "should have before anyone makes an introduction"
        for i in range(90)
    ]
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def _errors(stderr: str) -> list[str]:
    return sorted(line for line in stderr.splitlines() if ": error: " in line)


def test_check_pdf_reports_a_one_pager_that_does_not_fit_as_build_does(make_project) -> None:
    root = make_project()
    _too_long(root)
    # without --pdf, check cannot tell (the README says so)
    assert run_refkit("check", "-p", root).returncode == 0

    checked = run_refkit("check", "--pdf", "-p", root)
    assert checked.returncode == 1, checked.stderr
    assert not any(sign in checked.stderr for sign in CRASH_SIGNS), checked.stderr
    built = run_refkit("build", "--only", "pdf", "-p", root)
    assert built.returncode == 1
    errors = _errors(checked.stderr)
    assert errors == _errors(built.stderr)
    assert any(
        line.startswith(
            "content/profiles/first-hr-hire.yaml: error: the one-pager "
            "(pdf/clients/first-hr-hire.pdf) does not fit on one page"
        )
        for line in errors
    ), errors
    assert not (root / "output").exists()


def test_check_pdf_on_content_that_fits_writes_nothing(make_project) -> None:
    root = make_project()
    (root / ".refkit" / "secret").unlink()
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    result = run_refkit("check", "--pdf", "-p", root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: ")
    assert "one-pagers fit" in result.stdout
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before


# --------------------------------------------------------------------------- email --profile


def test_email_for_a_profile_the_partner_does_not_serve_warns(make_project) -> None:
    root = make_project()
    result = run_refkit(
        "email",
        "introduction",
        "--partner",
        "raj-patel",
        "--profile",
        "growing-manufacturers",
        "-p",
        root,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Subject: ")
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line]
    assert len(warnings) == 1, result.stderr
    line = (root / "content/partners/raj-patel.yaml").read_text().splitlines().index("serves:")
    assert warnings[0].startswith(
        f"content/partners/raj-patel.yaml:{line + 1}:1: warning: serves: "
    )
    assert "growing-manufacturers" in warnings[0]
    assert "first-hr-hire" in warnings[0]


def test_email_for_a_profile_the_partner_serves_does_not_warn(make_project) -> None:
    root = make_project()
    result = run_refkit(
        "email", "introduction", "--partner", "raj-patel", "--profile", "first-hr-hire", "-p", root
    )
    assert result.returncode == 0, result.stderr
    assert ": warning: " not in result.stderr
