"""The intro builder in real headless Chromium: the drafts fill in as the partner types.

Each expected draft is the server's own: :func:`compose_email` with what was
typed and ticked, and :func:`mailto_link` with the same shortening rule, so
the page can only pass by saying exactly what the templates say.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import TEST_SECRET, TODAY, build_site, paths_for, serve_folder
from refkit.content.project import Project, load_project
from refkit.derive.layout import partner_token
from refkit.render.messages.compose import SENDER_BLANK, ComposedEmail, compose_email
from refkit.text.mailto import mailto_link

pytestmark = pytest.mark.browser

PROFILE = "growing-manufacturers"
PARTNER = "ines-carvalho"  # private page, serves two profiles
NAME, COMPANY, SENDER = "Dana Reyes", "Acme Tools", "Sam Okafor"
WARMTH, FIRST_CALL = "warm", "She is hiring a plant manager in March."
TEMPLATES = ("ask-permission", "introduction", "referral-brief")


@pytest.fixture(scope="module")
def site_url(example_build: Path) -> Iterator[str]:
    """The example site on 127.0.0.1, where the clipboard works as for a visitor."""
    with serve_folder(example_build / "output" / "site") as url:
        yield url


def _expected(
    project: Project, template: str, partner: str | None, *, brief_filled: bool
) -> ComposedEmail:
    profile = project.profiles[PROFILE]
    return compose_email(
        project,
        paths_for(project),
        template,
        partner=partner,
        profile=PROFILE,
        prospect=NAME,
        prospect_company=COMPANY,
        signals=profile.signals[:2],
        criteria=profile.criteria[:1],
        warmth=WARMTH if brief_filled else None,
        first_call=FIRST_CALL if brief_filled else None,
        today=TODAY,
    )


def _text(email: ComposedEmail, partner: str | None) -> tuple[str, str]:
    subject, body = email.subject, email.unwrapped
    if partner is None:
        subject, body = subject.replace(SENDER_BLANK, SENDER), body.replace(SENDER_BLANK, SENDER)
    return subject, body


def _body_of(href: str) -> str:
    return parse_qs(urlsplit(href).query)["body"][0].replace("\r\n", "\n")


def _run(
    browser: Any, url: str, root: Path, builder: str, ids: list[str], partner: str | None
) -> None:
    project = load_project(root)
    business = project.business
    more = f"More about {business.name}: {business.website}"
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(url)
        form = page.locator(f"#{builder} [data-builder-form]")
        assert form.is_visible()
        mails = [page.locator(f"#{box} a[data-mail]") for box in ids]
        for mail in mails:  # nothing typed yet: every draft has blanks
            assert mail.get_attribute("aria-disabled") == "true"
            assert mail.get_attribute("href") is None
        assert page.locator(f"#{ids[1]}-body mark").count() > 0
        if partner is None:
            form.locator('[data-field="sender"]').fill(SENDER)
        form.locator('[data-field="name"]').fill(NAME)
        form.locator('[data-field="company"]').fill(COMPANY)
        signals = form.locator("[data-signal]")
        signals.nth(0).check()
        signals.nth(1).check()
        form.locator("[data-criterion]").nth(0).check()

        for template, box, mail in zip(TEMPLATES, ids, mails, strict=True):
            email = _expected(project, template, partner, brief_filled=False)
            subject, body = _text(email, partner)
            assert page.locator(f"#{box}-body").text_content() == body, template
            assert page.locator(f"#{box}-subject").text_content() == subject, template
            if template == "referral-brief":  # warmth and notes still blank
                assert mail.get_attribute("aria-disabled") == "true"
                assert mail.get_attribute("href") is None
                marks = page.locator(f"#{box}-body mark").all_text_contents()
                assert "[Warm, lukewarm or cold]" in marks
                continue
            assert NAME.split()[0] in body and "[" not in body
            assert mail.get_attribute("aria-disabled") is None
            href = mail.get_attribute("href")
            to = "" if template == "ask-permission" else business.contact.email
            assert href == mailto_link(to, subject=subject, body=body, more=more)
            assert len(href) <= 2000
            decoded = _body_of(href)
            assert NAME.split()[0] in decoded
            assert "/clients/" not in decoded and "/p/" not in decoded
            assert page.locator(f"#{box}-body mark").count() == 0

        intro = _text(_expected(project, "introduction", partner, brief_filled=False), partner)[1]
        mentioned = project.profiles[PROFILE].signals[1].lower()
        assert mentioned.split()[-1] in intro  # the introduction names the chosen signals
        assert project.profiles[PROFILE].signals[2] not in intro

        form.locator(f"[data-warmth][value='{WARMTH}']").check()
        form.locator('[data-field="first_call"]').fill(FIRST_CALL)
        brief_subject, brief = _text(
            _expected(project, "referral-brief", partner, brief_filled=True), partner
        )
        assert page.locator(f"#{ids[2]}-body").text_content() == brief
        assert f"How warm: {WARMTH}" in brief and FIRST_CALL in brief
        assert mails[2].get_attribute("aria-disabled") is None
        href = mails[2].get_attribute("href")
        assert href == mailto_link(
            business.contact.email, subject=brief_subject, body=brief, more=more
        )
        assert FIRST_CALL in _body_of(href)

        for box, text in ((ids[1], intro), (ids[2], brief)):
            status = page.locator(f"#{box} .copy-status")
            page.locator(f'button[data-copy="{box}-body"]').click()
            status.filter(has_text="copied").wait_for(timeout=5000)
            assert page.evaluate("navigator.clipboard.readText()") == text
            page.evaluate(
                "document.querySelectorAll('.copy-status').forEach(s => s.textContent = '')"
            )
        form.locator('[data-field="name"]').fill("")  # a blank again: the link is off again
        assert mails[0].get_attribute("aria-disabled") == "true"
        assert errors == []
    finally:
        context.close()


def test_builder_on_a_profile_page(browser: Any, site_url: str, example_build: Path) -> None:
    _run(
        browser,
        f"{site_url}clients/{PROFILE}/",
        example_build,
        "builder",
        ["introduce-ask", "introduce", "introduce-brief"],
        None,
    )


def test_builder_on_a_partner_page(browser: Any, site_url: str, example_build: Path) -> None:
    _run(
        browser,
        f"{site_url}p/{partner_token(TEST_SECRET, PARTNER)}/",
        example_build,
        f"builder-{PROFILE}",
        [
            f"email-ask-permission-{PROFILE}",
            f"email-introduction-{PROFILE}",
            f"email-referral-brief-{PROFILE}",
        ],
        PARTNER,
    )


def test_without_javascript_the_templates_show_their_blanks(browser: Any, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{site_url}clients/{PROFILE}/")
        assert not page.locator("#builder [data-builder-form]").is_visible()
        for box in ("introduce-ask", "introduce", "introduce-brief"):
            body = page.locator(f"#{box}-body")
            assert body.is_visible()
            assert "[Prospect first name]" in body.inner_text()
            assert page.locator(f"#{box}-body mark").count() > 0
            assert page.locator(f"#{box} a[href^='mailto:']").is_visible()
    finally:
        context.close()


HOUSEHOLD_YAML = """\
title: Families hiring help at home for an aging parent
summary: Households about to employ a carer directly.
contact_role: The adult child who is organising care
kind: household
signals:
  - A parent has just come home from hospital
criteria:
  - They will employ the carer themselves, not through an agency
"""


def test_a_household_builder_asks_for_no_company(make_project: Any) -> None:
    root = make_project(**{"content/profiles/caregiving-families.yaml": HOUSEHOLD_YAML})
    site = build_site(root)
    soup = BeautifulSoup(
        (site / "clients" / "caregiving-families" / "index.html").read_text("utf-8"),
        "html.parser",
    )
    builder = soup.select_one("[data-builder]")
    assert builder is not None
    assert builder.select_one('[data-field="name"]') is not None
    assert builder.select_one('[data-field="company"]') is None
    data = builder.select_one("[data-builder-data]")
    assert data is not None and data.string is not None
    drafts = json.loads(data.string)["emails"]
    texts = [v["subject"] + v["text"] for e in drafts for v in e["variants"].values()]
    assert texts and not [t for t in texts if "⟦company⟧" in t or "Company:" in t]
    assert "[Prospect company]" not in builder.get_text()


def test_is_this_a_fit_ticks_the_builder_criteria(browser: Any, site_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(f"{site_url}clients/{PROFILE}/")
        page.locator("#criterion-2").check()
        assert page.locator("#builder [data-criterion]").nth(1).is_checked()
        assert page.locator("#builder [data-criterion]").nth(0).is_checked() is False
        brief = page.locator("#introduce-brief-body").text_content() or ""
        assert "Criteria they meet:\n- " in brief  # no longer "(delete any they don't)"
    finally:
        context.close()


def test_a_long_draft_is_shortened_as_the_server_does(browser: Any, make_project: Any) -> None:
    """The mail link of a filled-in draft too long for a mailto: is cut like mailto.py cuts."""
    hint = "Tell them we have run HR inside plants like theirs. " * 40
    root = make_project(**{f"content/profiles/{PROFILE}.yaml": {"intro_hint": hint}})
    site = build_site(root)
    project = load_project(root)
    business = project.business
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto((site / "clients" / PROFILE / "index.html").as_uri())
        form = page.locator("#builder [data-builder-form]")
        form.locator('[data-field="sender"]').fill(SENDER)
        form.locator('[data-field="name"]').fill(NAME)
        form.locator('[data-field="company"]').fill(COMPANY)
        email = compose_email(
            project,
            paths_for(project),
            "introduction",
            profile=PROFILE,
            prospect=NAME,
            prospect_company=COMPANY,
            today=TODAY,
        )
        subject, body = _text(email, None)
        assert page.locator("#introduce-body").text_content() == body
        full = mailto_link(business.contact.email, subject=subject, body=body, max_length=10**6)
        assert len(full) > 2000  # the case under test
        href = page.locator("#introduce a[data-mail]").get_attribute("href")
        more = f"More about {business.name}: {business.website}"
        assert href == mailto_link(business.contact.email, subject=subject, body=body, more=more)
        assert len(href) <= 2000 and more in _body_of(href)
    finally:
        context.close()
