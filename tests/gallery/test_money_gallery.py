"""The German project in euros: the report writes every amount as a German reader expects."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from bs4 import BeautifulSoup

#: the gallery_build fixture
pytest_plugins = ["gallery_projects"]

GERMAN_EUROS = re.compile(r"^\d{1,3}(?:\.\d{3})*(?:,\d{2})?\u00a0€$")


def test_the_report_of_a_german_project_writes_euros(
    gallery_build: Callable[[str, str], Path],
) -> None:
    root = gallery_build("de-eur", "report")
    page = BeautifulSoup((root / "output" / "report" / "index.html").read_text(), "html.parser")
    assert page.html["lang"] == "de"
    text = page.get_text(" ")
    amounts = re.findall(r"[\d.,]+\u00a0?€|[$€]\s?[\d.,]+", text)
    assert amounts, "the example ledger has won deals with values"
    assert all(GERMAN_EUROS.match(a) for a in amounts), amounts
    assert "$" not in text
