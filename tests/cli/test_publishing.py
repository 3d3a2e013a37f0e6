"""`refkit init` writes a GitHub Pages workflow and a netlify.toml that publish output/site only."""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import TEST_SECRET, refkit_exe, run_refkit
from refkit import __version__


@pytest.fixture(scope="module")
def scaffold(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("published") / "project"
    result = run_refkit("init", root)
    assert result.returncode == 0, result.stderr
    return root


def workflow(root: Path) -> dict[Any, Any]:
    data = yaml.safe_load((root / ".github" / "workflows" / "publish.yml").read_text())
    assert isinstance(data, dict)
    return data


def netlify(root: Path) -> dict[str, Any]:
    return tomllib.loads((root / "netlify.toml").read_text())


def build_step(root: Path) -> dict[str, Any]:
    steps = workflow(root)["jobs"]["build"]["steps"]
    (step,) = [s for s in steps if "refkit build" in s.get("run", "")]
    assert isinstance(step, dict)
    return step


def run_script(script: str, root: Path, secret: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "REFKIT_SECRET"}
    env["PATH"] = f"{Path(refkit_exe()).parent}{os.pathsep}{env['PATH']}"
    if secret is not None:
        env["REFKIT_SECRET"] = secret
    return subprocess.run(
        ["sh", "-c", script], cwd=root, env=env, capture_output=True, text=True, timeout=600
    )


def test_the_github_workflow_builds_on_push_and_deploys_output_site_only(scaffold: Path) -> None:
    flow = workflow(scaffold)
    # PyYAML reads the key `on` as True (YAML 1.1); GitHub reads it as "on"
    assert "main" in flow[True]["push"]["branches"]
    assert flow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build = flow["jobs"]["build"]["steps"]
    uploads = [s for s in build if "upload" in s.get("uses", "")]
    assert [(s["uses"].split("@")[0], s["with"]) for s in uploads] == [
        ("actions/upload-pages-artifact", {"path": "output/site"})
    ]
    deploy = flow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert [s.get("uses", "").split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert [s["run"] for s in build if s.get("name") == "Install refkit"] == [
        f'pip install "refkit=={__version__}"'
    ]
    assert build_step(scaffold)["env"] == {"REFKIT_SECRET": "${{ secrets.REFKIT_SECRET }}"}
    # nothing else is handed anywhere: no other artifact, cache or path
    text = (scaffold / ".github" / "workflows" / "publish.yml").read_text()
    assert "path:" in text and text.count("path:") == 1


def test_netlify_publishes_output_site_only(scaffold: Path) -> None:
    config = netlify(scaffold)
    assert config["build"]["publish"] == "output/site"
    assert "refkit build --only site,pdf" in config["build"]["command"]
    assert f"pip install 'refkit=={__version__}'" in config["build"]["command"]
    headers = {h["for"]: h["values"] for h in config["headers"]}
    assert "noindex" in headers["/p/*"]["X-Robots-Tag"]


def test_the_workflow_build_step_builds_the_site_with_the_projects_secret(scaffold: Path) -> None:
    result = run_script(build_step(scaffold)["run"], scaffold, TEST_SECRET)
    assert result.returncode == 0, result.stderr
    site = scaffold / "output" / "site"
    assert (site / "index.html").is_file() and list((site / "downloads").glob("*.pdf"))
    # what is published holds nothing private (the report and emails are not in it)
    assert not (site / "report").exists() and not (site / "email").exists()
    assert not list(site.rglob("*.eml")) and not (site / "pdf").exists()
    # the one-pagers a partner downloads are there; the private ones only at private URLs
    assert sorted(p.stem for p in (site / "downloads").glob("*.pdf")) == sorted(
        p.stem for p in (scaffold / "content" / "profiles").glob("*.yaml")
    )


@pytest.mark.parametrize("host", ["github", "netlify"])
def test_without_the_secret_the_build_refuses_to_publish(scaffold: Path, host: str) -> None:
    """A secret made up afresh on the build machine would change every private link."""
    if host == "github":
        script = build_step(scaffold)["run"]
    else:
        script = netlify(scaffold)["build"]["command"].split(" && ", 1)[1]
    # a fresh checkout on the build machine: .refkit/secret is gitignored
    checkout = scaffold.parent / f"checkout-{host}"
    shutil.copytree(scaffold / "content", checkout / "content")
    result = run_script(script, checkout, None)
    assert result.returncode != 0
    assert "REFKIT_SECRET is not set" in result.stderr
    assert not (checkout / "output").exists() and not (checkout / ".refkit").exists()
