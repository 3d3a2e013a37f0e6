"""refkit: turn a business's referral criteria into material partners use."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "build", "load_project"]

from refkit.build import build
from refkit.project import load_project
