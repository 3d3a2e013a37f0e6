"""The linters CI runs, as tests: ruff, ruff format, mypy --strict and the layering contracts.

Their versions are pinned exactly in the `test` extra of pyproject.toml, so a
new release can never turn CI red on its own.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

COMMANDS = {
    "ruff check": ["ruff", "check", "refkit", "tests", "bench"],
    "ruff format": ["ruff", "format", "--check", "refkit", "tests", "bench"],
    "mypy --strict": ["mypy", "--strict", "refkit"],
    # cli > pipeline > checks > render > derive > content > text > errors
    # (pyproject.toml, [tool.importlinter]); that renderers do not import each
    # other is tests/render/test_registry.py's, from the registry's rows
    "import layers": ["lint-imports"],
}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_linter_is_clean(name: str) -> None:
    tool, *args = COMMANDS[name]
    executable = BIN / tool
    assert executable.exists(), f"{tool} is not installed: pip install -e '.[test]'"
    result = subprocess.run(
        [str(executable), *args], cwd=REPO, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
