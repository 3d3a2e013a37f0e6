"""The scorecard: every figure and every flag, on and off, computed by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from conftest import (
    SCORECARD_JSON_KEYS,
    TRACKING_LEDGER,
    TRACKING_TODAY,
    build_report,
    calendar_events,
    scorecard_json,
)
from refkit.content.project import load_project
from refkit.derive.scorecard import ScoreRow, compute_scorecard, fit_score, score_partner
from refkit.resources import example_content
from refkit.text.money import format_money

TODAY = dt.date(2026, 6, 30)
QUALIFIERS = (
    "knows_our_customers",
    "shared_values",
    "does_what_they_say",
    "we_referred_them",
    "refers_back",
    "professional",
    "accessible",
    "same_client_type",
    "price_tier_match",
)

Score = Callable[..., dict[str, ScoreRow]]


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def ref(partner: str, direction: str, when: dt.date, prospect: str = "P", **more: Any) -> dict:
    return {"date": when, "direction": direction, "partner": partner, "prospect": prospect, **more}


@pytest.fixture
def score(make_project) -> Score:
    """``score(partners={slug: fields}, ledger=[...], today=...)`` -> rows by slug.

    The example's partners are replaced by exactly ``partners``.
    """

    def run(
        partners: dict[str, dict[str, Any]],
        ledger: list[dict[str, Any]] | None = None,
        today: dt.date = TODAY,
        business: dict[str, Any] | None = None,
    ) -> dict[str, ScoreRow]:
        changes: dict[str, Any] = {
            f"content/partners/{path.name}": None
            for path in (example_content() / "partners").glob("*.yaml")
        }
        for slug, fields in partners.items():
            changes[f"content/partners/{slug}.yaml"] = {"name": slug.title(), **fields}
        changes["content/referrals.yaml"] = ledger or []
        if business:
            changes["content/business.yaml"] = business
        project = load_project(make_project(changes))
        rows = compute_scorecard(project, today)
        return {row.slug: row for row in rows}

    return run


def test_counts_balance_wins_and_dates(score: Score) -> None:
    rows = score(
        {"ann": {"since": dt.date(2025, 1, 1), "agreement": {"check_in_days": 45}}, "bob": {}},
        [
            ref("ann", "received", dt.date(2026, 1, 5), "A", status="won", value=1000),
            ref("ann", "received", dt.date(2026, 2, 5), "B", status="won", value=2500.5),
            ref("ann", "received", dt.date(2026, 3, 5), "C", status="lost", value=999),
            ref("ann", "given", dt.date(2026, 4, 5), "D", status="won", value=7000),
            ref("ann", "given", dt.date(2026, 5, 20), "E"),  # the latest, and a given one
            ref("bob", "received", dt.date(2026, 6, 1), "F", status="proposal", value=50),
        ],
    )
    ann = rows["ann"]
    assert (ann.received, ann.given, ann.balance) == (3, 2, 1)
    # only received referrals that were won count, lost and given ones do not
    assert (ann.won, ann.won_value) == (2, 3500.5)
    assert ann.conversion == 2 / 3
    assert ann.last_referral == dt.date(2026, 5, 20)
    assert ann.check_in_due == dt.date(2026, 7, 4)  # 2026-05-20 + 45 days
    bob = rows["bob"]
    assert (bob.received, bob.given, bob.balance, bob.won, bob.won_value) == (1, 0, 1, 0, 0.0)
    assert bob.conversion is None  # its one referral is still open: no verdict yet
    assert bob.check_in_due is None  # no cadence agreed


def test_json_has_exactly_the_documented_keys(score: Score) -> None:
    rows = score(
        {"ann": {"company": "Ann & Co", "kind": "customer", "agreement": {"check_in_days": 10}}},
        [ref("ann", "received", dt.date(2026, 6, 1), status="won", value=10)],
    )
    data = rows["ann"].as_json()
    assert list(data) == SCORECARD_JSON_KEYS
    assert data["name"] == "Ann" and data["company"] == "Ann & Co"
    assert (data["kind"], data["status"]) == ("customer", "active")
    assert data["last_referral"] == "2026-06-01"
    assert data["check_in_due"] == "2026-06-11"
    assert data["flags"] == ["check-in-overdue", "unthanked"]
    empty = score({"zed": {}})["zed"].as_json()
    assert (empty["last_referral"], empty["check_in_due"], empty["conversion"]) == (None,) * 3
    assert (empty["received"], empty["given"], empty["balance"], empty["flags"]) == (0, 0, 0, [])


def test_check_in_due_counts_from_since_without_referrals(score: Score) -> None:
    rows = score(
        {
            "ann": {"since": dt.date(2026, 5, 1), "agreement": {"check_in_days": 30}},
            "bob": {"agreement": {"check_in_days": 30}},  # no since, no referrals
        }
    )
    assert rows["ann"].check_in_due == dt.date(2026, 5, 31)
    assert rows["ann"].last_referral is None
    assert rows["bob"].check_in_due is None


@pytest.mark.parametrize(
    ("received", "given", "flagged", "owes"),
    [
        (3, 1, True, "we owe them"),
        (1, 3, True, "they owe us"),
        (2, 1, False, None),
        (1, 2, False, None),
        (0, 0, False, None),
    ],
)
def test_one_way(score: Score, received: int, given: int, flagged: bool, owes: str | None) -> None:
    ledger = [ref("ann", "received", days_ago(10 + i), f"R{i}") for i in range(received)]
    ledger += [ref("ann", "given", days_ago(10 + i), f"G{i}") for i in range(given)]
    row = score({"ann": {}}, ledger)["ann"]
    assert row.balance == received - given
    assert ("one-way" in row.flags) is flagged
    assert row.owes == owes


@pytest.mark.parametrize(
    ("partner", "ledger", "flagged"),
    [
        ({}, [ref("ann", "given", days_ago(90))], True),  # 90 days exactly
        ({}, [ref("ann", "given", days_ago(89))], False),
        ({}, [ref("ann", "received", days_ago(120)), ref("ann", "given", days_ago(30))], False),
        ({"since": days_ago(100)}, [], True),  # never a referral since the start
        ({"since": days_ago(60)}, [], False),
        ({}, [], False),  # no start date and no referral: nothing to measure from
        ({"status": "paused"}, [ref("ann", "given", days_ago(200))], False),
        ({"status": "prospect"}, [ref("ann", "given", days_ago(200))], False),
        ({"status": "retired"}, [ref("ann", "given", days_ago(200))], False),
    ],
)
def test_dry_spell(score: Score, partner: dict, ledger: list, flagged: bool) -> None:
    row = score({"ann": partner}, ledger)["ann"]
    assert ("dry-spell" in row.flags) is flagged


@pytest.mark.parametrize(
    ("partner", "ledger", "due", "flagged"),
    [
        ({"agreement": {"check_in_days": 30}}, [ref("ann", "given", days_ago(31))], 1, True),
        ({"agreement": {"check_in_days": 30}}, [ref("ann", "given", days_ago(30))], 0, False),
        ({"agreement": {"check_in_days": 30}}, [ref("ann", "given", days_ago(5))], -25, False),
        ({"agreement": {"check_in_days": 30}, "since": days_ago(40)}, [], 10, True),
        ({"since": days_ago(400)}, [], None, False),  # no cadence agreed
        (
            {"agreement": {"check_in_days": 30}, "status": "retired"},
            [ref("ann", "given", days_ago(100))],
            70,
            False,
        ),
    ],
)
def test_check_in_overdue(
    score: Score, partner: dict, ledger: list, due: int | None, flagged: bool
) -> None:
    row = score({"ann": partner}, ledger)["ann"]
    assert row.check_in_due == (None if due is None else days_ago(due))
    assert ("check-in-overdue" in row.flags) is flagged


@pytest.mark.parametrize(
    ("entry", "flagged"),
    [
        ({"direction": "received", "status": "won"}, True),
        ({"direction": "received", "status": "won", "thanked": True}, False),
        ({"direction": "received", "status": "meeting"}, False),  # not won yet
        ({"direction": "received", "status": "lost"}, False),
        ({"direction": "given", "status": "won"}, False),  # they thank us for that one
    ],
)
def test_unthanked(score: Score, entry: dict, flagged: bool) -> None:
    row = score({"ann": {}}, [{**ref("ann", "received", days_ago(3)), **entry}])["ann"]
    assert ("unthanked" in row.flags) is flagged
    assert bool(row.unthanked_wins()) is flagged


@pytest.mark.parametrize(
    ("status", "follow_up", "flagged"),
    [
        ("introduced", 1, True),
        ("meeting", 1, True),
        ("proposal", 30, True),
        ("meeting", 0, False),  # due today is not yet in the past
        ("meeting", -5, False),
        ("won", 10, False),  # closed referrals need no follow-up
        ("lost", 10, False),
        ("not-a-fit", 10, False),
        ("meeting", None, False),
    ],
)
def test_follow_up_due(score: Score, status: str, follow_up: int | None, flagged: bool) -> None:
    entry = ref("ann", "given", days_ago(40), status=status)
    if follow_up is not None:
        entry["follow_up_due"] = days_ago(follow_up)
    row = score({"ann": {}}, [entry])["ann"]
    assert ("follow-up-due" in row.flags) is flagged
    assert len(row.late_follow_ups(TODAY)) == int(flagged)


def test_every_flag_at_once_in_attention_order(score: Score) -> None:
    row = score(
        {"ann": {"since": dt.date(2025, 1, 1), "agreement": {"check_in_days": 30}}},
        [
            ref("ann", "received", days_ago(200), "A", status="won"),
            ref("ann", "received", days_ago(150), "B", status="meeting", follow_up_due=days_ago(1)),
        ],
    )["ann"]
    assert row.flags == ("check-in-overdue", "follow-up-due", "unthanked", "one-way", "dry-spell")


def test_fit_score_formula(score: Score) -> None:
    def partner(qualifiers: dict[str, bool | None], **more: Any) -> dict[str, Any]:
        return {"qualifiers": qualifiers, **more}

    every = dict.fromkeys(QUALIFIERS, True)
    rows = score(
        {
            # 9 + serves ours 2 + same tier (mid-market) 1 = 12 / 12
            "all-yes": partner(every, serves=["first-hr-hire"], price_tier="mid-market"),
            # 9 x 0.5 + 2 x 0.5 + 0.5 = 6 / 12
            "unknown": partner({}),
            # 0 + serves none listed 2 x 0.5 + other tier 0 = 1 / 12 = 8.3
            "all-no": partner(dict.fromkeys(QUALIFIERS, False), price_tier="premium"),
            # 5 true, 2 false, 2 null = 6; serves ours 2; tier unknown 0.5 -> 8.5 / 12 = 70.8
            "mixed": partner(
                {
                    **dict.fromkeys(QUALIFIERS[:5], True),
                    QUALIFIERS[5]: False,
                    QUALIFIERS[6]: False,
                },
                serves=["growing-manufacturers", "first-hr-hire"],
            ),
        }
    )
    assert rows["all-yes"].fit_score == 100
    assert rows["unknown"].fit_score == 50
    assert rows["all-no"].fit_score == 8
    assert rows["mixed"].fit_score == 71


def test_fit_score_unknown_between_yes_and_no(make_project) -> None:
    project = load_project(make_project())
    base = project.partners["tom-brenner"]
    scores = [
        fit_score(
            project,
            base.model_copy(
                update={"qualifiers": base.qualifiers.model_copy(update={"refers_back": value})}
            ),
        )
        for value in (True, None, False)
    ]
    assert scores[0] > scores[1] > scores[2]


def test_price_tier_unknown_when_we_have_none(score: Score) -> None:
    business = {"price_tier": None}
    rows = score({"ann": {"price_tier": "premium"}, "bob": {}}, business=business)
    assert rows["ann"].fit_score == rows["bob"].fit_score == 50


def test_attention_first_retired_last(score: Score) -> None:
    rows = score(
        {
            "calm": {},
            "quiet": {"since": days_ago(200)},  # dry spell only
            "late": {"agreement": {"check_in_days": 10}, "since": days_ago(50)},  # overdue, dry
            "gone": {"status": "retired"},
            "owed": {},  # one-way and unthanked
            "abc": {},
        },
        [
            ref("owed", "received", days_ago(3), "X", status="won"),
            ref("owed", "received", days_ago(4), "Y"),
        ],
    )
    order = list(rows)
    assert order[-1] == "gone"
    assert order.index("late") < order.index("quiet")
    assert order.index("owed") < order.index("quiet")
    assert set(order[-3:-1]) == {"abc", "calm"}  # no flags: alphabetical, before retired


def _day_cell(cell: Any) -> str | None:
    """A date cell: its machine-readable date, or None for the dash."""
    time = cell.find("time")
    assert time or cell.get_text(strip=True) == "–", cell
    return time["datetime"] if time else None


def report_rows(out: Path) -> list[dict[str, Any]]:
    """The report's scorecard table, parsed: one dict per row, in the table's order."""
    soup = BeautifulSoup((out / "report" / "index.html").read_text(encoding="utf-8"), "html5lib")
    rows = []
    for tr in soup.find("table", class_="scores").tbody.find_all("tr"):
        cells = {td["data-label"]: td for td in tr.find_all("td", attrs={"data-label": True})}
        rows.append(
            {
                "name": tr.th.strong.get_text(),
                "fit_score": int(cells["Fit"].find(class_="score").get_text()),
                "received": int(cells["Received"].get_text()),
                "given": int(cells["Given"].get_text()),
                "balance": int(cells["Balance"].get_text()),  # '+2', '0', '-1'
                "won": int(cells["Won"].get_text()),
                "won_value": cells["Won value"].get_text(),  # "$12,345"
                "conversion": cells["Conversion"].get_text(),
                "last_touch": _day_cell(cells["Last touch"]),
                "check_in_due": _day_cell(cells["Check-in due"]),
                "flags": [
                    next(c.removeprefix("flag-") for c in span["class"] if c != "flag")
                    for span in tr.find("td", class_="flags").find_all("span", class_="flag")
                ],
            }
        )
    return rows


@pytest.mark.parametrize("ledger", ["example", "tracking"])
def test_the_terminal_the_report_and_the_calendar_agree(make_project, ledger: str) -> None:
    """One computation: `refkit partners --json`, the report's table and calendar.ics,
    each read back from what it wrote, say the same figures for every partner."""
    if ledger == "tracking":
        root, today = make_project({"content/referrals.yaml": TRACKING_LEDGER}), TRACKING_TODAY
    else:
        root, today = make_project(), dt.date(2026, 11, 25)
    terminal = scorecard_json(root, today)
    out = build_report(root, today)
    report = report_rows(out)
    events = calendar_events(out)

    # the report lists the current partners, in the order `refkit partners` does
    current = [row for row in terminal.values() if row["status"] != "retired"]
    assert [row["name"] for row in report] == [row["name"] for row in current]
    assert len(current) >= 7
    for row, shown in zip(current, report, strict=True):
        same = ("fit_score", "received", "given", "balance", "won", "flags")
        assert {key: shown[key] for key in same} == {key: row[key] for key in same}, row["slug"]
        # the example's site.language is en-US
        assert shown["won_value"] == format_money(row["won_value"], row["currency"], "en-US")
        touches = [day for day in (row["last_referral"], row["last_check_in"]) if day]
        assert (shown["last_touch"], shown["check_in_due"]) == (
            max(touches, default=None),
            row["check_in_due"],
        ), row["slug"]
        if row["conversion"] is None:  # a dash while nothing received is decided
            assert shown["conversion"] == "–", row["slug"]
        else:
            assert shown["conversion"] == f"{round(row['conversion'] * 100)}%", row["slug"]

    # a check-in event for each current partner with a date due, on that date
    due = {row["slug"]: row for row in current if row["check_in_due"]}
    checkins = {uid.split("@")[0]: e for uid, e in events.items() if uid.startswith("checkin-")}
    assert set(checkins) == {f"checkin-{slug}" for slug in due}
    assert len(due) >= 3
    for slug, row in due.items():
        event = checkins[f"checkin-{slug}"]
        due_day = dt.date.fromisoformat(row["check_in_due"])
        late = (today - due_day).days
        # an overdue check-in is on today's date, saying how late it is
        assert event.decoded("dtstart") == max(due_day, today), slug
        assert (
            f"Referrals received {row['received']}, given {row['given']}, "
            f"balance {row['balance']:+d}." in str(event["description"])
        ), slug
        overdue = f" ({late} day{'' if late == 1 else 's'} overdue)"
        assert str(event["summary"]).endswith(overdue) is (late > 0), slug

    # and what the emails ask for, in-process, is that same row
    project = load_project(root)
    for row in compute_scorecard(project, today):
        assert score_partner(project, row.slug, today) == row
        assert row.as_json() == terminal[row.slug]
