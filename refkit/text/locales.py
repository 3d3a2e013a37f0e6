"""A BCP 47 tag (``site.language``) as a Babel locale, for numbers and money.

Pure: Babel's locale data ships with the package, nothing is fetched.
"""

from __future__ import annotations

from functools import lru_cache

from babel import Locale, UnknownLocaleError

#: the locale of a language Babel does not know (refkit's words are English)
FALLBACK = "en"


@lru_cache(maxsize=32)
def babel_locale(tag: str) -> Locale:
    """'pt-BR' -> pt_BR; an unknown region falls back to its language, an unknown language to en."""
    parts = tag.replace("_", "-").split("-")
    for candidate in ("-".join(parts), parts[0]):
        try:
            return Locale.parse(candidate, sep="-")
        except (UnknownLocaleError, ValueError, TypeError):
            continue
    return Locale.parse(FALLBACK)
