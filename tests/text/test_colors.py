"""The one contrast rule and the brand palette."""

from __future__ import annotations

import pytest

from refkit.text.colors import brand_palette, contrast_ratio


@pytest.mark.parametrize(
    "color", ["#1d4e5f", "#ffd400", "#777777", "#000000", "#ffffff", "#e34", "#3fa7ff"]
)
def test_brand_palette_is_readable(color: str) -> None:
    palette = brand_palette(color)
    assert contrast_ratio(palette.brand, palette.on_brand) >= 4.5
    assert contrast_ratio(palette.ink, "#ffffff") >= 4.5
    assert contrast_ratio(palette.ink, palette.tint) >= 4.5
    assert contrast_ratio(palette.ink, palette.tint_strong) >= 4.5
    assert contrast_ratio(palette.deep, palette.on_deep) >= 4.5
