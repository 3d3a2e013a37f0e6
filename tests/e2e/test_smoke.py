"""The installed console script's main paths: init, check, build and serve, in subprocesses.

These run ``refkit`` as a user does (what catches missing package data); the
other tests drive the same commands in-process or through the pipeline.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
from pathlib import Path

import pytest

from conftest import http_get, refkit_exe, run_refkit
from refkit.cli.serve import EVENTS_PATH

TIMEOUT = 60


def test_example_builds(make_project) -> None:
    root: Path = make_project()
    result = run_refkit("build", "-p", root, "--only", "site")
    assert result.returncode == 0, result.stderr
    assert (root / "output" / "site" / "index.html").is_file()


@pytest.mark.slow
def test_init_then_build_through_the_installed_script(tmp_path: Path) -> None:
    project = tmp_path / "acme"
    result = run_refkit("init", project)
    assert result.returncode == 0, result.stderr
    assert (project / ".refkit" / "secret").is_file()
    assert "/.refkit/secret" in (project / ".gitignore").read_text()
    for path in (project / "content").rglob("*.yaml"):
        assert path.read_text().startswith("# yaml-language-server: $schema="), path
        target = path.read_text().splitlines()[0].split("$schema=", 1)[1]
        assert (path.parent / target).resolve().is_file(), target
    check = run_refkit("check", "-p", project)
    assert check.returncode == 0, check.stderr
    built = run_refkit("build", "-p", project, "--jobs", "2")
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith("Built ")
    assert (project / "output" / "site" / "index.html").is_file()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_refkit_serve_command(make_project) -> None:
    root = make_project()
    port = free_port()
    process = subprocess.Popen(
        [refkit_exe(), "serve", "-p", str(root), "--port", str(port), "--no-reload"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ},
    )
    try:
        line = process.stdout.readline() if process.stdout else ""
        assert line.startswith(f"Serving http://127.0.0.1:{port}/"), line
        status, body = http_get(f"http://127.0.0.1:{port}/")
        assert status == 200 and EVENTS_PATH in body
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=TIMEOUT) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=TIMEOUT)
    assert (root / "output" / "site" / "index.html").is_file()
