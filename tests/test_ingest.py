"""refkit ingest: saved emails become received referrals; what it cannot read changes nothing."""

from __future__ import annotations

import datetime as dt
import email.policy
import mailbox
import os
import subprocess
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from conftest import network_guard, refkit_exe, run_refkit
from refkit.content.project import load_project

US = "Priya Raman <priya@keelcompasshr.com>"
DANA = "Dana Whitfield <dana@whitfieldemploymentlaw.com>"
#: noon UTC: the same date in any local time zone a test machine has
SENT = "Fri, 20 Nov 2026 12:00:00 +0000"
DAY = dt.date(2026, 11, 20)

BRIEF = """\
Hi Priya,

Here is the background on someone I'd like you to meet, before you talk.

Prospect: Jane Doe
Company: Acme Tools
Email: jane@acmetools.com
Profile: growing-manufacturers
How warm: warm
Criteria they meet:
- 50-500 employees
- No HR director yet
Signals that apply:
- Opening a second plant
Before the first call:
They've had a bad experience with a large consultancy.

Dana
"""


def message(
    body: str = BRIEF,
    *,
    sender: str = DANA,
    to: str = US,
    cc: str | None = None,
    date: str | None = SENT,
    subject: str = "Referral: Jane Doe (Acme Tools) for Keel & Compass HR",
) -> EmailMessage:
    msg = EmailMessage(policy=email.policy.default)
    msg["From"] = sender
    msg["To"] = to
    if cc:
        msg["Cc"] = cc
    msg["Subject"] = subject
    if date:
        msg["Date"] = date
    msg.set_content(body)
    return msg


def save(folder: Path, name: str, data: EmailMessage | bytes | str) -> Path:
    path = folder / name
    if isinstance(data, EmailMessage):
        data = data.as_bytes()
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def ledger_bytes(root: Path) -> bytes:
    return (root / "content" / "referrals.yaml").read_bytes()


def ingest(root: Path, *args: str | Path, **kw: Any) -> Any:
    result = run_refkit("ingest", "-p", root, *args, **kw)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def assert_logged(root: Path, before: bytes, **expected: Any) -> None:
    after = ledger_bytes(root)
    assert after.startswith(before) and len(after) > len(before)
    last = load_project(root).referrals[-1]
    fields = {"direction": "received", "partner": "dana-whitfield", "date": DAY, **expected}
    assert {k: getattr(last, k) for k in fields} == fields


@pytest.fixture
def root(make_project) -> Path:
    return make_project()


def test_a_brief_as_eml_is_logged(root: Path) -> None:
    before = ledger_bytes(root)
    path = save(root, "brief.eml", message())
    result = ingest(root, path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Logged 2026-11-20: received from Dana Whitfield: Jane Doe (introduced) "
        "in content/referrals.yaml\n"
    )
    assert_logged(root, before, prospect="Jane Doe", profile="growing-manufacturers")
    note = load_project(root).referrals[-1].note
    assert note == "from a referral brief: warm; meets 2 criteria; company Acme Tools"


def test_the_date_is_the_sent_date_in_local_time(root: Path) -> None:
    late = "Sat, 21 Nov 2026 03:30:00 +0000"  # still the 20th in Chicago
    path = save(root, "brief.eml", message(date=late))
    result = ingest(root, path, env={"TZ": "America/Chicago"})
    assert result.returncode == 0, result.stderr
    assert load_project(root).referrals[-1].date == DAY


def test_date_option_wins_and_today_is_the_last_resort(root: Path) -> None:
    path = save(root, "brief.eml", message())
    assert ingest(root, path, "--date", "2026-10-02").returncode == 0
    assert load_project(root).referrals[-1].date == dt.date(2026, 10, 2)
    undated = save(root, "undated.eml", message(date=None, body=BRIEF.replace("Jane", "Joan")))
    assert ingest(root, undated).returncode == 0
    assert load_project(root).referrals[-1].date == dt.date.today()


def test_outlook_quoted_printable_with_soft_breaks(root: Path) -> None:
    before = ledger_bytes(root)
    body = BRIEF.replace("Jane Doe", "Siobhán O’Neill")
    msg = message(body)
    msg.set_content(body, cte="quoted-printable")
    data = msg.as_bytes(policy=email.policy.default.clone(linesep="\r\n"))
    assert b"=E2=80=99" in data and b"\r\n" in data
    # Outlook breaks lines mid-word with '=' at the end of the line
    data = data.replace(b"Prospect: ", b"Pros=\r\npect: ").replace(b"growing-", b"grow=\r\ning-")
    data = data.replace(b"Company: Acme", b"Company: Ac=\r\nme")
    path = save(root, "outlook.eml", data)
    result = ingest(root, path)
    assert result.returncode == 0, result.stderr
    assert_logged(root, before, prospect="Siobhán O’Neill", profile="growing-manufacturers")
    assert "company Acme Tools" in (load_project(root).referrals[-1].note or "")


FORWARDS = {
    "gmail": (
        "FYI\n\n---------- Forwarded message ---------\n"
        f"From: {DANA}\nDate: Fri, Nov 20, 2026 at 9:12 AM\n"
        f"Subject: Referral: Jane Doe\nTo: {US}\n\n{BRIEF}"
    ),
    "outlook": (
        "See below.\n\n-----Original Message-----\n"
        f"From: {DANA}\nSent: Friday, November 20, 2026 9:12 AM\nTo: {US}\n"
        "Subject: Referral: Jane Doe\n\n" + "".join(f"> {line}\n" for line in BRIEF.splitlines())
    ),
}


@pytest.mark.parametrize("style", list(FORWARDS))
def test_a_brief_forwarded_inline(root: Path, style: str) -> None:
    before = ledger_bytes(root)
    forwarded_later = "Mon, 23 Nov 2026 12:00:00 +0000"  # the date is the original's
    path = save(root, "fwd.eml", message(FORWARDS[style], sender=US, to=US, date=forwarded_later))
    result = ingest(root, path)
    assert result.returncode == 0, result.stderr
    assert_logged(root, before, prospect="Jane Doe", profile="growing-manufacturers")


def test_a_brief_forwarded_as_an_attachment(root: Path) -> None:
    before = ledger_bytes(root)
    later = "Mon, 23 Nov 2026 12:00:00 +0000"
    outer = message("Forwarding Dana's brief.", sender=US, to=US, date=later)
    outer.add_attachment(message())
    assert any(p.get_content_type() == "message/rfc822" for p in outer.walk())
    path = save(root, "fwd.eml", outer)
    result = ingest(root, path)
    assert result.returncode == 0, result.stderr
    assert_logged(root, before, prospect="Jane Doe", profile="growing-manufacturers")


def test_an_mbox_with_two_messages(root: Path) -> None:
    before = ledger_bytes(root)
    path = root / "saved.mbox"
    box = mailbox.mbox(path)
    box.add(message())
    box.add(message(BRIEF.replace("Jane Doe", "Raoul Pike")))
    box.close()
    result = ingest(root, path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("Logged 2026-11-20: received from Dana Whitfield") == 2
    assert [r.prospect for r in load_project(root).referrals[-2:]] == ["Jane Doe", "Raoul Pike"]
    assert ledger_bytes(root).startswith(before)


def test_pasted_text_with_headers(root: Path) -> None:
    before = ledger_bytes(root)
    text = f"From: {DANA}\nTo: {US}\nSubject: Referral\nDate: {SENT}\n\n{BRIEF}"
    result = ingest(root, save(root, "pasted.txt", text))
    assert result.returncode == 0, result.stderr
    assert_logged(root, before, prospect="Jane Doe", profile="growing-manufacturers")


def test_pasted_brief_without_headers_needs_partner(root: Path) -> None:
    before = ledger_bytes(root)
    path = save(root, "pasted.txt", BRIEF)
    refused = ingest(root, path)
    assert refused.returncode == 1
    assert refused.stderr.startswith(f"{path}: error: ") and "--partner SLUG" in refused.stderr
    assert ledger_bytes(root) == before
    result = ingest(root, path, "--partner", "dana-whitfield", "--date", "2026-11-20")
    assert result.returncode == 0, result.stderr
    assert_logged(root, before, prospect="Jane Doe", profile="growing-manufacturers")


def test_profile_by_title_and_html_only_body(root: Path) -> None:
    before = ledger_bytes(root)
    title = "owners of MANUFACTURERS outgrowing their people practices"
    lines = BRIEF.replace("growing-manufacturers", title).splitlines()
    markup = "<html><body>" + "".join(f"<p>{line}</p>" for line in lines) + "</body></html>"
    msg = message()
    msg.set_content(markup, subtype="html")
    result = ingest(root, save(root, "html.eml", msg))
    assert result.returncode == 0, result.stderr
    assert_logged(root, before, prospect="Jane Doe", profile="growing-manufacturers")


def test_an_introduction_we_were_copied_on(make_project) -> None:
    # addresses compare in any case; Helen serves one profile only
    root = make_project(
        **{"content/partners/helen-marsh.yaml": {"email": "Helen@MarshControls.com"}}
    )
    before = ledger_bytes(root)
    helen = "Helen Marsh <HELEN@marshcontrols.com>"
    intro = message(
        "Priya, meet Sam. Sam, meet Priya.",
        sender=helen,
        to="Sam Okafor <sam@okafor-eng.com>",
        cc=f"{US}, helen@MARSHCONTROLS.com",
        subject="Introduction: Sam, meet Priya",
    )
    result = ingest(root, save(root, "intro.eml", intro))
    assert result.returncode == 0, result.stderr
    assert_logged(
        root, before, partner="helen-marsh", prospect="Sam Okafor", profile="first-hr-hire"
    )


def test_an_introduction_with_several_candidates_needs_prospect(root: Path) -> None:
    before = ledger_bytes(root)
    intro = message("Meet each other.", to="sam@a.com, lee@b.com", cc=US, subject="Intro")
    path = save(root, "intro.eml", intro)
    refused = ingest(root, path)
    assert refused.returncode == 1 and "--prospect NAME" in refused.stderr
    assert ledger_bytes(root) == before
    result = ingest(root, path, "--prospect", "Sam Lee")
    assert result.returncode == 0, result.stderr
    assert_logged(root, before, prospect="Sam Lee", profile=None)


def test_dry_run_writes_nothing(root: Path) -> None:
    before = ledger_bytes(root)
    files = sorted(os.listdir(root / "content"))
    result = ingest(root, save(root, "brief.eml", message()), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Would log 2026-11-20: received from Dana Whitfield: Jane Doe")
    assert ledger_bytes(root) == before
    assert sorted(os.listdir(root / "content")) == files


def refusals() -> dict[str, tuple[Any, str]]:
    return {
        "duplicate": (message(BRIEF.replace("Jane Doe", "  jane   DOE ")), "already logged"),
        "unknown sender": (message(sender="x@elsewhere.com"), "unknown sender x@elsewhere.com"),
        "retired partner": (message(sender="gary@koenigsearch.com"), "is retired"),
        "from us, nothing forwarded": (message(sender=US), "from us"),
        "no From": (b"To: priya@keelcompasshr.com\nSubject: hi\n\nProspect: X\n", "no sender"),
        "blanks": (
            message(BRIEF.replace("Jane Doe", "[Prospect name]").replace(": warm", ": [How warm]")),
            "the brief still has blanks: [Prospect name], [How warm]",
        ),
        "unknown --partner": (BRIEF, "unknown partner 'dana-whitfeld'"),
        "unknown profile": (
            message(BRIEF.replace("growing-manufacturers", "growing-manufacturer")),
            "did you mean 'growing-manufacturers'",
        ),
        "binary": (bytes(range(256)) * 4, "binary"),
        "empty": (b"", "is empty"),
        "not an email": (b"\xff\xfe just latin-1 \xe9 text\n", "neither an email nor UTF-8"),
        "folder": (None, "is a folder"),
    }


@pytest.mark.parametrize("case", list(refusals()))
def test_refused_messages_leave_the_ledger_byte_identical(root: Path, case: str) -> None:
    data, message_part = refusals()[case]
    if case == "duplicate":
        assert ingest(root, save(root, "first.eml", message())).returncode == 0
    before = ledger_bytes(root)
    if data is None:
        path = root / "a-folder.eml"
        path.mkdir()
    else:
        path = save(root, "bad.eml", data)
    extra = ["--partner", "dana-whitfeld"] if case == "unknown --partner" else []
    result = ingest(root, path, *extra)
    assert result.returncode == 1
    assert ledger_bytes(root) == before
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{path}: error: ") and message_part in first, result.stderr
    assert "0 referrals logged; 1 message refused" in result.stderr
    assert result.stdout == ""


def test_a_fifo_is_refused_without_blocking(root: Path) -> None:
    before = ledger_bytes(root)
    path = root / "pipe.eml"
    os.mkfifo(path)
    # opening a FIFO for reading waits for a writer: a short timeout, not run_refkit's
    command = [*network_guard(), refkit_exe(), "ingest", "-p", str(root), str(path)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and f"{path}: error: is not a regular file" in result.stderr
    assert ledger_bytes(root) == before


def test_several_files_each_reported(root: Path) -> None:
    before = ledger_bytes(root)
    good = save(root, "good.eml", message())
    bad = save(root, "bad.eml", message(sender="x@elsewhere.com"))
    result = ingest(root, bad, good)
    assert result.returncode == 1
    assert result.stdout.startswith("Logged 2026-11-20: received from Dana Whitfield: Jane Doe")
    assert f"{bad}: error: unknown sender" in result.stderr
    assert "1 referral logged; 1 message refused" in result.stderr
    assert_logged(root, before, prospect="Jane Doe")


def test_help_lists_ingest_on_one_whole_line() -> None:
    result = run_refkit("--help")
    line = next(x for x in result.stdout.splitlines() if x.strip().startswith("ingest"))
    assert line.split(None, 1)[1].startswith("Log received referrals from saved emails")


def test_an_introduction_we_forwarded_to_ourselves(root: Path) -> None:
    before = ledger_bytes(root)
    body = (
        "---------- Forwarded message ---------\n"
        f"From: {DANA}\nDate: {SENT}\nSubject: Introduction\n"
        f"To: Sam Okafor <sam@okafor-eng.com>\nCc: {US}\n\nSam, meet Priya.\n"
    )
    path = save(root, "fwd.eml", message(body, sender=US, to=US, date=None))
    result = ingest(root, path)
    assert result.returncode == 0, result.stderr
    assert_logged(root, before, prospect="Sam Okafor", profile=None)


def test_partner_option_overrides_the_sender(root: Path) -> None:
    before = ledger_bytes(root)
    path = save(root, "brief.eml", message(sender="dana.private@example.com"))
    result = ingest(root, path, "--partner", "dana-whitfield")
    assert result.returncode == 0, result.stderr
    assert_logged(root, before, prospect="Jane Doe", profile="growing-manufacturers")


def test_dry_run_reports_a_message_given_twice(root: Path) -> None:
    before = ledger_bytes(root)
    path = save(root, "brief.eml", message())
    result = ingest(root, path, path, "--dry-run")
    assert result.returncode == 1
    assert result.stdout.count("Would log") == 1
    assert f"{path}: error: already logged above" in result.stderr
    assert "1 referral would be logged; 1 message refused" in result.stderr
    assert ledger_bytes(root) == before


def test_a_brief_refkit_wrote_round_trips(root: Path) -> None:
    """The draft `refkit email referral-brief` writes, filled in and sent, is read back."""
    drafted = run_refkit(
        "email",
        "referral-brief",
        "-p",
        root,
        *("--partner", "dana-whitfield", "--profile", "growing-manufacturers"),
        *("--prospect", "Jane Doe", "--prospect-company", "Acme Tools"),
    )
    assert drafted.returncode == 0, drafted.stderr
    subject, _, body = drafted.stdout.partition("\n\n")
    # the partner fills the two blanks left and deletes the criteria that don't apply
    lines = body.replace("[Warm, lukewarm or cold]", "warm").replace(
        "[Anything Priya should know before the first call]", "They tried a PEO once."
    )
    kept = [line for line in lines.splitlines() if "30% a year" not in line]
    msg = message("\n".join(kept) + "\n", subject=subject.removeprefix("Subject: "))
    before = ledger_bytes(root)
    result = ingest(root, save(root, "sent-brief.eml", msg))
    assert result.returncode == 0, result.stderr
    assert_logged(root, before, prospect="Jane Doe", profile="growing-manufacturers")
    note = load_project(root).referrals[-1].note or ""
    assert note.startswith("from a referral brief: warm; meets 4 criteria; company Acme Tools")
    # the same, untouched: its blanks are refused and nothing is logged
    untouched = message(body, subject=subject.removeprefix("Subject: "))
    again = ingest(root, save(root, "untouched.eml", untouched))
    assert again.returncode == 1 and "blanks" in again.stderr


def test_a_wrapped_list_item_is_one_item(root: Path) -> None:
    body = BRIEF.replace(
        "- 50-500 employees\n",
        "- 50-500 employees, most of them on the floor, in two plants\n  and a warehouse\n",
    )
    result = ingest(root, save(root, "wrapped.eml", message(body)))
    assert result.returncode == 0, result.stderr
    assert "meets 2 criteria" in (load_project(root).referrals[-1].note or "")
