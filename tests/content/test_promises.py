"""business.promises: written once in business.yaml, stated by the site, one-pagers, emails."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from conftest import TODAY, parse_eml, pdf_text, replace, straight
from refkit.cli import main
from refkit.pipeline import build

BUSINESS = "content/business.yaml"
#: promises nobody would write by accident, so finding them proves where they came from
REPLY = "two working hours"
MEETING = "a walk round our plant floor"
#: the example's own content restates "within one business day": written differently here,
#: so the old wording can only come from a template or Python
OWN_WORDS = {
    "why_clients_choose_us": ["Straight answers, written down"],
    "partner_offer": ["A named contact for every introduction you make"],
}
#: the emails that state our promises, and which of them each states
STATED = {
    "criteria-share": (REPLY, MEETING),
    "ask-permission": (MEETING,),
    "introduction": (REPLY, MEETING),
}


def _flat(text: str) -> str:
    """Whitespace collapsed; in an HTML body, ``&nbsp;`` and curly quotes read as written."""
    return " ".join(straight(text).split())


def _page(site: Path, rel: str) -> str:
    return _flat(BeautifulSoup((site / rel).read_bytes(), "html.parser").get_text(" "))


def _check(root: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["check", "-p", str(root)])
    assert "Traceback" not in result.output
    return result.exit_code, result.output.strip().splitlines()


@pytest.fixture(scope="module")
def promised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example with its own promises, built (site, one-pagers, emails)."""
    from conftest import write_project

    root = write_project(
        tmp_path_factory.mktemp("promised"),
        {BUSINESS: {**OWN_WORDS, "promises": {"reply_within": REPLY, "first_meeting": MEETING}}},
    )
    build(root, today=TODAY, only=["site", "pdf", "email"], jobs=2)
    return root / "output"


def test_custom_promises_reach_the_site(promised: Path) -> None:
    home = _page(promised / "site", "index.html")
    refer = _page(promised / "site", "refer/index.html")
    for text in (home, refer):
        assert f"We reply within {REPLY}" in text
        assert "one business day" not in text
    assert f"replies to both of you within {REPLY}" in refer
    assert f"offers the prospect {MEETING}" in refer
    assert f"we offer them {MEETING}" in home
    assert "20-minute" not in refer
    assert "20-minute" not in home


def test_custom_promises_reach_the_one_pagers(promised: Path) -> None:
    for pdf in ("pdf/clients/first-hr-hire.pdf", "pdf/partners/dana-whitfield.pdf"):
        text = _flat(pdf_text(promised / pdf))
        assert f"We reply within {REPLY}" in text, pdf
        assert MEETING in text, pdf
        assert "one business day" not in text and "20-minute" not in text, pdf


@pytest.mark.parametrize("template", sorted(STATED))
def test_custom_promises_reach_every_email_that_states_them(promised: Path, template: str) -> None:
    drafts = sorted((promised / "email").glob(f"*/{template}.txt"))
    assert drafts
    for draft in drafts:
        text = _flat(draft.read_text(encoding="utf-8"))
        for promise in STATED[template]:
            assert promise in text, draft
        assert "one business day" not in text and "20-minute" not in text, draft
    for eml in sorted((promised / "email").glob(f"*/{template}.eml")):
        message = parse_eml(eml)
        for part in ("plain", "html"):
            body = message.get_body((part,))
            assert body is not None
            for promise in STATED[template]:
                assert promise in _flat(body.get_content()), (eml, part)


def test_the_introduction_offers_the_first_meeting_promised(promised: Path) -> None:
    text = _flat((promised / "email" / "_generic" / "introduction.txt").read_text())
    assert MEETING in text and "20-minute" not in text


def test_default_promises_are_the_documented_ones(make_project) -> None:
    root = make_project({BUSINESS: {"promises": None}})
    build(root, today=TODAY, only=["site", "email"], jobs=1)
    out = root / "output"
    refer = _page(out / "site", "refer/index.html")
    assert "replies to both of you within one business day" in refer
    assert "offers the prospect a 20-minute call" in refer
    criteria = _flat((out / "email" / "_generic" / "criteria-share.txt").read_text())
    assert "We reply within one business day, offer them a 20-minute call," in criteria


def test_a_promise_is_one_line(make_project) -> None:
    root = make_project()
    replace(
        root,
        BUSINESS,
        "  reply_within: one business day",
        '  reply_within: "one\\nbusiness day"',
    )
    line = _line_of(root, "reply_within:")
    code, lines = _check(root)
    assert code == 1
    assert f"{BUSINESS}:{line}:17: error: promises.reply_within: must be a single line" in (
        "\n".join(lines)
    )


def test_an_unknown_promise_is_an_error_at_its_line(make_project) -> None:
    root = make_project()
    replace(root, BUSINESS, "  first_meeting:", "  first_meetng:")
    line = _line_of(root, "first_meetng:")
    code, lines = _check(root)
    assert code == 1
    assert any(
        f"{BUSINESS}:{line}:3: error: promises.first_meetng: unknown field 'first_meetng'" in row
        and "did you mean 'first_meeting'" in row
        for row in lines
    ), lines


def test_the_schema_offers_the_promises() -> None:
    result = CliRunner().invoke(main, ["schema", "business"])
    schema = json.loads(result.output)
    promises = schema["$defs"]["Promises"]["properties"]
    assert promises["reply_within"]["default"] == "one business day"
    assert promises["first_meeting"]["default"] == "a 20-minute call"
    assert "promises" in schema["properties"]


def _line_of(root: Path, needle: str) -> int:
    lines = (root / BUSINESS).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if needle in line)
