"""The command line: help, usage errors, init, schema, through the installed script."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from conftest import REPO, run_refkit
from refkit.cli import main


def test_every_command_has_help() -> None:
    runner = CliRunner()
    for name, command in main.commands.items():
        assert command.help and len(command.help.strip()) > 40, name
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Usage:" in result.output
    assert {"init", "check", "build", "serve", "email", "partners", "log", "schema"} <= set(
        main.commands
    )


def test_usage_errors_exit_2() -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["buidl"]).exit_code == 2
    assert runner.invoke(main, ["build", "--jobs", "0"]).exit_code == 2
    assert runner.invoke(main, ["email", "no-such-template"]).exit_code == 2


def test_init_refuses_non_empty_dir(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    result = run_refkit("init", tmp_path)
    assert result.returncode == 1
    assert "is not empty" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


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


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def test_schema_validates_the_example_content() -> None:
    result = run_refkit("schema")
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/draft/2020-12")
    validator = jsonschema.Draft202012Validator(schema)
    content = REPO / "content"
    files = list(content.rglob("*.yaml"))
    assert len(files) >= 10
    for path in files:
        data = _jsonable(yaml.safe_load(path.read_text()))
        errors = list(validator.iter_errors(data))
        assert not errors, (path, errors[:1])
    # and it rejects what check rejects
    assert list(validator.iter_errors({"name": "x", "nmae": "y"}))


@pytest.mark.parametrize("kind", ["business", "profile", "partner", "referrals"])
def test_schema_per_kind_describes_every_field(kind: str) -> None:
    result = CliRunner().invoke(main, ["schema", kind])
    schema = json.loads(result.output)

    def walk(node, where):
        if isinstance(node, dict):
            for name, prop in node.get("properties", {}).items():
                assert prop.get("description"), f"{kind}: {where}.{name} has no description"
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for item in node:
                walk(item, where)

    walk(schema, kind)


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and "refkit" in result.output


def test_init_takes_the_folder_as_argument_or_project_option(tmp_path: Path) -> None:
    result = run_refkit("init", "-p", tmp_path / "via-option")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "via-option" / "content" / "business.yaml").is_file()
    here = tmp_path / "here"
    here.mkdir()
    result = run_refkit("init", cwd=here)  # like -p everywhere: the current folder
    assert result.returncode == 0, result.stderr
    assert (here / "content" / "business.yaml").is_file()
    assert run_refkit("init", cwd=here).returncode == 1  # no longer empty
    runner = CliRunner()
    both = runner.invoke(main, ["init", str(tmp_path / "a"), "-p", str(tmp_path / "b")])
    assert both.exit_code == 2 and not (tmp_path / "a").exists()


def test_email_says_when_it_creates_the_secret(make_project) -> None:
    root = make_project()
    (root / ".refkit" / "secret").unlink(missing_ok=True)
    env = {"REFKIT_SECRET": ""}
    first = run_refkit(
        "email", "criteria-share", "--partner", "dana-whitfield", "-p", root, env=env
    )
    assert first.returncode == 0, first.stderr
    assert "created .refkit/secret" in first.stderr
    assert (root / ".refkit" / "secret").is_file()
    again = run_refkit(
        "email", "criteria-share", "--partner", "dana-whitfield", "-p", root, env=env
    )
    assert "created" not in again.stderr and again.stdout == first.stdout


def test_log_refuses_a_profile_on_a_given_referral(make_project) -> None:
    root = make_project()
    ledger = root / "content" / "referrals.yaml"
    before = ledger.read_bytes()
    result = CliRunner().invoke(
        main,
        [
            "log",
            "given",
            "--partner",
            "dana-whitfield",
            "--prospect",
            "A",
            "--profile",
            "first-hr-hire",
            "-p",
            str(root),
        ],
    )
    assert result.exit_code == 2
    assert "--profile is for received referrals" in result.output
    assert ledger.read_bytes() == before


def test_a_terminal_that_is_not_utf8_gets_no_traceback(make_project) -> None:
    root = make_project()
    env = {"PYTHONIOENCODING": "ascii"}
    result = run_refkit("partners", "--today", "2026-11-25", "-p", root, env=env)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "Carvalho" in result.stdout


def test_an_upper_case_extension_is_an_error_not_silently_skipped(make_project) -> None:
    root = make_project()
    profiles = root / "content" / "profiles"
    (profiles / "first-hr-hire.yaml").rename(profiles / "first-hr-hire.YAML")
    result = CliRunner().invoke(main, ["check", "-p", str(root)])
    assert result.exit_code == 1
    assert (
        "content/profiles/first-hr-hire.YAML: error: file name: 'first-hr-hire.YAML' is not "
        "read: name it with a lowercase '.yaml' extension"
    ) in result.output


def test_email_eml_says_when_the_one_pagers_are_not_built_yet(make_project) -> None:
    root = make_project()
    args = ("email", "criteria-share", "--partner", "dana-whitfield", "--format", "eml", "-p")
    before = run_refkit(*args, root)
    assert before.returncode == 0, before.stderr
    assert "not attached" in before.stderr and "run `refkit build` first" in before.stderr
    assert run_refkit("build", "--only", "pdf", "-p", root).returncode == 0
    after = run_refkit(*args, root)
    assert after.returncode == 0 and "not attached" not in after.stderr
    assert after.stdout.count("Content-Disposition: attachment") == 3


def test_schema_accepts_what_check_accepts_for_blank_optional_fields() -> None:
    """An editor must not flag `serves:` left blank, which `refkit check` reads as none."""
    from refkit.content.models import Partner, json_schema

    blank = {"name": "Earl", "serves": None, "qualifiers": None, "agreement": None, "offers": None}
    jsonschema.validate(blank, json_schema("partner"))
    assert Partner.model_validate(blank).serves == []
    with pytest.raises(jsonschema.ValidationError):  # a required field still is required
        jsonschema.validate({**blank, "name": None}, json_schema("partner"))
