"""Benchmark: seconds per one-pager, refkit against raw WeasyPrint on the same HTML.

Run from the repository: `.venv/bin/python bench/bench_pdf.py [--profiles N] [--repeat R]`.
It builds a synthetic project (the example, with N copies of its profiles), then
reports ratios measured in this one run; absolute seconds depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from refkit.content.project import load_project
from refkit.derive.layout import SitePaths
from refkit.pipeline import build, harfbuzz_subset_available
from refkit.render.context import RenderContext
from refkit.resources import example_content


def synthetic_project(root: Path, copies: int) -> Path:
    """The example project with ``copies`` extra copies of every profile."""
    shutil.copytree(example_content(), root / "content")
    (root / ".refkit").mkdir()
    (root / ".refkit" / "secret").write_text("bench-secret-0123456789abcdef\n")
    profiles = root / "content" / "profiles"
    for path in list(profiles.glob("*.yaml")):
        for i in range(copies):
            (profiles / f"{path.stem}-{i}.yaml").write_text(path.read_text())
    return root


def main() -> None:
    """Run the benchmark and print ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profiles", type=int, default=3, help="extra copies of each profile")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from weasyprint import HTML

    from refkit.render import pdf
    from refkit.render.pdf.engine import render_pdf

    with tempfile.TemporaryDirectory() as tmp:
        root = synthetic_project(Path(tmp), args.profiles)
        project = load_project(root)
        ctx = RenderContext(
            project=project,
            paths=SitePaths(project, "bench-secret-0123456789abcdef"),
            today=dt.date.today(),
            jobs=1,
            kinds=frozenset({"pdf"}),
        )
        jobs = list(pdf.plan_jobs(ctx))
        raw, ours = [], []
        layouts: list[int] = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            for job in jobs:
                HTML(string=job.html, base_url=job.base_url).write_pdf()
            raw.append((time.perf_counter() - started) / len(jobs))
            started = time.perf_counter()
            layouts = [render_pdf(job).layouts for job in jobs]
            ours.append((time.perf_counter() - started) / len(jobs))
        timings = {}
        for workers in (1, 2):
            started = time.perf_counter()
            build(root, only=["pdf"], jobs=workers)
            timings[workers] = time.perf_counter() - started

    raw_s, ours_s = statistics.median(raw), statistics.median(ours)
    subsetter = (
        "HarfBuzz (libharfbuzz-subset)"
        if harfbuzz_subset_available()
        else "fontTools fallback (~4x slower: apt-get install -y libharfbuzz-subset0)"
    )
    print(f"font subsetting: {subsetter}")
    print(f"one-pagers per run: {len(jobs)}, median of {args.repeat} runs")
    print(f"raw WeasyPrint (default fetcher, untagged): {raw_s:.3f} s per PDF")
    print(f"refkit render_pdf (safe fetcher, PDF/UA tags, one-page fit): {ours_s:.3f} s per PDF")
    print(f"ratio refkit / raw: {ours_s / raw_s:.2f}x")
    print(
        "layouts per PDF to find the scale (raw WeasyPrint does one): "
        f"mean {statistics.mean(layouts):.1f}, most {max(layouts)}"
    )
    print(f"whole `build --only pdf`: 2 workers vs 1: {timings[2] / timings[1]:.2f}x the time")


if __name__ == "__main__":
    main()
