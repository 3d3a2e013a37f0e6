"""Typesetting of HTML text: typographic quotes, en dashes in ranges, no widows.

Only text between tags changes: attributes, CSS and code stay as written.
"""

from __future__ import annotations

import html as htmllib
import re

#: elements whose text is set as is (CSS, code)
_VERBATIM = {"style", "script", "code", "pre"}


#: inline elements: quotes inside them continue the text around them
_INLINE = {"a", "b", "strong", "em", "i", "span", "small", "abbr", "sub", "sup"}


#: blocks whose last two words are kept together, so no line holds one word alone
_NO_WIDOWS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figcaption"}


_TAG_NAME = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")


#: a number range such as 40-250, $8M-$60M or 10%-20% (not 2024-03-12, not a 555-0143 phone)
_NUMBER = r"(\$?(\d(?:[\d,.]*\d)?)[KMBkmb%]?)"


_RANGE = re.compile(rf"(?<![\w.,/-]){_NUMBER}-{_NUMBER}(?![\w/-]|[.,]\d)")


#: the two words kept together must be this short, so a narrow column never overflows
_WIDOW_CHARS = 20


def typeset(html: str) -> str:
    """Typographic quotes, en dashes and no widows in the text of an HTML page.

    Only text between tags changes: attributes, CSS and code stay as written.
    """
    parts = re.split(r"(<[^>]*>)", html)
    verbatim: str | None = None
    before = " "  # the character before the current text, for the quotes
    for i, part in enumerate(parts):
        if part.startswith("<"):
            match = _TAG_NAME.match(part)
            name = match.group(1).lower() if match else ""
            closing = part.startswith("</")
            if verbatim:
                if closing and name == verbatim:
                    verbatim = None
            elif name in _VERBATIM and not closing and not part.endswith("/>"):
                verbatim = name
            elif name not in _INLINE:
                before = " "
            if closing and name in _NO_WIDOWS and i >= 1 and not parts[i - 1].startswith("<"):
                parts[i - 1] = _bind_last_words(parts[i - 1])
            continue
        if verbatim or not part:
            continue
        text = htmllib.unescape(part)
        nice = _smarten(text, before)
        if nice != text:
            parts[i] = htmllib.escape(nice, quote=False)
        if text.strip():
            before = text.rstrip()[-1] if text.rstrip() == text else " "
    return "".join(parts)


def _smarten(text: str, before: str) -> str:
    """Curly quotes and apostrophes, en dashes in ranges and between spaces, an ellipsis."""
    text = _RANGE.sub(_range_dash, text)
    text = text.replace(" - ", " – ").replace("...", "…")
    if "'" not in text and '"' not in text:
        return text
    out = []
    for i, char in enumerate(text):
        prev = text[i - 1] if i else before
        if char == '"':
            char = "“" if prev.isspace() or prev in "([{‘“–—-/" else "”"
        elif char == "'":
            after = text[i + 1] if i + 1 < len(text) else " "
            opening = prev.isspace() or prev in "([{“–—-/"
            char = "‘" if opening and not after.isspace() and not after.isdigit() else "’"
        out.append(char)
    return "".join(out)


def _range_dash(match: re.Match[str]) -> str:
    """``40-250`` -> ``40–250``, unless it looks like part of a phone number."""
    left, low, right, high = match.groups()
    plain = left == low and right == high
    if plain:
        if high.startswith("0") or (len(low) == 3 and len(high) == 4):
            return match.group(0)  # 555-0143, 555-1234: a phone number
        try:
            if float(low.replace(",", "")) >= float(high.replace(",", "")):
                return match.group(0)
        except ValueError:
            return match.group(0)
    return f"{left}–{right}"


def _bind_last_words(text: str) -> str:
    """Join the last two words with a no-break space when they are short."""
    match = _LAST_WORDS.search(text)
    if not match or len(match.group(1)) + len(match.group(3)) > _WIDOW_CHARS:
        return text
    if "&nbsp;" in match.group(3) or "\xa0" in match.group(3):
        return text  # already kept together
    return f"{text[: match.start()]}{match.group(1)}&nbsp;{match.group(3)}{match.group(4)}"


_LAST_WORDS = re.compile(r"(?<=\s)(\S+)(\s+)(\S+)(\s*)$")
