"""``mailto:`` links (RFC 6068), shared by the site and anything else that links an email.

Spaces are ``%20`` (never ``+``), line breaks ``%0D%0A``. Mail clients and
browsers truncate or refuse long links, so a link is capped at
:data:`MAX_LENGTH` characters: a body that does not fit loses paragraphs from
its end (never its greeting or sign-off) and gets a pointer in their place;
only when even the subject does not fit is the subject shortened.
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
    more: str | None = None,
    max_length: int = MAX_LENGTH,
) -> str:
    """A ``mailto:`` URL of at most ``max_length`` characters.

    When the whole body does not fit, paragraphs are left out from the end,
    keeping the first (the greeting) and the last (the sign-off), and ``more``
    (say, "More about us: <public page>") takes their place, or "[...]"
    without it. Only when that still does not fit is the text cut line by line.
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
    marker = more or CUT
    paragraphs = [p for p in _normalise(body).split("\n\n") if p.strip()]
    if len(paragraphs) >= 3:
        head, middle, sign_off = paragraphs[0], paragraphs[1:-1], paragraphs[-1]
        for keep in range(len(middle) - 1, -1, -1):
            text = "\n\n".join([head, *middle[:keep], marker, sign_off])
            candidate = link(subject, text)
            if len(candidate) <= max_length:
                return candidate
    tail = f"\n\n{marker}"
    lines = _normalise(body).split("\n")
    # the longest prefix of whole lines that fits: the length grows with the
    # number of lines kept, so a binary search finds it
    low, high = 0, len(lines) - 1
    best: str | None = None
    while low <= high:
        middle_index = (low + high) // 2
        candidate = link(subject, "\n".join(lines[: middle_index + 1]).rstrip() + tail)
        if len(candidate) <= max_length:
            best, low = candidate, middle_index + 1
        else:
            high = middle_index - 1
    if best is not None:
        return best
    for text in (marker, ""):
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


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
