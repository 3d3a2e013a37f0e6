"""Issue 11's hostile-input suite: every case of hostile_cases.CASES through the installed CLI.

What every case must get, whatever it is about: no Python traceback and no
"hit a bug"; an exit code that is the case's (1 with the file and line of the
problem, or 0 with a safe result); content/, templates/ and .refkit/secret
byte-identical afterwards (but for a file the command is there to edit); and,
when the command failed, the previous output/ byte-identical too.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from hostile_cases import CASES, Case, apply_change, run_case_command

from conftest import TODAY, write_project

#: what a hostile input must never change: the user's work and secret (builds do write
#: the editors' schemas under .refkit/schema/)
PROTECTED = ("content", "templates", ".refkit/secret")


def _entry(path: Path) -> str:
    try:
        info = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return "absent"
    if stat.S_ISLNK(info.st_mode):
        return f"symlink -> {os.readlink(path)}"
    if stat.S_ISDIR(info.st_mode):
        return "folder"
    if stat.S_ISREG(info.st_mode):
        return "file " + hashlib.sha256(path.read_bytes()).hexdigest()
    return f"special {stat.S_IFMT(info.st_mode):o}"  # never opened: a FIFO would block


def snapshot(root: Path, names: tuple[str, ...]) -> dict[str, str]:
    """What is under ``root/NAME`` for each name: every path, its kind and its bytes' hash."""
    found: dict[str, str] = {}
    pending = [root / name for name in names]
    while pending:
        path = pending.pop()
        entry = found[path.relative_to(root).as_posix()] = _entry(path)
        if entry == "folder":
            pending.extend(path.iterdir())
    return found


def _changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(
        f"{path}: {before.get(path, 'absent')} -> {after.get(path, 'absent')}"
        for path in before.keys() | after.keys()
        if before.get(path, "absent") != after.get(path, "absent")
    )


@pytest.fixture(scope="session")
def previous_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """output/ of the example project (site and emails), built once: every case's previous build."""
    from refkit.pipeline import build

    root = write_project(tmp_path_factory.mktemp("previous"))
    build(root, only=["site", "email"], today=TODAY, jobs=1)
    return root / "output"


def _param(case: Case) -> object:
    marks = [pytest.mark.slow] if case.slow else []
    if case.pending is not None:
        marks.append(pytest.mark.xfail(strict=True, reason=case.pending))
    return pytest.param(case, id=case.name, marks=marks)


def test_the_cases_are_many_and_distinct() -> None:
    names = [case.name for case in CASES]
    assert len(names) >= 60
    assert len(set(names)) == len(names), "two cases share a name"


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_hostile_input(case: Case, tmp_path: Path, previous_output: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    write_project(root)
    shutil.copytree(previous_output, root / "output", symlinks=True)
    for rel, change in case.files.items():
        apply_change(root, rel, change)
    if case.setup is not None:
        case.setup(root)
    for before in case.before:
        done = run_case_command([*before, "-p", str(root)], root, case)
        assert done.returncode == 0, done.stderr
    content = snapshot(root, PROTECTED)
    output = snapshot(root, ("output",))

    try:
        result = run_case_command(case.args(root), root, case)
    except subprocess.TimeoutExpired:
        pytest.fail(f"refkit {' '.join(case.command)} did not finish in {case.timeout:.0f} s")

    told = f"exit {result.returncode}\nstderr:\n{result.stderr[-3000:]}"
    assert "Traceback" not in result.stderr, told
    assert "hit a bug" not in result.stderr, told
    allowed = {"error": {1}, "ok": {0}, "either": {0, 1}, "refused": {1, 2}}[case.expect]
    assert result.returncode in allowed, told
    if result.returncode == 1 and case.where is not None:
        assert re.search(case.where, result.stderr, re.MULTILINE), (
            f"stderr does not match {case.where!r}\n{told}"
        )

    changed = _changed(content, snapshot(root, PROTECTED))
    if result.returncode == 0:
        changed = [c for c in changed if c.split(":")[0] not in case.may_change]
    assert not changed, "the run changed the project's own files:\n" + "\n".join(changed)
    if result.returncode != 0:
        changed = _changed(output, snapshot(root, ("output",)))
        assert not changed, "a failed run changed output/:\n" + "\n".join(changed)
    if case.safe is not None:
        problems = case.safe(root, result)
        assert not problems, "\n".join(problems) + "\n" + told
