"""Typography: straight quotes curled, ranges with en dashes, no one-word last line."""

from __future__ import annotations

from refkit.text import typography


def test_typeset() -> None:
    html = (
        '<html><head><title>We\'re "here"</title><style>a::before { content: "x\'s"; }'
        '</style></head><body><p class="it\'s">Owners of 40-250 people, $8M-$60M, '
        "\"also does HR\", don't, '90s, call 555-0143, 414-555-0143 or 555-1234, "
        "on 2024-03-12, pages 3-5 - and more...</p>"
        "<li>A handbook and personnel files that would survive an audit</li>"
        "<li>See https://example.com/a/very/long/path/name</li>"
        '<code>"as is"</code></body></html>'
    )
    out = typography.typeset(html)
    assert "<title>We’re “here”</title>" in out
    assert 'a::before { content: "x\'s"; }' in out  # CSS as written
    assert '<p class="it\'s">' in out  # attributes as written
    assert "40–250 people, $8M–$60M, “also does HR”, don’t, ’90s" in out
    assert "555-0143, 414-555-0143 or 555-1234, on 2024-03-12, pages 3–5 – and&nbsp;more…" in out
    assert "survive an&nbsp;audit</li>" in out  # no one-word last line
    assert "<li>See https://example.com/a/very/long/path/name</li>" in out  # too long to bind
    assert '<code>"as is"</code>' in out
    assert typography.typeset(out) == out  # typesetting twice changes nothing
