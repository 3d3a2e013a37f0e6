"""The only code that writes under ``output/``.

Everything is written into a fresh temporary folder beside ``output/``; only
when that succeeded is the old folder swapped out. A failed or interrupted
build leaves the previous ``output/`` exactly as it was. Files whose bytes
did not change are hard-linked from the previous build, so their timestamps
survive and rsync-style deploys upload only what changed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from refkit.errors import InternalError, OutputError, Problem
from refkit.output import Output

#: written into every output folder; refkit replaces only folders that carry it
MARKER = ".refkit-output"
_MARKER_TEXT = b"Built by refkit. This whole folder is replaced on every build.\n"
#: files a user may keep at the top of ``output/`` (a placeholder committed to
#: git): refkit adopts a folder holding only these, and carries them over
PLACEHOLDERS = frozenset({".gitkeep", ".keep", ".gitignore", ".DS_Store"})


@dataclass(frozen=True)
class WriteStats:
    """What the writer did."""

    written: int
    unchanged: int
    kept: int


def write_outputs(
    out_dir: Path,
    outputs: Iterable[Output],
    *,
    keep: Callable[[str], bool] = lambda path: False,
) -> WriteStats:
    """Replace ``out_dir`` with ``outputs``, atomically.

    ``keep(path)`` says which files of the previous build to carry over
    (those of the kinds ``--only`` did not rebuild).
    """
    out_dir = Path(out_dir)
    if out_dir.is_symlink():
        raise OutputError(
            Problem(str(out_dir), "is a symbolic link; refkit will not write through it")
        )
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(Problem(str(out_dir), "exists and is not a folder"))
    if (
        out_dir.is_dir()
        and not (out_dir / MARKER).is_file()
        and any(p.name not in PLACEHOLDERS or not p.is_file() for p in out_dir.iterdir())
    ):
        raise OutputError(
            Problem(
                str(out_dir),
                "is not empty and was not made by refkit; refusing to replace it "
                "(choose another --out, or empty it yourself)",
            )
        )
    parent = out_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=parent))
    written = unchanged = kept = 0
    try:
        (staging / MARKER).write_bytes(_MARKER_TEXT)
        seen: set[str] = {MARKER}
        for output in outputs:
            if output.path in seen:
                raise InternalError(f"two outputs at {output.path}")
            seen.add(output.path)
            target = staging / output.path
            target.parent.mkdir(parents=True, exist_ok=True)
            previous = out_dir / output.path
            if _same_bytes(previous, output.data):
                _link_or_copy(previous, target)
                unchanged += 1
            else:
                target.write_bytes(output.data)
                written += 1
        if out_dir.is_dir():
            for name in sorted(PLACEHOLDERS - seen):
                previous = out_dir / name
                if previous.is_file() and not previous.is_symlink():
                    _link_or_copy(previous, staging / name)
                    seen.add(name)
            for previous in _files(out_dir):
                rel = previous.relative_to(out_dir).as_posix()
                if rel not in seen and keep(rel) and not previous.is_symlink():
                    target = staging / rel
                    target.parent.mkdir(parents=True, exist_ok=True)
                    _link_or_copy(previous, target)
                    kept += 1
        _swap(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return WriteStats(written=written, unchanged=unchanged, kept=kept)


def _swap(staging: Path, out_dir: Path) -> None:
    os.chmod(staging, 0o755)
    if not out_dir.exists():
        os.rename(staging, out_dir)
        return
    trash = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    old = trash / "output"
    os.rename(out_dir, old)
    try:
        os.rename(staging, out_dir)
    except BaseException:
        os.rename(old, out_dir)  # put the previous build back
        raise
    shutil.rmtree(trash, ignore_errors=True)


def _files(root: Path) -> Iterable[Path]:
    for dirpath, _dirnames, filenames in os.walk(root):
        for name in filenames:
            yield Path(dirpath) / name


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
