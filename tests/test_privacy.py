"""Partners' ``notes`` and the ledger are private: no output says them, however encoded.

The check (``conftest.find_private_text``) reads every file under output/ as
its reader would: PDFs as their text, .eml files part by part with their
attachments' text, everything else as it is. The second half proves that the
check can fail: a project template that prints the notes must be caught.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import (
    ACTIVITY_MARKER,
    LEDGER_MARKER,
    PRIVATE_MARKERS,
    TODAY,
    find_private_text,
    note_marker,
    parse_eml,
    pdf_text,
)
from refkit.content.project import load_project
from refkit.pipeline import build
from refkit.resources import builtin_templates, example_content
from refkit.text.markup import markdown_to_text


def private_needles(root: Path) -> list[str]:
    """The markers, and the start of every partner's notes and every ledger note."""
    project = load_project(root)
    needles = [LEDGER_MARKER, ACTIVITY_MARKER, *(note_marker(slug) for slug in project.partners)]
    for partner in project.partners.values():
        if partner.notes:
            needles.append(markdown_to_text(partner.notes)[:40])
    for entry in (*project.referrals, *project.touches):
        if entry.note:
            needles.append(entry.note[:40])
    return needles


def test_the_example_has_private_text_to_look_for(example_build: Path) -> None:
    """Without notes in the build, the test below would pass for nothing."""
    project = load_project(example_build)
    assert project.partners["dana-whitfield"].notes.startswith(note_marker("dana-whitfield"))
    assert sum(bool(r.note) for r in project.referrals) >= 3
    assert any(LEDGER_MARKER in (r.note or "") for r in project.referrals)
    assert any(ACTIVITY_MARKER in (t.note or "") for t in project.touches)
    # every kind was built: PDFs and emails with attachments are what is hard to read
    out = example_build / "output"
    assert list((out / "pdf").rglob("*.pdf")) and (out / "report" / "index.html").is_file()
    criteria = parse_eml(out / "email" / "dana-whitfield" / "criteria-share.eml")
    assert len(list(criteria.iter_attachments())) == 3


def test_notes_and_ledger_never_reach_the_output(example_build: Path) -> None:
    assert find_private_text(example_build / "output", private_needles(example_build)) == []


def test_prospects_never_reach_the_site(example_build: Path) -> None:
    """Whom a partner referred is private too: the site never names a prospect."""
    project = load_project(example_build)
    site = example_build / "output" / "site"
    site_text = "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in site.rglob("*")
        if p.is_file() and p.suffix not in (".pdf", ".woff2")
    )
    for referral in project.referrals:
        assert referral.prospect not in site_text, referral.prospect
    found = find_private_text(site, [r.prospect for r in project.referrals])
    assert found == []


def _without_progress(site: Path) -> dict[str, str | bytes]:
    """Every file of a built site, HTML pages parsed and their shared-progress parts cut."""
    files: dict[str, str | bytes] = {}
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(site).as_posix()
        if path.suffix != ".html":
            files[rel] = path.read_bytes()
            continue
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html5lib")
        for part in soup.select(".progress"):
            part.decompose()
        files[rel] = " ".join(str(soup).split())  # the cut leaves its line break
    return files


@pytest.mark.slow
def test_shared_progress_is_the_only_ledger_text_on_the_site(make_project) -> None:
    """With share_progress on every partner, the site differs only by the counts sections,
    and those name no prospect and no note."""
    sharing = {
        f"content/partners/{path.name}": {"share_progress": True}
        for path in sorted((example_content() / "partners").glob("*.yaml"))
    }
    plain = make_project(PRIVATE_MARKERS)
    shared = make_project({**PRIVATE_MARKERS, **sharing})
    for root in (plain, shared):
        build(root, only=["site"], today=TODAY, jobs=1)
    site = shared / "output" / "site"
    counted = [p for p in site.rglob("*.html") if "progress-title" in p.read_text("utf-8")]
    assert len(counted) >= 4  # every private page (the example's five, one of them retired)
    assert _without_progress(site) == _without_progress(plain / "output" / "site")
    project = load_project(shared)
    needles = [*private_needles(shared), *(r.prospect for r in project.referrals)]
    assert find_private_text(site, needles) == []


# --------------------------------------------------------------------------- the check can fail


def leaking_partner_template() -> str:
    """The built-in partner one-pager, printing the partner's private notes under the title."""
    builtin = (builtin_templates() / "pdf" / "partner.html").read_text(encoding="utf-8")
    anchor = '  <p class="eyebrow">Prepared for {{ partner.display_name }}</p>\n'
    assert anchor in builtin, "the built-in template changed: update the anchor"
    return builtin.replace(anchor, anchor + "  <p>{{ partner.notes }}</p>\n", 1)


@pytest.mark.slow
def test_a_template_printing_the_notes_is_caught_in_pdfs_and_eml_attachments(
    make_project,
) -> None:
    root = make_project(
        {**PRIVATE_MARKERS, "templates/pdf/partner.html": leaking_partner_template()}
    )
    build(root, only=["pdf", "email"], today=TODAY, jobs=2)
    out = root / "output"
    marker = note_marker("dana-whitfield")
    pdf = out / "pdf" / "partners" / "dana-whitfield.pdf"
    assert marker in pdf_text(pdf)  # the override did print the notes
    found = find_private_text(out, private_needles(root))
    attachment = "(attachment dana-whitfield-prepared-for-you.pdf)"
    for where in (
        "pdf/partners/dana-whitfield.pdf",
        "site/partners/dana-whitfield/dana-whitfield.pdf",  # the public page's copy
        f"email/dana-whitfield/criteria-share.eml {attachment}",
    ):
        assert f"{marker!r} in {where}" in found, found
    # every active partner's one-pager leaks its notes, and nothing else does
    assert {item.split(" in ", 1)[1].split("/")[0] for item in found} == {"pdf", "site", "email"}
    assert not any("report" in item or ".txt" in item or ".html" in item for item in found)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("a.txt", b"see PRIVATE-NOTE-\nDANA-WHITFIELD below"),  # wrapped at its hyphen
        ("a.html", b"<p>PRIVATE&#8209;NOTE-DANA-WHITFIELD</p>"),  # an entity
    ],
)
def test_the_check_reads_through_wrapping_and_entities(
    tmp_path: Path, name: str, data: bytes
) -> None:
    (tmp_path / name).write_bytes(data)
    assert find_private_text(tmp_path, [note_marker("dana-whitfield")]) == [
        f"'PRIVATE-NOTE-DANA-WHITFIELD' in {name}"
    ]


def test_the_check_decodes_every_mime_part(tmp_path: Path) -> None:
    """A base64 body hides its words from a byte search."""
    from email.message import EmailMessage

    marker = note_marker("dana-whitfield")
    message = EmailMessage()
    message["Subject"] = "Hello"
    message.set_content(f"Über {marker}", cte="base64")
    message.add_alternative(f"<p>{marker}</p>", subtype="html", cte="base64")
    data = bytes(message)
    assert marker.encode() not in data
    (tmp_path / "x.eml").write_bytes(data)
    assert find_private_text(tmp_path, [marker]) == [f"{marker!r} in x.eml"]
