"""Where the built-in theme and the example project live.

In a wheel they are package data under ``refkit/_data``; in a source checkout
(an editable install) they are the repository's own ``templates/`` and
``content/``, so there is one copy of each.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

_PACKAGE = Path(__file__).resolve().parent


def _find(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"refkit is installed without its data: none of {candidates}")


def builtin_templates() -> Path:
    """The built-in theme: site, PDF and email templates and static assets."""
    return _find(_PACKAGE / "_data" / "templates", _PACKAGE.parent / "templates")


def example_content() -> Path:
    """The example project's ``content/`` folder, copied by ``refkit init``."""
    return _find(_PACKAGE / "_data" / "example" / "content", _PACKAGE.parent / "content")


def static_dir() -> Path:
    """Static assets shipped with the theme (CSS, fonts)."""
    return builtin_templates() / "static"


def find_static(root: Path | None, name: str) -> tuple[Path, str]:
    """A file of the theme's ``static/`` folder, the project's copy first; and how to name it.

    THE lookup of static files: the site's assets, the one-pagers' fonts and
    images and the report's fonts all come through here, so a project's
    ``templates/static/NAME`` overrides the built-in one everywhere.
    Returns the path (which may not exist) and the name to show in messages.
    """
    from refkit.errors import BuildError, Problem

    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts:
        raise BuildError(Problem(f"templates/static/{name}", "must stay inside templates/static"))
    if root is not None:
        own = root / "templates" / "static" / name
        if own.is_file():
            return own, f"templates/static/{name}"
    return static_dir() / name, f"(built-in) templates/static/{name}"
