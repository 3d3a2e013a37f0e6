"""One-page PDFs with WeasyPrint (filled in by the PDF issue)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from refkit.writer import Output

if TYPE_CHECKING:
    from refkit.build import BuildContext


def render_pdfs(ctx: BuildContext) -> Iterator[Output]:
    """The profile and partner one-pagers."""
    yield from ()
