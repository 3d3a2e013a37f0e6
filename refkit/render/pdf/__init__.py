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

import dataclasses
import datetime as dt
import multiprocessing
import os
import re
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from markupsafe import escape

from refkit.content.loader import Loc, format_loc
from refkit.content.models import Profile
from refkit.content.project import Project
from refkit.derive.layout import partner_output, profile_output, site_output
from refkit.derive.logos import band_logo, logo_data_uri
from refkit.errors import BuildError, Problem
from refkit.output import Output
from refkit.render.context import RenderContext
from refkit.render.pdf.balance import balance_columns
from refkit.render.pdf.engine import MIN_BOTTOM, PdfJob, PdfResult, init_worker, render_pdf
from refkit.render.templating import make_environment, render_template
from refkit.resources import find_static, static_dir
from refkit.text.colors import brand_palette
from refkit.text.images import nearest, photo_variants, picture_variants
from refkit.text.typography import typeset


def render(ctx: RenderContext) -> Iterator[Output]:
    """The profile and partner one-pagers, and their copies on the site."""
    planned = list(_plan(ctx))
    if not planned:
        return
    jobs = [job for job, _made_of in planned]
    made_of = {job.paths[0]: parts for job, parts in planned}
    _check_words(ctx, planned)
    workers = min(ctx.jobs, len(jobs))
    if workers <= 1:
        # a fresh FontConfiguration per build: one kept from an earlier build in
        # this process (`refkit serve`, tests) would keep serving the fonts it
        # loaded then, hiding a changed templates/static/ override
        init_worker()
        results: Iterator[PdfResult] = (render_pdf(job) for job in jobs)
        yield from _outputs(ctx, results, made_of)
        return
    # forkserver, not fork: a forked worker would inherit (and on exit delete) the
    # parent's FontConfiguration temp folder, and forking a threaded process is unsafe
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["refkit.render.pdf.engine"])
    # the forkserver and the resource tracker run as `python -c ...`, which puts the
    # working folder first on sys.path (and Python 3.11 never applies the parent's
    # sys.path there): a refkit/ or weasyprint.py in the folder a user builds from
    # would be imported in place of ours. -P (Python 3.11+) keeps it off.
    if not os.environ.get("PYTHONSAFEPATH"):
        os.environ["PYTHONSAFEPATH"] = "1"
    with ProcessPoolExecutor(
        max_workers=workers, initializer=init_worker, mp_context=context
    ) as pool:
        futures = [pool.submit(render_pdf, job) for job in jobs]
        try:
            results = (f.result() for f in as_completed(futures))
            yield from _outputs(ctx, results, made_of)
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def _outputs(
    ctx: RenderContext, results: Iterator[PdfResult], made_of: dict[str, _MadeOf]
) -> Iterator[Output]:
    """The PDFs; every one-pager that does not fit is reported, together, at the end."""
    problems: list[Problem] = []
    refused: dict[str, list[str]] = {}  # warning -> the one-pagers' sources, in order
    for result in results:
        for warning in result.warnings:
            refused.setdefault(warning, []).append(result.job.source)
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
            problems.append(_too_long(ctx, result, made_of[result.job.paths[0]]))
        else:
            if result.shortened:
                ctx.warn(_shortened(result))
            for path in result.job.paths:
                yield Output(path, result.data)
    for warning, sources in refused.items():
        ctx.warn(_refusal(ctx.project.root, warning, sources))
    if problems:
        raise BuildError(sorted(problems, key=lambda p: (p.path, p.message)))


def _refusal(root: Path, warning: str, sources: list[str]) -> Problem:
    """One warning per refused URL, at the template that names it if the project has one.

    A URL in an override (``templates/pdf/_base.css``) is refused in every
    one-pager: say so once, there, not once per partner file.
    """
    url = warning.split()[3] if warning.startswith("refused to load ") else None
    if url is not None:
        for folder in ("pdf", "static"):
            for path in sorted((root / "templates" / folder).rglob("*")):
                if path.is_file() and not path.is_symlink():
                    text = path.read_bytes()[: 1 << 20].decode("utf-8", "replace")
                    if url in text:
                        return Problem(path.relative_to(root).as_posix(), warning, kind="template")
    others = len(dict.fromkeys(sources)) - 1
    more = f" (in {others + 1} one-pagers)" if others else ""
    return Problem(sources[0], warning + more, kind="build")


def _too_long(ctx: RenderContext, result: PdfResult, made_of: _MadeOf) -> Problem:
    """Why a one-pager does not fit, at the content that makes it too long."""
    job = result.job
    return _at_longest_part(
        ctx,
        job,
        made_of,
        f"the one-pager ({job.paths[0]}) does not fit on one page even at the smallest "
        f"readable size: about {result.overflow:.0%} too long",
    )


def _partner_hint(served: list[str], business_file: str, kind: str) -> str:
    """What to shorten when a partner's one-pager is long: what it is made of."""
    places = ["this file"]
    if served:
        places.append(f"the profiles it serves ({', '.join(served)})")
    if kind == "customer":  # a customer's one-pager lists the services
        places.append(f"the services in {business_file}")
    if len(places) == 1:
        return "shorten the lists in this file"
    return f"shorten the lists in {', '.join(places[:-1])} or in {places[-1]}"


def _shortened(result: PdfResult) -> Problem:
    """A one-pager that fits only with less on it: what was left out, and where to shorten."""
    job = result.job
    left_out = (
        "without its picture"
        if job.paths[0] == profile_output(PurePosixPath(job.paths[0]).stem)
        else "when it shows the first items of each long list (the whole lists are on the site)"
    )
    # at the one-pager's own file: the longest part need not be what grew
    return Problem(
        job.source,
        f"the one-pager ({job.paths[0]}) fits on one page only {left_out}; {job.hint}",
        kind="build",
    )


def _at_longest_part(ctx: RenderContext, job: PdfJob, made_of: _MadeOf, what: str) -> Problem:
    """``what`` is wrong with a one-pager, said at the content that makes it long.

    The one-pager's own file (and, for a partner's, the profiles it serves) is
    blamed as its hint says, unless the longest part it shows is elsewhere
    (``services`` in business.yaml on every customer's one-pager): then the
    problem is at that field, with the other long parts after it.
    """
    parts = made_of.longest_parts(ctx.project)
    if not parts or parts[0].file in made_of.own_files:
        return Problem(job.source, f"{what}; {job.hint}", kind="build")
    top, others = parts[0], parts[1:]
    message = f"{what}; this is its longest part ({top.chars:,} characters): shorten it"
    if others:
        message += " (then: " + ", ".join(part.label for part in others) + ")"
    source = ctx.project.sources[top.file]
    return dataclasses.replace(source.problem(top.loc, message, key=True), kind="build")


#: a word longer than this does not fit in a column of a one-pager at its smallest size
LONGEST_WORD = 50
#: the band's logo, in pt: sized by height within a width that still shows an
#: 8:1 wordmark at the readable minimum (8 x 22.5 = 180 pt, 2.5 in)
BAND_LOGO_HEIGHT = 24.0
BAND_LOGO_MAX_WIDTH = 180.0
BAND_LOGO_MIN_HEIGHT = 22.5


#: a word longer than this would fill the page broken into lines (and takes the
#: layout minutes): it is refused before any PDF is laid out
LONGEST_BREAKABLE_WORD = 1_000


_WORD_NOT_TEXT = re.compile(r"://|@|^www\.", re.IGNORECASE)


def _check_words(ctx: RenderContext, planned: list[tuple[PdfJob, _MadeOf]]) -> None:
    """Words too long for a line: a warning (they break anywhere), or an error when too
    long for any page; once per field."""
    seen: set[tuple[str, Loc]] = set()
    problems: list[Problem] = []
    for job, made_of in planned:
        for rel, loc, text in made_of.strings(ctx.project):
            if len(text) <= LONGEST_WORD or (rel, loc) in seen:
                continue
            longest = max(
                (w for w in text.split() if not _WORD_NOT_TEXT.search(w)), key=len, default=""
            )
            if len(longest) <= LONGEST_WORD or str(escape(text)) not in made_of.html:
                continue
            seen.add((rel, loc))
            source = ctx.project.sources[rel]
            if len(longest) > LONGEST_BREAKABLE_WORD:
                message = (
                    f"a word of {len(longest):,} characters cannot fit on the one-pager "
                    f"({job.paths[0]}); add spaces, or shorten it"
                )
                problems.append(dataclasses.replace(source.problem(loc, message), kind="build"))
                continue
            message = (
                f"a word of {len(longest):,} characters is longer than a line of the "
                f"one-pager ({job.paths[0]}); it is broken wherever it meets the edge "
                "(add spaces, or shorten it)"
            )
            ctx.warn(dataclasses.replace(source.problem(loc, message), kind="build"))
    if problems:
        raise BuildError(problems)


@dataclass(frozen=True)
class _Part:
    """How much text of one field (a list counts whole) a one-pager shows."""

    file: str
    loc: Loc
    chars: int

    @property
    def label(self) -> str:
        return f"{self.file} {format_loc(self.loc)} ({self.chars:,} characters)"


@dataclass(frozen=True)
class _MadeOf:
    """What a one-pager is made of: its HTML before typesetting and the files it shows."""

    html: str
    #: the files its hint names (its own, and a partner's profiles)
    own_files: tuple[str, ...]
    #: every content file it may show, business.yaml first
    files: tuple[str, ...]

    def strings(self, project: Project) -> Iterator[tuple[str, Loc, str]]:
        """(file, location, text) of every string of its files."""
        for rel in self.files:
            source = project.sources.get(rel)
            if source is not None:
                for loc, text in _strings(source.data, ()):
                    yield rel, loc, text

    def longest_parts(self, project: Project, count: int = 3) -> list[_Part]:
        """The fields whose text takes most of the page, longest first."""
        totals: dict[tuple[str, Loc], int] = {}
        for rel, loc, text in self.strings(project):
            if len(text) > 1 and str(escape(text)) in self.html:
                key = (rel, _field(loc))
                totals[key] = totals.get(key, 0) + len(text)
        parts = [_Part(rel, loc, chars) for (rel, loc), chars in totals.items()]
        parts.sort(key=lambda part: -part.chars)
        return parts[:count]


def _strings(value: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*loc, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*loc, index))


def _field(loc: Loc) -> Loc:
    """The field a value counts towards: a list counts whole (``services[3].name`` -> services)."""
    for index, part in enumerate(loc):
        if isinstance(part, int):
            return loc[:index]
    return loc


def plan_jobs(ctx: RenderContext) -> Iterator[PdfJob]:
    """One job per profile and per non-retired partner."""
    return (job for job, _made_of in _plan(ctx))


def _plan(ctx: RenderContext) -> Iterator[tuple[PdfJob, _MadeOf]]:
    """Each job, and what its one-pager is made of (to say what makes it too long)."""
    project = ctx.project
    common_files = (project.business_file,)
    env = make_environment(
        project.root,
        filters={"balance": balance_columns},
        promises=project.business.promises,
        currency=project.business.currency,
        language=project.business.site.language,
    )
    own_static = (project.templates_dir / "static").resolve()
    theme_static = static_dir().resolve()
    allowed = (str(project.content_dir / "assets"), str(own_static), str(theme_static))
    common = _common_context(ctx)
    paths = ctx.paths
    for slug, profile in project.profiles.items():
        image = _image_url(ctx, slug)

        def profile_page(image: str | None, slug: str = slug, profile: Profile = profile) -> str:
            return render_template(
                env,
                "pdf/profile.html",
                **common,
                profile=profile,
                slug=slug,
                image=image,
                qr=_qr(paths.absolute(paths.profile(slug)), common["palette"].ink),
                page_url=paths.absolute(paths.profile(slug)),
            )

        html = profile_page(image)
        source = project.file_of("profile", slug)
        yield (
            PdfJob(
                paths=(profile_output(slug), site_output(paths.profile_pdf(slug))),
                html=typeset(html),
                # a long profile gives up its picture before it fails as too long
                shorter=(typeset(profile_page(None)),) if image else (),
                source=source,
                allowed=allowed,
                # relative URLs resolve in templates/static/, the project's copy first
                base_url=own_static.as_uri() + "/",
                static=(str(own_static), str(theme_static)),
            ),
            _MadeOf(html, (source,), (*common_files, source)),
        )
    for slug, partner in project.active_partners().items():
        page = paths.partner(slug)
        url = paths.absolute(page) if page else None
        on_site = paths.partner_pdf(slug)
        pages = [
            typeset(
                render_template(
                    env,
                    "pdf/partner.html",
                    **common,
                    partner=partner,
                    slug=slug,
                    profiles=project.profiles_for(slug),
                    qr=_qr(url, common["palette"].ink),
                    page_url=url,
                    shorten=shorten,
                )
            )
            for shorten in (False, True)
        ]
        html = pages[0]
        served = [project.file_of("profile", s) for s in project.profiles_for(slug)]
        source = project.file_of("partner", slug)
        yield (
            PdfJob(
                paths=(partner_output(slug),)
                + ((site_output(on_site),) if on_site is not None else ()),
                html=html,
                # a partner's page is made from the profiles it serves, whose whole
                # lists are a scan away: it shows fewer items before failing as too long
                shorter=(pages[1],) if pages[1] != html else (),
                source=source,
                allowed=allowed,
                # relative URLs resolve in templates/static/, the project's copy first
                base_url=own_static.as_uri() + "/",
                static=(str(own_static), str(theme_static)),
                hint=_partner_hint(served, project.business_file, partner.kind),
            ),
            _MadeOf(html, (source, *served), (*common_files, source, *served)),
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
        "photo": _photo_url(ctx),
        # in pt, not rem: the band's logo stays readable whatever --scale the text needs
        "band_logo": band_logo(
            ctx.project,
            height=BAND_LOGO_HEIGHT,
            max_width=BAND_LOGO_MAX_WIDTH,
            min_height=BAND_LOGO_MIN_HEIGHT,
        ),
        "static": static,
        "paper": business.site.paper,
        "created": created,
    }


def _logo_url(ctx: RenderContext) -> str | None:
    """The logo for the one-pagers as a data: URI of the bytes the content stage checked.

    WeasyPrint would fetch what an SVG references; the sanitised copy references
    nothing outside itself (the site publishes the same copy).
    """
    logo, data = ctx.project.logo, ctx.project.logo_data
    if logo is None or data is None:
        return None
    return logo_data_uri(logo, data)


#: pixels of the embedded pictures: about twice the size they are printed at (the
#: footer's photo is about 0.7 in wide, a profile's picture about 2.5 in, at 96 px/in)
PHOTO_PIXELS = 140
PICTURE_PIXELS = 520


def _photo_url(ctx: RenderContext) -> str | None:
    """``contact.photo`` for the footer, a square copy as a data: URI (never the original)."""
    photo = ctx.project.photo
    if photo is None:
        return None
    return nearest(photo_variants(photo.data), PHOTO_PIXELS).data_uri()


def _image_url(ctx: RenderContext, slug: str) -> str | None:
    """A profile's ``image`` for its one-pager, a resized copy as a data: URI."""
    image = ctx.project.images.get(slug)
    if image is None:
        return None
    return nearest(picture_variants(image.data), PICTURE_PIXELS).data_uri()


def _qr(url: str | None, color: str) -> str | None:
    """A QR code of ``url`` as an SVG data URI (None without a URL)."""
    if not url:
        return None
    import segno

    return str(segno.make(url, error="m").svg_data_uri(scale=4, border=0, dark=color))
