"""Hardening of the site and `refkit serve`: no listable tokens, a busy port, one-pager overflow."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import TEST_SECRET, build_site, http_get, pdf_text, run_refkit
from refkit.cli.serve import DevServer
from refkit.derive.layout import partner_token

#: the example's partners with a private page
PRIVATE = ("helen-marsh", "ines-carvalho", "marcus-oyelaran", "tom-brenner", "zoe-lindqvist")


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


# ------------------------------------------------------------- item 3: p/ lists nothing


def test_the_private_folder_has_an_index_that_says_and_lists_nothing(make_project) -> None:
    site = build_site(make_project())
    page = site / "p" / "index.html"
    assert page.is_file()
    html = page.read_text(encoding="utf-8")
    tokens = [partner_token(TEST_SECRET, slug) for slug in PRIVATE]
    assert all((site / "p" / token / "index.html").is_file() for token in tokens)
    assert not any(token in html for token in tokens)
    soup = soup_of(page)
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
    assert soup.find("meta", attrs={"name": "referrer"})["content"] == "no-referrer"
    assert soup.find("link", rel="canonical") is None
    # the site's look: its stylesheet, header, footer and one heading
    stylesheet = soup.find("link", rel="stylesheet")["href"]
    assert stylesheet.startswith("../assets/site.") and (site / "p" / stylesheet).is_file()
    assert soup.find("header") and soup.find("footer") and soup.find("main", id="main")
    assert len(soup.find_all("h1")) == 1
    # and nothing about any partner: no link into p/, no partner's name
    hrefs = [a["href"] for a in soup.find_all("a", href=True)]
    assert not [h for h in hrefs if not h.startswith(("../", "#", "mailto:", "tel:"))], hrefs
    assert not [h for h in hrefs if h.startswith("../p/")], hrefs
    for name in ("Helen Marsh", "Ines Carvalho", "Marcus Oyelaran", "Tom Brenner"):
        assert name not in soup.get_text()
    assert "/p/" not in (site / "sitemap.xml").read_text()


def test_without_private_partners_there_is_no_private_folder(make_project) -> None:
    root = make_project()
    for path in (root / "content" / "partners").glob("*.yaml"):
        data = yaml.safe_load(path.read_text())
        data["page"] = "public" if data.get("page", "private") == "private" else data["page"]
        path.write_text(yaml.safe_dump(data, sort_keys=False))
    site = build_site(root)
    assert not (site / "p").exists()


@pytest.fixture
def served(make_project) -> Iterator[DevServer]:
    """The example's site served by `refkit serve` on a free loopback port, not watching."""
    lines: list[str] = []
    dev = DevServer(make_project(), port=0, watch=False, kinds=("site",), echo=lines.append)
    dev.start()
    try:
        yield dev
    finally:
        dev.stop()


def test_serve_answers_the_private_folder_with_its_index(served: DevServer) -> None:
    status, body = http_get(served.url + "p/")
    assert status == 200
    assert "noindex, nofollow" in body
    for slug in PRIVATE:
        assert partner_token(TEST_SECRET, slug) not in body


def test_serve_never_lists_a_folder(served: DevServer) -> None:
    # a build from before p/index.html existed, or a folder that never had one
    (served.site_dir / "p" / "index.html").unlink(missing_ok=True)
    for folder in ("p/", "assets/", "clients/", "partners/"):
        assert (served.site_dir / folder).is_dir(), folder
        status, body = http_get(served.url + folder)
        assert status == 404, folder
        assert "Directory listing" not in body, folder
        assert "This page does not exist" in body, folder
        for slug in PRIVATE:
            assert partner_token(TEST_SECRET, slug) not in body, folder
    # the redirect to the slash does not reveal anything either
    status, body = http_get(served.url + "p")
    assert status == 404 and "Directory listing" not in body
    # files are still served
    token = partner_token(TEST_SECRET, "ines-carvalho")
    assert http_get(served.url + f"p/{token}/")[0] == 200


# --------------------------------------------------------------------------- busy port


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        yield int(sock.getsockname()[1])


def test_serve_on_a_busy_port_says_so_before_building(make_project, busy_port: int) -> None:
    root = make_project()
    result = run_refkit("serve", "-p", root, "--port", str(busy_port), "--no-reload")
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].endswith(f"port {busy_port} is in use; try --port 0"), lines
    assert "Traceback" not in result.stderr
    assert not (root / "output").exists()  # said before building


def test_dev_server_on_a_busy_port_does_not_build(make_project, busy_port: int) -> None:
    from refkit.errors import RefkitError

    root = make_project()
    lines: list[str] = []
    dev = DevServer(root, port=busy_port, watch=False, kinds=("site",), echo=lines.append)
    with pytest.raises(RefkitError, match=f"port {busy_port} is in use; try --port 0"):
        dev.start()
    assert not (root / "output").exists() and not lines


# ------------------------------------------------------------- item 11: overflow


def line_of(root: Path, rel: str, start: str) -> int:
    lines = (root / rel).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.startswith(start))


def test_a_long_service_list_is_blamed_on_business_yaml(make_project) -> None:
    """Customers' one-pagers list the services: 400 of them are business.yaml's fault.

    A customer's one-pager shows the first few (the rest are on the site), and
    the warning names the services among what to shorten."""
    services = [
        {"name": f"Service number {i} with a descriptive name", "summary": "Something."}
        for i in range(400)
    ]
    root = make_project({"content/business.yaml": {"services": services}})
    result = run_refkit("build", "-p", root, "--only", "pdf", "--jobs", "2")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line]
    for customer in ("helen-marsh", "zoe-lindqvist"):
        (warning,) = [w for w in warnings if f"(pdf/partners/{customer}.pdf)" in w]
        assert warning.startswith(f"content/partners/{customer}.yaml: warning: "), warning
        assert "fits on one page only" in warning
        assert warning.endswith(" or in the services in content/business.yaml"), warning
        text = pdf_text(root / "output" / "pdf" / "partners" / f"{customer}.pdf")
        assert "Service number 2 " in text and "Service number 3 " not in text


def tagline_lines(pdf: Path, letters: str) -> list[str]:
    from pypdf import PdfReader

    text = PdfReader(pdf).pages[0].extract_text()
    return [line.strip() for line in text.splitlines() if letters in line]


def test_an_unbroken_tagline_is_broken_at_the_edge_and_warned(make_project) -> None:
    word = "Abc" * 100  # 300 characters, no space: two and more lines of the page
    # the prospect's one-pager is the example's densest: two more lines of tagline and
    # it is too long at the smallest readable size, so it is left out here
    root = make_project(
        {
            "content/business.yaml": {"tagline": word},
            "content/partners/tom-brenner.yaml": {"status": "retired"},
        }
    )
    result = run_refkit("build", "-p", root, "--only", "pdf", "--jobs", "2")
    assert result.returncode == 0, result.stderr
    line = line_of(root, "content/business.yaml", "tagline:")
    warnings = [w for w in result.stderr.splitlines() if ": warning: " in w]
    tagline = [w for w in warnings if w.startswith(f"content/business.yaml:{line}:")]
    assert len(tagline) == 1, warnings
    assert "tagline: a word of 300 characters is longer than a line" in tagline[0]
    pdf = root / "output" / "pdf" / "partners" / "dana-whitfield.pdf"
    lines = tagline_lines(pdf, "AbcAbc")
    assert len(lines) >= 3, lines  # broken, not one line running off the page
    assert all(len(text) < 120 for text in lines), lines
    assert "".join(lines).replace(" ", "") == word


def test_a_tagline_of_100000_letters_fails_at_the_tagline(make_project) -> None:
    root = make_project({"content/business.yaml": {"tagline": "x" * 100_000}})
    result = run_refkit("build", "-p", root, "--only", "pdf", "--jobs", "2")
    assert result.returncode == 1, result.stderr[:2000]
    assert "Traceback" not in result.stderr
    line = line_of(root, "content/business.yaml", "tagline:")
    errors = [e for e in result.stderr.splitlines() if ": error: " in e]
    assert errors, result.stderr[:2000]
    assert all(e.startswith(f"content/business.yaml:{line}:") for e in errors), errors
    # refused before any layout (laying it out broken into lines takes minutes)
    assert all("tagline: " in e and "cannot fit on the one-pager" in e for e in errors), errors


@pytest.mark.browser
def test_an_unbroken_tagline_does_not_widen_the_site_on_phones(make_project, browser) -> None:
    site = build_site(make_project({"content/business.yaml": {"tagline": "Abc" * 100}}))
    page = browser.new_page(viewport={"width": 360, "height": 800})
    try:
        wide = []
        for path in sorted(site.rglob("*.html")):
            page.goto(path.as_uri())
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 360:
                wide.append(f"{path.relative_to(site)}: {width}px")
    finally:
        page.close()
    assert not wide, wide
