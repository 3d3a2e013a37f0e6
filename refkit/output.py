"""What every stage passes on: a file of the build, as a relative path and its bytes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from refkit.errors import InternalError


@dataclass(frozen=True)
class Output:
    """One file of the build: a path relative to ``output/`` and its bytes."""

    path: str
    data: bytes

    def __post_init__(self) -> None:
        pure = PurePosixPath(self.path)
        if pure.is_absolute() or ".." in pure.parts or not self.path or self.path.endswith("/"):
            raise InternalError(f"not a relative file path: {self.path!r}")
