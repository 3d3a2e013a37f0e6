"""``mailto:`` links (RFC 6068), shared by the site and anything else that links an email.

Spaces are ``%20`` (never ``+``), line breaks ``%0D%0A``. Mail clients and
browsers truncate or refuse long links, so a link is capped at
:data:`MAX_LENGTH` characters: a body that does not fit is cut at a line
boundary and ends with a pointer to the full text online.
"""

from __future__ import annotations

from urllib.parse import quote

MAX_LENGTH = 2000
# RFC 6068 qchar: unreserved and some-delims; "+" is left out on purpose (some clients
# read it as a space), so it is percent-encoded like everything else
_SAFE_HFVALUE = "!$'()*,;:@-._~"


def _encode(value: str) -> str:
    normalised = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
    return quote(normalised, safe=_SAFE_HFVALUE)


def mailto_link(
    to: str = "",
    *,
    subject: str = "",
    body: str = "",
    more_url: str | None = None,
    max_length: int = MAX_LENGTH,
) -> str:
    """A ``mailto:`` URL of at most ``max_length`` characters.

    When the full body does not fit, it is shortened line by line and, when
    ``more_url`` is given, ends with "Full text: <more_url>".
    """
    base = "mailto:" + quote(to, safe="@.,+-_")
    params = [f"subject={_encode(subject)}"] if subject else []

    def link(text: str) -> str:
        query = [*params, f"body={_encode(text)}"] if text else params
        return base + ("?" + "&".join(query) if query else "")

    full = link(body)
    if len(full) <= max_length:
        return full
    lines = body.splitlines()
    tail = f"\n\n[...]\nFull text: {more_url}" if more_url else "\n\n[...]"
    while lines:
        lines.pop()
        candidate = link("\n".join(lines).rstrip() + tail)
        if len(candidate) <= max_length:
            return candidate
    short = link(tail.strip())
    return short if len(short) <= max_length else link("")
