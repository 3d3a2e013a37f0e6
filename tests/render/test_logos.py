"""Logos of any shape (issue 13): sized by height within a maximum width, never distorted.

Logos are made here (SVG strings with viewBoxes from 1:3 to 8:1, PNGs drawn
with Pillow, a mark in the band's own colour), built into tmp_path and
measured where people see them: the site's header in real Chromium at 1280
and 375 px, the one-pagers' band through pdfplumber's positions, the report
and the HTML emails through their markup. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from bs4 import BeautifulSoup

from conftest import TODAY, build_site, cli_build, replace
from imagegen import png_logo, svg_logo
from refkit.content.project import load_project
from refkit.pipeline import build
from refkit.text.logos import FALLBACK_ASPECT, logo_aspect, logo_box

BUSINESS = "content/business.yaml"
BRAND = "#1d4e5f"  # the example's brand colour, the band's
LOGO_LINE = "logo: assets/logo.svg"
WIDTHS = (1280, 375)
LONG_NAME = "Harrington, Okonkwo-Villanueva & Partners Fractional People Operations"
PROFILE_PDF = "output/pdf/clients/first-hr-hire.pdf"


#: case name -> (file name, bytes or text, intrinsic aspect ratio)
LOGOS: dict[str, tuple[str, str | bytes, float]] = {
    "wordmark-6x1": ("wordmark.svg", svg_logo(600, 100), 6.0),
    "tall-1x2": ("tall.svg", svg_logo(100, 200), 0.5),
    "wordmark-8x1": ("wide.svg", svg_logo(800, 100), 8.0),
    "tall-1x3": ("slim.svg", svg_logo(60, 180), 1 / 3),
    "png-6x1": ("wordmark.png", png_logo(600, 100), 6.0),
    "png-1x2": ("tall.png", png_logo(120, 240), 0.5),
    "brand-coloured": ("mark.svg", svg_logo(64, 64, fill=BRAND), 1.0),
}


def logo_project(
    make_project: Callable[..., Path],
    case: str | None,
    *,
    name: str | None = None,
    on_dark: tuple[str, str | bytes] | None = None,
) -> Path:
    """The example with the logo of ``case`` (None: no logo), optionally renamed or with
    ``site.brand.logo_on_dark``."""
    files: dict[str, Any] = {}
    line = ""
    if case is not None:
        file, data, _ = LOGOS[case]
        files[f"content/assets/{file}"] = data
        line = f"logo: assets/{file}"
    if on_dark is not None:
        files[f"content/assets/{on_dark[0]}"] = on_dark[1]
        line += f"\n    logo_on_dark: assets/{on_dark[0]}"
    root = make_project(files)
    replace(root, BUSINESS, LOGO_LINE, line or "logo:")
    if case is None:
        replace(root, BUSINESS, "logo:", "# no logo")
    if name is not None:
        replace(root, BUSINESS, "name: Keel & Compass HR", f"name: {name}")
    return root


# --------------------------------------------------------------------------- the helper


def test_the_aspect_of_an_svg_comes_from_its_viewbox_else_its_size() -> None:
    assert logo_aspect(svg_logo(600, 100).encode(), "svg") == 6.0
    assert logo_aspect(b'<svg viewBox="0,0,60,180"/>', ".SVG") == pytest.approx(1 / 3)
    sized = b'<svg xmlns="http://www.w3.org/2000/svg" width="2in" height="48pt"/>'
    assert logo_aspect(sized, "svg") == pytest.approx(192 / 64)


@pytest.mark.parametrize(
    "data",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"/>',
        b'<svg viewBox="0 0 0 10"/>',
        b'<svg viewBox="nonsense"/>',
        b'<svg width="100%" height="40"/>',
        b"<svg",
        b"",
    ],
)
def test_an_svg_of_unknown_shape_counts_as_square(data: bytes) -> None:
    assert logo_aspect(data, "svg") == FALLBACK_ASPECT


def test_the_aspect_of_a_png_comes_from_its_pixels() -> None:
    assert logo_aspect(png_logo(600, 100), "png") == 6.0
    assert logo_aspect(png_logo(120, 240), "png") == 0.5
    assert logo_aspect(png_logo(600, 100)[:20], "png") == FALLBACK_ASPECT
    assert logo_aspect(b"GIF89a" + bytes(40), "png") == FALLBACK_ASPECT


def test_the_box_is_sized_by_height_within_a_maximum_width() -> None:
    square = logo_box(1.0, height=40, max_width=192, min_height=24)
    assert (square.width, square.height, square.wordmark) == (40, 40, False)
    wide = logo_box(8.0, height=40, max_width=192, min_height=24)
    assert (wide.width, wide.height, wide.wordmark) == (192, 24, True)
    wider = logo_box(12.0, height=40, max_width=192, min_height=24)
    assert wider.height == 24  # never below the readable minimum, even past 8:1
    tall = logo_box(1 / 3, height=40, max_width=192, min_height=24)
    assert (tall.width, tall.height) == (16, 48)


# --------------------------------------------------------------------------- the site


def _header(page: Any) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(
        """() => {
        const img = document.querySelector('.site-header .brand-logo');
        const header = document.querySelector('.site-header');
        const box = img ? img.getBoundingClientRect() : null;
        const overflowing = [...header.querySelectorAll('*')].filter(
            (el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5
        ).map((el) => el.className || el.tagName);
        return {
            width: box && box.width, height: box && box.height,
            natural: img && img.naturalWidth / img.naturalHeight,
            header: [header.scrollWidth, header.clientWidth],
            page: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
            overflowing,
            name: document.querySelector('.site-header .brand').innerText.trim(),
        };
    }"""
    )
    return result


def _headers(browser: Any, site: Path, shot: Path, height: int) -> Iterator[dict[str, Any]]:
    """The header of the home page measured at each width, screenshot to ``shot``-WIDTH.png."""
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 800})
        try:
            page = context.new_page()
            page.goto((site / "index.html").as_uri(), wait_until="load")
            measured = _header(page)
            page.screenshot(
                path=f"{shot}-{width}.png", clip={"x": 0, "y": 0, "width": width, "height": height}
            )
        finally:
            context.close()
        yield measured


def _assert_header_fits(measured: dict[str, Any]) -> None:
    assert measured["header"][0] <= measured["header"][1], measured
    assert measured["page"][0] <= measured["page"][1], measured
    assert not measured["overflowing"], measured


@pytest.mark.browser
@pytest.mark.parametrize("case", list(LOGOS))
def test_the_header_logo_keeps_its_shape_and_stays_readable(
    case: str, make_project: Callable[..., Path], browser: Any, artifacts: Path
) -> None:
    site = build_site(logo_project(make_project, case))
    aspect = LOGOS[case][2]
    for measured in _headers(browser, site, artifacts / f"logo-header-{case}", 160):
        assert measured["height"] >= 24, measured
        assert measured["width"] / measured["height"] == pytest.approx(aspect, rel=0.02)
        assert measured["natural"] == pytest.approx(aspect, rel=0.02)  # the file as made
        assert measured["width"] <= 192, measured
        _assert_header_fits(measured)


@pytest.mark.parametrize(("case", "wordmark"), [("wordmark-6x1", True), ("tall-1x2", False)])
def test_a_wordmark_stands_for_the_name_which_stays_for_screen_readers(
    case: str, wordmark: bool, make_project: Callable[..., Path]
) -> None:
    site = build_site(logo_project(make_project, case))
    soup = BeautifulSoup((site / "index.html").read_text(), "html.parser")
    brand = soup.select_one(".site-header .brand")
    assert brand is not None
    img, name = brand.select_one("img.brand-logo"), brand.select_one(".brand-name")
    assert img is not None and name is not None
    assert name.get_text(strip=True) == "Keel & Compass HR"  # the link's accessible name
    assert img["alt"] == ""  # not read twice
    assert ("visually-hidden" in name["class"]) is wordmark
    # no layout shift: the box is known before the file loads
    width, height = int(img["width"]), int(img["height"])
    assert width / height == pytest.approx(LOGOS[case][2], rel=0.02)


@pytest.mark.browser
@pytest.mark.parametrize("case", ["brand-coloured", "wordmark-8x1", None])
def test_a_long_business_name_never_overflows_the_header(
    case: str | None, make_project: Callable[..., Path], browser: Any, artifacts: Path
) -> None:
    site = build_site(logo_project(make_project, case, name=LONG_NAME))
    for measured in _headers(browser, site, artifacts / f"logo-header-long-name-{case}", 220):
        _assert_header_fits(measured)
        if case != "wordmark-8x1":
            assert LONG_NAME.split()[0] in measured["name"]


def test_a_project_without_a_logo_shows_its_name_as_text(
    make_project: Callable[..., Path],
) -> None:
    site = build_site(logo_project(make_project, None))
    soup = BeautifulSoup((site / "index.html").read_text(), "html.parser")
    brand = soup.select_one(".site-header .brand")
    assert brand is not None and brand.select_one("img") is None
    name = brand.select_one(".brand-name")
    assert name is not None and "visually-hidden" not in name["class"]
    assert name.get_text(strip=True) == "Keel & Compass HR"


def test_an_svg_without_a_viewbox_builds_as_a_square(make_project: Callable[..., Path]) -> None:
    root = make_project({"content/assets/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>'})
    site = build_site(root)
    img = BeautifulSoup((site / "index.html").read_text(), "html.parser").select_one(
        "img.brand-logo"
    )
    assert img is not None and img["width"] == img["height"] == "40"


# --------------------------------------------------------------------------- the one-pagers


def _band(pdf_path: Path) -> tuple[Any, dict[str, Any]]:
    """The first page and its band: the full-width rectangle at the top in the brand colour."""
    page = pdfplumber.open(pdf_path).pages[0]
    band = next(r for r in page.rects if r["top"] < 1 and r["x1"] - r["x0"] > page.width - 1)
    return page, band


def _in_band(objects: list[dict[str, Any]], band: dict[str, Any]) -> list[dict[str, Any]]:
    return [o for o in objects if o["bottom"] <= band["bottom"] and o["top"] >= band["top"]]


def _plates(page: Any, band: dict[str, Any], around: dict[str, Any]) -> list[dict[str, Any]]:
    """White filled rectangles in the band that hold ``around``."""
    return [
        r
        for r in _in_band(page.rects, band)
        if r["fill"]
        and tuple(round(c, 2) for c in r["non_stroking_color"]) == (1, 1, 1)
        and r["x0"] <= around["x0"]
        and r["x1"] >= around["x1"]
        and r["top"] <= around["top"]
        and r["bottom"] >= around["bottom"]
    ]


def _render_band(pdf: Path, artifacts: Path, name: str) -> None:
    """The top of a one-pager as a PNG, for people to look at."""
    subprocess.run(
        ["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", "-H", "300"]
        + [str(pdf), str(artifacts / f"logo-band-{name}")],
        check=True,
    )


@pytest.mark.parametrize(
    "case", ["png-6x1", "png-1x2", "brand-coloured", "wordmark-8x1", "tall-1x3"]
)
def test_the_band_logo_keeps_its_shape_on_a_light_plate(
    case: str, make_project: Callable[..., Path], artifacts: Path
) -> None:
    root = logo_project(make_project, case)
    build(root, only=["pdf"], today=TODAY, jobs=1)
    for pdf in (root / PROFILE_PDF, next((root / "output/pdf/partners").rglob("*.pdf"))):
        _render_band(pdf, artifacts, f"{case}-{pdf.parent.name}")
        page, band = _band(pdf)
        images = _in_band(page.images, band)
        if case.startswith("png"):  # a PNG stays an image in the PDF: measure it
            (logo,) = images
            width, height = logo["x1"] - logo["x0"], logo["bottom"] - logo["top"]
            assert height >= 22, logo
            assert width / height == pytest.approx(LOGOS[case][2], rel=0.02)
        else:  # WeasyPrint draws an SVG as paths: the band holds the mark's drawing
            drawn = [c for c in _in_band(page.curves, band) if c["fill"]]
            assert drawn, "no logo drawn in the band"
            logo = {
                "x0": min(c["x0"] for c in drawn),
                "x1": max(c["x1"] for c in drawn),
                "top": min(c["top"] for c in drawn),
                "bottom": max(c["bottom"] for c in drawn),
            }
        assert _plates(page, band, logo), "the logo is not on a light plate"


def test_logo_on_dark_is_drawn_on_the_band_and_the_header_keeps_the_logo(
    make_project: Callable[..., Path], artifacts: Path
) -> None:
    on_dark = png_logo(300, 100, fill="#ffffff", ink=BRAND)
    root = logo_project(make_project, "png-6x1", on_dark=("white.png", on_dark))
    build(root, only=["pdf", "site", "report"], today=TODAY, jobs=1)
    pdf = root / PROFILE_PDF
    _render_band(pdf, artifacts, "logo-on-dark")
    page, band = _band(pdf)
    (logo,) = _in_band(page.images, band)
    assert logo["srcsize"] == (300, 100)  # the on-dark file, not the logo (600 x 100)
    assert (logo["bottom"] - logo["top"]) >= 22
    assert (logo["x1"] - logo["x0"]) / (logo["bottom"] - logo["top"]) == pytest.approx(3, 0.02)
    assert not _plates(page, band, logo)  # made for the band: no plate
    home = BeautifulSoup((root / "output/site/index.html").read_text(), "html.parser")
    img = home.select_one(".site-header img.brand-logo")
    assert img is not None
    header_logo = (root / "output/site" / str(img["src"])).read_bytes()
    assert header_logo == LOGOS["png-6x1"][1]
    report = BeautifulSoup((root / "output/report/index.html").read_text(), "html.parser")
    shown = report.select_one("header.top .logo")
    assert shown is not None and "plate" not in shown["class"]
    shown_img = shown.select_one("img")
    assert shown_img is not None and (shown_img["width"], shown_img["height"]) == ("108", "36")


def test_an_svg_wordmark_builds_into_the_band_without_repeating_the_name(
    make_project: Callable[..., Path],
) -> None:
    root = logo_project(make_project, "wordmark-6x1")
    build(root, only=["pdf"], today=TODAY, jobs=1)
    page, band = _band(root / PROFILE_PDF)
    words = page.within_bbox((0, band["top"], page.width, band["bottom"])).extract_text()
    assert "Keel & Compass HR" not in words  # the wordmark says it


# --------------------------------------------------------------------------- the report


@pytest.mark.browser
@pytest.mark.parametrize("case", ["brand-coloured", "wordmark-8x1", "tall-1x3"])
def test_the_report_shows_the_logo_on_a_plate_in_its_band(
    case: str, make_project: Callable[..., Path], browser: Any, artifacts: Path
) -> None:
    root = logo_project(make_project, case)
    build(root, only=["report"], today=TODAY, jobs=1)
    context = browser.new_context(viewport={"width": 375, "height": 800})
    try:
        page = context.new_page()
        page.goto((root / "output/report/index.html").as_uri(), wait_until="load")
        box = page.locator("header.top .logo img").bounding_box()
        plate = page.locator("header.top .logo").evaluate(
            "el => getComputedStyle(el).backgroundColor"
        )
        page.screenshot(
            path=str(artifacts / f"logo-report-{case}.png"),
            clip={"x": 0, "y": 0, "width": 375, "height": 260},
        )
    finally:
        context.close()
    assert box is not None and box["height"] >= 24
    assert box["width"] / box["height"] == pytest.approx(LOGOS[case][2], rel=0.02)
    assert plate == "rgb(255, 255, 255)"


# --------------------------------------------------------------------------- content checks


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("../../etc/passwd", "'../../etc/passwd' must be a file under content/assets"),
        ("assets/missing.svg", "'assets/missing.svg' not found"),
        ("assets/notes.txt", "'assets/notes.txt' must be an SVG or PNG file"),
    ],
)
def test_logo_on_dark_is_checked_like_the_logo(
    value: str, message: str, make_project: Callable[..., Path]
) -> None:
    root = make_project({"content/assets/notes.txt": "hi"})
    replace(root, BUSINESS, LOGO_LINE, f"{LOGO_LINE}\n    logo_on_dark: {value}")
    code, output = cli_build(root)
    assert code == 1
    text = (root / BUSINESS).read_text(encoding="utf-8").splitlines()
    line = next(n for n, row in enumerate(text, 1) if "logo_on_dark:" in row)
    assert f"{BUSINESS}:{line}:19: error: site.brand.logo_on_dark: {message}" in output


def test_logo_on_dark_is_sanitised_like_the_logo(make_project: Callable[..., Path]) -> None:
    hostile = svg_logo(64, 64).replace("</svg>", "<script>alert(1)</script></svg>")
    root = make_project({"content/assets/white.svg": hostile})
    replace(root, BUSINESS, LOGO_LINE, f"{LOGO_LINE}\n    logo_on_dark: assets/white.svg")
    project = load_project(root)
    assert project.logo_on_dark_data is not None
    assert b"<script" not in project.logo_on_dark_data
    assert any(w.path == "content/assets/white.svg" for w in project.warnings)


# --------------------------------------------------------------------------- the emails


def _email_logos(root: Path, draft: str) -> list[Any]:
    html = (root / "output/email" / f"{draft}.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser").select("img")


def test_our_emails_link_the_sites_png_logo_with_its_size(
    make_project: Callable[..., Path],
) -> None:
    root = logo_project(make_project, "png-6x1")
    build(root, only=["site", "pdf", "email"], today=TODAY, jobs=1)
    (img,) = _email_logos(root, "helen-marsh/check-in")
    base = "https://partners.keelcompasshr.com/"
    assert img["src"].startswith(base + "assets/logo.")
    published = root / "output/site" / img["src"].removeprefix(base)
    assert published.read_bytes() == LOGOS["png-6x1"][1]
    assert (img["width"], img["height"]) == ("192", "32")  # attributes: clients ignore CSS
    assert img["alt"] == "Keel & Compass HR"
    eml = (root / "output/email/helen-marsh/check-in.eml").read_bytes()
    assert img["src"].encode() in eml.replace(b"=\r\n", b"").replace(b"=\n", b"")
    # the partner writes these: no logo of ours under their name
    assert _email_logos(root, "helen-marsh/introduction") == []


@pytest.mark.parametrize(
    ("case", "base_url"), [("wordmark-6x1", True), ("png-6x1", False)], ids=["svg", "no-base-url"]
)
def test_emails_show_no_logo_a_mail_client_would_break(
    case: str, base_url: bool, make_project: Callable[..., Path]
) -> None:
    root = logo_project(make_project, case)
    if not base_url:
        replace(root, BUSINESS, "base_url: https://partners.keelcompasshr.com/", "")
    build(root, only=["pdf", "email"], today=TODAY, jobs=1)
    assert _email_logos(root, "_generic/check-in") == []


@pytest.mark.parametrize(
    ("size", "shape"), [((1200, 100), "12:1 (wide)"), ((100, 400), "1:4 (tall)")]
)
def test_check_warns_of_a_logo_beyond_the_shapes_that_read(
    size: tuple[int, int], shape: str, make_project: Callable[..., Path]
) -> None:
    root = make_project({"content/assets/logo.svg": svg_logo(*size)})
    warnings = [str(w) for w in load_project(root).warnings]
    expected = f"site.brand.logo: the logo is {shape}; logos from 1:3 to 8:1"
    assert any(expected in w for w in warnings), warnings
    # the shapes that read are quiet
    quiet = make_project({"content/assets/logo.svg": svg_logo(800, 100)})
    assert not any("the logo is" in str(w) for w in load_project(quiet).warnings)
