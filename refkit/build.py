"""The build pipeline: load, validate, render every kind of output, write atomically.

Renderers are pure functions of a :class:`BuildContext` that yield
:class:`~refkit.writer.Output` objects; nothing is written until every one of
them succeeded.
"""

from __future__ import annotations

import ctypes.util
import datetime as dt
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from refkit.errors import ContentError, OutputError, Problem
from refkit.links import SitePaths, load_secret
from refkit.project import Project, load_project
from refkit.writer import Output, WriteStats, write_outputs

KINDS = ("site", "pdf", "email", "report")
RENDER_ORDER = ("pdf", "site", "email", "report")


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
class BuildContext:
    """What every renderer receives."""

    project: Project
    paths: SitePaths
    today: dt.date
    jobs: int
    kinds: frozenset[str]
    out_dir: Path
    warnings: list[Problem] = field(default_factory=list)
    #: outputs rendered so far in this build, by path (emails attach the PDFs)
    rendered: dict[str, bytes] = field(default_factory=dict)
    #: files of the previous build that are kept because `--only` skips their kind
    carried: frozenset[str] = frozenset()

    def output_bytes(self, path: str) -> bytes | None:
        """An output of this build, else the kept one from the previous build, else None."""
        if path in self.rendered:
            return self.rendered[path]
        if path in self.carried:
            return (self.out_dir / path).read_bytes()
        return None

    def warn(self, problem: Problem) -> None:
        """Record a warning; ``--strict`` turns it into an error at the end."""
        self.warnings.append(problem.as_warning())


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


Renderer = Callable[[BuildContext], Iterable[Output]]


def _renderers() -> dict[str, Renderer]:
    # imported here so `refkit check` and `--only site` never import WeasyPrint
    def site(ctx: BuildContext) -> Iterable[Output]:
        from refkit.website import render_site

        return render_site(ctx)

    def pdf(ctx: BuildContext) -> Iterable[Output]:
        from refkit.pdf import render_pdfs

        return render_pdfs(ctx)

    def email(ctx: BuildContext) -> Iterable[Output]:
        from refkit.emails import render_emails

        return render_emails(ctx)

    def report(ctx: BuildContext) -> Iterable[Output]:
        from refkit.tracking import render_tracking

        return render_tracking(ctx)

    return {"site": site, "pdf": pdf, "email": email, "report": report}


def owner_of(path: str) -> str | None:
    """Which kind of output a file under ``output/`` belongs to."""
    if path.startswith("site/downloads/"):
        return "pdf"
    head = path.split("/", 1)[0]
    return {
        "site": "site",
        "pdf": "pdf",
        "email": "email",
        "report": "report",
        "calendar.ics": "report",
    }.get(head)


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
) -> BuildReport:
    """Build the project at ``root`` into ``out_dir`` (default ``root/output``)."""
    started = time.perf_counter()
    root = Path(root)
    out_dir = Path(out_dir) if out_dir is not None else root / "output"
    kinds = frozenset(only) if only else frozenset(KINDS)
    unknown = kinds - set(KINDS)
    if unknown:
        raise ValueError(f"unknown output kinds: {sorted(unknown)}")
    progress = progress or _Silent()
    report = BuildReport(out_dir=out_dir)
    if root.resolve().is_relative_to(out_dir.resolve()):
        raise OutputError(
            Problem(str(out_dir), "contains the project itself; choose another --out")
        )

    project = load_project(root)
    report.seconds["load"] = time.perf_counter() - started
    secret, created = load_secret(root)
    from refkit.scaffold import write_schemas

    write_schemas(root)  # keeps the editors' schemas in step with this refkit
    if created:
        report.notices.append(
            "created .refkit/secret (private page links come from it; keep it out of git)"
        )
    if "pdf" in kinds and not harfbuzz_subset_available():
        report.notices.append(
            "libharfbuzz-subset0 is not installed: PDFs build about 4x slower "
            "(apt-get install -y libharfbuzz-subset0)"
        )
    ctx = BuildContext(
        project=project,
        paths=SitePaths(project, secret),
        today=today or dt.date.today(),
        jobs=max(1, jobs or os.cpu_count() or 1),
        kinds=kinds,
        out_dir=out_dir,
        warnings=list(project.warnings),
        carried=frozenset(_previous_files(out_dir, lambda path: owner_of(path) not in kinds)),
    )

    outputs: list[Output] = []
    renderers = _renderers()
    # PDFs first: the site links only the one-pagers that exist and copies each
    # partner's personalised PDF onto their page; emails attach them
    for kind in RENDER_ORDER:
        if kind not in kinds:
            continue
        stage_started = time.perf_counter()
        progress.stage(kind, _expected(kind, project))
        count = 0
        for output in _checked(renderers[kind](ctx), kind):
            outputs.append(output)
            ctx.rendered[output.path] = output.data
            progress.advance(kind, output.path)
            count += 1
        report.counts[kind] = count
        report.seconds[kind] = time.perf_counter() - stage_started

    if "site" in kinds:
        from refkit.website import check_links

        check_links(outputs, ctx)

    report.warnings = ctx.warnings
    if strict and report.warnings:
        raise ContentError([w.as_error() for w in report.warnings])
    report.files = [o.path for o in outputs]
    report.stats = write_outputs(out_dir, outputs, keep=lambda path: owner_of(path) not in kinds)
    report.seconds["total"] = time.perf_counter() - started
    return report


def _expected(kind: str, project: Project) -> int | None:
    """How many outputs a stage will yield, when that is known up front (for the bar)."""
    if kind == "pdf":
        return 2 * len(project.profiles) + len(project.active_partners())
    return None


def _previous_files(out_dir: Path, keep: Callable[[str], bool]) -> Iterator[str]:
    if not out_dir.is_dir() or out_dir.is_symlink():
        return
    for path in out_dir.rglob("*"):
        rel = path.relative_to(out_dir).as_posix()
        if path.is_file() and not path.is_symlink() and keep(rel):
            yield rel


def _checked(outputs: Iterable[Output], kind: str) -> Iterator[Output]:
    for output in outputs:
        if owner_of(output.path) != kind:
            raise ValueError(f"the {kind} renderer wrote {output.path}")  # a refkit bug
        yield output
