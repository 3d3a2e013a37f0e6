"""calendar.ics nudges: what is overdue is on today's date, with a reminder and the draft named."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from test_report_actions import ACTIVITY, LEDGER, TODAY, ledger_changes

from conftest import TEST_SECRET, build_report, calendar_events, replace

BASE_URL = "  base_url: https://partners.keelcompasshr.com/\n"


def events_by_local_uid(out: Path) -> dict[str, Any]:
    """The VEVENTs by the part of their UID before the '@'."""
    return {uid.split("@")[0]: event for uid, event in calendar_events(out).items()}


def uid_domains(out: Path) -> set[str]:
    """The right-hand sides of every UID."""
    return {uid.split("@", 1)[1] for uid in calendar_events(out)}


def checkin(events: dict[str, Any], slug: str) -> Any:
    return events[f"checkin-{slug}"]


def follow_up(events: dict[str, Any], prospect: str) -> Any:
    return next(e for e in events.values() if f"Follow up on {prospect}," in str(e["summary"]))


def test_overdue_items_are_on_today_saying_how_late(make_project) -> None:
    events = events_by_local_uid(build_report(make_project(ledger_changes()), TODAY))
    marcus = checkin(events, "marcus-oyelaran")
    assert marcus.decoded("dtstart") == TODAY and marcus.decoded("dtend") == dt.date(2026, 7, 1)
    assert str(marcus["summary"]) == (
        "Check in with Marcus Oyelaran, Great Lakes Benefits Group (22 days overdue)"
    )
    gamma = follow_up(events, "Gamma Co")  # follow-ups are marked overdue like check-ins
    assert gamma.decoded("dtstart") == TODAY
    assert str(gamma["summary"]).endswith("(244 days overdue)")
    assert "Due on 2025-10-29, 244 days ago." in str(gamma["description"])
    lambda_ = follow_up(events, "Lambda GmbH")
    assert str(lambda_["summary"]) == (
        "Follow up on Lambda GmbH, given to Zoë Lindqvist (10 days overdue)"
    )
    # what is not due yet stays on its day, with no "overdue"
    dana = checkin(events, "dana-whitfield")  # checked in on 2026-06-25, every 60 days
    assert dana.decoded("dtstart") == dt.date(2026, 8, 24)
    assert "overdue" not in str(dana["summary"])
    # nothing is left on a past date
    assert all(e.decoded("dtstart") >= TODAY for e in events.values())


def test_every_event_reminds_at_nine_on_the_day(make_project) -> None:
    events = events_by_local_uid(build_report(make_project(ledger_changes()), TODAY))
    assert len(events) >= 6
    for uid, event in events.items():
        alarms = event.walk("VALARM")
        assert len(alarms) == 1, uid
        alarm = alarms[0]
        assert str(alarm["action"]) == "DISPLAY"
        assert alarm.decoded("trigger") == dt.timedelta(hours=9), uid
        assert alarm["trigger"].params.get("RELATED", "START") == "START"
        assert str(alarm["description"]) == str(event["summary"])


def test_descriptions_name_the_draft_to_send(make_project) -> None:
    from refkit.pipeline import build

    root = make_project(ledger_changes())
    build(root, only=["email", "report"], today=TODAY, jobs=1)
    out = root / "output"
    events = events_by_local_uid(out)
    marcus = str(checkin(events, "marcus-oyelaran")["description"])
    assert "Draft to send: output/email/marcus-oyelaran/check-in.eml (also .txt, .html)" in marcus
    assert "Or print it: refkit email check-in --partner marcus-oyelaran" in marcus
    assert (out / "email" / "marcus-oyelaran" / "check-in.eml").is_file()
    assert "Last touch: 2026-03-10." in marcus
    # a follow-up on one we gave is asked about in the check-in with that partner
    lambda_ = str(follow_up(events, "Lambda GmbH")["description"])
    assert "Draft to send: output/email/zoe-lindqvist/check-in.eml" in lambda_
    assert "Next step: Ask whether they won it." in lambda_
    # one they sent us is ours to take up with the prospect: no draft
    gamma = str(follow_up(events, "Gamma Co")["description"])
    assert "No draft: contact Gamma Co directly." in gamma and "Draft to send" not in gamma
    assert "Next step: Send the proposal." in gamma


def test_retired_partners_are_absent(make_project) -> None:
    out = build_report(make_project(ledger_changes()), TODAY)
    raw = (out / "calendar.ics").read_text(encoding="utf-8")
    assert "gary-koenig" in LEDGER and "gary-koenig" in ACTIVITY  # they have things due
    assert "gary" not in raw.lower() and "Koenig" not in raw and "Retired Prospect" not in raw


def test_uids_are_unique_per_installation_and_stable(make_project) -> None:
    # with site.base_url: its host
    root = make_project(ledger_changes())
    out = build_report(root, TODAY)
    assert uid_domains(out) == {"partners.keelcompasshr.com"}
    first = calendar_events(out)
    sequence = int(next(e for u, e in first.items() if u.startswith("checkin-marcus"))["sequence"])
    # a later day: the overdue ones move to it, keeping their UIDs; the client
    # takes the newer version (SEQUENCE grows, DTSTAMP is the day)
    later = TODAY + dt.timedelta(days=3)
    out = build_report(root, later)
    moved = calendar_events(out)
    assert set(moved) == set(first)
    marcus = next(e for uid, e in moved.items() if uid.startswith("checkin-marcus-oyelaran@"))
    assert marcus.decoded("dtstart") == later and "(25 days overdue)" in str(marcus["summary"])
    assert marcus.decoded("dtstamp") == dt.datetime(2026, 7, 3, tzinfo=dt.UTC)
    assert int(marcus["sequence"]) == sequence + 3

    # without a base URL: a short hash of the project's secret, never the secret
    one, two = make_project(ledger_changes()), make_project(ledger_changes())
    for project in (one, two):
        replace(project, "content/business.yaml", BASE_URL, "")
    (two / ".refkit" / "secret").write_text("another-projects-secret-0123456789abcdef\n")
    first_domains = uid_domains(build_report(one, TODAY))
    again = uid_domains(build_report(one, TODAY))
    other = uid_domains(build_report(two, TODAY))
    assert len(first_domains) == 1 and first_domains == again  # stable across builds
    assert other != first_domains and len(other) == 1  # different for another project
    (domain,) = first_domains
    assert domain != "refkit" and domain.endswith(".invalid")
    raw = (one / "output" / "calendar.ics").read_text(encoding="utf-8")
    assert TEST_SECRET not in raw and TEST_SECRET[:8] not in domain
    # the same check-in keeps its UID; only the installation's part differs
    assert {u.split("@")[0] for u in calendar_events(one / "output")} == {
        u.split("@")[0] for u in calendar_events(two / "output")
    }


def test_two_projects_on_one_host_differ(make_project) -> None:
    one, two = make_project(ledger_changes()), make_project(ledger_changes())
    replace(one, "content/business.yaml", BASE_URL, "  base_url: https://example.com/a/\n")
    replace(two, "content/business.yaml", BASE_URL, "  base_url: https://example.com/b/\n")
    first, second = uid_domains(build_report(one, TODAY)), uid_domains(build_report(two, TODAY))
    assert first != second
    assert all(d.endswith(".example.com") for d in first | second)
