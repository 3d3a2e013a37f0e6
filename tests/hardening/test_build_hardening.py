"""Issue #11, items 5, 6, 13 and 14: where a build may write, what an interrupted
build leaves behind, two builds of one output at once, and reproducible PDFs
when fonts are subset by fontTools instead of HarfBuzz."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from conftest import TODAY, refkit_exe, run_refkit
from refkit.errors import OutputError
from refkit.pipeline import build
from refkit.scaffold import create_project
from refkit.writer import MARKER


def tree_hash(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` by relative path: its SHA-256."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def build_cli(root: Path, *args: str | Path, **kw: object) -> subprocess.CompletedProcess[str]:
    """``refkit build -p ROOT --today TODAY ARGS`` through the installed script."""
    return run_refkit("build", "-p", root, "--today", TODAY.isoformat(), *args, **kw)  # type: ignore[arg-type]


def dot_entries(folder: Path) -> list[str]:
    """The names of the hidden entries of ``folder`` other than ``.refkit``."""
    return sorted(
        p.name for p in folder.iterdir() if p.name.startswith(".") and p.name != ".refkit"
    )


# --------------------------------------------------------------------------- item 5


@pytest.mark.parametrize(
    "out",
    ["templates", "templates/site", "content", "content/assets", ".refkit", ".refkit/schema"],
)
def test_out_inside_a_project_folder_is_refused(make_project, out: str) -> None:
    root = make_project()
    before = tree_hash(root)
    result = build_cli(root, "--only", "site", "--out", root / out)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    folder = out.split("/")[0]
    assert f"{root / out}: error: " in lines[0]
    assert f"inside the project's {folder}/" in lines[0]
    assert tree_hash(root) == before  # nothing written, not even the lock
    assert dot_entries(root) == []


def test_out_in_an_absent_templates_folder_does_not_poison_later_builds(make_project) -> None:
    root = make_project()
    assert not (root / "templates").exists()
    result = run_refkit("build", "-p", ".", "--only", "site", "--out", "templates", cwd=root)
    assert result.returncode == 1, result.stderr
    assert not (root / "templates").exists()
    assert build_cli(root, "--only", "site").returncode == 0


def test_out_beside_the_project_folders_is_fine(make_project) -> None:
    root = make_project()
    result = build_cli(root, "--only", "site", "--out", root / "content-out")
    assert result.returncode == 0, result.stderr
    assert (root / "content-out" / "site" / "index.html").is_file()


# --------------------------------------------------------------------------- item 6


def _stale(parent: Path, name: str, *, marked: str | None, files: dict[str, str]) -> Path:
    folder = parent / name
    folder.mkdir()
    if marked is not None:
        marker = folder / marked / MARKER
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text("Built by refkit.\n")
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return folder


def test_stale_staging_folders_of_this_output_are_removed(make_project) -> None:
    root = make_project()
    assert build_cli(root, "--only", "site").returncode == 0
    # what SIGKILL leaves: a half-written new build, a swapped-out old one, an empty one
    private = {"email/dana-whitfield/introduction.txt": "https://example.com/p/secret-token/"}
    _stale(root, ".output.new-k2j4h5g6", marked=".", files=private)
    _stale(root, ".output.old-a1b2c3d4", marked="output", files={"output/site/x.html": "x"})
    _stale(root, ".output.new-zz99zz99", marked=None, files={})
    # look-alikes that are not refkit's staging of output/: never touched
    keep = [
        _stale(root, ".output.new-mine", marked=".", files={}),  # not refkit's naming
        _stale(root, ".output.old-backup12", marked=None, files={"notes.txt": "mine"}),
        _stale(root, ".output.new-q1w2e3r4", marked=None, files={"notes.txt": "mine"}),
        _stale(root, ".other.new-k2j4h5g6", marked=".", files={}),  # another output's
    ]
    (root / ".output.new-f1l3f1l3").write_text("a file, not a folder")
    elsewhere = root.parent / f"{root.name}-elsewhere"
    elsewhere.mkdir()
    outside = _stale(elsewhere, ".output.new-k2j4h5g6", marked=".", files={})
    (root / ".output.old-l1nkl1nk").symlink_to(outside)

    result = build_cli(root, "--only", "site")
    assert result.returncode == 0, result.stderr
    assert dot_entries(root) == sorted(
        [p.name for p in keep] + [".output.new-f1l3f1l3", ".output.old-l1nkl1nk"]
    )
    assert all((folder / "notes.txt").exists() for folder in keep[1:3])
    assert (outside / MARKER).is_file()


def test_output_lost_between_the_two_renames_of_a_swap_is_restored(make_project) -> None:
    root = make_project()
    assert build_cli(root).returncode == 0
    before = tree_hash(root / "output")
    # SIGKILL between "output -> .output.old-X/output" and ".output.new-Y -> output"
    trash = root / ".output.old-a1b2c3d4"
    trash.mkdir()
    (root / "output").rename(trash / "output")
    _stale(root, ".output.new-k2j4h5g6", marked=".", files={"site/index.html": "half"})
    result = build_cli(root, "--only", "site")
    assert result.returncode == 0, result.stderr
    assert dot_entries(root) == []
    after = tree_hash(root / "output")
    # the kinds --only did not rebuild come from the restored previous build
    assert {k: v for k, v in after.items() if not k.startswith("site/")} == {
        k: v for k, v in before.items() if not k.startswith("site/")
    }
    assert after == before  # and the site is rebuilt the same


def test_scaffold_gitignore_ignores_staging_folders_and_the_lock(tmp_path: Path) -> None:
    root = tmp_path / "project"
    create_project(root, refkit_version="0.1.0")
    names = [
        ".output.new-k2j4h5g6/",
        ".output.old-a1b2c3d4/",
        ".output.old-a1b2c3d4/output/email/x.txt",
        ".output.lock",
        "output/site/index.html",
        ".refkit/secret",
        "content/.referrals.yaml.lock",
        "content/.referrals.k2j4h5g6.tmp",
    ]
    shown = [
        "content/business.yaml",
        "content/referrals.yaml",
        "templates/README.md",
        ".gitignore",
        "outputs.txt",
    ]
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    result = subprocess.run(
        ["git", "check-ignore", "--no-index", "-v", "--stdin"],
        input="\n".join(names + shown) + "\n",
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    ignored = {line.split("\t")[-1] for line in result.stdout.splitlines()}
    assert ignored == set(names), result.stdout + result.stderr


# --------------------------------------------------------------------------- item 13


def test_a_second_build_waits_for_the_first(make_project) -> None:
    from refkit.writer import lock_output

    root = make_project()
    with lock_output(root / "output"):
        process = subprocess.Popen(
            [refkit_exe(), "build", "-p", str(root), "--only", "site"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        # until the second build says it waits (however long a loaded machine takes
        # to start it): only then is it known to have met the lock
        assert process.stderr is not None
        first = process.stderr.readline()
        assert "waiting for another build of " in first, first
        assert process.poll() is None, process.communicate()
        assert not (root / "output").exists()
    stdout, rest = process.communicate(timeout=120)
    stderr = first + rest
    assert process.returncode == 0, stderr
    assert f"{root / 'output'}/" in stderr
    assert "Traceback" not in stderr
    assert (root / "output" / "site" / "index.html").is_file()
    assert dot_entries(root) == []  # the lock file goes with the build


def test_a_build_that_waits_too_long_fails_with_a_clear_error(make_project, capsys) -> None:
    from refkit.writer import lock_output

    root = make_project()
    with lock_output(root / "output"), pytest.raises(OutputError) as caught:
        build(root, only=["site"], today=TODAY, lock_timeout=0.5)
    message = str(caught.value)
    assert message.startswith(f"{root / 'output'}: error: ")
    assert "another build of this folder is still running" in message
    assert f"pid {os.getpid()}" in message
    assert "waiting for another build of" in capsys.readouterr().err
    assert not (root / "output").exists()


def test_a_lock_left_by_a_killed_build_does_not_block(make_project) -> None:
    root = make_project()
    (root / ".output.lock").write_text("12345\n")  # flock went with the process
    result = build_cli(root, "--only", "site")
    assert result.returncode == 0, result.stderr
    assert "waiting" not in result.stderr
    assert dot_entries(root) == []


def test_a_symlinked_lock_file_is_refused(make_project, tmp_path: Path) -> None:
    root = make_project()
    target = tmp_path / "precious.txt"
    target.write_text("mine")
    (root / ".output.lock").symlink_to(target)
    result = build_cli(root, "--only", "site")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert ".output.lock: error: " in result.stderr and "symbolic link" in result.stderr
    assert target.read_text() == "mine"


def test_a_build_never_writes_while_another_is_in_its_write_phase(make_project) -> None:
    root = make_project()
    assert build_cli(root, "--only", "site,email").returncode == 0
    expected = tree_hash(root / "output")
    command = [refkit_exe(), "build", "-p", str(root), "--only", "site,email"]
    command += ["--today", TODAY.isoformat()]
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not any(p.name.startswith(".output.new-") for p in os.scandir(root)):
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline
        os.kill(first.pid, signal.SIGSTOP)  # frozen in the middle of its write phase
        second = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        said: list[str] = []
        reader = threading.Thread(target=lambda: said.extend(second.stderr or []), daemon=True)
        reader.start()
        deadline = time.monotonic() + 60
        while not any("waiting for another build of " in line for line in said):
            assert second.poll() is None, "the second build did not wait"
            assert time.monotonic() < deadline, said
            time.sleep(0.05)
        time.sleep(1)
        assert second.poll() is None  # still waiting, not failing
    finally:
        os.kill(first.pid, signal.SIGCONT)
    _stdout, stderr = first.communicate(timeout=120)
    assert first.returncode == 0, stderr
    second.wait(timeout=120)
    reader.join(timeout=10)
    assert second.returncode == 0, said
    assert "Traceback" not in stderr + "".join(said)
    assert f"waiting for another build of {root / 'output'}/ (pid {first.pid})" in said[0]
    assert dot_entries(root) == []
    assert tree_hash(root / "output") == expected


def test_concurrent_in_process_builds_take_turns(make_project) -> None:
    root = make_project()
    errors: list[BaseException] = []

    def one() -> None:
        try:
            build(root, only=["site"], today=TODAY, jobs=1)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert dot_entries(root) == []
    assert (root / "output" / "site" / "index.html").is_file()


# --------------------------------------------------------------------------- item 14

#: loaded by every Python process of the build (main, forkserver, workers): makes
#: WeasyPrint subset fonts with fontTools, as on a machine without
#: libharfbuzz-subset0, records that it did, and moves fontTools' clock on by an
#: hour at every call, so an unfixed timestamp can never match by chance
FONTTOOLS_FALLBACK = textwrap.dedent(
    """\
    import os, time

    import fontTools.misc.timeTools as _time_tools
    import weasyprint.pdf.fonts as _fonts

    _fonts.harfbuzz_subset = None
    _subset = _fonts.Font._fonttools_subset

    def _recorded(self, *args, **kwargs):
        with open(os.environ["FALLBACK_LOG"], "a") as log:
            log.write(f"{os.getpid()}\\n")
        return _subset(self, *args, **kwargs)

    _fonts.Font._fonttools_subset = _recorded

    class _Clock:
        calls = 0

        @classmethod
        def time(cls):
            cls.calls += 1
            return time.time() + 3600 * cls.calls

    _time_tools.time = _Clock
    """
)

DRIVER = textwrap.dedent(
    """\
    import datetime, os, sys
    from pathlib import Path

    from refkit.pipeline import build

    if __name__ == "__main__":  # the forkserver imports this file again
        root, out, jobs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
        build(root, out_dir=out, only=["pdf"], jobs=jobs, today=datetime.date(2026, 11, 25))
        print("SOURCE_DATE_EPOCH" in os.environ)
    """
)


@pytest.mark.slow
def test_pdfs_are_reproducible_when_fonttools_subsets_the_fonts(
    make_project, tmp_path: Path
) -> None:
    root = make_project()
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(FONTTOOLS_FALLBACK)
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    log = tmp_path / "fallback.log"
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    path = [str(hooks), *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
    env.update(PYTHONPATH=os.pathsep.join(path), FALLBACK_LOG=str(log))
    trees = []
    # once in worker processes, once in this process: both must pin the fonts' date
    for number, jobs in enumerate((2, 1)):
        out = tmp_path / f"out{number}"
        result = subprocess.run(
            [sys.executable, str(driver), str(root), str(out), str(jobs)],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "False"  # the user's environment is left as it was
        trees.append(tree_hash(out))
    pids = set(log.read_text().split())
    assert len(pids) >= 2, "fontTools did not subset in the workers and in-process"
    assert sum(path.startswith("pdf/") for path in trees[0]) == 10
    assert trees[0] == trees[1]


@pytest.mark.slow
def test_the_users_source_date_epoch_wins(make_project, tmp_path: Path, monkeypatch) -> None:
    import fontTools.ttLib.tables._h_e_a_d as head
    import weasyprint.pdf.fonts as fonts

    root = make_project()
    monkeypatch.setattr(fonts, "harfbuzz_subset", None)
    seen: list[str | None] = []
    real = head.timestampNow

    def recorded() -> int:
        seen.append(os.environ.get("SOURCE_DATE_EPOCH"))
        return real()

    monkeypatch.setattr(head, "timestampNow", recorded)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build(root, out_dir=tmp_path / "mine", only=["pdf"], jobs=1, today=TODAY)
    assert seen and set(seen) == {"1700000000"}
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    seen.clear()
    build(root, out_dir=tmp_path / "fixed", only=["pdf"], jobs=1, today=TODAY)
    assert seen and len(set(seen)) == 1 and None not in seen
    assert "SOURCE_DATE_EPOCH" not in os.environ


# --------------------------------------------------------------------------- found outside the list


def test_the_pdf_workers_never_import_from_the_working_folder(make_project, tmp_path) -> None:
    """`python -c` puts the working folder first on sys.path: the forkserver must not use it.

    A folder to build from that holds a ``refkit/`` package of its own (a
    checkout, a download, a hostile archive) must not run it.
    """
    root = make_project()
    here = tmp_path / "elsewhere"
    marker = tmp_path / "imported-from-the-working-folder"
    for package in ("refkit", "weasyprint"):
        (here / package).mkdir(parents=True)
        (here / package / "__init__.py").write_text(
            f"open({str(marker)!r}, 'a').write({package!r} + '\\n')\n", encoding="utf-8"
        )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONSAFEPATH"}
    result = run_refkit("build", "-p", root, "--only", "pdf", "--jobs", "2", cwd=here, env=env)
    assert result.returncode == 0, result.stderr
    assert not marker.exists(), marker.read_text()
    assert len(list((root / "output" / "pdf").rglob("*.pdf"))) >= 2
