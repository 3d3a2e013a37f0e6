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
    content = root / "content"
    path = content / "referrals.yaml"
    if not path.exists() and (content / "referrals.yml").exists():
        path = content / "referrals.yml"
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

    # validate the whole file as it will be, before it replaces the old one
    fd, tmp_name = tempfile.mkstemp(prefix=".referrals.", suffix=".yaml", dir=content)
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

    who = project.partners[partner].name
    arrow = "from" if direction == "received" else "to"
    shown = entry.get("status", "introduced")
    return f"Logged {date.isoformat()}: {direction} {arrow} {who}: {prospect} ({shown}) in {rel}"


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
