"""One typography for every output: the site, the report and the HTML emails are set
as the one-pagers are (curly quotes and apostrophes, en dashes in ranges, no widows);
scripts, their JSON data, attributes and links, and the plain-text emails stay as written."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup

from conftest import TODAY, parse_eml, write_project
from refkit.pipeline import build

NAME = 'Keel\'s "True North" HR'
NICE_NAME = "Keel’s “True North” HR"
CRITERION = 'Owners who say it\'s "time to hire" at $8M-$60M in revenue'
NICE_CRITERION = "Owners who say it’s “time to hire” at $8M–$60M in revenue"
PROFILE = "content/profiles/growing-manufacturers.yaml"
CURLY = re.compile("[‘’“”–]")
#: what typesetting puts in (an en dash may also come from refkit's own "40–250")
QUOTES = re.compile("[‘’“”]")


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example with quotes, apostrophes and ranges in its content, built."""
    root = write_project(
        tmp_path_factory.mktemp("typeset"), {"content/business.yaml": {"name": NAME}}
    )
    profile = root / PROFILE
    text = profile.read_text(encoding="utf-8")
    text = text.replace(
        "  - 40 to 250 employees, most of them in production",
        f"  - '{CRITERION.replace(chr(39), chr(39) * 2)}'",
    )
    assert "revenue: $8M-$60M" in text and CRITERION.replace("'", "''") in text
    profile.write_text(text, encoding="utf-8")
    build(root, today=TODAY, only=["site", "report", "email"], jobs=1)
    return root / "output"


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html5lib")


def _flat(text: str) -> str:
    """Whitespace collapsed, a no-break space read as a space."""
    return " ".join(text.split())


def _visible(soup: BeautifulSoup) -> str:
    """The text typeset: not scripts, styles, the drafts' bodies and subjects."""
    for tag in soup(["script", "style", "pre"]):
        tag.decompose()
    for tag in soup.find_all(attrs={"data-verbatim": True}):
        tag.decompose()
    return _flat(soup.get_text(" "))


def _strings(data: object) -> list[str]:
    """Every string in a JSON value."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for value in data.values() for s in _strings(value)]
    if isinstance(data, list):
        return [s for value in data for s in _strings(value)]
    return []


def test_the_site_is_typeset(out: Path) -> None:
    soup = _soup(out / "site" / "clients" / "growing-manufacturers" / "index.html")
    text = _visible(soup)
    assert "$8M–$60M" in text and "$8M-$60M" not in text
    assert NICE_CRITERION in text and CRITERION not in text
    assert NICE_NAME in text and NAME not in text
    # the summary's last two words stay on one line
    lede = soup.find("p", string=re.compile("bottleneck"))
    assert lede is not None and lede.get_text().rstrip().endswith("owns\xa0it.")


def test_the_site_keeps_scripts_data_attributes_and_links_as_written(out: Path) -> None:
    for path in sorted((out / "site").rglob("*.html")):
        soup = _soup(path)
        for tag in soup.find_all(True):
            for attribute, value in tag.attrs.items():
                values = value if isinstance(value, list) else [value]
                assert not any(QUOTES.search(unquote(v)) for v in values), (path, attribute)
        for script in soup.find_all("script"):
            assert not QUOTES.search(script.string or ""), path
        for pre in soup.find_all("pre"):
            assert not QUOTES.search(pre.get_text()), path
    home = _soup(out / "site" / "index.html")
    ld = json.loads(home.find("script", type="application/ld+json").string)
    assert ld["name"] == NAME
    profile = _soup(out / "site" / "clients" / "growing-manufacturers" / "index.html")
    data = json.loads(profile.find("script", attrs={"data-builder-data": True}).string)
    assert any(NAME in text for text in _strings(data))
    assert any(CRITERION in text for text in _strings(data))
    # an email's subject on the page reads as the draft does; its mailto link holds it as is
    subjects = profile.find_all("span", id=re.compile("-subject$"))
    assert subjects and all(not QUOTES.search(s.get_text()) for s in subjects)
    mailtos = [unquote(a["href"]) for a in profile.find_all("a", href=re.compile("^mailto:"))]
    assert any(NAME in href for href in mailtos)


def test_the_report_is_typeset(out: Path) -> None:
    soup = _soup(out / "report" / "index.html")
    assert f"for {NICE_NAME} only" in _flat(soup.find(class_="eyebrow").get_text())
    assert '"Inter"' in soup.find("style").string  # its CSS as written


def test_html_emails_are_typeset_and_plain_text_stays_ascii(out: Path) -> None:
    html = _soup(out / "email" / "_generic" / "criteria-share.html")
    assert NICE_CRITERION in _flat(html.get_text(" "))
    assert NICE_NAME in _flat(html.get_text(" "))
    assert all(not QUOTES.search(unquote(a["href"])) for a in html.find_all("a", href=True))
    plain = (out / "email" / "_generic" / "criteria-share.txt").read_text(encoding="utf-8")
    assert CRITERION in _flat(plain) and NAME in _flat(plain)
    assert not CURLY.search(plain)
    message = parse_eml(out / "email" / "dana-whitfield" / "criteria-share.eml")
    text = message.get_body(("plain",)).get_content()
    assert NAME in _flat(text) and not CURLY.search(text)
    assert NICE_NAME in _flat(
        BeautifulSoup(message.get_body(("html",)).get_content(), "html5lib").get_text()
    )
