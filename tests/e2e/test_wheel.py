"""The wheel carries the theme and the example: install it alone, init, build."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from conftest import REPO


@pytest.mark.slow
def test_wheel_installs_and_builds(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("refkit-*.whl"))
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    assert "refkit/_data/templates/site/index.html" in names
    assert "refkit/_data/example/content/business.yaml" in names
    assert any(n.startswith("refkit/_data/templates/static/fonts/") for n in names)

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            "--quiet",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    # dependencies come from the test environment; refkit itself only from the wheel
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(site) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    where = subprocess.run(
        [str(python), "-c", "import refkit; print(refkit.__file__)"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    ).stdout
    assert str(env_dir) in where

    refkit = env_dir / "bin" / "refkit"
    project = tmp_path / "new"
    subprocess.run([str(refkit), "init", str(project)], check=True, cwd=tmp_path)
    result = subprocess.run(
        [str(refkit), "build", "-p", str(project), "--only", "site,email,report"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert (project / "output" / "site" / "index.html").is_file()
