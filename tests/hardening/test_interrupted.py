"""Issue #11, "Interrupted builds": SIGKILL at several moments of a large build.

Whenever a build dies, the previous ``output/`` is byte-identical (or, killed
after its swap, the new build is whole); the next successful build leaves no
staging folder beside it; and none of the build's processes (PDF workers,
the forkserver, the resource tracker) outlive it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from conftest import TODAY, network_guard, refkit_exe

#: loaded by every Python process of the build: each layout takes 20 s more, so
#: a worker killed in the middle of a PDF would still be busy long after
SLOW_LAYOUT = """\
import time

import weasyprint

_render = weasyprint.HTML.render


def _slow(self, *args, **kwargs):
    time.sleep(20)
    return _render(self, *args, **kwargs)


weasyprint.HTML.render = _slow
"""

pytestmark = pytest.mark.slow

#: partners the test adds to the example, so the build has PDFs and a write
#: phase long enough to be caught in the middle
EXTRA_PARTNERS = 6


def tree_hash(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` by relative path: its SHA-256."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def add_partners(root: Path, company: str) -> None:
    """EXTRA_PARTNERS partners like the example's Dana Whitfield, of ``company``."""
    partners = root / "content" / "partners"
    model = yaml.safe_load((partners / "dana-whitfield.yaml").read_text(encoding="utf-8"))
    model.pop("notes", None)
    for number in range(EXTRA_PARTNERS):
        data = {
            **model,
            "name": f"Extra Partner {number}",
            "company": f"{company} {number}",
            "email": f"extra{number}@example.com",
        }
        path = partners / f"extra-{number}.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def processes_marked(mark: str) -> dict[int, str]:
    """The live processes whose environment carries ``mark`` (all a build starts inherit it)."""
    found: dict[int, str] = {}
    needle = f"REFKIT_TEST_BUILD={mark}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue  # gone meanwhile, or not ours to read
        if state not in ("Z", "X"):  # a zombie has exited; only its parent may reap it
            found[int(entry.name)] = command
    return found


def wait_for(condition: Callable[[], bool], process: subprocess.Popen[bytes], what: str) -> None:
    """Poll ``condition`` until it holds; fail if ``process`` ends first or it takes 5 minutes."""
    deadline = time.monotonic() + 300
    while not condition():
        assert process.poll() is None, f"the build ended before {what}"
        assert time.monotonic() < deadline, f"no {what} within 5 minutes"
        time.sleep(0.002)


@pytest.fixture
def marks() -> Iterator[list[str]]:
    """The marks of the builds a test started; what of theirs still lives is killed at the end."""
    started: list[str] = []
    yield started
    for mark in started:
        for pid in processes_marked(mark):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def test_sigkill_at_any_moment_leaves_the_previous_output(
    make_project, marks, tmp_path: Path
) -> None:
    root = make_project()
    out = root / "output"

    def run(company: str, kill_when: Callable[[subprocess.Popen[bytes]], None] | None) -> None:
        add_partners(root, company)
        mark = uuid.uuid4().hex
        marks.append(mark)
        command = [*network_guard(), refkit_exe(), "build", "-p", str(root), "-j", "2"]
        command += ["--today", TODAY.isoformat()]
        log = tmp_path / f"build-{len(marks)}.log"
        with log.open("wb") as stream:  # not a pipe: a leftover child would keep it open
            process = subprocess.Popen(
                command,
                env={**os.environ, "REFKIT_TEST_BUILD": mark},
                stdout=stream,
                stderr=subprocess.STDOUT,
            )
        if kill_when is None:
            assert process.wait(timeout=300) == 0, log.read_text()
        else:
            kill_when(process)
            process.kill()
            process.wait(timeout=60)
        # nothing of the build lives on: workers, forkserver, resource tracker
        deadline = time.monotonic() + 15
        while processes_marked(mark) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert processes_marked(mark) == {}

    def early(process: subprocess.Popen[bytes]) -> None:
        time.sleep(0.4)

    def during_pdfs(process: subprocess.Popen[bytes]) -> None:
        mark = marks[-1]

        def workers() -> bool:
            found = processes_marked(mark).values()
            return sum("multiprocessing.forkserver" in c for c in found) >= 3

        wait_for(workers, process, "PDF workers")  # the forkserver and two workers
        time.sleep(0.5)

    def staging() -> bool:
        return any(p.name.startswith(".output.new-") for p in os.scandir(root))

    def write_phase_start(process: subprocess.Popen[bytes]) -> None:
        wait_for(staging, process, "write phase")

    def write_phase_later(process: subprocess.Popen[bytes]) -> None:
        wait_for(staging, process, "write phase")
        time.sleep(0.03)  # into the files, or the swap, or just after it

    def stale() -> list[str]:
        return sorted(p.name for p in root.iterdir() if p.name.startswith(".output"))

    run("First", None)
    first = tree_hash(out)
    for moment in (early, during_pdfs):
        run("Second", moment)
        assert tree_hash(out) == first, moment.__name__
    run("Second", None)
    assert stale() == []
    second = tree_hash(out)
    assert second != first
    # the build of First's content is killed in its write phase: output/ is
    # Second's build whole, or (killed after its swap) First's build whole
    for moment in (write_phase_start, write_phase_later):
        run("First", moment)
        assert tree_hash(out) in (second, first), moment.__name__
        if tree_hash(out) == first:
            run("Second", None)
    run("First", None)
    assert stale() == []
    assert tree_hash(out) == first


def test_pdf_workers_exit_at_once_when_the_build_is_killed(
    make_project, marks, tmp_path: Path
) -> None:
    root = make_project()
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(SLOW_LAYOUT)
    mark = uuid.uuid4().hex
    marks.append(mark)
    path = [str(hooks), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    env = {**os.environ, "REFKIT_TEST_BUILD": mark, "PYTHONPATH": os.pathsep.join(path)}
    command = [*network_guard(), refkit_exe(), "build", "-p", str(root), "--only", "pdf", "-j", "2"]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )

    def workers() -> bool:
        found = processes_marked(mark).values()
        return sum("multiprocessing.forkserver" in c for c in found) >= 3

    wait_for(workers, process, "PDF workers")
    time.sleep(2)  # each worker is in the middle of its first PDF
    process.kill()
    process.wait(timeout=60)
    deadline = time.monotonic() + 5
    while processes_marked(mark) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert processes_marked(mark) == {}
