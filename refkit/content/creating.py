"""New content files (``refkit import partners``, ``refkit new``): validated, never over a file.

The one way refkit creates a file under content/: the text goes to a
temporary file beside its target, is synced, read back through the loader
and validated against its model, and is then hard-linked to its name, which
fails when the name is taken (even by a file made meanwhile). A crash leaves
no half-written file under the name, only a dot-file the next run ignores.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any

from refkit.content.diagnostics import validate
from refkit.content.loader import load_yaml
from refkit.errors import ContentError, Problem


def create_file(target: Path, text: str, rel: str, model: Any) -> None:
    """Write ``text`` as the new file ``target`` once it loads as a valid ``model``.

    Raises :class:`ContentError` (about ``rel``) when it does not validate,
    when ``target`` exists, or when it cannot be written.
    """
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".new", dir=folder)
    except OSError as exc:
        raise ContentError(Problem(rel, f"cannot write: {exc.strerror}")) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # as any file the user makes, not mkstemp's 0600
        source = load_yaml(tmp, rel)
        problems: list[Problem] = list(source.problems)
        validate(source, model, problems)
        if problems:
            raise ContentError(problems)
        try:
            os.link(tmp, target)
        except FileExistsError:
            raise ContentError(Problem(rel, "already exists: not changed")) from None
        sync_folder(folder)
    except OSError as exc:
        raise ContentError(Problem(rel, f"cannot write: {exc.strerror}")) from None
    finally:
        tmp.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def sync_folder(folder: Path) -> None:
    """Make the new name durable (where the file system allows)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
