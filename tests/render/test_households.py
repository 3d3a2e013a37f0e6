"""Household profiles (kind: household): no page, one-pager or email mentions a company."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from conftest import TODAY, paths_for, pdf_text, readable_texts, run_refkit, write_project
from refkit.cli import main
from refkit.content.project import load_project
from refkit.pipeline import build
from refkit.render.messages.compose import email_context

HOUSEHOLD = "caregiving-families"
PARTNER = "nora-quist"
PROFILE_FILE = f"content/profiles/{HOUSEHOLD}.yaml"
PROFILE_YAML = """\
title: Families hiring help at home for an aging parent
summary: |
  Households about to employ a carer directly who want to do it properly:
  a written agreement, fair pay and the right paperwork from the first week.
contact_role: The adult child who is organising care
kind: household
signals:
  - A parent has just come home from hospital
criteria:
  - They will employ the carer themselves, not through an agency
disqualifiers:
  - They only need a one-off cleaner
intro_hint: Tell them we help families employ a carer fairly, without drowning in paperwork.
"""
#: serves the household only, so every draft for this partner is about it
PARTNER_YAML = f"""\
name: Nora Quist
company: Quist Elder Law
role: Elder law attorney
email: nora@quistelderlaw.example
status: active
serves:
  - {HOUSEHOLD}
agreement:
  check_in_days: 60
"""
#: the word no household output may say (nor "Company size", "[Prospect company]"...)
COMPANY = re.compile(r"compan", re.IGNORECASE)
COMPANY_LABELS = ("Company size", "Employees", "Revenue", "Industries")


def _without_company_words(text: str) -> str:
    """The example business's own text, saying "firm" where it says "company".

    Our own wording is ours to choose; with none of it saying "company", any
    "company" found in a household's outputs comes from a template or Python.
    """
    return re.sub(
        r"(?i)compan(y|ies)",
        lambda m: (
            ("Firm" if m.group()[0] == "C" else "firm") + ("s" if m.group(1) == "ies" else "")
        ),
        text,
    )


def _household_project(root: Path) -> Path:
    write_project(
        root, {PROFILE_FILE: PROFILE_YAML, f"content/partners/{PARTNER}.yaml": PARTNER_YAML}
    )
    business = root / "content" / "business.yaml"
    business.write_text(_without_company_words(business.read_text(encoding="utf-8")))
    assert not COMPANY.search(business.read_text(encoding="utf-8"))
    return root


@pytest.fixture(scope="module")
def household(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example with a household profile and a partner who serves only it, built."""
    root = _household_project(tmp_path_factory.mktemp("household"))
    build(root, today=TODAY, only=["site", "pdf", "email"], jobs=2)
    return root


def _check(root: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "-p", str(root)])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _line_of(root: Path, rel: str, needle: str) -> int:
    lines = (root / rel).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if needle in line)


def test_the_household_page_mentions_no_company(household: Path) -> None:
    page = household / "output" / "site" / "clients" / HOUSEHOLD / "index.html"
    soup = BeautifulSoup(page.read_bytes(), "html.parser")
    text = " ".join(soup.get_text(" ").split())
    assert "The adult child who is organising care" in text  # it is the household's page
    assert not COMPANY.search(text), COMPANY.findall(text)
    labels = [dt.get_text(strip=True) for dt in soup.select("dl.facts dt")]
    assert not set(labels) & set(COMPANY_LABELS), labels


@pytest.mark.parametrize("pdf", [f"pdf/clients/{HOUSEHOLD}.pdf", f"pdf/partners/{PARTNER}.pdf"])
def test_the_household_one_pagers_mention_no_company(household: Path, pdf: str) -> None:
    text = " ".join(pdf_text(household / "output" / pdf).split())
    assert "Families hiring help at home" in text
    assert not COMPANY.search(text), pdf
    for label in COMPANY_LABELS:
        assert label.casefold() not in text.casefold(), (pdf, label)


def test_the_emails_for_a_household_partner_mention_no_company(household: Path) -> None:
    drafts = household / "output" / "email" / PARTNER
    names = {path.name for path in drafts.iterdir()}
    assert {"ask-permission.txt", "introduction.eml", "criteria-share.html"} <= names
    for where, text in readable_texts(drafts):
        assert not COMPANY.search(text), (where, COMPANY.findall(text))
    # and what a household's draft leaves to fill in is the prospect's name only
    ask = (drafts / "ask-permission.txt").read_text(encoding="utf-8")
    assert "[Prospect first name]" in ask
    assert "Something you mentioned made me think" in " ".join(ask.split())


def test_a_business_profile_still_asks_for_the_prospect_company(household: Path) -> None:
    """The contrast that makes the household checks meaningful: the same drafts, for a company."""
    ask = (household / "output" / "email" / "dana-whitfield" / "ask-permission.txt").read_text()
    assert "about [Prospect company]" in " ".join(ask.split())


def test_refkit_email_for_a_household_mentions_no_company(household: Path) -> None:
    for args in (
        ("--partner", PARTNER, "--profile", HOUSEHOLD),
        ("--profile", HOUSEHOLD, "--format", "eml"),
    ):
        result = run_refkit("email", "ask-permission", "-p", household, *args)
        assert result.returncode == 0, result.stderr
        assert "Would an introduction" in result.stdout
        assert not COMPANY.search(result.stdout), (args, result.stdout)
        assert "Something you mentioned made me think" in " ".join(result.stdout.split())


def test_prospect_company_for_a_household_is_a_clear_error(household: Path) -> None:
    result = run_refkit(
        "email", "introduction", "-p", household, "--partner", PARTNER, "--prospect-company", "Acme"
    )
    assert result.returncode == 1
    assert result.stderr.startswith("--prospect-company: error: ")
    assert HOUSEHOLD in result.stderr and "household" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_email_context_says_household(household: Path) -> None:
    """introduction.txt (written elsewhere) can rely on ``household`` and an empty company."""
    project = load_project(household)
    paths = paths_for(project)
    for partner, profile, expected in ((PARTNER, None, True), ("dana-whitfield", None, False)):
        context = email_context(
            project,
            paths,
            "introduction",
            partner=partner,
            profile=profile,
            prospect=None,
            prospect_company=None,
            today=TODAY,
        )
        assert context["household"] is expected, partner
        assert (context["prospect_company"] == "") is expected, partner


@pytest.mark.parametrize(
    ("company", "field", "needle"),
    [
        ("company:\n  employees: {min: 2, max: 6}\n", "employees", "employees:"),
        ("company:\n  revenue: none\n  locations:\n    - Milwaukee\n", "revenue", "revenue:"),
    ],
)
def test_company_fields_on_a_household_are_an_error_at_their_line(
    make_project, company: str, field: str, needle: str
) -> None:
    root = make_project({PROFILE_FILE: PROFILE_YAML + company})
    line = _line_of(root, PROFILE_FILE, needle)
    code, output = _check(root)
    assert code == 1
    assert re.search(
        rf"^{re.escape(PROFILE_FILE)}:{line}:\d+: error: company\.{field}: a household profile "
        rf"has no company: remove company\.{field}",
        output,
        re.MULTILINE,
    ), output


def test_company_size_on_a_household_is_an_error_at_its_line(make_project) -> None:
    root = make_project({PROFILE_FILE: PROFILE_YAML + "company:\n  size: 3\n"})
    line = _line_of(root, PROFILE_FILE, "size:")
    code, output = _check(root)
    assert code == 1
    assert f"{PROFILE_FILE}:{line}:3: error: company.size: unknown field 'size'" in output


def test_a_household_without_company_fields_is_clean(make_project) -> None:
    code, output = _check(make_project({PROFILE_FILE: PROFILE_YAML}))
    assert code == 0, output
