"""Every renderer, listed once: its name, what it writes, what it needs, its progress label.

Adding a kind of output is one module with a ``render(ctx)`` function and one
row here. The build runs the rows in an order where every renderer comes
after the ones it needs, and gives each a view of exactly those outputs.
Modules are imported only when their renderer runs, so `refkit check` and
`--only site` never import WeasyPrint.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from refkit.derive.layout import (
    CALENDAR,
    DOWNLOADS,
    PRIVATE_PAGES,
    PUBLIC_PARTNERS,
    SITE,
)
from refkit.errors import InternalError

if TYPE_CHECKING:
    from refkit.content.project import Project
    from refkit.output import Output
    from refkit.render.context import RenderContext

RenderFunction = Callable[["RenderContext"], Iterable["Output"]]


@dataclass(frozen=True)
class Renderer:
    """One kind of output."""

    #: the kind, as `--only` names it
    name: str
    #: the module holding ``render(ctx)``
    module: str
    #: the progress bar's label
    label: str
    #: kinds whose outputs this renderer reads (through ``ctx.upstream``)
    needs: tuple[str, ...] = ()
    #: what it writes under ``output/``: a folder ("site/"), a file
    #: ("calendar.ics"), or (folder, suffix) for files of one type in a folder
    #: another renderer owns; the most specific match owns a path
    writes: tuple[str | tuple[str, str], ...] = ()
    #: how many outputs it will yield, when known up front (for the progress bar)
    expected: Callable[[Project], int] | None = None
    #: its part of the build's summary line, from the paths it wrote ("12 pages");
    #: without one, the count and the label
    summarise: Callable[[list[str]], str] | None = None

    def summary(self, paths: list[str]) -> str:
        """Its part of the summary line: 'Built 12 pages, ...'."""
        if self.summarise is not None:
            return self.summarise(paths)
        return f"{len(paths)} {self.label[:1].lower()}{self.label[1:]}"

    @property
    def prefixes(self) -> tuple[str, ...]:
        """The folders and files it writes under ``output/``."""
        return tuple(w if isinstance(w, str) else w[0] for w in self.writes)

    def load(self) -> RenderFunction:
        """Import the module and return its ``render`` function."""
        return cast(RenderFunction, importlib.import_module(self.module).render)


def _one_pagers(project: Project) -> int:
    # a profile's one-pager is written twice (pdf/ and site/downloads/); a
    # partner's twice when they have a page
    partners = project.active_partners().values()
    with_page = sum(1 for p in partners if p.page != "none")
    return 2 * len(project.profiles) + len(partners) + with_page


def _counted(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _pages(paths: list[str]) -> str:
    return _counted(sum(p.endswith(".html") for p in paths), "page")


def _pdfs(paths: list[str]) -> str:
    # each one-pager once, not its copies on the site
    return _counted(sum(not p.startswith(SITE) for p in paths), "PDF")


def _emails(paths: list[str]) -> str:
    # one email = its .txt, .html and (when there is an address) .eml
    return _counted(len({p.rsplit(".", 1)[0] for p in paths}), "email")


# In the order `--only` and the summary name them; the build runs each after
# the ones it needs (see in_order).
RENDERERS: tuple[Renderer, ...] = (
    # the site links the one-pagers that exist
    Renderer(
        "site",
        "refkit.render.site",
        "Site pages",
        writes=(SITE,),
        needs=("pdf",),
        summarise=_pages,
    ),
    Renderer(
        "pdf",
        "refkit.render.pdf",
        "PDF one-pagers",
        # the one-pagers, and their copies on the site: the profiles' under
        # downloads/, each partner's on their own page
        writes=(
            "pdf/",
            SITE + DOWNLOADS,
            (SITE + PRIVATE_PAGES, ".pdf"),
            (SITE + PUBLIC_PARTNERS, ".pdf"),
        ),
        expected=_one_pagers,
        summarise=_pdfs,
    ),
    # the .eml drafts attach the one-pagers
    Renderer(
        "email",
        "refkit.render.emails",
        "Emails",
        writes=("email/",),
        needs=("pdf",),
        summarise=_emails,
    ),
    Renderer(
        "report",
        "refkit.render.report",
        "Report",
        writes=("report/", CALENDAR),
        summarise=lambda paths: "the partner report",
    ),
)
#: the kinds of output, as `--only` names them
KINDS: tuple[str, ...] = tuple(r.name for r in RENDERERS)


def kinds() -> tuple[str, ...]:
    """The kinds of output, as `--only` names them (read from the rows, for tests that add one)."""
    return tuple(r.name for r in RENDERERS)


def owner_of(path: str) -> str | None:
    """Which kind of output a file under ``output/`` belongs to (None: not refkit's).

    The most specific of the renderers' ``writes`` that matches wins: the
    longest folder, and a (folder, suffix) pair over the bare folder.
    """
    best: tuple[int, int] | None = None
    owner: str | None = None
    for renderer in RENDERERS:
        for write in renderer.writes:
            folder, suffix = (write, "") if isinstance(write, str) else write
            if folder.endswith("/"):
                matches = path.startswith(folder) and path.endswith(suffix)
            else:
                matches = path == folder
            rank = (len(folder), len(suffix))
            if matches and (best is None or rank > best):
                best, owner = rank, renderer.name
    return owner


def in_order(names: Iterable[str]) -> list[Renderer]:
    """The renderers of ``names``, each after every renderer it needs."""
    wanted = set(names)
    by_name = {r.name: r for r in RENDERERS}
    ordered: list[Renderer] = []
    visiting: set[str] = set()

    def visit(renderer: Renderer) -> None:
        if renderer in ordered:
            return
        if renderer.name in visiting:
            raise InternalError(f"renderers need each other in a cycle: {renderer.name}")
        visiting.add(renderer.name)
        for need in renderer.needs:
            if need not in by_name:
                raise InternalError(f"{renderer.name} needs an unknown renderer {need!r}")
            if need in wanted:
                visit(by_name[need])
        ordered.append(renderer)

    for renderer in RENDERERS:
        if renderer.name in wanted:
            visit(renderer)
    return ordered


def labels() -> dict[str, str]:
    """The progress label of each kind."""
    return {r.name: r.label for r in RENDERERS}
