"""The private report leads to action: what is late, ranked; what is open; the drafts to send.

One ledger, written here, read as of TODAY (2026-06-30), built once in full
(site, one-pagers, emails, report) so that every link the report makes can
be followed to a file.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import build_report, replace, straight, write_project

TODAY = dt.date(2026, 6, 30)
NBSP = "\xa0"

LEDGER = """\
- date: 2025-10-01
  direction: received
  partner: dana-whitfield
  prospect: Gamma Co
  status: meeting
  follow_up_due: 2025-10-29   # 244 days late on 2026-06-30
- date: 2026-01-10
  direction: received
  partner: dana-whitfield
  prospect: Alpha Co
  status: won
  value: 2500.5               # not thanked: 171 days since the introduction
- date: 2026-03-10
  direction: given
  partner: marcus-oyelaran
  prospect: Kappa Ltd         # the last touch: + 90 days = 2026-06-08, 22 days late
- date: 2026-05-01
  direction: given
  partner: zoe-lindqvist
  prospect: Lambda GmbH
  status: proposal
  follow_up_due: 2026-06-20   # 10 days late
- date: 2026-06-10
  direction: received
  partner: helen-marsh
  prospect: Mu Works
- date: 2026-02-01
  direction: received
  partner: gary-koenig        # retired: nowhere in the report
  prospect: Retired Prospect One
  status: won
  value: 99999
- date: 2026-03-01
  direction: received
  partner: gary-koenig
  prospect: Retired Prospect Two
  status: proposal
  follow_up_due: 2026-04-01
- date: 2026-04-01
  direction: given
  partner: gary-koenig
  prospect: Retired Prospect Three
"""
#: check-ins on record, so that only the check-ins this file is about are late
ACTIVITY = """\
- date: 2026-06-25
  partner: dana-whitfield
  kind: check-in
- date: 2026-06-01
  partner: helen-marsh
  kind: call
- date: 2026-06-15
  partner: ines-carvalho
  kind: meeting
- date: 2026-06-01
  partner: gary-koenig
  kind: call
"""
RETIRED = ("Gary Koenig", "gary-koenig", "Retired Prospect")


def ledger_changes() -> dict[str, Any]:
    """The project's changes: this file's ledger and activity."""
    return {"content/referrals.yaml": LEDGER, "content/activity.yaml": ACTIVITY}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project, built in full as of TODAY: its output/ folder."""
    from refkit.pipeline import build

    root = write_project(tmp_path_factory.mktemp("actions"), ledger_changes())
    build(root, today=TODAY, jobs=2)
    return root / "output"


def report(out: Path) -> BeautifulSoup:
    """output/report/index.html, parsed."""
    return BeautifulSoup((out / "report" / "index.html").read_text(encoding="utf-8"), "html5lib")


def overdue_cards(soup: BeautifulSoup) -> list[Any]:
    """The cards of "Needs attention", in the page's order."""
    return soup.find(id="attention").find_parent("section").select("ol.overdue-list > li.card")


def test_one_ranking_of_everything_late_by_days_overdue(built: Path) -> None:
    cards = overdue_cards(report(built))
    ranking = [(c["data-flag"], c["data-partner"], int(c["data-days"])) for c in cards]
    # a follow-up 244 days late above a thank-you 171 days late above a check-in 22 days late
    assert ranking == [
        ("follow-up-due", "dana-whitfield", 244),
        ("unthanked", "dana-whitfield", 171),
        ("check-in-overdue", "marcus-oyelaran", 22),
        ("follow-up-due", "zoe-lindqvist", 10),
    ]
    said = [straight(c.find(class_="days").get_text(" ", strip=True)) for c in cards]
    assert said == ["244 days overdue", "171 days overdue", "22 days overdue", "10 days overdue"]
    first = straight(cards[0].get_text(" ", strip=True))
    assert "Follow up on Gamma Co (they sent us, meeting)" in first
    assert "send the proposal" in first
    # where a check-in is concerned, the last touch is on the card
    marcus = straight(cards[2].find(class_="touch").get_text(" ", strip=True))
    assert marcus == "Last touch: Mar 10, 2026 (referral)"


def test_each_card_links_the_draft_that_settles_it(built: Path) -> None:
    cards = overdue_cards(report(built))
    drafts = [card.find("a", class_="draft") for card in cards]
    # a follow-up on someone they sent us is a call to the prospect: no draft
    assert drafts[0] is None
    assert "No draft: contact Gamma Co directly." in straight(cards[0].get_text(" ", strip=True))
    assert [d["href"] for d in drafts[1:]] == [
        "../email/dana-whitfield/thank-you.eml",
        "../email/marcus-oyelaran/check-in.eml",
        # a follow-up on someone we sent them: asked about in the check-in
        "../email/zoe-lindqvist/check-in.eml",
    ]
    for card in cards[1:]:
        links = [a["href"] for a in card.select(".actions a") if a["href"].startswith("../")]
        assert {Path(href).suffix for href in links} == {".eml", ".txt", ".html"}
        for href in links:
            assert (built / "report" / href).resolve().is_file(), href
    # the thank-you draft thanks for that win
    thanks = (built / "email" / "dana-whitfield" / "thank-you.txt").read_text(encoding="utf-8")
    assert "Alpha Co" in thanks
    # and the command that prints the same draft
    assert "refkit email check-in --partner marcus-oyelaran" in cards[2].get_text(" ")


def test_open_referrals_both_ways(built: Path) -> None:
    table = report(built).find("table", class_="open-referrals")
    header = [th.get_text(strip=True) for th in table.thead.find_all("th")]
    assert header == [
        "Prospect",
        "Partner",
        "Direction",
        "Status",
        "Age (days)",
        "Next step",
        "Follow up by",
    ]
    rows = [
        [straight(cell.get_text(" ", strip=True)) for cell in tr.find_all(["th", "td"])]
        for tr in table.tbody.find_all("tr")
    ]
    assert rows == [  # the earliest follow-up first, then the oldest; won and retired left out
        [
            "Gamma Co",
            "Dana Whitfield",
            "they sent us",
            "meeting",
            "272",
            "Send the proposal",
            "Oct 29, 2025 (late)",
        ],
        [
            "Lambda GmbH",
            "Zoë Lindqvist",
            "we sent them",
            "proposal",
            "60",
            "Ask whether they won it",
            "Jun 20, 2026 (late)",
        ],
        [
            "Kappa Ltd",
            "Marcus Oyelaran",
            "we sent them",
            "introduced",
            "112",
            "Ask whether they have met",
            "-",  # straight() writes the dash plain
        ],
        [
            "Mu Works",
            "Helen Marsh",
            "they sent us",
            "introduced",
            "20",
            "Book the first meeting",
            "-",
        ],
    ]


def _balance_cells(soup: BeautifulSoup) -> dict[str, tuple[str, set[str]]]:
    cells = {}
    for tr in soup.find("table", class_="scores").tbody.find_all("tr"):
        cell = tr.find("td", attrs={"data-label": "Balance"})
        cells[tr.th.strong.get_text()] = (cell.get_text(strip=True), set(cell["class"]))
    return cells


def test_balance_colours_say_who_owes(built: Path) -> None:
    cells = _balance_cells(report(built))
    # we owe Dana two (one-way): red; Helen one: amber; Marcus and Zoë owe us: neutral
    assert cells["Dana Whitfield"] == ("+2", {"num", "balance", "balance-owe-much"})
    assert cells["Helen Marsh"] == ("+1", {"num", "balance", "balance-owe"})
    assert cells["Marcus Oyelaran"] == ("-1", {"num", "balance", "balance-owed"})
    assert cells["Zoë Lindqvist"] == ("-1", {"num", "balance", "balance-owed"})
    assert cells["Raj Patel"] == ("0", {"num", "balance", "balance-even"})
    style = report(built).find("style").string
    rules = dict(re.findall(r"\.(balance-[a-z-]+)\s*\{([^}]*)\}", style))
    assert "--warn" in rules["balance-owe-much"] and "--amber" in rules["balance-owe"]
    assert "--ink" in style.split(".balance-owed")[1].split("}")[0]


def test_totals_and_chart_say_their_period_without_retired_partners(built: Path) -> None:
    soup = report(built)
    kpis = straight(soup.find(class_="kpis").get_text(" ", strip=True))
    # Gary's 2026-02-01 win (99,999) is not counted; the period starts at the first
    # referral of a current partner
    assert "all time, since Oct 1, 2025" in kpis
    assert kpis.split("all time, since Oct 1, 2025 ")[1].startswith(
        "3 referrals received 2 referrals given 1 received and won (33%) $2,500.50"
    )
    assert "4 things overdue" in kpis
    lede = straight(soup.find(id="monthly").find_next_sibling("p").get_text(" ", strip=True))
    assert lede == "Last 12 months, Jul 2025 - Jun 2026: 3 received, 2 given."
    desc = soup.find("svg", class_="chart").find("desc").get_text()
    assert "February 2026: 0 received, 0 given" in desc  # Gary's win, not counted
    assert "April 2026: 0 received, 0 given" in desc  # nor what we gave Gary


def test_retired_partners_nowhere(built: Path) -> None:
    html = (built / "report" / "index.html").read_text(encoding="utf-8")
    for word in RETIRED:
        assert word not in html, word
    assert "99,999" not in html
    ics = (built / "calendar.ics").read_text(encoding="utf-8")
    assert "gary" not in ics.lower() and "Retired Prospect" not in ics


def test_each_partner_page_linked(built: Path) -> None:
    soup = report(built)
    links = {}
    for tr in soup.find("table", class_="scores").tbody.find_all("tr"):
        cell = tr.find("td", attrs={"data-label": "Their page"})
        links[tr.th.strong.get_text()] = [a["href"] for a in cell.find_all("a")]
    # site.base_url is set: the addresses to send, matching the built pages
    assert links["Dana Whitfield"] == [
        "https://partners.keelcompasshr.com/partners/dana-whitfield/",
        "https://partners.keelcompasshr.com/partners/dana-whitfield/dana-whitfield.pdf",
    ]
    assert links["Raj Patel"] == []  # page: none
    for name, hrefs in links.items():
        for href in hrefs:
            path = urlsplit(href).path.lstrip("/")
            file = built / "site" / unquote(path)
            assert (file / "index.html" if href.endswith("/") else file).is_file(), (name, href)
    private = links["Marcus Oyelaran"][0]
    assert "/p/" in private and "marcus" not in private


def test_partner_page_links_are_files_without_a_base_url(make_project) -> None:
    root = make_project(ledger_changes())
    replace(root, "content/business.yaml", "  base_url: https://partners.keelcompasshr.com/\n", "")
    soup = report(build_report(root, TODAY))
    row = next(
        tr
        for tr in soup.find("table", class_="scores").tbody.find_all("tr")
        if tr.th.strong.get_text() == "Dana Whitfield"
    )
    hrefs = [a["href"] for a in row.find("td", attrs={"data-label": "Their page"}).find_all("a")]
    assert hrefs == [
        "../site/partners/dana-whitfield/index.html",
        "../site/partners/dana-whitfield/dana-whitfield.pdf",
    ]


def _amounts(soup: BeautifulSoup) -> list[str]:
    cells = [
        td.get_text(strip=True) for td in soup.find_all("td", attrs={"data-label": "Won value"})
    ]
    kpi = soup.find(class_="kpis").find_all(class_="kpi")[3].strong.get_text(strip=True)
    return [kpi, *cells]


def test_amounts_in_dollars(built: Path) -> None:
    amounts = _amounts(report(built))
    assert amounts[:2] == ["$2,500.50", "$2,500.50"]  # the total, then Dana's row
    assert all(re.fullmatch(r"\$\d[\d,]*(\.\d\d)?", a) for a in amounts), amounts


def test_amounts_in_euros_for_a_german_site(make_project) -> None:
    root = make_project(ledger_changes())
    replace(root, "content/business.yaml", "language: en-US", "language: de")
    path = root / "content" / "business.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "currency: EUR\n", encoding="utf-8")
    soup = report(build_report(root, TODAY))
    amounts = _amounts(soup)
    assert amounts[:2] == [f"2.500,50{NBSP}€", f"2.500,50{NBSP}€"]
    assert all(a.endswith(f"{NBSP}€") for a in amounts), amounts
    assert "$" not in soup.get_text()


def test_the_report_in_chromium(built: Path, browser: Any, artifacts: Path) -> None:
    """No console errors, no sideways scrolling, at desktop and phone widths; screenshots kept."""
    for width in (1280, 375):
        page = browser.new_page(viewport={"width": width, "height": 900})
        errors: list[str] = []
        page.on(
            "console", lambda m, seen=errors: seen.append(m.text) if m.type == "error" else None
        )
        page.on("pageerror", lambda e, seen=errors: seen.append(str(e)))
        page.goto((built / "report" / "index.html").as_uri())
        assert errors == [], width
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        # each overdue card's draft button is visible and inside the viewport's width
        for box in page.locator("a.draft").all():
            rect = box.bounding_box()
            assert rect is not None and rect["x"] + rect["width"] <= width
        page.screenshot(path=str(artifacts / f"report-actions-{width}.png"), full_page=True)
        page.close()


def test_an_older_unthanked_win_gets_the_command_not_the_newer_draft(make_project) -> None:
    """The thank-you draft thanks for the latest win; an older one is `--prospect NAME`."""
    older = (
        "- date: 2025-12-01\n  direction: received\n  partner: dana-whitfield\n"
        "  prospect: Old Win & Co\n  status: won\n"
    )
    changes = ledger_changes()
    changes["content/referrals.yaml"] = LEDGER + older
    cards = overdue_cards(report(build_report(make_project(changes), TODAY)))
    thanks = {
        c.find(class_="what").get_text(" ", strip=True): c
        for c in cards
        if c["data-flag"] == "unthanked"
    }
    assert len(thanks) == 2
    old = next(card for text, card in thanks.items() if "Old Win" in text)
    new = next(card for text, card in thanks.items() if "Alpha Co" in text)
    assert new.find("a", class_="draft")["href"] == "../email/dana-whitfield/thank-you.eml"
    assert old.find("a", class_="draft") is None
    command = old.find("code").get_text()
    assert command == "refkit email thank-you --partner dana-whitfield --prospect 'Old Win & Co'"
    assert int(old["data-days"]) == 211  # 2025-12-01 to 2026-06-30
