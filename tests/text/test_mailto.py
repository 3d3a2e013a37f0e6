"""mailto links (RFC 6068): encoding and the 2,000-character cap."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from refkit.text.mailto import MAX_LENGTH, mailto_link


def query(link: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(link).query)


def test_encoding() -> None:
    link = mailto_link(
        "priya@example.com", subject="Hello there & welcome", body="Line one\nLine two"
    )
    assert link.startswith("mailto:priya@example.com?subject=Hello%20there%20%26%20welcome&body=")
    assert "+" not in link and " " not in link
    assert "Line%20one%0D%0ALine%20two" in link
    assert query(link)["body"] == ["Line one\r\nLine two"]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_every_line_break_becomes_crlf(newline: str) -> None:
    link = mailto_link(body=f"a{newline}b{newline}{newline}c")
    assert link == "mailto:?body=a%0D%0Ab%0D%0A%0D%0Ac"


def test_plus_and_non_ascii() -> None:
    link = mailto_link("priya+refs@example.com", subject="1+1 for Inês & Zoë")
    assert link.startswith("mailto:priya%2Brefs@example.com?")
    assert "1%2B1%20for%20In%C3%AAs%20%26%20Zo%C3%AB" in link
    assert unquote(link.split("subject=")[1]) == "1+1 for Inês & Zoë"


def test_delimiters_in_values_are_encoded() -> None:
    link = mailto_link("a@example.com", subject="a=b&c?d#e", body="x&body=evil")
    assert query(link) == {"subject": ["a=b&c?d#e"], "body": ["x&body=evil"]}
    assert "#" not in link


def test_slash_and_question_mark_are_encoded() -> None:
    link = mailto_link(body="See https://example.com/a?b=c")
    assert link == "mailto:?body=See%20https:%2F%2Fexample.com%2Fa%3Fb%3Dc"


def test_short_body_is_untouched() -> None:
    assert mailto_link(body="short") == "mailto:?body=short"
    assert mailto_link("a@example.com") == "mailto:a@example.com"


def test_long_body_is_shortened_with_a_pointer() -> None:
    lines = [f"Criterion number {i}: a fairly long line of text" for i in range(200)]
    more = "More about us: https://example.com/x/"
    link = mailto_link("a@example.com", subject="S", body="\n".join(lines), more=more)
    assert len(link) <= MAX_LENGTH
    body = query(link)["body"][0]
    assert body.endswith("\r\n\r\n" + more)
    kept = body.split("\r\n\r\n" + more)[0].split("\r\n")
    assert kept == lines[: len(kept)]  # whole lines, in order
    # the longest prefix that fits: one more line would not
    longer = mailto_link(
        "a@example.com",
        subject="S",
        body="\n".join(lines[: len(kept) + 1]) + "\n\n" + more,
        max_length=10**6,
    )
    assert len(longer) > MAX_LENGTH


def test_long_email_loses_paragraphs_from_the_end_but_keeps_greeting_and_sign_off() -> None:
    greeting = "Hi Ana and Priya,"
    paragraphs = [f"Paragraph {i}: " + "words and more words " * 12 for i in range(12)]
    sign_off = "Best,\nDana Whitfield"
    body = "\n\n".join([greeting, *paragraphs, sign_off])
    more = "More about Keel & Compass HR: https://example.com/clients/x/"
    link = mailto_link("p@example.com", subject="Introduction", body=body, more=more)
    assert len(link) <= MAX_LENGTH
    got = query(link)["body"][0].replace("\r\n", "\n").split("\n\n")
    assert got[0] == greeting and got[-1] == sign_off and got[-2] == more
    kept = got[1:-2]
    assert kept == paragraphs[: len(kept)] and 0 < len(kept) < len(paragraphs)
    # one more paragraph would not fit
    longer = "\n\n".join([greeting, *paragraphs[: len(kept) + 1], more, sign_off])
    unlimited = mailto_link("p@example.com", subject="Introduction", body=longer, max_length=10**6)
    assert len(unlimited) > MAX_LENGTH


def test_long_body_without_a_pointer() -> None:
    link = mailto_link(body="x" * 5000 + "\nshort")
    assert len(link) <= MAX_LENGTH
    assert query(link)["body"] == ["[...]"]


def test_the_cap_holds_even_for_a_huge_subject() -> None:
    subject = "Introduction " * 400
    link = mailto_link("a@example.com", subject=subject, body="Hello")
    assert len(link) <= MAX_LENGTH
    assert query(link)["subject"][0].startswith("Introduction Introduction")
    assert "%" not in link[-3:-1]  # never a cut escape


@pytest.mark.parametrize("limit", [100, 500, MAX_LENGTH])
def test_any_cap(limit: int) -> None:
    body = "\n".join(f"Zoë line {i} — with some text" for i in range(500))
    link = mailto_link("a@example.com", subject="Sûbject", body=body, max_length=limit)
    assert len(link) <= limit
    assert unquote(link)  # still decodes
