"""The example project builds through the installed console script."""

from pathlib import Path

from conftest import run_refkit


def test_example_builds(make_project) -> None:
    root: Path = make_project()
    result = run_refkit("build", "-p", root, "--only", "site")
    assert result.returncode == 0, result.stderr
    assert (root / "output" / "site" / "index.html").is_file()
