"""The share image (``og:image``) of every public page, under ``assets/``.

Drawn by :func:`refkit.text.share.share_image`, one per public page, in
threads (Pillow draws and compresses without holding the GIL for long), and
kept in memory by content so that ``refkit serve`` redraws only what changed.
A private partner page gets none: its image would name the partner.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from refkit.content.project import Project
from refkit.derive.layout import SITE, asset_path, hashed_name
from refkit.output import Output
from refkit.render.site.pages import Page
from refkit.resources import find_static
from refkit.text.colors import Palette
from refkit.text.share import HEIGHT, WIDTH, ShareFonts, share_image

#: the fonts of the share images, under templates/static/ (a project's copies first)
SHARE_FONTS = ("fonts/Inter-Bold.otf", "fonts/Inter-SemiBold.otf", "fonts/Inter-Regular.otf")


@dataclass(frozen=True)
class ShareImage:
    """One page's share image: its site path, size and text alternative."""

    path: str
    alt: str
    width: int = WIDTH
    height: int = HEIGHT


def build_share_images(
    project: Project, pages: Iterable[Page], palette: Palette, jobs: int
) -> tuple[dict[str, ShareImage], tuple[Output, ...]]:
    """A share image for each public page (by page file), and the PNG files."""
    business = project.business
    public = [page for page in pages if page.listed and not page.private]
    fonts = ShareFonts(*(find_static(project.root, name)[0] for name in SHARE_FONTS))
    logo = project.logo_data if project.logo and project.logo.suffix.lower() == ".png" else None
    address = _address(business.site.base_url or business.website)

    # a font file changed in place (`refkit serve`) is a new key: the images are redrawn
    stamp = tuple((p.stat().st_mtime_ns, p.stat().st_size) for p in fonts.files())

    def draw(page: Page) -> bytes:
        return _cached_share_image(
            business.name, page.headline or page.title, palette, fonts, stamp, logo, address
        )

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        drawn = list(pool.map(draw, public))
    images: dict[str, ShareImage] = {}
    outputs: dict[str, Output] = {}
    for page, data in zip(public, drawn, strict=True):
        stem = "share-" + (page.path.strip("/").replace("/", "-") or "home")
        path = asset_path(hashed_name(f"{stem}.png", data))
        outputs[path] = Output(SITE + path, data)
        headline = page.headline or page.title
        alt = headline if headline.startswith(business.name) else f"{business.name}: {headline}"
        images[page.file] = ShareImage(path, alt)
    return images, tuple(outputs.values())


@lru_cache(maxsize=256)
def _cached_share_image(
    name: str,
    headline: str,
    palette: Palette,
    fonts: ShareFonts,
    stamp: tuple[tuple[int, int], ...],
    logo: bytes | None,
    address: str | None,
) -> bytes:
    del stamp  # only part of the cache key
    return share_image(
        name=name, headline=headline, palette=palette, fonts=fonts, logo_png=logo, address=address
    )


def _address(url: str | None) -> str | None:
    """``https://partners.example.com/refer/`` -> ``partners.example.com/refer``."""
    if not url:
        return None
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    return (host + parts.path.rstrip("/")) or None
