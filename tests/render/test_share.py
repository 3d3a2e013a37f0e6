"""Share images: every public page's og:image is a 1200 x 630 PNG; none on private pages."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from conftest import TODAY, write_project
from imagegen import make_image
from refkit.pipeline import build
from refkit.render.site import sharing
from refkit.resources import static_dir
from refkit.text.colors import brand_palette
from refkit.text.share import HEIGHT, WIDTH, ShareFonts, share_image

FONTS = ShareFonts(*(static_dir() / name for name in sharing.SHARE_FONTS))


def pages(site: Path) -> dict[Path, BeautifulSoup]:
    return {
        path: BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for path in sorted(site.rglob("*.html"))
    }


def meta(page: BeautifulSoup, key: str) -> str | None:
    tag = page.find("meta", attrs={"property": key}) or page.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = write_project(tmp_path_factory.mktemp("share"))
    build(root, only=["site"], today=TODAY, jobs=1)
    return root / "output" / "site"


def test_every_public_page_has_an_absolute_1200x630_png(site) -> None:
    base = "https://partners.keelcompasshr.com/"
    public = {p: s for p, s in pages(site).items() if s.find("link", rel="canonical")}
    assert len(public) >= 6  # home, about, refer, three profiles, a public partner
    for path, page in public.items():
        url = meta(page, "og:image")
        assert url and url.startswith(base + "assets/share-"), path
        data = (site / url.removeprefix(base)).read_bytes()
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == "PNG" and image.size == (WIDTH, HEIGHT) == (1200, 630)
        assert meta(page, "og:image:width") == "1200" and meta(page, "og:image:height") == "630"
        assert meta(page, "og:image:alt")
        assert meta(page, "twitter:card") == "summary_large_image"
    files = {meta(page, "og:image") for page in public.values()}
    assert len(files) == len(public)  # each page says its own title
    assert len(list((site / "assets").glob("share-*.png"))) == len(public)


def test_private_pages_get_none(site) -> None:
    private = [
        (path, page)
        for path, page in pages(site).items()
        if page.find("meta", attrs={"name": "robots", "content": "noindex, nofollow"})
    ]
    assert len(private) >= 5
    for path, page in private:
        assert meta(page, "og:image") is None, path
        assert meta(page, "twitter:card") is None, path
        assert not page.find("meta", property=True), path  # no og:title naming the partner


def test_without_base_url_the_url_is_relative(make_project) -> None:
    root = make_project()
    business = root / "content" / "business.yaml"
    text = business.read_text(encoding="utf-8")
    business.write_text(
        "\n".join(line for line in text.splitlines() if "base_url:" not in line) + "\n"
    )
    build(root, only=["site"], today=TODAY, jobs=1)
    site = root / "output" / "site"
    about = site / "about" / "index.html"
    page = BeautifulSoup(about.read_text(encoding="utf-8"), "html.parser")
    url = meta(page, "og:image")
    assert url and url.startswith("../assets/share-about.")
    assert (about.parent / url).is_file()
    # a preview still has its title and words, only no og:url to point at
    assert meta(page, "og:title") == page.title.get_text()
    assert meta(page, "og:description") and meta(page, "og:site_name")
    assert meta(page, "og:url") is None


def test_a_png_logo_is_drawn_and_an_svg_one_is_not(make_project) -> None:
    logo = make_image(400, 100, "PNG")
    args = dict(name="Acme", headline="About Acme", palette=brand_palette("#c2410c"), fonts=FONTS)
    with_logo = share_image(**args, logo_png=logo)
    assert with_logo != share_image(**args)
    with Image.open(io.BytesIO(with_logo)) as image:
        # the white plate behind the logo, at the top left
        assert image.convert("RGB").getpixel((84, 70)) == (255, 255, 255)


def test_same_page_same_bytes() -> None:
    args = dict(name="Keel", headline="A title", palette=brand_palette(None), fonts=FONTS)
    assert share_image(**args) == share_image(**args)


@pytest.mark.parametrize("color", ["#1d4e5f", "#f4d35e", "#ffffff"])
def test_long_names_and_titles_wrap_inside_the_margins(color) -> None:
    palette = brand_palette(color)
    data = share_image(
        name="The Extraordinarily Long Named Associated Professional Services Consortium "
        "of Greater Wisconsin and Northern Illinois",
        headline="How to refer a client to " + "a remarkably verbose business " * 8,
        palette=palette,
        fonts=FONTS,
        address="partners.an-unusually-long-domain-name-for-a-business.example/with/a/path",
    )
    text = tuple(int(palette.on_brand[i : i + 2], 16) for i in (1, 3, 5))
    with Image.open(io.BytesIO(data)) as opened:
        image = opened.convert("RGB")
    body = HEIGHT - 96
    for x in range(WIDTH - 60, WIDTH):  # the right margin holds no text
        for y in range(0, body, 3):
            assert image.getpixel((x, y)) != text, (x, y)
    # the text is there, large: many pixels of the text colour in the middle
    middle = image.crop((80, 180, 1100, 480)).tobytes()
    pixels = (tuple(middle[i : i + 3]) for i in range(0, len(middle), 3))
    assert sum(1 for p in pixels if p == text) > 5_000


def test_share_images_for_people_to_look_at(site, artifacts) -> None:
    for image in sorted((site / "assets").glob("share-*.png")):
        stem = image.name.split(".")[0]
        (artifacts / f"{stem}.png").write_bytes(image.read_bytes())
    assert list(artifacts.glob("share-home.png"))
