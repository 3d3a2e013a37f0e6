"""The content models' JSON Schema: what editors validate against agrees with `refkit check`."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from conftest import run_refkit
from refkit.cli import main
from refkit.resources import example_content


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
    content = example_content()
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


def test_schema_accepts_what_check_accepts_for_blank_optional_fields() -> None:
    """An editor must not flag `serves:` left blank, which `refkit check` reads as none."""
    from refkit.content.models import Partner, json_schema

    blank = {"name": "Earl", "serves": None, "qualifiers": None, "agreement": None, "offers": None}
    jsonschema.validate(blank, json_schema("partner"))
    assert Partner.model_validate(blank).serves == []
    with pytest.raises(jsonschema.ValidationError):  # a required field still is required
        jsonschema.validate({**blank, "name": None}, json_schema("partner"))
