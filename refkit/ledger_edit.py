"""``refkit log``: append one referral to content/referrals.yaml, or one
check-in, meeting or call to content/activity.yaml.

The file is the user's: it is never round-tripped through a YAML dumper.
The new entry is appended as text, the whole file is validated, and only
then does it replace the old one (atomically), so comments, formatting and
every earlier byte survive, and a refused entry leaves the file untouched.

Every writer of the ledger (``log``, ``mark``, ``ingest``) holds
:func:`lock_ledger` around its whole read-validate-modify-write, so that two
commands at once cannot both read the old file and each drop the other's entry.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import re
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from refkit.content.creating import sync_folder
from refkit.content.diagnostics import unknown_reference, validate
from refkit.content.loader import load_yaml
from refkit.content.models import Activity, Ledger, Referral, Touch
from refkit.content.project import Project, load_project
from refkit.errors import ContentError, InternalError, Problem
from refkit.text.yamltext import LOADER, yaml_scalar

HEADER = """\
# yaml-language-server: $schema=../.refkit/schema/referrals.json
#
# The referral ledger: every introduction, both ways. Private: it feeds the
# scorecard, the report and the check-in emails, never the public site.
"""


ACTIVITY_HEADER = """\
# yaml-language-server: $schema=../.refkit/schema/activity.json
#
# Check-ins, meetings and calls with partners: the last touch of any kind
# (one of these, or a referral either way) restarts a partner's check-in
# cadence. Private, like the ledger. Add entries with
# `refkit log check-in --partner SLUG` (or `meeting`, `call`).
"""

M = TypeVar("M", bound=BaseModel)

#: the `refkit log` option behind each ledger field, where the names differ
_OPTIONS = {"follow_up_due": "--follow-up"}

#: beside the ledger, while a writer holds it (``.activity.yaml.lock`` for the activity)
LOCK_NAME = ".referrals.yaml.lock"
#: how long a writer waits for another one before giving up
LOCK_TIMEOUT_SECONDS = 30.0
#: the ledger locks this thread holds
_HELD = threading.local()


@contextlib.contextmanager
def lock_ledger(
    root: Path, *, timeout: float | None = None, stem: str = "referrals"
) -> Iterator[None]:
    """Hold the ledger's lock (``content/.referrals.yaml.lock``) for one read-modify-write.

    ``stem="activity"``: the lock of ``content/activity.yaml`` instead.

    Waits up to ``timeout`` seconds (:data:`LOCK_TIMEOUT_SECONDS`) for another
    writer, then raises :class:`ContentError`. The lock is ``fcntl.flock`` on an
    open file, so the kernel releases it when its holder exits, even when killed;
    the holder removes the file when done, so that content/ keeps only the user's.
    Re-entrant in one thread: a caller holding it may call :func:`append_referral`.
    """
    root = Path(root)
    content = root / "content"
    if not content.is_dir():
        load_project(root)  # says there is no content/ folder, in its own words
        raise InternalError("load_project accepted a project without a content/ folder")
    rel = _ledger_path(root, stem).relative_to(root).as_posix()
    lock = content / f".{stem}.yaml.lock"
    held: set[Path] = _HELD.__dict__.setdefault("locks", set())
    key = lock.absolute()
    if key in held:  # flock on a second descriptor would wait for ourselves
        yield
        return
    wait = LOCK_TIMEOUT_SECONDS if timeout is None else timeout
    deadline = time.monotonic() + wait
    fd = _take_lock(lock, deadline, root, rel, wait)
    held.add(key)
    try:
        yield
    finally:
        held.discard(key)
        # unlinked while still held: a waiter on this file sees it is gone and retries
        with contextlib.suppress(OSError):
            os.unlink(lock)
        os.close(fd)


def _take_lock(lock: Path, deadline: float, root: Path, rel: str, wait: float) -> int:
    """An open descriptor of ``lock`` holding its exclusive flock."""
    pause = 0.01
    while True:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o600)
        except OSError as exc:
            where = lock.relative_to(root).as_posix()
            raise ContentError(
                Problem(where, f"cannot open the ledger's lock file: {exc.strerror}")
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if time.monotonic() >= deadline:
                raise ContentError(
                    Problem(
                        rel,
                        f"another refkit command is writing {rel} (waited {wait:g} "
                        "seconds); try again when it has finished",
                    )
                ) from None
            time.sleep(pause)
            pause = min(pause * 2, 0.1)
            continue
        except BaseException:
            os.close(fd)
            raise
        try:
            now, held = os.stat(lock, follow_symlinks=False), os.fstat(fd)
            same = (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino)
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)  # its holder removed it after we opened it: take the new one


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
    refuse_duplicate: bool = False,
    dry_run: bool = False,
) -> str:
    """Append one validated entry; return a one-line confirmation.

    With ``refuse_duplicate``, an entry of the same direction, partner, prospect
    (see :func:`same_referral`) and date is refused under the same lock. With
    ``dry_run``, everything is checked and nothing written (nor locked): the
    line says what would be logged.
    """
    # a dry run writes nothing, so it takes no lock
    with contextlib.nullcontext() if dry_run else lock_ledger(root):
        return _append_referral(
            Path(root),
            direction=direction,
            partner=partner,
            prospect=prospect,
            profile=profile,
            status=status,
            value=value,
            date=date,
            follow_up_due=follow_up_due,
            note=note,
            thanked=thanked,
            refuse_duplicate=refuse_duplicate,
            dry_run=dry_run,
        )


def same_referral(
    project: Project, *, direction: str, partner: str, prospect: str, date: dt.date
) -> Referral | None:
    """The ledger entry already recording this referral, if any.

    The same direction, partner and date, and the same prospect as a person reads
    the name: case and runs of whitespace do not count.
    """
    wanted = _spaced(prospect).casefold()
    for referral in project.referrals:
        if (
            referral.direction == direction
            and referral.partner == partner
            and referral.date == date
            and _spaced(referral.prospect).casefold() == wanted
        ):
            return referral
    return None


def _append_referral(
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
    refuse_duplicate: bool = False,
    dry_run: bool = False,
) -> str:
    project, path, rel, existing = _open_ledger(root)

    entry: dict[str, Any] = {
        "date": date,
        "direction": direction,
        "partner": partner,
        # spaces as a person reads them, so that `mark` finds the name as it is typed
        # (a line break is left for validation to refuse)
        "prospect": re.sub(r"[ \t]+", " ", prospect.strip(" \t")),
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
    if profile is not None and profile not in project.profiles:
        problems.append(
            Problem(
                rel,
                unknown_reference("profile", profile, sorted(project.profiles)),
                field="--profile",
            )
        )
    referral = _validated_entry(project, entry, Referral, rel, problems)
    if refuse_duplicate:
        twin = same_referral(
            project, direction=direction, partner=partner, prospect=prospect, date=date
        )
        if twin is not None:
            raise ContentError(
                Problem(
                    rel,
                    f"already logged: {twin.date.isoformat()} {direction} "
                    f"{project.partners[partner].name}: {twin.prospect}",
                )
            )

    text = HEADER if existing is None else existing
    new_text = appended(text, entry, rel)
    if not dry_run:
        _replace_validated(path, new_text, rel, last=referral)

    who = project.partners[partner].name
    arrow = "from" if direction == "received" else "to"
    shown = entry.get("status", "introduced")
    verb = "Would log" if dry_run else "Logged"
    return f"{verb} {date.isoformat()}: {direction} {arrow} {who}: {prospect} ({shown}) in {rel}"


def append_touch(
    root: Path,
    *,
    kind: str,
    partner: str,
    date: dt.date,
    note: str | None,
    dry_run: bool = False,
) -> str:
    """Append one check-in, meeting or call to ``content/activity.yaml``; a confirmation.

    Like :func:`append_referral`: validated first, appended as text (comments
    and every earlier byte kept), replaced atomically under the file's lock.
    """
    root = Path(root)
    with contextlib.nullcontext() if dry_run else lock_ledger(root, stem="activity"):
        project, path, rel, existing = _open_ledger(root, "activity")
        entry: dict[str, Any] = {"date": date, "partner": partner, "kind": kind}
        if note is not None:
            entry["note"] = note
        touch = _validated_entry(project, entry, Touch, rel, [])
        new_text = appended(ACTIVITY_HEADER if existing is None else existing, entry, rel)
        if not dry_run:
            _replace_validated(path, new_text, rel, last=touch, adapter=Activity)
    partner_row = project.partners[partner]
    verb = "Would log" if dry_run else "Logged"
    due = partner_row.agreement.check_in_days
    dates = [r.date for r in project.referrals_with(partner)]
    dates += [t.date for t in project.touches_with(partner)]
    anchor = max([date, *dates])  # the last touch restarts the cadence, whichever it is
    after = f"; next check-in due {(anchor + dt.timedelta(days=due)).isoformat()}" if due else ""
    return f"{verb} {date.isoformat()}: {kind} with {partner_row.name} in {rel}{after}"


def _validated_entry(
    project: Project, entry: dict[str, Any], model: type[M], rel: str, problems: list[Problem]
) -> M:
    """``entry`` as ``model``, or ContentError with ``problems`` and its own, in the CLI's words.

    An unknown partner gets "did you mean"; a field is named by its `refkit log` option.
    """
    partner = entry["partner"]
    if partner not in project.partners:
        problems.append(
            Problem(
                rel,
                unknown_reference("partner", partner, sorted(project.partners)),
                field="--partner",
            )
        )
    for key, text in entry.items():
        if isinstance(text, str) and not _encodable(text):
            problems.append(Problem(rel, "is not valid text (not UTF-8)", field=f"--{key}"))
    try:
        validated = model.model_validate(entry)
    except ValidationError as exc:
        refused = {p.field for p in problems}  # e.g. 'unknown partner ...': one line an option
        problems.extend(p for p in _option_problems(exc, rel) if p.field not in refused)
    if problems:
        raise ContentError(problems)
    return validated


def _option_problems(exc: ValidationError, rel: str) -> list[Problem]:
    """Pydantic's errors, each naming the `refkit log`/`mark` option it is about."""
    out = []
    for err in exc.errors(include_url=False):
        field = ".".join(str(p) for p in err["loc"])
        message = str(err["msg"]).removeprefix("Value error, ")
        option = _OPTIONS.get(field, f"--{field.replace('_', '-')}")
        out.append(Problem(rel, message, field=option))
    return out


def update_referral(
    root: Path,
    *,
    partner: str,
    prospect: str,
    status: str | None,
    value: float | None,
    follow_up_due: dt.date | None,
    thanked: bool,
    not_thanked: bool = False,
    note: str | None = None,
    date: dt.date | None = None,
) -> str:
    """Change the ledger entry of ``prospect`` with ``partner``, editing only its values.

    ``date`` picks one entry when the prospect has several with that partner.
    """
    with lock_ledger(root):
        return _update_referral(
            Path(root),
            partner=partner,
            prospect=prospect,
            status=status,
            value=value,
            follow_up_due=follow_up_due,
            thanked=thanked,
            not_thanked=not_thanked,
            note=note,
            date=date,
        )


def _update_referral(
    root: Path,
    *,
    partner: str,
    prospect: str,
    status: str | None,
    value: float | None,
    follow_up_due: dt.date | None,
    thanked: bool,
    not_thanked: bool,
    note: str | None,
    date: dt.date | None,
) -> str:
    project, path, rel, existing = _open_ledger(root)
    if thanked and not_thanked:
        raise ContentError(
            Problem(rel, "give --thanked or --not-thanked, not both", field="--not-thanked")
        )
    wanted = _spaced(prospect)
    bom, text = _split_bom(existing or "")  # no ledger: no entry, _find_entry says so
    index = _find_entry(project, partner, wanted, date, rel, _entry_lines(text))
    changes: dict[str, Any] = {}
    if status is not None:
        changes["status"] = status
    if value is not None:
        changes["value"] = int(value) if float(value).is_integer() else value
    if follow_up_due is not None:
        changes["follow_up_due"] = follow_up_due
    if thanked or not_thanked:
        changes["thanked"] = thanked
    if note is not None:
        changes["note"] = note
    if not changes:
        raise ContentError(
            Problem(
                rel,
                "nothing to change: give --status, --value, --follow-up, --thanked, "
                "--not-thanked or --note",
            )
        )
    _check_changes(project.referrals[index], changes, rel)
    _replace_validated(path, bom + _edited(text, index, changes, rel), rel)
    shown = ", ".join(f"{k} {yaml_scalar(v)}" for k, v in changes.items())
    return f"Updated {wanted} ({project.partners[partner].name}): {shown} in {rel}"


def _spaced(text: str) -> str:
    """``text`` with its whitespace normalised: as a person reads a name."""
    return " ".join(text.split())


def _find_entry(
    project: Project,
    partner: str,
    prospect: str,
    date: dt.date | None,
    rel: str,
    lines: list[int],
) -> int:
    """The index of the one ledger entry of ``prospect`` with ``partner`` (on ``date``).

    Names compare with their whitespace normalised; an exact spelling wins over
    one that differs only by case. Several matches are refused, never guessed.
    """
    if partner not in project.partners:
        raise ContentError(
            Problem(
                rel,
                unknown_reference("partner", partner, sorted(project.partners)),
                field="--partner",
            )
        )
    theirs = [(i, r) for i, r in enumerate(project.referrals) if r.partner == partner]
    named = [(i, r) for i, r in theirs if _spaced(r.prospect).casefold() == prospect.casefold()]
    exact = [(i, r) for i, r in named if _spaced(r.prospect) == prospect]
    on_date = [(i, r) for i, r in named if date is None or r.date == date]
    exact_on_date = [(i, r) for i, r in exact if date is None or r.date == date]
    matches = exact_on_date or on_date
    if not matches and named:  # the name is there, not on that date
        raise ContentError(
            Problem(
                rel,
                f"no referral of '{prospect}' with '{partner}' on {date}; theirs: {_listed(named)}",
                field="--date",
            )
        )
    if not matches:
        known = sorted({r.prospect for _, r in theirs})
        hint = f"; their referrals: {', '.join(known)}" if known else ""
        raise ContentError(
            Problem(rel, f"no referral of '{prospect}' with '{partner}'{hint}", field="--prospect")
        )
    if len(matches) == 1:
        return matches[0][0]
    several = f"{len(matches)} referrals of '{prospect}' with '{partner}': {_listed(matches)}"
    if date is None and len({r.date for _, r in matches}) == len(matches):
        raise ContentError(
            Problem(rel, f"{several}; add --date YYYY-MM-DD to pick one", field="--prospect")
        )
    at = ", ".join(str(lines[i]) for i, _ in matches if i < len(lines))
    differ = len({r.prospect for _, r in matches}) > 1
    spelling = "give --prospect exactly as it is written, or " if differ else ""
    raise ContentError(
        Problem(
            rel,
            f"{several}; --date cannot tell them apart: {spelling}edit the file by hand "
            f"(lines {at})",
            field="--prospect",
        )
    )


def _listed(entries: list[tuple[int, Referral]]) -> str:
    """``2026-03-01 (introduced), 2026-04-01 (won)``, with the names when they differ."""
    names = len({r.prospect for _, r in entries}) > 1
    return ", ".join(
        f"{r.date.isoformat()}{f' {r.prospect!r}' if names else ''} ({r.status})"
        for _, r in entries
    )


def _entry_lines(text: str) -> list[int]:
    """The line each ledger entry starts on (empty when the file is not a block list)."""
    try:
        document = yaml.compose(text, Loader=LOADER)
    except yaml.YAMLError:
        return []
    if not isinstance(document, yaml.SequenceNode):
        return []
    return [node.start_mark.line + 1 for node in document.value]


def _check_changes(referral: Referral, changes: dict[str, Any], rel: str) -> None:
    """Refuse changes the entry cannot take, naming `refkit mark`'s options."""
    problems: list[Problem] = []
    for key, text in changes.items():
        if isinstance(text, str) and not _encodable(text):
            problems.append(Problem(rel, "is not valid text (not UTF-8)", field=f"--{key}"))
    if problems:
        raise ContentError(problems)
    try:
        Referral.model_validate({**referral.model_dump(exclude_none=True), **changes})
    except ValidationError as exc:
        raise ContentError(problems + _option_problems(exc, rel)) from None


def _edited(text: str, index: int, changes: dict[str, Any], rel: str) -> str:
    """``text`` with the values of entry ``index`` changed in place (or added), nothing else."""
    document = yaml.compose(text, Loader=LOADER)
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
            edits.append((start, end, space + yaml_scalar(new)))
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
            inserted += newline + " " * indent + f"{key}: {yaml_scalar(new)}"
    if inserted:
        edits.append((_end_of_entry(text, entry), _end_of_entry(text, entry), inserted))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _open_ledger(root: Path, stem: str = "referrals") -> tuple[Project, Path, str, str | None]:
    """The validated project, its ledger file (``stem="activity"``: the activity file),
    that file's path as messages name it, and its text (None when there is none yet)."""
    project = load_project(root)
    path = _ledger_path(root, stem)
    rel = path.relative_to(root).as_posix()
    if path.is_symlink() and not path.exists():
        raise ContentError(Problem(rel, "is a symlink to nothing; fix or remove it"))
    if not path.exists():
        return project, path, rel, None
    if path.is_dir():
        raise ContentError(
            Problem(
                rel, "is a folder, not a regular file: move it away so the ledger can live here"
            )
        )
    if not path.is_file():
        raise ContentError(Problem(rel, "is not a regular file: replace it with a YAML file"))
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise ContentError(Problem(rel, f"cannot read: {exc.strerror}")) from None
    return project, path, rel, text


def _end_of_entry(text: str, entry: yaml.MappingNode) -> int:
    """Where a new key of ``entry`` goes: the end of its last line, after any comment."""
    end = max(v.end_mark.index for _, v in entry.value)
    while end > 0 and text[end - 1] in " \t\r\n":  # block scalars end on the next line
        end -= 1
    line_end = text.find("\n", end)
    if line_end == -1:
        return len(text)
    return line_end - 1 if text[line_end - 1] == "\r" else line_end


def _ledger_path(root: Path, stem: str = "referrals") -> Path:
    content = root / "content"
    path = content / f"{stem}.yaml"
    if not path.exists() and (content / f"{stem}.yml").exists():
        path = content / f"{stem}.yml"
    return path


def _replace_validated(
    path: Path,
    new_text: str,
    rel: str,
    *,
    last: Referral | Touch | None = None,
    adapter: Any = Ledger,
) -> None:
    """Validate the whole ledger as it will be, then replace the old one atomically.

    The new text goes to a temporary file in the same folder, is synced to disk
    and renamed over the old one: a crash leaves the old ledger or the new one,
    never half of either. With ``last``, the new ledger must also end with
    exactly that entry.
    """
    target = path.resolve() if path.is_symlink() else path  # keep a symlinked ledger linked
    try:
        stem = "activity" if adapter is Activity else "referrals"
        fd, tmp_name = tempfile.mkstemp(prefix=f".{stem}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise ContentError(Problem(rel, f"cannot write: {exc.strerror}")) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(new_text)
            handle.flush()
            os.fsync(handle.fileno())
        source = load_yaml(tmp, rel)
        checked: list[Problem] = list(source.problems)
        entries = validate(source, adapter, checked)
        if checked:
            raise ContentError(checked)
        if last is not None and (not entries or entries[-1] != last):
            raise ContentError(
                Problem(rel, "the end of this file does not take a new entry; add it by hand")
            )
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        os.replace(tmp, target)
        sync_folder(target.parent)
    except OSError as exc:
        raise ContentError(Problem(rel, f"cannot write: {exc.strerror}")) from None
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
        node = yaml.compose(text, Loader=LOADER)
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
        lines.append(f"{lead}{key}: {yaml_scalar(value)}")
    return newline.join(lines) + newline


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
