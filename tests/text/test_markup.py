"""Markdown fields: rendered, then sanitised; raw HTML never passes through."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from refkit.text.markup import markdown_to_text, render_inline, render_markdown

PAYLOADS = [
    '<script>alert("a")</script> Hello',
    'Hello <script>alert("a")</script> world',
    "Hello <style>body{display:none}</style> world",
    "<div onclick=\"alert('a')\">Hello</div>",
    'Hello <img src=x onerror="alert(1)">',
    '[Hello](javascript:alert("a"))',
    "Hello <a href=\"javascript:alert('a')\" onmouseover=\"alert('a')\">there</a>",
    "Hello <iframe src=https://evil.example></iframe>",
    "</p></li><script>alert('a')</script>",
]


@pytest.mark.parametrize("source", PAYLOADS)
def test_raw_html_is_sanitised_not_shown(source: str) -> None:
    html = str(render_markdown(source))
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find_all(["script", "style", "img", "iframe", "div"]), html
    for tag in soup.find_all(True):
        assert not any(a.startswith("on") for a in tag.attrs), html
        assert not str(tag.get("href", "")).lower().startswith("javascript:"), html
    # what is left is the words, not the payload shown as text
    assert "alert" not in soup.get_text() or "javascript" in source, html
    assert "display:none" not in soup.get_text()
    text = markdown_to_text(source)
    assert "<" not in text and "display:none" not in text, text
    assert "alert" not in text or "javascript" in source, text


def test_harmless_markup_and_markdown_survive() -> None:
    html = str(render_markdown("We **help** <em>owners</em>,<br>fast.\n\n- one\n- two"))
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("strong").get_text() == "help"
    assert soup.find("em").get_text() == "owners"
    assert soup.find("br") is not None
    assert [li.get_text() for li in soup.find_all("li")] == ["one", "two"]
    assert str(render_inline("A [link](https://example.com)")) == (
        'A <a href="https://example.com" rel="noopener noreferrer">link</a>'
    )
    assert markdown_to_text("We **help** <em>owners</em>.\n\n- one\n- two") == (
        "We help owners.\n\n- one\n\n- two"
    )


REFUSED_LINKS = [
    ("See [our guide](javascript:alert(1)) and [the site](https://x.example).", "our guide"),
    ("Call [Dana](<data:text/html,hi>) today.", "Dana"),
    ("Read [the brief](vbscript:msgbox) first.", "the brief"),
    ("Open [the file](file:///etc/passwd) here.", "the file"),
    ("Try [it](JaVaScRiPt:alert(1)) now.", "it"),
    ("Try [it](&#106;avascript:alert(1)) now.", "it"),
]


@pytest.mark.parametrize(("source", "words"), REFUSED_LINKS)
def test_a_refused_link_shows_its_words_without_brackets(source: str, words: str) -> None:
    """A link refkit will not publish reads as plain words, never as Markdown source."""
    for rendered in (str(render_markdown(source)), str(render_inline(source))):
        soup = BeautifulSoup(rendered, "html.parser")
        text = soup.get_text()
        assert "[" not in text and "](" not in text and ":" not in text.replace("https:", ""), text
        assert words in text, text
        for link in soup.find_all("a"):
            assert link["href"].startswith("https://"), rendered
            assert link.get_text() != words, rendered
    plain = markdown_to_text(source)
    assert "[" not in plain and "](" not in plain and words in plain, plain


def test_safe_links_stay_links_and_images_read_as_their_description() -> None:
    source = "[Us](/about/), [mail](mailto:a@b.example), ![our *new* van](x.png)."
    html = str(render_markdown(source))
    soup = BeautifulSoup(html, "html.parser")
    assert [a["href"] for a in soup.find_all("a")] == ["/about/", "mailto:a@b.example"]
    assert soup.get_text() == "Us, mail, our new van."
    assert not soup.find_all("img")
    assert markdown_to_text("See ![our van](x.png) here") == "See our van here"
