"""The private partner report (report/index.html) and calendar.ics, from the tracking ledger."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar

from conftest import LEDGER_MARKER, build_report, calendar_events, nu_html_check, straight
from refkit.content.project import load_project
from refkit.render.report.page import monthly_counts


def test_report(ledger_project: Path) -> None:
    out = build_report(ledger_project)
    assert not (out / "site").exists()
    html = (out / "report" / "index.html").read_text()
    soup = BeautifulSoup(html, "html5lib")
    assert soup.find("meta", attrs={"name": "robots"})["content"].startswith("noindex")
    assert soup.html["lang"] == "en-US"  # site.language
    # self-contained: no external resources of any kind; the site's typeface embedded
    assert not soup.find_all(["script", "link", "iframe"])
    assert all(img["src"].startswith("data:") for img in soup.find_all("img"))  # the logo
    assert "@import" not in html
    urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", html)
    assert urls and all(url.startswith("data:font/woff2;base64,") for url in urls)
    assert '"Inter"' in soup.find("style").string
    assert LEDGER_MARKER not in html and "PRIVATE-NOTE" not in html
    # dates as the header writes them (en-US), machine-readable underneath
    assert soup.find("p", class_="meta").get_text(" ", strip=True) == "As of Tuesday, June 30, 2026"

    table = soup.find("section", class_="scorecard").find("table")
    header = [th.get_text(strip=True) for th in table.find("thead").find_all("th")]
    assert header[:5] == ["Partner", "Fit (0–100)", "Received", "Given", "Balance"]
    rows = table.find("tbody").find_all("tr")
    dana = [c.get_text(" ", strip=True) for c in rows[0].find_all(["th", "td"])]
    assert dana[0].startswith("Dana Whitfield")
    assert dana[2:10] == [
        "3",
        "1",
        "+2",
        "2",
        "$3,500.50",
        "67%",
        "Apr 1, 2026 referral",  # the last touch, and what it was
        "May 31, 2026",
    ]
    assert rows[0].find("time", datetime="2026-04-01")
    assert "one-way (we owe)" in dana[11]
    # every current partner in the attention-first table; retired partners get
    # no outputs (the content model), so none in the report at all
    assert len(rows) == 7
    assert "Gary Koenig" not in soup.get_text()

    attention = soup.find(id="attention").find_parent("section")
    text = straight(attention.get_text(" ", strip=True))
    assert "We owe them 2 referrals: they sent us 3, we sent 1." in text
    assert "Check-in overdue since May 31, 2026 (30 days)" in text
    cards = {
        card["data-flag"] + ":" + card["data-partner"]: card for card in attention.select("li.card")
    }
    dana = cards["check-in-overdue:dana-whitfield"]
    assert straight(dana.h3.get_text(" ", strip=True)).startswith("Dana Whitfield")
    assert dana.find("a", href="mailto:dana@whitfieldemploymentlaw.com")

    soon = straight(soup.find(id="soon").find_parent("section").get_text(" ", strip=True))
    assert "Jul 15, 2026" in soon and "Eta <b>Co</b>" in soon  # escaped, not markup
    assert not soup.find("b", string="Co")

    legend = straight(soup.find("dl", class_="legend").get_text(" ", strip=True))
    assert "one side has sent 2 or more referrals more than the other" in legend
    lede = straight(soup.find(id="scorecard").find_next_sibling("p").get_text())
    assert lede == (
        "Partners and referring customers, the ones that need attention first. "
        "Figures are all time."
    )


def test_report_conversion_waits_for_a_decision(make_project) -> None:
    ledger = (
        "- date: 2026-05-01\n  direction: received\n  partner: helen-marsh\n"
        "  prospect: Open Co\n  status: meeting\n"
        "- date: 2026-05-02\n  direction: received\n  partner: marcus-oyelaran\n"
        "  prospect: Lost Co\n  status: lost\n"
    )
    out = build_report(make_project(**{"content/referrals.yaml": ledger}))
    soup = BeautifulSoup((out / "report" / "index.html").read_text(), "html5lib")
    cells = {
        tr.th.strong.get_text(): tr.find("td", attrs={"data-label": "Conversion"}).get_text()
        for tr in soup.find("table", class_="scores").tbody.find_all("tr")
    }
    assert cells["Helen Marsh"] == "–"  # received one, still open: no verdict yet
    assert cells["Marcus Oyelaran"] == "0%"  # received one, lost: a real 0%
    assert cells["Zoë Lindqvist"] == "–"  # received none
    # the totals say the same: one decided, none won
    assert "received and won (0%)" in straight(soup.find(class_="kpis").get_text(" ", strip=True))


def test_report_chart(ledger_project: Path) -> None:
    out = build_report(ledger_project)
    soup = BeautifulSoup((out / "report" / "index.html").read_text(), "html5lib")
    svg = soup.find("svg", class_="chart")
    assert svg["role"] == "img"
    assert svg.find("title").get_text().startswith("Referrals per month, July 2025 to June 2026")
    desc = svg.find("desc").get_text()
    assert "February 2026: 1 received, 0 given" in desc
    assert "June 2026: 1 received, 1 given" in desc
    bars = svg.find_all("rect", class_=["received", "given"])
    titled = {b.find("title").get_text() for b in bars if b.find("title")}
    assert len(titled) == 24  # 12 months, both ways
    assert "April 2026: 1 given" in titled and "March 2026: 1 received" in titled
    # the key is text beside the chart, so it stays readable when the chart scales down
    key = straight(soup.find("ul", class_="chart-key").get_text(" "))
    assert "Received (they sent us)" in key and "Given (we sent them)" in key
    assert svg.find_parent("div", class_="chart-scroll")["tabindex"] == "0"


def test_monthly_counts_by_hand(ledger_project: Path) -> None:
    project = load_project(ledger_project)
    buckets = monthly_counts(project, dt.date(2026, 6, 30), months=6)
    assert [(b["month"], b["received"], b["given"]) for b in buckets] == [
        (dt.date(2026, 1, 1), 1, 0),
        (dt.date(2026, 2, 1), 1, 0),
        (dt.date(2026, 3, 1), 1, 0),
        (dt.date(2026, 4, 1), 0, 1),
        (dt.date(2026, 5, 1), 0, 0),
        (dt.date(2026, 6, 1), 1, 1),
    ]
    # what happens after "today" is not counted yet; months roll over the year
    later = monthly_counts(project, dt.date(2026, 6, 20), months=8)
    assert later[0]["month"] == dt.date(2025, 11, 1)
    assert (later[-1]["received"], later[-1]["given"]) == (1, 0)


def _local(uid: str) -> str:
    """A UID without its per-installation domain (see test_calendar_nudges.py)."""
    return uid.split("@")[0]


def test_calendar(ledger_project: Path) -> None:
    out = build_report(ledger_project)
    raw = (out / "calendar.ics").read_bytes()
    calendar = Calendar.from_ical(raw)
    assert str(calendar["version"]) == "2.0"
    assert str(calendar["x-wr-calname"]) == "Keel & Compass HR: partner check-ins"
    found = {_local(uid): e for uid, e in calendar_events(out).items()}
    checkins = {uid: e for uid, e in found.items() if uid.startswith("checkin-")}
    today = dt.date(2026, 6, 30)
    expected = {  # partner -> next check-in: last referral (or since) + cadence
        "dana-whitfield": dt.date(2026, 5, 31),  # 2026-04-01 + 60
        "marcus-oyelaran": dt.date(2026, 9, 18),  # 2026-06-20 + 90
        "zoe-lindqvist": dt.date(2026, 10, 19),  # 2026-06-21 + 120
        "helen-marsh": dt.date(2025, 10, 11),  # since 2025-04-14 + 180
        "ines-carvalho": dt.date(2023, 10, 20),  # since 2023-09-05 + 45
    }
    # overdue ones are on today's date, so a subscribed calendar shows them
    assert {uid: e.decoded("dtstart") for uid, e in checkins.items()} == {
        f"checkin-{slug}": max(day, today) for slug, day in expected.items()
    }  # Tom (a prospect) has a cadence but no start date; Raj none; Gary is retired
    dana = checkins["checkin-dana-whitfield"]
    assert str(dana["summary"]) == (
        "Check in with Dana Whitfield, Whitfield Employment Law (30 days overdue)"
    )
    assert dana.decoded("dtend") == dt.date(2026, 7, 1)  # all day
    assert "balance +2" in str(dana["description"])
    assert "Due on 2026-05-31, 30 days ago." in str(dana["description"])
    assert str(checkins["checkin-marcus-oyelaran"]["summary"]).endswith("Benefits Group")

    follow_ups = sorted(
        (e.decoded("dtstart"), str(e["summary"]))
        for uid, e in found.items()
        if uid.startswith("followup-")
    )
    assert follow_ups == [  # open referrals only: Epsilon Co was lost
        (today, "Follow up on Gamma Co, received from Dana Whitfield (29 days overdue)"),
        (dt.date(2026, 7, 15), "Follow up on Eta <b>Co</b>, given to Zoë Lindqvist"),
    ]
    for event in found.values():
        assert event.decoded("dtstamp") == dt.datetime(2026, 6, 30, tzinfo=dt.UTC)
    assert LEDGER_MARKER.encode() not in raw and b"PRIVATE-NOTE" not in raw


def test_calendar_uids_are_stable(ledger_project: Path) -> None:
    out = build_report(ledger_project)
    first_bytes = (out / "calendar.ics").read_bytes()
    first = calendar_events(out)
    build_report(ledger_project)
    assert (out / "calendar.ics").read_bytes() == first_bytes  # same day, same bytes
    # a new referral and a later day: same UIDs for the same check-ins and follow-ups
    path = ledger_project / "content" / "referrals.yaml"
    path.write_text(
        path.read_text() + "- date: 2026-07-01\n  direction: given\n  partner: dana-whitfield\n"
        "  prospect: Theta\n  follow_up_due: 2026-07-20\n"
    )
    out = build_report(ledger_project, dt.date(2026, 7, 2))
    second = calendar_events(out)
    assert set(first) < set(second) and len(second) == len(first) + 1
    dana = next(e for uid, e in second.items() if uid.startswith("checkin-dana-whitfield@"))
    assert dana.decoded("dtstart") == dt.date(2026, 8, 30)


def test_calendar_same_prospect_twice_a_day(make_project) -> None:
    entry = (
        "- date: 2026-06-01\n  direction: received\n  partner: dana-whitfield\n"
        "  prospect: Twin\n  follow_up_due: 2026-06-10\n"
    )
    root = make_project(**{"content/referrals.yaml": entry + entry})
    uids = [uid for uid in calendar_events(build_report(root)) if uid.startswith("followup-")]
    assert len(uids) == len(set(uids)) == 2


@pytest.mark.slow
def test_report_passes_the_nu_html_checker(example_build: Path) -> None:
    nu_html_check([example_build / "output" / "report" / "index.html"])
