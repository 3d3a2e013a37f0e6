"""mailto links (RFC 6068): encoding and the 2,000-character cap."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

from refkit.mailto import MAX_LENGTH, mailto_link


def test_encoding() -> None:
    link = mailto_link(
        "priya@example.com", subject="Hello there & welcome", body="Line one\nLine two"
    )
    assert link.startswith("mailto:priya@example.com?subject=Hello%20there%20%26%20welcome&body=")
    assert "+" not in link and " " not in link
    assert "Line%20one%0D%0ALine%20two" in link
    query = parse_qs(urlsplit(link).query)
    assert query["body"] == ["Line one\r\nLine two"]


def test_plus_and_non_ascii() -> None:
    link = mailto_link(subject="1+1 for Inês")
    assert "1%2B1%20for%20In%C3%AAs" in link
    assert unquote(link.split("subject=")[1]) == "1+1 for Inês"


def test_long_body_is_shortened_with_a_pointer() -> None:
    body = "\n".join(f"Criterion number {i}: a fairly long line of text" for i in range(200))
    link = mailto_link(
        "a@example.com", subject="S", body=body, more_url="https://example.com/clients/x/"
    )
    assert len(link) <= MAX_LENGTH
    decoded = unquote(link)
    assert decoded.endswith("Full text: https://example.com/clients/x/")
    assert "Criterion number 0" in decoded


def test_short_body_is_untouched() -> None:
    link = mailto_link(body="short")
    assert link == "mailto:?body=short"


def test_slash_and_question_mark_are_encoded() -> None:
    link = mailto_link(body="See https://example.com/a?b=c")
    assert link == "mailto:?body=See%20https:%2F%2Fexample.com%2Fa%3Fb%3Dc"
