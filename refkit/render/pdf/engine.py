"""The one-pager engine: WeasyPrint lays out a page at the largest scale that fits.

Each PDF is one pure function of its :class:`PdfJob` (HTML, the folders it
may read), run in worker processes that each keep one ``FontConfiguration``.
A one-pager is always exactly one page and uses it: the whole layout follows
one CSS scale variable, set as large as fits (up to :data:`CEILING`, to fill a
sparse page) and as small as the readable :data:`FLOOR`; what room is left
at that scale is shared out as ``--air``, the same extra space at every gap
the template puts it in (so a sparse page breathes evenly instead of ending
in a band of white). No text comes closer than :data:`MIN_BOTTOM` to the
bottom edge.

WeasyPrint is imported only here, and only when PDFs are built.

Two promises hold wherever the PDFs are laid out: the same content gives the
same bytes, also where WeasyPrint subsets fonts with fontTools (no
libharfbuzz-subset0), which stamps each font with SOURCE_DATE_EPOCH or else
the time (:func:`fixed_source_date`); and a worker never outlives the build
that started it, not even one killed with SIGKILL (:func:`exit_with_parent`).
"""

from __future__ import annotations

import dataclasses
import math
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from weasyprint import HTML, URLFetcher
from weasyprint.text.fonts import FontConfiguration

#: the layout scale is set between these (of the base 10 pt): up to CEILING to fill a
#: sparse page, down to FLOOR to fit a long one. The theme sets no body text smaller
#: than 1rem and no label smaller than 0.85rem, so at FLOOR body text is 9.5 pt and
#: labels 8 pt; a page that needs smaller type fails as too long
CEILING = 1.4


FLOOR = 0.95


#: scales are multiples of STEP; a PDF gets at most MAX_LAYOUTS tries (plus FLOOR)
STEP = 0.01


MAX_LAYOUTS = 5


#: a page this full is not enlarged further
FULL_ENOUGH = 0.96


#: no text or image nearer the bottom edge than this, in CSS px (0.3 in): printers clip there
MIN_BOTTOM = 0.3 * 96


@dataclass(frozen=True)
class PdfJob:
    """Everything one PDF is made from: picklable, so it can go to a worker."""

    paths: tuple[str, ...]
    html: str
    source: str
    allowed: tuple[str, ...]
    base_url: str
    #: (the project's templates/static, the theme's): a relative URL that is
    #: not in the project's folder is looked up in the theme's, as the site does
    static: tuple[str, str] | None = None
    #: what to shorten when it does not fit
    hint: str = "shorten the lists in this file"
    #: the same page with less on it (shorter lists, no picture), tried in turn
    #: when ``html`` does not fit even at the smallest readable size
    shorter: tuple[str, ...] = ()


@dataclass(frozen=True)
class PdfResult:
    """A rendered PDF, or why it does not fit."""

    job: PdfJob
    data: bytes | None
    scale: float
    warnings: tuple[str, ...]
    overflow: float = 0.0
    layouts: int = 1  # how many times it was laid out to find the scale
    #: it fits on one page, but its text comes too near the bottom edge at every scale
    too_low: bool = False
    #: it fits only as one of the job's ``shorter`` pages
    shortened: bool = False


_FONT_CONFIG: Any = None


_IMAGE_CACHE: dict[str, Any] = {}


#: what SOURCE_DATE_EPOCH is while a PDF is made, when the user has not set it:
#: 1980-01-01, the reproducible-builds convention (ZIP's epoch). fontTools
#: writes it into each subset font's head.modified; nothing reads it as a date
FIXED_SOURCE_DATE = "315532800"


def init_worker() -> None:
    """Each worker keeps one FontConfiguration and one image cache for all its PDFs."""
    global _FONT_CONFIG
    _FONT_CONFIG = FontConfiguration()
    _IMAGE_CACHE.clear()
    exit_with_parent()


_WATCHING = threading.Event()


def exit_with_parent() -> None:
    """In a worker process, exit as soon as the process that started it is gone.

    Without this, a build killed with SIGKILL leaves its PDF workers running
    for ever (they wait on a queue they themselves keep open), and with them
    the forkserver and the resource tracker, which exit only when every worker
    has. The pipe multiprocessing keeps from the parent (its sentinel) becomes
    readable when the parent dies, on every platform; a daemon thread waits
    for that. In the main process (no multiprocessing parent) it does nothing.
    """
    parent = multiprocessing.parent_process()
    if parent is None or _WATCHING.is_set():
        return
    _WATCHING.set()
    threading.Thread(
        target=_exit_when_ready,
        args=(parent.sentinel,),
        name="refkit-exit-with-parent",
        daemon=True,
    ).start()


def _exit_when_ready(sentinel: int) -> None:
    from multiprocessing.connection import wait

    wait([sentinel])
    os._exit(1)  # the build is gone: nobody wants this PDF


@contextmanager
def fixed_source_date() -> Iterator[None]:
    """SOURCE_DATE_EPOCH set to :data:`FIXED_SOURCE_DATE` for the block, unless the user set it.

    Restored afterwards, so a build in this process (``jobs=1``, ``refkit
    serve``) leaves the environment as it found it.
    """
    if os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        yield
        return
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = FIXED_SOURCE_DATE
    try:
        yield
    finally:
        if os.environ.get("SOURCE_DATE_EPOCH") == FIXED_SOURCE_DATE:
            if previous is None:
                del os.environ["SOURCE_DATE_EPOCH"]
            else:
                os.environ["SOURCE_DATE_EPOCH"] = previous


def render_pdf(job: PdfJob) -> PdfResult:
    """Lay out ``job`` at the largest scale that fits on one page; return the bytes.

    Each try predicts the scale that would fill the page from how full the last
    one was, within what is known to fit and what is known not to. The room
    left at the best scale goes to ``--air`` (shared between the gaps that use
    it) or, in a template that has no ``--air``, to ``--fill``, so the footer
    sits at the foot.
    """
    with fixed_source_date():
        return _render_pdf(job)


def _render_pdf(job: PdfJob) -> PdfResult:
    """The page as written, else the first of its shorter versions that fits."""
    if _FONT_CONFIG is None:
        init_worker()
    results = [_fit(job, job.html)]
    for html in job.shorter:
        if results[-1].data is not None or results[-1].too_low:
            break
        results.append(dataclasses.replace(_fit(job, html), shortened=True))
    # none fits: report the page as written (its overflow), with every try counted
    chosen = results[-1] if results[-1].data is not None else results[0]
    return dataclasses.replace(chosen, layouts=sum(r.layouts for r in results))


def _fit(job: PdfJob, page: str) -> PdfResult:
    fetcher = _SafeFetcher(job.allowed, job.static)
    scalable = _SCALE in page
    tried: dict[float, _Layout] = {}

    def lay_out(scale: float, fill: float = 0.0, air: float = 0.0) -> _Layout:
        html = _set_variables(page, scale, fill, air)
        document = HTML(string=html, base_url=job.base_url, url_fetcher=fetcher).render(
            font_config=_FONT_CONFIG, pdf_variant="pdf/ua-1", cache=_IMAGE_CACHE
        )
        layout = _measure(document, scale)
        if not fill and not air:
            tried[scale] = layout
        return layout

    best: _Layout | None = None  # the largest scale that fits so far
    too_large = CEILING + STEP  # the smallest scale that does not fit so far
    scale = 1.0
    for _ in range(MAX_LAYOUTS if scalable else 1):
        layout = lay_out(scale)
        if layout.fits:
            best = layout
            if layout.fill >= FULL_ENOUGH:
                break
        else:
            too_large = scale
        lowest = best.scale + STEP if best else FLOOR
        highest = too_large - STEP
        if lowest > highest + STEP / 2:
            break
        target = _target(layout, list(tried.values()))
        scale = round(min(max(_quantise(target), lowest), highest), 2)
    if best is None and scalable and FLOOR not in tried:
        layout = lay_out(FLOOR)
        best = layout if layout.fits else None
    warnings = tuple(dict.fromkeys(fetcher.refused))
    if best is None:
        smallest = tried[min(tried)]
        too_low = smallest.pages == 1
        return PdfResult(
            job, None, smallest.scale, warnings, smallest.overflow, len(tried), too_low
        )
    room = math.floor(best.available - best.used)
    if _AIR in page and room >= 1:
        scale = best.scale
        best = _add_air(best, room, lambda air: lay_out(scale, air=air))
    elif _FILL in page and room >= 1:
        filled = lay_out(best.scale, room)
        if filled.fits:
            best = filled
    data = best.document.write_pdf(pdf_variant="pdf/ua-1")
    return PdfResult(job, data, best.scale, warnings, 0.0, len(tried))


#: what a template writes in its last ``:root`` rule, for refkit to set
_SCALE = "--scale: 1;"


_FILL = "--fill: 0px;"


_AIR = "--air: 0px;"


#: the extra space at each gap is at most this many CSS px (a sparse page at CEILING)
MAX_AIR = 48.0


def _set_variables(html: str, scale: float, fill: float, air: float = 0.0) -> str:
    """``html`` with its last ``--scale``, ``--fill`` and ``--air`` settings replaced."""
    for marker, value in (
        (_SCALE, f"--scale: {scale:.2f};"),
        (_FILL, f"--fill: {fill:.0f}px;"),
        (_AIR, f"--air: {air:.1f}px;"),
    ):
        head, found, tail = html.rpartition(marker)
        if found:
            html = f"{head}{value}{tail}"
    return html


def _target(layout: _Layout, tried: list[_Layout]) -> float:
    """The scale predicted to fill the page exactly, from ``layout`` and the other tries.

    Height grows with the scale, and faster as text wraps into more lines: as
    scale to the power k, with k between 1 (nothing wraps) and 2 (everything
    does). Two tries tell k; before that, 1.5.
    """
    power = 1.5
    others = [t for t in tried if abs(t.scale - layout.scale) > STEP / 2 and t.used > 0]
    if others and layout.used > 0:
        near = min(others, key=lambda t: abs(t.scale - layout.scale))
        power = math.log(layout.used / near.used) / math.log(layout.scale / near.scale)
        power = min(max(power, 1.0), 2.5)
    return layout.scale * math.pow(1 / max(layout.fill, 0.01), 1 / power)


def _add_air(best: _Layout, room: float, lay_out: Callable[[float], _Layout]) -> _Layout:
    """``best`` with the ``room`` left on its page shared out as ``--air`` at every gap.

    The height grows in proportion to the air (each gap by as much): a small
    first try tells how fast, the second uses the room; should that overshoot
    (a line that wraps differently), a tenth less, else the first try is kept.
    """
    probe = lay_out(_AIR_PROBE)
    if not probe.fits:
        return best
    growth = (probe.used - best.used) / _AIR_PROBE
    if growth <= 0:
        return probe
    air = math.floor(min(room / growth, MAX_AIR) * 10) / 10
    for tried in (air, math.floor(air * 9) / 10):
        if tried <= _AIR_PROBE:
            break
        aired = lay_out(tried)
        if aired.fits:
            return aired
    return probe


#: the air of the first try (CSS px): small enough to fit wherever anything does
_AIR_PROBE = 1.0


def _quantise(scale: float) -> float:
    """``scale`` rounded down to a multiple of STEP (so that 1.0 stays 1.0)."""
    return math.floor(scale / STEP + 1e-6) * STEP


@dataclass(frozen=True)
class _Layout:
    """One try at a scale: the document and how well it uses the page (CSS px)."""

    document: Any
    scale: float
    pages: int
    available: float  # the height content may use on a page
    used: float  # the height the content needs, over all pages
    lowest: float  # the bottom of the lowest text or image on the first page
    limit: float  # how low text may go: MIN_BOTTOM above the bottom edge

    @property
    def fits(self) -> bool:
        """One page, and no text too near its bottom edge."""
        return self.pages == 1 and self.lowest <= self.limit + 0.01

    @property
    def fill(self) -> float:
        """How much of the page the content needs (1.0 = all of it)."""
        return self.used / self.available if self.available > 0 else 1.0

    @property
    def overflow(self) -> float:
        """How much longer than one page the content is (0.35 = 35 %)."""
        return max(0.01, self.fill - 1)


def _measure(document: Any, scale: float) -> _Layout:
    """How much of its pages ``document`` uses."""
    pages = document.pages
    first = pages[0]._page_box
    top = first.content_box_y()
    limit = pages[0].height - MIN_BOTTOM
    available = min(top + first.height, limit) - top
    # on a page that is not the last, what did not fit moved on whole: count the
    # content up to its lowest text, not the page's empty foot
    used = 0.0
    lowest = 0.0
    for number, page in enumerate(pages):
        page_lowest, page_used = _page_use(page._page_box)
        last = number == len(pages) - 1
        used += page_used if last else page_lowest - page._page_box.content_box_y()
        if number == 0:
            lowest = page_lowest
    return _Layout(document, scale, len(pages), available, used, lowest, limit)


def _page_use(page_box: Any) -> tuple[float, float]:
    """The bottom of the lowest text or image, and the height the page's content takes."""
    from weasyprint.formatting_structure.boxes import LineBox, ReplacedBox

    top = page_box.content_box_y()
    lowest = top
    body = top
    for box in page_box.descendants():
        if isinstance(box, (LineBox, ReplacedBox)):
            lowest = max(lowest, box.position_y + box.margin_height())
        elif getattr(box, "element_tag", None) == "body":
            body = max(body, box.position_y + box.margin_height())
    return lowest, max(lowest, body) - top


class _SafeFetcher(URLFetcher):  # type: ignore[misc]
    """Serves data: URLs and files under the allowed folders; refuses everything else."""

    def __init__(self, allowed: tuple[str, ...], static: tuple[str, str] | None = None) -> None:
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)
        self._allowed = [Path(p).resolve() for p in allowed]
        self._static = (Path(static[0]).resolve(), Path(static[1]).resolve()) if static else None
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        """Fetch ``url`` if it is data: or a file inside the allowed folders."""
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(unquote(urlsplit(url).path)).resolve()
            if self._static and not path.is_file() and path.is_relative_to(self._static[0]):
                path = self._static[1] / path.relative_to(self._static[0])
            if any(path.is_relative_to(root) for root in self._allowed) and path.is_file():
                return super().fetch(path.as_uri(), headers)
        self.refused.append(
            f"refused to load {url} into a PDF: only files under content/assets are used"
        )
        raise ValueError(f"refkit does not fetch {url}")
