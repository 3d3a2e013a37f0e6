"""Small test images made with Pillow at test time (no binaries in the repository)."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

#: EXIF tags: Orientation, and the GPS IFD pointer
ORIENTATION = 0x0112
GPS_IFD = 0x8825


def make_image(
    width: int = 800,
    height: int = 1000,
    fmt: str = "JPEG",
    *,
    alpha: bool = False,
    gps: bool = False,
    orientation: int | None = None,
) -> bytes:
    """A portrait-like test picture: a gradient background and a 'face' disc.

    ``gps`` adds GPS EXIF (a location a published photo must not leak);
    ``orientation`` sets the EXIF Orientation tag (6: shown rotated 90 degrees).
    """
    mode = "RGBA" if alpha else "RGB"
    image = Image.new(mode, (width, height), (40, 90, 120, 0 if alpha else 255))
    draw = ImageDraw.Draw(image)
    for y in range(0, height, 8):
        shade = 60 + 120 * y // max(1, height)
        draw.rectangle((0, y, width, y + 8), fill=(shade, 120, 200 - shade // 2, 255))
    side = min(width, height)
    draw.ellipse(
        (width / 2 - side / 4, height * 0.3 - side / 4)
        + (width / 2 + side / 4, height * 0.3 + side / 4),
        fill=(230, 190, 160, 255),
    )
    if alpha:
        draw.rectangle((0, 0, width // 4, height // 4), fill=(0, 0, 0, 0))
    exif = Image.Exif()
    if orientation is not None:
        exif[ORIENTATION] = orientation
    if gps:
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (43.0, 2.0, 30.0), 3: "W", 4: (87.0, 54.0, 0.0)})
    buffer = io.BytesIO()
    extra = {"exif": exif.tobytes()} if (gps or orientation is not None) else {}
    image.save(buffer, fmt, **extra)
    return buffer.getvalue()


def pixel_size(data: bytes) -> tuple[int, int]:
    """The (width, height) of encoded image bytes."""
    with Image.open(io.BytesIO(data)) as image:
        return image.size


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` x ``height`` pixels and holds none (a decompression bomb's
    header: opening it is cheap, decoding it would not be)."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


def svg_logo(
    width: int, height: int, fill: str = "#b8452f", word: str = "KEEL &amp; COMPASS"
) -> str:
    """A logo of ``width`` x ``height`` (its viewBox): a mark, and a word when it is wide."""
    side = min(width, height)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}">',
        f'<circle cx="{side / 2}" cy="{side / 2}" r="{side * 0.45}" fill="{fill}"/>',
        f'<path d="M{side * 0.3} {side * 0.65} L{side / 2} {side * 0.25} L{side * 0.7} '
        f'{side * 0.65} Z" fill="#ffffff"/>',
    ]
    if width >= 2 * height:
        parts.append(
            f'<text x="{side * 1.15}" y="{height * 0.74}" font-family="sans-serif" '
            f'font-weight="700" font-size="{height * 0.62}" fill="{fill}" '
            f'textLength="{width - side * 1.25}" lengthAdjust="spacingAndGlyphs">{word}</text>'
        )
    elif height > width:
        parts.append(
            f'<rect x="{width * 0.1}" y="{side * 1.1}" width="{width * 0.8}" '
            f'height="{height - side * 1.2}" rx="{width * 0.1}" fill="{fill}"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def png_logo(width: int, height: int, fill: str = "#b8452f", ink: str = "#ffffff") -> bytes:
    """A PNG logo of ``width`` x ``height`` pixels, transparent around a rounded bar."""
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, width - 1, height - 1), radius=min(width, height) // 5, fill=fill)
    side = min(width, height)
    draw.ellipse((side * 0.2, side * 0.2, side * 0.8, side * 0.8), fill=ink)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
