"""Share images (Open Graph ``og:image``): a 1200 x 630 PNG per public page, drawn with Pillow.

A pure function of its inputs (the business name, the page's headline, the
brand palette, a PNG logo and the font files), so the same page gets the
same bytes and the same content-hashed name in every build.

The layout: the brand colour as the background, a darker band at the foot,
the logo (on a white plate, so a logo the colour of the brand stays visible)
or the business name as a wordmark at the top, the headline large in the
middle, wrapped and shrunk to fit (never overflowing), the site's address
in the foot band.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from refkit.text.colors import Palette

if TYPE_CHECKING:
    from PIL import Image as PILImage
    from PIL import ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
FOOT = 96  # height of the darker band at the foot
#: the headline's sizes, largest first, and at most this many lines
HEADLINE_SIZES = (76, 68, 60, 54, 48, 44, 40)
HEADLINE_LINES = 3
LOGO_HEIGHT = 64
LOGO_MAX_WIDTH = 380


@dataclass(frozen=True)
class ShareFonts:
    """The font files the images are set in (OpenType or TrueType)."""

    bold: Path
    semibold: Path
    regular: Path

    def files(self) -> tuple[Path, ...]:
        """Every font file."""
        return (self.bold, self.semibold, self.regular)


def share_image(
    *,
    name: str,
    headline: str,
    palette: Palette,
    fonts: ShareFonts,
    logo_png: bytes | None = None,
    address: str | None = None,
) -> bytes:
    """The PNG bytes of one page's share image."""
    from PIL import Image, ImageColor, ImageDraw

    on_brand, deep, on_deep = palette.on_brand, palette.deep, palette.on_deep
    image = Image.new("RGB", (WIDTH, HEIGHT), palette.brand)
    draw = ImageDraw.Draw(image)
    # a quiet accent: a large disc a third of the way to the deeper shade, mostly off the
    # right edge
    shade = tuple(
        round(a + (b - a) * 0.35)
        for a, b in zip(ImageColor.getrgb(palette.brand), ImageColor.getrgb(deep), strict=False)
    )
    draw.ellipse((WIDTH - 250, -300, WIDTH + 450, 400), fill=shade[:3])
    draw.rectangle((0, HEIGHT - FOOT, WIDTH, HEIGHT), fill=deep)
    top = MARGIN - 16
    logo = _logo(logo_png)
    if logo is not None:
        pad = 14
        plate = (MARGIN, top, MARGIN + logo.width + 2 * pad, top + logo.height + 2 * pad)
        draw.rounded_rectangle(plate, radius=12, fill=(255, 255, 255))
        image.paste(logo, (MARGIN + pad, top + pad), logo)
        header_bottom = plate[3]
        name_font = _font(fonts.semibold, 30)
        name_lines = _wrap(name, name_font, WIDTH - MARGIN - plate[2] - 24, 1, ellipsis=True)
        if name_lines is not None:
            _text(
                draw,
                (plate[2] + 24, (plate[1] + plate[3]) // 2),
                name_lines[0],
                name_font,
                on_brand,
                anchor="lm",
            )
    else:
        header_bottom = _wordmark(draw, name, fonts, on_brand, top)
    # the headline: as large as fits the room between the header and the foot band
    room_top, room_bottom = header_bottom + 40, HEIGHT - FOOT - 48
    lines, font = _fit_headline(
        headline, fonts.bold, WIDTH - 2 * MARGIN - 80, room_bottom - room_top
    )
    size = round(font.size)
    leading = round(size * 1.12)
    block = leading * (len(lines) - 1) + size
    y = room_top + max(0, (room_bottom - room_top - block) // 2)
    for line in lines:
        _text(draw, (MARGIN, y), line, font, on_brand, anchor="lt")
        y += leading
    # a short rule in the brand colour's light tint, above the headline's first line
    tint = palette.tint_strong
    rule_y = room_top + max(0, (room_bottom - room_top - block) // 2) - 22
    draw.rectangle((MARGIN, rule_y, MARGIN + 72, rule_y + 6), fill=tint)
    if address:
        foot_font = _font(fonts.semibold, 28)
        shown = _wrap(address, foot_font, WIDTH - 2 * MARGIN, 1, ellipsis=True)
        if shown is not None:
            _text(draw, (MARGIN, HEIGHT - FOOT // 2), shown[0], foot_font, on_deep, anchor="lm")
    buffer = io.BytesIO()
    # zlib level 6: a few per cent larger than optimize=True at half the time
    image.save(buffer, "PNG", compress_level=6)
    return buffer.getvalue()


def _wordmark(draw: ImageDraw.ImageDraw, name: str, fonts: ShareFonts, color: str, top: int) -> int:
    """The business name set large at the top (no raster logo); returns its bottom edge."""
    for size in (44, 38, 34, 30):
        font = _font(fonts.bold, size)
        lines = _wrap(name, font, WIDTH - 2 * MARGIN - 200, 2)
        if lines is not None:
            break
    else:
        font = _font(fonts.bold, 30)
        lines = _wrap(name, font, WIDTH - 2 * MARGIN - 200, 2, ellipsis=True) or [name]
    y = top
    for line in lines:
        _text(draw, (MARGIN, y), line, font, color, anchor="lt")
        y += round(font.size * 1.15)
    return y


def _fit_headline(
    text: str, path: Path, width: int, height: int
) -> tuple[list[str], ImageFont.FreeTypeFont]:
    """The largest size at which ``text`` fits ``width`` x ``height``; the smallest, cut
    with an ellipsis, when it fits at none."""
    for size in HEADLINE_SIZES:
        font = _font(path, size)
        max_lines = min(HEADLINE_LINES, max(1, (height - size) // round(size * 1.12) + 1))
        lines = _wrap(text, font, width, max_lines)
        if lines is not None:
            return lines, font
    size = HEADLINE_SIZES[-1]
    font = _font(path, size)
    max_lines = min(HEADLINE_LINES + 1, max(1, (height - size) // round(size * 1.12) + 1))
    return _wrap(text, font, width, max_lines, ellipsis=True) or [text[:40]], font


def _wrap(
    text: str, font: ImageFont.FreeTypeFont, width: int, max_lines: int, *, ellipsis: bool = False
) -> list[str] | None:
    """``text`` in lines no wider than ``width``; None when it needs more than ``max_lines``
    (or, with ``ellipsis``, the first lines with the last cut short by an ellipsis)."""
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        # a word wider than a line is broken where it meets the edge
        while font.getlength(word) > width:
            cut = max(1, _fitting(word, font, width))
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:cut])
            word = word[cut:]
        candidate = f"{current} {word}".strip()
        if font.getlength(candidate) <= width:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) <= max_lines:
        return lines
    if not ellipsis:
        return None
    kept = lines[:max_lines]
    last = kept[-1]
    while last and font.getlength(last + "…") > width:
        last = last[:-1].rstrip()
    kept[-1] = last + "…"
    return kept


def _fitting(word: str, font: ImageFont.FreeTypeFont, width: int) -> int:
    """How many characters of ``word`` fit in ``width``."""
    count = 0
    while count < len(word) and font.getlength(word[: count + 1]) <= width:
        count += 1
    return count


def _logo(data: bytes | None) -> PILImage.Image | None:
    """The PNG logo scaled to the header's height (and a maximum width), as RGBA."""
    if data is None:
        return None
    from PIL import Image

    with Image.open(io.BytesIO(data)) as opened:
        logo = opened.convert("RGBA")
    scale = min(LOGO_HEIGHT / logo.height, LOGO_MAX_WIDTH / logo.width)
    size = (max(1, round(logo.width * scale)), max(1, round(logo.height * scale)))
    return logo.resize(size, Image.Resampling.LANCZOS)


def _text(
    draw: ImageDraw.ImageDraw,
    xy: tuple[int, int],
    text: str,
    font: ImageFont.FreeTypeFont,
    color: str,
    *,
    anchor: str,
) -> None:
    draw.text(xy, text, font=font, fill=color, anchor=anchor)


def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    return ImageFont.truetype(str(path), size)
