"""The partner-facing static site under ``output/site/``.

Pages (:mod:`~refkit.render.site.pages`) come from the Jinja templates under
``templates/site/``; the CSS, the script, the web fonts and the logo are
copied under ``assets/`` with content-hashed names
(:mod:`~refkit.render.site.assets`); the sitemap, robots.txt and the vCard
come from templates too (:mod:`~refkit.render.site.files`). Every link is
relative (and names ``index.html``), so the site works from any sub-path and
straight from ``file://``; :mod:`refkit.checks.links` then checks them all.

The one-pagers are the PDF stage's (it writes their copies under
``site/``): the site reads only whether they exist, through
``ctx.upstream``, to link them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import PurePosixPath
from typing import Any

import jinja2

from refkit.derive.layout import (
    NOT_FOUND,
    ROBOTS,
    SITE,
    SITEMAP,
    VCARD,
    asset_path,
    hashed_name,
    relative_url,
)
from refkit.output import Output
from refkit.render.context import RenderContext
from refkit.render.site.assets import build_assets, data_url
from refkit.render.site.files import render_robots, render_sitemap, render_vcard
from refkit.render.site.pages import (
    Page,
    clip,
    mark_blanks,
    nav,
    page_list,
    public_partners,
    unlisted_page,
)
from refkit.render.site.pictures import build_pictures
from refkit.render.site.sharing import ShareImage, build_share_images
from refkit.render.templating import make_environment, render_template
from refkit.resources import find_static
from refkit.text.colors import brand_palette
from refkit.text.dates import date_styles
from refkit.text.images import encode_jpeg, nearest, photo_variants
from refkit.text.markup import markdown_to_text
from refkit.text.typography import typeset

#: the vCard's photo: address books show it small; 320 px stays sharp on any screen
VCARD_PHOTO_WIDTH = 320


def _environment(ctx: RenderContext) -> jinja2.Environment:
    return make_environment(
        ctx.project.root,
        filters={
            "clip": clip,
            "markdown_plain": markdown_to_text,
            "mark_blanks": mark_blanks,
            "human_date": date_styles(ctx.project.business.site.language).medium,
        },
        promises=ctx.project.business.promises,
        currency=ctx.project.business.currency,
        language=ctx.project.business.site.language,
    )


def render(ctx: RenderContext) -> Iterator[Output]:
    """Every page of the site, its assets, the sitemap, robots.txt and the vCard."""
    project = ctx.project
    business = project.business
    palette = brand_palette(business.site.brand.color)
    assets = build_assets(project.root, palette, project.logo, project.logo_data)
    yield from assets.outputs
    pictures = build_pictures(project)
    yield from pictures.outputs
    env = _environment(ctx)

    common = {
        "business": business,
        "project": project,
        "site": business.site,
        "paths": ctx.paths,
        "brand": palette,
        "assets": assets,
        "pictures": pictures,
        "public_partners": public_partners(ctx),
    }
    extra: dict[str, Output] = {}

    def register(name: str) -> str:
        """Copy a file of templates/static/ into assets/ (hashed) for an override."""
        source, _where = find_static(project.root, name)
        if not source.is_file():
            # raised inside a template's static() call: render_template reports
            # it as that template's error, with its file and line
            raise ValueError(
                f"static({name!r}): no templates/static/{name} in the project or the theme"
            )
        data = source.read_bytes()
        path = asset_path(hashed_name(PurePosixPath(name).name, data))
        extra[path] = Output(SITE + path, data)
        return path

    pages = page_list(ctx, assets)
    unlisted = unlisted_page(ctx, pages)
    shares, share_files = build_share_images(project, pages, palette, ctx.jobs)
    yield from share_files
    for page in [*pages, *([unlisted] if unlisted else [])]:
        html = _render_page(env, ctx, page, common, register, shares.get(page.file))
        yield Output(SITE + page.file, typeset(html).encode("utf-8"))

    not_found = Page(
        "404",
        NOT_FOUND,
        title=f"Page not found | {business.name}",
        description="This page does not exist.",
        listed=False,
    )
    html = _render_page(env, ctx, not_found, common, register, None)
    yield Output(SITE + NOT_FOUND, typeset(html).encode("utf-8"))
    known = {o.path for o in assets.outputs}
    yield from (o for o in extra.values() if o.path not in known)
    listed = _pages_listed(ctx)
    yield Output(SITE + SITEMAP, render_sitemap(env, ctx.paths, listed).encode("utf-8"))
    yield Output(SITE + ROBOTS, render_robots(env, ctx.paths).encode("utf-8"))
    photo = None
    if project.photo is not None:
        photo = encode_jpeg(nearest(photo_variants(project.photo.data), VCARD_PHOTO_WIDTH))
    yield Output(SITE + VCARD, render_vcard(env, business, photo).encode("utf-8"))


def _pages_listed(ctx: RenderContext) -> list[str]:
    """Site paths of the public pages (the sitemap's)."""
    paths = ctx.paths
    listed = [paths.home(), paths.about(), paths.refer()]
    listed += [paths.profile(slug) for slug in ctx.project.profiles]
    listed += [path for _slug, _partner, path in public_partners(ctx)]
    return listed


def _render_page(
    env: jinja2.Environment,
    ctx: RenderContext,
    page: Page,
    common: dict[str, Any],
    register: Callable[[str], str],
    share: ShareImage | None,
) -> str:
    file = page.file
    # 404.html is served in place of any missing page, at any depth: its links
    # are absolute when site.base_url says where the site lives, and the files
    # it shows are embedded (assets.inline_css, assets.logo_data)
    anywhere = page.kind == "404"

    def url(target: str) -> str:
        if anywhere:
            return ctx.paths.absolute(target) or relative_url(file, target)
        return relative_url(file, target)

    def static(name: str) -> str:
        path = register(name)
        if anywhere:
            source, _where = find_static(ctx.project.root, name)
            return data_url(path, source.read_bytes())
        return url(path)

    canonical = ctx.paths.absolute(page.path) if page.listed else None
    home = url("")
    meta = {
        "kind": page.kind,
        "home": home,
        "file": file,
        "title": page.title,
        "description": page.description,
        "canonical": canonical,
        "private": page.private,
        # og:image needs an absolute URL; without site.base_url a relative one, which
        # the link previews of Slack, iMessage and Facebook resolve against the page
        "og_image": {
            "url": ctx.paths.absolute(share.path) or url(share.path),
            "width": share.width,
            "height": share.height,
            "alt": share.alt,
        }
        if share is not None
        else None,
        "og_locale": common["site"].language.replace("-", "_"),
    }
    return render_template(
        env,
        page.template,
        **common,
        page=meta,
        url=url,
        static=static,
        nav=nav(page.kind),
        **page.context,
    )
