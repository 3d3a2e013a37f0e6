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


#: a mailto link whose href and title hold quotes (and a ">"), which stay straight
LINK = '<a href="mailto:a@b.c?subject=It\'s%20&quot;x&quot;" title="a > \'b\'">'


def test_scripts_data_comments_and_marked_elements_stay_as_written() -> None:
    data = '{"subject": "It\'s 40-250 \\"people\\"", "html": "<p>one two three</p>"}'
    html = (
        '<!doctype html><body><!-- don\'t > "touch" -->'
        f'<script type="application/json" data-builder-data>{data}</script>'
        '<script>var a = "it\'s"; if (a < b && c > "d") {}</script>'
        '<p>Say "hi" <span id="s" data-verbatim>It\'s "as <span>is</span>" here</span>'
        " isn't it</p>"
        "<textarea>don't</textarea><pre>\"pre\" 40-250</pre><kbd>'k'</kbd>"
        f"{LINK}Mail it's</a>"
        "<p>Write to o'brien@example.com or see https://x.example/it's-1-2 now, ok</p>"
        "</body>"
    )
    out = typography.typeset(html)
    assert '<!-- don\'t > "touch" -->' in out
    assert f'<script type="application/json" data-builder-data>{data}</script>' in out
    assert '<script>var a = "it\'s"; if (a < b && c > "d") {}</script>' in out
    assert '<span id="s" data-verbatim>It\'s "as <span>is</span>" here</span>' in out
    assert "Say “hi” <span" in out and "</span> isn’t&nbsp;it</p>" in out
    assert "<textarea>don't</textarea><pre>\"pre\" 40-250</pre><kbd>'k'</kbd>" in out
    assert f"{LINK}Mail it’s</a>" in out
    assert "o'brien@example.com or see https://x.example/it's-1-2 now," in out


def test_the_last_words_of_a_list_item_in_a_span_are_kept_together() -> None:
    out = typography.typeset("<ul><li><span>Opening a second plant</span>\n</li></ul>")
    assert "<span>Opening a second&nbsp;plant</span>" in out


def test_a_drafts_blanks_stay_as_written() -> None:
    out = typography.typeset("<p>Hi [Prospect's first name], it's about [Prospect company]</p>")
    assert out == "<p>Hi [Prospect's first name], it’s about [Prospect company]</p>"


def test_a_very_long_word_is_set_in_linear_time() -> None:
    """No regex backtracks over a long word once per letter (a quadratic pass never ends)."""
    word = "x" * 1_000_000
    assert typography.typeset(f"<p>{word} it's</p>") == f"<p>{word} it’s</p>"
