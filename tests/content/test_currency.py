"""business.currency: every amount in its currency, as site.language writes it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from conftest import SCORECARD_JSON_KEYS, build_report, replace
from refkit.cli import main
from refkit.content.project import load_project

BUSINESS = "content/business.yaml"
TODAY = dt.date(2026, 11, 25)
NBSP = "\xa0"
#: one won referral worth 234,000 and one worth 1,234.50 from Dana; nothing else
LEDGER = [
    {
        "date": "2026-03-02",
        "direction": "received",
        "partner": "dana-whitfield",
        "prospect": "Lakeview Stamping",
        "status": "won",
        "value": 234000,
        "thanked": True,
    },
    {
        "date": "2026-04-02",
        "direction": "received",
        "partner": "ines-carvalho",
        "prospect": "Fox River Fasteners",
        "status": "won",
        "value": 1234.5,
        "thanked": True,
    },
]


def _project(make_project, currency: str | None, language: str | None = None) -> Path:
    business: dict[str, object] = {}
    if currency is not None:
        business["currency"] = currency
    root = make_project({BUSINESS: business, "content/referrals.yaml": LEDGER})
    if language is not None:
        replace(root, BUSINESS, "  language: en-US", f"  language: {language}")
    return root


def _check(root: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "-p", str(root)])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _partners(root: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["partners", "-p", str(root), "--today", "2026-11-25", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _report_money(root: Path) -> dict[str, str]:
    """The report's total of wins and each partner's won value, as shown."""
    out = build_report(root, TODAY)
    soup = BeautifulSoup((out / "report" / "index.html").read_bytes(), "html5lib")
    kpis = {k.span.get_text(): k.strong.get_text() for k in soup.find_all(class_="kpi")}
    shown = {"total": kpis["value of wins received"]}
    for tr in soup.find("table", class_="scores").tbody.find_all("tr"):
        shown[tr.th.strong.get_text()] = tr.find("td", attrs={"data-label": "Won value"}).get_text()
    return shown


def test_the_default_is_us_dollars(make_project) -> None:
    root = _project(make_project, None)
    assert load_project(root).business.currency == "USD"
    money = _report_money(root)
    assert money["total"] == "$235,234.50"
    assert money["Dana Whitfield"] == "$234,000"  # a whole amount has no cents
    assert money["Inês Carvalho"] == "$1,234.50"
    assert money["Tom Brenner"] == "$0"


def test_euros_in_german(make_project) -> None:
    root = _project(make_project, "EUR", "de")
    money = _report_money(root)
    assert money["Dana Whitfield"] == f"234.000{NBSP}€"
    assert money["Inês Carvalho"] == f"1.234,50{NBSP}€"
    assert money["total"] == f"235.234,50{NBSP}€"


def test_pounds_in_british_english(make_project) -> None:
    root = _project(make_project, "GBP", "en-GB")
    assert _report_money(root)["Dana Whitfield"] == "£234,000"


def test_a_lowercase_code_is_read_in_capitals(make_project) -> None:
    root = _project(make_project, "eur")
    assert load_project(root).business.currency == "EUR"
    assert _report_money(root)["Dana Whitfield"] == "€234,000"


def test_an_unknown_language_writes_english_amounts(make_project) -> None:
    root = _project(make_project, "EUR", "tlh")
    assert _report_money(root)["Dana Whitfield"] == "€234,000"


@pytest.mark.parametrize(("code", "hint"), [("EUX", "EUR"), ("dollars", None)])
def test_an_unknown_currency_is_an_error_at_its_line(make_project, code: str, hint: str) -> None:
    root = _project(make_project, code)
    lines = (root / BUSINESS).read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.startswith("currency:"))
    status, output = _check(root)
    assert status == 1
    [row] = [row for row in output.splitlines() if "currency" in row]
    assert row.startswith(f"{BUSINESS}:{line}:11: error: currency: '{code}' is not an ISO 4217")
    assert (f"(did you mean '{hint}'?)" in row) if hint else ("did you mean" not in row)


def test_the_scorecard_table_shows_the_currency(make_project) -> None:
    table = _partners(_project(make_project, "EUR", "de"))
    dana = next(line for line in table.splitlines() if "Dana Whitfield" in line)
    assert f"234.000{NBSP}€" in dana
    ines = next(line for line in table.splitlines() if "Inês Carvalho" in line)
    assert f"1.234,50{NBSP}€" in ines


def test_the_json_keeps_raw_numbers_and_adds_the_code(make_project) -> None:
    rows = {r["slug"]: r for r in json.loads(_partners(_project(make_project, "eur"), "--json"))}
    dana = rows["dana-whitfield"]
    assert list(dana) == SCORECARD_JSON_KEYS and list(dana)[-1] == "currency"
    assert (dana["won_value"], dana["currency"]) == (234000, "EUR")
    assert rows["ines-carvalho"]["won_value"] == 1234.5
    assert {r["currency"] for r in rows.values()} == {"EUR"}
