"""One-page PDFs with WeasyPrint: a one-pager per profile and one per partner.

Each PDF is one pure function of its inputs (:func:`render_pdf`: HTML, the
folders it may read, the paper), run in worker processes that each keep one
``FontConfiguration``. A one-pager is always exactly one page: when the
content overflows, the layout is tightened step by step on one CSS scale
variable down to a readable floor, and if it still does not fit the build
fails naming the content file and how much is too long.

WeasyPrint is imported only here, and only when PDFs are built.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections.abc import Iterator
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

#: the layout scales tried, largest first; 0.78 of 10 pt is the readable floor (7.8 pt)
SCALES = (1.0, 0.93, 0.86, 0.78)
FLOOR = SCALES[-1]

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


@dataclass(frozen=True)
class PdfResult:
    """A rendered PDF, or why it does not fit."""

    job: PdfJob
    data: bytes | None
    scale: float
    warnings: tuple[str, ...]
    overflow: float = 0.0


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
    for result in results:
        for warning in result.warnings:
            ctx.warn(Problem(result.job.source, warning))
        if result.data is None:
            raise BuildError(
                Problem(
                    result.job.source,
                    f"the one-pager ({result.job.paths[0]}) does not fit on one page even at "
                    f"the smallest readable size: about {result.overflow:.0%} too long; "
                    "shorten the lists in this file",
                )
            )
        for path in result.job.paths:
            yield Output(path, result.data)


def plan_jobs(ctx: BuildContext) -> Iterator[PdfJob]:
    """One job per profile and per non-retired partner."""
    project = ctx.project
    env = make_environment(project.root)
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
            html=html,
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
        yield PdfJob(
            paths=(f"pdf/partners/{slug}.pdf",),
            html=html,
            source=project.file_of("partner", slug),
            allowed=allowed,
            base_url=static.as_uri() + "/",
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


# --- the worker side: pure functions of a PdfJob ---------------------------------------

_FONT_CONFIG: Any = None
_IMAGE_CACHE: dict[str, Any] = {}


def _init_worker() -> None:
    """Each worker keeps one FontConfiguration and one image cache for all its PDFs."""
    global _FONT_CONFIG
    _FONT_CONFIG = FontConfiguration()
    _IMAGE_CACHE.clear()


def render_pdf(job: PdfJob) -> PdfResult:
    """Lay out ``job`` at decreasing scales until it fits on one page; return the bytes."""
    if _FONT_CONFIG is None:
        _init_worker()
    fetcher = _SafeFetcher(job.allowed)
    document = None
    scale = SCALES[0]
    for scale in SCALES:
        # the last `--scale: 1;` in the page wins (the template's own setting)
        head, marker, tail = job.html.rpartition("--scale: 1;")
        html = f"{head}--scale: {scale};{tail}" if marker else job.html
        document = HTML(string=html, base_url=job.base_url, url_fetcher=fetcher).render(
            font_config=_FONT_CONFIG, pdf_variant="pdf/ua-1", cache=_IMAGE_CACHE
        )
        if len(document.pages) == 1:
            data = document.write_pdf(pdf_variant="pdf/ua-1")
            return PdfResult(job, data, scale, tuple(fetcher.refused))
    assert document is not None
    return PdfResult(job, None, scale, tuple(fetcher.refused), _overflow(document))


def _overflow(document: Any) -> float:
    """How much longer than one page the content is (0.35 = 35 %)."""
    pages = len(document.pages)
    last = document.pages[-1]
    from weasyprint.formatting_structure.boxes import LineBox

    bottom = 0.0
    for box in last._page_box.descendants():
        if isinstance(box, LineBox):
            bottom = max(bottom, box.position_y + box.height)
    fill = min(1.0, bottom / last.height) if last.height else 1.0
    return max(0.01, pages - 2 + fill)


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
