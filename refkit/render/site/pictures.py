"""The site's copies of ``contact.photo`` and of the profiles' images, under ``assets/``.

Each picture is published at a few widths (:mod:`refkit.text.images`), with
content-hashed names like every other asset; templates show it through the
``ui.picture`` macro (``srcset``, ``sizes``, width and height, ``alt``).
"""

from __future__ import annotations

from dataclasses import dataclass

from refkit.content.project import ImageFile, Project
from refkit.derive.layout import SITE, asset_path, hashed_name
from refkit.output import Output
from refkit.text.images import Variant, photo_variants, picture_variants


@dataclass(frozen=True)
class Source:
    """One published width of a picture: its site path and pixel size."""

    path: str
    width: int
    height: int


@dataclass(frozen=True)
class Picture:
    """A picture as the templates show it: every width, the default one, its alt text."""

    sources: tuple[Source, ...]
    alt: str

    @property
    def default(self) -> Source:
        """The ``src`` for browsers without ``srcset``: the middle width."""
        return self.sources[min(1, len(self.sources) - 1)]

    @property
    def width(self) -> int:
        """Intrinsic width of the default (the ``width`` attribute: no layout shift)."""
        return self.default.width

    @property
    def height(self) -> int:
        """Intrinsic height of the default."""
        return self.default.height


@dataclass(frozen=True)
class SitePictures:
    """The contact's photo, each profile's image (by slug), and their files."""

    photo: Picture | None
    profiles: dict[str, Picture]
    outputs: tuple[Output, ...]


def build_pictures(project: Project) -> SitePictures:
    """The resized copies of the project's pictures, ready for ``ui.picture``."""
    outputs: dict[str, Output] = {}

    def publish(stem: str, image: ImageFile, variants: tuple[Variant, ...]) -> Picture:
        sources = []
        for variant in variants:
            path = asset_path(hashed_name(f"{stem}-{variant.width}{variant.suffix}", variant.data))
            outputs[path] = Output(SITE + path, variant.data)
            sources.append(Source(path, variant.width, variant.height))
        return Picture(tuple(sources), image.alt)

    photo = None
    if project.photo is not None:
        photo = publish("photo", project.photo, photo_variants(project.photo.data))
    profiles = {
        slug: publish(slug, image, picture_variants(image.data))
        for slug, image in project.images.items()
    }
    return SitePictures(photo, profiles, tuple(outputs.values()))
