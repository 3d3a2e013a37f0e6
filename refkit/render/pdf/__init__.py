"""One-page PDFs: a one-pager per profile and one per partner.

This module plans the jobs (the HTML of each one-pager, from
``templates/pdf/``, typeset by :func:`refkit.text.typography.typeset`) and
hands them to :mod:`refkit.render.pdf.engine`, in worker processes when
there are several. A one-pager that does not fit even at the smallest
readable size fails the build, naming the content file and how much is too
long. The PDF stage also writes the site's copies of the one-pagers
(``site/downloads/`` and each partner's page), so the site only links them.
"""

from __future__ import annotations

import base64
import datetime as dt
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

from refkit.derive.layout import partner_output, profile_output, site_output
from refkit.errors import BuildError, Problem
from refkit.output import Output
from refkit.render.context import RenderContext
from refkit.render.pdf.balance import balance_columns
from refkit.render.pdf.engine import MIN_BOTTOM, PdfJob, PdfResult, init_worker, render_pdf
from refkit.render.templating import make_environment, render_template
from refkit.resources import find_static, static_dir
from refkit.text.colors import brand_palette
from refkit.text.svg import sanitize_svg
from refkit.text.typography import typeset


def render(ctx: RenderContext) -> Iterator[Output]:
    """The profile and partner one-pagers, and their copies on the site."""
    jobs = list(plan_jobs(ctx))
    if not jobs:
        return
    workers = min(ctx.jobs, len(jobs))
    if workers <= 1:
        # a fresh FontConfiguration per build: one kept from an earlier build in
        # this process (`refkit serve`, tests) would keep serving the fonts it
        # loaded then, hiding a changed templates/static/ override
        init_worker()
        results: Iterator[PdfResult] = (render_pdf(job) for job in jobs)
        yield from _outputs(ctx, results)
        return
    # forkserver, not fork: a forked worker would inherit (and on exit delete) the
    # parent's FontConfiguration temp folder, and forking a threaded process is unsafe
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["refkit.render.pdf.engine"])
    with ProcessPoolExecutor(
        max_workers=workers, initializer=init_worker, mp_context=context
    ) as pool:
        futures = [pool.submit(render_pdf, job) for job in jobs]
        try:
            yield from _outputs(ctx, (f.result() for f in as_completed(futures)))
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def _outputs(ctx: RenderContext, results: Iterator[PdfResult]) -> Iterator[Output]:
    """The PDFs; every one-pager that does not fit is reported, together, at the end."""
    problems: list[Problem] = []
    for result in results:
        for warning in result.warnings:
            ctx.warn(Problem(result.job.source, warning, kind="build"))
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


def plan_jobs(ctx: RenderContext) -> Iterator[PdfJob]:
    """One job per profile and per non-retired partner."""
    project = ctx.project
    env = make_environment(project.root, filters={"balance": balance_columns})
    own_static = (project.templates_dir / "static").resolve()
    theme_static = static_dir().resolve()
    allowed = (str(project.content_dir / "assets"), str(own_static), str(theme_static))
    common = _common_context(ctx)
    paths = ctx.paths
    for slug, profile in project.profiles.items():
        html = render_template(
            env,
            "pdf/profile.html",
            **common,
            profile=profile,
            slug=slug,
            qr=_qr(paths.absolute(paths.profile(slug)), common["palette"].ink),
            page_url=paths.absolute(paths.profile(slug)),
        )
        yield PdfJob(
            paths=(profile_output(slug), site_output(paths.profile_pdf(slug))),
            html=typeset(html),
            source=project.file_of("profile", slug),
            allowed=allowed,
            # relative URLs resolve in templates/static/, the project's copy first
            base_url=own_static.as_uri() + "/",
            static=(str(own_static), str(theme_static)),
        )
    for slug, partner in project.active_partners().items():
        page = paths.partner(slug)
        url = paths.absolute(page) if page else None
        on_site = paths.partner_pdf(slug)
        html = render_template(
            env,
            "pdf/partner.html",
            **common,
            partner=partner,
            slug=slug,
            profiles=project.profiles_for(slug),
            qr=_qr(url, common["palette"].ink),
            page_url=url,
        )
        served = [project.file_of("profile", s) for s in project.profiles_for(slug)]
        yield PdfJob(
            paths=(partner_output(slug),)
            + ((site_output(on_site),) if on_site is not None else ()),
            html=typeset(html),
            source=project.file_of("partner", slug),
            allowed=allowed,
            # relative URLs resolve in templates/static/, the project's copy first
            base_url=own_static.as_uri() + "/",
            static=(str(own_static), str(theme_static)),
            hint="shorten the lists in this file or in the profiles it serves "
            f"({', '.join(served)})"
            if served
            else "shorten the lists in this file",
        )


def _common_context(ctx: RenderContext) -> dict[str, Any]:
    business = ctx.project.business
    palette = brand_palette(business.site.brand.color)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    created = None
    if epoch.isdigit():
        created = dt.datetime.fromtimestamp(int(epoch), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    root = ctx.project.root

    def static(name: str) -> str:
        """The file URL of a static file, the project's copy first."""
        path, where = find_static(root, name)
        if not path.is_file():
            raise BuildError(Problem(where, f"static({name!r}): no such file"))
        return path.resolve().as_uri()

    return {
        "business": business,
        "contact": business.contact,
        "brand": palette.brand,
        "on_brand": palette.on_brand,
        "palette": palette,
        "logo": _logo_url(ctx),
        "static": static,
        "paper": business.site.paper,
        "created": created,
    }


def _logo_url(ctx: RenderContext) -> str | None:
    """The logo for the one-pagers: a PNG's file URL, an SVG sanitised into a data: URI.

    WeasyPrint would fetch what an SVG references; the sanitised copy references
    nothing outside itself (the site publishes the same copy).
    """
    logo = ctx.project.logo
    if logo is None:
        return None
    if logo.suffix.lower() != ".svg":
        return logo.as_uri()
    root = ctx.project.root.resolve()
    try:
        source = logo.resolve().relative_to(root).as_posix()
    except ValueError:
        source = logo.as_posix()
    data = sanitize_svg(logo.read_bytes(), source)
    return "data:image/svg+xml;base64," + base64.b64encode(data).decode("ascii")


def _qr(url: str | None, color: str) -> str | None:
    """A QR code of ``url`` as an SVG data URI (None without a URL)."""
    if not url:
        return None
    import segno

    return str(segno.make(url, error="m").svg_data_uri(scale=4, border=0, dark=color))
