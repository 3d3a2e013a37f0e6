"""An email's two bodies: plain text wrapped at 72 columns, and HTML from escaped Markdown.

The HTML version is the email's template rendered a second time with every
``{{ value }}`` escaped for Markdown (:func:`escape_markdown`, so a name like
``*Acme* [x](...)`` stays literal text), then Markdown to HTML, laid out in a
600 px single column with its CSS inlined for Gmail and Outlook. Web and
email addresses become links in the HTML.
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

import jinja2

from refkit.render.templating import render_template
from refkit.text.markup import render_markdown
from refkit.text.typography import typeset

WRAP = 72


_URL = re.compile(r"(?<![<(])\b(https?://[^\s<>()]+[^\s<>().,;:!?'\"])")


# an address CommonMark can autolink (<a@b.c>), not one inside a URL or already linked
_EMAIL = re.compile(
    r"(?<![\w.+%/:<@-])([A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+)(?![\w@-])"
)


# what escape_markdown leaves whole, so the HTML version can link it
_LINKABLE = re.compile(f"{_URL.pattern}|{_EMAIL.pattern}")


# ASCII punctuation CommonMark may read as markup anywhere in a line
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#!|~&+=-])")


_MD_ORDERED = re.compile(r"^(\d+)([.)])")


_LIST_ITEM = r"[ \t]*(?:[-*+]|\d+[.)])[ \t]"


_LIST_THEN_TEXT = re.compile(rf"^({_LIST_ITEM}.*)\n(?!{_LIST_ITEM})(?=[ \t]*\S)", re.M)


def wrap_text(body: str, width: int = WRAP) -> str:
    """Wrap paragraphs and list items at ``width`` columns; URLs are never broken."""
    out: list[str] = []
    for line in body.strip("\n").split("\n"):
        stripped = line.rstrip()
        if len(stripped) <= width:
            out.append(stripped)
            continue
        indent = re.match(r"^(\s*(?:[-*] |\d+\. )?)", stripped)
        lead = indent.group(1) if indent else ""
        out.extend(
            textwrap.wrap(
                stripped,
                width=width,
                subsequent_indent=" " * len(lead),
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return "\n".join(out) + "\n"


class _MarkdownSource(str):
    """Markdown a template asked for on purpose (``strong(...)``): not escaped again."""

    __slots__ = ()


def strong_markdown(value: Any) -> _MarkdownSource:
    """A value set in bold in the HTML (``strong(text)`` in a template)."""
    return _MarkdownSource(f"**{escape_markdown(value)}**")


def quote_markdown(value: Any) -> _MarkdownSource:
    """A paragraph set apart as a quotation in the HTML (``quote(text)`` in a template)."""
    return _MarkdownSource(f"> {escape_markdown(value)}")


def escape_markdown(value: Any) -> str:
    """A template value as literal Markdown text: punctuation escaped, URLs left whole."""
    if isinstance(value, _MarkdownSource):
        return str(value)
    text = str(value)
    parts: list[str] = []
    position = 0
    for match in _LINKABLE.finditer(text):
        parts.append(_MD_SPECIAL.sub(r"\\\1", text[position : match.start()]))
        parts.append(match.group())
        position = match.end()
    parts.append(_MD_SPECIAL.sub(r"\\\1", text[position:]))
    return _MD_ORDERED.sub(r"\1\\\2", "".join(parts))


def render_html(env: jinja2.Environment, subject: str, source: str, context: dict[str, Any]) -> str:
    """The HTML version of a Markdown body: the email layout, CSS inlined."""
    import css_inline

    source = _URL.sub(r"<\1>", source)
    source = _EMAIL.sub(r"<\1>", source)
    # plain text ends a list with the next line; Markdown would glue that line
    # onto the last item (a "lazy continuation"), so end the list explicitly
    source = _LIST_THEN_TEXT.sub("\\1\n\n", source)
    # a line break inside a paragraph (a signature, a heading line) stays a line break
    source = re.sub(r"(?<=\S)\n(?=[^\n-])", "  \n", source)
    content = render_markdown(source)
    page = render_template(
        env, "email/_layout.html", **{**context, "subject": subject, "content": content}
    )
    inliner = css_inline.CSSInliner(load_remote_stylesheets=False, keep_style_tags=False)
    return typeset(str(inliner.inline(page))).rstrip("\n") + "\n"
