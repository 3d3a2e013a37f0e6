"""What every renderer receives: the project, where things live, and what it may read.

A renderer reads other renderers' outputs only through :class:`Upstream`,
and only those of the kinds it declares in the registry (``needs``); asking
for anything else is a refkit bug, caught at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from refkit.content.project import Project
from refkit.derive.layout import SitePaths
from refkit.errors import InternalError, Problem


@dataclass(frozen=True)
class Upstream:
    """The outputs of the kinds a renderer needs: of this build, else kept from the last."""

    kinds: frozenset[str]
    #: which kind owns a path (:func:`refkit.render.registry.owner_of`)
    owner_of: Callable[[str], str | None]
    rendered: Mapping[str, bytes]
    #: files of the previous build kept because `--only` skips their kind
    carried: frozenset[str] = frozenset()
    out_dir: Path | None = None

    def get(self, path: str) -> bytes | None:
        """The bytes of an output under ``output/``, or None when there is none."""
        self._allowed(path)
        if path in self.rendered:
            return self.rendered[path]
        if path in self.carried and self.out_dir is not None:
            return (self.out_dir / path).read_bytes()
        return None

    def exists(self, path: str) -> bool:
        """Whether an output under ``output/`` exists (this build, or kept)."""
        self._allowed(path)
        return path in self.rendered or path in self.carried

    def _allowed(self, path: str) -> None:
        kind = self.owner_of(path)
        if kind not in self.kinds:
            raise InternalError(
                f"a renderer read {path} ({kind} output) without declaring it needs {kind}"
            )


@dataclass
class RenderContext:
    """What one renderer receives (see :mod:`refkit.render.registry`)."""

    project: Project
    paths: SitePaths
    today: dt.date
    jobs: int
    #: the kinds this build renders (the rest are kept from the previous build)
    kinds: frozenset[str]
    upstream: Upstream = field(default_factory=lambda: Upstream(frozenset(), lambda _: None, {}))
    warnings: list[Problem] = field(default_factory=list)

    def warn(self, problem: Problem) -> None:
        """Record a warning; ``--strict`` turns it into an error at the end."""
        self.warnings.append(problem.as_warning())
