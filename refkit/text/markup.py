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
from markdown_it.token import Token
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


#: the link targets a reader may follow; anything else keeps its words, not its link
_SAFE_SCHEMES = {"http", "https", "mailto"}
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")


class _EveryLink(MarkdownIt):
    """markdown-it refuses a javascript: or data: link by not parsing it at all,
    so "[our guide](javascript:...)" reached readers with its brackets and URL;
    parse every link, and let _without_refused_links keep only the words."""

    def validateLink(self, url: str) -> bool:  # noqa: N802 (markdown-it's name)
        return True


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return _EveryLink("commonmark", {"html": True, "linkify": False, "typographer": False})


def _safe_href(href: str) -> bool:
    scheme = _SCHEME.match(href)
    return scheme is None or scheme.group(1).lower() in _SAFE_SCHEMES


def _without_refused_links(children: list[Token]) -> list[Token]:
    """Inline tokens with refused links unwrapped and images as their alt text.

    A link whose URL is not http(s), mailto or relative shows its text, plain;
    an image (never published from Markdown) shows its description, so no
    sentence is left with a gap or a dangling "and .".
    """
    kept: list[Token] = []
    unwrapping = False
    for token in children:
        if token.type == "link_open" and not _safe_href(str(token.attrs.get("href", ""))):
            unwrapping = True
        elif token.type == "link_close" and unwrapping:
            unwrapping = False
        elif token.type == "image":
            kept.extend(_without_refused_links(token.children or []))
        else:
            kept.append(token)
    return kept


def _tokens(text: str) -> list[Token]:
    tokens = _parser().parse(text)
    for token in tokens:
        if token.type == "inline" and token.children is not None:
            token.children = _without_refused_links(token.children)
    return tokens


@lru_cache(maxsize=4096)
def render_markdown(text: str) -> Markup:
    """Markdown source -> sanitised HTML fragment (block level)."""
    parser = _parser()
    html = parser.renderer.render(_tokens(text), parser.options, {})
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
    for token in _tokens(text):
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
