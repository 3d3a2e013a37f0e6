"""contact.photo and profile images in the outputs: the site's srcset, the one-pagers, the vCard."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
import vobject
from bs4 import BeautifulSoup
from PIL import Image
from pypdf import PdfReader

from conftest import TODAY, write_project
from imagegen import make_image, pixel_size
from refkit.pipeline import build

BUSINESS = "content/business.yaml"
PROFILE = "first-hr-hire"
OTHER = "acquisition-integration"


def add_pictures(root: Path) -> None:
    """Give the example a contact photo (with a GPS location) and one profile an image."""
    assets = root / "content" / "assets"
    (assets / "priya.jpg").write_bytes(make_image(900, 1200, gps=True))
    (assets / "plant.png").write_bytes(make_image(2400, 1350, "PNG"))
    business = root / BUSINESS
    text = business.read_text(encoding="utf-8")
    business.write_text(
        text.replace("  name: Priya Raman\n", "  name: Priya Raman\n  photo: assets/priya.jpg\n")
    )
    profile = root / "content" / "profiles" / f"{PROFILE}.yaml"
    profile.write_text(
        profile.read_text(encoding="utf-8")
        + "image: assets/plant.png\nimage_alt: The plant floor at shift change\n"
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = write_project(tmp_path_factory.mktemp("pictures"))
    add_pictures(root)
    build(root, only=["site", "pdf"], today=TODAY, jobs=1)
    return root / "output"


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> Path:
    root = write_project(tmp_path_factory.mktemp("plain"))
    build(root, only=["site", "pdf"], today=TODAY, jobs=1)
    return root / "output"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def check_img(img, page: Path, site: Path) -> list[tuple[int, int]]:
    """Every srcset candidate exists with the pixel width it claims; returns their sizes."""
    assert img["alt"] and img["sizes"] and img["decoding"] == "async"
    sizes = []
    for candidate in img["srcset"].split(","):
        url, descriptor = candidate.split()
        file = (page.parent / url).resolve()
        assert file.is_relative_to((site / "assets").resolve())
        width, height = pixel_size(file.read_bytes())
        assert descriptor == f"{width}w"
        sizes.append((width, height))
    src = pixel_size((page.parent / img["src"]).read_bytes())
    assert (int(img["width"]), int(img["height"])) == src
    return sizes


def test_home_and_about_show_the_photo_in_every_width(built) -> None:
    site = built / "site"
    home = site / "index.html"
    photos = soup(home).select("img.contact-photo, img.hero-photo")
    assert len(photos) == 2
    hero, card = (soup(home).select_one(s) for s in ("img.hero-photo", "img.contact-photo"))
    assert "loading" not in hero.attrs  # above the fold
    assert card["loading"] == "lazy"
    assert check_img(card, home, site) == [(160, 160), (320, 320), (640, 640)]
    check_img(hero, home, site)
    about = site / "about" / "index.html"
    check_img(soup(about).select_one("img.contact-photo"), about, site)


def test_published_copies_carry_no_location(built) -> None:
    for file in (built / "site" / "assets").glob("photo-*.jpg"):
        with Image.open(file) as image:
            assert not image.getexif()
        assert b"Exif" not in file.read_bytes()


def test_profile_page_shows_its_image(built) -> None:
    site = built / "site"
    page = site / "clients" / PROFILE / "index.html"
    img = soup(page).select_one(".profile-figure img")
    assert img["alt"] == "The plant floor at shift change"
    assert check_img(img, page, site) == [(480, 270), (960, 540), (1600, 900)]
    other = site / "clients" / OTHER / "index.html"
    assert other.exists() and soup(other).select_one(".profile-figure") is None


def pdf_images(path: Path) -> list[tuple[int, int]]:
    reader = PdfReader(path)
    assert len(reader.pages) == 1
    return [(img.image.width, img.image.height) for img in reader.pages[0].images]


def test_one_pagers_embed_resized_copies_and_stay_one_page(built) -> None:
    profile = pdf_images(built / "pdf" / "clients" / f"{PROFILE}.pdf")
    assert (160, 160) in profile  # the footer's photo, not the 900 x 1200 original
    assert (960, 540) in profile  # the profile's image
    partner = pdf_images(built / "pdf" / "partners" / "dana-whitfield.pdf")
    assert (160, 160) in partner and (960, 540) not in partner


def test_without_pictures_nothing_changes(plain) -> None:
    assert not list((plain / "site" / "assets").glob("photo-*"))
    home = soup(plain / "site" / "index.html")
    assert home.select(".contact-person, .hero-person, .profile-figure") == []
    assert pdf_images(plain / "pdf" / "clients" / f"{PROFILE}.pdf") == []
    assert "PHOTO" not in (plain / "site" / "contact.vcf").read_text(encoding="utf-8")


def test_vcard_photo_is_a_folded_base64_jpeg(built) -> None:
    raw = (built / "site" / "contact.vcf").read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    card = vobject.readOne(raw.decode("utf-8"))
    photo = card.photo
    assert photo.params["TYPE"] == ["JPEG"]
    data = photo.value if isinstance(photo.value, bytes) else base64.b64decode(photo.value)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG" and image.size == (320, 320)
        assert not image.getexif()


@pytest.mark.parametrize(("items", "picture"), [(5, True), (6, False)])
def test_a_long_profile_gives_up_its_picture_before_it_fails(
    tmp_path, items: int, picture: bool
) -> None:
    """Readable type comes first: a profile that fits only without its picture loses
    it, and the build says so at the profile's file (a longer one fails as too long)."""
    import yaml

    root = write_project(tmp_path / "dense")
    add_pictures(root)
    path = root / "content" / "profiles" / f"{PROFILE}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in ("criteria", "signals", "needs", "disqualifiers", "why_us"):
        data[key] = [f"A reason of about this length, number {i + 1}" for i in range(items)]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    report = build(root, only=["pdf"], today=TODAY, jobs=1)
    pdf = root / "output" / "pdf" / "clients" / f"{PROFILE}.pdf"
    assert ((960, 540) in pdf_images(pdf)) is picture
    assert len(PdfReader(pdf).pages) == 1
    warned = [str(w) for w in report.warnings if "without its picture" in str(w)]
    expected = [
        f"content/profiles/{PROFILE}.yaml: warning: the one-pager (pdf/clients/{PROFILE}.pdf) "
        "fits on one page only without its picture; shorten the lists in this file"
    ]
    assert warned == ([] if picture else expected)


def test_pngs_for_people_to_look_at(built, artifacts) -> None:
    import shutil
    import subprocess

    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils is not installed")
    for rel in (f"clients/{PROFILE}.pdf", "partners/dana-whitfield.pdf"):
        target = artifacts / ("pictures-pdf-" + rel.replace("/", "-").removesuffix(".pdf"))
        pdf = built / "pdf" / rel
        subprocess.run(
            ["pdftoppm", "-r", "80", "-png", "-singlefile", str(pdf), str(target)], check=True
        )
        assert target.with_suffix(".png").is_file()
