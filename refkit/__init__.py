"""refkit: turn a business's referral criteria into material partners use.

``refkit.build`` and ``refkit.load_project`` are resolved on first use
(PEP 562), so ``import refkit`` (and ``refkit --version``) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["__version__", "build", "load_project"]

if TYPE_CHECKING:
    from refkit.content.project import load_project
    from refkit.pipeline import build


def __getattr__(name: str) -> Any:
    if name == "build":
        from refkit.pipeline import build

        return build
    if name == "load_project":
        from refkit.content.project import load_project

        return load_project
    raise AttributeError(f"module 'refkit' has no attribute {name!r}")
