"""Introduction emails: .txt/.html/.eml per partner and generic, and `refkit email`."""

from __future__ import annotations

import email
import email.policy
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import TODAY, run_refkit
from refkit.build import build
from refkit.compose import PROSPECT_BLANKS, TEMPLATES

URL = re.compile(r"https?://\S+")


def parse(path: Path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def words(text: str) -> list[str]:
    return re.findall(r"[A-Za-zÀ-ÿ0-9]+", text)


def test_files_per_partner_and_generic(example_build: Path) -> None:
    out = example_build / "output" / "email"
    for template in TEMPLATES:
        assert (out / "_generic" / f"{template}.txt").is_file()
        assert (out / "_generic" / f"{template}.html").is_file()
    assert not (out / "gary-koenig").exists()  # retired
    assert (out / "tom-brenner" / "partner-proposal.eml").is_file()  # prospect
    assert not (out / "dana-whitfield" / "partner-proposal.txt").exists()  # active
    for slug in ("dana-whitfield", "ines-carvalho", "zoe-lindqvist"):
        for template in (
            "ask-permission",
            "introduction",
            "criteria-share",
            "thank-you",
            "check-in",
        ):
            for ext in ("txt", "html", "eml"):
                assert (out / slug / f"{template}.{ext}").is_file(), (slug, template, ext)


def test_every_eml_parses_as_a_draft(example_build: Path) -> None:
    emls = sorted((example_build / "output" / "email").rglob("*.eml"))
    assert len(emls) >= 30
    for path in emls:
        message = parse(path)
        assert message["X-Unsent"] == "1"
        assert message["Subject"]
        assert message["Date"] is None and message["Message-ID"] is None
        body = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        assert body is not None and html is not None
        assert body.get_content_type() == "text/plain"
        alternative = next(
            p for p in message.walk() if p.get_content_type() == "multipart/alternative"
        )
        assert [p.get_content_type() for p in alternative.iter_parts()] == [
            "text/plain",
            "text/html",
        ]


def test_non_ascii_names_round_trip(example_build: Path) -> None:
    out = example_build / "output" / "email"
    message = parse(out / "ines-carvalho" / "check-in.eml")
    to = message["To"].addresses[0]
    assert to.display_name == "Inês Carvalho" and to.addr_spec == "ines@carvalhoreyes.com"
    assert message["From"].addresses[0].display_name == "Priya Raman"
    raw = (out / "ines-carvalho" / "check-in.eml").read_bytes()
    assert "Inês".encode() not in raw.split(b"\r\n\r\n")[0]  # headers are encoded words
    intro = parse(out / "zoe-lindqvist" / "introduction.eml")
    assert intro["From"].addresses[0].display_name == "Zoë Lindqvist"
    assert intro.get_body(("plain",)).get_content().rstrip().endswith("Zoë Lindqvist")


def test_criteria_share_attaches_the_one_pagers(example_build: Path) -> None:
    message = parse(example_build / "output" / "email" / "dana-whitfield" / "criteria-share.eml")
    attachments = list(message.iter_attachments())
    # Dana serves two profiles: their two one-pagers and Dana's own
    assert sorted(a.get_filename() for a in attachments) == [
        "acquisition-integration-one-pager.pdf",
        "dana-whitfield-prepared-for-you.pdf",
        "growing-manufacturers-one-pager.pdf",
    ]
    for part in attachments:
        assert part.get_content_type() == "application/pdf"
        assert part.get_content().startswith(b"%PDF")


def test_text_and_html_carry_the_same_words(example_build: Path) -> None:
    out = example_build / "output" / "email"
    for path in [*out.glob("*/*.txt")]:
        text = path.read_text()
        html = path.with_suffix(".html").read_text()
        soup = BeautifulSoup(html, "html.parser")
        assert "<style" not in html  # inlined, for Gmail and Outlook
        assert soup.find("div")["style"].count("max-width: 600px") == 1
        body_words = words(text.split("\n\n", 1)[1])
        assert body_words == words(soup.find("div").get_text(" ")), path
        assert not soup.find("img") and not soup.find("script")


def test_text_is_wrapped(example_build: Path) -> None:
    for path in (example_build / "output" / "email").rglob("*.txt"):
        for line in path.read_text().splitlines()[1:]:
            assert len(line) <= 78 or URL.search(line), (path, line)


def test_blanks_only_where_they_belong(example_build: Path) -> None:
    out = example_build / "output" / "email"
    for path in (out / "_generic").glob("*.txt"):
        assert re.search(r"\[[A-Z][^\]]+\]", path.read_text()), path
    for path in out.glob("*/*.txt"):
        if path.parent.name == "_generic" or path.stem == "thank-you":
            continue
        blanks = set(re.findall(r"\[[A-Z][^\]]+\]", path.read_text()))
        assert blanks <= set(PROSPECT_BLANKS), (path, blanks)
    # the partner sends these, signed with their own name
    assert (
        (out / "dana-whitfield" / "introduction.txt")
        .read_text()
        .rstrip()
        .endswith("Dana Whitfield")
    )
    assert "[Your name]" in (out / "_generic" / "introduction.txt").read_text()


def test_introduction_content(example_build: Path) -> None:
    text = (example_build / "output" / "email" / "dana-whitfield" / "introduction.txt").read_text()
    assert text.startswith("Subject: Introduction: [Prospect first name]")
    assert "40 to 250 employees, most of them in production" in text  # the criteria
    assert "https://www.keelcompasshr.com/intro-call" in text  # one next step
    assert "within one business day" in text  # who follows up
    forwardable = text.split("in case you want to forward this:\n\n", 1)[1].split("\n\n")[0]
    assert len(forwardable.split()) <= 120


def test_notes_never_reach_emails(example_build: Path) -> None:
    for path in (example_build / "output" / "email").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"PRIVATE-NOTE" not in data and b"PRIVATE-LEDGER-NOTE" not in data, path


def test_partner_without_email_gets_no_eml(make_project) -> None:
    root = make_project()
    partner = root / "content" / "partners" / "dana-whitfield.yaml"
    partner.write_text(partner.read_text().replace("email: dana@whitfieldemploymentlaw.com\n", ""))
    build(root, only=["email"], today=TODAY)
    out = root / "output" / "email" / "dana-whitfield"
    assert (out / "check-in.txt").is_file() and not list(out.glob("*.eml"))


def test_emails_are_reproducible(make_project) -> None:
    root = make_project()
    build(root, only=["email"], today=TODAY)
    first = {p: p.read_bytes() for p in (root / "output" / "email").rglob("*") if p.is_file()}
    build(root, only=["email"], today=TODAY)
    assert first == {p: p.read_bytes() for p in first}


def test_newline_in_a_name_is_rejected_before_any_header(make_project) -> None:
    root = make_project()
    partner = root / "content" / "partners" / "zoe-lindqvist.yaml"
    partner.write_text(
        partner.read_text().replace(
            "name: Zoë Lindqvist", 'name: "Zoë\\r\\nBcc: everyone@example.com"'
        )
    )
    result = run_refkit("build", "-p", root, "--only", "email")
    assert result.returncode == 1
    assert result.stderr.startswith(
        "content/partners/zoe-lindqvist.yaml:2:7: error: name: must be a single line"
    )
    assert not (root / "output").exists()


def test_missing_variable_in_an_override_fails_with_file_and_line(make_project) -> None:
    template = "Subject: Thanks\nHi {{ partner_first }},\n\n{{ referal.prospect }}\n"
    root = make_project(**{"templates/email/thank-you.txt": template})
    result = run_refkit("build", "-p", root, "--only", "email")
    assert result.returncode == 1
    assert result.stderr.startswith("templates/email/thank-you.txt:4: error: template error:")
    assert "referal" in result.stderr


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
    assert lines[0] == (
        "Subject: Introduction: Ana (Fox Valley Foods) and Priya Raman (Keel & Compass HR)"
    )
    assert "A signed or imminent acquisition or merger" in result.stdout
    assert "[Prospect" not in result.stdout
    assert result.stdout.rstrip().endswith("Inês Carvalho")

    html = run_refkit(
        "email", "check-in", "-p", root, "--partner", "ines-carvalho", "--format", "html"
    )
    assert html.returncode == 0 and html.stdout.lstrip().lower().startswith("<!doctype html>")

    eml = run_refkit(
        "email", "thank-you", "-p", root, "--partner", "zoe-lindqvist", "--format", "eml"
    )
    message = email.message_from_string(eml.stdout, policy=email.policy.default)
    assert message["To"].addresses[0].display_name == "Zoë Lindqvist"
    assert message["X-Unsent"] == "1"

    generic = run_refkit("email", "ask-permission", "-p", root)
    assert generic.returncode == 0 and "[Prospect first name]" in generic.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--partner", "dana-whitfeld"], "unknown partner 'dana-whitfeld' (did you mean"),
        (["--partner", "dana-whitfield", "--profile", "nobody"], "unknown profile 'nobody'"),
        (["--partner", "gary-koenig"], "not written for gary-koenig (retired)"),
        (["--prospect", "Ana\nBcc: x@example.com"], "--prospect: error: must be a single line"),
    ],
)
def test_refkit_email_refuses(make_project, args: list[str], message: str) -> None:
    result = run_refkit("email", "introduction", "-p", make_project(), *args)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr


def test_proposal_only_for_prospects(make_project) -> None:
    result = run_refkit(
        "email", "partner-proposal", "-p", make_project(), "--partner", "dana-whitfield"
    )
    assert result.returncode == 1
    assert "not written for dana-whitfield (a active partner)" in result.stderr
