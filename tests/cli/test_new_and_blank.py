"""`refkit new partner|profile SLUG` and `refkit init --blank`: starters that build."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from click.testing import CliRunner, Result

from conftest import TODAY, build_site, run_refkit
from refkit.content.models import QUALIFIER_KEYS, Agreement, Business, Company, Partner, Profile
from refkit.content.project import load_project
from refkit.pipeline import build

#: a commented-out example line of a starter: "# key: value", "#   - item", "#   key: value"
EXAMPLE_LINE = re.compile(r"^# (?=[a-z_]+:(?: |$)|\s)")


def run(*args: str) -> Result:
    result = CliRunner().invoke(main_command(), list(args))
    assert "Traceback" not in result.output, result.output
    return result


def main_command() -> Any:
    from refkit.cli import main

    return main


def uncommented(text: str) -> dict[str, Any]:
    """The starter with every optional field uncommented, as YAML data."""
    lines = [EXAMPLE_LINE.sub("", line) for line in text.splitlines()]
    data: dict[str, Any] = yaml.safe_load("\n".join(lines))
    return data


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- new partner


def test_new_partner_writes_a_starter_that_checks_and_builds(make_project) -> None:
    root = make_project()
    result = run("new", "partner", "jane-doe", "-p", str(root))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Created content/partners/jane-doe.yaml")
    path = root / "content" / "partners" / "jane-doe.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == (
        "# yaml-language-server: $schema=../../.refkit/schema/partner.json"
    )
    assert yaml.safe_load(text) == {"name": "Jane Doe", "status": "prospect"}
    checked = run("check", "-p", str(root))
    assert checked.exit_code == 0, checked.output
    loaded = load_project(root)
    assert loaded.partners["jane-doe"].name == "Jane Doe"
    site = build_site(root)
    pages = [p for p in (site / "p").glob("*/index.html") if "Jane Doe" in p.read_text()]
    assert len(pages) == 1
    # the comment lists the project's profiles, ready to uncomment
    assert "#   - growing-manufacturers" in text


def test_the_partner_starter_has_every_field_of_the_contract(make_project) -> None:
    root = make_project()
    run("new", "partner", "jane-doe", "-p", str(root))
    data = uncommented((root / "content" / "partners" / "jane-doe.yaml").read_text())
    contract = set(Partner.model_fields) | {"share_progress"}  # share_progress: issue #14
    assert set(data) == contract
    assert set(data["agreement"]) == set(Agreement.model_fields)
    assert list(data["qualifiers"]) == list(QUALIFIER_KEYS)
    if "share_progress" not in Partner.model_fields:
        data.pop("share_progress")
    Partner.model_validate(data)  # each example value is valid as it stands


def test_the_profile_starter_has_every_field_of_the_contract(make_project) -> None:
    root = make_project()
    assert run("new", "profile", "growing-firms", "-p", str(root)).exit_code == 0
    data = uncommented((root / "content" / "profiles" / "growing-firms.yaml").read_text())
    assert set(data) == set(Profile.model_fields)
    assert set(data["company"]) == set(Company.model_fields)
    Profile.model_validate(data)


def test_new_refuses_an_existing_file_and_a_bad_slug(make_project) -> None:
    root = make_project()
    existing = root / "content" / "partners" / "dana-whitfield.yaml"
    before = digest(existing)
    result = run("new", "partner", "dana-whitfield", "-p", str(root))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "content/partners/dana-whitfield.yaml: error: already exists: not changed"
    )
    assert digest(existing) == before
    (root / "content" / "profiles" / "old.yml").write_text(
        (root / "content" / "profiles" / "first-hr-hire.yaml").read_text()
    )
    result = run("new", "profile", "old", "-p", str(root))
    assert result.exit_code == 1 and "content/profiles/old.yml: error: already exists" in (
        result.stderr
    )
    assert not (root / "content" / "profiles" / "old.yaml").exists()
    for bad in ("Jane Doe", "-jane", "jane_doe", "a" * 65):
        result = run("new", "partner", "-p", str(root), "--", bad)
        assert result.exit_code == 2, bad
        assert "is not a slug" in result.stderr
    assert run("new", "client", "jane", "-p", str(root)).exit_code == 2
    nowhere = run("new", "partner", "jane", "-p", str(root / "nowhere"))
    assert nowhere.exit_code == 1 and "no content/ folder" in nowhere.stderr


# --------------------------------------------------------------------------- new profile


@pytest.mark.slow
def test_a_new_profile_builds_everything(tmp_path: Path) -> None:
    """On a blank project, so that every output (PDFs too) is built in little time."""
    root = tmp_path / "firm"
    assert run("init", "--blank", str(root)).exit_code == 0
    result = run("new", "profile", "growing-firms", "-p", str(root))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Created content/profiles/growing-firms.yaml")
    assert run("check", "-p", str(root)).exit_code == 0
    report = build(root, today=TODAY, jobs=1)
    assert not [w for w in report.warnings if w.severity == "error"]
    page = root / "output" / "site" / "clients" / "growing-firms" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert soup.h1 is not None and soup.h1.get_text(strip=True) == "Growing firms"
    assert (root / "output" / "pdf" / "clients" / "growing-firms.pdf").is_file()


# --------------------------------------------------------------------------- init --blank


def test_init_blank_is_placeholders_that_check_and_build(tmp_path: Path) -> None:
    root = tmp_path / "firm"
    result = run_refkit("init", "--blank", root)  # the installed command
    assert result.returncode == 0, result.stderr
    content = root / "content"
    assert sorted(p.name for p in (content / "profiles").iterdir()) == ["ideal-clients.yaml"]
    assert list((content / "partners").iterdir()) == []
    assert yaml.safe_load((content / "referrals.yaml").read_text()) == []
    assert (root / ".refkit" / "secret").is_file() and (root / ".gitignore").is_file()
    checked = run_refkit("check", "-p", root)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("ok: 1 profile, 0 partners, 0 referrals")
    site = build_site(root)
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.h1 is not None
    assert home.h1.get_text(strip=True).replace("\xa0", " ") == "Your Business Name"
    assert (site / "clients" / "ideal-clients" / "index.html").is_file()


def test_the_blank_business_has_every_field_of_the_contract(tmp_path: Path) -> None:
    root = tmp_path / "firm"
    assert run("init", "--blank", str(root)).exit_code == 0
    data = uncommented((root / "content" / "business.yaml").read_text())
    assert set(data) == set(Business.model_fields)
    Business.model_validate(data)


def test_a_blank_project_takes_partners_and_referrals(tmp_path: Path) -> None:
    root = tmp_path / "firm"
    assert run("init", "--blank", str(root)).exit_code == 0
    assert run("new", "partner", "jane-doe", "-p", str(root)).exit_code == 0
    logged = run("log", "received", "--partner", "jane-doe", "--prospect", "Acme", "-p", str(root))
    assert logged.exit_code == 0, logged.output
    assert [r.prospect for r in load_project(root).referrals] == ["Acme"]
    assert run("check", "-p", str(root)).exit_code == 0
    build_site(root)
