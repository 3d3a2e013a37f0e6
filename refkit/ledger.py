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
import tempfile
from pathlib import Path
from typing import Any

import yaml

from refkit.errors import ContentError, Problem
from refkit.loader import load_yaml
from refkit.models import Ledger, Referral
from refkit.project import load_project, unknown_reference, validate

HEADER = """\
# yaml-language-server: $schema=../.refkit/schema/referrals.json
#
# The referral ledger: every introduction, both ways. Private: it feeds the
# scorecard, the report and the check-in emails, never the public site.
"""


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
    root = Path(root)
    project = load_project(root)
    path = _ledger_path(root)
    rel = path.relative_to(root).as_posix()

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
    try:
        Referral.model_validate(entry)
    except Exception as exc:  # pydantic.ValidationError: say it in the CLI's words
        for err in getattr(exc, "errors", lambda: [])():
            field = ".".join(str(p) for p in err["loc"])
            message = str(err["msg"]).removeprefix("Value error, ")
            problems.append(Problem(rel, message, field=f"--{field.replace('_', '-')}"))
    if problems:
        raise ContentError(problems)

    old = path.read_bytes() if path.exists() else HEADER.encode("utf-8")
    text = old.decode("utf-8")
    _check_appendable(path, text, rel)
    if text and not text.endswith("\n"):
        text += "\n"
    new_text = text + "\n" + _entry_yaml(entry)

    _replace_validated(path, new_text, rel)

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
    root = Path(root)
    project = load_project(root)
    path = _ledger_path(root)
    rel = path.relative_to(root).as_posix()
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
    index = matches[-1]
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

    text = path.read_text(encoding="utf-8")
    document = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    assert isinstance(document, yaml.SequenceNode)  # load_project checked it is a list
    entry = document.value[index]
    if not isinstance(entry, yaml.MappingNode) or entry.flow_style:
        line = entry.start_mark.line + 1
        raise ContentError(
            Problem(rel, "this entry is written on one line ({...}); edit it by hand", line)
        )
    edits: list[tuple[int, int, str]] = []
    last_end = max(v.end_mark.index for _, v in entry.value)
    indent = entry.value[0][0].start_mark.column
    inserted = ""
    for key, new in changes.items():
        node = next((v for k, v in entry.value if k.value == key), None)
        if node is not None and isinstance(node, yaml.ScalarNode):
            edits.append((node.start_mark.index, node.end_mark.index, _scalar(new)))
        else:
            inserted += "\n" + " " * indent + f"{key}: {_scalar(new)}"
    if inserted:
        edits.append((last_end, last_end, inserted))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    _replace_validated(path, text, rel)
    shown = ", ".join(f"{k} {_scalar(v)}" for k, v in changes.items())
    return f"Updated {prospect} ({project.partners[partner].name}): {shown} in {rel}"


def _ledger_path(root: Path) -> Path:
    content = root / "content"
    path = content / "referrals.yaml"
    if not path.exists() and (content / "referrals.yml").exists():
        path = content / "referrals.yml"
    return path


def _replace_validated(path: Path, new_text: str, rel: str) -> None:
    """Validate the whole ledger as it will be, then replace the old one atomically."""
    fd, tmp_name = tempfile.mkstemp(prefix=".referrals.", suffix=".yaml", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(new_text)
        source = load_yaml(tmp, rel)
        checked: list[Problem] = list(source.problems)
        validate(source, Ledger, checked)
        if checked:
            raise ContentError(checked)
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _check_appendable(path: Path, text: str, rel: str) -> None:
    """Only a block list (or a file of comments) can take a '- ' entry at its end."""
    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return  # load_project already reported it; unreachable in practice
    if node is None:
        return
    if not isinstance(node, yaml.SequenceNode) or node.flow_style:
        raise ContentError(
            Problem(
                rel,
                "refkit log appends to a block list of entries ('- date: ...' lines); "
                "this file is written differently, so add the entry by hand",
                node.start_mark.line + 1,
                node.start_mark.column + 1,
            )
        )


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    # JSON strings are valid YAML double-quoted scalars; plain words stay plain
    plain = yaml.safe_load(text) == text if text and text.strip() == text else False
    if plain and all(c.isalnum() or c in " -.,&'()" for c in text) and text[0] not in "-'&":
        return text
    return json.dumps(text, ensure_ascii=False)


def _entry_yaml(entry: dict[str, Any]) -> str:
    lines = []
    for i, (key, value) in enumerate(entry.items()):
        lines.append(f"{'- ' if i == 0 else '  '}{key}: {_scalar(value)}")
    return "\n".join(lines) + "\n"
