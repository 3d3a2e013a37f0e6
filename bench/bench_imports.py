"""Benchmark: start-up cost of the CLI, as a ratio to `python -c "import click"`.

Run from the repository: `.venv/bin/python bench/bench_imports.py [--repeat R]`.
Each command runs R times in a fresh subprocess (round-robin, so a noisy
moment hits every command alike); the table shows the median wall time and
that median divided by the median of `python -c "import click"` in the same
run. Absolute times depend on the machine; compare ratios. `check` and
`partners` run on a temporary copy of the bundled example project. "build
imports" is what a full build imports before it renders anything: the CLI,
the pipeline, the progress bar and every renderer's module (WeasyPrint
included); `refkit build --help` would only measure the CLI again.

Bytecode is cached as after `pip install` (which compiles it), under a
temporary PYTHONPYCACHEPREFIX so the source tree stays clean; without it
(PYTHONDONTWRITEBYTECODE=1, an editable install) every run would also
compile refkit's modules, a cost `import click` never pays.

Goal (issue 10): `refkit --version` at most 2x `import click`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from refkit.resources import example_content

GOAL = 2.0
BUILD_IMPORTS = (
    "import refkit.cli, refkit.cli.console, refkit.pipeline\n"
    "from refkit.render.registry import RENDERERS\n"
    "for renderer in RENDERERS: renderer.load()\n"
)


def refkit_command() -> list[str]:
    """The installed console script beside this interpreter, else ``python -m refkit``."""
    script = Path(sys.executable).with_name("refkit")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "refkit"]


def commands(project: Path) -> dict[str, list[str]]:
    """What to time, by label; the first is the baseline."""
    refkit = refkit_command()
    return {
        "python -c 'import click'": [sys.executable, "-c", "import click"],
        "python -c 'pass'": [sys.executable, "-c", "pass"],
        "refkit --version": [*refkit, "--version"],
        "refkit check -p EXAMPLE": [*refkit, "check", "-p", str(project)],
        "refkit partners -p EXAMPLE": [*refkit, "partners", "-p", str(project)],
        "build imports (pipeline + renderers)": [sys.executable, "-c", BUILD_IMPORTS],
    }


def run_once(argv: list[str], cwd: Path, env: dict[str, str]) -> float:
    """Wall seconds of one run; a failing command stops the benchmark."""
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(argv)} exited {done.returncode}:\n{done.stderr.decode()}")
    return elapsed


def main() -> None:
    """Run every command ``--repeat`` times and print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="runs of each command")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        project = root / "example"
        shutil.copytree(example_content(), project / "content")
        # a fixed secret, so no run creates one (and prints a note)
        (project / ".refkit").mkdir()
        (project / ".refkit" / "secret").write_text("bench-secret-0123456789abcdef\n")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(root / "pycache")
        todo = commands(project)
        times: dict[str, list[float]] = {label: [] for label in todo}
        for argv in todo.values():  # warm the disk cache and write bytecode; not counted
            run_once(argv, root, env)
        for _ in range(args.repeat):
            for label, argv in todo.items():
                times[label].append(run_once(argv, root, env))

    medians = {label: statistics.median(runs) for label, runs in times.items()}
    baseline = medians[next(iter(medians))]
    width = max(map(len, medians))
    print(f"median of {args.repeat} runs each, ratio to `python -c 'import click'`")
    for label, median in medians.items():
        print(f"{label:<{width}}  {median * 1000:7.1f} ms  {median / baseline:5.2f}x")
    ratio = medians["refkit --version"] / baseline
    verdict = "meets" if ratio <= GOAL else "misses"
    print(f"`refkit --version` {verdict} the goal of {GOAL:g}x `import click` ({ratio:.2f}x)")


if __name__ == "__main__":
    main()
