"""The only code that writes under ``output/``.

Everything is written into a fresh temporary folder beside ``output/``; only
when that succeeded is the old folder swapped out. A failed or interrupted
build leaves the previous ``output/`` exactly as it was. Files whose bytes
did not change are hard-linked from the previous build, so their timestamps
survive and rsync-style deploys upload only what changed.

Beside ``output/`` live only refkit's own, short-lived entries: the build
lock ``.output.lock`` (one build of an output at a time, see
:func:`lock_output`), the staging folder ``.output.new-XXXXXXXX`` and, while
swapping where the swap cannot be one system call, ``.output.old-XXXXXXXX``.
A build killed with SIGKILL can leave them behind: the next build of that
output, once it holds the lock, removes them (:func:`remove_stale_staging`).
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
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
#: how long a build waits for another build of the same output, in seconds
LOCK_TIMEOUT = 600.0
#: tempfile.mkdtemp's random part: eight of these characters
_RANDOM = "[a-z0-9_]{8}"


def lock_path(out_dir: Path) -> Path:
    """The build lock of ``out_dir``: ``.output.lock`` beside ``output/``."""
    return out_dir.parent / f".{out_dir.name}.lock"


def staging_prefix(out_dir: Path, kind: str) -> str:
    """How a staging folder of ``out_dir`` is named: ``.output.new-`` (or ``old-``) + 8 chars."""
    return f".{out_dir.name}.{kind}-"


@contextmanager
def lock_output(
    out_dir: Path,
    *,
    timeout: float = LOCK_TIMEOUT,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[None]:
    """Hold the build lock of ``out_dir`` (``flock`` on :func:`lock_path`) for the block.

    A second build of the same output waits for the first, calling ``on_wait``
    once with a sentence to show, and gives up with an :class:`OutputError`
    after ``timeout`` seconds. Holding the lock, it removes what interrupted
    builds left beside the output (:func:`remove_stale_staging`). The lock
    file is removed when the block ends; one left by a killed build is just
    a file (the kernel released its lock) and does not block anyone. Where
    ``fcntl`` does not exist (Windows), builds are not serialised.
    """
    out_dir = Path(out_dir)
    if sys.platform == "win32":  # pragma: no cover - no flock there
        yield
        return
    fd = _acquire(lock_path(out_dir), out_dir, timeout, on_wait)
    try:
        remove_stale_staging(out_dir)
        yield
    finally:
        _release(lock_path(out_dir), fd)


def remove_stale_staging(out_dir: Path) -> list[Path]:
    """Remove the staging folders interrupted builds of ``out_dir`` left beside it.

    Only folders that are refkit's are touched: named exactly as the writer
    names them, for this output, not symbolic links, and either empty or
    carrying the writer's marker where the writer puts it. When ``out_dir``
    itself is missing because a build died between the two renames of a swap,
    the previous build is put back first. Call it only while holding
    :func:`lock_output` (another build's staging is not stale). Returns what
    was removed.
    """
    out_dir = Path(out_dir)
    parent = out_dir.parent
    new = re.compile(re.escape(staging_prefix(out_dir, "new")) + _RANDOM)
    old = re.compile(re.escape(staging_prefix(out_dir, "old")) + _RANDOM)
    try:
        entries = sorted(parent.iterdir())
    except OSError:
        return []
    stale_new = [p for p in entries if new.fullmatch(p.name) and _is_ours(p, p)]
    stale_old = [p for p in entries if old.fullmatch(p.name) and _is_ours(p, p / "output")]
    if not os.path.lexists(out_dir):
        previous = [p / "output" for p in stale_old if (p / "output" / MARKER).is_file()]
        if previous:
            newest = max(previous, key=lambda p: (p / MARKER).stat().st_mtime_ns)
            try:
                os.rename(newest, out_dir)
            except OSError as exc:
                message = f"could not restore the previous build from {newest}: {exc.strerror}"
                raise OutputError(Problem(str(out_dir), message, kind="output")) from None
    for folder in stale_new + stale_old:
        shutil.rmtree(folder, ignore_errors=True)
    return stale_new + stale_old


def _is_ours(folder: Path, marked: Path) -> bool:
    """A real folder that is empty or holds only ``marked``, which carries the marker."""
    try:
        if folder.is_symlink() or not folder.is_dir():
            return False
        children = list(folder.iterdir())
        if not children:
            return True
        if marked == folder:
            return (folder / MARKER).is_file() and not (folder / MARKER).is_symlink()
        return (
            [c.name for c in children] == [marked.name]
            and not marked.is_symlink()
            and marked.is_dir()
            and (marked / MARKER).is_file()
        )
    except OSError:
        return False


def _acquire(
    path: Path, out_dir: Path, timeout: float, on_wait: Callable[[str], None] | None
) -> int:
    import fcntl

    deadline = time.monotonic() + timeout
    told = False
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        fd = _open_lock(path)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    holder = _holder(fd)
                    if time.monotonic() >= deadline:
                        raise OutputError(
                            Problem(
                                str(out_dir),
                                f"another build of this folder is still running{holder} "
                                f"after {timeout:.0f} s; try again when it has finished",
                                kind="output",
                            )
                        ) from None
                    if not told and on_wait is not None:
                        on_wait(f"waiting for another build of {out_dir}/{holder} to finish")
                    told = True
                    time.sleep(0.05)
            # the previous holder removes the file before it lets go: locked an
            # unlinked file, so try again with the one now at the path
            if _same_file(fd, path):
                os.ftruncate(fd, 0)
                os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
                return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)


def _open_lock(path: Path) -> int:
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        return os.open(path, flags, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            message = "is a symbolic link; refkit will not lock through it (remove it)"
        else:
            message = f"cannot be opened as the build lock: {exc.strerror}"
        raise OutputError(Problem(str(path), message, kind="output")) from None


def _same_file(fd: int, path: Path) -> bool:
    try:
        here = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (here.st_dev, here.st_ino) == (mine.st_dev, mine.st_ino)


def _holder(fd: int) -> str:
    """`` (pid 1234)``: who holds the lock, as the lock file says."""
    try:
        pid = os.pread(fd, 32, 0).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""


def _release(path: Path, fd: int) -> None:
    try:
        if _same_file(fd, path):
            os.unlink(path)
    except OSError:
        pass
    finally:
        os.close(fd)  # lets go of the lock


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
    staging = Path(tempfile.mkdtemp(prefix=staging_prefix(out_dir, "new"), dir=parent))
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
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        where = exc.filename or out_dir
        raise OutputError(
            Problem(str(where), f"could not write the build: {exc.strerror or exc}", kind="output")
        ) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return WriteStats(written=written, unchanged=unchanged, kept=kept)


def _swap(staging: Path, out_dir: Path) -> None:
    os.chmod(staging, 0o755)
    if not out_dir.exists():
        os.rename(staging, out_dir)
        return
    if _exchange(staging, out_dir):
        # one system call: output/ never missing, not even for a moment
        shutil.rmtree(staging, ignore_errors=True)  # now the previous build
        return
    trash = Path(tempfile.mkdtemp(prefix=staging_prefix(out_dir, "old"), dir=out_dir.parent))
    old = trash / "output"
    os.rename(out_dir, old)
    try:
        os.rename(staging, out_dir)
    except BaseException:
        os.rename(old, out_dir)  # put the previous build back
        raise
    shutil.rmtree(trash, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders atomically (Linux's ``renameat2(RENAME_EXCHANGE)``).

    False where the system or the file system cannot, so the caller falls
    back to two renames.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False  # a C library older than glibc 2.28
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange):
        code = ctypes.get_errno()
        if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
            return False
        raise OSError(code, os.strerror(code), str(second))
    return True


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
