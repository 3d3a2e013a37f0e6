"""The per-project secret behind private page links (``REFKIT_SECRET`` or ``.refkit/secret``)."""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from refkit.errors import Problem, RefkitError

SECRET_ENV = "REFKIT_SECRET"
#: what a command says when it has just made the secret
CREATED_NOTICE = "created .refkit/secret (private page links come from it; keep it out of git)"
SECRET_FILE = Path(".refkit") / "secret"
#: the shortest secret accepted, from the environment or the file alike
MIN_SECRET_CHARS = 16
#: more than any secret needs: a longer file is not a secret file
MAX_SECRET_BYTES = 4096


def _too_short(where: str) -> RefkitError:
    return RefkitError(Problem(where, f"the secret is too short ({MIN_SECRET_CHARS}+ characters)"))


def load_secret(root: Path, *, create: bool = True) -> tuple[str, bool]:
    """The per-project secret and whether it was just created.

    ``REFKIT_SECRET`` wins (for CI deploys); else ``.refkit/secret``, created
    when missing and ``create`` is true. Either needs MIN_SECRET_CHARS.
    """
    env = os.environ.get(SECRET_ENV, "").strip()
    if env:
        if len(env) < MIN_SECRET_CHARS:
            raise _too_short(SECRET_ENV)
        return env, False
    folder = root / SECRET_FILE.parent
    if (folder.exists() or folder.is_symlink()) and not folder.is_dir():
        raise RefkitError(
            Problem(
                SECRET_FILE.parent.as_posix(),
                "is a file, but refkit keeps its secret in a folder of that name: "
                "move the file away (or set REFKIT_SECRET)",
            )
        )
    path = root / SECRET_FILE
    if path.exists() or path.is_symlink():
        return _read_secret(path), False
    if not create:
        raise RefkitError(Problem(SECRET_FILE.as_posix(), "missing; run `refkit build` once"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".gitignore").write_text("secret\n", encoding="utf-8")
    value = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")
    return value, True


def _read_secret(path: Path) -> str:
    """The text of an existing ``.refkit/secret``; a one-line error for anything else."""
    where = SECRET_FILE.as_posix()
    try:
        info = path.stat()
    except OSError as exc:  # a broken symlink, a permission problem
        raise RefkitError(Problem(where, f"cannot read: {exc.strerror}")) from None
    if stat.S_ISDIR(info.st_mode):
        raise RefkitError(
            Problem(where, "is a folder, not a file: remove it (the next build makes a new secret)")
        )
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_SECRET_BYTES:
        raise RefkitError(Problem(where, "is not a small text file holding the secret"))
    try:
        value = path.read_bytes().decode("utf-8").strip()
    except OSError as exc:
        raise RefkitError(Problem(where, f"cannot read: {exc.strerror}")) from None
    except UnicodeDecodeError:
        raise RefkitError(
            Problem(where, "is not UTF-8 text: write the secret as plain text")
        ) from None
    if len(value) < MIN_SECRET_CHARS:
        raise _too_short(where)
    return value
