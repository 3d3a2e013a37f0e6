"""Logos of any shape: the intrinsic aspect ratio of an SVG or PNG, and the box to draw it in.

Every output sizes a logo by height with a maximum width, so a square mark
and an 8:1 wordmark both read: the box keeps the logo's own aspect ratio
(never distorted), a wide logo capped by the maximum width gets shorter, but
never shorter than the output's readable minimum. Pure: bytes in, numbers out.
"""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET
from dataclasses import dataclass

#: the shapes (width / height) every output shows at a readable size
LOGO_ASPECTS = (1 / 3, 8.0)
#: a logo this wide (width / height) is taken to be a wordmark: it shows the
#: business's name itself, so the name is not set again beside it
WORDMARK_ASPECT = 2.5
#: the ratio of a logo whose size cannot be read (no viewBox, a broken file)
FALLBACK_ASPECT = 1.0

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
#: CSS units of an SVG's width and height, in px (relative units have no size here)
_UNITS = {
    "": 1.0,
    "px": 1.0,
    "pt": 4 / 3,
    "pc": 16.0,
    "in": 96.0,
    "cm": 96 / 2.54,
    "mm": 9.6 / 2.54,
}


@dataclass(frozen=True)
class LogoBox:
    """Where a logo is drawn: its width and height (in the output's unit), and its shape."""

    width: float
    height: float
    #: wide enough to be a wordmark (see WORDMARK_ASPECT)
    wordmark: bool


def logo_aspect(data: bytes, kind: str) -> float:
    """Width / height of a logo (``kind`` ``svg`` or ``png``); FALLBACK_ASPECT if unreadable."""
    size = _png_size(data) if kind.lower().lstrip(".") == "png" else _svg_size(data)
    if size is None:
        return FALLBACK_ASPECT
    width, height = size
    return width / height


def logo_box(aspect: float, *, height: float, max_width: float, min_height: float) -> LogoBox:
    """The box of a logo sized by ``height`` within ``max_width``, never under ``min_height``.

    A tall logo (aspect under 1) gets a fifth more height, so that a 1:3 mark
    is not a sliver beside a square one.
    """
    wanted = height * 1.2 if aspect < 1 else height
    shown = max(min_height, min(wanted, max_width / aspect))
    return LogoBox(round(shown * aspect, 1), round(shown, 1), aspect >= WORDMARK_ASPECT)


def _png_size(data: bytes) -> tuple[int, int] | None:
    """The width and height in a PNG's IHDR chunk (always its first)."""
    if len(data) < 24 or not data.startswith(_PNG_SIGNATURE) or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return (width, height) if width > 0 and height > 0 else None


def _svg_size(data: bytes) -> tuple[float, float] | None:
    """An SVG's viewBox size, else its width and height in absolute units."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        return None
    numbers = [float(n) for n in _NUMBER.findall(root.get("viewBox", ""))]
    if len(numbers) == 4 and numbers[2] > 0 and numbers[3] > 0:
        return numbers[2], numbers[3]
    width, height = _length(root.get("width")), _length(root.get("height"))
    if width is None or height is None:
        return None
    return width, height


def _length(value: str | None) -> float | None:
    """An SVG length (``120``, ``32px``, ``1in``) in px; None for a percentage or nonsense."""
    match = re.fullmatch(r"\s*(" + _NUMBER.pattern + r")\s*([a-z]*)\s*", value or "")
    if match is None or match.group(2) not in _UNITS:
        return None
    length = float(match.group(1)) * _UNITS[match.group(2)]
    return length if length > 0 else None
