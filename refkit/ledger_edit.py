"""``refkit log``: append one referral to content/referrals.yaml.

The file is the user's: it is never round-tripped through a YAML dumper.
The new entry is appended as text, the whole file is validated, and only
then does it replace the old one (atomically), so comments, formatting and
every earlier byte survive, and a refused entry leaves the file untouched.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from refkit.content.diagnostics import unknown_reference, validate
from refkit.content.loader import load_yaml
from refkit.content.models import Ledger, Referral
from refkit.content.project import Project, load_project
from refkit.errors import ContentError, InternalError, Problem

HEADER = """\
# yaml-language-server: $schema=../.refkit/schema/referrals.json
#
# The referral ledger: every introduction, both ways. Private: it feeds the
# scorecard, the report and the check-in emails, never the public site.
"""


#: the `refkit log` option behind each ledger field, where the names differ
_OPTIONS = {"follow_up_due": "--follow-up"}


def append_referral(
    root: Path,
    *,
    direction: str,
    partner: str,
    prospect: str,
    profile: str | None,
    status: str | None,
    value: float | None,
    date: dt.date,
    follow_up_due: dt.date | None,
    note: str | None,
    thanked: bool,
) -> str:
    """Append one validated entry; return a one-line confirmation."""
    project, path, rel = _open_ledger(Path(root))

    entry: dict[str, Any] = {
        "date": date,
        "direction": direction,
        "partner": partner,
        "prospect": prospect,
    }
    optional = {
        "profile": profile,
        "status": status,
        "value": value,
        "follow_up_due": follow_up_due,
        "note": note,
    }
    entry.update({k: v for k, v in optional.items() if v is not None})
    if thanked:
        entry["thanked"] = True
    if isinstance(entry.get("value"), float) and entry["value"].is_integer():
        entry["value"] = int(entry["value"])

    problems: list[Problem] = []
    if partner not in project.partners:
        problems.append(
            Problem(
                rel,
                unknown_reference("partner", partner, sorted(project.partners)),
                field="--partner",
            )
        )
    if profile is not None and profile not in project.profiles:
        problems.append(
            Problem(
                rel,
                unknown_reference("profile", profile, sorted(project.profiles)),
                field="--profile",
            )
        )
    for key, text in entry.items():
        if isinstance(text, str) and not _encodable(text):
            problems.append(Problem(rel, "is not valid text (not UTF-8)", field=f"--{key}"))
    referral: Referral | None = None
    try:
        referral = Referral.model_validate(entry)
    except ValidationError as exc:  # say it in the CLI's words
        for err in exc.errors(include_url=False):
            field = ".".join(str(p) for p in err["loc"])
            message = str(err["msg"]).removeprefix("Value error, ")
            option = _OPTIONS.get(field, f"--{field.replace('_', '-')}")
            problems.append(Problem(rel, message, field=option))
    if problems or referral is None:
        raise ContentError(problems)

    text = path.read_bytes().decode("utf-8") if path.exists() else HEADER
    _replace_validated(path, appended(text, entry, rel), rel, last=referral)

    who = project.partners[partner].name
    arrow = "from" if direction == "received" else "to"
    shown = entry.get("status", "introduced")
    return f"Logged {date.isoformat()}: {direction} {arrow} {who}: {prospect} ({shown}) in {rel}"


def update_referral(
    root: Path,
    *,
    partner: str,
    prospect: str,
    status: str | None,
    value: float | None,
    follow_up_due: dt.date | None,
    thanked: bool,
) -> str:
    """Change the latest ledger entry of ``prospect`` with ``partner``, editing only its values."""
    project, path, rel = _open_ledger(Path(root))
    index = _latest_entry(project, partner, prospect, rel)
    changes: dict[str, Any] = {}
    if status is not None:
        changes["status"] = status
    if value is not None:
        changes["value"] = int(value) if float(value).is_integer() else value
    if follow_up_due is not None:
        changes["follow_up_due"] = follow_up_due
    if thanked:
        changes["thanked"] = True
    if not changes:
        raise ContentError(
            Problem(rel, "nothing to change: give --status, --value, --follow-up or --thanked")
        )
    bom, text = _split_bom(path.read_bytes().decode("utf-8"))
    _replace_validated(path, bom + _edited(text, index, changes, rel), rel)
    shown = ", ".join(f"{k} {_scalar(v)}" for k, v in changes.items())
    return f"Updated {prospect} ({project.partners[partner].name}): {shown} in {rel}"


def _latest_entry(project: Project, partner: str, prospect: str, rel: str) -> int:
    """The index of the latest ledger entry of ``prospect`` with ``partner``."""
    if partner not in project.partners:
        raise ContentError(
            Problem(
                rel,
                unknown_reference("partner", partner, sorted(project.partners)),
                field="--partner",
            )
        )
    matches = [
        i
        for i, r in enumerate(project.referrals)
        if r.partner == partner and r.prospect.casefold() == prospect.casefold()
    ]
    if not matches:
        known = sorted({r.prospect for r in project.referrals if r.partner == partner})
        hint = f"; their referrals: {', '.join(known)}" if known else ""
        raise ContentError(
            Problem(rel, f"no referral of '{prospect}' with '{partner}'{hint}", field="--prospect")
        )
    return matches[-1]


def _edited(text: str, index: int, changes: dict[str, Any], rel: str) -> str:
    """``text`` with the values of entry ``index`` changed in place (or added), nothing else."""
    document = yaml.compose(text, Loader=_LOADER)
    if not isinstance(document, yaml.SequenceNode):
        raise InternalError("load_project accepted a ledger that is not a list")
    entry = document.value[index]
    if not isinstance(entry, yaml.MappingNode) or entry.flow_style:
        line = entry.start_mark.line + 1
        raise ContentError(
            Problem(rel, "this entry is written on one line ({...}); edit it by hand", line)
        )
    newline = "\r\n" if "\r\n" in text else "\n"
    edits: list[tuple[int, int, str]] = []
    indent = entry.value[0][0].start_mark.column
    inserted = ""
    for key, new in changes.items():
        node = next((v for k, v in entry.value if k.value == key), None)
        if isinstance(node, yaml.ScalarNode) and node.style not in ("|", ">"):
            start, end = node.start_mark.index, node.end_mark.index
            space = " " if text[start - 1] == ":" else ""  # `thanked:` left empty
            edits.append((start, end, space + _scalar(new)))
        elif node is not None:
            raise ContentError(
                Problem(
                    rel,
                    f"'{key}' of this entry is not a plain value; edit it by hand",
                    node.start_mark.line + 1,
                    node.start_mark.column + 1,
                )
            )
        else:
            inserted += newline + " " * indent + f"{key}: {_scalar(new)}"
    if inserted:
        edits.append((_end_of_entry(text, entry), _end_of_entry(text, entry), inserted))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _open_ledger(root: Path) -> tuple[Project, Path, str]:
    """The validated project, its ledger file and that file's path as messages name it."""
    project = load_project(root)
    path = _ledger_path(root)
    return project, path, path.relative_to(root).as_posix()


def _end_of_entry(text: str, entry: yaml.MappingNode) -> int:
    """Where a new key of ``entry`` goes: the end of its last line, after any comment."""
    end = max(v.end_mark.index for _, v in entry.value)
    while end > 0 and text[end - 1] in " \t\r\n":  # block scalars end on the next line
        end -= 1
    line_end = text.find("\n", end)
    if line_end == -1:
        return len(text)
    return line_end - 1 if text[line_end - 1] == "\r" else line_end


def _ledger_path(root: Path) -> Path:
    content = root / "content"
    path = content / "referrals.yaml"
    if not path.exists() and (content / "referrals.yml").exists():
        path = content / "referrals.yml"
    return path


def _replace_validated(
    path: Path, new_text: str, rel: str, *, last: Referral | None = None
) -> None:
    """Validate the whole ledger as it will be, then replace the old one atomically.

    With ``last``, the new ledger must also end with exactly that entry.
    """
    target = path.resolve() if path.is_symlink() else path  # keep a symlinked ledger linked
    fd, tmp_name = tempfile.mkstemp(prefix=".referrals.", suffix=".yaml", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(new_text)
        source = load_yaml(tmp, rel)
        checked: list[Problem] = list(source.problems)
        entries = validate(source, Ledger, checked)
        if checked:
            raise ContentError(checked)
        if last is not None and (not entries or entries[-1] != last):
            raise ContentError(
                Problem(rel, "the end of this file does not take a new entry; add it by hand")
            )
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def appended(text: str, entry: dict[str, Any], rel: str) -> str:
    """``text`` (a ledger) with ``entry`` added as one more ``- `` item at its end.

    Every byte of ``text`` is kept (a missing final newline is added), except
    that an empty flow list (``[]``) becomes the block list it starts.
    Entries line up with the existing ones and use the file's line endings.
    """
    bom, text = _split_bom(text)
    newline = "\r\n" if "\r\n" in text else "\n"
    indent = 0
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError:
        node = None  # load_project reported it already; validation will again
    if node is not None:
        if not isinstance(node, yaml.SequenceNode) or (node.flow_style and node.value):
            raise ContentError(
                Problem(
                    rel,
                    "refkit log appends to a block list of entries ('- date: ...' lines); "
                    "this file is written differently, so add the entry by hand",
                    node.start_mark.line + 1,
                    node.start_mark.column + 1,
                )
            )
        after = text[node.end_mark.index :]
        marker = re.search(r"^(?:\.\.\.|---)(?:\s|$)", after, re.MULTILINE)
        if marker:
            line = text.count("\n", 0, node.end_mark.index + marker.start()) + 1
            raise ContentError(
                Problem(
                    rel,
                    f"the list ends with a '{marker.group().strip()}' line; remove it, "
                    "or add the entry by hand",
                    line,
                    1,
                )
            )
        if node.flow_style:  # `[]`: nothing logged yet; the block list replaces it
            end = node.end_mark.index
            while text[end : end + 1] in (" ", "\t"):
                end += 1
            text = text[: node.start_mark.index] + text[end:]
            text = newline.join(line.rstrip() for line in text.split(newline))
            text = text.rstrip() + newline if text.strip() else ""
        else:
            indent = node.start_mark.column
    if text and not text.endswith("\n"):
        text += newline
    if text.strip() and not text.endswith(newline * 2):
        text += newline  # a blank line between entries, as the example does
    return bom + text + entry_yaml(entry, indent=indent, newline=newline)


def _split_bom(text: str) -> tuple[str, str]:
    """A byte order mark and the rest: YAML marks count from after the mark."""
    return ("\ufeff", text[1:]) if text.startswith("\ufeff") else ("", text)


def entry_yaml(entry: dict[str, Any], *, indent: int = 0, newline: str = "\n") -> str:
    """One ledger entry as a block-list item, every value safely quoted."""
    lines = []
    for i, (key, value) in enumerate(entry.items()):
        lead = " " * indent + ("- " if i == 0 else "  ")
        lines.append(f"{lead}{key}: {_scalar(value)}")
    return newline.join(lines) + newline


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PLAIN_PUNCTUATION = frozenset(" -.,&'()/")
#: characters a YAML reader rejects or reads as line breaks inside a quoted scalar
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _plain(text: str) -> bool:
    """Whether ``text`` reads back as the same string when written unquoted."""
    if not text[:1].isalpha() or text.strip() != text:
        return False
    if not all(c.isalnum() or c in _PLAIN_PUNCTUATION for c in text):
        return False
    try:
        return bool(yaml.load(text, Loader=_LOADER) == text)  # `yes`, `null` are not
    except yaml.YAMLError:
        return False


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    if _plain(text):
        return text
    # a JSON string is a valid YAML double-quoted scalar once the characters YAML
    # treats differently from JSON are escaped too
    quoted = json.dumps(text, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)
