"""Money in its currency, as the site's language writes it (Babel's locale data)."""

from __future__ import annotations

import pytest

from refkit.text.locales import babel_locale
from refkit.text.money import currency_problem, format_money

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("amount", "currency", "language", "shown"),
    [
        (234000, "USD", "en", "$234,000"),
        (234000.0, "USD", "en-US", "$234,000"),
        (234000, "EUR", "de", f"234.000{NBSP}€"),
        (1234.5, "EUR", "de", f"1.234,50{NBSP}€"),
        (1234.5, "USD", "en", "$1,234.50"),
        (234000, "GBP", "en-GB", "£234,000"),
        (234000, "BRL", "pt-BR", f"R${NBSP}234.000"),
        (234000, "USD", "en-GB", "US$234,000"),  # a dollar that is not the reader's own
        (1234.5, "JPY", "ja", "￥1,234"),  # the yen has no cents
        (0, "USD", "en", "$0"),
    ],
)
def test_format_money(amount: float, currency: str, language: str, shown: str) -> None:
    assert format_money(amount, currency, language) == shown


def test_no_amount_is_blank() -> None:
    assert format_money(None, "EUR", "de") == ""


@pytest.mark.parametrize("tag", ["xx", "qq-ZZ", "en-x-private", "tlh"])
def test_an_unknown_language_falls_back_to_english(tag: str) -> None:
    assert format_money(1500, "USD", tag) == "$1,500"
    assert str(babel_locale(tag)) == "en"


def test_an_unknown_region_keeps_its_language() -> None:
    assert str(babel_locale("de-QQ")) == "de"
    assert str(babel_locale("pt-BR")) == "pt_BR"


@pytest.mark.parametrize(
    ("code", "hint"),
    [("EUX", "EUR"), ("GPB", "GBP"), ("US", "USD"), ("dollars", None), ("€", None)],
)
def test_an_unknown_currency_says_what_was_meant(code: str, hint: str | None) -> None:
    problem = currency_problem(code)
    assert problem is not None and f"'{code}' is not an ISO 4217 currency code" in problem
    assert (f"(did you mean '{hint}'?)" in problem) if hint else ("did you mean" not in problem)


@pytest.mark.parametrize("code", ["USD", "EUR", "eur", " chf "])
def test_known_currencies_in_any_case(code: str) -> None:
    assert currency_problem(code) is None
