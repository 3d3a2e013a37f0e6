"""The YAML loader: positions, safety, duplicate keys, merge keys."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from refkit.content import loader
from refkit.content.loader import format_loc, load_yaml
from refkit.errors import ContentError


def load(tmp_path: Path, text: str | bytes):
    path = tmp_path / "x.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return load_yaml(path, "x.yaml")


def test_uses_the_c_loader_when_available() -> None:
    if hasattr(yaml, "CSafeLoader"):
        assert loader._Loader is yaml.CSafeLoader


def test_marks_of_values_and_keys(tmp_path: Path) -> None:
    source = load(tmp_path, "# comment\nname: A\nlist:\n  - one\n  - {x: 1}\n")
    assert source.data == {"name": "A", "list": ["one", {"x": 1}]}
    assert source.marks[("name",)] == (2, 7)
    assert source.key_marks[("name",)] == (2, 1)
    assert source.marks[("list", 1, "x")] == (5, 9)
    assert source.locate(("list", 1, "missing")) == (5, 5)


def test_keys_stay_strings(tmp_path: Path) -> None:
    source = load(tmp_path, "no: 1\non: 2\n")
    assert source.data == {"no": 1, "on": 2}


def test_never_builds_python_objects(tmp_path: Path) -> None:
    with pytest.raises(ContentError):
        load(tmp_path, "x: !!python/object/apply:os.system ['true']\n")


def test_merge_keys(tmp_path: Path) -> None:
    source = load(tmp_path, "base: &b {a: 1, b: 2}\nother:\n  <<: *b\n  b: 3\n")
    assert source.data["other"] == {"a": 1, "b": 3}
    assert source.problems == []


def test_duplicate_keys_are_collected(tmp_path: Path) -> None:
    source = load(tmp_path, "a: 1\nb: 2\na: 3\n")
    assert [str(p) for p in source.problems] == [
        "x.yaml:3:1: error: a: duplicate key 'a' (first defined at line 1)"
    ]


def test_recursive_alias_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="anchors and aliases"):
        load(tmp_path, "a: &a [*a]\n")


def test_bom_is_accepted(tmp_path: Path) -> None:
    assert load(tmp_path, b"\xef\xbb\xbfname: A\n").data == {"name": "A"}


def test_two_documents_are_an_error(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="x.yaml:"):
        load(tmp_path, "a: 1\n---\nb: 2\n")


def test_format_loc() -> None:
    assert format_loc(("serves", 1)) == "serves[1]"
    assert format_loc((3, "partner")) == "[3].partner"
    assert format_loc(("a", "b")) == "a.b"
