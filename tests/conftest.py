"""Shared fixtures: real projects in tmp_path, the installed CLI, headless Chromium."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from refkit.resources import example_content

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
TEST_SECRET = "test-secret-please-do-not-use-0123456789"
#: `refkit partners --json`: exactly these keys, in this order (issue #7)
SCORECARD_JSON_KEYS = [
    "slug",
    "name",
    "company",
    "kind",
    "status",
    "fit_score",
    "received",
    "given",
    "balance",
    "won",
    "won_value",
    "conversion",
    "last_referral",
    "check_in_due",
    "flags",
]
#: the example ledger runs to November 2026; tests that depend on "today" fix it
TODAY = dt.date(2026, 11, 25)


def write_project(root: Path, changes: dict[str, Any] | None = None) -> Path:
    """Copy the example project to ``root`` and apply ``changes``.

    ``changes`` maps a path under the project to: text (written as is), a
    dict or list (dumped as YAML; a dict whose file exists is merged into it
    first-level, with None values deleting keys), or None (delete the file).
    """
    shutil.copytree(example_content(), root / "content")
    secret = root / ".refkit" / "secret"
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_text(TEST_SECRET + "\n")
    for rel, change in (changes or {}).items():
        path = root / rel
        if change is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(change, str):
            path.write_text(change, encoding="utf-8")
        elif isinstance(change, bytes):
            path.write_bytes(change)
        else:
            if isinstance(change, dict) and path.is_file():
                data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
                for key, value in change.items():
                    if value is None:
                        data.pop(key, None)
                    else:
                        data[key] = value
                change = data
            path.write_text(yaml.safe_dump(change, sort_keys=False, allow_unicode=True))
    return root


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Path]:
    """``make_project(**{"content/partners/x.yaml": {...}})`` -> a project folder."""
    counter = iter(range(1000))

    def make(changes: dict[str, Any] | None = None, **kw: Any) -> Path:
        root = tmp_path / f"project{next(counter)}"
        root.mkdir()
        return write_project(root, {**(changes or {}), **kw})

    return make


@pytest.fixture(autouse=True)
def _no_env_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REFKIT_SECRET", raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764028800")


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example project built once per test session (all kinds); returns its root."""
    from refkit.pipeline import build

    root = write_project(tmp_path_factory.mktemp("example"))
    build(root, today=TODAY, jobs=2)
    return root


def refkit_exe() -> str:
    """The installed console script (catches missing package data, unlike CliRunner)."""
    candidate = Path(sys.executable).parent / "refkit"
    return str(candidate) if candidate.exists() else (shutil.which("refkit") or "refkit")


def run_refkit(
    *args: str | Path, cwd: Path | None = None, **kw: Any
) -> subprocess.CompletedProcess[str]:
    """Run the installed ``refkit`` in a subprocess."""
    env = {**os.environ, **kw.pop("env", {})}
    return subprocess.run(
        [refkit_exe(), *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        **kw,
    )


def chromium_path() -> str | None:
    """The system Chromium, if installed."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless system Chromium through Playwright. Never skipped in CI."""
    path = chromium_path()
    if path is None:
        message = "Chromium is not installed (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(message + "; browser tests must run in CI")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots and rendered PNGs are kept for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
