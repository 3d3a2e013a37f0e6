"""Raster images: checking what a project gives, and the resized copies every output shows.

Pure functions of bytes (no files): the content stage checks a photo or a
profile image with :func:`inspect_image`; the site, the one-pagers and the
vCard show copies made by :func:`photo_variants` and :func:`picture_variants`.
Every copy is orientation-corrected (EXIF), converted to sRGB, stripped of
all metadata (no EXIF, GPS or comments reach a visitor), never upscaled, and
the same bytes for the same input (content-hashed names stay stable).

Pillow is imported only when an image is checked or made.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image as PILImage

#: the file types refkit accepts, by suffix, with the format Pillow must find inside
IMAGE_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}

#: more pixels than this is refused before decoding (a 40-megapixel photo is
#: already larger than any camera's; a "decompression bomb" is far larger)
MAX_PIXELS = 40_000_000

#: widths of the square crops of ``contact.photo`` (CSS pixels x1, x2, x4 of a 160 px face)
PHOTO_WIDTHS = (160, 320, 640)

#: widths of a profile ``image`` (a column, a page width, a retina page width)
PICTURE_WIDTHS = (480, 960, 1600)

_JPEG_QUALITY = 82


class ImageProblem(ValueError):
    """Why bytes are not an image refkit can publish (a one-line message)."""


@dataclass(frozen=True)
class Variant:
    """One resized copy: its pixel size, its encoded bytes and its file suffix."""

    width: int
    height: int
    data: bytes
    suffix: str  # ".jpg" or ".png"

    @property
    def media_type(self) -> str:
        """``image/jpeg`` or ``image/png``."""
        return "image/png" if self.suffix == ".png" else "image/jpeg"

    def data_uri(self) -> str:
        """The copy as a ``data:`` URI (the one-pagers embed their images)."""
        return f"data:{self.media_type};base64," + base64.b64encode(self.data).decode("ascii")


def inspect_image(data: bytes, suffix: str) -> tuple[int, int]:
    """The (width, height) of an image as shown (EXIF rotation applied), or ImageProblem.

    Refuses a file whose content is not the type its suffix names, one of more
    than :data:`MAX_PIXELS`, and one that is broken or truncated (it is decoded
    in full here, so a build never meets it half-way).
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    expected = IMAGE_FORMATS.get(suffix.lower())
    if expected is None:
        raise ImageProblem("must be a JPEG, PNG or WebP file (.jpg, .jpeg, .png or .webp)")
    try:
        with Image.open(io.BytesIO(data), formats=list(set(IMAGE_FORMATS.values()))) as image:
            if image.format != expected:
                raise ImageProblem(
                    f"is a {image.format} image, not the {expected} its name says: "
                    "convert it, or rename it"
                )
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ImageProblem(
                    f"is {width} x {height} pixels ({width * height / 1e6:.0f} megapixels), "
                    f"more than the {MAX_PIXELS // 1_000_000} refkit accepts: scale it down"
                )
            _load_strictly(image)
            shown = ImageOps.exif_transpose(image)
            return shown.size
    except ImageProblem:
        raise
    except Image.DecompressionBombError:
        raise ImageProblem(
            f"has far more pixels than the {MAX_PIXELS // 1_000_000} megapixels refkit accepts "
            "(it could not be decoded safely): scale it down"
        ) from None
    except UnidentifiedImageError:
        raise ImageProblem(f"is not a readable {expected} image (the file is broken)") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        # a truncated file ("image file is truncated"), a corrupt chunk, a bad header
        raise ImageProblem(f"is broken or truncated and cannot be read ({exc})") from None


def _load_strictly(image: PILImage.Image) -> None:
    """Decode every pixel, a truncated file an error even where WeasyPrint (imported
    in this process) has told Pillow to accept truncated images."""
    from PIL import ImageFile

    lenient = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        image.load()
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient


def photo_variants(data: bytes) -> tuple[Variant, ...]:
    """Square JPEG crops of a portrait at :data:`PHOTO_WIDTHS` (no larger than the source)."""
    return _variants(data, PHOTO_WIDTHS, square=True)


def picture_variants(data: bytes) -> tuple[Variant, ...]:
    """A picture at :data:`PICTURE_WIDTHS` wide (no larger than the source), JPEG or PNG.

    PNG (with its alpha channel) only when the source is transparent somewhere.
    """
    return _variants(data, PICTURE_WIDTHS, square=False)


def nearest(variants: Iterable[Variant], width: int) -> Variant:
    """The smallest variant at least ``width`` pixels wide, else the largest."""
    ordered = sorted(variants, key=lambda v: v.width)
    return next((v for v in ordered if v.width >= width), ordered[-1])


def encode_jpeg(variant: Variant) -> bytes:
    """``variant`` as JPEG bytes (a PNG flattened onto white): a vCard's PHOTO is JPEG."""
    if variant.suffix == ".jpg":
        return variant.data
    from PIL import Image

    with Image.open(io.BytesIO(variant.data)) as image:
        return _save(_flatten(image), ".jpg")


@lru_cache(maxsize=32)
def _variants(data: bytes, widths: tuple[int, ...], *, square: bool) -> tuple[Variant, ...]:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as opened:
        image = _srgb(opened)
    if square:
        image = _flatten(_square(image))
        suffix = ".jpg"
    elif image.mode == "RGBA" and _transparent(image):
        suffix = ".png"
    else:
        image = _flatten(image)
        suffix = ".jpg"
    out: list[Variant] = []
    # never upscaled: widths above the source's are dropped, the source's own width kept
    sizes = [w for w in widths if w < image.width] + [min(image.width, widths[-1])]
    for width in sorted(set(sizes)):
        height = max(1, round(image.height * width / image.width))
        resized = image if width == image.width else _resize(image, width, height)
        out.append(Variant(width, height, _save(resized, suffix), suffix))
    return tuple(out)


def _srgb(image: PILImage.Image) -> PILImage.Image:
    """The pixels only, upright, in sRGB, as RGB or RGBA: no metadata survives."""
    from PIL import Image, ImageOps

    upright = ImageOps.exif_transpose(image)
    icc = image.info.get("icc_profile")
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or (
        upright.mode == "P" and "transparency" in upright.info
    )
    pixels = upright.convert("RGBA" if has_alpha else "RGB")
    if icc:
        pixels = _to_srgb(pixels, icc)
    # a fresh image holds no info dict: EXIF, GPS, XMP, ICC and comments stay behind
    clean = Image.new(pixels.mode, pixels.size)
    clean.paste(pixels)
    return clean


def _transparent(image: PILImage.Image) -> bool:
    """Whether any pixel of an RGBA image is less than opaque."""
    low = image.getchannel("A").getextrema()[0]
    return bool(isinstance(low, (int, float)) and low < 255)


def _to_srgb(pixels: PILImage.Image, icc: bytes) -> PILImage.Image:
    """``pixels`` converted from their embedded colour profile to sRGB (as they are if
    the profile is broken or littleCMS is missing)."""
    try:
        from PIL import ImageCms
    except ImportError:
        return pixels
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(
            pixels, source, ImageCms.createProfile("sRGB"), outputMode=pixels.mode
        )
    except (OSError, ValueError, TypeError, ImageCms.PyCMSError):
        return pixels
    return converted if converted is not None else pixels


def _square(image: PILImage.Image) -> PILImage.Image:
    """The largest centred square; in a portrait, a little above centre, where faces are."""
    side = min(image.size)
    left = (image.width - side) // 2
    top = round((image.height - side) * 0.3)
    return image.crop((left, top, left + side, top + side))


def _flatten(image: PILImage.Image) -> PILImage.Image:
    """RGB, transparent pixels set on white."""
    from PIL import Image

    if image.mode == "RGB":
        return image
    rgba = image.convert("RGBA")
    white = Image.new("RGB", rgba.size, (255, 255, 255))
    white.paste(rgba, mask=rgba.getchannel("A"))
    return white


def _resize(image: PILImage.Image, width: int, height: int) -> PILImage.Image:
    from PIL import Image

    return image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def _save(image: PILImage.Image, suffix: str) -> bytes:
    buffer = io.BytesIO()
    if suffix == ".png":
        image.save(buffer, "PNG", optimize=True)
    else:
        image.save(buffer, "JPEG", quality=_JPEG_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()
