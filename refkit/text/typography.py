"""Typesetting of HTML text: typographic quotes, en dashes in ranges, no widows.

One pass over a whole rendered document (a site page, the report, an HTML
email, a one-pager before WeasyPrint). Only text between tags changes:
attributes (so every ``href``, ``mailto:`` included), comments, CSS, scripts
(the builder's JSON data too), code and preformatted text stay as written,
and so does any element marked ``data-verbatim`` (an email's subject on the
site, which must read as the draft does), any word that is a web or email
address, and a draft's ``[Blank]``.
"""

from __future__ import annotations

import html as htmllib
import re

#: elements whose text is set as is (CSS, scripts and their data, code, form values)
_VERBATIM = {"style", "script", "code", "pre", "kbd", "samp", "textarea"}


#: the attribute that keeps any other element's text as written
VERBATIM_ATTRIBUTE = "data-verbatim"


#: inline elements: quotes inside them continue the text around them
_INLINE = {"a", "b", "strong", "em", "i", "span", "small", "abbr", "sub", "sup", "mark", "q"}


#: blocks whose last two words are kept together, so no line holds one word alone
_NO_WIDOWS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figcaption"}


#: a comment, a declaration (<!doctype>), or a tag whose quoted attributes may hold ">"
_MARKUP = re.compile(
    r"(<!--.*?-->|<![^>]*>|</?[A-Za-z][^\s/>]*(?:\"[^\"]*\"|'[^']*'|[^'\">])*>)", re.S
)


_TAG_NAME = re.compile(r"</?([a-zA-Z][a-zA-Z0-9-]*)")


_MARKED_VERBATIM = re.compile(rf"\s{VERBATIM_ATTRIBUTE}(?=[\s=/>])")


#: what is set as written: a word that is an address (https://..., www...., name@host),
#: whose quotes and dashes are its own, and a [Blank] of a draft, which its sender
#: finds and replaces as the plain text has it (a whole word is matched from its start
#: only, so a word of 100,000 letters is read once, not once per letter)
_AS_WRITTEN = re.compile(r"((?<!\S)(?=\S*(?:://|@|www\.))\S+|\[[A-Z][^\]\n]{0,200}\])")


#: a number range such as 40-250, $8M-$60M or 10%-20% (not 2024-03-12, not a 555-0143 phone)
_NUMBER = r"(\$?(\d(?:[\d,.]*\d)?)[KMBkmb%]?)"


_RANGE = re.compile(rf"(?<![\w.,/-]){_NUMBER}-{_NUMBER}(?![\w/-]|[.,]\d)")


#: the two words kept together must be this short, so a narrow column never overflows
_WIDOW_CHARS = 20


def typeset(html: str) -> str:
    """Typographic quotes, en dashes and no widows in the text of an HTML document.

    Only text between tags changes: attributes, comments, CSS, scripts, code
    and elements marked ``data-verbatim`` stay as written.
    """
    parts = _MARKUP.split(html)
    verbatim: str | None = None  # the element whose text is kept, while inside it
    depth = 0  # how many of that element are open (a marked <span> may hold spans)
    before = " "  # the character before the current text, for the quotes
    last_text: int | None = None  # the last text of the current block, for no widows
    for i, part in enumerate(parts):
        if i % 2:  # markup
            match = _TAG_NAME.match(part)
            name = match.group(1).lower() if match else ""
            closing = part.startswith("</")
            opening = bool(name) and not closing and not part.endswith("/>")
            if verbatim:
                if name == verbatim:
                    depth += -1 if closing else (1 if opening else 0)
                    if depth == 0:
                        verbatim = None
                continue
            if opening and (name in _VERBATIM or _MARKED_VERBATIM.search(part)):
                verbatim, depth = name, 1
                last_text = None
                continue
            if closing and name in _NO_WIDOWS and last_text is not None:
                parts[last_text] = _bind_last_words(parts[last_text])
            if name and name not in _INLINE:
                before = " "
                last_text = None
            continue
        if verbatim or not part:
            continue
        text = htmllib.unescape(part)
        nice = _smarten(text, before)
        if nice != text:
            parts[i] = htmllib.escape(nice, quote=False)
        if text.strip():
            before = text.rstrip()[-1] if text.rstrip() == text else " "
            last_text = i
    return "".join(parts)


def _smarten(text: str, before: str) -> str:
    """:func:`_smarten_words` on everything but the addresses and blanks in ``text``."""
    pieces = _AS_WRITTEN.split(text)
    for i in range(0, len(pieces), 2):
        if pieces[i]:
            prev = pieces[i - 1][-1] if i else before
            pieces[i] = _smarten_words(pieces[i], prev)
    return "".join(pieces)


def _smarten_words(text: str, before: str) -> str:
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
    if text.rfind("[", 0, match.end(1)) > text.rfind("]", 0, match.end(1)):
        return text  # inside a [Blank], which stays as written
    return f"{text[: match.start()]}{match.group(1)}&nbsp;{match.group(3)}{match.group(4)}"


_LAST_WORDS = re.compile(r"(?<=\s)(\S+)(\s+)(\S+)(\s*)$")
