"""Every page of every gallery site in real Chromium, at 1280 and 375 px.

Nothing overflows sideways, and no grid of cards leaves a row (or a column)
mostly empty beside a full one. A full-page screenshot of each page at each
width goes to test-artifacts/gallery/VARIANT/site/.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from gallery_projects import LOGO_ASPECTS, VARIANTS

from conftest import serve_folder

#: the gallery_build and gallery_artifacts fixtures
pytest_plugins = ["gallery_projects"]

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDTHS = (1280, 375)

LAYOUT_JS = (Path(__file__).parent / "layout.js").read_text(encoding="utf-8")


def site_pages(site: Path) -> list[str]:
    """Every HTML page of a built site, as URL paths ('' for home)."""
    return [
        p.relative_to(site).as_posix().removesuffix("index.html")
        for p in sorted(site.rglob("*.html"))
    ]


def shot_name(path: str) -> str:
    """A file name for the page at URL path ``path``: 'index', 'clients-x', 'p-token'."""
    return path.strip("/").replace("/", "-").removesuffix(".html") or "index"


def layout_problems(page: Any) -> list[str]:
    """What layout.js finds wrong with the page now shown."""
    return list(page.evaluate(LAYOUT_JS))


#: the shortest a logo may be drawn on screen, in CSS px (issue 13)
LOGO_MIN_HEIGHT = 24


def logo_problems(page: Any, aspect: float) -> list[str]:
    """The header's logo drawn shorter than LOGO_MIN_HEIGHT or out of its own shape."""
    box = page.locator("header img.brand-logo").first.bounding_box()
    if box is None:
        return ["the header shows no logo"]
    problems = []
    if box["height"] < LOGO_MIN_HEIGHT - 0.5:
        problems.append(f"the logo is {box['height']:.1f}px tall (at least {LOGO_MIN_HEIGHT})")
    drawn = box["width"] / box["height"]
    if abs(drawn - aspect) > 0.02 * aspect:
        problems.append(f"the logo is drawn at {drawn:.2f}:1, its own shape is {aspect:.2f}:1")
    return problems


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_every_page_adapts_to_its_content(
    variant: str, browser: Any, gallery_build: Callable[[str, str], Path], gallery_artifacts: Path
) -> None:
    site = gallery_build(variant, "site") / "output" / "site"
    shots = gallery_artifacts / variant / "site"
    shots.mkdir(parents=True, exist_ok=True)
    failures: list[str] = []
    with serve_folder(site) as origin:
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 900})
            page = context.new_page()
            try:
                for path in site_pages(site):
                    page.goto(origin + path, wait_until="load")
                    problems = layout_problems(page)
                    if variant in LOGO_ASPECTS:
                        problems += logo_problems(page, LOGO_ASPECTS[variant])
                    failures += [f"/{path} at {width}px: {p}" for p in problems]
                    page.screenshot(
                        path=str(shots / f"{shot_name(path)}-{width}.png"), full_page=True
                    )
            finally:
                context.close()
    assert not failures, f"{variant}:\n" + "\n".join(failures)
