"""Introduction emails: .txt/.html/.eml per partner and generic, and `refkit email`."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
import subprocess
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from conftest import TEST_SECRET, TODAY, refkit_exe, run_refkit
from refkit.build import build
from refkit.compose import (
    FORWARDABLE_WORDS,
    PROSPECT_BLANKS,
    TEMPLATES,
    compose_email,
    join_words,
    lower_first,
)
from refkit.links import SitePaths
from refkit.project import load_project
from refkit.scorecard import score_partner

URL = re.compile(r"https?://\S+")
BLANK = re.compile(r"\[[A-Z][^\]\n]+\]")
#: partners of the example that get emails (gary-koenig is retired)
PARTNERS = (
    "dana-whitfield",
    "helen-marsh",
    "ines-carvalho",
    "marcus-oyelaran",
    "raj-patel",
    "tom-brenner",
    "zoe-lindqvist",
)


def parse(data: bytes | Path) -> EmailMessage:
    raw = data.read_bytes() if isinstance(data, Path) else data
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def body_of(txt: str) -> str:
    """A .txt file without its 'Subject:' line."""
    first, _, rest = txt.partition("\n\n")
    assert first.startswith("Subject: ")
    return rest


def column(html: str) -> Any:
    """The table cell holding the email's content."""
    return BeautifulSoup(html, "html.parser").find("td", class_="body")


def compose(root: Path, template: str, **kw: Any) -> Any:
    project = load_project(root)
    return compose_email(project, SitePaths(project, TEST_SECRET), template, today=TODAY, **kw)


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, rel)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --------------------------------------------------------------------------- files


def test_files_per_partner_and_generic(example_build: Path) -> None:
    out = example_build / "output" / "email"
    for template in TEMPLATES:
        assert (out / "_generic" / f"{template}.txt").is_file()
        assert (out / "_generic" / f"{template}.html").is_file()
        assert not (out / "_generic" / f"{template}.eml").exists()
    assert sorted(p.name for p in out.iterdir()) == sorted(["_generic", *PARTNERS])
    assert not (out / "gary-koenig").exists()  # retired
    for slug in PARTNERS:
        for template in TEMPLATES:
            expected = template != "partner-proposal" or slug == "tom-brenner"  # the prospect
            for ext in ("txt", "html", "eml"):
                assert (out / slug / f"{template}.{ext}").is_file() == expected, (slug, template)


def test_every_eml_parses_as_a_draft(example_build: Path) -> None:
    out = example_build / "output" / "email"
    emls = sorted(out.rglob("*.eml"))
    assert len(emls) == len(PARTNERS) * 5 + 1  # five templates each, and Tom's proposal
    for path in emls:
        message = parse(path)
        assert message["X-Unsent"] == "1"
        assert message["Date"] is None and message["Message-ID"] is None
        assert message["From"].addresses  # From is always known per partner
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        assert text is not None and html is not None
        alternative = next(
            p for p in message.walk() if p.get_content_type() == "multipart/alternative"
        )
        assert [p.get_content_type() for p in alternative.iter_parts()] == [
            "text/plain",
            "text/html",
        ]
        # the draft carries exactly the words of the .txt and .html files
        txt = path.with_suffix(".txt").read_text(encoding="utf-8")
        assert txt.startswith(f"Subject: {message['Subject']}\n\n")
        # (SMTP line endings on the wire)
        assert text.get_content().replace("\r\n", "\n") == body_of(txt)
        assert html.get_content().replace("\r\n", "\n") == path.with_suffix(".html").read_text(
            encoding="utf-8"
        )


def test_senders_and_recipients(example_build: Path) -> None:
    out = example_build / "output" / "email" / "dana-whitfield"
    us = "priya@keelcompasshr.com"
    dana = "dana@whitfieldemploymentlaw.com"

    def addresses(template: str, header: str) -> list[str]:
        value = parse(out / f"{template}.eml")[header]
        return [a.addr_spec for a in value.addresses] if value else []

    # the partner writes these; the prospect's address is theirs to add
    assert addresses("ask-permission", "From") == [dana]
    assert addresses("ask-permission", "To") == []
    assert addresses("introduction", "From") == [dana]
    assert addresses("introduction", "To") == [us]
    for template in ("criteria-share", "thank-you", "check-in"):
        assert addresses(template, "From") == [us]
        assert addresses(template, "To") == [dana]


def test_non_ascii_names_round_trip(example_build: Path) -> None:
    out = example_build / "output" / "email"
    raw = (out / "ines-carvalho" / "check-in.eml").read_bytes()
    headers = raw.split(b"\r\n\r\n", 1)[0]
    assert headers.isascii()  # encoded words, never raw UTF-8 in a header
    message = parse(raw)
    to = message["To"].addresses[0]
    assert to.display_name == "Inês Carvalho" and to.addr_spec == "ines@carvalhoreyes.com"
    assert message.get_body(("plain",)).get_content().startswith("Hi Inês,\r\n")
    intro = parse(out / "zoe-lindqvist" / "introduction.eml")
    assert intro["From"].addresses[0].display_name == "Zoë Lindqvist"
    assert intro.get_body(("plain",)).get_content().rstrip().endswith("Zoë Lindqvist")


def test_non_ascii_subject_round_trips(make_project) -> None:
    root = make_project()
    edit(
        root,
        "content/partners/tom-brenner.yaml",
        "company: Lakeshore Community Bank",
        "company: Banco Açores & Zoë",
    )
    build(root, only=["email"], today=TODAY)
    raw = (root / "output" / "email" / "tom-brenner" / "partner-proposal.eml").read_bytes()
    assert raw.split(b"\r\n\r\n", 1)[0].isascii()
    message = parse(raw)
    assert message["Subject"] == (
        "Banco Açores & Zoë and Keel & Compass HR: clients we could send each other"
    )


def test_criteria_share_attaches_the_one_pagers(example_build: Path) -> None:
    """Attachments whenever this build has the PDFs (the site build order puts them first)."""
    out = example_build / "output"
    path = out / "email" / "dana-whitfield" / "criteria-share"
    message = parse(path.with_suffix(".eml"))
    attachments = list(message.iter_attachments())
    # Dana serves two profiles: their two one-pagers and Dana's own
    expected = {
        "growing-manufacturers-one-pager.pdf": out / "pdf/clients/growing-manufacturers.pdf",
        "acquisition-integration-one-pager.pdf": out / "pdf/clients/acquisition-integration.pdf",
        "dana-whitfield-prepared-for-you.pdf": out / "pdf/partners/dana-whitfield.pdf",
    }
    present = {name: pdf for name, pdf in expected.items() if pdf.is_file()}
    assert {a.get_filename() for a in attachments} == set(present)
    for part in attachments:
        assert part.get_content_type() == "application/pdf"
        assert part.get_content_disposition() == "attachment"
        data = part.get_content()
        assert data.startswith(b"%PDF")
        assert data == present[part.get_filename()].read_bytes()
    text = path.with_suffix(".txt").read_text(encoding="utf-8")
    assert ("Attached:" in text) == bool(present)
    if present:
        assert message.get_content_type() == "multipart/mixed"
    # nobody else's one-pagers: Helen serves one profile
    helen = parse(out / "email" / "helen-marsh" / "criteria-share.eml")
    names = {a.get_filename() for a in helen.iter_attachments()}
    assert names <= {"first-hr-hire-one-pager.pdf", "helen-marsh-prepared-for-you.pdf"}
    # the other emails attach nothing
    assert not list(parse(out / "email" / "helen-marsh" / "check-in.eml").iter_attachments())


def test_without_pdfs_nothing_is_attached_or_promised(make_project) -> None:
    root = make_project()
    build(root, only=["email"], today=TODAY)
    path = root / "output" / "email" / "dana-whitfield" / "criteria-share"
    assert not list(parse(path.with_suffix(".eml")).iter_attachments())
    text = path.with_suffix(".txt").read_text(encoding="utf-8")
    assert "Attached" not in text and "attached" not in text


# --------------------------------------------------------------------------- words


def test_text_and_html_carry_the_same_words(example_build: Path) -> None:
    out = example_build / "output" / "email"
    paths = sorted(out.glob("*/*.txt"))
    assert len(paths) == len(TEMPLATES) + len(PARTNERS) * 5 + 1
    for path in paths:
        text = path.read_text(encoding="utf-8")
        html = path.with_suffix(".html").read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "html.parser")
        cell = column(html)
        assert words(body_of(text)) == words(cell.get_text(" ")), path
        assert soup.title.get_text() == text.split("\n", 1)[0].removeprefix("Subject: ")


def test_html_survives_a_mail_client(example_build: Path) -> None:
    for path in (example_build / "output" / "email").rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "html.parser")
        assert "<style" not in html and not soup.find("link")  # CSS inlined
        assert not soup.find(["img", "script", "iframe", "object", "form"])  # nothing remote
        assert not soup.find(attrs={"src": True})
        table = soup.find("table", class_="column")
        assert table["width"] == "600" and "max-width: 600px" in table["style"]  # Outlook too
        assert "font-family" in column(html)["style"]
        for p in column(html).find_all("p"):
            assert p.get("style")  # every paragraph styled inline
        for a in soup.find_all("a"):
            assert a["href"].startswith(("https://", "http://", "mailto:"))


def test_lists_stay_lists_in_html(example_build: Path) -> None:
    html = example_build / "output" / "email" / "dana-whitfield" / "criteria-share.html"
    cell = column(html.read_text(encoding="utf-8"))
    items = [li.get_text() for li in cell.find_all("li")]
    assert "Fewer than 25 employees" in items
    # the line after a list starts a new paragraph, not the end of the last item
    assert not any("Not a fit" in item for item in items)
    assert any(p.get_text() == "Not a fit:" for p in cell.find_all("p"))


def test_content_is_never_markup_in_html(make_project) -> None:
    root = make_project()
    edit(
        root,
        "content/partners/ines-carvalho.yaml",
        "  - Companies preparing for a sale in the next two to three years",
        "  - '*Starred* [owners](https://evil.example/) <b>bold</b> &amp; 1. co_op # 2'",
    )
    mail = compose(root, "check-in", partner="ines-carvalho")
    literal = "*Starred* [owners](https://evil.example/) <b>bold</b> &amp; 1. co_op # 2"
    assert literal in " ".join(mail.text.split())
    cell = column(mail.html)
    assert not cell.find(["em", "strong", "b", "h1", "h2", "h3", "ol"])
    assert not cell.find("a", href=re.compile("evil"))
    assert literal in " ".join(cell.get_text().split())


def test_text_is_wrapped(example_build: Path) -> None:
    for path in (example_build / "output" / "email").rglob("*.txt"):
        lines = path.read_text(encoding="utf-8").splitlines()
        for line in lines[1:]:
            assert len(line) <= 72 or URL.search(line), (path, line)
        assert "\n\n\n" not in path.read_text(encoding="utf-8"), path  # no gaps


def test_urls_are_never_broken(example_build: Path) -> None:
    text = (example_build / "output" / "email" / "helen-marsh" / "criteria-share.txt").read_text()
    project = load_project(example_build)
    page = SitePaths(project, TEST_SECRET).partner("helen-marsh")
    assert f"https://partners.keelcompasshr.com/{page}" in text.split()


def test_blanks_only_where_they_belong(example_build: Path) -> None:
    out = example_build / "output" / "email"
    for template in TEMPLATES:
        for ext in ("txt", "html"):
            assert BLANK.search((out / "_generic" / f"{template}.{ext}").read_text()), template
    received = {"dana-whitfield", "helen-marsh", "ines-carvalho", "marcus-oyelaran"}
    received |= {"zoe-lindqvist"}
    for path in out.glob("*/*.*"):
        if path.parent.name == "_generic" or path.suffix == ".eml":
            continue
        blanks = set(BLANK.findall(path.read_text(encoding="utf-8")))
        if path.stem == "thank-you" and path.parent.name not in received:
            # nothing in the ledger to thank them for yet: only the referral is blank
            assert blanks <= {"[Prospect]", "[How it went]"}, (path, blanks)
        elif path.stem in ("ask-permission", "introduction"):
            assert blanks == set(PROSPECT_BLANKS), (path, blanks)
        else:
            assert not blanks, (path, blanks)
    # the partner sends these, signed with their own name
    for template in ("ask-permission", "introduction"):
        text = (out / "dana-whitfield" / f"{template}.txt").read_text()
        assert text.rstrip().endswith("Best,\nDana Whitfield")
        assert "[Your name]" in (out / "_generic" / f"{template}.txt").read_text()
    assert (
        (out / "dana-whitfield" / "check-in.txt")
        .read_text()
        .rstrip()
        .endswith("Priya Raman\nKeel & Compass HR")
    )


def test_ask_permission_content(example_build: Path) -> None:
    text = example_build / "output" / "email" / "dana-whitfield" / "ask-permission.txt"
    flat = " ".join(text.read_text().split())
    assert flat.startswith("Subject: Would an introduction to Priya Raman be useful?")
    assert "Adding a second shift or a second plant" in flat  # why now, from the profile
    assert 'just reply "no thanks"' in flat and "won't pass your name on" in flat  # easy no
    assert "Tell them" not in flat  # intro_hint is advice to the referrer, not email copy


def test_introduction_content(example_build: Path) -> None:
    text = (example_build / "output" / "email" / "dana-whitfield" / "introduction.txt").read_text()
    flat = " ".join(text.split())
    assert text.startswith("Subject: Introduction: [Prospect first name] ([Prospect company])")
    # Dana's first profile
    assert "look out for owners of manufacturers outgrowing their people practices" in flat
    assert "such as adding a second shift or a second plant, or turnover" in flat  # why now
    assert "- 40 to 250 employees, most of them in production" in text  # the criteria
    assert "Pick a time that suits you here: https://www.keelcompasshr.com/intro-call" in flat
    assert "Priya will follow up within one business day" in flat  # who follows up
    forwardable = text.split("(forward it to anyone who\nshould see it):\n\n", 1)[1]
    forwardable = forwardable.split("\n\n")[0]
    assert forwardable.startswith("Keel & Compass gives growing manufacturers")
    assert len(forwardable.split()) <= FORWARDABLE_WORDS


def test_forwardable_paragraph_is_capped(make_project) -> None:
    long = " ".join(f"Sentence number {i} says something true about us." for i in range(60))
    root = make_project(**{"content/business.yaml": {"summary": long}})
    text = compose(root, "introduction").text
    paragraph = text.split("should see it):\n\n", 1)[1].split("\n\n")[0]
    assert len(paragraph.split()) <= FORWARDABLE_WORDS
    assert paragraph.endswith("priya@keelcompasshr.com, https://www.keelcompasshr.com/.")
    one = " ".join(["word"] * 300)  # one sentence longer than the cap
    root = make_project(**{"content/business.yaml": {"summary": one}})
    paragraph = compose(root, "introduction").text.split("should see it):\n\n", 1)[1]
    assert len(paragraph.split("\n\n")[0].split()) <= FORWARDABLE_WORDS


def test_per_profile_introductions_for_the_site(example_build: Path) -> None:
    project = load_project(example_build)
    paths = SitePaths(project, TEST_SECRET)
    for slug, profile in project.profiles.items():
        mail = compose_email(project, paths, "introduction", partner=None, profile=slug)
        flat = " ".join(mail.text.split())
        assert all(" ".join(c.split()) in flat for c in profile.criteria)
        assert mail.blanks == ["[Prospect first name]", "[Prospect company]", "[Your name]"]
        assert mail.profile == slug and mail.partner is None


def test_criteria_share_customer_framing(example_build: Path) -> None:
    out = example_build / "output" / "email"
    helen = (out / "helen-marsh" / "criteria-share.txt").read_text()  # kind: customer
    assert helen.startswith("Subject: Thank you, and who we'd love to meet")
    assert "Thank you for being a client of Keel & Compass HR" in helen
    assert "First HR managers at scaling engineering firms" in helen  # what she serves
    assert "CFOs integrating an acquisition" not in helen
    dana = (out / "dana-whitfield" / "criteria-share.txt").read_text()
    assert dana.startswith("Subject: Who we'd love to meet: our referral criteria")
    assert "- Payroll processing or PEO services" in dana  # we don't compete


def test_partner_proposal_is_about_them(example_build: Path) -> None:
    text = example_build / "output" / "email" / "tom-brenner" / "partner-proposal.txt"
    flat = " ".join(text.read_text().split())
    assert flat.startswith(
        "Subject: Lakeshore Community Bank and Keel & Compass HR: clients we could send"
    )
    # what they get comes first: their ideal clients, then our offer
    assert flat.index("Manufacturers investing in new equipment") < flat.index("Referrals back")
    assert "Co-hosted events for the clients we share" in flat  # the strategy
    assert "A short check-in every 30 days" in flat
    assert "Could we meet for half an hour" in flat  # the invitation


def test_check_in_uses_the_scorecard(example_build: Path) -> None:
    project = load_project(example_build)
    out = example_build / "output" / "email"
    for slug in PARTNERS:
        row = score_partner(project, slug, TODAY)
        text = " ".join((out / slug / "check-in.txt").read_text().split())
        if row.received or row.given:
            assert (
                f"you have sent us {row.received} introduction"
                f"{'' if row.received == 1 else 's'}" in text
            )
            assert f"we have sent you {row.given}." in text
        if row.balance > 0:
            assert f"So we owe you {row.balance} introduction" in text
    # Dana checks in every 60 days: only October's referral is in the window
    dana = (out / "dana-whitfield" / "check-in.txt").read_text()
    assert dana.startswith("Subject: Our 60-day referral check-in")
    assert "In the last 60 days:\n- October 8, 2026: we introduced Janesville Plastics" in dana
    assert "Walworth" not in dana
    assert "(2 won, worth 96,000)" in dana  # value from the ledger
    assert "- One co-hosted breakfast seminar for manufacturers every spring" in dana
    # Raj has no cadence: since the partnership began
    raj = (out / "raj-patel" / "check-in.txt").read_text()
    assert "Since we started working together on November 2, 2024:" in raj
    assert "Oakfield Dairy Cooperative" in raj


def test_thank_you_closes_the_loop_from_the_ledger(example_build: Path) -> None:
    out = example_build / "output" / "email"
    dana = (out / "dana-whitfield" / "thank-you.txt").read_text()
    assert dana.startswith("Subject: Thank you for introducing Walworth Precision Castings")
    assert "Good news: they've become a client." in dana
    marcus = (out / "marcus-oyelaran" / "thank-you.txt").read_text()
    assert "Racine Conveyor Systems" in marcus  # the latest of his four
    assert "setting up a first conversation" in marcus


def test_notes_never_reach_emails(example_build: Path) -> None:
    for path in (example_build / "output" / "email").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for needle in (b"PRIVATE-NOTE", b"PRIVATE-LEDGER-NOTE", b"Went with a PEO"):
                assert needle not in data, (path, needle)


# --------------------------------------------------------------------------- builds


def test_partner_without_email_gets_no_eml(make_project) -> None:
    root = make_project()
    edit(
        root, "content/partners/dana-whitfield.yaml", "email: dana@whitfieldemploymentlaw.com\n", ""
    )
    build(root, only=["email"], today=TODAY)
    out = root / "output" / "email" / "dana-whitfield"
    assert (out / "check-in.txt").is_file() and not list(out.glob("*.eml"))


def test_emails_are_reproducible(make_project) -> None:
    root = make_project()
    build(root, only=["email"], today=TODAY)
    first = {p: p.read_bytes() for p in (root / "output" / "email").rglob("*") if p.is_file()}
    build(root, only=["email"], today=TODAY)
    assert first == {p: p.read_bytes() for p in first}
    assert first == {
        p: p.read_bytes() for p in (root / "output" / "email").rglob("*") if p.is_file()
    }


@pytest.mark.parametrize("command", [["check"], ["build", "--only", "email"]])
def test_newline_in_a_name_is_rejected_before_any_header(make_project, command) -> None:
    root = make_project()
    edit(
        root,
        "content/partners/zoe-lindqvist.yaml",
        "name: Zoë Lindqvist",
        'name: "Zoë\\nBcc: everyone@example.com"',
    )
    result = run_refkit(*command, "-p", root)
    assert result.returncode == 1, result.stdout
    assert result.stderr.startswith(
        "content/partners/zoe-lindqvist.yaml:2:7: error: name: must be a single line"
    )
    assert "Traceback" not in result.stderr
    assert not (root / "output").exists()


@pytest.mark.parametrize(
    ("rel", "old", "new", "where"),
    [
        ("content/business.yaml", "  name: Priya Raman", '  name: "Priya\\r\\nBcc: x@y.z"', "15:9"),
        ("content/business.yaml", "name: Keel & Compass HR", 'name: "K\\rC"', "5:7"),
        (
            "content/referrals.yaml",
            "prospect: Two Rivers Machining",
            'prospect: "Two\\nRivers"',
            None,
        ),
    ],
)
def test_line_breaks_in_any_header_value_are_rejected(
    make_project, rel: str, old: str, new: str, where: str | None
) -> None:
    root = make_project()
    edit(root, rel, old, new)
    result = run_refkit("check", "-p", root)
    assert result.returncode == 1
    assert result.stderr.startswith(f"{rel}:"), result.stderr
    assert "must be a single line" in result.stderr
    if where:
        assert result.stderr.startswith(f"{rel}:{where}: error:")


def test_missing_variable_in_an_override_fails_with_file_and_line(make_project) -> None:
    template = "Subject: Thanks\nHi {{ partner_first }},\n\n{{ referal.prospect }}\n"
    root = make_project(**{"templates/email/thank-you.txt": template})
    result = run_refkit("build", "-p", root, "--only", "email")
    assert result.returncode == 1
    assert result.stderr.startswith("templates/email/thank-you.txt:4: error: template error:")
    assert "referal" in result.stderr
    assert not (root / "output").exists()


def test_template_without_a_subject_line(make_project) -> None:
    root = make_project(**{"templates/email/check-in.txt": "Hi {{ partner_first }},\n"})
    result = run_refkit("build", "-p", root, "--only", "email")
    assert result.returncode == 1
    assert result.stderr.startswith("templates/email/check-in.txt:1: error:")
    assert "Subject:" in result.stderr


def test_project_templates_override_the_builtin_ones(make_project) -> None:
    root = make_project(
        **{
            "templates/email/thank-you.txt": (
                "Subject: Cheers, {{ partner_first }}!\n"
                "Hi {{ partner_first }},\n\n"
                "*Thanks* for {{ referral.prospect if referral else '[X]' }}.\n\n"
                "{{ contact.name }}\n"
            )
        }
    )
    build(root, only=["email"], today=TODAY)
    out = root / "output" / "email" / "dana-whitfield"
    assert (out / "thank-you.txt").read_text() == (
        "Subject: Cheers, Dana!\n\nHi Dana,\n\n*Thanks* for Walworth Precision Castings.\n\n"
        "Priya Raman\n"
    )
    # Markdown written in the template itself is honoured in the HTML
    assert column((out / "thank-you.html").read_text()).find("em").get_text() == "Thanks"
    assert "Time for our check-in" in (out / "check-in.txt").read_text()  # the rest built-in


# --------------------------------------------------------------------------- refkit email


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
    assert lines[1] == "" and lines[2] == "Hi Ana and Priya,"
    assert "- A signed or imminent acquisition or merger" in result.stdout
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
    message = parse(eml.stdout.encode())
    assert message["To"].addresses[0].display_name == "Zoë Lindqvist"
    assert message["X-Unsent"] == "1"
    assert message["Subject"] == "Thank you for introducing Two Rivers Machining"

    generic = run_refkit("email", "ask-permission", "-p", root)
    assert generic.returncode == 0 and "[Prospect first name]" in generic.stdout
    assert generic.stdout.rstrip().endswith("[Your name]")


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
        [refkit_exe(), "email", "criteria-share", "-p", str(example_build)]
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


def test_proposal_only_for_prospects(make_project) -> None:
    result = run_refkit(
        "email", "partner-proposal", "-p", make_project(), "--partner", "dana-whitfield"
    )
    assert result.returncode == 1
    assert "only for partners with status: prospect (dana-whitfield is active)" in result.stderr


def test_unknown_template_is_a_usage_error(make_project) -> None:
    result = run_refkit("email", "introductions", "-p", make_project())
    assert result.returncode == 2


# --------------------------------------------------------------------------- helpers


def test_word_helpers() -> None:
    assert lower_first("Adding a second shift") == "adding a second shift"
    assert lower_first("A first claim") == "a first claim"
    assert lower_first("OSHA citation") == "OSHA citation"
    assert lower_first("CFOs integrating") == "CFOs integrating"
    assert lower_first("HR managers") == "HR managers"
    assert join_words(["a", "b", "c"]) == "a, b and c"
    assert join_words(["x or y", "z"], "or") == "x or y, or z"
    assert join_words(["solo"]) == "solo" and join_words([]) == ""


def test_dates_follow_the_site_language(make_project) -> None:
    root = make_project()
    edit(root, "content/business.yaml", "language: en-US", "language: en-GB")
    text = compose(root, "check-in", partner="dana-whitfield").text
    assert "- 8 October 2026: we introduced Janesville Plastics" in text


def test_compose_is_fast_enough_for_every_profile_page(example_build: Path) -> None:
    import time

    project = load_project(example_build)
    paths = SitePaths(project, TEST_SECRET)
    started = time.perf_counter()
    for _ in range(10):
        for slug in project.profiles:
            compose_email(project, paths, "introduction", profile=slug, today=dt.date(2026, 1, 1))
    assert (time.perf_counter() - started) / (10 * len(project.profiles)) < 0.05


def test_wrap_text_keeps_urls_and_hangs_list_items() -> None:
    from refkit.compose import wrap_text

    url = "https://example.com/" + "a" * 90
    body = f"Intro {'word ' * 30}\n- item {'long ' * 20}\nSee {url} now.\n"
    lines = wrap_text(body).splitlines()
    assert all(len(line) <= 72 for line in lines if url not in line)
    assert any(line.split()[-1] == url or line.strip() == url for line in lines if url in line)
    item = next(i for i, line in enumerate(lines) if line.startswith("- item"))
    assert lines[item + 1].startswith("  long")  # hanging indent under the bullet


def test_a_minimal_project_writes_sensible_emails(make_project) -> None:
    """Only the required fields: every template still reads as a finished email."""
    root = make_project(
        **{
            "content/business.yaml": {
                key: None
                for key in (
                    "tagline",
                    "website",
                    "we_do_not_offer",
                    "partner_offer",
                    "industries",
                    "how_we_win_business",
                    "site",
                )
            }
            | {"contact": {"name": "Ana", "email": "ana@example.com"}},
            "content/profiles/first-hr-hire.yaml": {
                key: None
                for key in ("signals", "disqualifiers", "intro_hint", "why_us", "needs", "company")
            },
            "content/partners/tom-brenner.yaml": "name: Dr. Tom Brenner\nstatus: prospect\n",
        }
    )
    build(root, only=["email"], today=TODAY)
    out = root / "output" / "email"
    for path in out.rglob("*.txt"):
        text = path.read_text(encoding="utf-8")
        assert "None" not in text and not re.search(r"\S  ", text) and " ." not in text, path
        assert " ," not in text and "()" not in text, path
    tom = out / "tom-brenner"
    proposal = (tom / "partner-proposal.txt").read_text()
    assert proposal.startswith(
        "Subject: Dr. Tom Brenner and Keel & Compass HR: clients we could send each other"
    )
    assert "Hi Dr. Brenner," in proposal
    assert "the same kind of client as you," in " ".join(proposal.split())
    assert "Reply with a couple of times that suit you." in proposal  # no booking link
    assert not list(tom.glob("*.eml"))  # no email address
    intro = (out / "_generic" / "introduction.txt").read_text()
    assert "Reply to this email with two or three times" in intro
