"""Markdown fields to safe HTML: CommonMark, then sanitised with nh3.

Raw HTML in content is never passed through: nh3 keeps only a short list of
harmless tags (``<b>``, ``<em>``, ``<br>`` ...) and drops everything else,
including ``<script>`` and ``<style>`` with their contents, event handlers and
``javascript:`` URLs, whatever the YAML says. The plain-text rendering drops
raw HTML the same way.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
}
_ATTRIBUTES = {"a": {"href", "title"}}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})


@lru_cache(maxsize=4096)
def render_markdown(text: str) -> Markup:
    """Markdown source -> sanitised HTML fragment (block level)."""
    html = _parser().render(text)
    clean = nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return Markup(clean.strip())


@lru_cache(maxsize=4096)
def render_inline(text: str) -> Markup:
    """Markdown source -> sanitised HTML without the wrapping paragraph."""
    html = str(render_markdown(text))
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)


_DROPPED = re.compile(r"<(/?)(script|style|textarea|title)\b", re.IGNORECASE)


def markdown_to_text(text: str) -> str:
    """Markdown source -> plain text (paragraphs apart, list items as '- ').

    Raw HTML contributes no markup, and nothing at all from inside ``<script>``
    or ``<style>``: the same words a reader sees in the sanitised HTML.
    """
    blocks: list[str] = []
    prefix = ""
    for token in _parser().parse(text):
        if token.type == "list_item_open":
            prefix = "- "
        elif token.type == "inline" and token.children is not None:
            words = []
            hidden = 0
            for child in token.children:
                if child.type == "html_inline":
                    tag = _DROPPED.match(child.content)
                    if tag:
                        hidden = max(0, hidden + (-1 if tag.group(1) else 1))
                elif hidden:
                    continue
                elif child.type in ("text", "code_inline"):
                    words.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    words.append(" ")
            block = "".join(words).strip()
            if block:
                blocks.append(prefix + block)
            prefix = ""
        elif token.type == "html_block":
            block = nh3.clean(token.content, tags=set()).strip()
            if block:
                blocks.append(prefix + html.unescape(block))
                prefix = ""
    return "\n\n".join(blocks)
