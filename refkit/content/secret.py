"""The per-project secret behind private page links (``REFKIT_SECRET`` or ``.refkit/secret``)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from refkit.errors import Problem, RefkitError

SECRET_ENV = "REFKIT_SECRET"
#: what a command says when it has just made the secret
CREATED_NOTICE = "created .refkit/secret (private page links come from it; keep it out of git)"
SECRET_FILE = Path(".refkit") / "secret"


def load_secret(root: Path, *, create: bool = True) -> tuple[str, bool]:
    """The per-project secret and whether it was just created.

    ``REFKIT_SECRET`` wins (for CI deploys); else ``.refkit/secret``, created
    when missing and ``create`` is true.
    """
    env = os.environ.get(SECRET_ENV, "").strip()
    if env:
        return env, False
    path = root / SECRET_FILE
    if path.is_file():
        value = path.read_text(encoding="utf-8").strip()
        if len(value) < 16:
            raise RefkitError(
                Problem(SECRET_FILE.as_posix(), "the secret is too short (16+ characters)")
            )
        return value, False
    if not create:
        raise RefkitError(Problem(SECRET_FILE.as_posix(), "missing; run `refkit build` once"))
    path.parent.mkdir(parents=True, exist_ok=True)
    (path.parent / ".gitignore").write_text("secret\n", encoding="utf-8")
    value = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")
    return value, True
