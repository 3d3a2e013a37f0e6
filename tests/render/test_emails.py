"""Email drafts: .txt/.html/.eml per partner and generic, their words, headers and files."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from conftest import (
    BLANK,
    LEDGER_MARKER,
    TODAY,
    find_private_text,
    parse_eml,
    paths_for,
    replace,
    run_refkit,
    straight,
)
from refkit.content.project import load_project
from refkit.derive.layout import EMAIL_TEMPLATES as TEMPLATES
from refkit.derive.scorecard import score_partner
from refkit.pipeline import build
from refkit.render.messages.compose import (
    FORWARDABLE_WORDS,
    compose_email,
    forwardable_paragraph,
)
from refkit.render.messages.selection import ProfileEmail, partner_templates, profile_emails
from refkit.text.english import plural

URL = re.compile(r"https?://\S+")
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
#: what every partner sends: the ask, the introduction, and the brief to us
SENDS = ("ask-permission", "introduction", "referral-brief")
#: the templates drafted for each: no check-in unless active, no proposal unless a
#: prospect, no thank-you before they have sent us anyone (Tom and Raj have not) or
#: once every introduction is thanked (Dana's and Helen's are), an interview for
#: top customers only (Helen and Zoe)
DRAFTED = {
    "dana-whitfield": (*SENDS, "criteria-share", "check-in"),
    "helen-marsh": (*SENDS, "criteria-share", "customer-interview", "check-in"),
    "ines-carvalho": (*SENDS, "criteria-share", "thank-you", "check-in"),
    "marcus-oyelaran": (*SENDS, "criteria-share", "thank-you", "check-in"),
    "raj-patel": (*SENDS, "criteria-share"),
    "tom-brenner": (*SENDS, "criteria-share", "partner-proposal"),
    "zoe-lindqvist": (*SENDS, "criteria-share", "customer-interview", "thank-you", "check-in"),
}
#: the blanks a partner fills in the drafts they send
PARTNER_FILLS = {
    "ask-permission": {"[Prospect first name]", "[Prospect company]"},
    "introduction": {"[Prospect name]", "[Prospect first name]"},
    "referral-brief": {
        "[Prospect name]",
        "[Prospect first name]",
        "[Prospect company]",
        "[Warm, lukewarm or cold]",
        "[Anything Priya should know before the first call]",
    },
}
#: partners serving more than one profile, and the profiles they serve
MULTI_PROFILE = {
    "dana-whitfield": ("growing-manufacturers", "acquisition-integration"),
    "ines-carvalho": ("growing-manufacturers", "acquisition-integration"),
    "marcus-oyelaran": ("growing-manufacturers", "first-hr-hire"),
}
#: per partner: the drafts (file stems) under email/SLUG/
STEMS = {
    slug: (
        *templates,
        *(
            f"{template}--{profile}"
            for profile in MULTI_PROFILE.get(slug, ())
            for template in SENDS
        ),
    )
    for slug, templates in DRAFTED.items()
}
DRAFTS = sum(len(stems) for stems in STEMS.values())


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
    return compose_email(project, paths_for(project), template, today=TODAY, **kw)


# --------------------------------------------------------------------------- files


def test_files_per_partner_and_generic(example_build: Path) -> None:
    out = example_build / "output" / "email"
    for template in TEMPLATES:
        assert (out / "_generic" / f"{template}.txt").is_file()
        assert (out / "_generic" / f"{template}.html").is_file()
        assert not (out / "_generic" / f"{template}.eml").exists()
    assert sorted(p.name for p in out.iterdir()) == sorted(["_generic", *PARTNERS])
    assert not (out / "gary-koenig").exists()  # retired
    project = load_project(example_build)
    for slug in PARTNERS:
        assert partner_templates(project, slug) == DRAFTED[slug]
        files = {p.name for p in (out / slug).iterdir()}
        assert files == {f"{stem}.{ext}" for stem in STEMS[slug] for ext in ("txt", "html", "eml")}


def test_every_eml_parses_as_a_draft(example_build: Path) -> None:
    out = example_build / "output" / "email"
    emls = sorted(out.rglob("*.eml"))
    assert len(emls) == DRAFTS  # every partner of the example has an email address
    for path in emls:
        message = parse_eml(path)
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
        value = parse_eml(out / f"{template}.eml")[header]
        return [a.addr_spec for a in value.addresses] if value else []

    # the partner writes these; the prospect's address is theirs to add
    assert addresses("ask-permission", "From") == [dana]
    assert addresses("ask-permission", "To") == []
    assert addresses("introduction", "From") == [dana]
    assert addresses("introduction", "To") == [us]
    assert addresses("referral-brief", "From") == [dana]
    assert addresses("referral-brief", "To") == [us]
    for template in ("criteria-share", "check-in"):
        assert addresses(template, "From") == [us]
        assert addresses(template, "To") == [dana]


def test_non_ascii_names_round_trip(example_build: Path) -> None:
    out = example_build / "output" / "email"
    raw = (out / "ines-carvalho" / "check-in.eml").read_bytes()
    headers = raw.split(b"\r\n\r\n", 1)[0]
    assert headers.isascii()  # encoded words, never raw UTF-8 in a header
    message = parse_eml(raw)
    to = message["To"].addresses[0]
    assert to.display_name == "Inês Carvalho" and to.addr_spec == "ines@carvalhoreyes.com"
    assert message.get_body(("plain",)).get_content().startswith("Hi Inês,\r\n")
    intro = parse_eml(out / "zoe-lindqvist" / "introduction.eml")
    assert intro["From"].addresses[0].display_name == "Zoë Lindqvist"
    assert intro.get_body(("plain",)).get_content().rstrip().endswith("Zoë Lindqvist")


def test_non_ascii_subject_round_trips(make_project) -> None:
    root = make_project()
    replace(
        root,
        "content/partners/tom-brenner.yaml",
        "company: Lakeshore Community Bank",
        "company: Banco Açores & Zoë",
    )
    build(root, only=["email"], today=TODAY)
    raw = (root / "output" / "email" / "tom-brenner" / "partner-proposal.eml").read_bytes()
    assert raw.split(b"\r\n\r\n", 1)[0].isascii()
    message = parse_eml(raw)
    assert message["Subject"] == (
        "Banco Açores & Zoë and Keel & Compass HR: clients we could send each other"
    )


def test_criteria_share_attaches_the_one_pagers(example_build: Path) -> None:
    """Attachments whenever this build has the PDFs (the site build order puts them first)."""
    out = example_build / "output"
    path = out / "email" / "dana-whitfield" / "criteria-share"
    message = parse_eml(path.with_suffix(".eml"))
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
    helen = parse_eml(out / "email" / "helen-marsh" / "criteria-share.eml")
    names = {a.get_filename() for a in helen.iter_attachments()}
    assert names <= {"first-hr-hire-one-pager.pdf", "helen-marsh-prepared-for-you.pdf"}
    # the other emails attach nothing
    assert not list(parse_eml(out / "email" / "helen-marsh" / "check-in.eml").iter_attachments())


def test_without_pdfs_nothing_is_attached_or_promised(make_project) -> None:
    root = make_project()
    build(root, only=["email"], today=TODAY)
    path = root / "output" / "email" / "dana-whitfield" / "criteria-share"
    assert not list(parse_eml(path.with_suffix(".eml")).iter_attachments())
    text = path.with_suffix(".txt").read_text(encoding="utf-8")
    assert "Attached" not in text and "attached" not in text


# --------------------------------------------------------------------------- words


def test_text_and_html_carry_the_same_words(example_build: Path) -> None:
    out = example_build / "output" / "email"
    paths = sorted(out.glob("*/*.txt"))
    assert len(paths) == len(TEMPLATES) + DRAFTS
    for path in paths:
        text = path.read_text(encoding="utf-8")
        html = path.with_suffix(".html").read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "html.parser")
        cell = column(html)
        assert words(body_of(text)) == words(cell.get_text(" ")), path
        # the HTML is typeset (curly quotes, no-break spaces), the plain text is not
        assert straight(soup.title.get_text()) == text.split("\n", 1)[0].removeprefix("Subject: ")


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
    items = [straight(li.get_text()) for li in cell.find_all("li")]
    assert "Fewer than 25 employees" in items
    # the line after a list starts a new paragraph, not the end of the last item
    assert not any("Not a fit" in item for item in items)
    assert any(straight(p.get_text()) == "Not a fit:" for p in cell.find_all("p"))


def test_content_is_never_markup_in_html(make_project) -> None:
    root = make_project()
    replace(
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


def test_html_wraps_long_words_and_links_addresses(make_project) -> None:
    long_url = "https://www.keelcompasshr.com/" + "very-long-path-segment/" * 6
    root = make_project(**{"content/business.yaml": {"website": long_url}})
    mail = compose(root, "introduction", partner="dana-whitfield")
    cell = column(mail.html)
    style = cell["style"]
    assert "overflow-wrap: anywhere" in style and "word-break: break-word" in style
    hrefs = [a["href"] for a in cell.find_all("a")]
    assert long_url in hrefs and "https://www.keelcompasshr.com/intro-call" in hrefs


def test_text_is_wrapped(example_build: Path) -> None:
    for path in (example_build / "output" / "email").rglob("*.txt"):
        lines = path.read_text(encoding="utf-8").splitlines()
        for line in lines[1:]:
            assert len(line) <= 72 or URL.search(line), (path, line)
        assert "\n\n\n" not in path.read_text(encoding="utf-8"), path  # no gaps


def test_urls_are_never_broken(example_build: Path) -> None:
    text = (example_build / "output" / "email" / "helen-marsh" / "criteria-share.txt").read_text()
    project = load_project(example_build)
    page = paths_for(project).partner("helen-marsh")
    assert f"https://partners.keelcompasshr.com/{page}" in text.split()


def test_blanks_only_where_they_belong(example_build: Path) -> None:
    out = example_build / "output" / "email"
    for template in TEMPLATES:
        for ext in ("txt", "html"):
            assert BLANK.search((out / "_generic" / f"{template}.{ext}").read_text()), template
    for path in out.glob("*/*.*"):
        if path.parent.name == "_generic" or path.suffix == ".eml":
            continue
        blanks = set(BLANK.findall(path.read_text(encoding="utf-8")))
        template = path.stem.split("--")[0]
        if template in SENDS:
            assert blanks == PARTNER_FILLS[template], (path, blanks)
        else:
            assert not blanks, (path, blanks)
    # the partner sends these, signed with their own name
    for template in SENDS:
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
    # why Priya, as Dana would put it to a client: the intro_hint, spoken about Priya
    assert (
        "Priya is a senior HR leader you can have two days a week, and has run HR inside "
        "plants like yours." in flat
    )
    assert 'just reply "no thanks."' in flat and "won't pass your name on" in flat  # easy no
    assert "Tell them" not in flat  # intro_hint is advice to the referrer, not email copy
    # our private signals and criteria are not what a partner writes to a client
    assert "Turnover on the floor" not in flat and "30%" not in flat


def test_introduction_content(example_build: Path) -> None:
    text = (example_build / "output" / "email" / "dana-whitfield" / "introduction.txt").read_text()
    flat = " ".join(text.split())
    subject = text.split("\n", 1)[0].removeprefix("Subject: ")
    assert subject == "Introduction: [Prospect name] and Priya Raman (Keel & Compass HR)"
    assert len(subject) <= 78
    # why they should talk: Dana's first profile's intro_hint, as Dana would say it
    assert (
        "Priya Raman is Founder and Principal Consultant at Keel & Compass HR. Priya is a "
        "senior HR leader you can have two days a week, and has run HR inside plants like "
        "yours. You'll find more at https://www.keelcompasshr.com/." in flat
    )
    # no signal stated as a fact about the prospect, who reads this, unless chosen
    project = load_project(example_build)
    for profile in project.profiles.values():
        for signal in profile.signals:
            assert " ".join(signal.split()) not in flat
    assert "watch for" not in flat and "asked me" not in flat
    # one next step, who follows up
    assert flat.count("Next step:") == 1
    assert "Next step: a 20-minute call." in flat
    assert "pick a time that suits you here: https://www.keelcompasshr.com/intro-call" in flat
    assert "Priya will follow up within one business day" in flat
    assert len(words(text)) <= 160


def test_every_introduction_is_short(example_build: Path) -> None:
    """At most 160 words in all, the subject at most 78 characters, with any names."""
    for path in (example_build / "output" / "email").glob("*/introduction*.txt"):
        text = path.read_text(encoding="utf-8")
        assert len(text.split()) <= 160, (path, len(text.split()))
        assert len(text.split("\n", 1)[0].removeprefix("Subject: ")) <= 78, path
    root_mail = compose(
        example_build,
        "introduction",
        partner="dana-whitfield",
        prospect="Maximiliana Alexandra Featherstonehaugh-Montgomery",
    )
    assert len(root_mail.subject) <= 78, root_mail.subject
    assert root_mail.subject.startswith("Introduction: Maximiliana")


def test_the_introduction_mentions_the_signals_the_partner_chose(example_build: Path) -> None:
    project = load_project(example_build)
    signals = project.profiles["growing-manufacturers"].signals
    mail = compose(
        example_build,
        "introduction",
        partner="dana-whitfield",
        profile="growing-manufacturers",
        prospect="Ana Ruiz",
        signals=[signals[0]],
    )
    flat = " ".join(mail.text.split())
    assert f"Ana mentioned {signals[0][0].lower()}{signals[0][1:]}" in flat
    assert " ".join(signals[1].split()) not in flat
    assert len(mail.text.split()) + len(mail.subject.split()) <= 160


def test_the_referral_brief_is_for_us_and_lists_what_the_partner_ticked(
    example_build: Path,
) -> None:
    project = load_project(example_build)
    profile = project.profiles["growing-manufacturers"]
    mail = compose(
        example_build,
        "referral-brief",
        partner="dana-whitfield",
        profile="growing-manufacturers",
        prospect="Ana Ruiz",
        prospect_company="Ruiz Tools",
        criteria=[profile.criteria[1]],
        signals=[profile.signals[0]],
    )
    assert mail.sender == ("Dana Whitfield", "dana@whitfieldemploymentlaw.com")
    assert mail.recipient == ("Priya Raman", "priya@keelcompasshr.com")
    assert mail.subject == "Referral: Ana Ruiz (Ruiz Tools) for Keel & Compass HR"
    lines = mail.unwrapped.splitlines()
    for line in (
        "Prospect: Ana Ruiz",
        "Company: Ruiz Tools",
        "Profile: growing-manufacturers",
        "Criteria they meet:",
        f"- {profile.criteria[1]}",
        "Signals that apply:",
        f"- {profile.signals[0]}",
        "Before the first call:",
    ):
        assert line in lines, line
    assert f"- {profile.criteria[0]}" not in lines
    # untouched: every criterion and signal, to keep or delete
    draft = (example_build / "output/email/dana-whitfield/referral-brief.txt").read_text()
    flat = " ".join(draft.split())
    assert "Criteria they meet (delete any they don't):" in flat
    assert all(" ".join(c.split()) in flat for c in profile.criteria)
    eml = parse_eml(example_build / "output/email/dana-whitfield/referral-brief.eml")
    assert [a.addr_spec for a in eml["To"].addresses] == ["priya@keelcompasshr.com"]


def test_a_customer_is_interviewed_and_never_told_what_we_owe(example_build: Path) -> None:
    out = example_build / "output" / "email"
    interview = (out / "zoe-lindqvist" / "customer-interview.txt").read_text()
    assert interview.startswith("Subject: Three quick questions about working with Keel")
    assert interview.count("\n- ") == 3 and interview.count("?") >= 3
    assert len(interview.split()) <= 150
    assert not list((out / "dana-whitfield").glob("customer-interview.*"))  # a partner
    for slug in ("zoe-lindqvist", "helen-marsh"):
        for path in (out / slug).glob("*.txt"):
            flat = " ".join(path.read_text().split()).lower()
            assert " owe" not in flat and "balance" not in flat and "even" not in flat, path


def test_generic_drafts_carry_nothing_from_one_profile(example_build: Path) -> None:
    project = load_project(example_build)
    texts = {
        path.name: " ".join(path.read_text().split())
        for path in (example_build / "output" / "email" / "_generic").glob("*.txt")
    }
    for profile in project.profiles.values():
        pieces = [profile.title, *profile.criteria, *profile.signals, *profile.disqualifiers]
        if profile.intro_hint:
            pieces.append(profile.intro_hint)
        for name, flat in texts.items():
            if name.startswith(("criteria-share", "partner-proposal", "check-in")):
                continue  # they are about every profile we serve
            for piece in pieces:
                assert " ".join(piece.split()) not in flat, (name, piece)
    assert "[Why you think they should talk]" in texts["introduction.txt"]


def test_introduction_keeps_our_criteria_private(example_build: Path) -> None:
    """The prospect is on the email: no checklist, nothing about them in our voice."""
    project = load_project(example_build)
    out = example_build / "output" / "email"
    for path in [*out.glob("*/introduction*.txt"), *out.glob("*/ask-permission*.txt")]:
        flat = " ".join(path.read_text(encoding="utf-8").split())
        for profile in project.profiles.values():
            for line in [*profile.criteria, *profile.disqualifiers]:
                assert " ".join(line.split()) not in flat, (path, line)
        for phrase in ("against your criteria", "this is one", "look out for", "blind date"):
            assert phrase not in flat, (path, phrase)


def test_blind_date_is_said_once_at_most() -> None:
    from refkit.resources import builtin_templates

    sources = (builtin_templates() / "email").glob("*.txt")
    assert sum("blind date" in path.read_text(encoding="utf-8") for path in sources) <= 1


def test_forwardable_paragraph_is_capped(make_project) -> None:
    """Still in every template's context, for projects whose templates use it."""
    long = " ".join(f"Sentence number {i} says something true about us." for i in range(60))
    root = make_project(**{"content/business.yaml": {"summary": long}})
    paragraph = forwardable_paragraph(load_project(root))
    assert len(paragraph.split()) <= FORWARDABLE_WORDS
    assert paragraph.endswith("priya@keelcompasshr.com, https://www.keelcompasshr.com/.")
    one = " ".join(["word"] * 300)  # one sentence longer than the cap
    root = make_project(**{"content/business.yaml": {"summary": one}})
    assert len(forwardable_paragraph(load_project(root)).split()) <= FORWARDABLE_WORDS


def test_per_profile_introductions_for_the_site(example_build: Path) -> None:
    project = load_project(example_build)
    paths = paths_for(project)
    for slug, profile in project.profiles.items():
        mail = compose_email(project, paths, "introduction", partner=None, profile=slug)
        flat = " ".join(mail.text.split())
        assert not any(" ".join(c.split()) in flat for c in profile.criteria)
        assert not any(" ".join(signal.split()) in flat for signal in profile.signals)
        assert mail.blanks == ["[Prospect name]", "[Prospect first name]", "[Your name]"]
        assert mail.profile == slug and mail.partner is None


def test_every_profile_a_partner_serves_has_its_drafts(example_build: Path) -> None:
    """ask-permission and introduction for each served profile, not only the first."""
    project = load_project(example_build)
    paths = paths_for(project)
    out = example_build / "output"
    for slug, profiles in MULTI_PROFILE.items():
        variants = profile_emails(project, slug)
        assert variants == [
            ProfileEmail(profile, template, f"email/{slug}/{template}--{profile}")
            for profile in profiles
            for template in SENDS
        ]
        for variant in variants:
            text = (out / f"{variant.path}.txt").read_text(encoding="utf-8")
            mail = compose_email(
                project, paths, variant.template, partner=slug, profile=variant.profile, today=TODAY
            )
            assert text == f"Subject: {mail.subject}\n\n{mail.text}"
            assert (out / f"{variant.path}.html").is_file()
            assert parse_eml(out / f"{variant.path}.eml")["X-Unsent"] == "1"
        # the unsuffixed files stay as they were: the first profile
        for template in ("ask-permission", "introduction"):
            first = out / "email" / slug / f"{template}--{profiles[0]}.txt"
            assert (out / "email" / slug / f"{template}.txt").read_bytes() == first.read_bytes()
    # Dana's second profile: its own pitch and moments
    acquisition = (
        out / "email/dana-whitfield/introduction--acquisition-integration.txt"
    ).read_text()
    assert "Priya makes the people side of the deal boring, on a 100-day plan." in " ".join(
        acquisition.split()
    )
    brief = (out / "email/dana-whitfield/referral-brief--acquisition-integration.txt").read_text()
    assert "- Two handbooks, two pay structures, two benefits plans" in brief
    # one profile: the unsuffixed files are the only ones, and the list says so
    assert profile_emails(project, "helen-marsh") == [
        ProfileEmail("first-hr-hire", "ask-permission", "email/helen-marsh/ask-permission"),
        ProfileEmail("first-hr-hire", "introduction", "email/helen-marsh/introduction"),
        ProfileEmail("first-hr-hire", "referral-brief", "email/helen-marsh/referral-brief"),
    ]
    assert not list((out / "email" / "helen-marsh").glob("*--*"))


def test_criteria_share_customer_framing(example_build: Path) -> None:
    out = example_build / "output" / "email"
    helen = (out / "helen-marsh" / "criteria-share.txt").read_text()  # kind: customer
    assert helen.startswith("Subject: Thank you, and who we'd love to meet")
    assert "Thank you for being a client of Keel & Compass HR" in helen
    assert "First HR managers at scaling engineering firms" in helen  # what she serves
    assert "CFOs integrating an acquisition" not in helen
    # a customer introduces peers: we were never going to compete with them
    assert "compete" not in helen and "Payroll processing or PEO services" not in helen
    dana = (out / "dana-whitfield" / "criteria-share.txt").read_text()
    assert dana.startswith("Subject: Who we'd love to meet: our referral criteria")
    assert "What we don't do, so we never compete with you:" in dana
    assert "- Payroll processing or PEO services" in dana  # we don't compete


def test_partner_proposal_is_about_them(example_build: Path) -> None:
    text = (example_build / "output" / "email" / "tom-brenner" / "partner-proposal.txt").read_text()
    flat = " ".join(text.split())
    assert flat.startswith(
        "Subject: Lakeshore Community Bank and Keel & Compass HR: clients we could send"
    )
    assert "the same kind of client as Lakeshore Community Bank does," in flat
    # what they get comes first: their ideal clients, introduced by a full sentence
    assert "I'd like to start sending some of them your way, especially: - Manufacturers" in flat
    assert "Who we could send you." not in flat and "Referrals back" not in flat  # no repeats
    assert "Co-hosted events for the clients we share" in flat  # the strategy
    assert "- Checking in monthly to see what's working" in text  # 30 days, in words
    assert "Could we meet for half an hour" in flat  # the invitation
    assert len(words(body_of(text))) <= 200  # a first approach is short
    # the phone number on a line of its own under the signature
    assert text.rstrip().endswith("Priya Raman\nKeel & Compass HR\n+1 (414) 555-0143")


def test_check_in_uses_the_scorecard(example_build: Path) -> None:
    project = load_project(example_build)
    out = example_build / "output" / "email"
    for slug in PARTNERS:
        if "check-in" not in DRAFTED[slug]:
            continue
        row = score_partner(project, slug, TODAY)
        text = " ".join((out / slug / "check-in.txt").read_text().split())
        if row.received:
            assert f"you have sent us {plural(row.received, 'introduction')}" in text
        if project.partners[slug].kind == "customer":
            assert "we have sent you" not in text and "none yet" not in text  # no balance
            continue
        if row.given:
            assert f"we have sent you {plural(row.given, 'introduction').split()[0]}" in text
        assert "none yet" in text if not (row.received and row.given) else "none" not in text
        assert not re.search(r"\b0 introductions?\b", text) and " 0." not in text
    # Dana checks in every 60 days: only October's referral is in the window
    dana = (out / "dana-whitfield" / "check-in.txt").read_text()
    assert dana.startswith("Subject: Checking in on our referrals\n")
    assert "We agreed to check in every two months," in dana
    assert "In the last two months:\n- October 8, 2026: we introduced Janesville Plastics" in dana
    assert "Walworth" not in dana
    flat = " ".join(dana.split())
    assert "you have sent us two introductions, both now clients, and we have sent you three." in (
        flat
    )
    assert "- One co-hosted breakfast seminar for manufacturers every spring" in dana


def test_partner_emails_never_quote_money(example_build: Path) -> None:
    """What a client pays us is private: counts in partner emails, never values."""
    from refkit.text.money import format_money

    project = load_project(example_build)
    amounts = {r.value for r in project.referrals if r.value}
    amounts |= {score_partner(project, slug, TODAY).won_value for slug in PARTNERS}
    # as the report writes them ("$38,000"), and bare ("38,000")
    shown = {format_money(a, "USD", "en-US") for a in amounts if a} | {f"{a:,.0f}" for a in amounts}
    for path in (example_build / "output" / "email").rglob("*.txt"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\bworth [$\d]", text), path
        for value in shown - {"0"}:
            assert value not in text, (path, value)


def test_check_in_only_for_active_partners(example_build: Path, make_project) -> None:
    out = example_build / "output" / "email"
    # Tom (prospect) has agreed nothing yet; Raj (paused) has nothing to review
    assert not (out / "tom-brenner" / "check-in.txt").exists()
    assert not (out / "raj-patel" / "check-in.txt").exists()
    for slug in ("tom-brenner", "raj-patel"):
        result = run_refkit("email", "check-in", "-p", example_build, "--partner", slug)
        assert result.returncode == 1 and result.stdout == ""
        assert "'check-in' is only for partners with status: active" in result.stderr


def test_check_in_balance_sentence_follows_the_balance(make_project) -> None:
    root = make_project()
    # Marcus: four from him, none from us
    marcus = " ".join(compose(root, "check-in", partner="marcus-oyelaran").text.split())
    assert "we have sent you none yet. So we owe you four, and I'm looking out for" in marcus
    # Dana: we sent one more than she did; nothing owed to her
    dana = " ".join(compose(root, "check-in", partner="dana-whitfield").text.split())
    assert "owe" not in dana
    assert "If anyone comes to mind, the people we'd most like to meet are" in dana
    # even: one each way
    ledger = root / "content" / "referrals.yaml"
    ledger.write_text(
        ledger.read_text() + "\n- date: 2026-11-20\n  direction: given\n  partner: ines-carvalho\n"
        "  prospect: Even Steven Foods\n"
    )
    ines = " ".join(compose(root, "check-in", partner="ines-carvalho").text.split())
    assert "and we have sent you three. That makes us even, which is how it should be." in ines
    assert "owe" not in ines


def test_check_in_summary_reflects_the_window_and_the_whole(example_build: Path) -> None:
    """Helen's only referral was won, just before the window: no 'Let's change that'."""
    helen = (example_build / "output" / "email" / "helen-marsh" / "check-in.txt").read_text()
    flat = " ".join(helen.split())
    assert "We agreed to check in twice a year," in flat
    assert (
        "Nothing new either way in the last six months. The last was Sheboygan Automation "
        "Group, whom you introduced on May 13, 2026." in flat
    )
    # a top customer vouches for us: no balance, nothing owed
    assert "you have sent us one introduction, now a client. Thank you for vouching for us." in (
        flat
    )
    assert "owe" not in flat and "we have sent you" not in flat
    assert "change that" not in flat and "180" not in flat


def test_no_email_counts_days_like_a_machine(example_build: Path) -> None:
    for path in (example_build / "output" / "email").rglob("*.txt"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\d+-day (?:referral )?check|every \d+ days|last \d+ days", text), (
            path
        )


def test_thank_you_closes_the_loop_from_the_ledger(example_build: Path) -> None:
    out = example_build / "output" / "email"
    ines = (out / "ines-carvalho" / "thank-you.txt").read_text()
    # two not yet thanked (Rock County lost, Manitowoc won): the won one
    assert ines.startswith("Subject: Thank you for introducing Manitowoc Food Ingredients")
    assert "Good news: they've become a client." in ines
    assert "That makes three introductions from you so far, two of them now clients." in ines
    # every one of Dana's and Helen's is thanked: no second thank-you
    for slug in ("dana-whitfield", "helen-marsh"):
        assert not list((out / slug).glob("thank-you.*")), slug
    marcus = (out / "marcus-oyelaran" / "thank-you.txt").read_text()
    assert "Racine Conveyor Systems" in marcus  # the latest of his four
    assert "setting up a first conversation" in marcus
    # we owe Marcus four: the sentence says so, not "one"
    assert "we owe you four introductions" in " ".join(marcus.split())
    # nobody to thank Tom (prospect) or Raj (paused) for: no draft full of blanks
    for slug in ("tom-brenner", "raj-patel"):
        assert not list((out / slug).glob("thank-you.*"))
    assert BLANK.search((out / "_generic" / "thank-you.txt").read_text())


def test_thank_you_picks_the_latest_not_yet_thanked(make_project) -> None:
    root = make_project()
    ledger = root / "content" / "referrals.yaml"
    text = ledger.read_text()
    kettle = "  prospect: Kettle Moraine Foods\n  profile: acquisition-integration\n"
    kettle += "  status: won\n  value: 52000\n  thanked: true\n"
    assert kettle in text
    ledger.write_text(text.replace(kettle, kettle.replace("true", "false")))
    mail = compose(root, "thank-you", partner="dana-whitfield")
    assert mail.subject == "Thank you for introducing Kettle Moraine Foods"


def test_thank_you_words(example_build: Path) -> None:
    out = example_build / "output" / "email"
    for slug in ("ines-carvalho", "marcus-oyelaran", "zoe-lindqvist"):
        text = (out / slug / "thank-you.txt").read_text()
        assert text.rstrip().endswith("Best,\nPriya Raman\nKeel & Compass HR"), slug
        assert text.lower().count("thank you") <= 2, slug  # the subject and at most one more
    # customers introduce peers, not clients, and are owed nothing
    zoe = (out / "zoe-lindqvist" / "thank-you.txt").read_text()
    assert "Thank you for vouching for us." in zoe and "your client" not in zoe
    assert "owe" not in zoe
    assert (
        "I'm grateful you trusted us with your client."
        in (out / "ines-carvalho" / "thank-you.txt").read_text()
    )


def test_thank_you_prefers_a_won_introduction_to_a_later_one(make_project) -> None:
    root = make_project()
    ledger = root / "content" / "referrals.yaml"
    ledger.write_text(
        ledger.read_text()
        + "\n- date: 2026-11-15\n  direction: received\n  partner: ines-carvalho\n"
        + "  prospect: Later Lost Co\n  status: lost\n"
    )
    assert compose(root, "thank-you", partner="ines-carvalho").subject == (
        "Thank you for introducing Manitowoc Food Ingredients"
    )
    # once the won one is thanked, the later lost one is next
    text = ledger.read_text()
    won = "  prospect: Manitowoc Food Ingredients\n"
    at = text.index(won) + len(won)
    ledger.write_text(text[:at] + "  thanked: true\n" + text[at:])
    assert compose(root, "thank-you", partner="ines-carvalho").subject == (
        "Thank you for introducing Later Lost Co"
    )


def test_notes_never_reach_emails(example_build: Path) -> None:
    """Every part of every draft decoded, attachments read as text (see test_privacy.py)."""
    needles = ("PRIVATE-NOTE", LEDGER_MARKER, "Went with a PEO")
    assert find_private_text(example_build / "output" / "email", needles) == []


# --------------------------------------------------------------------------- builds


def test_partner_without_email_gets_no_eml(make_project) -> None:
    root = make_project()
    replace(
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
    replace(
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
    out = root / "output" / "email" / "ines-carvalho"
    assert (out / "thank-you.txt").read_text() == (
        "Subject: Cheers, Inês!\n\nHi Inês,\n\n*Thanks* for Manitowoc Food Ingredients.\n\n"
        "Priya Raman\n"
    )
    # Markdown written in the template itself is honoured in the HTML
    assert column((out / "thank-you.html").read_text()).find("em").get_text() == "Thanks"
    assert "We agreed to check in" in (out / "check-in.txt").read_text()  # the rest built-in


# --------------------------------------------------------------------------- helpers


def test_without_a_usable_hint_the_pitch_comes_from_the_title(make_project) -> None:
    root = make_project(
        **{"content/profiles/acquisition-integration.yaml": {"intro_hint": "Ask about the deal."}}
    )
    text = compose(root, "introduction", profile="acquisition-integration").text
    assert "Keel & Compass HR. Priya works with CFOs integrating an acquisition." in (
        " ".join(text.split())
    )
    assert "Ask about the deal" not in text


def test_dates_follow_the_site_language(make_project) -> None:
    root = make_project()
    replace(root, "content/business.yaml", "language: en-US", "language: en-GB")
    text = compose(root, "check-in", partner="dana-whitfield").text
    assert "- 8 October 2026: we introduced Janesville Plastics" in text


def test_compose_is_fast_enough_for_every_profile_page(example_build: Path) -> None:
    import time

    project = load_project(example_build)
    paths = paths_for(project)
    started = time.perf_counter()
    for _ in range(10):
        for slug in project.profiles:
            compose_email(project, paths, "introduction", profile=slug, today=dt.date(2026, 1, 1))
    assert (time.perf_counter() - started) / (10 * len(project.profiles)) < 0.05


def test_wrap_text_keeps_urls_and_hangs_list_items() -> None:
    from refkit.render.messages.bodies import wrap_text

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
    assert "the same kind of client as you do," in " ".join(proposal.split())
    assert "Reply with a couple of times that suit you." in proposal  # no booking link
    assert not list(tom.glob("*.eml"))  # no email address
    intro = (out / "_generic" / "introduction.txt").read_text()
    flat = " ".join(intro.split())
    assert (
        "[Prospect first name], reply with two or three times that suit you. Ana will "
        "follow up within one business day." in flat
    )


def test_long_non_ascii_subjects_and_names_round_trip_with_their_spaces() -> None:
    """CPython's header folder drops the space between two encoded words; refkit doesn't fold."""
    from refkit.render.emails import eml_file
    from refkit.render.messages.compose import ComposedEmail

    subject = (
        "An introduction: Sam Ortiz and Inês Zoë Müller (Inês & Zoë Consulting — Lisboa), "
        "as promised at the Zoë breakfast"
    )
    mail = ComposedEmail(
        template="introduction",
        subject=subject,
        text="Hi Inês,\n\nBody.\n" + "A long line of text that goes on. " * 6 + "\n",
        html="<p>Hi Inês,</p>",
        sender=("Inês Zoë Müller (Lisboa)", "ines@example.com"),
        recipient=("Zoë Ångström-Lindqvist", "zoe@example.com"),
    )
    data = eml_file(mail, lambda path: None)
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert message["Subject"] == subject
    assert message["From"].addresses[0].display_name == "Inês Zoë Müller (Lisboa)"
    assert message["To"].addresses[0].display_name == "Zoë Ångström-Lindqvist"
    assert all(len(line) <= 998 for line in data.split(b"\r\n"))
    body = message.get_body(("plain",))
    assert body.get_content().startswith("Hi Inês,")
    assert all(len(line) <= 78 for line in body.as_bytes().split(b"\n")[4:])
