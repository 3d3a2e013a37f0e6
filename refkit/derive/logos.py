"""The logo as each output draws it: which file, embedded how, in what box.

``site.brand.logo`` is drawn on white (the site's header); on the brand
colour (the one-pagers' band, the report's header) a logo of the brand's
own colour would vanish, so there refkit draws ``site.brand.logo_on_dark``
when the project has one, else the logo on a light plate. Shared by the
renderers that embed it (the PDFs and the report) so they agree.

The HTML emails link the site's copy instead: Gmail and Outlook show
neither SVG nor ``data:`` images, so an email shows a PNG logo by its
absolute URL, and only when ``site.base_url`` says where the site lives.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

from refkit.content.project import Project
from refkit.derive.layout import SitePaths, asset_path, hashed_name
from refkit.text.logos import LogoBox, logo_aspect, logo_box


@dataclass(frozen=True)
class PlacedLogo:
    """A logo ready to draw: its src, its box and whether it sits on a plate."""

    #: a data: URI of the checked bytes, or (in an email) the site's absolute URL
    src: str
    box: LogoBox
    #: drawn on a light plate (the band's colour could hide it)
    plate: bool

    @property
    def width(self) -> float:
        """The drawn width, in the output's unit."""
        return self.box.width

    @property
    def height(self) -> float:
        """The drawn height, in the output's unit."""
        return self.box.height

    @property
    def wordmark(self) -> bool:
        """A wordmark shows the business's name: the name is not set beside it."""
        return self.box.wordmark


def logo_asset(path: Path, data: bytes) -> str:
    """The site path the site publishes a logo at (``assets/logo.HASH.svg``)."""
    return asset_path(hashed_name("logo" + path.suffix.lower(), data))


def email_logo(
    project: Project, paths: SitePaths, *, height: float, max_width: float, min_height: float
) -> PlacedLogo | None:
    """The logo for an HTML email: the site's PNG by its absolute URL, else None."""
    logo, data = project.logo, project.logo_data
    if logo is None or data is None or logo.suffix.lower() != ".png":
        return None
    url = paths.absolute(logo_asset(logo, data))
    if url is None:
        return None
    box = logo_box(
        logo_aspect(data, "png"), height=height, max_width=max_width, min_height=min_height
    )
    return PlacedLogo(url, box, plate=False)


def logo_data_uri(path: Path, data: bytes) -> str:
    """A ``data:`` URI of a logo's checked bytes (SVG or PNG, by its suffix)."""
    kind = "svg+xml" if path.suffix.lower() == ".svg" else "png"
    return f"data:image/{kind};base64," + base64.b64encode(data).decode("ascii")


def band_logo(
    project: Project, *, height: float, max_width: float, min_height: float
) -> PlacedLogo | None:
    """The logo for a brand-coloured band: ``logo_on_dark`` as is, else the logo on a plate."""
    if project.logo_on_dark is not None and project.logo_on_dark_data is not None:
        path, data, plate = project.logo_on_dark, project.logo_on_dark_data, False
    elif project.logo is not None and project.logo_data is not None:
        path, data, plate = project.logo, project.logo_data, True
    else:
        return None
    box = logo_box(
        logo_aspect(data, path.suffix), height=height, max_width=max_width, min_height=min_height
    )
    return PlacedLogo(logo_data_uri(path, data), box, plate)
