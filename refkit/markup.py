"""Markdown fields to safe HTML: CommonMark, then sanitised with nh3.

Raw HTML in content is never passed through: markdown-it escapes it and nh3
removes anything that could still run (scripts, event handlers,
``javascript:`` URLs), whatever the YAML says.
"""

from __future__ import annotations

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
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


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


def markdown_to_text(text: str) -> str:
    """Markdown source -> plain text (paragraphs apart, list items as '- ')."""
    blocks: list[str] = []
    prefix = ""
    for token in _parser().parse(text):
        if token.type == "list_item_open":
            prefix = "- "
        elif token.type == "inline" and token.children is not None:
            words = []
            for child in token.children:
                if child.type in ("text", "code_inline"):
                    words.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    words.append(" ")
            blocks.append(prefix + "".join(words).strip())
            prefix = ""
    return "\n\n".join(blocks)
