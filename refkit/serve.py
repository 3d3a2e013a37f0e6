"""``refkit serve``: build, serve output/site locally, rebuild on change."""

from __future__ import annotations

from pathlib import Path

from refkit.errors import RefkitError


def serve_project(root: Path, *, port: int, watch: bool) -> None:
    """Serve the built site on 127.0.0.1:port until interrupted."""
    raise RefkitError("refkit serve is not available yet")
