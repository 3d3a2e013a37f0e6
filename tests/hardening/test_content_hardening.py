"""Hostile content: alias bombs, huge files and values, special files, symlinks, bad secrets.

Each case runs the installed ``refkit`` in a subprocess: exit 1, one line
naming the file (and line), no traceback, nothing written.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import TEST_SECRET, refkit_exe, run_refkit
from refkit.content.loader import MAX_EXPANDED_CHARS, MAX_FILE_BYTES, MAX_VALUE_CHARS

PARTNER = "content/partners/dana-whitfield.yaml"
BUSINESS = "content/business.yaml"


def run_check(root: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``refkit check -p ROOT`` with a timeout: a hang is a failure, not a stuck suite."""
    return subprocess.run(
        [refkit_exe(), "check", "-p", str(root), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "REFKIT_SECRET": ""},
    )


def assert_one_error(result: subprocess.CompletedProcess[str], prefix: str) -> str:
    """Exit 1, no traceback, and exactly one error line, which starts with ``prefix``."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "hit a bug" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(prefix), lines[0]
    return lines[0]


# ------------------------------------------------------------------ item 4: alias bombs, sizes


def _replace_list(path: Path, key: str, items: list[str]) -> int:
    """Replace the top-level list ``key:`` of a file by ``items``; the line of its first item."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index(f"{key}:")
    end = start + 1
    while lines[end].startswith("  - "):
        end += 1
    kept = [*lines[: start + 1], *(f"  - {item}" for item in items), *lines[end:]]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return start + 2


def test_one_string_through_three_thousand_aliases_is_refused_at_the_alias(
    make_project,
) -> None:
    root = make_project()
    big = "x" * 100_000
    path = root / BUSINESS
    first = _replace_list(path, "values", [f"&big {big}", *["*big"] * 3000])
    assert 100_000 < path.stat().st_size < 135_000

    message = assert_one_error(run_check(root), f"{BUSINESS}:")
    line, col = (int(n) for n in message.split(":")[1:3])
    assert path.read_text(encoding="utf-8").splitlines()[line - 1] == "  - *big", message
    assert col == 5
    # the alias named is the one that crosses the limit, not the first nor the last
    expanded = (line - first + 1) * len(big)
    assert MAX_EXPANDED_CHARS - 2 * len(big) < expanded <= MAX_EXPANDED_CHARS + len(big)
    assert f"{MAX_EXPANDED_CHARS:,}" in message and "alias" in message
    build = run_refkit("build", "-p", root, "--only", "site")
    assert build.returncode == 1 and "Traceback" not in build.stderr
    assert not (root / "output").exists()


def test_twenty_thousand_aliases_do_not_exhaust_memory(make_project) -> None:
    root = make_project()
    _replace_list(root / PARTNER, "offers", [f"&big {'y' * 50_000}", *["*big"] * 20_000])
    result = run_check(root)
    assert_one_error(result, f"{PARTNER}:")
    assert "MemoryError" not in result.stderr


def test_a_file_over_the_size_cap_is_refused_unread(make_project) -> None:
    root = make_project()
    path = root / PARTNER
    padding = "# padding\n" * (MAX_FILE_BYTES // 10 + 1)
    path.write_text(path.read_text(encoding="utf-8") + padding, encoding="utf-8")
    assert path.stat().st_size > MAX_FILE_BYTES
    message = assert_one_error(run_check(root), f"{PARTNER}:1:1: error: ")
    assert "MB" in message and "larger than" in message


def test_a_value_over_the_length_cap_is_refused_at_its_line(make_project) -> None:
    root = make_project()
    path = root / PARTNER
    text = path.read_text(encoding="utf-8")
    line = text.splitlines().index("notes: |") + 1
    long_note = "notes: " + "n" * (MAX_VALUE_CHARS + 1) + "\n"
    path.write_text(text.split("notes: |")[0] + long_note, encoding="utf-8")
    message = assert_one_error(run_check(root), f"{PARTNER}:{line}:8: error: notes: ")
    assert f"{MAX_VALUE_CHARS:,}" in message


def test_a_key_over_the_length_cap_is_refused_at_its_line(make_project) -> None:
    root = make_project()
    path = root / PARTNER
    line = len(path.read_text(encoding="utf-8").splitlines()) + 1
    with path.open("a", encoding="utf-8") as handle:
        handle.write("? " + "k" * (MAX_VALUE_CHARS + 1) + "\n: x\n")
    message = assert_one_error(run_check(root), f"{PARTNER}:{line}:3: error: ")
    assert f"{MAX_VALUE_CHARS:,}" in message and len(message) < 300


def test_symlink_loops_and_dangling_symlinks_are_named(make_project) -> None:
    root = make_project()
    partners = root / "content/partners"
    (partners / "a.yaml").symlink_to("b.yaml")
    (partners / "b.yaml").symlink_to("a.yaml")
    (partners / "gone.yaml").symlink_to("nowhere.yaml")
    result = run_check(root)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[:3] == [
        "content/partners/a.yaml: error: is a symlink that leads back to itself (a loop): "
        "replace it by the file",
        "content/partners/b.yaml: error: is a symlink that leads back to itself (a loop): "
        "replace it by the file",
        "content/partners/gone.yaml: error: is a symlink to a file that does not exist: "
        "fix or remove the link",
    ]


def test_a_value_at_the_length_cap_is_read(make_project) -> None:
    root = make_project()
    path = root / PARTNER
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.split("notes: |")[0] + "notes: " + "n" * MAX_VALUE_CHARS + "\n", encoding="utf-8"
    )
    result = run_check(root)
    assert result.returncode == 0, result.stderr


# ------------------------------------------------------------------ item 8: special files


def test_a_fifo_among_the_partners_does_not_hang_check(make_project) -> None:
    root = make_project()
    os.mkfifo(root / "content/partners/pipe.yaml")
    message = assert_one_error(run_check(root, timeout=30), "content/partners/pipe.yaml: error: ")
    assert "not a regular file" in message and "FIFO" in message


def test_a_fifo_as_business_yaml_does_not_hang_check(make_project) -> None:
    root = make_project()
    (root / BUSINESS).unlink()
    os.mkfifo(root / BUSINESS)
    result = run_check(root, timeout=30)
    assert result.returncode == 1
    assert f"{BUSINESS}: error: " in result.stderr and "not a regular file" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_symlink_to_dev_zero_is_refused(make_project) -> None:
    root = make_project()
    (root / "content/partners/zero.yaml").symlink_to("/dev/zero")
    message = assert_one_error(run_check(root, timeout=30), "content/partners/zero.yaml: error: ")
    assert "outside the project" in message


def test_a_yaml_file_symlinked_from_outside_the_project_is_refused(
    make_project, tmp_path: Path
) -> None:
    root = make_project()
    outside = tmp_path / "elsewhere" / "secret-partner.yaml"
    outside.parent.mkdir()
    outside.write_text((root / PARTNER).read_text(encoding="utf-8"), encoding="utf-8")
    (root / "content/partners/linked.yaml").symlink_to(outside)
    message = assert_one_error(run_check(root), "content/partners/linked.yaml: error: ")
    assert "outside the project" in message and str(outside) not in message
    build = run_refkit("build", "-p", root, "--only", "site")
    assert build.returncode == 1 and not (root / "output").exists()


def test_a_symlink_that_stays_inside_the_project_is_read(make_project) -> None:
    root = make_project()
    shared = root / "shared" / "dana.yaml"
    shared.parent.mkdir()
    shared.write_text((root / PARTNER).read_text(encoding="utf-8"), encoding="utf-8")
    (root / "content/partners/dana-again.yaml").symlink_to("../../shared/dana.yaml")
    result = run_check(root)
    assert result.returncode == 0, result.stderr
    assert "9 partners" in result.stdout


def test_referrals_yaml_that_is_a_folder_is_an_error(make_project) -> None:
    root = make_project()
    (root / "content/referrals.yaml").unlink()
    (root / "content/referrals.yaml").mkdir()
    message = assert_one_error(run_check(root), "content/referrals.yaml: error: ")
    assert "folder" in message
    log = run_refkit(
        "log", "received", "--partner", "dana-whitfield", "--prospect", "X", "-p", root
    )
    assert log.returncode == 1 and "Traceback" not in log.stderr, log.stderr
    assert "content/referrals.yaml: error: " in log.stderr
    assert (root / "content/referrals.yaml").is_dir()


# ------------------------------------------------------------------ item 10: secrets, -p


def test_a_short_secret_in_the_environment_is_refused(make_project) -> None:
    root = make_project()
    result = run_refkit("build", "-p", root, "--only", "site", env={"REFKIT_SECRET": "a"})
    message = assert_one_error(result, "REFKIT_SECRET: error: ")
    assert "16" in message
    assert not (root / "output").exists()


def test_a_secret_of_sixteen_characters_in_the_environment_is_used(make_project) -> None:
    root = make_project()
    result = run_refkit("build", "-p", root, "--only", "site", env={"REFKIT_SECRET": "s" * 16})
    assert result.returncode == 0, result.stderr


def _build(root: Path) -> subprocess.CompletedProcess[str]:
    return run_refkit("build", "-p", root, "--only", "site", env={"REFKIT_SECRET": ""})


def test_dot_refkit_that_is_a_file(make_project) -> None:
    root = make_project()
    (root / ".refkit/secret").unlink()
    (root / ".refkit").rmdir()
    (root / ".refkit").write_text("not a folder\n")
    message = assert_one_error(_build(root), ".refkit: error: ")
    assert "folder" in message
    assert (root / ".refkit").read_text() == "not a folder\n"


def test_secret_that_is_a_folder(make_project) -> None:
    root = make_project()
    (root / ".refkit/secret").unlink()
    (root / ".refkit/secret").mkdir()
    message = assert_one_error(_build(root), ".refkit/secret: error: ")
    assert "folder" in message
    assert (root / ".refkit/secret").is_dir()


def test_secret_that_is_not_utf8(make_project) -> None:
    root = make_project()
    (root / ".refkit/secret").write_bytes(b"\xff\xfe" + TEST_SECRET.encode("utf-16-le"))
    message = assert_one_error(_build(root), ".refkit/secret: error: ")
    assert "UTF-8" in message


def test_a_project_folder_without_content_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "my-site"
    folder.mkdir()
    result = run_check(folder)
    message = assert_one_error(result, "")
    assert str(folder) in message and "no content/ folder here" in message
    assert "refkit init" in message
