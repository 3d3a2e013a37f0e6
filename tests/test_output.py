"""An output file's path stays inside output/."""

from __future__ import annotations

import pytest

from refkit.errors import InternalError
from refkit.output import Output


def test_outputs_cannot_escape() -> None:
    with pytest.raises(InternalError):
        Output("../evil", b"")
    with pytest.raises(InternalError):
        Output("/etc/passwd", b"")
