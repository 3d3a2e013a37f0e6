"""The hostile-input cases of issue 11, as data: one :class:`Case` per entry of CASES.

Each case writes a few files into a copy of the example project (which has a
previous build in ``output/``), runs the installed ``refkit`` once, and says
what a careless or malicious user must get back: a clean error naming the
file and line, or a clean success whose outputs are safe. The checks every
case gets (no traceback, content and the previous ``output/`` untouched) live
in test_hostile_cases.py; a case adds only what it is about.

To add a case, add one entry to the list it belongs to. A case for a problem
guards one of issue 11's numbered problems says so with ``item=N``; a case for
a problem not fixed yet carries ``pending="why"``: it runs as a strict
expected failure until the fix lands, and the suite fails once it passes.
"""

from __future__ import annotations

import email
import email.errors
import email.policy
import functools
import html
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from conftest import network_guard, refkit_exe

Result = subprocess.CompletedProcess[str]
#: what a case's ``safe`` check returns: one sentence per thing that is wrong
Check = Callable[[Path, Result], list[str]]

BUSINESS = "content/business.yaml"
PROFILE = "content/profiles/growing-manufacturers.yaml"
PARTNER = "content/partners/dana-whitfield.yaml"  # page: public, has an email
LEDGER = "content/referrals.yaml"
SITE_INDEX = "templates/site/index.html"

#: an error line that names a content file and a line: `content/x.yaml:3:5: error: ...`
AT_CONTENT_LINE = r"^content/[^\s:]+:\d+(:\d+)?: error: "
AT_TEMPLATE_LINE = r"^templates/[^\s:]+:\d+(:\d+)?: error: "


# --------------------------------------------------------------------------- changes


@dataclass(frozen=True)
class Set:
    """Set fields of a YAML content file by dotted path (``contact.name``, ``services.0.name``).

    The file is read (the example's), changed and dumped back with PyYAML, which
    quotes every value correctly, so that a payload reaches refkit exactly as
    given. A value of None deletes the field.
    """

    fields: Mapping[str, Any]

    def apply(self, path: Path) -> None:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
        for dotted, value in self.fields.items():
            _set_path(data, dotted.split("."), value)
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")


def _set_path(node: Any, parts: list[str], value: Any) -> None:
    *parents, last = parts
    for i, part in enumerate(parents):
        key: Any = int(part) if part.isdigit() else part
        following = parents[i + 1] if i + 1 < len(parents) else last
        if isinstance(node, list):
            while len(node) <= key:
                node.append([] if following.isdigit() else {})
            node = node[key]
        else:
            node = node.setdefault(key, [] if following.isdigit() else {})
    key = int(last) if last.isdigit() else last
    if isinstance(node, list):
        while len(node) <= key:
            node.append(None)
        node[key] = value
    elif value is None:
        node.pop(key, None)
    else:
        node[key] = value


#: what a case writes at a path: text or bytes as they are, a :class:`Set`, or None (delete)
Change = str | bytes | Set | None


def apply_change(root: Path, rel: str, change: Change) -> None:
    """Write one of a case's ``files`` into the project at ``root``."""
    path = root / rel
    if change is None:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(change, Set):
        change.apply(path)
    elif isinstance(change, bytes):
        path.write_bytes(change)
    else:
        path.write_text(change, encoding="utf-8")


# --------------------------------------------------------------------------- the case


@dataclass(frozen=True)
class Case:
    """One hostile input and what refkit must answer to it.

    ``expect``: ``error`` (exit 1, and ``where`` found in stderr), ``ok`` (exit
    0 and ``safe`` finds nothing), ``either`` (one of the two), ``refused``
    (exit 1 or 2: a usage error is a fine answer to a bad option).
    """

    name: str
    files: Mapping[str, Change] = field(default_factory=dict)
    #: arguments after ``refkit``; ``-p PROJECT`` is added, ``{root}`` is the project
    command: tuple[str, ...] = ("check",)
    expect: Literal["error", "ok", "either", "refused"] = "error"
    #: a regular expression (multiline) that stderr matches when the command fails
    where: str | None = AT_CONTENT_LINE
    #: problems with the result, checked whatever the exit code
    safe: Check | None = None
    #: changes that a file mapping cannot make: symlinks, FIFOs, folders
    setup: Callable[[Path], None] | None = None
    #: commands run (and required to succeed) after the files are written
    before: tuple[tuple[str, ...], ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    #: files the command may change when it succeeds (``refkit log`` edits the ledger)
    may_change: tuple[str, ...] = ()
    #: close the reading end of stdout at once (``refkit check | true``)
    closed_stdout: bool = False
    timeout: float = 120
    #: the numbered problem of issue 11 this case guards (None: a case of the list
    #: "and the ones that already pass", or a problem found outside the numbered list)
    item: int | None = None
    #: why this case is expected to fail, while a fix is pending: it runs as a strict
    #: xfail, so the suite fails as soon as it passes and the mark must go
    pending: str | None = None
    #: builds PDFs: seconds, not a fraction of one
    slow: bool = False

    def args(self, root: Path) -> list[str]:
        """The command line after ``refkit``."""
        return [arg.replace("{root}", str(root)) for arg in self.command] + ["-p", str(root)]


#: every refkit run gets at most this much address space: a bomb fails, not the machine
MEMORY_LIMIT = 4 << 30


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_case_command(args: list[str], root: Path, case: Case) -> Result:
    """Run the installed ``refkit ARGS`` in ``root``, without network when the system allows.

    Not conftest.run_refkit: a case needs its own timeout (a FIFO makes a hang,
    not an error), a memory limit and, for ``closed_stdout``, a closed pipe.
    """
    command = [*network_guard(), refkit_exe(), *args]
    env = {**os.environ, **case.env}
    if not case.closed_stdout:
        return subprocess.run(
            command,
            cwd=root,
            env=env,
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            timeout=case.timeout,
            preexec_fn=_limit_memory,
        )
    process = subprocess.Popen(
        command,
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_limit_memory,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    try:
        stderr = process.stderr.read().decode("utf-8", "replace")
        code = process.wait(timeout=case.timeout)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stderr.close()
    return subprocess.CompletedProcess(command, code, "", stderr)


# --------------------------------------------------------------------------- safe results


def html_files(root: Path) -> Iterable[Path]:
    """Every HTML file under the project's output/."""
    return sorted((root / "output").rglob("*.html"))


_SCHEMES = ("javascript:", "vbscript:", "livescript:", "file:")
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"}
_FORBIDDEN_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "form", "base"}


def markup_problems(page: str, where: str) -> list[str]:
    """Markup in ``page`` that content could have introduced: scripts, handlers, bad URLs."""
    from bs4 import BeautifulSoup

    problems = []
    soup = BeautifulSoup(page, "html5lib")
    for element in soup.find_all(True):
        name = element.name.lower()
        # the intro builder's own form (no action: nothing is ever submitted) is refkit's
        builder = name == "form" and element.has_attr("data-builder-form")
        if name in _FORBIDDEN_ELEMENTS and not (builder and not element.has_attr("action")):
            problems.append(f"{where}: a <{name}> element")
        if name == "meta" and str(element.get("http-equiv", "")).lower() == "refresh":
            problems.append(f"{where}: a <meta http-equiv=refresh>")
        if name == "img" and element.get("src") == "x":
            problems.append(f"{where}: the payload's <img src=x>")
        if name == "script":
            text = "".join(str(part) for part in element.contents)  # get_text() skips scripts
            if element.get("type") in ("application/ld+json", "application/json"):
                # data, never run (JSON-LD; the intro builder's drafts): it must still
                # parse whole, or the payload broke out of it
                try:
                    json.loads(text)
                except ValueError:
                    problems.append(f"{where}: JSON data broken out of: {text[:80]!r}")
            elif text.strip() or not element.get("src"):
                problems.append(f"{where}: an inline <script>: {text[:80]!r}")
            elif "//" in str(element.get("src")):
                problems.append(f"{where}: an external <script src={element.get('src')}>")
        for attribute, value in element.attrs.items():
            if attribute.lower().startswith("on"):
                problems.append(f"{where}: <{name} {attribute}=...> (an event handler)")
            values = value if isinstance(value, list) else [value]
            if attribute.lower() not in _URL_ATTRIBUTES:
                continue
            for one in values:
                compact = re.sub(r"[\x00-\x20]", "", html.unescape(str(one))).lower()
                if compact.startswith(_SCHEMES) or (
                    compact.startswith("data:") and not compact.startswith("data:image/")
                ):
                    problems.append(f"{where}: <{name} {attribute}={one[:60]!r}>")
    return problems


@functools.lru_cache(maxsize=4096)
def _page_problems(data: bytes, where: str) -> tuple[str, ...]:
    # most pages of a case are those of the previous build, byte for byte: parse each once
    return tuple(markup_problems(data.decode("utf-8", "replace"), where))


def no_markup_from_content(root: Path, result: Result) -> list[str]:
    """No page under output/ carries a script, handler or dangerous URL (nor does stdout)."""
    problems: list[str] = []
    for path in html_files(root):
        problems += _page_problems(path.read_bytes(), str(path.relative_to(root)))
    if "<" in result.stdout:
        problems += markup_problems(result.stdout, "stdout")
    return problems


def no_reference_to(*needles: str) -> Check:
    """No URL attribute in the built pages contains any of ``needles``."""

    def check(root: Path, result: Result) -> list[str]:
        from bs4 import BeautifulSoup

        problems = no_markup_from_content(root, result)
        for path in html_files(root):
            soup = BeautifulSoup(path.read_text("utf-8", "replace"), "html5lib")
            for element in soup.find_all(True):
                for attribute, value in element.attrs.items():
                    if attribute.lower() in _URL_ATTRIBUTES or attribute.lower() == "style":
                        if str(value).startswith("mailto:"):
                            continue  # the words of a draft, not a reference
                        found = [n for n in needles if n in str(value)]
                        if found:
                            problems.append(f"{path.relative_to(root)}: <{element.name} {value}>")
        return problems

    return check


def nothing_contains(*needles: str) -> Check:
    """No file under output/ and nothing on stdout contains any of ``needles``."""

    def check(root: Path, result: Result) -> list[str]:
        problems = [f"stdout has {n!r}" for n in needles if n in result.stdout]
        for path in sorted((root / "output").rglob("*")):
            if path.is_file() and not path.is_symlink():
                data = path.read_bytes()
                problems += [
                    f"{path.relative_to(root)} has {n!r}" for n in needles if n.encode() in data
                ]
        return problems

    return check


def no_file(rel: str) -> Check:
    """``rel`` (a file a payload would create) does not exist in the project."""

    def check(root: Path, result: Result) -> list[str]:
        return [f"{rel} was created: the payload ran"] if (root / rel).exists() else []

    return check


def both(*checks: Check) -> Check:
    """Every one of ``checks``."""

    def check(root: Path, result: Result) -> list[str]:
        return [problem for one in checks for problem in one(root, result)]

    return check


#: the headers a refkit draft has, and no other (the mail part headers are below them)
DRAFT_HEADERS = {
    "from",
    "to",
    "cc",
    "reply-to",
    "subject",
    "date",
    "message-id",
    "x-unsent",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
}


def header_problems(raw: bytes, where: str) -> list[str]:
    """Headers of one .eml that content smuggled in, or that a client reads differently.

    A draft with raw UTF-8 in its headers is an SMTPUTF8 one (RFC 6532): it is
    read as UTF-8 text, as the clients that open it do, where a non-ASCII local
    part is allowed.
    """
    if raw.partition(b"\r\n\r\n")[0].isascii():
        message = email.message_from_bytes(raw, policy=email.policy.default)
        allowed: tuple[type, ...] = ()
    else:
        message = email.message_from_string(raw.decode("utf-8"), policy=email.policy.default)
        allowed = (email.errors.NonASCIILocalPartDefect,)
    problems = []
    for name, value in message.items():
        if name.lower() not in DRAFT_HEADERS:
            problems.append(f"{where}: a {name}: header ({str(value)[:60]!r})")
        if "\r" in str(value) or "\n" in str(value):
            problems.append(f"{where}: {name} decodes to several lines: {str(value)[:80]!r}")
        for defect in getattr(value, "defects", ()):
            if isinstance(defect, allowed):
                continue
            problems.append(f"{where}: {name}: {type(defect).__name__} ({str(value)[:60]!r})")
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    if re.search(rb"(?im)^bcc:", head):
        problems.append(f"{where}: a Bcc line in the raw header block")
    return problems


def no_smuggled_headers(root: Path, result: Result) -> list[str]:
    """Every .eml under output/ (and an .eml on stdout) has only a draft's headers."""
    problems = []
    for path in sorted((root / "output").rglob("*.eml")):
        problems += header_problems(path.read_bytes(), str(path.relative_to(root)))
    if result.stdout.startswith(("From:", "To:", "Subject:")):
        problems += header_problems(result.stdout.encode("utf-8"), "stdout")
    if re.search(r"(?im)^bcc:", result.stdout):
        problems.append("stdout: a Bcc line")
    return problems


def one_line_per_problem(root: Path, result: Result) -> list[str]:
    """No line of stderr was written by the content (each problem is one line of refkit's)."""
    return [f"stderr: {line!r}" for line in result.stderr.splitlines() if "forged" in line[:30]]


def warned_or_refused(*needles: str) -> Check:
    """A reference refkit must not fetch: the build said so (stderr names it), or refused."""

    def check(root: Path, result: Result) -> list[str]:
        if result.returncode == 0 and not any(n in result.stderr for n in needles):
            return [f"built without a word about {needles[0]!r}"]
        return []

    return check


def svg_assets_safe(root: Path, result: Result) -> list[str]:
    """No SVG under output/site carries a script, an event handler or an external reference."""
    problems = []
    for path in sorted((root / "output" / "site").rglob("*.svg")):
        text = path.read_text("utf-8", "replace")
        rel = path.relative_to(root)
        if re.search(r"<script|\son[a-z]+\s*=|javascript:", text, re.IGNORECASE):
            problems.append(f"{rel}: a script or event handler")
        if re.search(r"(?:href|src)\s*=\s*[\"']?(?:https?:|file:|//)", text, re.IGNORECASE):
            problems.append(f"{rel}: an external reference")
    return problems


# --------------------------------------------------------------------------- setups


def mkfifo(rel: str) -> Callable[[Path], None]:
    """A FIFO at ``rel``: reading it blocks until someone writes."""

    def setup(root: Path) -> None:
        os.mkfifo(root / rel)

    return setup


def symlink(rel: str, target: str) -> Callable[[Path], None]:
    """A symlink at ``rel`` to ``target`` (``{outside}`` is a folder beside the project)."""

    def setup(root: Path) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() or path.is_symlink():
            path.unlink()
        path.symlink_to(target.replace("{outside}", str(outside(root))))

    return setup


def outside(root: Path) -> Path:
    """A folder beside the project, for files a symlink points out to."""
    folder = root.parent / "outside"
    folder.mkdir(exist_ok=True)
    return folder


def outside_file(name: str, data: str | bytes) -> Callable[[Path], None]:
    """A file ``name`` in the folder beside the project."""

    def setup(root: Path) -> None:
        path = outside(root) / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))

    return setup


def output_points_outside(root: Path) -> None:
    """output/ is a symlink to a folder beside the project that holds one file."""
    shutil.rmtree(root / "output")
    victim = outside(root) / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("keep\n")
    (root / "output").symlink_to(victim)


def outside_untouched(root: Path, result: Result) -> list[str]:
    """The folder output/ points to holds what it held."""
    if sorted(p.name for p in (outside(root) / "victim").iterdir()) == ["keep.txt"]:
        return []
    return ["the build wrote through output/ into the folder it points to"]


def prepend(path: Path, data: bytes) -> None:
    """Put ``data`` before the bytes of ``path``."""
    path.write_bytes(data + path.read_bytes())


def make_dir(rel: str) -> Callable[[Path], None]:
    """A folder at ``rel``, replacing the file there."""

    def setup(root: Path) -> None:
        path = root / rel
        if path.is_file() or path.is_symlink():
            path.unlink()
        path.mkdir(parents=True, exist_ok=True)
        (path / "entry.yaml").write_text("- date: 2026-01-01\n")

    return setup


def steps(*setups: Callable[[Path], None]) -> Callable[[Path], None]:
    """Several setups, in order."""

    def setup(root: Path) -> None:
        for one in setups:
            one(root)

    return setup


# --------------------------------------------------------------------------- payloads


def xss(field_name: str) -> str:
    """A payload for ``field_name``: tags, handlers, an attribute break-out, a JSON-LD break-out.

    One line, so that it passes the one-line fields' validation and reaches
    the templates.
    """
    tag = f"xss {field_name}"
    return (
        f'</script><script>alert("{tag}")</script>'
        f'<img src=x onerror=alert("{tag}")>'
        f'<svg onload=alert("{tag}")></svg>'
        f"\" onmouseover=\"alert(1)\" ' onfocus='alert(2)' "
        f"<a href=\"javascript:alert('{tag}')\">j</a>"
        f"<iframe src=\"javascript:alert('{tag}')\"></iframe>"
    )


ENCODED_BCC = "=?utf-8?q?Dana=0D=0ABcc:_evil@x.com?="
RAW_BCC = "Dana\r\nBcc: evil@x.com"
#: an address whose local part is an encoded word: `To: … <a` / `Bcc: …` / `X: @x.com>`
ENCODED_ADDRESS = "=?utf-8?q?a=3E=0D=0ABcc=3A_evil=40x.com=0D=0AX=3A?=@x.com"

XSS_BUILD = ("build", "--only", "site,email,report")

#: every text field that reaches a page, by file (list items by their first index)
TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    BUSINESS: (
        "name",
        "tagline",
        "summary",
        "contact.name",
        "contact.title",
        "contact.phone",
        "services.0.name",
        "services.0.summary",
        "we_do_not_offer.0",
        "industries.0",
        "service_area",
        "how_we_win_business",
        "why_clients_choose_us.0",
        "not_a_fit.0",
        "values.0",
        "partner_offer.0",
        "testimonials.0.quote",
        "testimonials.0.who",
    ),
    PROFILE: (
        "title",
        "summary",
        "contact_role",
        "company.revenue",
        "company.industries.0",
        "company.locations.0",
        "signals.0",
        "needs.0",
        "criteria.0",
        "disqualifiers.0",
        "why_us.0",
        "example",
        "intro_hint",
    ),
    PARTNER: (
        "name",
        "company",
        "role",
        "phone",
        "offers.0",
        "their_ideal_clients.0",
        "agreement.expectations.0",
    ),
    LEDGER: ("17.prospect",),
}


def _short(rel: str) -> str:
    return Path(rel).stem


XSS_CASES = [
    Case(
        f"xss in {_short(rel)} {name}",
        {rel: Set({name: xss(name)})},
        XSS_BUILD,
        expect="ok",
        safe=no_markup_from_content,
    )
    for rel, names in TEXT_FIELDS.items()
    for name in names
]

#: Markdown fields take links: none may run code, read local files or load remote images
MARKDOWN_CASES = [
    Case(
        f"markdown {name}",
        {BUSINESS: Set({"summary": f"We help. {source} More."})},
        ("build", "--only", "site,email"),
        # refusing is safe too; a link nh3 lets through as a relative one is then "broken"
        expect="either",
        where=r"^content/business\.yaml:\d+|broken link",
        safe=no_reference_to(*needles),
    )
    for name, source, needles in (
        ("javascript link", "[call](javascript:alert(1))", ("javascript",)),
        ("mixed-case javascript link", "[call](JaVaScRiPt:alert(1))", ("alert",)),
        ("entity-encoded javascript link", "[call](java&#x09;script:alert(1))", ("alert",)),
        ("raw html javascript link", '<a href="javascript:alert(1)">call</a>', ("alert",)),
        (
            "data: link",
            "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            ("data:text",),
        ),
        ("vbscript link", "[x](vbscript:msgbox(1))", ("vbscript",)),
        ("javascript autolink", "<javascript:alert(1)>", ("alert",)),
        ("reference link", "[x][1]\n\n[1]: javascript:alert(1)", ("alert",)),
        ("file: link", "[passwd](file:///etc/passwd)", ("/etc/passwd",)),
        ("file: image", "![passwd](file:///etc/passwd)", ("/etc/passwd",)),
        ("remote image", "![pixel](http://evil.example/pixel.png)", ("evil.example",)),
        ("raw html iframe", '<iframe src="http://evil.example/"></iframe>', ("evil.example",)),
        (
            "raw html style",
            "<style>body{background:url(http://evil.example/x)}</style>",
            ("evil.example",),
        ),
        ("raw html img onerror", "<img src=x onerror=alert(1)>", ("alert",)),
    )
]

#: URL fields take http(s) only: anything else is refused where it is written
URL_CASES = [
    Case(f"url {name}", {rel: Set({key: value})}, expect=expect, safe=no_markup_from_content)
    for name, rel, key, value, expect in (
        ("javascript: website", BUSINESS, "website", "javascript:alert(1)", "error"),
        (
            "data: booking_url",
            BUSINESS,
            "contact.booking_url",
            "data:text/html,<script>alert(1)</script>",
            "error",
        ),
        ("vbscript: base_url", BUSINESS, "site.base_url", "vbscript:msgbox(1)", "error"),
        ("file: base_url", BUSINESS, "site.base_url", "file:///etc/", "error"),
        (
            "javascript: partner website",
            PARTNER,
            "website",
            "javascript://x.example/%0Aalert(1)",
            "error",
        ),
        ("scheme-relative website", PARTNER, "website", "//evil.example/", "error"),
    )
] + [
    Case(
        "url attribute break-out in a partner website",
        {PARTNER: Set({"website": 'https://x.example/"onmouseover="alert(1)'})},
        XSS_BUILD,
        expect="either",
        safe=no_markup_from_content,
    ),
    Case(
        "quoted local part with a handler in an email",
        {PARTNER: Set({"email": '"x\\"onmouseover=\\"alert(1)"@x.example'})},
        XSS_BUILD,
        expect="either",
        safe=no_markup_from_content,
    ),
    Case(
        "logo path out of the project",
        {BUSINESS: Set({"site.brand.logo": "../../../../etc/passwd"})},
    ),
    Case("logo absolute path", {BUSINESS: Set({"site.brand.logo": "/etc/passwd"})}),
    Case(
        "svg logo with a script and handlers",
        {
            BUSINESS: Set({"site.brand.logo": "assets/evil.svg"}),
            "content/assets/evil.svg": (
                '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)" viewBox="0 0 10 10">'
                '<script>alert("svg")</script><rect width="10" height="10" onclick="alert(2)"/>'
                "</svg>"
            ),
        },
        ("build", "--only", "site"),
        expect="either",
        where=r"content/assets/evil\.svg|content/business\.yaml:\d+",
        safe=svg_assets_safe,
        item=9,
    ),
    Case(
        "svg logo with external references",
        {
            BUSINESS: Set({"site.brand.logo": "assets/evil.svg"}),
            "content/assets/evil.svg": (
                '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
                ' viewBox="0 0 10 10"><image href="http://evil.example/t.png" width="10"/>'
                '<use xlink:href="file:///etc/passwd#x"/></svg>'
            ),
        },
        ("build", "--only", "site"),
        expect="either",
        where=r"content/assets/evil\.svg|content/business\.yaml:\d+",
        safe=svg_assets_safe,
        item=9,
    ),
]

EMAIL_BUILD = ("build", "--only", "email")

HEADER_CASES = [
    Case(
        f"header {name}",
        {rel: Set({key: value})},
        EMAIL_BUILD,
        # CR/LF and encoded words are refused at their file:line; the rest is written safely
        expect="error" if "\r" in value or "=?" in value else "either",
        safe=no_smuggled_headers,
        item=item,
    )
    for name, rel, key, value, item in (
        ("CR/LF in a partner name", PARTNER, "name", RAW_BCC, None),
        ("CR/LF in the business name", BUSINESS, "name", RAW_BCC, None),
        ("CR/LF in the contact name", BUSINESS, "contact.name", RAW_BCC, None),
        ("CR/LF in a ledger prospect", LEDGER, "17.prospect", RAW_BCC, None),
        ("CR/LF in a partner company", PARTNER, "company", RAW_BCC, None),
        ("LF alone in a partner name", PARTNER, "name", "Dana\nBcc: evil@x.com", None),
        ("encoded word in a partner name", PARTNER, "name", ENCODED_BCC, 1),
        ("encoded word in the business name", BUSINESS, "name", ENCODED_BCC, 1),
        ("encoded word in the contact name", BUSINESS, "contact.name", ENCODED_BCC, 1),
        ("encoded word in a ledger prospect", LEDGER, "17.prospect", ENCODED_BCC, 1),
        ("encoded word in a partner company", PARTNER, "company", ENCODED_BCC, None),
        ("encoded word in a partner email", PARTNER, "email", ENCODED_ADDRESS, 1),
        (
            "base64 encoded word in a partner name",
            PARTNER,
            "name",
            "=?utf-8?b?RGFuYQ0KQmNjOiBldmlsQHguY29t?=",
            1,
        ),
        ("non-ASCII partner address", PARTNER, "email", "dänä@exämple.com", 12),
        ("non-ASCII partner domain", PARTNER, "email", "dana@exämple.com", 12),
        (
            "unicode line separator in a partner name",
            PARTNER,
            "name",
            "Dana\u2028Bcc: evil@x.com",
            None,
        ),
    )
] + [
    Case(
        f"header {name} on the command line",
        command=(
            "email",
            "introduction",
            "--partner",
            "dana-whitfield",
            option,
            value,
            "--format",
            "eml",
        ),
        expect="refused" if "\n" in value else "either",
        where=None,
        safe=no_smuggled_headers,
        item=item,
    )
    for name, option, value, item in (
        ("encoded word in --prospect", "--prospect", ENCODED_BCC, 1),
        ("encoded word in --prospect-company", "--prospect-company", ENCODED_BCC, 1),
        ("CR/LF in --prospect", "--prospect", RAW_BCC, None),
        ("CR/LF in --prospect-company", "--prospect-company", RAW_BCC, None),
    )
]

# --------------------------------------------------------------------------- YAML

DEEP = "name: " + "[" * 200 + "]" * 200 + "\n"
LAUGHS = "\n".join(
    ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]" for i in range(8)]
)


def alias_bomb(root: Path) -> None:
    """Item 4: the example's business.yaml, valid, but its tagline (2,000 characters) is
    anchored and its industries are 20,000 aliases of it: 40 MB of text from 130 KB."""
    path = root / BUSINESS
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^tagline: .*$", "tagline: &big " + "A" * 2_000, text)
    aliases = "industries: [" + ", ".join(["*big"] * 20_000) + "]"
    text = re.sub(r"(?m)^industries:\n(  - .*\n)+", aliases + "\n", text)
    assert text.count("*big") == 20_000
    path.write_text(text, encoding="utf-8")


YAML_CASES = [
    Case("business.yaml is a list", {BUSINESS: "- name: Keel\n- summary: x\n"}),
    Case("business.yaml is a string", {BUSINESS: "just some words\n"}),
    Case("business.yaml is a number", {BUSINESS: "42\n"}),
    Case(
        "business.yaml is empty", {BUSINESS: ""}, where=r"^content/business\.yaml(:\d+)*: error: "
    ),
    Case("a partner file is a list", {PARTNER: "- name: Dana\n"}),
    Case("the ledger is a mapping", {LEDGER: "date: 2026-01-01\npartner: dana-whitfield\n"}),
    Case(
        "byte order mark", setup=lambda root: prepend(root / BUSINESS, b"\xef\xbb\xbf"), expect="ok"
    ),
    Case(
        "byte order mark in a list item",
        {PARTNER: Set({"offers.0": "\ufeffCounsel"})},
        XSS_BUILD,
        expect="either",
    ),
    Case("UTF-16 file", {PARTNER: "name: Dana\n".encode("utf-16")}),
    Case(
        "Latin-1 byte in a value",
        {PARTNER: "name: Dana Whitfield\ncompany: Caf\xe9 Law\n".encode("latin-1")},
    ),
    Case("NUL byte in a file", {PARTNER: b"name: Dana\x00 Whitfield\n"}),
    Case("escape character in a name", {PARTNER: Set({"name": "Dana\x1b[31m Whitfield"})}),
    Case("escaped NUL in a name", {PARTNER: 'name: "Dana\\0Whitfield"\n'}),
    Case(
        "lone surrogate in a name",
        {PARTNER: 'name: "Dana \\ud800 Whitfield"\n'},
        XSS_BUILD,
        expect="either",
    ),
    Case("tab indentation", {PARTNER: "name: Dana\nagreement:\n\tcheck_in_days: 30\n"}),
    Case(
        "tab indentation, said in refkit's words",
        {PARTNER: "name: Dana\nagreement:\n\tcheck_in_days: 30\n"},
        where=r"^content/partners/dana-whitfield\.yaml:3:\d+: error: .*tab",
    ),
    Case("complex key", {PARTNER: "? [a, b]\n: x\nname: Dana\n"}),
    Case("flow mapping key", {PARTNER: "{[1, 2]: x, name: Dana}\n"}),
    Case(
        "python/object/apply tag",
        {PARTNER: 'name: !!python/object/apply:os.system ["touch pwned-by-yaml"]\n'},
        safe=no_file("pwned-by-yaml"),
    ),
    Case(
        "python/object/new tag",
        {PARTNER: 'name: !!python/object/new:subprocess.Popen [["touch", "pwned-by-yaml"]]\n'},
        safe=no_file("pwned-by-yaml"),
    ),
    Case("python/name tag", {PARTNER: "name: !!python/name:os.system\n"}),
    Case("binary tag", {PARTNER: "name: !!binary aGVsbG8=\n"}),
    Case("unknown local tag", {PARTNER: "name: !include /etc/passwd\n"}),
    Case("tagged mapping", {PARTNER: "!!python/object:os.environ {}\n"}),
    Case("billion laughs", {PARTNER: LAUGHS + "\nname: *i\n"}),
    Case("one long string through many aliases", setup=alias_bomb, item=4, timeout=60),
    Case("deep nesting", {PARTNER: DEEP}),
    Case("duplicate top-level key", {PARTNER: "name: Dana\nname: Eve\n"}),
    Case(
        "duplicate nested key",
        {PARTNER: "name: Dana\nagreement:\n  check_in_days: 30\n  check_in_days: 5\n"},
        where=r"^content/partners/dana-whitfield\.yaml:4:\d+: error: ",
    ),
    Case("several documents", {PARTNER: "name: Dana\n---\nname: Eve\n"}),
    Case("unclosed quote", {PARTNER: 'name: "Dana\nrole: x\n'}),
    Case("unclosed bracket", {PARTNER: "name: Dana\nserves: [growing-manufacturers\nrole: x\n"}),
    Case("a number for a name", {PARTNER: "name: 123\n"}),
    Case("a YAML 1.1 boolean for a company", {PARTNER: "name: Dana\ncompany: yes\n"}),
    Case("infinite cadence", {PARTNER: "name: Dana\nagreement:\n  check_in_days: .inf\n"}),
    Case(
        "huge cadence", {PARTNER: "name: Dana\nagreement:\n  check_in_days: 1" + "0" * 400 + "\n"}
    ),
    Case("impossible date", {PARTNER: "name: Dana\nsince: 2024-02-30\n"}),
    Case("five-digit year", {PARTNER: "name: Dana\nsince: 99999-01-01\n"}),
    Case("infinite ledger value", {LEDGER: Set({"0.value": float("inf")})}),
    Case("NaN ledger value", {LEDGER: Set({"0.value": float("nan")})}),
    Case("a ledger entry for a path", {LEDGER: Set({"0.partner": "../../etc/passwd"})}),
    Case("serves a path", {PARTNER: Set({"serves": ["../../etc"]})}),
    Case("unknown key", {PARTNER: Set({"emial": "dana@x.example"})}),
    Case("a merge key into nothing", {PARTNER: "name: Dana\n<<: 3\n"}),
    Case(
        "a partner file name that is not a slug",
        {"content/partners/Dana W.yaml": "name: Dana\n"},
        where=r"content/partners/Dana W\.yaml",
    ),
    Case(
        "a hidden partner file name",
        {"content/partners/..yaml": "name: Dana\n"},
        expect="either",
        where=r"content/partners/",
    ),
    Case("a 5 MB tagline", {BUSINESS: Set({"tagline": "A" * 5_000_000})}, item=4),
    Case(
        "a 40 MB file",
        {PARTNER: "name: Dana\n" + ("# " + "x" * 98 + "\n") * 400_000},
        item=4,
        timeout=60,
    ),
    Case(
        "a value that forges an error line",
        {BUSINESS: Set({"services": "x\r\ncontent/forged.yaml:1:1: error: forged line"})},
        safe=one_line_per_problem,
    ),
    Case("a 1 MB key", {PARTNER: "name: Dana\n" + "k" * 1_000_000 + ": x\n"}),
]

# --------------------------------------------------------------------------- not regular files

SPECIAL_FILE_CASES = [
    Case(
        "a FIFO in partners/",
        setup=mkfifo("content/partners/fifo.yaml"),
        where=r"content/partners/fifo\.yaml",
        timeout=20,
        item=8,
    ),
    Case(
        "a partner symlinked to /dev/zero",
        setup=symlink("content/partners/zero.yaml", "/dev/zero"),
        where=r"content/partners/zero\.yaml",
        timeout=60,
        item=8,
    ),
    Case(
        "business.yaml symlinked to /dev/urandom",
        setup=symlink(BUSINESS, "/dev/urandom"),
        where=r"content/business\.yaml",
        timeout=60,
    ),
    Case(
        "a partner symlinked from outside the project",
        setup=steps(
            outside_file(
                "spy.yaml", "name: Spy From Outside\npage: private\nnotes: outside-secret\n"
            ),
            symlink("content/partners/spy.yaml", "{outside}/spy.yaml"),
        ),
        command=("build", "--only", "site"),
        where=r"content/partners/spy\.yaml",
        safe=nothing_contains("Spy From Outside"),
        item=8,
    ),
    Case(
        "a logo symlinked from outside the project",
        {BUSINESS: Set({"site.brand.logo": "assets/outside.svg"})},
        setup=steps(
            outside_file(
                "logo.svg",
                '<svg xmlns="http://www.w3.org/2000/svg"><title>outside-logo</title></svg>',
            ),
            symlink("content/assets/outside.svg", "{outside}/logo.svg"),
        ),
        command=("build", "--only", "site"),
        where=r"content/(assets/outside\.svg|business\.yaml)",
        safe=nothing_contains("outside-logo"),
    ),
    Case(
        "a symlink loop in partners/",
        setup=steps(
            symlink("content/partners/a.yaml", "b.yaml"),
            symlink("content/partners/b.yaml", "a.yaml"),
        ),
        where=r"content/partners/[ab]\.yaml",
        item=8,
    ),
    Case(
        "a dangling symlink in partners/",
        setup=symlink("content/partners/gone.yaml", "nowhere.yaml"),
        where=r"content/partners/gone\.yaml",
        expect="either",
        item=8,
    ),
    Case(
        "referrals.yaml is a folder (check)",
        setup=make_dir(LEDGER),
        where=r"content/referrals\.yaml",
        item=10,
    ),
    Case(
        "referrals.yaml is a folder (log)",
        setup=make_dir(LEDGER),
        command=("log", "received", "--partner", "dana-whitfield", "--prospect", "Acme"),
        where=r"content/referrals\.yaml",
        item=10,
    ),
    Case("business.yaml is a folder", setup=make_dir(BUSINESS), where=r"content/business\.yaml"),
    Case(
        "partners/ is a file",
        {"content/partners": None},
        setup=lambda root: (root / "content/partners").write_text("x\n"),
        where=r"content/partners",
        expect="error",
    ),
    Case(
        "profiles/ is empty",
        {"content/profiles": None},
        setup=lambda root: (root / "content/profiles").mkdir(),
        where=r"content/profiles",
    ),
    Case("no content/ folder", {"content": None}, where=r"content"),
    Case(
        "a logo that is a folder",
        {BUSINESS: Set({"site.brand.logo": "assets/folder.svg"})},
        setup=lambda root: (root / "content/assets/folder.svg").mkdir(),
        where=r"content/(assets/folder\.svg|business\.yaml)",
    ),
    Case(
        "a logo that is a FIFO",
        {BUSINESS: Set({"site.brand.logo": "assets/fifo.svg"})},
        setup=mkfifo("content/assets/fifo.svg"),
        command=("build", "--only", "site"),
        where=r"content/(assets/fifo\.svg|business\.yaml)",
        timeout=20,
    ),
]

# --------------------------------------------------------------------------- the secret

SECRET_CASES = [
    Case(
        "a one-character REFKIT_SECRET",
        env={"REFKIT_SECRET": "a"},
        command=("build", "--only", "site"),
        where=r"REFKIT_SECRET",
        item=10,
    ),
    Case(
        ".refkit is a file",
        {".refkit": None},
        setup=lambda root: (root / ".refkit").write_text("x\n"),
        command=("build", "--only", "site"),
        where=r"\.refkit",
        item=10,
    ),
    Case(
        ".refkit/secret is a folder",
        {".refkit/secret": None},
        setup=lambda root: (root / ".refkit/secret").mkdir(),
        command=("build", "--only", "site"),
        where=r"\.refkit/secret",
        item=10,
    ),
    Case(
        ".refkit/secret is not UTF-8",
        {".refkit/secret": b"\xff\xfe" * 20 + b"\n"},
        command=("build", "--only", "site"),
        where=r"\.refkit/secret",
        item=10,
    ),
    Case(
        ".refkit/secret is short",
        {".refkit/secret": "short\n"},
        command=("build", "--only", "site"),
        where=r"\.refkit/secret",
    ),
]

# --------------------------------------------------------------------------- templates


def page_override(extra: str, name: str = "index.html") -> dict[str, Change]:
    """A project template site/NAME that extends the built-in one and adds ``extra``."""
    return {
        f"templates/site/{name}": (
            f'{{% extends "!builtin/site/{name}" %}}\n'
            f"{{% block content %}}{{{{ super() }}}}\n{extra}\n{{% endblock %}}\n"
        )
    }


SITE_BUILD = ("build", "--only", "site")
OS_LEAK = nothing_contains("<module 'os'", "module &#39;os&#39;", "posix.")

TEMPLATE_CASES = [
    Case(
        "sandbox: os through cycler",
        page_override("{{ cycler.__init__.__globals__.os }}"),
        SITE_BUILD,
        where=AT_TEMPLATE_LINE,
        safe=OS_LEAK,
        item=15,
    ),
    Case(
        "sandbox: os.system through cycler",
        page_override("{{ cycler.__init__.__globals__.os.system('touch pwned-by-template') }}"),
        SITE_BUILD,
        where=AT_TEMPLATE_LINE,
        safe=no_file("pwned-by-template"),
        item=15,
    ),
    Case(
        "sandbox: subclasses",
        page_override("{{ ''.__class__.__mro__[1].__subclasses__() }}"),
        SITE_BUILD,
        where=AT_TEMPLATE_LINE,
        safe=nothing_contains("subprocess.Popen"),
        item=15,
    ),
    Case(
        "sandbox: lipsum globals",
        page_override("{{ lipsum.__globals__['os'].popen('id').read() }}"),
        SITE_BUILD,
        where=AT_TEMPLATE_LINE,
        safe=nothing_contains("uid="),
        item=15,
    ),
    Case(
        "sandbox: project_root",
        page_override("{{ project_root.joinpath('.refkit/secret').read_text() }}"),
        SITE_BUILD,
        where=AT_TEMPLATE_LINE,
        safe=nothing_contains("test-secret-please"),
        item=15,
    ),
    Case(
        "a runtime error in a template",
        page_override("{{ 1 / 0 }}"),
        SITE_BUILD,
        where=AT_TEMPLATE_LINE,
        item=10,
    ),
    Case(
        "a syntax error in a template",
        page_override("{% if %}"),
        SITE_BUILD,
        where=AT_TEMPLATE_LINE,
    ),
    Case(
        "an undefined name in a template",
        page_override("{{ no_such_thing.at_all }}"),
        SITE_BUILD,
        where=AT_TEMPLATE_LINE,
    ),
    Case(
        "a template that includes /etc/passwd",
        page_override('{% include "/etc/passwd" %}'),
        SITE_BUILD,
        where=r"^templates/site/index\.html",
        safe=nothing_contains("root:x:0:0"),
        item=10,
    ),
    Case(
        "a template that includes content",
        page_override('{% include "../content/referrals.yaml" %}'),
        SITE_BUILD,
        where=r"^templates/site/index\.html",
        safe=nothing_contains("Badger State Millwork"),
        item=10,
    ),
    Case(
        "a template that extends itself",
        {SITE_INDEX: '{% extends "site/index.html" %}\n'},
        SITE_BUILD,
        where=r"^templates/site/index\.html",
        item=10,
    ),
    Case(
        "a template that is not UTF-8",
        {SITE_INDEX: b"{% extends '!builtin/site/index.html' %}\xff\xfe\n"},
        SITE_BUILD,
        where=r"^templates/site/index\.html",
        item=10,
    ),
    Case(
        "a file: image in a template",
        page_override('<img src="file:///etc/passwd" alt="">'),
        SITE_BUILD,
        expect="either",
        where=r"^templates/site/index\.html|file:///etc/passwd",
        safe=warned_or_refused("file:///etc/passwd"),
    ),
    Case(
        "file: and http: references in the PDF stylesheet",
        {
            "templates/pdf/_base.css": (
                '@import url("http://evil.example/x.css");\n'
                '{% include "!builtin/pdf/_base.css" %}\n'
                '.band { background-image: url("file:///etc/passwd"); }\n'
            )
        },
        ("build", "--only", "pdf", "--jobs", "1"),
        expect="either",
        where=r"^templates/pdf/|evil\.example|file:///etc/passwd",
        safe=both(
            warned_or_refused("evil.example", "file:///etc/passwd"),
            nothing_contains("root:x:0:0"),
        ),
        slow=True,
    ),
    Case(
        "a remote script in a template",
        page_override('<script src="http://evil.example/x.js"></script>'),
        SITE_BUILD,
        expect="either",
        where=r"evil\.example",
        safe=warned_or_refused("evil.example"),
    ),
    Case(
        "a remote stylesheet in a template",
        page_override('<link rel="stylesheet" href="http://evil.example/x.css">'),
        SITE_BUILD,
        expect="either",
        where=r"evil\.example",
        safe=warned_or_refused("evil.example"),
    ),
]

# --------------------------------------------------------------------------- where output goes

OUT_CASES = [
    Case(
        "--out templates",
        {"templates": None},
        ("build", "--only", "site", "--out", "{root}/templates"),
        where=r"templates",
        item=5,
    ),
    Case(
        "--out into an empty templates/",
        setup=lambda root: (root / "templates").mkdir(),
        command=("build", "--only", "site", "--out", "{root}/templates"),
        where=r"templates",
        item=5,
    ),
    Case(
        "--out content",
        command=("build", "--only", "site", "--out", "{root}/content"),
        where=r"content",
    ),
    Case(
        "--out content/assets",
        command=("build", "--only", "site", "--out", "{root}/content/assets"),
        where=r"content",
    ),
    Case(
        "--out .refkit",
        command=("build", "--only", "site", "--out", "{root}/.refkit"),
        where=r"\.refkit",
    ),
    Case(
        "--out the project itself",
        command=("build", "--only", "site", "--out", "{root}"),
        where=r"project",
    ),
    Case(
        "--out a parent of the project",
        command=("build", "--only", "site", "--out", "{root}/.."),
        where=r"project",
    ),
    Case(
        "--out an existing file",
        setup=lambda root: (root / "a-file").write_text("x\n"),
        command=("build", "--only", "site", "--out", "{root}/a-file"),
        expect="refused",
        where=r"a-file",
    ),
    Case(
        "output/ is a symlink out of the project",
        setup=output_points_outside,
        command=SITE_BUILD,
        expect="either",
        where=r"output",
        safe=outside_untouched,
    ),
    Case(
        "output/site/index.html is a symlink to content",
        setup=symlink("output/site/index.html", "../../" + BUSINESS),
        command=SITE_BUILD,
        expect="either",
        where=r"output",
    ),
]

# --------------------------------------------------------------------------- the other commands

LOG = ("log", "received", "--partner", "dana-whitfield")


def ledger_entries(root: Path) -> list[dict[str, Any]]:
    """The ledger as YAML reads it."""
    return yaml.safe_load((root / LEDGER).read_text(encoding="utf-8")) or []


def one_more_entry(prospect: str) -> Check:
    """The ledger still loads, has exactly one entry more, and it is ``prospect`` as given."""

    def check(root: Path, result: Result) -> list[str]:
        if result.returncode != 0:
            return []
        entries = ledger_entries(root)
        original = yaml.safe_load(Path(__file__).parents[2].joinpath(LEDGER).read_text("utf-8"))
        problems = []
        if len(entries) != len(original) + 1:
            problems.append(f"{len(entries) - len(original)} entries added, not one")
        elif entries[-1].get("prospect") != prospect.strip():
            problems.append(f"logged {entries[-1].get('prospect')!r}, not {prospect!r}")
        again = subprocess.run(
            [*network_guard(), refkit_exe(), "check", "-p", str(root)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        if again.returncode != 0:
            problems.append(f"`refkit check` fails after the log: {again.stderr.strip()}")
        return problems

    return check


COMMAND_CASES = [
    Case(
        "check | true", command=("check",), closed_stdout=True, expect="either", where=None, item=10
    ),
    Case(
        "schema | true",
        command=("schema",),
        closed_stdout=True,
        expect="either",
        where=None,
        item=10,
    ),
    Case(
        "partners --json | true",
        command=("partners", "--json"),
        closed_stdout=True,
        expect="either",
        where=None,
        item=10,
    ),
    Case(
        "email | true",
        command=("email", "criteria-share", "--partner", "dana-whitfield"),
        closed_stdout=True,
        expect="either",
        where=None,
        item=10,
    ),
    Case(
        "log an encoded word",
        command=(*LOG, "--prospect", ENCODED_BCC),
        expect="refused",
        where=None,
        item=1,
    ),
    Case(
        "log a prospect on two lines",
        command=(*LOG, "--prospect", "Acme\nBcc: evil@x.com"),
        expect="refused",
        where=None,
    ),
    Case(
        "log a note that is YAML",
        command=(
            *LOG,
            "--prospect",
            "Acme",
            "--note",
            "x\n- date: 2020-01-01\n  direction: given\n  partner: raj-patel\n  prospect: Injected",
        ),
        expect="either",
        where=None,
        may_change=(LEDGER,),
        safe=one_more_entry("Acme"),
    ),
    Case(
        "log a prospect that looks like YAML",
        command=(
            *LOG,
            "--prospect",
            "*alias &anchor !!python/object:os.system {x: 1} # not a comment",
        ),
        expect="either",
        where=None,
        may_change=(LEDGER,),
        safe=one_more_entry("*alias &anchor !!python/object:os.system {x: 1} # not a comment"),
    ),
    Case(
        "log for a partner that is a path",
        command=("log", "received", "--partner", "../../etc/passwd", "--prospect", "Acme"),
        expect="refused",
        where=r"passwd",
    ),
    Case(
        "mark a prospect that is a pattern",
        command=("mark", "--partner", "dana-whitfield", "--prospect", ".*", "--status", "won"),
        expect="refused",
        where=None,
    ),
    Case(
        "mark a prospect logged with a leading space",
        before=((*LOG, "--prospect", " Acme Widgets"),),
        command=(
            "mark",
            "--partner",
            "dana-whitfield",
            "--prospect",
            "Acme Widgets",
            "--status",
            "won",
        ),
        expect="ok",
        may_change=(LEDGER,),
    ),
    Case(
        "email for a partner that is a path",
        command=("email", "introduction", "--partner", "../../.refkit/secret"),
        expect="refused",
        where=None,
        safe=nothing_contains("test-secret-please"),
    ),
    Case(
        "email html with markup in --prospect",
        command=(
            "email",
            "introduction",
            "--partner",
            "dana-whitfield",
            "--prospect",
            xss("--prospect"),
            "--format",
            "html",
        ),
        expect="either",
        where=None,
        safe=no_markup_from_content,
    ),
]

CASES: list[Case] = [
    *YAML_CASES,
    *SPECIAL_FILE_CASES,
    *SECRET_CASES,
    *XSS_CASES,
    *MARKDOWN_CASES,
    *URL_CASES,
    *HEADER_CASES,
    *TEMPLATE_CASES,
    *OUT_CASES,
    *COMMAND_CASES,
]
