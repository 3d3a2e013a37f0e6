"""Read YAML safely and remember where every value came from.

PyYAML's constructors forget positions, keep the last of two duplicate keys
and expand aliases without limit. So we compose the node graph with the C
parser (when libyaml is present) and build plain Python data ourselves,
recording the line and column of every key and value, rejecting duplicate
keys and stopping documents that expand into more values than any real
content file holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from refkit.errors import ContentError, Problem

try:  # libyaml is about ten times faster; both are safe loaders
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Loc = tuple[str | int, ...]

#: More values than this in one file is an alias bomb, not content.
MAX_VALUES = 50_000
MAX_DEPTH = 64

_TAG_KINDS = {
    "tag:yaml.org,2002:bool": "boolean",
    "tag:yaml.org,2002:int": "number",
    "tag:yaml.org,2002:float": "number",
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:timestamp": "date",
}
_constructor = yaml.constructor.SafeConstructor()
_YAML12_FLOAT = re.compile(r"^[-+]?[0-9]+[eE][-+]?[0-9]+$")


@dataclass
class SourceFile:
    """One YAML file: its data and the position of every key and value."""

    path: Path
    rel: str
    data: Any = None
    marks: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    #: what YAML turned an unquoted scalar into, when not a string
    kinds: dict[Loc, str] = field(default_factory=dict)
    #: the text of those scalars as written, for "quote it" hints
    raw: dict[Loc, str] = field(default_factory=dict)
    #: problems found while reading that did not stop it (duplicate keys)
    problems: list[Problem] = field(default_factory=list)

    def locate(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of ``loc``, or of its nearest parent that exists."""
        loc = tuple(loc)
        if key and loc in self.key_marks:
            return self.key_marks[loc]
        while loc:
            if loc in self.marks:
                return self.marks[loc]
            loc = loc[:-1]
        return self.marks.get((), (1, 1))

    def problem(self, loc: Loc, message: str, *, key: bool = False) -> Problem:
        """A :class:`Problem` at ``loc`` in this file."""
        line, col = self.locate(loc, key=key)
        return Problem(self.rel, message, line, col, format_loc(loc) or None)


def format_loc(loc: Loc) -> str:
    """``("serves", 1)`` -> ``serves[1]``; ``(3, "partner")`` -> ``[3].partner``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def load_yaml(path: Path, rel: str) -> SourceFile:
    """Parse one YAML file into a :class:`SourceFile`; raise ContentError with its position."""
    source = SourceFile(path=path, rel=rel)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = raw[exc.start : exc.start + 1].hex()
        raise ContentError(
            Problem(rel, f"file is not UTF-8 (byte 0x{bad}); save it as UTF-8", line, col)
        ) from None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(s) for s in (exc.context, exc.problem) if s) or str(exc)
        where = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise ContentError(Problem(rel, f"YAML syntax: {message}", *where)) from None
    except yaml.YAMLError as exc:  # reader errors: control characters in the stream
        position = getattr(exc, "position", 0) or 0
        line = text.count("\n", 0, position) + 1
        col = position - (text.rfind("\n", 0, position) + 1) + 1
        detail = getattr(exc, "reason", None) or str(exc).splitlines()[0]
        raise ContentError(Problem(rel, f"YAML syntax: {detail}", line, col)) from None
    if node is None:
        source.marks[()] = (1, 1)
        return source
    builder = _Builder(source)
    source.data = builder.build(node, ())
    return source


class _Builder:
    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.count = 0

    def fail(self, node: yaml.Node, message: str) -> ContentError:
        mark = node.start_mark
        return ContentError(Problem(self.source.rel, message, mark.line + 1, mark.column + 1))

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        self.count += 1
        if self.count > MAX_VALUES or len(loc) > MAX_DEPTH:
            raise self.fail(
                node,
                f"the document expands to more than {MAX_VALUES:,} values or "
                f"{MAX_DEPTH} levels; anchors and aliases are used too heavily",
            )
        self.source.marks[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, loc)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                raise self.fail(node, f"unsupported YAML tag {node.tag}")
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            if node.tag != "tag:yaml.org,2002:map":
                raise self.fail(node, f"unsupported YAML tag {node.tag}")
            return self.mapping(node, loc)
        raise self.fail(node, "unsupported YAML node")  # pragma: no cover

    def scalar(self, node: yaml.ScalarNode, loc: Loc) -> Any:
        if not node.style and _YAML12_FLOAT.match(node.value):
            # YAML 1.2 (and editors) read 1e3 as a number; PyYAML keeps it a string
            node = yaml.ScalarNode("tag:yaml.org,2002:float", node.value, node.start_mark)
        kind = _TAG_KINDS.get(node.tag)
        if kind is None and node.tag != "tag:yaml.org,2002:str":
            raise self.fail(node, f"unsupported YAML tag {node.tag}")
        try:
            value = _constructor.construct_object(node)
        except (ValueError, yaml.constructor.ConstructorError):
            # e.g. 2024-13-45 looks like a date but is none: keep the text, and let
            # validation say what was expected there
            return node.value
        if kind is not None:
            self.source.kinds[loc] = kind
            self.source.raw[loc] = node.value
        return value

    def pairs(self, node: yaml.MappingNode) -> Iterator[tuple[yaml.Node, yaml.Node]]:
        for key, value in node.value:
            if key.tag == "tag:yaml.org,2002:merge":
                merged = value.value if isinstance(value, yaml.SequenceNode) else [value]
                for m in merged:
                    if not isinstance(m, yaml.MappingNode):
                        raise self.fail(m, "a merge key (<<) takes a mapping")
                    yield from self.pairs(m)
            else:
                yield key, value

    def mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[str, Any]:
        out: dict[str, Any] = {}
        explicit: set[str] = set()
        direct = {id(k) for k, _ in node.value}
        for key_node, value_node in self.pairs(node):
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, "a key must be a plain word, not a list or mapping")
            # keys are taken as written: `no:` or `on:` stay strings, not booleans
            key = str(key_node.value)
            merged = id(key_node) not in direct
            if key in out:
                if merged:
                    continue  # explicit keys win over merged ones
                if key in explicit:
                    first = self.source.key_marks[(*loc, key)]
                    mark = key_node.start_mark
                    self.source.problems.append(
                        Problem(
                            self.source.rel,
                            f"duplicate key '{key}' (first defined at line {first[0]})",
                            mark.line + 1,
                            mark.column + 1,
                            format_loc((*loc, key)),
                        )
                    )
                    continue
            if not merged:
                explicit.add(key)
            self.source.key_marks[(*loc, key)] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
            out[key] = self.build(value_node, (*loc, key))
        return out
