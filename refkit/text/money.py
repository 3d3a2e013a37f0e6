"""Amounts of money as a reader of ``site.language`` writes them: "$234,000", "234.000 €"."""

from __future__ import annotations

import copy
import difflib
import os.path
from functools import lru_cache

from babel.core import get_global
from babel.numbers import NumberPattern, is_currency

from refkit.text.locales import babel_locale

DEFAULT_CURRENCY = "USD"


def format_money(amount: float | None, currency: str, language: str) -> str:
    """234000 in USD for en -> '$234,000'; 1234.5 in EUR for de -> '1.234,50 €'; None -> ''.

    A whole amount is written without cents; any other with the currency's
    own digits (none for JPY, two for EUR). The space Babel puts between the
    number and its symbol is a no-break space, so the two stay on one line.
    """
    if amount is None:
        return ""
    locale = babel_locale(language)
    whole = float(amount).is_integer()
    pattern = _pattern(str(locale), whole=whole)
    return str(pattern.apply(amount, locale, currency=currency, currency_digits=not whole))


@lru_cache(maxsize=32)
def _pattern(locale: str, *, whole: bool) -> NumberPattern:
    """The locale's standard currency pattern, without its decimals for a whole amount."""
    standard: NumberPattern = babel_locale(locale).currency_formats["standard"]
    if not whole:
        return standard
    pattern = copy.copy(standard)
    pattern.frac_prec = (0, 0)
    return pattern


def currency_problem(code: str) -> str | None:
    """Why ``code`` is not an ISO 4217 currency code that Babel knows, or None.

    Letter case does not matter (``eur`` is EUR): the code is written in
    capitals wherever refkit prints it.
    """
    wanted = code.strip().upper()
    if is_currency(wanted):
        return None
    close = difflib.get_close_matches(wanted, _in_use(), n=5, cutoff=0.66)
    # of the close ones, the same letters swapped (GPB -> GBP), else the one
    # that starts like it (EUX -> EUR, not UGX)
    close.sort(
        key=lambda option: (
            sorted(option) != sorted(wanted),
            -len(os.path.commonprefix([option, wanted])),
        )
    )
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"'{code}' is not an ISO 4217 currency code (like USD, EUR or GBP){hint}"


@lru_cache(maxsize=1)
def _in_use() -> list[str]:
    """The currencies legal tender somewhere today: the ones a hint suggests."""
    territories = get_global("territory_currencies")
    return sorted(
        {
            code
            for spans in territories.values()
            for code, _, end, tender in spans
            if end is None and tender
        }
    )
