"""The prospect-facing about page, and the links mailto: drafts give prospects."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

from bs4 import BeautifulSoup

from conftest import build_site, straight
from refkit.content.project import load_project
from refkit.text.mailto import MAX_LENGTH

PRIVATE_PREFIXES = ("clients/", "p/", "partners/")


def _about(site: Path) -> BeautifulSoup:
    return BeautifulSoup((site / "about" / "index.html").read_text("utf-8"), "html.parser")


def _mailtos(site: Path) -> list[tuple[str, str]]:
    out = []
    for page in sorted(site.rglob("*.html")):
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        for link in soup.select('a[href^="mailto:"]'):
            out.append((page.relative_to(site).as_posix(), str(link["href"])))
    return out


def test_about_page_is_public_and_says_who_we_are(example_build: Path) -> None:
    site = example_build / "output" / "site"
    project = load_project(example_build)
    business = project.business
    soup = _about(site)
    text = " ".join(straight(soup.get_text(" ")).split())
    assert business.name in text
    assert business.tagline and business.tagline in text
    for service in business.services:
        assert service.name in text
    for reason in business.why_clients_choose_us:
        assert " ".join(reason.split()) in text
    for testimonial in business.testimonials:
        assert " ".join(testimonial.quote.split()) in text
    assert soup.select_one(f'a[href="mailto:{business.contact.email}"]')
    assert soup.select_one('a[href$="contact.vcf"]')
    if business.contact.booking_url:
        assert soup.select_one(f'a[href="{business.contact.booking_url}"]')
    assert "https://partners.keelcompasshr.com/about/" in (site / "sitemap.xml").read_text()
    home = BeautifulSoup((site / "index.html").read_text("utf-8"), "html.parser")
    assert home.select_one('footer a[href="about/index.html"]')


def test_about_page_says_nothing_of_criteria_or_partners(example_build: Path) -> None:
    site = example_build / "output" / "site"
    project = load_project(example_build)
    soup = _about(site)
    text = " ".join(soup.get_text(" ").split()).lower()
    secret: list[str] = list(project.business.not_a_fit)
    for profile in project.profiles.values():
        secret += [*profile.criteria, *profile.disqualifiers, *profile.signals]
    leaked = [item for item in secret if " ".join(item.split()).lower() in text]
    assert not leaked
    for word in ("referral partner", "criteria", "not a fit", "refer"):
        assert word not in text, word
    links = [str(a["href"]) for a in soup.find_all("a", href=True)]
    bad = [href for href in links if href.lstrip("./").startswith(PRIVATE_PREFIXES)]
    assert not bad
    assert not [href for href in links if "/clients/" in href or "/p/" in href]


def test_every_mailto_fits_and_links_no_criteria_page(example_build: Path) -> None:
    site = example_build / "output" / "site"
    found = _mailtos(site)
    assert len(found) > 5
    for page, href in found:
        decoded = unquote(href)
        assert len(decoded) <= MAX_LENGTH, (page, len(decoded))
        assert "/clients/" not in decoded and "/p/" not in decoded, (page, decoded)


LONG_HINT = "Tell them we have run HR inside plants like theirs. " * 40
PROFILE_FILE = "content/profiles/growing-manufacturers.yaml"


def _shortened(site: Path) -> list[str]:
    """The decoded bodies of the profile page's mailto: drafts that were shortened."""
    soup = BeautifulSoup(
        (site / "clients" / "growing-manufacturers" / "index.html").read_text("utf-8"),
        "html.parser",
    )
    bodies = [unquote(str(a["href"])) for a in soup.select('a[href^="mailto:"][href*="body="]')]
    return [body for body in bodies if "More about" in body or "[...]" in body]


def test_a_shortened_draft_links_the_website(make_project: Callable[..., Path]) -> None:
    site = build_site(make_project({PROFILE_FILE: {"intro_hint": LONG_HINT}}))
    shortened = _shortened(site)
    assert shortened
    for body in shortened:
        assert "More about Keel & Compass HR: https://www.keelcompasshr.com/" in body


def test_without_a_website_it_links_the_about_page(make_project: Callable[..., Path]) -> None:
    root = make_project(
        {PROFILE_FILE: {"intro_hint": LONG_HINT}, "content/business.yaml": {"website": None}}
    )
    shortened = _shortened(build_site(root))
    assert shortened
    for body in shortened:
        assert "https://partners.keelcompasshr.com/about/" in body
        assert "/clients/" not in body


def test_without_a_base_url_it_links_nothing(make_project: Callable[..., Path]) -> None:
    business = load_project(make_project()).business
    site_settings = business.site.model_dump(exclude_none=True, exclude={"base_url"})
    root = make_project(
        {
            PROFILE_FILE: {"intro_hint": LONG_HINT},
            "content/business.yaml": {"website": None, "site": site_settings},
        }
    )
    shortened = _shortened(build_site(root))
    assert shortened
    for body in shortened:
        assert "More about" not in body and "http" not in body.split("[...]")[1]
