"""Where the built-in theme and the example project live.

In a wheel they are package data under ``refkit/_data``; in a source checkout
(an editable install) they are the repository's own ``templates/`` and
``content/``, so there is one copy of each.
"""

from __future__ import annotations

from pathlib import Path

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
