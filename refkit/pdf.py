"""One-page PDFs with WeasyPrint: a one-pager per profile and one per partner.

Each PDF is one pure function of its inputs (:func:`render_pdf`: HTML, the
folders it may read, the paper), run in worker processes that each keep one
``FontConfiguration``. A one-pager is always exactly one page and uses it: the
whole layout follows one CSS scale variable, set as large as fits (up to
:data:`CEILING`, to fill a sparse page) and as small as the readable
:data:`FLOOR`; if the content does not fit even there, the build fails naming
the content file and how much is too long. No text comes closer than
:data:`MIN_BOTTOM` to the bottom edge.

Before layout the HTML is typeset (:func:`typeset`): typographic quotes and
apostrophes, en dashes in number ranges, no one-word last lines.

WeasyPrint is imported only here, and only when PDFs are built.
"""

from __future__ import annotations

import datetime as dt
import html as htmllib
import math
import multiprocessing
import os
import re
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from weasyprint import HTML, URLFetcher
from weasyprint.text.fonts import FontConfiguration

from refkit.errors import BuildError, Problem
from refkit.resources import static_dir
from refkit.templating import make_environment, render_template
from refkit.writer import Output

if TYPE_CHECKING:
    from refkit.build import BuildContext

#: the layout scale is set between these (of the base 10 pt): up to CEILING to fill a
#: sparse page, down to FLOOR (7.8 pt, still readable) to fit a long one
CEILING = 1.15
FLOOR = 0.78
#: scales are multiples of STEP; a PDF gets at most MAX_LAYOUTS tries (plus FLOOR)
STEP = 0.01
MAX_LAYOUTS = 5
#: a page this full is not enlarged further
FULL_ENOUGH = 0.96
#: no text or image nearer the bottom edge than this, in CSS px (0.3 in): printers clip there
MIN_BOTTOM = 0.3 * 96

INTRO_STEPS = (
    ("Ask first", "Check privately that the person would welcome an introduction."),
    ("Say why them, why now", "Tell us which of the criteria they meet and what is happening."),
    ("One email to both", "Introduce us in one email, or use the ready-made template."),
    ("We close the loop", "We reply within one business day and tell you how it went."),
)


@dataclass(frozen=True)
class PdfJob:
    """Everything one PDF is made from: picklable, so it can go to a worker."""

    paths: tuple[str, ...]
    html: str
    source: str
    allowed: tuple[str, ...]
    base_url: str
    #: what to shorten when it does not fit
    hint: str = "shorten the lists in this file"


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


def render_pdfs(ctx: BuildContext) -> Iterator[Output]:
    """The profile and partner one-pagers (profiles twice: pdf/clients and site/downloads)."""
    jobs = list(plan_jobs(ctx))
    if not jobs:
        return
    workers = min(ctx.jobs, len(jobs))
    if workers <= 1:
        results: Iterator[PdfResult] = (render_pdf(job) for job in jobs)
        yield from _outputs(ctx, results)
        return
    # forkserver, not fork: a forked worker would inherit (and on exit delete) the
    # parent's FontConfiguration temp folder, and forking a threaded process is unsafe
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["refkit.pdf"])
    with ProcessPoolExecutor(
        max_workers=workers, initializer=_init_worker, mp_context=context
    ) as pool:
        futures = [pool.submit(render_pdf, job) for job in jobs]
        try:
            yield from _outputs(ctx, (f.result() for f in as_completed(futures)))
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def _outputs(ctx: BuildContext, results: Iterator[PdfResult]) -> Iterator[Output]:
    """The PDFs; every one-pager that does not fit is reported, together, at the end."""
    problems: list[Problem] = []
    for result in results:
        for warning in result.warnings:
            ctx.warn(Problem(result.job.source, warning))
        if result.data is None and result.too_low:
            problems.append(
                Problem(
                    result.job.source,
                    f"the one-pager ({result.job.paths[0]}) puts text within "
                    f"{MIN_BOTTOM / 96:.1f} in of the bottom edge of the page at every size; "
                    "give the template's @page a bottom margin",
                )
            )
        elif result.data is None:
            problems.append(
                Problem(
                    result.job.source,
                    f"the one-pager ({result.job.paths[0]}) does not fit on one page even at "
                    f"the smallest readable size: about {result.overflow:.0%} too long; "
                    f"{result.job.hint}",
                )
            )
        else:
            for path in result.job.paths:
                yield Output(path, result.data)
    if problems:
        raise BuildError(sorted(problems, key=lambda p: (p.path, p.message)))


def plan_jobs(ctx: BuildContext) -> Iterator[PdfJob]:
    """One job per profile and per non-retired partner."""
    project = ctx.project
    env = make_environment(project.root, filters={"balance": balance_columns})
    static = static_dir()
    allowed = (str(project.content_dir / "assets"), str(static))
    common = _common_context(ctx)
    for slug, profile in project.profiles.items():
        html = render_template(
            env,
            "pdf/profile.html",
            **common,
            profile=profile,
            slug=slug,
            qr=_qr(ctx.paths.absolute(ctx.paths.profile(slug)), common["brand"]),
            page_url=ctx.paths.absolute(ctx.paths.profile(slug)),
        )
        yield PdfJob(
            paths=(f"pdf/clients/{slug}.pdf", f"site/downloads/{slug}.pdf"),
            html=typeset(html),
            source=project.file_of("profile", slug),
            allowed=allowed,
            base_url=static.as_uri() + "/",
        )
    for slug, partner in project.active_partners().items():
        page = ctx.paths.partner(slug)
        url = ctx.paths.absolute(page) if page else None
        html = render_template(
            env,
            "pdf/partner.html",
            **common,
            partner=partner,
            slug=slug,
            profiles=project.profiles_for(slug),
            qr=_qr(url, common["brand"]),
            page_url=url,
        )
        served = [project.file_of("profile", s) for s in project.profiles_for(slug)]
        yield PdfJob(
            paths=(f"pdf/partners/{slug}.pdf",),
            html=typeset(html),
            source=project.file_of("partner", slug),
            allowed=allowed,
            base_url=static.as_uri() + "/",
            hint="shorten the lists in this file or in the profiles it serves "
            f"({', '.join(served)})"
            if served
            else "shorten the lists in this file",
        )


def _common_context(ctx: BuildContext) -> dict[str, Any]:
    business = ctx.project.business
    brand = business.site.brand.color or "#1d4e5f"
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    created = None
    if epoch.isdigit():
        created = dt.datetime.fromtimestamp(int(epoch), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "business": business,
        "contact": business.contact,
        "brand": brand,
        "on_brand": _text_on(brand),
        "logo": ctx.project.logo.as_uri() if ctx.project.logo else None,
        "fonts": (static_dir() / "fonts").as_uri(),
        "paper": business.site.paper,
        "created": created,
        "steps": INTRO_STEPS,
        "strategy_labels": {
            "referrals": "Referrals both ways",
            "joint-marketing": "Joint marketing",
            "joint-sales-calls": "Joint sales calls",
            "co-hosted-events": "Co-hosted events",
        },
    }


def _text_on(color: str) -> str:
    """Black or white, whichever reads better on ``color`` (WCAG relative luminance)."""
    value = color.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#ffffff" if (1.05 / (luminance + 0.05)) >= ((luminance + 0.05) / 0.05) else "#111111"


def _qr(url: str | None, color: str) -> str | None:
    """A QR code of ``url`` as an SVG data URI (None without a URL)."""
    if not url:
        return None
    import segno

    return str(segno.make(url, error="m").svg_data_uri(scale=4, border=0, dark=color))


# --- template helpers and typesetting: pure functions of text ------------------------

_LINE_BREAKS = re.compile(r"<(li|p|h[1-6]|div|strong|span|br)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
#: characters of body text on one line of a one-pager column
COLUMN_CHARS = 52


def estimate_lines(fragment: str) -> float:
    """Roughly how many lines of body text an HTML ``fragment`` takes in one column."""
    lines = 0.0
    parts = _LINE_BREAKS.split(fragment)  # text, tag name, text, tag name, text...
    for tag, chunk in zip(["p", *parts[1::2]], parts[::2], strict=True):
        text = htmllib.unescape(_TAG.sub("", chunk)).strip()
        if text:
            # titles are set larger, labels smaller
            width = {"strong": 0.85, "h3": 0.85, "span": 2.0}.get(tag.lower(), 1.0)
            lines += math.ceil(len(text) / (COLUMN_CHARS * width))
    lower = fragment.lower()
    # the space around sections, list items and boxes, in lines (measured on the theme)
    return (
        lines
        + 0.7 * lower.count("<section")
        + 0.25 * lower.count("<li")
        + 4.0 * lower.count('class="role"')
        + 1.0 * lower.count('class="story"')
    )


#: a change of column between two blocks in reading order costs as much as this
#: many lines of height (so the columns read top to bottom unless that wastes space)
SWITCH_COST = 1.0
#: more blocks than this are split only once (trying every assignment grows as 2**n)
_MAX_ARRANGED = 14


def balance_columns(blocks: Iterable[str]) -> tuple[list[str], list[str]]:
    """Share ``blocks`` (HTML, in reading order) between two columns of about equal height.

    The first block heads the first column and each column keeps the blocks'
    order. Of all ways to share them, the one with the shortest taller column
    wins, each change of column beyond the first counting as SWITCH_COST lines.
    """
    items = [block for block in blocks if str(block).strip()]
    heights = [estimate_lines(str(block)) for block in items]
    count = len(items)
    if count > _MAX_ARRANGED:
        choices: Iterable[list[bool]] = (
            [i >= split for i in range(count)] for split in range(count + 1)
        )
    else:
        choices = (
            [i > 0 and bool(mask >> (i - 1) & 1) for i in range(count)]
            for mask in range(1 << max(count - 1, 0))
        )
    best: list[bool] = [False] * count
    best_key = (math.inf, True)
    for right in choices:
        tall = sum(h for h, r in zip(heights, right, strict=True) if r)
        short = sum(heights) - tall
        switches = sum(1 for a, b in zip(right, right[1:], strict=False) if a != b)
        cost = max(tall, short) + SWITCH_COST * max(0, switches - 1)
        # on a tie, the first column is the longer one
        key = (round(cost, 6), tall > short)
        if key < best_key:
            best, best_key = right, key
    return (
        [b for b, r in zip(items, best, strict=True) if not r],
        [b for b, r in zip(items, best, strict=True) if r],
    )


#: elements whose text is set as is (CSS, code)
_VERBATIM = {"style", "script", "code", "pre"}
#: inline elements: quotes inside them continue the text around them
_INLINE = {"a", "b", "strong", "em", "i", "span", "small", "abbr", "sub", "sup"}
#: blocks whose last two words are kept together, so no line holds one word alone
_NO_WIDOWS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figcaption"}
_TAG_NAME = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")
#: a number range such as 40-250, $8M-$60M or 10%-20% (not 2024-03-12, not a 555-0143 phone)
_NUMBER = r"(\$?(\d(?:[\d,.]*\d)?)[KMBkmb%]?)"
_RANGE = re.compile(rf"(?<![\w.,/-]){_NUMBER}-{_NUMBER}(?![\w/-]|[.,]\d)")
#: the two words kept together must be this short, so a narrow column never overflows
_WIDOW_CHARS = 20


def typeset(html: str) -> str:
    """Typographic quotes, en dashes and no widows in the text of an HTML page.

    Only text between tags changes: attributes, CSS and code stay as written.
    """
    parts = re.split(r"(<[^>]*>)", html)
    verbatim: str | None = None
    before = " "  # the character before the current text, for the quotes
    for i, part in enumerate(parts):
        if part.startswith("<"):
            match = _TAG_NAME.match(part)
            name = match.group(1).lower() if match else ""
            closing = part.startswith("</")
            if verbatim:
                if closing and name == verbatim:
                    verbatim = None
            elif name in _VERBATIM and not closing and not part.endswith("/>"):
                verbatim = name
            elif name not in _INLINE:
                before = " "
            if closing and name in _NO_WIDOWS and i >= 1 and not parts[i - 1].startswith("<"):
                parts[i - 1] = _bind_last_words(parts[i - 1])
            continue
        if verbatim or not part:
            continue
        text = htmllib.unescape(part)
        nice = _smarten(text, before)
        if nice != text:
            parts[i] = htmllib.escape(nice, quote=False)
        if text.strip():
            before = text.rstrip()[-1] if text.rstrip() == text else " "
    return "".join(parts)


def _smarten(text: str, before: str) -> str:
    """Curly quotes and apostrophes, en dashes in ranges and between spaces, an ellipsis."""
    text = _RANGE.sub(_range_dash, text)
    text = text.replace(" - ", " – ").replace("...", "…")
    if "'" not in text and '"' not in text:
        return text
    out = []
    for i, char in enumerate(text):
        prev = text[i - 1] if i else before
        if char == '"':
            char = "“" if prev.isspace() or prev in "([{‘“–—-/" else "”"
        elif char == "'":
            after = text[i + 1] if i + 1 < len(text) else " "
            opening = prev.isspace() or prev in "([{“–—-/"
            char = "‘" if opening and not after.isspace() and not after.isdigit() else "’"
        out.append(char)
    return "".join(out)


def _range_dash(match: re.Match[str]) -> str:
    """``40-250`` -> ``40–250``, unless it looks like part of a phone number."""
    left, low, right, high = match.groups()
    plain = left == low and right == high
    if plain:
        if high.startswith("0") or (len(low) == 3 and len(high) == 4):
            return match.group(0)  # 555-0143, 555-1234: a phone number
        try:
            if float(low.replace(",", "")) >= float(high.replace(",", "")):
                return match.group(0)
        except ValueError:
            return match.group(0)
    return f"{left}–{right}"


def _bind_last_words(text: str) -> str:
    """Join the last two words with a no-break space when they are short."""
    match = _LAST_WORDS.search(text)
    if not match or len(match.group(1)) + len(match.group(3)) > _WIDOW_CHARS:
        return text
    if "&nbsp;" in match.group(3) or "\xa0" in match.group(3):
        return text  # already kept together
    return f"{text[: match.start()]}{match.group(1)}&nbsp;{match.group(3)}{match.group(4)}"


_LAST_WORDS = re.compile(r"(?<=\s)(\S+)(\s+)(\S+)(\s*)$")


# --- the worker side: pure functions of a PdfJob ---------------------------------------

_FONT_CONFIG: Any = None
_IMAGE_CACHE: dict[str, Any] = {}


def _init_worker() -> None:
    """Each worker keeps one FontConfiguration and one image cache for all its PDFs."""
    global _FONT_CONFIG
    _FONT_CONFIG = FontConfiguration()
    _IMAGE_CACHE.clear()


def render_pdf(job: PdfJob) -> PdfResult:
    """Lay out ``job`` at the largest scale that fits on one page; return the bytes.

    Each try predicts the scale that would fill the page from how full the last
    one was, within what is known to fit and what is known not to. The room
    left at the best scale goes to ``--fill``, so the footer sits at the foot.
    """
    if _FONT_CONFIG is None:
        _init_worker()
    fetcher = _SafeFetcher(job.allowed)
    scalable = _SCALE in job.html
    tried: dict[float, _Layout] = {}

    def lay_out(scale: float, fill: float = 0.0) -> _Layout:
        html = _set_variables(job.html, scale, fill)
        document = HTML(string=html, base_url=job.base_url, url_fetcher=fetcher).render(
            font_config=_FONT_CONFIG, pdf_variant="pdf/ua-1", cache=_IMAGE_CACHE
        )
        layout = _measure(document, scale)
        if not fill:
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
    if _FILL in job.html and room >= 1:
        filled = lay_out(best.scale, room)
        if filled.fits:
            best = filled
    data = best.document.write_pdf(pdf_variant="pdf/ua-1")
    return PdfResult(job, data, best.scale, warnings, 0.0, len(tried))


#: what a template writes in its last ``:root`` rule, for refkit to set
_SCALE = "--scale: 1;"
_FILL = "--fill: 0px;"


def _set_variables(html: str, scale: float, fill: float) -> str:
    """``html`` with its last ``--scale`` and ``--fill`` settings replaced."""
    for marker, value in ((_SCALE, f"--scale: {scale:.2f};"), (_FILL, f"--fill: {fill:.0f}px;")):
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

    def __init__(self, allowed: tuple[str, ...]) -> None:
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)
        self._allowed = [Path(p).resolve() for p in allowed]
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        """Fetch ``url`` if it is data: or a file inside the allowed folders."""
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(unquote(urlsplit(url).path)).resolve()
            if any(path.is_relative_to(root) for root in self._allowed) and path.is_file():
                return super().fetch(path.as_uri(), headers)
        self.refused.append(
            f"refused to load {url} into a PDF: only files under content/assets are used"
        )
        raise ValueError(f"refkit does not fetch {url}")
