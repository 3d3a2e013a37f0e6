"""The site, the report and the emails in real headless Chromium: clean loads, phones, axe.

One browser for the session (the ``browser`` fixture, which fails in CI when
Chromium is missing); the example site is served over loopback so that
requests, console errors and the clipboard behave as they do for a visitor.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from conftest import TEST_SECRET, TODAY, paths_for, serve_folder
from refkit.content.project import load_project
from refkit.derive.layout import partner_token
from refkit.pipeline import build
from refkit.render.messages.compose import compose_email

pytestmark = pytest.mark.browser

PROFILE = "growing-manufacturers"
PRIVATE_PARTNER = "ines-carvalho"


@pytest.fixture(scope="module")
def site_url(example_build: Path) -> Iterator[str]:
    """The example site served on 127.0.0.1 (a free port) for the module."""
    with serve_folder(example_build / "output" / "site") as url:
        yield url


@pytest.fixture(scope="module")
def pages(example_build: Path) -> list[str]:
    """Every HTML page of the site, as URL paths ('' for home)."""
    site = example_build / "output" / "site"
    out = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        out.append(rel.removesuffix("index.html"))
    return out


def partner_path(slug: str) -> str:
    return f"p/{partner_token(TEST_SECRET, slug)}/"


class Watch:
    """Console errors, page errors, failed and non-loopback requests of one page."""

    def __init__(self, page: Any, origin: str) -> None:
        self.problems: list[str] = []
        host = urlsplit(origin).netloc
        page.on(
            "console",
            lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"),
        )
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on(
            "requestfailed",
            lambda r: self.problems.append(f"failed: {r.url} {r.failure}"),
        )

        def on_request(request: Any) -> None:
            parts = urlsplit(request.url)
            if parts.scheme in ("data", "blob"):
                return
            if parts.netloc != host:
                self.problems.append(f"external request: {request.url}")

        def on_response(response: Any) -> None:
            if response.status >= 400 and not response.url.endswith("/404.html"):
                self.problems.append(f"HTTP {response.status}: {response.url}")

        page.on("request", on_request)
        page.on("response", on_response)


def test_every_page_loads_cleanly_and_passes_axe(
    browser: Any, site_url: str, pages: list[str]
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watch = Watch(page, site_url)
    failures: list[str] = []
    try:
        for path in pages:
            page.goto(site_url + path, wait_until="load")
            page.wait_for_load_state("networkidle")
            results = axe.run(page)
            for violation in results.response["violations"]:
                nodes = ", ".join(n["target"][0] for n in violation["nodes"][:3])
                failures.append(f"/{path}: axe {violation['id']}: {violation['help']} ({nodes})")
            failures += [f"/{path}: {p}" for p in watch.problems]
            watch.problems.clear()
    finally:
        context.close()
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("width", [360, 375])
def test_nothing_overflows_on_phones(
    browser: Any, site_url: str, pages: list[str], width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 780}, is_mobile=True)
    page = context.new_page()
    wide = []
    try:
        for path in pages:
            page.goto(site_url + path, wait_until="load")
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                culprits = page.evaluate(
                    """(width) => [...document.querySelectorAll('body *')]
                        .filter(e => e.getBoundingClientRect().right > width + 0.5)
                        .slice(0, 3).map(e => e.tagName + '.' + e.className)""",
                    width,
                )
                wide.append(f"/{path}: {scroll}px wide ({culprits})")
    finally:
        context.close()
    assert not wide, "\n".join(wide)


def test_copy_button_puts_the_email_on_the_clipboard(
    browser: Any, site_url: str, example_build: Path
) -> None:
    project = load_project(example_build)
    email = compose_email(project, paths_for(project), "introduction", profile=PROFILE)
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.goto(f"{site_url}clients/{PROFILE}/")
        button = page.locator('button[data-copy="introduce-body"]')
        assert button.is_visible()
        button.click()
        page.wait_for_function("document.querySelector('#introduce .copy-status').textContent")
        assert page.evaluate("navigator.clipboard.readText()") == email.unwrapped
        assert "copied" in page.locator("#introduce .copy-status").inner_text().lower()
        page.locator('button[data-copy="introduce-subject"]').click()
        page.wait_for_function(
            "(s) => navigator.clipboard.readText().then(t => t === s)", arg=email.subject
        )
    finally:
        context.close()


def test_without_javascript_the_email_is_still_there(browser: Any, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{site_url}clients/{PROFILE}/")
        assert page.locator("#introduce-body").is_visible()
        assert page.locator("#introduce-body").inner_text().strip()
        assert not page.locator('button[data-copy="introduce-body"]').is_visible()
        assert page.locator("#introduce a[href^='mailto:']").is_visible()
    finally:
        context.close()


def test_fit_checklist_gives_a_verdict(browser: Any, site_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(f"{site_url}clients/{PROFILE}/")
        verdict = page.locator("[data-fit-verdict]")
        criteria = page.locator("[data-fit-criterion]")
        for i in range(criteria.count()):
            criteria.nth(i).check()
        assert "strong fit" in verdict.inner_text()
        page.locator("[data-fit-disqualifier]").first.check()
        assert "not a fit" in verdict.inner_text()
    finally:
        context.close()


def test_skip_link_and_visible_focus(browser: Any, site_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(site_url)
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const e = document.activeElement, s = getComputedStyle(e);
                       const r = e.getBoundingClientRect();
                       return {href: e.getAttribute('href'), top: r.top,
                               outline: s.outlineStyle}; }"""
        )
        assert focused["href"] == "#main" and focused["top"] >= 0
        assert focused["outline"] != "none"
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")  # the first link inside main
        assert page.evaluate("document.activeElement.closest('main') !== null")
    finally:
        context.close()


def test_print_stylesheet(browser: Any, site_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(f"{site_url}clients/{PROFILE}/")
        page.emulate_media(media="print")
        assert not page.locator(".site-nav").is_visible()
        assert not page.locator("#introduce .actions").is_visible()
        assert page.locator("#introduce-body").is_visible()
    finally:
        context.close()


def _pseudo(page: Any, selector: str, pseudo: str, prop: str) -> str:
    return str(
        page.evaluate(
            "([s, p, q]) => getComputedStyle(document.querySelector(s), p).getPropertyValue(q)",
            [selector, pseudo, prop],
        )
    )


def test_print_shows_what_paper_can_use(browser: Any, site_url: str, example_build: Path) -> None:
    booking = load_project(example_build).business.contact.booking_url
    # the width of a Letter page's text block: a phone layout there would be one column
    context = browser.new_context(viewport={"width": 720, "height": 900})
    page = context.new_page()
    try:
        page.goto(site_url)
        page.emulate_media(media="print")
        # the booking link as text with its address; controls that need a screen, gone
        link = page.locator(".hero a.booking")
        assert link.is_visible()
        assert booking in _pseudo(page, ".hero a.booking", "::after", "content")
        assert page.locator("a[href$='contact.vcf']").evaluate_all(
            "links => links.every(a => !a.checkVisibility())"
        )
        assert not page.locator("a.button:not(.booking)").first.is_visible()
        assert page.evaluate(
            "getComputedStyle(document.querySelector('.hero-card')).boxShadow"
        ) == ("none")
        # the desktop layout: the four services two to a row
        lefts = page.evaluate(
            "[...document.querySelector('#services').closest('section')"
            ".querySelector('.grid').children].map(c => Math.round(c.getBoundingClientRect().left))"
        )
        assert len(lefts) == 4 and len(set(lefts)) == 2, lefts
        assert page.evaluate(
            "getComputedStyle(document.querySelector('.section-head')).breakInside"
        ) == ("avoid")
    finally:
        context.close()


@pytest.mark.parametrize(("path", "most"), [("", 5), (f"clients/{PROFILE}/", 4)])
def test_printed_pages_are_few_and_keep_labels_with_headings(
    browser: Any, site_url: str, path: str, most: int
) -> None:
    import io

    from pypdf import PdfReader

    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(site_url + path, wait_until="load")
        page.evaluate("document.fonts.ready")
        heads = page.evaluate(
            """[...document.querySelectorAll('main .section-head')].map(h => [
                 h.querySelector('.eyebrow') ? h.querySelector('.eyebrow').innerText : '',
                 h.querySelector('h2').innerText])"""
        )
        reader = PdfReader(io.BytesIO(page.pdf(format="Letter")))
    finally:
        context.close()
    assert len(reader.pages) <= most
    texts = [" ".join(p.extract_text().split()) for p in reader.pages]
    for eyebrow, heading in heads:
        heading = " ".join(heading.split())
        eyebrow = " ".join(eyebrow.split())  # its last words may be kept together
        together = any(eyebrow in text and heading in text for text in texts)
        assert together, f"/{path}: '{eyebrow}' and '{heading}' printed on different pages"


def test_site_works_from_file_urls(browser: Any, example_build: Path) -> None:
    site = example_build / "output" / "site"
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("requestfailed", lambda r: errors.append(r.url))
    try:
        page.goto((site / "index.html").as_uri())
        page.locator(".site-nav a", has_text="How to refer us").click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/refer/index.html")
        assert "How to refer" in page.locator("h1").inner_text()
        page.locator(".card h3 a").first.click()
        page.wait_for_load_state("load")
        assert "/clients/" in page.url and page.url.endswith("/index.html")
        assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("Inter")
    finally:
        context.close()
    assert not errors


def test_not_found_page_looks_like_the_site_at_any_depth(
    browser: Any, site_url: str, example_build: Path
) -> None:
    html = (example_build / "output" / "site" / "404.html").read_text(encoding="utf-8")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watch = Watch(page, site_url)
    deep = f"{site_url}some/old/deep/link/"
    page.route(deep, lambda route: route.fulfill(status=404, body=html, content_type="text/html"))
    try:
        page.goto(deep, wait_until="load")
        page.evaluate("document.fonts.ready")
        assert page.evaluate("document.fonts.check('700 16px Inter')")
        assert page.evaluate(
            "[...document.fonts].some(f => f.family.includes('Inter') && f.status === 'loaded')"
        )
        assert page.evaluate("document.querySelector('.brand-logo').naturalWidth") > 0
        assert page.locator(".site-nav").is_visible()
        header = page.evaluate("getComputedStyle(document.querySelector('.page-head')).paddingTop")
        assert header != "0px"  # the site's stylesheet applies
    finally:
        context.close()
    # the page's own 404 status is expected; nothing else may fail or leave the site
    assert not [p for p in watch.problems if "404" not in p], watch.problems


def test_phone_layout_of_a_profile(browser: Any, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(f"{site_url}clients/{PROFILE}/")
        # lists of industries and locations take the whole row, not half of it
        widths = page.evaluate(
            """() => { const facts = [...document.querySelectorAll('dl.facts')].pop();
                       return [facts.getBoundingClientRect().width,
                               ...[...facts.querySelectorAll('.fact-list')]
                                 .map(f => f.getBoundingClientRect().width)]; }"""
        )
        assert len(widths) == 3 and all(abs(w - widths[0]) < 1 for w in widths[1:]), widths
        # a breadcrumb separator ends a line, never starts one
        assert _pseudo(page, ".breadcrumbs li", "::after", "content") == '"/"'
        assert _pseudo(page, ".breadcrumbs li:last-child", "::after", "content") == "none"
        assert _pseudo(page, ".breadcrumbs li + li", "::before", "content") == "none"
    finally:
        context.close()


def test_screenshots(browser: Any, site_url: str, artifacts: Path) -> None:
    """Home, a profile and a partner page at desktop and phone width, for people to look at."""
    shots = {
        "home": "",
        "profile": f"clients/{PROFILE}/",
        "partner": partner_path(PRIVATE_PARTNER),
        "partner-public": "partners/dana-whitfield/",
        "refer": "refer/",
    }
    for device, viewport in (("desktop", (1280, 900)), ("phone", (375, 812))):
        context = browser.new_context(
            viewport={"width": viewport[0], "height": viewport[1]},
            device_scale_factor=1,
            is_mobile=device == "phone",
        )
        page = context.new_page()
        try:
            for name, path in shots.items():
                page.goto(site_url + path, wait_until="load")
                page.evaluate("document.fonts.ready")
                target = artifacts / f"site-{name}-{device}.png"
                page.screenshot(path=str(target), full_page=True)
                assert target.stat().st_size > 10_000
        finally:
            context.close()


# --------------------------------------------------------------------------- the report


def test_report_in_chromium(browser: Any, artifacts: Path, example_build: Path) -> None:
    from axe_playwright_python.sync_playwright import Axe

    report = example_build / "output" / "report" / "index.html"
    problems: list[str] = []
    for name, width in (("report", 1280), ("report-phone", 375)):
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.on(
            "console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None
        )
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
        page.on(
            "request",
            lambda r: problems.append(f"request: {r.url}") if r.url != report.as_uri() else None,
        )
        page.goto(report.as_uri(), wait_until="load")
        page.evaluate("document.fonts.ready")
        assert page.locator("h1").inner_text() == "Partner report"
        assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("Inter")
        assert page.evaluate("[...document.fonts].some(f => f.status === 'loaded')")
        assert page.locator("svg.chart > rect").count() == 24
        assert page.locator("table.scores tbody tr").count() == 7
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name}: the page scrolls sideways by {overflow}px"
        # the chart's labels stay readable: on a phone it scrolls in its box instead
        scale = page.evaluate(
            "(() => { const s = document.querySelector('svg.chart');"
            " return s.getBoundingClientRect().width / s.viewBox.baseVal.width; })()"
        )
        assert 12 * scale >= 9.5, f"{name}: chart text is {12 * scale:.1f}px"
        tiles = page.evaluate(
            "[...document.querySelectorAll('.kpi')].map(k => k.getBoundingClientRect().width)"
        )
        row = page.evaluate("document.querySelector('.kpis').getBoundingClientRect().width")
        assert abs(tiles[-1] - row) < 1 if width < 900 else tiles[-1] < row / 2, tiles
        if width < 720:  # each partner a card of labelled figures: nothing scrolls sideways
            table = page.evaluate(
                "document.querySelector('table.scores').scrollWidth"
                " <= document.querySelector('section.scorecard').clientWidth"
            )
            assert table
            label = page.evaluate(
                "getComputedStyle(document.querySelector('.scores td.num'), '::before').content"
            )
            assert label == '"Fit"' or label == '"Received"', label
        page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
        if name == "report":
            violations = Axe().run(page).response["violations"]
            problems.extend(f"axe {v['id']}: {v['help']}" for v in violations)
            page.emulate_media(media="print")
            page.pdf(path=str(artifacts / "report-print.pdf"), format="Letter")
        page.close()
    assert problems == []


# --------------------------------------------------------------------------- emails


def test_email_html_fits_a_phone(make_project, browser) -> None:
    """At 375 px nothing scrolls sideways, however long a URL is."""
    # no hyphen or space anywhere a browser could break the line at
    long_url = "https://www.keelcompasshr.com/intro?source=" + "partnerreferral" * 10
    root = make_project(**{"content/business.yaml": {"website": long_url}})
    build(root, only=["email"], today=TODAY)
    page = browser.new_page(viewport={"width": 375, "height": 800})
    try:
        for name in ("introduction", "criteria-share", "check-in"):
            html = (root / "output" / "email" / "dana-whitfield" / f"{name}.html").read_text()
            page.set_content(html)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 375, (name, width)
    finally:
        page.close()
