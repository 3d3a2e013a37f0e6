"""The build pipeline, orchestration only: load, render in registry order, check, write.

Renderers (:mod:`refkit.render.registry`) are pure functions of a
:class:`~refkit.render.context.RenderContext` that yield
:class:`~refkit.output.Output` objects; nothing is written until every one
of them succeeded and the site's links are checked, so a failed build leaves
the previous ``output/`` exactly as it was.
"""

from __future__ import annotations

import ctypes.util
import datetime as dt
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from refkit.checks.links import check_links
from refkit.content.project import load_project
from refkit.content.secret import CREATED_NOTICE, SECRET_FILE, load_secret
from refkit.derive.layout import OUTPUT_DIR, SitePaths
from refkit.errors import InternalError, OutputError, Problem, error_for
from refkit.output import Output
from refkit.render.context import RenderContext, Upstream
from refkit.render.registry import Renderer, in_order, owner_of
from refkit.render.registry import kinds as known_kinds
from refkit.writer import LOCK_TIMEOUT, WriteStats, lock_output, write_outputs

#: the project's own folders: a build written into one would be read back as
#: content, as template overrides or as refkit's state by every later build
PROJECT_FOLDERS = ("content", "templates", SECRET_FILE.parts[0])


class Progress(Protocol):
    """What the build tells about its progress (the CLI draws a bar)."""

    def stage(self, kind: str, total: int | None) -> None:
        """A stage starts; ``total`` outputs are expected when known."""

    def advance(self, kind: str, path: str) -> None:
        """One output of the stage is done."""


class _Silent:
    def stage(self, kind: str, total: int | None) -> None:
        pass

    def advance(self, kind: str, path: str) -> None:
        pass


@dataclass
class BuildReport:
    """What a build did: counts, timings, warnings."""

    out_dir: Path
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    stats: WriteStats | None = None

    @property
    def total_seconds(self) -> float:
        """Wall time of the whole build."""
        return self.seconds.get("total", 0.0)


def harfbuzz_subset_available() -> bool:
    """Whether HarfBuzz's subsetter is installed (WeasyPrint is ~4x slower without it)."""
    return ctypes.util.find_library("harfbuzz-subset") is not None


def build(
    root: Path,
    *,
    out_dir: Path | None = None,
    only: Iterable[str] | None = None,
    jobs: int | None = None,
    strict: bool = False,
    today: dt.date | None = None,
    progress: Progress | None = None,
    lock_timeout: float = LOCK_TIMEOUT,
) -> BuildReport:
    """Build the project at ``root`` into ``out_dir`` (default ``root/output``).

    Two builds of one output take turns: the second waits (saying so on
    stderr) up to ``lock_timeout`` seconds, then fails with an OutputError.
    """
    started = time.perf_counter()
    root = Path(root)
    out_dir = Path(out_dir) if out_dir is not None else root / OUTPUT_DIR
    kinds = frozenset(only) if only else frozenset(known_kinds())
    if kinds - set(known_kinds()):
        raise InternalError(f"unknown output kinds: {sorted(kinds - set(known_kinds()))}")
    _check_out_dir(root, out_dir)
    with lock_output(out_dir, timeout=lock_timeout, on_wait=_say):
        return _build(root, out_dir, kinds, jobs, strict, today, progress, started)


def _check_out_dir(root: Path, out_dir: Path) -> None:
    """Refuse an output folder that holds the project or is inside one of its folders."""
    where = out_dir.resolve()
    if root.resolve().is_relative_to(where):
        raise OutputError(
            Problem(str(out_dir), "contains the project itself; choose another --out")
        )
    for name in PROJECT_FOLDERS:
        if where.is_relative_to((root / name).resolve()):
            raise OutputError(
                Problem(
                    str(out_dir),
                    f"is inside the project's {name}/ folder, which every build reads; "
                    "choose another --out",
                    kind="output",
                )
            )


def _say(message: str) -> None:
    """A notice that cannot wait for the build's end (the CLI's bar passes stderr through)."""
    print(f"note: {message}", file=sys.stderr, flush=True)


def _build(
    root: Path,
    out_dir: Path,
    kinds: frozenset[str],
    jobs: int | None,
    strict: bool,
    today: dt.date | None,
    progress: Progress | None,
    started: float,
) -> BuildReport:
    """The build itself, holding the output's lock."""
    report = BuildReport(out_dir=out_dir)

    project = load_project(root)
    report.seconds["load"] = time.perf_counter() - started
    secret = _prepare(root, kinds, report)
    warnings = list(project.warnings)
    keep = _kept_from_previous(kinds)
    carried = frozenset(_previous_files(out_dir, keep))
    rendered: dict[str, bytes] = {}
    outputs: list[Output] = []
    for renderer in in_order(kinds):
        ctx = RenderContext(
            project=project,
            paths=SitePaths(project, secret),
            today=today or dt.date.today(),
            jobs=max(1, jobs or os.cpu_count() or 1),
            kinds=kinds,
            upstream=Upstream(frozenset(renderer.needs), owner_of, rendered, carried, out_dir),
            warnings=warnings,
        )
        stage_started = time.perf_counter()
        count = 0
        for output in _run(renderer, ctx, progress or _Silent()):
            outputs.append(output)
            rendered[output.path] = output.data
            count += 1
        report.counts[renderer.name] = count
        report.seconds[renderer.name] = time.perf_counter() - stage_started

    if "site" in kinds:
        check_links(outputs, kinds, carried, root, warnings.append)

    report.warnings = [w.as_warning() for w in warnings]
    if strict and report.warnings:
        raise error_for(w.as_error() for w in report.warnings)
    report.files = [o.path for o in outputs]
    report.stats = write_outputs(out_dir, outputs, keep=keep)
    report.seconds["total"] = time.perf_counter() - started
    return report


def _prepare(root: Path, kinds: frozenset[str], report: BuildReport) -> str:
    """The secret (created when missing), the editors' schemas, and the notices to show."""
    from refkit.scaffold import write_schemas

    secret, created = load_secret(root)
    write_schemas(root)  # keeps the editors' schemas in step with this refkit
    if created:
        report.notices.append(CREATED_NOTICE)
    if "pdf" in kinds and not harfbuzz_subset_available():
        report.notices.append(
            "libharfbuzz-subset0 is not installed: PDFs build about 4x slower "
            "(apt-get install -y libharfbuzz-subset0)"
        )
    return secret


def _run(renderer: Renderer, ctx: RenderContext, progress: Progress) -> Iterator[Output]:
    """One renderer's outputs, each checked to be of its kind, with progress."""
    expected = renderer.expected(ctx.project) if renderer.expected else None
    progress.stage(renderer.name, expected)
    for output in renderer.load()(ctx):
        if owner_of(output.path) != renderer.name:
            raise InternalError(f"the {renderer.name} renderer wrote {output.path}")
        progress.advance(renderer.name, output.path)
        yield output


def _kept_from_previous(kinds: frozenset[str]) -> Callable[[str], bool]:
    """Which files of the previous build to keep: those of the kinds not rebuilt."""

    def keep(path: str) -> bool:
        return owner_of(path) not in kinds

    return keep


def _previous_files(out_dir: Path, keep: Callable[[str], bool]) -> Iterator[str]:
    if not out_dir.is_dir() or out_dir.is_symlink():
        return
    for path in out_dir.rglob("*"):
        rel = path.relative_to(out_dir).as_posix()
        if path.is_file() and not path.is_symlink() and keep(rel):
            yield rel
