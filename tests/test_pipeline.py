"""`refkit build`: the pipeline, atomic output, the summary line, --only and --strict."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import pytest

from conftest import cli_build
from refkit.output import Output
from refkit.pipeline import build
from refkit.writer import write_outputs


def tree_hash(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def summary_of(output: str, root: Path) -> str:
    """The summary line with its timing and folder checked and taken out."""
    last = output.strip().splitlines()[-1]
    match = re.fullmatch(r"(Built .+) in \d+\.\d s -> (.+)/", last)
    assert match, last
    assert Path(match.group(2)).resolve() == (root / "output").resolve()
    return match.group(1)


def test_build_writes_site_and_summary(make_project) -> None:
    root = make_project()
    code, output = cli_build(root, "--only", "site")
    assert code == 0, output
    assert (root / "output" / "site" / "index.html").is_file()
    assert output.strip().splitlines()[-1].startswith("Built ")
    assert "pages" in output
    # one page per HTML file written, counted here from the folder
    pages = len(list((root / "output" / "site").rglob("*.html")))
    # home, about, refer, 404, three profiles, one public and five private partners,
    # and p/index.html
    assert pages == 14
    assert summary_of(output, root) == f"Built {pages} pages"


@pytest.mark.slow
def test_summary_counts_what_the_build_wrote(make_project) -> None:
    root = make_project()
    code, output = cli_build(root, "--jobs", "2")
    assert code == 0, output
    out = root / "output"
    pages = len(list((out / "site").rglob("*.html")))
    pdfs = len(list((out / "pdf").rglob("*.pdf")))
    # an email is its .txt, with an .html beside it and, when the partner has an
    # address, an .eml: count the .txt files, after checking each has its .txt
    drafts = [p for p in (out / "email").rglob("*") if p.is_file()]
    assert {p.suffix for p in drafts} == {".txt", ".html", ".eml"}
    assert all(p.with_suffix(".txt").is_file() for p in drafts)
    emails = sum(p.suffix == ".txt" for p in drafts)
    assert (pages, pdfs, emails) == (14, 10, 65)  # by hand: see render/test_emails.py
    assert summary_of(output, root) == (
        f"Built {pages} pages, {pdfs} PDFs, {emails} emails, the partner report"
    )
    assert (out / "report" / "index.html").is_file() and (out / "calendar.ics").is_file()


def test_failed_build_leaves_previous_output_untouched(make_project) -> None:
    root = make_project()
    assert cli_build(root, "--only", "site")[0] == 0
    before = tree_hash(root / "output")
    partner = root / "content" / "partners" / "dana-whitfield.yaml"
    partner.write_text(partner.read_text().replace("status: active", "status: activ"))
    code, output = cli_build(root)
    assert code == 1
    assert "content/partners/dana-whitfield.yaml:" in output
    assert tree_hash(root / "output") == before
    assert not [p for p in root.iterdir() if p.name.startswith(".output.")]


def test_only_keeps_other_kinds_from_the_previous_build(make_project) -> None:
    root = make_project()
    out = root / "output"
    write_outputs(out, [Output("email/x/introduction.txt", b"kept"), Output("site/old.html", b"x")])
    assert cli_build(root, "--only", "site")[0] == 0
    assert (out / "email" / "x" / "introduction.txt").read_bytes() == b"kept"
    assert not (out / "site" / "old.html").exists()


def test_only_rejects_unknown_kinds(make_project) -> None:
    code, output = cli_build(make_project(), "--only", "site,pdfs")
    assert code == 2
    assert "pdfs" in output


def test_missing_harfbuzz_is_noted(make_project, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    pipeline = importlib.import_module("refkit.pipeline")
    monkeypatch.setattr(pipeline, "harfbuzz_subset_available", lambda: False)
    monkeypatch.setattr(pipeline, "_run", lambda renderer, ctx, progress: iter(()))
    monkeypatch.setattr("refkit.pipeline.check_links", lambda *args: None)
    report = build(make_project(), only=["pdf"])
    assert any("libharfbuzz-subset0" in notice for notice in report.notices)


def test_strict_build_fails_on_warnings(make_project) -> None:
    root = make_project()
    partner = root / "content" / "partners" / "dana-whitfield.yaml"
    partner.write_text(partner.read_text().replace("  refers_back: true", "  refers_back: false"))
    assert cli_build(root, "--only", "site")[0] == 0
    code, output = cli_build(root, "--only", "site", "--strict")
    assert code == 1
    assert "error: qualifiers.refers_back" in output


def test_build_is_reproducible_for_site(make_project) -> None:
    root = make_project()
    assert cli_build(root, "--only", "site")[0] == 0
    first = tree_hash(root / "output")
    os.utime(root / "content" / "business.yaml")
    assert cli_build(root, "--only", "site")[0] == 0
    assert tree_hash(root / "output") == first
