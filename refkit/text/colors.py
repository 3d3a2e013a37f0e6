"""Colours: the default brand colour, the one contrast rule (WCAG 2.1), the palette.

Every output that puts text on the brand colour (the site, the one-pagers,
the report, the emails) takes its colours from :func:`brand_palette`, so each
pair of text and background reads at 4.5:1 or better.
"""

from __future__ import annotations

from dataclasses import dataclass

#: the brand colour of a project that sets no ``site.brand.color``
DEFAULT_BRAND = "#1d4e5f"
#: the near-black used for text where black would be harsh
DARK_TEXT = "#0e1416"
#: WCAG 2.1 AA for normal text
AA = 4.5
#: body text on white, everywhere (site, one-pagers, report, emails)
TEXT = "#1b2327"


def _rgb(color: str) -> tuple[float, float, float]:
    value = color.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return (int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in rgb)


def _mix(color: str, other: str, amount: float) -> str:
    """``amount`` of ``other`` mixed into ``color`` (sRGB, like CSS color-mix)."""
    a, b = _rgb(color), _rgb(other)
    mixed = tuple(x + (y - x) * amount for x, y in zip(a, b, strict=True))
    return _hex((mixed[0], mixed[1], mixed[2]))


def relative_luminance(color: str) -> float:
    """WCAG 2.1 relative luminance of a hex colour."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(one: str, two: str) -> float:
    """WCAG 2.1 contrast ratio of two hex colours (1 to 21)."""
    high, low = sorted((relative_luminance(one), relative_luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_on(background: str) -> str:
    """White or near-black, whichever reads better on ``background`` (AA when possible)."""
    best = max(("#ffffff", DARK_TEXT), key=lambda c: contrast_ratio(background, c))
    return best if contrast_ratio(background, best) >= AA else "#000000"


def _readable_on(color: str, background: str, minimum: float = 4.6) -> str:
    """``color`` darkened (or lightened) just enough to reach ``minimum`` on ``background``."""
    toward = "#000000" if relative_luminance(background) > 0.18 else "#ffffff"
    for step in range(0, 101, 2):
        candidate = _mix(color, toward, step / 100)
        if contrast_ratio(candidate, background) >= minimum:
            return candidate
    return toward


@dataclass(frozen=True)
class Palette:
    """The brand colour and the colours derived from it, each pair AA-readable."""

    brand: str
    on_brand: str
    ink: str
    tint: str
    tint_strong: str
    deep: str
    on_deep: str
    #: body text on white
    text: str = TEXT

    def css(self) -> str:
        """The palette as CSS custom properties."""
        return (
            ":root{"
            f"--brand:{self.brand};--on-brand:{self.on_brand};--ink:{self.ink};"
            f"--tint:{self.tint};--tint-strong:{self.tint_strong};"
            f"--deep:{self.deep};--on-deep:{self.on_deep};--text:{self.text}"
            "}\n"
        )


def brand_palette(color: str | None) -> Palette:
    """Derive the site's colours from ``site.brand.color``."""
    brand = _hex(_rgb(color or DEFAULT_BRAND))
    tint = _mix(brand, "#ffffff", 0.93)
    tint_strong = _mix(brand, "#ffffff", 0.84)
    ink = _readable_on(brand, tint_strong)
    deep = _mix(brand, "#000000", 0.45)
    return Palette(
        brand=brand,
        on_brand=text_on(brand),
        ink=ink,
        tint=tint,
        tint_strong=tint_strong,
        deep=deep,
        on_deep=text_on(deep),
    )
