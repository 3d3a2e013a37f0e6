"""`refkit email`: one draft on stdout, the same as the build's, with the blanks filled in."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import BLANK, TODAY, network_guard, parse_eml, refkit_exe, run_refkit


def test_refkit_email_command(make_project) -> None:
    root = make_project()
    result = run_refkit(
        "email",
        "introduction",
        "-p",
        root,
        "--partner",
        "ines-carvalho",
        "--profile",
        "acquisition-integration",
        "--prospect",
        "Ana",
        "--prospect-company",
        "Fox Valley Foods",
        "--today",
        "2026-11-25",
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Subject: Introduction: Ana and Priya Raman (Keel & Compass HR)"
    assert lines[1] == "" and lines[2] == "Hi Ana and Priya,"
    brief = run_refkit(
        "email",
        "referral-brief",
        "-p",
        root,
        *("--partner", "ines-carvalho", "--profile", "acquisition-integration"),
        *("--prospect", "Ana", "--prospect-company", "Fox Valley Foods"),
    )
    assert brief.returncode == 0, brief.stderr
    assert brief.stdout.startswith("Subject: Referral: Ana (Fox Valley Foods) for Keel & Compass")
    assert "\nCompany: Fox Valley Foods\n" in brief.stdout
    assert "- Two handbooks, two pay structures, two benefits plans" in brief.stdout
    assert not BLANK.search(result.stdout)  # every blank filled
    assert result.stdout.rstrip().endswith("Inês Carvalho")

    html = run_refkit(
        "email", "check-in", "-p", root, "--partner", "ines-carvalho", "--format", "html"
    )
    assert html.returncode == 0 and html.stdout.lstrip().lower().startswith("<!doctype html>")
    assert "Hi Inês," in html.stdout

    eml = run_refkit(
        "email", "thank-you", "-p", root, "--partner", "zoe-lindqvist", "--format", "eml"
    )
    message = parse_eml(eml.stdout.encode())
    assert message["To"].addresses[0].display_name == "Zoë Lindqvist"
    assert message["X-Unsent"] == "1"
    assert message["Subject"] == "Thank you for introducing Two Rivers Machining"

    generic = run_refkit("email", "ask-permission", "-p", root)
    assert generic.returncode == 0 and "[Prospect first name]" in generic.stdout
    assert generic.stdout.rstrip().endswith("[Your name]")


def test_refkit_email_thank_you_when_everything_is_thanked(make_project) -> None:
    root = make_project()
    args = ["email", "thank-you", "-p", root, "--partner", "dana-whitfield"]
    result = run_refkit(*args)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith(
        "--partner: error: every introduction from Dana Whitfield has been thanked; "
        "--prospect NAME writes"
    ), result.stderr
    again = run_refkit(*args, "--prospect", "Walworth Precision Castings")
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("Subject: Thank you for introducing Walworth Precision")
    nobody = run_refkit("email", "thank-you", "-p", root, "--partner", "tom-brenner")
    assert nobody.returncode == 1 and "has not introduced anyone yet" in nobody.stderr


def test_refkit_email_thank_you_for_a_named_referral(make_project) -> None:
    root = make_project()
    args = ["email", "thank-you", "-p", root, "--partner", "ines-carvalho"]
    named = run_refkit(*args, "--prospect", "badger state millwork")
    assert named.stdout.startswith("Subject: Thank you for introducing Badger State Millwork\n")
    assert "Good news: they've become a client." in named.stdout
    unknown = run_refkit(*args, "--prospect", "Ana")
    assert unknown.stdout.startswith("Subject: Thank you for introducing Ana\n")
    assert "[How it went]" in unknown.stdout


def test_refkit_email_eml_attaches_from_the_last_build(example_build: Path) -> None:
    result = subprocess.run(
        [*network_guard(), refkit_exe(), "email", "criteria-share", "-p", str(example_build)]
        + ["--partner", "dana-whitfield", "--format", "eml", "--today", TODAY.isoformat()],
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    built = example_build / "output" / "email" / "dana-whitfield" / "criteria-share.eml"
    assert result.stdout == built.read_bytes()  # the same draft as the build's


def test_refkit_email_is_the_same_as_the_build(example_build: Path) -> None:
    out = example_build / "output" / "email"
    for slug, template in (("dana-whitfield", "check-in"), ("tom-brenner", "partner-proposal")):
        result = run_refkit(
            "email",
            template,
            "-p",
            example_build,
            "--partner",
            slug,
            "--today",
            TODAY.isoformat(),
        )
        assert result.stdout == (out / slug / f"{template}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--partner", "dana-whitfeld"], "unknown partner 'dana-whitfeld' (did you mean"),
        (["--partner", "dana-whitfield", "--profile", "nobody"], "unknown profile 'nobody'"),
        (["--partner", "gary-koenig"], "gary-koenig is retired and gets no emails"),
        (["--prospect", "Ana\nBcc: x@example.com"], "--prospect: error: must be a single line"),
        (["--prospect-company", "Fox\rValley"], "--prospect-company: error: must be a single"),
    ],
)
def test_refkit_email_refuses(make_project, args: list[str], message: str) -> None:
    result = run_refkit("email", "introduction", "-p", make_project(), *args)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_refkit_email_greets_the_prospect_by_first_name(make_project) -> None:
    root = make_project()
    args = ["-p", root, "--partner", "dana-whitfield", "--prospect", "Sam Ortiz"]
    intro = run_refkit("email", "introduction", *args, "--prospect-company", "Fox Valley Foods")
    assert intro.returncode == 0, intro.stderr
    lines = intro.stdout.splitlines()
    assert lines[0] == "Subject: Introduction: Sam Ortiz and Priya Raman (Keel & Compass HR)"
    assert lines[2] == "Hi Sam and Priya,"
    flat = " ".join(intro.stdout.split())
    assert "Sam, Priya Raman is Founder" in flat
    assert "Priya, I think Sam would find a conversation with you worthwhile." in flat
    assert "Sam, pick a time" in flat
    ask = run_refkit("email", "ask-permission", *args)
    assert ask.stdout.splitlines()[2] == "Hi Sam,"


def test_the_acquisition_introduction_from_the_cli(make_project) -> None:
    """The reviewer's example: Dana's second profile, for a named prospect."""
    result = run_refkit(
        "email",
        "introduction",
        "-p",
        make_project(),
        "--partner",
        "dana-whitfield",
        "--profile",
        "acquisition-integration",
        "--prospect",
        "Ana Ruiz",
        "--prospect-company",
        "Fox Valley Foods",
        "--today",
        TODAY.isoformat(),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[2] == "Hi Ana and Priya,"
    flat = " ".join(result.stdout.split())
    assert (
        "Ana, Priya Raman is Founder and Principal Consultant at Keel & Compass HR. Priya makes "
        "the people side of the deal boring, on a 100-day plan." in flat
    )
    assert "A deal closed in the last six months" not in flat  # a signal, not chosen
    assert "A signed or imminent acquisition" not in flat  # criteria stay private
    assert not BLANK.search(result.stdout)
    assert all(len(line) <= 72 for line in result.stdout.splitlines()[1:])


def test_proposal_only_for_prospects(make_project) -> None:
    result = run_refkit(
        "email", "partner-proposal", "-p", make_project(), "--partner", "dana-whitfield"
    )
    assert result.returncode == 1
    assert "only for partners with status: prospect (dana-whitfield is active)" in result.stderr


def test_unknown_template_is_a_usage_error(make_project) -> None:
    result = run_refkit("email", "introductions", "-p", make_project())
    assert result.returncode == 2


def test_customer_interview_only_for_customers(make_project) -> None:
    root = make_project()
    partner = run_refkit("email", "customer-interview", "-p", root, "--partner", "dana-whitfield")
    assert partner.returncode == 1 and partner.stdout == ""
    assert partner.stderr.startswith(
        "--partner: error: 'customer-interview' is only for top customers (kind: customer)"
    )
    customer = run_refkit("email", "customer-interview", "-p", root, "--partner", "zoe-lindqvist")
    assert customer.returncode == 0, customer.stderr
    assert customer.stdout.startswith("Subject: Three quick questions about working with")
    assert "Hi Zoë," in customer.stdout
