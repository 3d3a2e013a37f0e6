"""Start-up cost where it is paid: light commands never load the heavy libraries.

(The times are measured in bench/bench_imports.py, never asserted here.)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

#: records, as the interpreter exits, which top-level packages the command loaded
PROBE = """\
import atexit, sys
def record():
    with open(sys.argv[1], "w", encoding="utf-8") as file:
        file.write(" ".join(sorted({m.split(".")[0] for m in sys.modules})))
atexit.register(record)
from refkit.cli import main
main(sys.argv[2:], prog_name="refkit")
"""

HEAVY = {"jinja2", "markdown_it", "rich", "weasyprint", "nh3", "css_inline", "icalendar"}


@pytest.mark.parametrize(
    ("args", "allowed"),
    [
        (["--version"], set()),
        (["--help"], set()),
        (["check", "-p", "{root}"], set()),
        (["partners", "--json", "-p", "{root}"], set()),
        (["partners", "-p", "{root}"], {"rich"}),
    ],
    ids=lambda value: (
        " ".join(v for v in value if v not in ("-p", "{root}")) if isinstance(value, list) else ""
    ),
)
def test_light_commands_do_not_load_heavy_libraries(
    make_project, tmp_path: Path, args: list[str], allowed: set[str]
) -> None:
    root = make_project()
    record = tmp_path / "modules.txt"
    command = [arg.replace("{root}", str(root)) for arg in args]
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(record), *command],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    loaded = set(record.read_text(encoding="utf-8").split())
    assert not (loaded & HEAVY) - allowed, sorted((loaded & HEAVY) - allowed)
    if args[0] in ("--version", "--help"):
        assert "pydantic" not in loaded and "yaml" not in loaded
