"""The README's two quick-start commands are what CI runs and what users copy."""

from __future__ import annotations

import re
import subprocess

from conftest import REPO


def command(marker: str) -> str:
    text = (REPO / "README.md").read_text()
    match = re.search(rf"<!-- {marker} -->\n```sh\n(.+?)\n```", text, re.S)
    assert match, marker
    return match.group(1)


def test_two_commands() -> None:
    build, test = command("build-command"), command("test-command")
    assert "\n" not in build and "\n" not in test
    assert build.endswith("refkit build")
    assert "libharfbuzz-subset0" in build and "libharfbuzz-subset0" in test
    assert "pytest" in test and "chromium" in test


def test_ci_runs_the_readme_test_command() -> None:
    script = (REPO / ".ci" / "run").read_text()
    extract = re.search(r'sh -c "\$\((.+)\)"', script)
    assert extract, "the CI script must run the command it extracts from the README"
    printed = subprocess.run(
        ["sh", "-c", extract.group(1)], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert printed == command("test-command")
