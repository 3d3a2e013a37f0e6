"""One home for every fact: each test fails on a drift that issue #10 found between copies.

Each builds a real project and reads the outputs as their readers would
(HTML parsed, PDF text through pypdf, emails through the email package).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pypdf
import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import TODAY, parse_eml, pdf_text, replace, straight
from refkit.errors import BuildError, ContentError
from refkit.pipeline import build
from refkit.resources import builtin_templates, example_content

DEFAULT_BRAND = "#1d4e5f"


def _luminance(color: str) -> float:
    """WCAG 2.1 relative luminance, written out here so the test does not trust the code."""
    value = color.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _business(**site_brand: Any) -> str:
    """The example's business.yaml with ``site.brand`` replaced (None deletes a key)."""
    data = yaml.safe_load((example_content() / "business.yaml").read_text(encoding="utf-8"))
    brand = data["site"].setdefault("brand", {})
    for key, value in site_brand.items():
        if value is None:
            brand.pop(key, None)
        else:
            brand[key] = value
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _edited(rel: str, old: str, new: str) -> str:
    text = (example_content() / rel).read_text(encoding="utf-8")
    assert old in text, old
    return text.replace(old, new)


def _flat_pdf(path: Path) -> str:
    """A PDF's text on one line, as a reader would quote it."""
    return " ".join(pdf_text(path).split())


def _css_var(text: str, name: str) -> str:
    match = re.search(rf"--{name}:\s*(#[0-9a-fA-F]{{3,6}})", text)
    assert match, f"--{name} not found"
    return match.group(1).lower()


def _site_css(out: Path) -> str:
    return next((out / "site" / "assets").glob("site.*.css")).read_text(encoding="utf-8")


def _pdf_html(root: Path) -> str:
    """The HTML of the first one-pager job, as the PDF stage renders it."""
    from refkit.content.project import load_project
    from refkit.derive.layout import SitePaths
    from refkit.render.context import RenderContext
    from refkit.render.pdf import plan_jobs

    project = load_project(root)
    ctx = RenderContext(
        project=project,
        paths=SitePaths(project, "s" * 32),
        today=TODAY,
        jobs=1,
        kinds=frozenset({"pdf"}),
    )
    return next(iter(plan_jobs(ctx))).html


def test_one_default_brand_colour_everywhere(make_project) -> None:
    root = make_project({"content/business.yaml": _business(color=None)})
    build(root, today=TODAY, only=["site", "report", "email"], jobs=1)
    out = root / "output"
    assert _css_var(_site_css(out), "brand") == DEFAULT_BRAND  # the site used #1f4e79
    assert _css_var(_pdf_html(root), "brand") == DEFAULT_BRAND
    report = (out / "report" / "index.html").read_text(encoding="utf-8")
    assert _css_var(report, "brand") == DEFAULT_BRAND


@pytest.mark.parametrize("color", ["#ffd400", "#1d4e5f", "#777777", "#3fa7ff"])
def test_text_on_the_brand_colour_reads_at_aa_everywhere(make_project, color: str) -> None:
    root = make_project({"content/business.yaml": _business(color=color)})
    build(root, today=TODAY, only=["site", "report", "email"], jobs=1)
    out = root / "output"
    css = _site_css(out)
    assert _contrast(_css_var(css, "brand"), _css_var(css, "on-brand")) >= 4.5
    html = _pdf_html(root)
    assert _contrast(_css_var(html, "brand"), _css_var(html, "on-brand")) >= 4.5
    # the one-pager's brand-coloured text (headings, step titles, links) is readable on white
    assert _contrast(_css_var(html, "brand-ink"), "#ffffff") >= 4.5
    assert not re.search(r"(?<![-\w])color:\s*var\(--brand\)", html)
    # the report's header sets its text in --on-brand (it was #fff on any colour)
    report = (out / "report" / "index.html").read_text(encoding="utf-8")
    top = re.search(r"\.top \{[^}]*\}", report)
    assert top and "color: var(--on-brand)" in top.group(0)
    assert _contrast(_css_var(report, "brand"), _css_var(report, "on-brand")) >= 4.5
    # links on white: the report's and the emails'
    assert _contrast(_css_var(report, "brand-ink"), "#ffffff") >= 4.5
    mail = (out / "email" / "dana-whitfield" / "check-in.html").read_text(encoding="utf-8")
    colours = re.findall(r"<a [^>]*style=\"[^\"]*color:\s*(#[0-9a-fA-F]{3,6})", mail)
    assert colours, "the check-in email has no styled link"
    assert all(_contrast(c, "#ffffff") >= 4.5 for c in colours), colours


def test_one_first_name_rule(make_project) -> None:
    root = make_project(
        {
            "content/business.yaml": _edited(
                "business.yaml", "  name: Priya Raman", "  name: Dr. Ana Lopez"
            ),
            "content/partners/helen-marsh.yaml": _edited(
                "partners/helen-marsh.yaml", "name: Helen Marsh", "name: Dr. Helen Marsh"
            ),
        }
    )
    build(root, today=TODAY, jobs=1)
    out = root / "output"
    refer = BeautifulSoup((out / "site" / "refer" / "index.html").read_bytes(), "html.parser")
    text = " ".join(refer.get_text(" ").split())
    assert "book a call with Dr. Lopez" in text  # was "Dr."
    # a top customer's one-pager thanks them by name
    assert "Thank you, Dr. Marsh." in _flat_pdf(out / "pdf" / "partners" / "helen-marsh.pdf")
    message = parse_eml(out / "email" / "helen-marsh" / "check-in.eml")
    body = message.get_body(preferencelist=("plain",))
    assert body is not None and body.get_content().startswith("Hi Dr. Marsh,")


def test_one_employee_range_format(make_project) -> None:
    root = make_project(
        {
            "content/profiles/first-hr-hire.yaml": _edited(
                "profiles/first-hr-hire.yaml",
                "employees: {min: 60, max: 400}",
                "employees: {min: 1000, max: 5000}",
            )
        }
    )
    build(root, today=TODAY, only=["site", "pdf"], jobs=1)
    out = root / "output"
    page = BeautifulSoup(
        (out / "site" / "clients" / "first-hr-hire" / "index.html").read_bytes(), "html.parser"
    )
    assert "1,000–5,000 employees" in page.get_text(" ")
    # the one-pager printed 1000–5000
    assert "1,000–5,000" in _flat_pdf(
        out / "pdf" / "clients" / "first-hr-hire.pdf"
    )  # was 1000–5000


def test_strategy_labels_agree_between_page_and_one_pager(make_project) -> None:
    root = make_project()
    build(root, today=TODAY, only=["site", "pdf"], jobs=1)
    out = root / "output"
    page = BeautifulSoup(
        (out / "site" / "partners" / "dana-whitfield" / "index.html").read_bytes(), "html.parser"
    )
    tags = [straight(li.get_text(strip=True)) for li in page.select("ul.tags li")]
    assert "Referrals, both ways" in tags
    assert "Referrals, both ways" in _flat_pdf(out / "pdf" / "partners" / "dana-whitfield.pdf")


def test_the_introduction_steps_have_one_home(make_project) -> None:
    words = (builtin_templates() / "_words.html").read_text(encoding="utf-8")
    changed = words.replace('"title": "Ask first"', '"title": "Ask them kindly first"')
    changed = changed.replace(
        '"meaning": "Co-hosted events for the clients we share"',
        '"meaning": "Evenings we host together for shared clients"',
    )
    assert changed.count("kindly") == 1 and "Evenings we host" in changed
    # the promise itself is content (business.promises), which the shared words state
    root = make_project({"templates/_words.html": changed})
    replace(
        root, "content/business.yaml", "reply_within: one business day", "reply_within: two hours"
    )
    build(root, today=TODAY, only=["site", "pdf", "email"], jobs=1)
    out = root / "output"
    for page in ("index.html", "refer/index.html"):
        soup = BeautifulSoup((out / "site" / page).read_bytes(), "html.parser")
        assert "Ask them kindly first" in straight(soup.get_text(" ")), page
    assert "Ask them kindly first" in _flat_pdf(out / "pdf" / "clients" / "first-hr-hire.pdf")
    proposals = list((out / "email").glob("*/partner-proposal.txt"))
    assert proposals
    assert any("Evenings we host together" in p.read_text() for p in proposals)
    # the promise of how soon we reply, wherever it is made
    refer = BeautifulSoup((out / "site" / "refer" / "index.html").read_bytes(), "html.parser")
    assert "replies to both of you within two hours" in " ".join(refer.get_text(" ").split())
    assert "We reply within two hours" in " ".join(
        _flat_pdf(out / "pdf" / "clients" / "first-hr-hire.pdf").split()
    )
    for name in ("criteria-share", "introduction"):
        text = " ".join((out / "email" / "_generic" / f"{name}.txt").read_text().split())
        assert "within two hours" in text, name
        assert "business day" not in text, name


def test_the_shared_words_cover_the_models_vocabularies() -> None:
    from refkit.content.terms import STATUSES, STRATEGIES
    from refkit.render.templating import make_environment

    words = make_environment(None).globals["words"]
    assert sorted(words.strategy) == sorted(STRATEGIES)
    assert sorted(words.status) == sorted(STATUSES)
    assert all(step["title"] and step["text"] for step in words.intro_steps)


def test_sitemap_robots_and_vcard_come_from_overridable_templates(make_project) -> None:
    robots = (builtin_templates() / "site" / "robots.txt").read_text(encoding="utf-8")
    vcard = (builtin_templates() / "site" / "contact.vcf").read_text(encoding="utf-8")
    root = make_project(
        {
            "templates/site/robots.txt": robots + "Disallow: /drafts/\n",
            "templates/site/contact.vcf": vcard.replace("END:VCARD", "X-TEST:override\nEND:VCARD"),
        }
    )
    build(root, today=TODAY, only=["site"], jobs=1)
    site = root / "output" / "site"
    assert "Disallow: /drafts/" in (site / "robots.txt").read_text()
    card = (site / "contact.vcf").read_bytes()
    assert b"X-TEST:override\r\nEND:VCARD\r\n" in card
    assert "<urlset" in (site / "sitemap.xml").read_text()


def test_static_overrides_reach_the_pdfs_and_the_report(make_project) -> None:
    static = builtin_templates() / "static"
    bold = (static / "fonts" / "Inter-Bold.otf").read_bytes()
    root = make_project(
        {
            # the regular face replaced by the bold one: a PDF that honours the
            # override embeds no regular face (named plain "Inter")
            "templates/static/fonts/Inter-Regular.otf": bold,
            "templates/static/webfonts/inter-regular.woff2": b"not really a font",
        }
    )
    build(root, today=TODAY, only=["pdf", "report"], jobs=1)
    out = root / "output"
    weights = _embedded_weights(out / "pdf" / "clients" / "first-hr-hire.pdf")
    # the face named "Inter" (the regular one) is the project's file: a bold font
    assert weights["Inter"] == 700, weights
    report = (out / "report" / "index.html").read_text(encoding="utf-8")
    assert "bm90IHJlYWxseSBhIGZvbnQ=" in report  # base64 of the project's file


def _embedded_weights(pdf: Path) -> dict[str, int]:
    """The OS/2 weight class of each font embedded in a PDF, by name without subset tag."""
    import io

    from fontTools.ttLib import TTFont

    weights: dict[str, int] = {}
    for page in pypdf.PdfReader(pdf).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            described = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = described["/FontDescriptor"].get_object()
            key = next(k for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor)
            program = TTFont(io.BytesIO(descriptor[key].get_object().get_data()))
            name = str(font["/BaseFont"]).split("+", 1)[-1]
            weights[name] = program["OS/2"].usWeightClass
    return weights


def test_the_scorecard_is_computed_once_per_build(make_project, monkeypatch) -> None:
    from refkit.derive import scorecard

    calls: list[str] = []
    original = scorecard._score

    def counting(project: Any, slug: str, today: Any) -> Any:
        calls.append(slug)
        return original(project, slug, today)

    monkeypatch.setattr(scorecard, "_score", counting)
    root = make_project()
    build(root, today=TODAY, only=["email", "report", "site"], jobs=1)
    partners = len(list((root / "content" / "partners").glob("*.yaml")))
    assert sorted(calls) == sorted(set(calls)) and len(calls) == partners


def test_strict_keeps_each_warnings_kind(make_project) -> None:
    index = (builtin_templates() / "site" / "index.html").read_text(encoding="utf-8")
    external = index.replace(
        "{% endblock %}", '<img src="https://cdn.example.com/x.png" alt="">{% endblock %}', 1
    )
    assert external != index
    root = make_project({"templates/site/index.html": external})
    with pytest.raises(BuildError) as link:
        build(root, today=TODAY, only=["site"], jobs=1, strict=True)
    assert "cdn.example.com" in str(link.value)
    lint = make_project(
        {
            "content/partners/dana-whitfield.yaml": _edited(
                "partners/dana-whitfield.yaml", "refers_back: true", "refers_back: false"
            )
        }
    )
    with pytest.raises(ContentError) as content:
        build(lint, today=TODAY, only=["site"], jobs=1, strict=True)
    assert not isinstance(content.value, BuildError)
    assert "qualifiers.refers_back" in str(content.value)


def test_relative_urls_in_a_one_pager_find_the_projects_static_files(make_project) -> None:
    import io

    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (40, 20), "#c0392b").save(picture, format="PNG")
    template = (builtin_templates() / "pdf" / "profile.html").read_text(encoding="utf-8")
    changed = template.replace("</body>", '<img src="stamp.png" alt="">\n</body>', 1)
    assert changed != template
    root = make_project(
        {"templates/static/stamp.png": picture.getvalue(), "templates/pdf/profile.html": changed}
    )
    report = build(root, today=TODAY, only=["pdf"], jobs=1)
    assert not [w for w in report.warnings if "refused" in w.message], report.warnings
    page = pypdf.PdfReader(root / "output" / "pdf" / "clients" / "first-hr-hire.pdf").pages[0]
    assert [image.image.size for image in page.images] == [(40, 20)]
