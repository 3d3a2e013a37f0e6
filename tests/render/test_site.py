"""The partner site: every field on the right page, private pages, links, safety, validity."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import (
    TEST_SECRET,
    TODAY,
    apply_changes,
    build_site,
    nu_html_check,
    override,
    paths_for,
    pdf_text,
    straight,
    write_project,
)
from refkit.content.project import load_project
from refkit.derive.layout import partner_token
from refkit.errors import TemplateError
from refkit.render.messages.compose import GENERIC_PITCH, compose_email
from refkit.render.site.files import render_vcard
from refkit.render.templating import make_environment
from refkit.resources import example_content
from refkit.text.mailto import mailto_link
from refkit.text.markup import markdown_to_text
from refkit.writer import Output, write_outputs

CONTENT = example_content()
PAGE_BASE = "https://partners.keelcompasshr.com/"
PRIVATE = ("helen-marsh", "ines-carvalho", "marcus-oyelaran", "tom-brenner", "zoe-lindqvist")
XSS = (
    '<script>alert("md")</script> <img src=x onerror=alert(1)> '
    '[click](javascript:alert(1)) <a href="javascript:alert(2)" onclick="alert(3)">x</a> '
    '<iframe src="https://evil.example/"></iframe> <svg onload=alert(4)></svg> '
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) "
    "<style>body{display:none}</style> </script><script>alert(5)</script>"
)


# --------------------------------------------------------------------------- helpers


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html5lib")


def text_of(path: Path) -> str:
    """The page's visible text, whitespace collapsed."""
    soup = soup_of(path)
    for tag in soup(["script", "style"]):
        tag.decompose()
    return _Squashed(" ".join(soup.get_text(" ").split()))


class _Squashed(str):
    """Text compared without any whitespace (markup splits or joins words differently)."""

    def __contains__(self, other: object) -> bool:
        return isinstance(other, str) and _squash(other) in _squash(str(self))


def _squash(text: str) -> str:
    return "".join(straight(text).split())


def norm(text: str) -> str:
    """Whitespace collapsed, typography undone (the content's straight quotes, hyphens)."""
    return " ".join(straight(text).split())


def site_of(root: Path) -> Path:
    return root / "output" / "site"


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


@pytest.fixture(scope="module")
def site(example_build: Path) -> Path:
    return site_of(example_build)


@pytest.fixture(scope="module")
def project(example_build: Path):
    return load_project(example_build)


# --------------------------------------------------------------------------- pages and fields


def test_home_carries_every_business_field(site: Path, project) -> None:
    business = project.business
    page = text_of(site / "index.html")
    expected = [
        business.name,
        business.tagline,
        markdown_to_text(business.summary),
        markdown_to_text(business.how_we_win_business),
        business.service_area,
        business.contact.name,
        business.contact.title,
        business.contact.email,
        business.contact.phone,
        *[s.name for s in business.services],
        *[markdown_to_text(s.summary) for s in business.services],
        *business.we_do_not_offer,
        *business.industries,
        *business.why_clients_choose_us,
        *business.not_a_fit,
        *business.values,
        *business.partner_offer,
        *[t.quote for t in business.testimonials],
        *[t.who for t in business.testimonials],
        *[p.title for p in project.profiles.values()],
        *[p.contact_role for p in project.profiles.values()],
    ]
    for value in expected:
        assert norm(value) in page, value
    soup = soup_of(site / "index.html")
    hrefs = {a["href"] for a in soup.find_all("a", href=True)}
    assert business.contact.booking_url in hrefs
    assert "contact.vcf" in hrefs
    assert f"mailto:{business.contact.email}" in hrefs
    for slug in project.profiles:
        assert f"clients/{slug}/index.html" in hrefs
    # a card per profile in "who we serve", each linking to its page
    section = soup.find(id="who-we-serve").find_parent("section")
    assert len(section.find_all("article")) == len(project.profiles)


def section_text(soup: BeautifulSoup, heading_id: str) -> str:
    return norm(soup.find(id=heading_id).find_parent("section").get_text(" "))


def test_home_says_what_each_section_is(site: Path, project) -> None:
    business = project.business
    soup = soup_of(site / "index.html")
    # "we won't compete" holds what we never offer, and only that
    compete = section_text(soup, "what-we-dont-do")
    assert norm(soup.find(id="what-we-dont-do").get_text()) == "We won't compete with you"
    assert all(norm(item) in compete for item in business.we_do_not_offer)
    assert not any(norm(item) in compete for item in business.not_a_fit)
    # whom we are not for sits with whom we serve
    serve = section_text(soup, "who-we-serve")
    assert "Who we are not for" in serve
    assert all(norm(item) in serve for item in business.not_a_fit)
    # our own claims are not labelled as our clients' words (testimonials are)
    why = soup.find(id="why-clients-choose-us").find_parent("div")
    assert why.find(class_="eyebrow").get_text() == "Why us"
    assert "clients' words" not in text_of(site / "index.html")
    # internal vocabulary stays internal
    page = text_of(site / "index.html")
    assert "Price tier" not in page and "Mid-market" not in page
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert "priceRange" not in data
    # the headline is the tagline; the name is still said right above it
    h1 = soup.find_all("h1")
    assert len(h1) == 1 and norm(h1[0].get_text(strip=True)) == business.tagline
    assert business.name in h1[0].find_previous_sibling(class_="eyebrow").get_text()


def test_booking_and_vcard_links_have_one_name(site: Path, project) -> None:
    contact = project.business.contact
    first = contact.name.split()[0]
    for page in html_files(site):
        soup = soup_of(page)
        for link in soup.find_all("a", href=contact.booking_url):
            label = norm(link.get_text(" "))
            assert label.lower() == f"book a call with {first}".lower(), (page, label)
        for link in soup.find_all("a", href=re.compile(r"contact\.vcf$")):
            assert norm(link.get_text(" ")) == "Save contact card (vCard)", page


def test_grids_fit_their_item_count(site: Path) -> None:
    """No half-empty rows: one item alone, two or four in pairs, otherwise threes."""
    for page in html_files(site):
        for grid in soup_of(page).select(".grid"):
            count = len(grid.find_all(recursive=False))
            expected = "grid-1" if count == 1 else ("grid-2" if count in (2, 4) else "grid-3")
            assert expected in grid["class"], f"{page}: {count} items in {grid['class']}"
    css = next((site / "assets").glob("site.*.css")).read_text()
    assert not re.search(r"repeat\(\s*auto-fill", css)  # auto-fit: no empty tracks held open


def test_profile_facts_leave_no_empty_slot(site: Path, project) -> None:
    for slug in project.profiles:
        soup = soup_of(site / "clients" / slug / "index.html")
        key, facts = soup.select("dl.facts")
        assert "facts-key" in key["class"] and len(key.select(".fact")) == 1
        # the grid of facts holds facts of one size only; lists can take a whole row
        assert not facts.select(".fact-wide")
        for fact in facts.select(".fact"):
            if fact.dt.get_text() in ("Industries", "Locations"):
                assert "fact-list" in fact["class"]


def test_refer_page(site: Path, project) -> None:
    page = site / "refer" / "index.html"
    text = text_of(page).lower()
    for phrase in (
        "ask first",
        "double opt-in",
        "why them",
        "why now",
        "which criteria they meet",
        "we reply within one business day",
        "within one business day",
        "close the loop",
        "what not to do",
        "without asking",
        "you two should meet",
    ):
        assert phrase in text, phrase
    for profile in project.profiles.values():
        for criterion in profile.criteria:
            assert norm(criterion).lower() in text
    soup = soup_of(page)
    hrefs = [a["href"] for a in soup.find_all("a", href=True)]
    assert "#email-ask-permission" in hrefs and "#email-introduction" in hrefs
    # the emails here are about no profile in particular: blanks, not the first
    # profile's details (each profile page has its own introduction)
    for box_id in ("email-ask-permission", "email-introduction"):
        body = soup.find(id=box_id).find("pre").get_text()
        assert "[Prospect first name]" in body and "[Your name]" in body
        assert GENERIC_PITCH in body
        for profile in project.profiles.values():
            assert profile.title.lower() not in body.lower()
            assert not any(signal in body for signal in profile.signals)
            assert not any(criterion in body for criterion in profile.criteria)
    for slug in project.profiles:
        assert f"../clients/{slug}/index.html#introduce" in hrefs


@pytest.mark.parametrize(
    "slug", ["growing-manufacturers", "first-hr-hire", "acquisition-integration"]
)
def test_profile_page_carries_every_field(site: Path, project, slug: str) -> None:
    profile = project.profiles[slug]
    page = site / "clients" / slug / "index.html"
    text = text_of(page)
    values = [
        profile.title,
        markdown_to_text(profile.summary),
        profile.contact_role,
        *profile.company.industries,
        *profile.company.locations,
        *profile.signals,
        *profile.needs,
        *profile.criteria,
        *profile.disqualifiers,
        *profile.why_us,
    ]
    if profile.company.revenue:
        values.append(profile.company.revenue)
    if profile.example:
        values.append(markdown_to_text(profile.example))
    if profile.intro_hint:
        values.append(profile.intro_hint)
    for value in values:
        assert norm(value) in text, value
    employees = profile.company.employees
    assert f"{employees.min:,}–{employees.max:,} employees" in text
    soup = soup_of(page)
    # "Is this a fit?": a checkbox per criterion and disqualifier, each labelled
    fit = soup.find(attrs={"data-fit": True})
    boxes = fit.find_all("input", type="checkbox")
    assert len(boxes) == len(profile.criteria) + len(profile.disqualifiers)
    for box in boxes:
        assert soup.find("label", attrs={"for": box["id"]}).get_text(strip=True)
    # the introduction email, shown as text, with a mailto link and a copy button
    email = compose_email(project, paths_for(project), "introduction", profile=slug)
    box = soup.find(id="introduce")
    assert box.find("pre").get_text() == email.unwrapped
    assert norm(email.subject) in norm(box.get_text(" "))
    copy = box.find("button", attrs={"data-copy": "introduce-body"})
    assert copy is not None and copy.has_attr("hidden")  # shown by site.js only
    # the one-pager, linked whenever the PDF build produced it
    linked = soup.find("a", href=f"../../downloads/{slug}.pdf") is not None
    assert linked == (site / "downloads" / f"{slug}.pdf").is_file()


def test_mailto_links_follow_rfc_6068(site: Path, project) -> None:
    for slug in project.profiles:
        soup = soup_of(site / "clients" / slug / "index.html")
        link = soup.find(id="introduce").find("a", href=re.compile("^mailto:"))["href"]
        assert len(link) <= 2000
        assert "+" not in link.split("?", 1)[1]  # spaces are %20, never +
        assert "%20" in link and "%0D%0A" in link
        assert "\n" not in link and " " not in link
        assert link.startswith(f"mailto:{project.business.contact.email}?")
        query = dict(part.split("=", 1) for part in link.split("?", 1)[1].split("&"))
        email = compose_email(project, paths_for(project), "introduction", profile=slug)
        text = email.unwrapped
        assert unquote(query["subject"]) == email.subject
        body = unquote(query["body"])
        assert "\n" not in body.replace("\r\n", "")  # every line break is CRLF
        body = body.replace("\r\n", "\n")
        full = mailto_link(
            project.business.contact.email, subject=email.subject, body=text, max_length=10**9
        )
        if len(full) <= 2000:
            assert body == text
        else:  # shortened, pointing to the page for what it left out
            pointer = f"More about {project.business.name}: {PAGE_BASE}clients/{slug}/"
            assert pointer in body
            for part in body.replace(pointer, "\n\n").split("\n\n"):
                assert part.strip() in text


def test_long_introduction_is_shortened_keeps_its_ends_and_never_leaks_a_private_link(
    make_project,
) -> None:
    profile = yaml.safe_load((CONTENT / "profiles" / "first-hr-hire.yaml").read_text())
    profile["signals"] = [f"A long signal about what is happening, number {i}" for i in range(3)]
    # an introduction is short; a very long intro_hint makes it long all the same
    profile["intro_hint"] = (
        "Tell them we " + "make the people side of growth boring, " * 60 + "and never replace them."
    )
    root = make_project(**{"content/profiles/first-hr-hire.yaml": profile})
    site = build_site(root)
    project = load_project(root)
    email = compose_email(project, paths_for(root), "introduction", profile="first-hr-hire")
    full = mailto_link(
        project.business.contact.email,
        subject=email.subject,
        body=email.unwrapped,
        max_length=10**6,
    )
    assert len(full) > 2000  # the case under test: the whole draft does not fit
    box = soup_of(site / "clients" / "first-hr-hire" / "index.html").find(id="introduce")
    link = box.find("a", href=re.compile("^mailto:"))["href"]
    assert len(link) <= 2000
    body = unquote(link.split("body=")[1]).replace("\r\n", "\n")
    paragraphs = body.split("\n\n")
    assert paragraphs[0] == email.unwrapped.split("\n\n")[0]  # the greeting
    assert paragraphs[-1] == email.unwrapped.split("\n\n")[-1]  # the sign-off
    # a prospect reads the draft: it links our website, never our criteria for them
    assert paragraphs[-2] == f"More about {project.business.name}: {project.business.website}"
    # the page shows the whole text, unwrapped (the browser wraps it), and says
    # that the email-app draft is shorter
    assert box.find("pre").get_text() == email.unwrapped
    assert "opens a shorter draft" in box.get_text()
    # on a private partner page, a shortened draft points at a public page only
    token = partner_token(TEST_SECRET, "helen-marsh")
    page = soup_of(site / "p" / token / "index.html")
    for anchor in page.find_all("a", href=re.compile("^mailto:")):
        assert token not in unquote(anchor["href"]), anchor["href"][:200]
        assert len(anchor["href"]) <= 2000


# --------------------------------------------------------------------------- partner pages


def test_partner_pages_follow_page_and_status(site: Path) -> None:
    assert (site / "partners" / "dana-whitfield" / "index.html").is_file()
    public = {p.name for p in (site / "partners").iterdir()}
    assert public == {"dana-whitfield"}
    tokens = {p.name for p in (site / "p").iterdir() if p.is_dir()}  # and p/index.html
    assert tokens == {partner_token(TEST_SECRET, slug) for slug in PRIVATE}
    everything = "\n".join(p.read_text(encoding="utf-8") for p in html_files(site))
    # page: none and retired partners have no page
    assert partner_token(TEST_SECRET, "raj-patel") not in everything
    assert partner_token(TEST_SECRET, "gary-koenig") not in everything
    assert "Raj Patel" not in everything and "Gary Koenig" not in everything


def test_private_pages_are_unlisted(site: Path) -> None:
    sitemap = (site / "sitemap.xml").read_text()
    robots = (site / "robots.txt").read_text()
    for slug in PRIVATE:
        token = partner_token(TEST_SECRET, slug)
        page = site / "p" / token / "index.html"
        soup = soup_of(page)
        assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
        assert soup.find("link", rel="canonical") is None
        assert token not in sitemap and token not in robots
        for other in html_files(site):
            if other != page:
                assert token not in other.read_text(encoding="utf-8"), other
    public = soup_of(site / "partners" / "dana-whitfield" / "index.html")
    assert public.find("meta", attrs={"name": "robots"}) is None
    assert "partners/dana-whitfield/" in sitemap


def test_partner_page_is_prepared_for_them(site: Path, project) -> None:
    slug = "ines-carvalho"
    partner = project.partners[slug]
    page = site / "p" / partner_token(TEST_SECRET, slug) / "index.html"
    text = text_of(page)
    assert "Prepared for Inês Carvalho, Carvalho & Reyes CPAs" in text
    for profile_slug in partner.serves:
        profile = project.profiles[profile_slug]
        assert profile.title in text
        for criterion in profile.criteria:
            assert norm(criterion) in text
    for value in (
        *partner.their_ideal_clients,
        *partner.offers,
        *partner.agreement.expectations,
        "Referrals, both ways",
        "Joint marketing",
        "We check in every six weeks",  # 45 days
        "What we agreed",
        "the clients you told us you want",
    ):
        assert norm(value) in text, value
    soup = soup_of(page)
    boxes = soup.select(".email")
    # she serves two profiles: an ask, an introduction and a brief for each, in order
    assert len(partner.serves) == 2
    assert [box["id"] for box in boxes] == [
        f"email-{template}-{profile_slug}"
        for profile_slug in project.profiles_for(slug)
        for template in ("ask-permission", "introduction", "referral-brief")
    ]
    for profile_slug in partner.serves:
        ask = compose_email(
            project,
            paths_for(project),
            "ask-permission",
            partner=slug,
            profile=profile_slug,
        )
        box = soup.find(id=f"email-ask-permission-{profile_slug}")
        assert box.find("pre").get_text() == ask.unwrapped
    # the personalised PDF, when built, sits in the page's own (unguessable) folder
    built = site.parent / "pdf" / "partners" / f"{slug}.pdf"
    assert (soup.find("a", href=f"{slug}.pdf") is not None) == built.is_file()
    if built.is_file():
        assert (page.parent / f"{slug}.pdf").read_bytes() == built.read_bytes()
    # what we think of them stays private
    assert "qualifier" not in text.lower() and "Shares our values" not in text


def test_prospect_partner_page_proposes(site: Path) -> None:
    page = site / "p" / partner_token(TEST_SECRET, "tom-brenner") / "index.html"
    text = text_of(page)
    assert "Prepared for Tom Brenner, Lakeshore Community Bank" in text
    for proposal in (
        "Proposed partnership",
        "The partnership we propose",
        "What we propose",
        "the clients we think you want",
        "We'd suggest checking in monthly",  # 30 days
    ):
        assert proposal in text, proposal
    # nothing is agreed with a prospect yet
    for claim in ("Referral partner", "What we agreed", "you told us", "We check in"):
        assert claim not in text, claim
    assert "Expectations, both ways" not in text


def test_partner_pages_say_the_cadence_in_words(site: Path) -> None:
    words = {
        "helen-marsh": "We check in twice a year",  # 180
        "marcus-oyelaran": "We check in quarterly",  # 90
        "zoe-lindqvist": "We check in every four months",  # 120
        "dana-whitfield": "We check in every two months",  # 60
    }
    for slug, sentence in words.items():
        path = site / "partners" / slug if slug == "dana-whitfield" else site / "p"
        if slug != "dana-whitfield":
            path = path / partner_token(TEST_SECRET, slug)
        text = text_of(path / "index.html")
        assert sentence in text, slug
        assert not re.search(r"every \d+ days", text), slug


def test_private_page_description_names_two_parties(site: Path) -> None:
    page = site / "p" / partner_token(TEST_SECRET, "zoe-lindqvist") / "index.html"
    description = soup_of(page).find("meta", attrs={"name": "description"})["content"]
    assert description.startswith("Prepared for Zoë Lindqvist (Brightline Precision) by ")
    assert "Zoë Lindqvist, Brightline Precision and" not in description
    assert "copy one or open it" in text_of(page)


def test_tokens_are_stable_and_come_from_the_secret(make_project) -> None:
    root = make_project()
    first = {p.name for p in (build_site(root) / "p").iterdir() if p.is_dir()}
    second = {p.name for p in (build_site(root) / "p").iterdir() if p.is_dir()}
    assert first == second and len(first) == len(PRIVATE)
    (root / ".refkit" / "secret").write_text("another-secret-entirely-0123456789\n")
    third = {p.name for p in (build_site(root) / "p").iterdir() if p.is_dir()}
    assert not first & third
    for token in first:
        assert len(token) == 26
        assert not any(part in token for slug in PRIVATE for part in slug.split("-"))


# --------------------------------------------------------------------------- links and assets


def _local_targets(page: Path, site: Path) -> list[tuple[str, Path, str]]:
    soup = soup_of(page)
    found = []
    for tag in soup.find_all(True):
        for attr in ("href", "src"):
            value = tag.get(attr)
            if not value:
                continue
            parts = urlsplit(value)
            if parts.scheme or parts.netloc:
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            found.append((value, target, parts.fragment))
    return found


def test_every_internal_link_and_asset_resolves(site: Path) -> None:
    site = site.resolve()
    for page in html_files(site):
        for value, target, fragment in _local_targets(page, site):
            assert target.is_relative_to(site), f"{page}: {value} leaves the site"
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{page.relative_to(site)}: broken {value}"
            if fragment and target.suffix == ".html":
                assert soup_of(target).find(id=fragment), f"{page}: no #{fragment} in {target}"
    for css in site.glob("assets/*.css"):
        for ref in re.findall(r"url\(\"?([^\")]+)\"?\)", css.read_text()):
            if not ref.startswith("data:"):
                assert (css.parent / ref).is_file(), ref


def test_links_are_relative_and_assets_hashed(site: Path, example_build: Path) -> None:
    for page in html_files(site):
        soup = soup_of(page)
        for tag in soup.find_all(["link", "script", "img"]):
            ref = tag.get("href") or tag.get("src")
            if ref is None or ref.startswith("data:") or "canonical" in tag.get("rel", []):
                continue
            assert not urlsplit(ref).scheme and not ref.startswith("/"), f"{page}: {ref}"
            if tag.name != "link" or "stylesheet" in tag.get("rel", []):
                assert re.search(r"assets/[a-z0-9-]+\.[0-9a-f]{10}\.(css|js|svg|png)$", ref), ref
        for a in soup.find_all("a", href=True):
            assert not a["href"].startswith("/"), f"{page}: {a['href']}"
    for asset in (site / "assets").iterdir():
        digest = asset.name.split(".")[-2]
        assert hashlib.sha256(asset.read_bytes()).hexdigest()[:10] == digest
        if asset.suffix in (".css", ".js"):
            text = asset.read_text()
            assert "http://" not in text and "https://" not in text, asset
            assert not re.search(r"url\(\s*['\"]?//", text), asset
    logos = list((site / "assets").glob("logo.*.svg"))
    assert len(logos) == 1
    assert logos[0].read_bytes() == (example_build / "content" / "assets" / "logo.svg").read_bytes()


def test_no_external_requests_in_any_page(site: Path) -> None:
    for page in html_files(site):
        soup = soup_of(page)
        for tag in soup.find_all(["script", "img", "iframe", "source", "video", "audio"]):
            assert not urlsplit(tag.get("src", "")).netloc, page
        for link in soup.find_all("link"):
            rel = set(link.get("rel", []))
            if rel & {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest"}:
                assert not urlsplit(link["href"]).netloc, page


def test_overrides_can_add_static_files(make_project) -> None:
    root = make_project(**{"templates/static/img/team.png": b"\x89PNG fake"})
    override(root, "refer.html", '<img src="{{ static(\'img/team.png\') }}" alt="The team">')
    site = build_site(root)
    img = soup_of(site / "refer" / "index.html").find("img", alt="The team")
    assert re.fullmatch(r"\.\./assets/team\.[0-9a-f]{10}\.png", img["src"])
    assert (site / "refer" / img["src"]).resolve().read_bytes() == b"\x89PNG fake"
    override(root, "refer.html", "\n{{ static('img/missing.png') }}")
    with pytest.raises(TemplateError) as caught:
        build_site(root)
    assert str(caught.value).startswith("templates/site/refer.html:3: error:")
    assert "missing.png" in str(caught.value)


def test_pdf_links_only_when_the_pdfs_exist(make_project) -> None:
    root = make_project()
    site = build_site(root)  # a site-only build, no PDFs anywhere
    soup = soup_of(site / "clients" / "first-hr-hire" / "index.html")
    assert not soup.find("a", href=re.compile(r"\.pdf$"))
    dana = soup_of(site / "partners" / "dana-whitfield" / "index.html")
    assert not dana.find("a", href=re.compile(r"\.pdf$"))
    # PDFs from a previous build (the PDF stage writes their site copies) are
    # kept by `--only site`, and then linked
    write_outputs(
        root / "output",
        [
            Output("site/downloads/first-hr-hire.pdf", b"%PDF-1.7 profile"),
            Output("pdf/partners/dana-whitfield.pdf", b"%PDF-1.7 dana"),
            Output("site/partners/dana-whitfield/dana-whitfield.pdf", b"%PDF-1.7 dana"),
        ],
    )
    site = build_site(root)
    soup = soup_of(site / "clients" / "first-hr-hire" / "index.html")
    assert soup.find("a", href="../../downloads/first-hr-hire.pdf")
    dana_page = site / "partners" / "dana-whitfield" / "index.html"
    assert soup_of(dana_page).find("a", href="dana-whitfield.pdf")
    assert (dana_page.parent / "dana-whitfield.pdf").read_bytes() == b"%PDF-1.7 dana"


# --------------------------------------------------------------------------- safety


def test_xss_in_every_markdown_field_comes_out_inert(make_project) -> None:
    business = yaml.safe_load((CONTENT / "business.yaml").read_text())
    business["summary"] = XSS
    business["how_we_win_business"] = XSS
    business["tagline"] = '</title><script>alert("tagline")</script>'
    business["services"][0]["summary"] = XSS
    business["services"][1]["name"] = "<b onmouseover=alert(1)>x</b>"
    business["values"] = ["</script><script>alert(1)</script>"]
    profile = yaml.safe_load((CONTENT / "profiles" / "first-hr-hire.yaml").read_text())
    profile["summary"] = XSS
    profile["example"] = XSS
    profile["criteria"] = ['"><script>alert(1)</script>']
    profile["intro_hint"] = "<img src=x onerror=alert(1)>"
    root = make_project(
        **{"content/business.yaml": business, "content/profiles/first-hr-hire.yaml": profile}
    )
    site = build_site(root)
    for page in html_files(site):
        soup = soup_of(page)
        for script in soup.find_all("script"):
            if script.get("type") in ("application/ld+json", "application/json"):
                json.loads(script.string)  # still valid JSON, and nothing broke out of it
                assert "<" not in script.string
            else:
                assert re.fullmatch(r"(\.\./)*assets/site\.[0-9a-f]{10}\.js", script["src"]), page
                assert not script.string
        for tag in soup.find_all(True):
            for attr, value in tag.attrs.items():
                assert not attr.lower().startswith("on"), f"{page}: {tag}"
                if attr in ("href", "src", "action", "formaction", "data"):
                    assert (
                        not str(value).strip().lower().startswith(("javascript:", "data:text"))
                    ), tag
        assert not soup.find_all(["iframe", "style", "object", "embed"]) or page.name == "404.html"


# --------------------------------------------------------------------------- meta, sitemap, vCard


def test_canonical_open_graph_and_json_ld(site: Path, project) -> None:
    base = "https://partners.keelcompasshr.com/"
    home = soup_of(site / "index.html")
    assert home.find("link", rel="canonical")["href"] == base
    assert home.find("meta", property="og:url")["content"] == base
    assert home.find("meta", property="og:title")["content"]
    profile = soup_of(site / "clients" / "first-hr-hire" / "index.html")
    assert profile.find("link", rel="canonical")["href"] == base + "clients/first-hr-hire/"
    data = json.loads(home.find("script", type="application/ld+json").string)
    assert data["@type"] == "ProfessionalService"
    assert data["name"] == project.business.name
    assert data["description"] == markdown_to_text(project.business.summary)
    assert data["contactPoint"]["email"] == project.business.contact.email
    assert data["contactPoint"]["telephone"] == project.business.contact.phone
    assert data["areaServed"] == project.business.service_area
    offers = data["hasOfferCatalog"]["itemListElement"]
    assert [o["itemOffered"]["name"] for o in offers] == [s.name for s in project.business.services]
    assert data["logo"].startswith(base + "assets/logo.")


def test_sitemap_and_robots(site: Path, project) -> None:
    base = "https://partners.keelcompasshr.com/"
    sitemap = (site / "sitemap.xml").read_text()
    locs = re.findall(r"<loc>(.*?)</loc>", sitemap)
    expected = {base, base + "about/", base + "refer/", base + "partners/dana-whitfield/"}
    expected |= {f"{base}clients/{slug}/" for slug in project.profiles}
    assert set(locs) == expected
    robots = (site / "robots.txt").read_text()
    assert f"Sitemap: {base}sitemap.xml" in robots
    assert "/p/" not in robots
    import xml.dom.minidom

    xml.dom.minidom.parseString(sitemap)


def test_without_base_url_no_absolute_urls(make_project) -> None:
    business = yaml.safe_load((CONTENT / "business.yaml").read_text())
    del business["site"]["base_url"]
    root = make_project(**{"content/business.yaml": business})
    site = build_site(root)
    assert "<loc>" not in (site / "sitemap.xml").read_text()
    assert "Sitemap:" not in (site / "robots.txt").read_text()
    home = soup_of(site / "index.html")
    assert home.find("link", rel="canonical") is None
    assert home.find("meta", property="og:url") is None


def vcard_of(site: Path) -> Any:
    """output/site/contact.vcf as an address book reads it (one vCard, parsed by vobject)."""
    import vobject

    cards = list(vobject.readComponents((site / "contact.vcf").read_text(encoding="utf-8")))
    assert len(cards) == 1
    return cards[0]


def test_vcard(site: Path, project) -> None:
    raw = (site / "contact.vcf").read_bytes()
    text = raw.decode("utf-8")
    assert text.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n") and text.endswith("END:VCARD\r\n")
    assert "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")
    assert "FN:Priya Raman" in lines and "N:Raman;Priya;;;" in lines
    assert "EMAIL;TYPE=INTERNET,WORK:priya@keelcompasshr.com" in lines
    assert "ORG:Keel & Compass HR" in lines
    assert "TEL;TYPE=WORK,VOICE:+1 (414) 555-0143" in lines
    card = vcard_of(site)
    assert card.version.value == "3.0"
    assert card.fn.value == "Priya Raman"
    name = card.n.value
    assert (name.prefix, name.given, name.additional, name.family, name.suffix) == (
        "",
        "Priya",
        "",
        "Raman",
        "",
    )
    assert card.org.value == ["Keel & Compass HR"]
    assert card.title.value == "Founder and Principal Consultant"
    assert card.email.value == "priya@keelcompasshr.com"
    assert set(card.email.params["TYPE"]) == {"INTERNET", "WORK"}
    assert card.tel.value == "+1 (414) 555-0143"
    assert set(card.tel.params["TYPE"]) == {"WORK", "VOICE"}
    assert card.url.value == "https://www.keelcompasshr.com/"
    assert card.note.value == "Book a first call: https://www.keelcompasshr.com/intro-call"


def test_vcard_of_a_name_with_an_honorific_and_escaped_values(make_project) -> None:
    root = make_project(
        **{
            "content/business.yaml": {
                "name": "Lopez, Ruiz; Partners",
                "website": None,
                "contact": {
                    "name": "Dr. Ana María Lopez",
                    "title": "Principal, People & Culture",
                    "email": "ana@example.com",
                },
            }
        }
    )
    card = vcard_of(build_site(root))
    assert card.fn.value == "Dr. Ana María Lopez"
    name = card.n.value
    assert (name.prefix, name.given, name.family) == ("Dr.", "Ana María", "Lopez")
    assert card.org.value == ["Lopez, Ruiz; Partners"]  # escaped on the wire, whole when read
    assert card.title.value == "Principal, People & Culture"
    assert card.email.value == "ana@example.com"
    # what the contact does not have is left out, not written empty
    for missing in ("tel", "url", "note"):
        assert missing not in card.contents, missing
    two = make_project(
        **{"content/business.yaml": {"contact": {"name": "Dr. Ana Lopez", "email": "a@b.co"}}}
    )
    name = vcard_of(build_site(two)).n.value
    assert (name.prefix, name.given, name.family) == ("Dr.", "Ana", "Lopez")


def test_vcard_folds_long_lines_and_escapes(project) -> None:
    business = project.business.model_copy(
        update={
            "name": "Zoë, Ångström; and Sons " * 4,
            "contact": project.business.contact.model_copy(update={"title": "Ünïcödé " * 20}),
        }
    )
    raw = render_vcard(make_environment(None), business).encode("utf-8")
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # never split inside a character
    unfolded = raw.decode().replace("\r\n ", "")
    assert "ORG:Zoë\\, Ångström\\; and Sons" in unfolded


# ------------------------------------------------------------------ design and accessibility


def test_brand_color_reaches_the_stylesheet(site: Path) -> None:
    css = next((site / "assets").glob("site.*.css")).read_text()
    assert "--brand:#1d4e5f" in css
    assert "@media print" in css


def test_every_page_is_structured_for_assistive_tech(site: Path) -> None:
    for page in html_files(site):
        soup = soup_of(page)
        assert soup.html["lang"] == "en-US"
        assert len(soup.find_all("h1")) == 1, page
        levels = [int(h.name[1]) for h in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
        assert levels[0] == 1
        for before, after in zip(levels, levels[1:], strict=False):
            assert after <= before + 1, f"{page}: h{before} then h{after}"
        assert soup.find("main", id="main") and soup.find("header") and soup.find("footer")
        first_link = soup.body.find("a")
        assert first_link["href"] == "#main" and "skip" in first_link.get_text().lower()
        assert soup.find("meta", attrs={"name": "viewport"})
        assert soup.title.get_text(strip=True)


MINIMAL = {
    "content/business.yaml": {
        "name": "Solo Bookkeeping",
        "summary": "Monthly books for *small* shops.",
        "contact": {"name": "Ana", "email": "ana@example.com"},
        "services": [{"name": "Bookkeeping", "summary": "Monthly close."}],
        "site": {"brand": {"color": "#ffd400"}},
    },
    "content/profiles/shops.yaml": {
        "title": "Small shops",
        "summary": "Shops with one till.",
        "contact_role": "Owner",
        "criteria": ["Has a till"],
    },
    "content/referrals.yaml": None,
}


@pytest.fixture(scope="module")
def minimal_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with nothing optional: no logo, no partners, no base URL, a light brand colour."""
    root = tmp_path_factory.mktemp("minimal")
    write_project(root)
    shutil.rmtree(root / "content" / "partners")
    shutil.rmtree(root / "content" / "profiles")
    shutil.rmtree(root / "content" / "assets")
    (root / "content" / "activity.yaml").unlink()  # its partners are gone
    (root / "content" / "business.yaml").unlink()  # MINIMAL's is the whole file, not merged
    apply_changes(root, MINIMAL)
    return build_site(root)


def test_404_carries_its_look_and_links_absolutely(site: Path, project) -> None:
    """404.html is served at any depth: its styles, fonts and logo travel with it."""
    page = site / "404.html"
    html = page.read_text(encoding="utf-8")
    soup = soup_of(page)
    assert not soup.find("link", rel="stylesheet") and not soup.find("script", src=True)
    style = soup.find("style").string
    assert "--brand:#1d4e5f" in style
    # the site's typeface, embedded: regular and bold (semibold and italic would
    # triple the page for no visible gain)
    assert style.count("@font-face") == 2 and style.count("data:font/woff2;base64,") == 2
    assert len(html.encode()) < 120_000
    logo = soup.find("img", class_="brand-logo")
    assert logo["src"].startswith("data:image/svg+xml;base64,")
    assert soup.find("link", rel="icon")["href"].startswith("data:image/svg+xml;base64,")
    assert soup.find("nav", class_="site-nav")
    for link in soup.find_all("a", href=True):
        href = link["href"]
        if not href.startswith(("#", "mailto:", "tel:")):
            assert href.startswith(PAGE_BASE), href
    assert soup.find("a", class_="brand")["href"] == PAGE_BASE


def test_a_minimal_project_builds_a_complete_site(minimal_site: Path) -> None:
    pages = {p.relative_to(minimal_site).as_posix() for p in html_files(minimal_site)}
    assert pages == {
        "index.html",
        "about/index.html",
        "refer/index.html",
        "clients/shops/index.html",
        "404.html",
    }
    home = soup_of(minimal_site / "index.html")
    assert home.find("link", rel="icon")["href"] == "data:,"
    assert not home.find("img")
    css = next((minimal_site / "assets").glob("site.*.css")).read_text()
    assert "--brand:#ffd400" in css and "--on-brand:#0e1416" in css  # dark text on yellow
    assert "Monthly books for small shops." in text_of(minimal_site / "index.html")
    # without a base URL, 404.html links as if it sat at the root (where hosts look for it)
    not_found = soup_of(minimal_site / "404.html")
    assert not not_found.find("img")
    assert not_found.find("a", class_="brand")["href"] == "index.html"
    refer = not_found.find("a", string=lambda s: norm(s or "") == "How to refer a client")
    assert refer["href"] == "refer/index.html"


@pytest.mark.slow
def test_nu_html_checker_finds_no_errors(site: Path, minimal_site: Path) -> None:
    """One run of the Nu HTML Checker (vnu.jar) over every page of both sites."""
    nu_html_check([*html_files(site), *html_files(minimal_site)])


def test_a_refused_markdown_link_reads_as_its_words_on_the_site_and_in_pdfs(make_project) -> None:
    profile = yaml.safe_load((CONTENT / "profiles" / "first-hr-hire.yaml").read_text())
    profile["summary"] = (
        "Owners who read [our guide](javascript:alert(1)) and [the checklist](https://x.example)."
    )
    root = make_project(**{"content/profiles/first-hr-hire.yaml": profile})
    from refkit.pipeline import build

    build(root, only=["site", "pdf"], today=TODAY, jobs=1)
    page = soup_of(root / "output" / "site" / "clients" / "first-hr-hire" / "index.html")
    summary = next(p for p in page.find_all("p") if "our guide" in p.get_text())
    assert " ".join(summary.get_text().split()) == "Owners who read our guide and the checklist."
    assert [a["href"] for a in summary.find_all("a")] == ["https://x.example"]
    text = " ".join(pdf_text(root / "output" / "pdf" / "clients" / "first-hr-hire.pdf").split())
    assert "read our guide and the checklist" in text and "](" not in text
