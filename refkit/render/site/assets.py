"""The site's assets: the stylesheet with the brand palette, the script, fonts and logo.

Each is copied under ``assets/`` with a content-hashed name; a project's
``templates/static/`` overrides the theme's files one by one.
"""

from __future__ import annotations

import base64
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from refkit.derive.layout import SITE, asset_path, hashed_name
from refkit.derive.logos import logo_asset
from refkit.errors import BuildError, Problem
from refkit.output import Output
from refkit.resources import find_static
from refkit.text.colors import Palette
from refkit.text.logos import LogoBox, logo_aspect, logo_box

#: the header's logo, in CSS px: sized by height within a width that still
#: shows an 8:1 wordmark at the readable minimum (8 x 24 = 192)
HEADER_LOGO_HEIGHT = 40
HEADER_LOGO_MAX_WIDTH = 192
HEADER_LOGO_MIN_HEIGHT = 24

#: the built-in stylesheet and script, under templates/static/ (a project's
#: templates/static/ overrides them file by file)
STYLESHEET = "site.css"


SCRIPT = "site.js"


@dataclass(frozen=True)
class SiteAssets:
    """Site paths of the hashed assets, and the files themselves."""

    css: str
    js: str
    logo: str | None
    logo_type: str | None
    #: 404.html may be served at any depth, where relative asset links would
    #: break: it carries the stylesheet (with its upright fonts) and the logo
    #: as data, so it looks like every other page wherever it is served
    inline_css: str
    logo_data: str | None
    #: the header logo's size (its width and height attributes) and shape
    logo_box: LogoBox | None
    #: what sanitising took out of an SVG logo (scripts, handlers, external references)
    outputs: tuple[Output, ...]


CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")\s]+)\1\s*\)""")


_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}\s*")


_MEDIA_TYPES = {
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".gif": "image/gif",
}


# Typographic refinements the Nu HTML Checker's CSS grammar does not know yet;
# 404.html inlines its CSS (which the checker validates), so it goes without them.
_NEWER_PROPERTIES = re.compile(
    r"\s*\b(?:text-wrap|text-underline-offset|text-decoration-thickness)\s*:[^;}]*;?"
)


def build_assets(
    root: Path, palette: Palette, logo: Path | None, logo_bytes: bytes | None
) -> SiteAssets:
    """The stylesheet (with the brand palette and hashed font URLs), the script and the logo.

    ``logo_bytes`` are the logo as the content stage checked it (an SVG sanitised).
    """
    outputs: dict[str, Output] = {}

    def add(name: str, data: bytes) -> str:
        path = asset_path(hashed_name(name, data))
        outputs[path] = Output(SITE + path, data)
        return path

    css_path, css_where = find_static(root, STYLESHEET)
    css = css_path.read_text(encoding="utf-8")

    def urls(to_url: Callable[[str, Path], str]) -> Callable[[re.Match[str]], str]:
        """A ``url(...)`` rewriter for the theme's own files; others are left alone."""

        def replace(match: re.Match[str]) -> str:
            ref = match.group(2)
            if ref.startswith(("data:", "#")) or urlsplit(ref).scheme:
                return match.group(0)
            source, where = find_static(root, ref)
            if not source.is_file():
                raise BuildError(Problem(css_where, f"url({ref}): no such file ({where})"))
            return f'url("{to_url(ref, source)}")'

        return replace

    # the site links hashed copies; 404.html, served at any depth, embeds them
    rewrite = urls(
        lambda ref, source: posixpath.basename(add(posixpath.basename(ref), source.read_bytes()))
    )
    embed = urls(lambda ref, source: data_url(source.name, source.read_bytes()))

    inline = palette.css() + CSS_URL.sub(embed, _upright_font_faces(css))
    inline = _NEWER_PROPERTIES.sub("", inline)
    css = palette.css() + CSS_URL.sub(rewrite, css)
    css_site = add("site.css", css.encode("utf-8"))
    js_path, _ = find_static(root, SCRIPT)
    js_site = add("site.js", js_path.read_bytes())
    logo_site = logo_type = logo_data = box = None
    if logo is not None and logo_bytes is not None:
        data = logo_bytes
        logo_site = logo_asset(logo, data)
        outputs[logo_site] = Output(SITE + logo_site, data)
        logo_type = "image/svg+xml" if logo.suffix.lower() == ".svg" else "image/png"
        logo_data = data_url(logo.name, data)
        box = logo_box(
            logo_aspect(data, logo.suffix),
            height=HEADER_LOGO_HEIGHT,
            max_width=HEADER_LOGO_MAX_WIDTH,
            min_height=HEADER_LOGO_MIN_HEIGHT,
        )
    return SiteAssets(
        css=css_site,
        js=js_site,
        logo=logo_site,
        logo_type=logo_type,
        inline_css=inline,
        logo_data=logo_data,
        logo_box=box,
        outputs=tuple(outputs.values()),
    )


def shown_path(root: Path, path: Path) -> str:
    """``path`` as the project shows it (``content/assets/logo.svg``)."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def data_url(name: str, data: bytes) -> str:
    """A ``data:`` URL of a file's bytes, its media type from its suffix."""
    media = _MEDIA_TYPES.get(PurePosixPath(name).suffix.lower(), "application/octet-stream")
    return f"data:{media};base64,{base64.b64encode(data).decode('ascii')}"


def _upright_font_faces(css: str) -> str:
    """``css`` without its italic faces, nor a semibold one when there is a bold.

    Every face of 404.html is inlined: the regular and the bold keep it in
    the site's typeface at a third of the weight (600 text falls back to 700).
    """
    faces = _FONT_FACE.findall(css)
    has_bold = any(re.search(r"font-weight\s*:\s*(?:700|bold)\b", face) for face in faces)

    def keep(match: re.Match[str]) -> str:
        face = match.group(0)
        if re.search(r"font-style\s*:\s*(?:italic|oblique)", face):
            return ""
        if has_bold and re.search(r"font-weight\s*:\s*600\b", face):
            return ""
        return face

    return _FONT_FACE.sub(keep, css)
