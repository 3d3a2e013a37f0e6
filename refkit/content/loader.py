"""Read YAML safely and remember where every value came from.

PyYAML's constructors forget positions, keep the last of two duplicate keys
and expand aliases without limit. So we compose the node graph with the C
parser (when libyaml is present) and build plain Python data ourselves,
recording the line and column of every key and value, rejecting duplicate
keys and stopping documents that expand into more values (or characters)
than any real content file holds. Only regular files are read, and only up
to :data:`MAX_FILE_BYTES`; a FIFO or a device is refused before it is opened.
The commonest syntax errors are reported in refkit's words (:func:`syntax_problem`).
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from refkit.errors import ContentError, InternalError, Problem

try:  # libyaml is about ten times faster; both are safe loaders
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Loc = tuple[str | int, ...]

#: More values than this in one file is an alias bomb, not content.
MAX_VALUES = 50_000
MAX_DEPTH = 64
#: The largest content file read (bytes): business.yaml, a profile or a partner
#: is a few kilobytes, and a ledger meets MAX_VALUES (about 6,000 entries) first.
MAX_FILE_BYTES = 2 * 1024 * 1024
#: the largest logo (an image, not text: a print-resolution PNG may be a few MB)
MAX_IMAGE_BYTES = 10 * 1024 * 1024
#: The longest single value (characters): a long summary is a few thousand.
MAX_VALUE_CHARS = 100_000
#: The most characters (of keys and values) one document may expand to through
#: aliases: twice the largest file, so that aliases may repeat, never explode.
MAX_EXPANDED_CHARS = 4_000_000

_TAG_KINDS = {
    "tag:yaml.org,2002:bool": "boolean",
    "tag:yaml.org,2002:int": "number",
    "tag:yaml.org,2002:float": "number",
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:timestamp": "date",
}
_constructor = yaml.constructor.SafeConstructor()
_YAML12_FLOAT = re.compile(r"^[-+]?[0-9]+[eE][-+]?[0-9]+$")


class _Alias:
    """Where an alias (``*name``) was written, and the node it stands for.

    PyYAML's composer hands back the anchored node itself, forgetting where
    the alias was; an alias bomb must be reported at the alias.
    """

    __slots__ = ("mark", "node")

    def __init__(self, node: yaml.Node, mark: Any) -> None:
        self.node = node
        self.mark = mark


class _AliasMarkingLoader(yaml.composer.Composer, _Loader):
    """The (C) parser's events, composed in Python so that each alias keeps its mark."""

    def __init__(self, stream: str) -> None:
        _Loader.__init__(self, stream)
        yaml.composer.Composer.__init__(self)

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        node = super().compose_node(parent, index)
        if isinstance(event, yaml.AliasEvent) and node is not None:
            return _Alias(node, event.start_mark)
        return node


def _unalias(node: Any) -> yaml.Node:
    return node.node if isinstance(node, _Alias) else node


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


def _kind_of_file(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"  # pragma: no cover - doors, whiteouts


def _refuse_special(rel: str, mode: int) -> ContentError:
    return ContentError(
        Problem(
            rel,
            f"is {_kind_of_file(mode)}, not a regular file: content files must be "
            "ordinary YAML files",
        )
    )


def _too_large(rel: str, size: int, limit: int = MAX_FILE_BYTES) -> ContentError:
    megabytes = limit / (1024 * 1024)
    return ContentError(
        Problem(
            rel,
            f"is {size / (1024 * 1024):.1f} MB, larger than the {megabytes:g} MB a content "
            "file may be: is this really a content file?",
            1,
            1,
        )
    )


def read_regular_file(path: Path, rel: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes.

    Stat before opening, so a FIFO never blocks and a device is never read;
    the open is non-blocking and checked again, in case the file was swapped.
    """
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise _refuse_special(rel, info.st_mode)
    if info.st_size > limit:
        raise _too_large(rel, info.st_size, limit)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _refuse_special(rel, mode)
        raw = handle.read(limit + 1)
    if len(raw) > limit:
        raise _too_large(rel, len(raw), limit)
    return raw


def load_yaml(path: Path, rel: str) -> SourceFile:
    """Parse one YAML file into a :class:`SourceFile`; raise ContentError with its position."""
    source = SourceFile(path=path, rel=rel)
    raw = read_regular_file(path, rel)
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
        raise ContentError(syntax_problem(rel, text, exc)) from None
    except yaml.YAMLError as exc:  # reader errors: control characters in the stream
        position = getattr(exc, "position", 0) or 0
        line = text.count("\n", 0, position) + 1
        col = position - (text.rfind("\n", 0, position) + 1) + 1
        detail = getattr(exc, "reason", None) or str(exc).splitlines()[0]
        raise ContentError(Problem(rel, f"YAML syntax: {detail}", line, col)) from None
    if node is None:
        source.marks[()] = (1, 1)
        return source
    try:
        source.data = _Builder(source, aliases_marked=False).build(node, ())
    except _FindTheAlias:
        # Too big: compose again, slower, keeping each alias's mark, to say which one
        marked = yaml.compose(text, Loader=_AliasMarkingLoader)
        if marked is not None:
            _Builder(SourceFile(path=path, rel=rel), aliases_marked=True).build(marked, ())
        raise InternalError("a document too big once was not too big again") from None
    return source


_OPENERS = {"[": ("]", "list"), "{": ("}", "mapping")}
_LIST_ITEM_KEY = re.compile(r"^(\s*)((?:-\s+)+)")


def syntax_problem(rel: str, text: str, exc: yaml.MarkedYAMLError) -> Problem:
    """PyYAML's syntax error in refkit's words, at the line where the mistake is.

    The commonest mistakes (indentation off by a space, a tab, an unquoted
    ': ' in a value, a list item without its '- ', an unclosed bracket or
    quote) get a sentence saying what to change; anything else keeps
    PyYAML's own words.
    """
    lines = text.splitlines()
    mark = exc.problem_mark or exc.context_mark
    translated = _translate(exc, lines) if mark is not None else None
    if translated is not None:
        message, line, col = translated
        return Problem(rel, f"YAML syntax: {message}", line, col)
    message = " ".join(str(s) for s in (exc.context, exc.problem) if s) or str(exc)
    where = (mark.line + 1, mark.column + 1) if mark else (None, None)
    return Problem(rel, f"YAML syntax: {message}", *where)


def _translate(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[str, int, int] | None:
    """(message, line, column) for a mistake we can explain; None for the others."""
    problem, context = exc.problem or "", exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return None
    start = exc.context_mark
    row, col = mark.line, mark.column
    line = lines[row] if row < len(lines) else ""
    indent = len(line) - len(line.lstrip(" "))
    leading = line[: len(line) - len(line.lstrip(" \t"))]
    if "\t" in leading and ("tab" in problem or "cannot start any token" in problem):
        return "tabs are not allowed for indentation; use spaces", row + 1, line.index("\t") + 1
    if "cannot start any token" in problem and line[col : col + 1] == "\t":
        return "a tab cannot start a value; use spaces", row + 1, col + 1
    if "cannot start any token" in problem and line[col : col + 1] in ("@", "`"):
        return (f"a value cannot start with '{line[col]}'; quote the whole value", row + 1, col + 1)
    if problem.startswith("mapping values are not allowed"):
        return _colon_in_value(lines, row, col)
    if start is not None and col == indent and line.strip():
        if "block collection" in context and (
            "'-' indicator" in problem or "expected <block end>" in problem
        ):
            if col == start.column:
                return (
                    f"an item of the list that starts at line {start.line + 1} "
                    "must begin with '- '",
                    row + 1,
                    col + 1,
                )
            keys = _item_key_column(lines, start.line, row, start.column)
            where = f" (column {keys + 1})" if keys is not None else ""
            return (
                "this line does not line up with the keys of the list item above it"
                f"{where}: indent it like them, or start a new item with '- '",
                row + 1,
                col + 1,
            )
        if "block mapping" in context and (
            "expected key" in problem or "expected <block end>" in problem
        ):
            extra = col - start.column
            if extra > 0:
                return (
                    f"this line is indented {_spaces(extra)} more than the keys of its "
                    f"mapping (column {start.column + 1}): line it up with them",
                    row + 1,
                    col + 1,
                )
    if start is not None and ("flow sequence" in context or "flow mapping" in context):
        opener = _char_at(lines, start)
        if opener in _OPENERS and not _closes(lines, start):
            closer, what = _OPENERS[opener]
            return (
                f"this '{opener}' is never closed: end the {what} with '{closer}'",
                start.line + 1,
                start.column + 1,
            )
    if start is not None and "quoted scalar" in context and "end of stream" in problem:
        quote = _char_at(lines, start)
        if quote in ("'", '"'):
            return (
                f"this {quote!r} is never closed: end the value with {quote!r}",
                start.line + 1,
                start.column + 1,
            )
    return None


def _colon_in_value(lines: list[str], row: int, col: int) -> tuple[str, int, int]:
    """'mapping values are not allowed': a ': ' in a value, or a line indented too far."""
    line = lines[row] if row < len(lines) else ""
    match = _LIST_ITEM_KEY.match(line)
    body_start = match.end() if match else len(line) - len(line.lstrip(" "))
    before = line[body_start:col]
    key, sep, value = before.partition(": ")
    if sep and key.strip() and not key.lstrip().startswith(("#", '"', "'")):
        whole = (value + line[col:]).split(" #")[0].strip()
        quoted = f'"{whole}"' if '"' not in whole else "'" + whole.replace("'", "''") + "'"
        return (
            f"a ': ' inside a value starts a mapping in YAML — quote the whole value: "
            f"{key.strip()}: {quoted}",
            row + 1,
            col + 1,
        )
    indent = len(line) - len(line.lstrip(" "))
    above = next(
        (
            lines[i]
            for i in range(row - 1, -1, -1)
            if lines[i].strip() and not lines[i].lstrip().startswith("#")
        ),
        None,
    )
    extra = indent - (len(above) - len(above.lstrip(" "))) if above is not None else 0
    if extra > 0:
        return (
            f"this line is indented {_spaces(extra)} more than the line above: line its "
            "key up with the keys around it (or, if it continues the value above, quote "
            "that value)",
            row + 1,
            indent + 1,
        )
    return (
        "a ': ' here starts a mapping where none can start: quote the value, "
        "or check the indentation",
        row + 1,
        col + 1,
    )


def _spaces(count: int) -> str:
    return f"{count} space" + ("s" if count != 1 else "")


def _char_at(lines: list[str], mark: Any) -> str:
    line = lines[mark.line] if mark.line < len(lines) else ""
    return line[mark.column : mark.column + 1]


def _item_key_column(lines: list[str], first: int, row: int, dash: int) -> int | None:
    """The column of the keys of the list item above ``row`` (its '- ' at column ``dash``)."""
    for i in range(row - 1, first - 1, -1):
        match = _LIST_ITEM_KEY.match(lines[i])
        if match and len(match.group(1)) == dash:
            return match.end()
    return None


def _closes(lines: list[str], start: Any) -> bool:
    """Whether the bracket at ``start`` is closed later on (quotes and comments skipped)."""
    depth, quote, previous = 0, "", " "
    for row in range(start.line, len(lines)):
        line = lines[row]
        i = start.column if row == start.line else 0
        while i < len(line):
            char = line[i]
            if quote:
                if char == quote:
                    quote = ""
            elif char in "\"'" and previous in " [{,:":
                quote = char
            elif char == "#" and previous == " ":
                break
            elif char in "[{":
                depth += 1
            elif char in "]}":
                depth -= 1
                if depth == 0:
                    return True
            previous = char
            i += 1
        previous = " "
    return False


class _FindTheAlias(Exception):
    """A limit was crossed while the aliases' marks were not kept: compose again with them."""


class _Builder:
    def __init__(self, source: SourceFile, *, aliases_marked: bool) -> None:
        self.source = source
        self.aliases_marked = aliases_marked
        self.count = 0
        self.chars = 0
        #: the outermost alias being expanded: where a bomb is reported
        self.via: Any = None
        #: list items whose duplicate keys were reported as a missing '- '
        self.new_entry_reported: set[Loc] = set()

    def fail(self, node: yaml.Node | Any, message: str, loc: Loc | None = None) -> ContentError:
        mark = node.start_mark if isinstance(node, yaml.Node) else node
        field = format_loc(loc) or None if loc is not None else None
        return ContentError(
            Problem(self.source.rel, message, mark.line + 1, mark.column + 1, field)
        )

    def too_big(self, node: yaml.Node, message: str, loc: Loc | None = None) -> Exception:
        if not self.aliases_marked:
            return _FindTheAlias()
        return self.fail(self.via or node, message, loc)

    def expand(self, alias: _Alias, loc: Loc) -> Any:
        if self.via is not None:
            return self.build(alias.node, loc)
        self.via = alias.mark
        try:
            return self.build(alias.node, loc)
        finally:
            self.via = None

    def add_chars(self, count: int, node: yaml.Node, loc: Loc) -> None:
        self.chars += count
        if self.chars > MAX_EXPANDED_CHARS:
            raise self.too_big(
                node,
                f"through this alias the document expands to more than "
                f"{MAX_EXPANDED_CHARS:,} characters; an anchor (&) repeated with aliases (*) "
                "this often is not content",
                loc,
            )

    def build(self, node: yaml.Node | _Alias, loc: Loc) -> Any:
        if isinstance(node, _Alias):
            return self.expand(node, loc)
        self.count += 1
        if self.count > MAX_VALUES or len(loc) > MAX_DEPTH:
            raise self.too_big(
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
        if len(node.value) > MAX_VALUE_CHARS:
            raise self.fail(
                node,
                f"this value is {len(node.value):,} characters long, more than the "
                f"{MAX_VALUE_CHARS:,} one value may hold",
                loc,
            )
        self.add_chars(len(node.value), node, loc)
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

    def pairs(self, node: yaml.MappingNode) -> Iterator[tuple[Any, Any, Any]]:
        """(key, value, the merge's alias or None) of a mapping, merge keys (<<) expanded."""
        for key, value in node.value:
            if _unalias(key).tag == "tag:yaml.org,2002:merge":
                target = _unalias(value)
                merged = target.value if isinstance(target, yaml.SequenceNode) else [value]
                for m in merged:
                    mapping = _unalias(m)
                    if not isinstance(mapping, yaml.MappingNode):
                        raise self.fail(mapping, "a merge key (<<) takes a mapping")
                    mark = m.mark if isinstance(m, _Alias) else None
                    for k, v, inner in self.pairs(mapping):
                        yield k, v, inner or mark
            else:
                yield key, value, None

    def mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[str, Any]:
        out: dict[str, Any] = {}
        explicit: set[str] = set()
        direct = {id(k) for k, _ in node.value}
        for key_item, value_node, merge_mark in self.pairs(node):
            key_node = _unalias(key_item)
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, "a key must be a plain word, not a list or mapping")
            # keys are taken as written: `no:` or `on:` stay strings, not booleans
            key = str(key_node.value)
            merged = id(key_item) not in direct
            if key in out:
                if merged:
                    continue  # explicit keys win over merged ones
                if key in explicit:
                    self.duplicate(key, key_node, loc)
                    continue
            if not merged:
                explicit.add(key)
            self.source.key_marks[(*loc, key)] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
            if len(key) > MAX_VALUE_CHARS:
                raise self.fail(
                    key_node,
                    f"this key is {len(key):,} characters long, more than the "
                    f"{MAX_VALUE_CHARS:,} one value may hold",
                )
            self.add_chars(len(key), key_node, (*loc, key))
            if merge_mark is not None and self.via is None:
                out[key] = self.expand(_Alias(value_node, merge_mark), (*loc, key))
            else:
                out[key] = self.build(value_node, (*loc, key))
        return out

    def duplicate(self, key: str, key_node: yaml.Node, loc: Loc) -> None:
        """Report a key written twice; in a list item, most likely a missing '- '."""
        first = self.source.key_marks[(*loc, key)]
        mark = key_node.start_mark
        in_list = bool(loc) and isinstance(loc[-1], int)
        if in_list and loc in self.new_entry_reported:
            return  # the rest of the entry that lost its '- '
        if in_list:
            self.new_entry_reported.add(loc)
            message = (
                f"'{key}' again in the same entry (first at line {first[0]}): "
                "if a new entry starts here, begin it with '- '"
            )
        else:
            message = f"duplicate key '{key}' (first defined at line {first[0]})"
        self.source.problems.append(
            Problem(
                self.source.rel, message, mark.line + 1, mark.column + 1, format_loc((*loc, key))
            )
        )
