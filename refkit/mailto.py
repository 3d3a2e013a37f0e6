"""``mailto:`` links (RFC 6068), shared by the site and anything else that links an email.

Spaces are ``%20`` (never ``+``), line breaks ``%0D%0A``. Mail clients and
browsers truncate or refuse long links, so a link is capped at
:data:`MAX_LENGTH` characters: a body that does not fit is cut at a line
boundary and ends with a pointer to the full text online; only when even the
subject does not fit is the subject shortened.
"""

from __future__ import annotations

from urllib.parse import quote

MAX_LENGTH = 2000
# RFC 6068 qchar: unreserved and some-delims; "+" is left out on purpose (some clients
# read it as a space), so it is percent-encoded like everything else
_SAFE_HFVALUE = "!$'()*,;:@-._~"
_SAFE_ADDRESS = "@.,-_"
CUT = "[...]"


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

    When the full body does not fit, it is shortened line by line and ends
    with "[...]" and, when ``more_url`` is given, "Full text: <more_url>".
    """
    base = "mailto:" + quote(to, safe=_SAFE_ADDRESS)

    def link(subject_text: str, text: str) -> str:
        query = [f"subject={_encode(subject_text)}"] if subject_text else []
        if text:
            query.append(f"body={_encode(text)}")
        return base + ("?" + "&".join(query) if query else "")

    full = link(subject, body)
    if len(full) <= max_length:
        return full
    tail = f"\n\n{CUT}\nFull text: {more_url}" if more_url else f"\n\n{CUT}"
    lines = body.splitlines()
    # the longest prefix of whole lines that fits: the length grows with the
    # number of lines kept, so a binary search finds it
    low, high = 0, len(lines) - 1
    best: str | None = None
    while low <= high:
        middle = (low + high) // 2
        candidate = link(subject, "\n".join(lines[: middle + 1]).rstrip() + tail)
        if len(candidate) <= max_length:
            best, low = candidate, middle + 1
        else:
            high = middle - 1
    if best is not None:
        return best
    for text in (tail.strip(), ""):
        candidate = link(subject, text)
        if len(candidate) <= max_length:
            return candidate
    # even the subject alone is too long: shorten it, never cutting an escape
    words = subject.split()
    while words:
        words.pop()
        candidate = link(" ".join(words) + " ...", "")
        if len(candidate) <= max_length:
            return candidate
    return base if len(base) <= max_length else "mailto:"
