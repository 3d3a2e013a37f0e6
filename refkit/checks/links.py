"""The link check: every internal link and asset of the built site must resolve.

Runs on the rendered outputs before anything is written, so a broken link
fails the build and leaves the previous ``output/`` as it was. Each problem
names the page, the target and the template that rendered the page.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from refkit.derive.layout import SITE
from refkit.errors import BuildError, Problem
from refkit.output import Output
from refkit.render.registry import owner_of
from refkit.render.site.assets import CSS_URL
from refkit.render.site.pages import PAGE_TEMPLATES

#: (tag, attribute) pairs whose URL is fetched when the page loads
_ASSET_ATTRS = {
    ("img", "src"),
    ("script", "src"),
    ("iframe", "src"),
    ("source", "src"),
    ("audio", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("track", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("input", "src"),
}


_LINK_ATTRS = {("a", "href"), ("area", "href"), ("form", "action"), ("use", "href")}


#: <link rel=...> values that only name another page (never fetched)
_NAVIGATIONAL_RELS = {
    "canonical",
    "alternate",
    "author",
    "help",
    "license",
    "next",
    "prev",
    "search",
}


class _Refs(HTMLParser):
    """Every URL a page references, and every id it defines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, bool]] = []  # (url, fetched on load)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        for key in ("id", "name") if tag == "a" else ("id",):
            if key in values:
                self.ids.add(values[key])
        for name, value in values.items():
            if (tag, name) in _ASSET_ATTRS:
                self.refs.append((value, True))
            elif (tag, name) in _LINK_ATTRS:
                self.refs.append((value, False))
            elif name == "srcset" and tag in ("img", "source"):
                for candidate in value.split(","):
                    if candidate.strip():
                        self.refs.append((candidate.split()[0], True))
        if tag == "link" and "href" in values:
            rels = set(values.get("rel", "").lower().split())
            self.refs.append((values["href"], not rels or not rels <= _NAVIGATIONAL_RELS))

    handle_startendtag = handle_starttag


def _page_template(root: Path, page: str) -> str:
    if page == "index.html":
        name = PAGE_TEMPLATES["home"]
    elif page == "404.html":
        name = PAGE_TEMPLATES["404"]
    elif page == "p/index.html":
        name = PAGE_TEMPLATES["unlisted"]
    elif page.startswith("refer/"):
        name = PAGE_TEMPLATES["refer"]
    elif page.startswith("about/"):
        name = PAGE_TEMPLATES["about"]
    elif page.startswith("clients/"):
        name = PAGE_TEMPLATES["profile"]
    elif page.startswith(("partners/", "p/")):
        name = PAGE_TEMPLATES["partner"]
    else:
        return ""
    own = root / "templates" / name
    return f"templates/{name}" if own.is_file() else f"(built-in) templates/{name}"


def check_links(
    outputs: Iterable[Output],
    kinds: frozenset[str],
    carried: frozenset[str],
    root: Path,
    warn: Callable[[Problem], None],
) -> None:
    """Fail the build when an internal link or asset of the site does not resolve.

    Targets may be outputs of this build or files kept from the previous one
    (``--only``); a target of a kind that was not built and does not exist is
    not an error. Fragments of links to pages must name an element's id.
    External *assets* (fetched on load) are warnings: the built-in theme makes
    no external requests, and an override should not either.
    """
    site_files: dict[str, bytes] = {}
    for output in outputs:
        if output.path.startswith(SITE):
            site_files[output.path[len(SITE) :]] = output.data
    existing = set(site_files) | {p[len(SITE) :] for p in carried if p.startswith(SITE)}
    ids: dict[str, set[str]] = {}
    refs: dict[str, list[tuple[str, bool]]] = {}
    for path, data in site_files.items():
        if path.endswith(".html"):
            parser = _Refs()
            parser.feed(data.decode("utf-8", errors="replace"))
            parser.close()
            ids[path], refs[path] = parser.ids, parser.refs
        elif path.endswith(".css"):
            text = data.decode("utf-8", errors="replace")
            refs[path] = [(m.group(2), True) for m in CSS_URL.finditer(text)]

    problems: list[Problem] = []
    for page, page_refs in sorted(refs.items()):
        template = _page_template(root, page)
        origin = f" (rendered from {template})" if template else ""
        for raw, fetched in page_refs:
            error = _check_one(page, raw.strip(), fetched, existing, ids, kinds)
            if error is None:
                continue
            severity, message = error
            problem = Problem(SITE + page, f"{message}{origin}", kind="build")
            if severity == "warning":
                warn(problem.as_warning())
            else:
                problems.append(problem)
    if problems:
        raise BuildError(problems)


def _check_one(
    page: str,
    raw: str,
    fetched: bool,
    existing: set[str],
    ids: dict[str, set[str]],
    kinds: frozenset[str],
) -> tuple[str, str] | None:
    if raw == "" or raw == "#" or raw.startswith("data:"):
        return None
    parts = urlsplit(raw)
    if parts.scheme.lower() == "file":
        return (
            "warning",
            f"'{raw}' is a file on this machine: visitors cannot open it; put the file "
            "in templates/static/ and link it relatively",
        )
    if parts.scheme or parts.netloc:
        if fetched and parts.scheme.lower() in ("http", "https", ""):
            return ("warning", f"'{raw}' is loaded from another site; keep every asset local")
        return None
    path, fragment = unquote(parts.path), unquote(parts.fragment)
    if path.startswith("/"):
        return (
            "error",
            f"link '{raw}' is root-relative; use a relative link so the site works from "
            "any sub-path and from file://",
        )
    if path == "":
        target = page
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
        if target == ".." or target.startswith("../"):
            return ("error", f"broken link '{raw}': it points outside the site")
        if target == ".":
            target = "index.html"
        elif path.endswith("/") or (target not in existing and f"{target}/index.html" in existing):
            target = f"{target}/index.html"
    if target not in existing:
        if owner_of(SITE + target) not in kinds:
            return None  # e.g. a PDF download when only the site was built
        return ("error", f"broken link '{raw}': site/{target} is not part of the build")
    if fragment and fragment != "top" and target in ids and fragment not in ids[target]:
        return ("error", f"broken link '{raw}': site/{target} has no element with id '{fragment}'")
    return None
