"""Terminal output for the CLI: the progress bar and the summary line."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.progress import Progress as RichProgress

from refkit.pipeline import BuildReport
from refkit.render import registry


class ProgressBar:
    """A rich progress bar on stderr, hidden when stderr is not a terminal."""

    def __init__(self) -> None:
        console = Console(stderr=True)
        self._bar = RichProgress(
            SpinnerColumn(),
            TextColumn("{task.description:<16}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        )
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> ProgressBar:
        self._bar.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._bar.__exit__(exc_type, exc, tb)

    def stage(self, kind: str, total: int | None) -> None:
        """A stage starts."""
        self._tasks[kind] = self._bar.add_task(registry.labels().get(kind, kind), total=total)

    def advance(self, kind: str, path: str) -> None:
        """One output is done."""
        self._bar.advance(self._tasks[kind])


def summary_line(report: BuildReport, project: Path) -> str:
    """``Built 14 pages, 11 PDFs, 40 emails in 3.2 s -> output/``."""
    parts = [
        renderer.summary([p for p in report.files if registry.owner_of(p) == renderer.name])
        for renderer in registry.RENDERERS
        if renderer.name in report.counts
    ]
    try:
        where = report.out_dir.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        where = str(report.out_dir)
    count = len(report.warnings)
    warnings = f", {count} warning{'' if count == 1 else 's'}" if count else ""
    return f"Built {', '.join(parts)} in {report.total_seconds:.1f} s{warnings} -> {where}/"
