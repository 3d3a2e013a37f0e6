"""One-page PDFs: one page always, paper, metadata, tags, fonts, reproducible, safe."""

from __future__ import annotations

import http.server
import io
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from conftest import TODAY, pdf_text, run_refkit
from refkit.pipeline import build
from refkit.render.pdf import balance, engine
from refkit.resources import static_dir

pytestmark = pytest.mark.slow


def text_of(path: Path) -> str:
    return " ".join(PdfReader(path).pages[0].extract_text().split())


def runs_of(path: Path | bytes) -> list[tuple[float, float, float, str]]:
    """(x, y, size, text) of each run of text on the first page, in points from the bottom left."""
    runs: list[tuple[float, float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append((x, y, size * abs(tm[3] * cm[3]), text))

    source = io.BytesIO(path) if isinstance(path, bytes) else path
    PdfReader(source).pages[0].extract_text(visitor_text=visit)
    return runs


def links_of(path: Path) -> list[str]:
    page = PdfReader(path).pages[0]
    return [
        a.get_object()["/A"]["/URI"]
        for a in page.get("/Annots", [])
        if "/A" in a.get_object() and "/URI" in a.get_object()["/A"]
    ]


EXAMPLE_PDFS = (
    "clients/acquisition-integration.pdf",
    "clients/first-hr-hire.pdf",
    "clients/growing-manufacturers.pdf",
    "partners/dana-whitfield.pdf",
    "partners/helen-marsh.pdf",
    "partners/ines-carvalho.pdf",
    "partners/marcus-oyelaran.pdf",
    "partners/raj-patel.pdf",
    "partners/tom-brenner.pdf",
    "partners/zoe-lindqvist.pdf",
)


def test_every_one_pager_is_one_letter_page(example_build: Path) -> None:
    out = example_build / "output"
    pdfs = sorted((out / "pdf").rglob("*.pdf"))
    assert tuple(p.relative_to(out / "pdf").as_posix() for p in pdfs) == EXAMPLE_PDFS
    # retired Gary gets none
    for path in pdfs:
        reader = PdfReader(path)
        assert len(reader.pages) == 1, path
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (612, 792), path
    for slug in ("acquisition-integration", "first-hr-hire", "growing-manufacturers"):
        assert (out / "site" / "downloads" / f"{slug}.pdf").read_bytes() == (
            out / "pdf" / "clients" / f"{slug}.pdf"
        ).read_bytes()


def test_profile_one_pager_content(example_build: Path) -> None:
    path = example_build / "output" / "pdf" / "clients" / "growing-manufacturers.pdf"
    text = text_of(path)
    for expected in (
        "Keel & Compass HR",
        "Owners of manufacturers outgrowing",
        "Owner, CEO or COO",
        "40 to 250 employees, most of them in production",
        "Adding a second shift",
        "Fewer than 25 employees",
        "$8M–$60M",
        "How to introduce us",
        "priya@keelcompasshr.com",
        "+1 (414) 555-0143",
    ):
        assert expected.lower() in text.lower(), expected  # headings are set in capitals
    links = links_of(path)
    assert "https://www.keelcompasshr.com/intro-call" in links
    assert "mailto:priya@keelcompasshr.com" in links
    assert "https://partners.keelcompasshr.com/clients/growing-manufacturers/" in links  # QR


def test_partner_one_pager_content(example_build: Path) -> None:
    text = text_of(example_build / "output" / "pdf" / "partners" / "dana-whitfield.pdf")
    assert "Prepared for Dana Whitfield, Whitfield Employment Law".lower() in text.lower()
    assert "Manufacturers with 50+ employees and no employment counsel on retainer" in text
    assert "We check in every two months" in text
    assert "CFOs integrating an acquisition" in text
    assert "PRIVATE-NOTE" not in text
    customer = text_of(example_build / "output" / "pdf" / "partners" / "zoe-lindqvist.pdf")
    assert "Thank you, Zoë. Here’s who we’d love to meet." in customer


def test_metadata_tags_and_fonts(example_build: Path) -> None:
    reader = PdfReader(example_build / "output" / "pdf" / "partners" / "ines-carvalho.pdf")
    assert (
        reader.metadata.title
        == "Prepared for Inês Carvalho, Carvalho & Reyes CPAs · Keel & Compass HR"
    )
    assert reader.metadata.author == "Keel & Compass HR"
    assert reader.metadata["/Subject"]
    assert "referral partnership" in reader.metadata["/Keywords"]
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-US"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = {str(f.get_object()["/BaseFont"]) for f in fonts.values()}
    assert names and all("Inter" in name for name in names), names


def test_a4_paper(make_project) -> None:
    root = make_project()
    business = root / "content" / "business.yaml"
    business.write_text(business.read_text().replace("paper: letter", "paper: a4"))
    build(root, only=["pdf"], today=TODAY, jobs=1)
    box = PdfReader(root / "output" / "pdf" / "clients" / "first-hr-hire.pdf").pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_reproducible_and_independent_of_jobs(make_project) -> None:
    first, second = make_project(), make_project()
    build(first, only=["pdf"], today=TODAY, jobs=1)
    build(second, only=["pdf"], today=TODAY, jobs=2)
    for path in sorted((first / "output" / "pdf").rglob("*.pdf")):
        twin = second / "output" / "pdf" / path.relative_to(first / "output" / "pdf")
        assert path.read_bytes() == twin.read_bytes(), path


def test_long_profile_fits_or_fails_clearly(make_project) -> None:
    root = make_project()
    for slug in ("first-hr-hire", "acquisition-integration"):
        path = root / "content" / "profiles" / f"{slug}.yaml"
        data = yaml.safe_load(path.read_text())
        data["criteria"] = [
            f"Criterion {i}: a long sentence describing one more thing a qualified referral "
            "should have before anyone makes an introduction"
            for i in range(90)
        ]
        path.write_text(yaml.safe_dump(data, sort_keys=False))
    result = run_refkit("build", "-p", root, "--only", "pdf")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    # every one-pager that does not fit is reported in the same run
    for slug in ("first-hr-hire", "acquisition-integration"):
        assert any(
            line.startswith(
                f"content/profiles/{slug}.yaml: error: the one-pager "
                f"(pdf/clients/{slug}.pdf) does not fit on one page"
            )
            and "% too long; shorten the lists in this file" in line
            for line in lines
        ), lines
    # a partner's one-pager shows the first few criteria of each profile: helen-marsh's
    # (first-hr-hire only) fits, shortened, and is no error
    assert not [line for line in lines if "helen-marsh" in line], lines
    assert not (root / "output").exists()


def test_slightly_long_profile_is_tightened_onto_one_page(make_project) -> None:
    root = make_project()
    path = root / "content" / "profiles" / "first-hr-hire.yaml"
    data = yaml.safe_load(path.read_text())
    data["criteria"] = data["criteria"] + [
        f"Another reasonable criterion number {i}" for i in range(8)
    ]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    build(root, only=["pdf"], today=TODAY, jobs=1)
    reader = PdfReader(root / "output" / "pdf" / "clients" / "first-hr-hire.pdf")
    assert len(reader.pages) == 1
    assert "Another reasonable criterion number 7" in text_of(
        root / "output" / "pdf" / "clients" / "first-hr-hire.pdf"
    )


def test_nothing_is_fetched_from_outside(make_project) -> None:
    requests: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    try:
        template = (
            "<!doctype html><html lang='en'><head><title>x</title>"
            "<style>:root { --scale: 1; }</style>"
            f"<link rel='stylesheet' href='http://127.0.0.1:{port}/style.css'></head><body>"
            f"<p>{{{{ profile.title }}}}</p><img src='http://127.0.0.1:{port}/pixel.png'>"
            "<img src='file:///etc/hostname'><img src='../../../../etc/passwd'></body></html>"
        )
        root = make_project(**{"templates/pdf/profile.html": template})
        result = run_refkit("build", "-p", root, "--only", "pdf")
        assert result.returncode == 0, result.stderr
    finally:
        server.shutdown()
    assert requests == []
    assert "refused to load http://127.0.0.1:" in result.stderr
    assert "refused to load file:///etc/hostname" in result.stderr
    # once each, at the template that names the URL, not once per one-pager
    lines = result.stderr.splitlines()
    assert (
        sum(line.startswith("templates/pdf/profile.html: warning: refused") for line in lines) == 3
    ), result.stderr
    assert not any(line.startswith("content/partners/") for line in lines), result.stderr
    hostname = Path("/etc/hostname").read_text().strip()
    pdf = root / "output" / "pdf" / "clients" / "first-hr-hire.pdf"
    assert len(PdfReader(pdf).pages[0].images) == 0
    if hostname:
        assert hostname not in PdfReader(pdf).pages[0].extract_text()


def test_pngs_for_people_to_look_at(example_build: Path, artifacts: Path) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils is not installed")
    for rel in (
        "clients/growing-manufacturers.pdf",
        "partners/helen-marsh.pdf",
        "partners/zoe-lindqvist.pdf",
    ):
        target = artifacts / ("pdf-" + rel.replace("/", "-").removesuffix(".pdf"))
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "80",
                "-png",
                "-singlefile",
                str(example_build / "output" / "pdf" / rel),
                str(target),
            ],
            check=True,
        )
        assert target.with_suffix(".png").stat().st_size > 10_000


def test_partner_serving_many_profiles_still_fits(make_project) -> None:
    extra = {}
    for i in range(8):
        extra[f"content/profiles/extra-{i}.yaml"] = (
            f"title: Extra profile number {i} with a reasonably long title\n"
            "summary: Someone.\ncontact_role: Chief Financial Officer or Controller\n"
            "criteria:\n"
            + "".join(f"  - A fairly long criterion sentence number {j}\n" for j in range(6))
        )
    root = make_project(**extra)
    partner = root / "content" / "partners" / "dana-whitfield.yaml"
    data = yaml.safe_load(partner.read_text())
    data["serves"] = [f"extra-{i}" for i in range(8)] + ["growing-manufacturers"]
    partner.write_text(yaml.safe_dump(data, sort_keys=False))
    build(root, only=["pdf"], today=TODAY, jobs=2)
    reader = PdfReader(root / "output" / "pdf" / "partners" / "dana-whitfield.pdf")
    assert len(reader.pages) == 1
    assert "Extra profile number 7" in reader.pages[0].extract_text()


# --- the page is used well, and nothing comes near its edge -----------------------------


@pytest.mark.parametrize("rel", EXAMPLE_PDFS)
def test_text_stays_clear_of_the_bottom_edge_and_aligned(example_build: Path, rel: str) -> None:
    runs = runs_of(example_build / "output" / "pdf" / rel)
    # the lowest baseline, less a descender, at least 0.3 in above the bottom edge
    lowest = min(y - 0.25 * size for _, y, size, _ in runs)
    assert lowest >= 0.3 * 72, (rel, lowest)
    # the page is used: the footer is in the bottom fifth, so no big empty foot
    assert lowest <= 792 / 5, (rel, lowest)
    # the footer's text starts where the body's headings do
    body_left = min(x for x, y, _, _ in runs if y < 792 - 250)
    contact = next(x for x, _, _, text in runs if text.startswith("Priya Raman"))
    assert contact == pytest.approx(body_left, abs=0.5), rel
    assert min(size for *_, size, _ in runs) >= 6.5, rel  # the smallest text is readable


def test_qr_caption_is_two_short_lines(example_build: Path) -> None:
    runs = runs_of(example_build / "output" / "pdf" / "clients" / "growing-manufacturers.pdf")
    texts = [(y, " ".join(t.split())) for _, y, _, t in runs]
    caption = [(y, t) for y, t in texts if "Scan" in t or "profile online" in t]
    assert [text for _, text in sorted(caption, reverse=True)] == [
        "Scan for the",
        "full profile online",
    ]


def test_profile_one_pager_has_needs_example_and_hint(example_build: Path) -> None:
    clients = example_build / "output" / "pdf" / "clients"
    text = text_of(clients / "first-hr-hire.pdf")
    for expected in (
        "What they need",
        "A mentor for the HR manager, two hours a week",
        "A recent example",
        "A 220-person controls-engineering firm",
        "In a sentence",
        "“Tell them we coach first-time HR managers",
    ):
        assert expected.lower() in text.lower(), expected
    assert "what to tell them about us" not in text.lower()
    # no locations in the profile: the business's service area says where
    acquisition = text_of(clients / "acquisition-integration.pdf")
    assert "WHERE Wisconsin, Northern Illinois and remote across the Great Lakes" in acquisition


def test_partner_one_pagers_fit_the_relationship(example_build: Path) -> None:
    partners = example_build / "output" / "pdf" / "partners"
    tagline = "Fractional HR leadership for manufacturers and engineering firms"
    dana = text_of(partners / "dana-whitfield.pdf")
    assert tagline in dana
    assert "our side of the agreement" in dana
    assert "What we don’t do".lower() in dana.lower()
    prospect = text_of(partners / "tom-brenner.pdf")
    assert tagline in prospect
    assert "A proposal" in prospect and "agreement" not in prospect
    assert "whom we could send you" in prospect
    assert "We would check in monthly" in prospect
    customer = text_of(partners / "zoe-lindqvist.pdf")
    assert "What we do".lower() in customer.lower()
    assert "Fractional HR Director" in customer
    assert "don’t do" not in customer.lower()
    # one profile served: its signals, all its criteria and the sentence to say
    assert "Adding a second shift or a second plant" in customer
    assert "Willing to invest at least two days a month for six months" in customer
    assert "In a sentence".lower() in customer.lower()
    assert "We check in quarterly" in text_of(partners / "marcus-oyelaran.pdf")
    assert "We check in twice a year" in text_of(partners / "helen-marsh.pdf")
    assert "We check in every six weeks" in text_of(partners / "ines-carvalho.pdf")


@pytest.mark.parametrize("rel", EXAMPLE_PDFS)
def test_typography(example_build: Path, rel: str) -> None:
    path = example_build / "output" / "pdf" / rel
    text = PdfReader(path).pages[0].extract_text()
    assert "'" not in text and '"' not in text, rel
    assert "'" not in PdfReader(path).metadata.title
    # the title's last line holds two words or more
    runs = runs_of(path)
    biggest = max(size for *_, size, _ in runs)
    title = [(y, t) for _, y, size, t in runs if size == biggest]
    last = min(y for y, _ in title)
    assert len(" ".join(t for y, t in title if y == last).split()) >= 2, rel


def test_typography_in_the_example(example_build: Path) -> None:
    clients = example_build / "output" / "pdf" / "clients"
    text = text_of(clients / "growing-manufacturers.pdf")
    assert "“also does HR”" in text
    assert "40–250" in text and "$8M–$60M" in text
    title = PdfReader(clients / "growing-manufacturers.pdf").metadata.title
    assert title.startswith("Who we’re looking for: ")


# --- the pieces, as pure functions ------------------------------------------------------


def test_balance_columns_keeps_order_and_evens_heights() -> None:
    def block(name: str, items: int) -> str:
        return f"<section><h2>{name}</h2><ul>" + "<li>item</li>" * items + "</ul></section>"

    blocks = [block("a", 8), block("b", 2), block("c", 2), block("d", 4), block("", 0)[:0]]
    left, right = balance.balance_columns(blocks)
    assert left[0] == blocks[0]  # the first block heads the first column
    assert [b for b in blocks[:4] if b in left] == left  # each column keeps the order
    assert [b for b in blocks[:4] if b in right] == right
    assert len(left) + len(right) == 4  # empty blocks are dropped
    height = sum(map(balance.estimate_lines, left)), sum(map(balance.estimate_lines, right))
    assert abs(height[0] - height[1]) <= balance.estimate_lines(block("x", 2))
    assert balance.balance_columns([]) == ([], [])


@given(
    profiles=st.lists(st.integers(1, 12), min_size=2, max_size=7),
    others=st.lists(st.integers(1, 12), min_size=1, max_size=4),
)
@settings(max_examples=60, deadline=None)
def test_a_partners_profiles_are_read_one_after_another(
    profiles: list[int], others: list[int]
) -> None:
    """No other section between two profiles, reading down the left column, then the right."""

    def block(kind: str, i: int, items: int) -> str:
        head = '<section class="profile">' if kind == "p" else "<section>"
        return f"{head}<h3>{kind}{i}</h3><ul>" + "<li>item</li>" * items + "</ul></section>"

    blocks = [block("p", i, n) for i, n in enumerate(profiles)]
    blocks += [block("o", i, n) for i, n in enumerate(others)]
    left, right = balance.balance_columns(blocks)
    kinds = ["p" if 'class="profile"' in b else "o" for b in left + right]
    first, last = kinds.index("p"), len(kinds) - kinds[::-1].index("p")
    assert kinds[first:last] == ["p"] * len(profiles), kinds


def job_of(html: str) -> engine.PdfJob:
    return engine.PdfJob(
        paths=("pdf/test.pdf",),
        html=html,
        source="content/test.yaml",
        allowed=(str(static_dir()),),
        base_url=static_dir().as_uri() + "/",
    )


def page_of(body: str, page_css: str = "@page { size: letter; margin: 0 0 0.5in; }") -> str:
    return (
        f"<!doctype html><html lang='en'><head><title>t</title><style>{page_css}"
        "html { font-size: calc(10pt * var(--scale)); } body { margin: 0; }"
        "footer { margin-top: var(--fill); }</style>"
        f"<style>:root {{ --scale: 1; --fill: 0px; }}</style></head><body>{body}</body></html>"
    )


def test_a_sparse_page_is_set_larger_and_filled() -> None:
    result = engine.render_pdf(job_of(page_of("<main><p>Short.</p></main><footer>Foot</footer>")))
    assert result.data is not None
    assert result.scale == engine.CEILING
    foot = next(y for _, y, _, text in runs_of(result.data) if text.strip() == "Foot")
    assert 0.5 * 72 < foot < 0.5 * 72 + 20  # --fill put the footer at the foot of the page


def test_a_long_page_is_set_smaller() -> None:
    lines = "".join(f"<p>Line {i}</p>" for i in range(35))
    result = engine.render_pdf(job_of(page_of(f"<main>{lines}</main><footer>Foot</footer>")))
    assert result.data is not None
    assert engine.FLOOR < result.scale < 1
    assert len(PdfReader(io.BytesIO(result.data)).pages) == 1
    assert result.layouts <= engine.MAX_LAYOUTS


def test_text_in_a_dropped_bottom_margin_is_caught(make_project) -> None:
    # as in the old theme: no page margin, and the footer pushed down to the bottom edge
    body = (
        "<main><p>{{ profile.title }}</p></main>"
        "<footer style='margin-bottom: 0.5rem'>{{ contact.email }}</footer>"
    )
    css = "@page { size: letter; margin: 0; } body { min-height: 100vh; display: flex; "
    css += "flex-direction: column; } main { flex: 1 0 auto; }"
    result = engine.render_pdf(job_of(page_of(body.replace("{{ profile.title }}", "x"), css)))
    assert result.data is None and result.too_low
    root = make_project(**{"templates/pdf/profile.html": page_of(body, css)})
    result = run_refkit("build", "-p", root, "--only", "pdf")
    assert result.returncode == 1
    assert result.stderr.startswith("content/profiles/")
    assert ".pdf) puts text within 0.3 in of the bottom edge of the page" in result.stderr


def test_a_partner_serving_many_profiles_still_gets_their_criteria(make_project) -> None:
    root = make_project()
    profiles = root / "content" / "profiles"
    base = yaml.safe_load((profiles / "growing-manufacturers.yaml").read_text())
    for i in range(5):
        extra = {**base, "title": f"Extra profile {i}", "criteria": [f"Extra criterion {i}"]}
        extra.pop("order", None)
        (profiles / f"extra-{i}.yaml").write_text(yaml.safe_dump(extra, sort_keys=False))
    dana = root / "content" / "partners" / "dana-whitfield.yaml"
    data = yaml.safe_load(dana.read_text())
    data["serves"] = sorted(p.stem for p in profiles.glob("*.yaml"))  # all eight
    dana.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    build(root, only=["pdf"], today=TODAY)
    pdf = root / "output" / "pdf" / "partners" / "dana-whitfield.pdf"
    assert len(PdfReader(pdf).pages) == 1
    text = text_of(pdf)
    for i in range(5):
        assert f"Extra profile {i}" in text and f"Extra criterion {i}" in text, text


def air_page(sections: int) -> str:
    """A page of short sections that put ``--air`` below them, and a footer."""
    body = "".join(f"<section><p>Section {i}</p></section>" for i in range(sections))
    return (
        "<!doctype html><html lang='en'><head><title>t</title><style>"
        "@page { size: letter; margin: 0 0 0.5in; }"
        "html { font-size: calc(10pt * var(--scale)); } body { margin: 0; }"
        "section { padding-bottom: var(--air); } p { margin: 0; }</style>"
        "<style>:root { --scale: 1; --air: 0px; }</style></head>"
        f"<body>{body}<footer>Foot</footer></body></html>"
    )


def test_the_room_left_on_a_sparse_page_is_shared_between_its_gaps() -> None:
    result = engine.render_pdf(job_of(air_page(20)))
    assert result.data is not None and result.scale == engine.CEILING
    runs = {text.strip(): y for _, y, _, text in runs_of(result.data) if text.strip()}
    tops = [runs[f"Section {i}"] for i in range(20)] + [runs["Foot"]]
    gaps = [a - b for a, b in zip(tops, tops[1:], strict=False)]
    assert max(gaps) - min(gaps) < 1  # every gap got the same air
    assert runs["Foot"] < 0.5 * 72 + 30  # and the footer sits near the foot of the page


def test_air_is_never_more_than_its_maximum() -> None:
    result = engine.render_pdf(job_of(air_page(2)))
    assert result.data is not None
    runs = {text.strip(): y for _, y, _, text in runs_of(result.data) if text.strip()}
    gap = runs["Section 0"] - runs["Section 1"]
    line = 10 * engine.CEILING * 1.2
    assert gap < line + engine.MAX_AIR * 72 / 96 + 1


def test_a_partner_page_too_long_shows_the_first_items_of_each_list_and_says_so(
    make_project,
) -> None:
    """A partner's one-pager is made from the profiles it serves, whose whole lists
    are on the site: rather than fail, it shows the first few items of each list."""
    wanted = [f"Owners of a family firm planning its succession, case {i}" for i in range(1, 9)]
    root = make_project({"content/partners/tom-brenner.yaml": {"their_ideal_clients": wanted}})
    report = build(root, only=["pdf"], today=TODAY, jobs=1)
    pdf = root / "output" / "pdf" / "partners" / "tom-brenner.pdf"
    assert len(PdfReader(pdf).pages) == 1
    text = " ".join(pdf_text(pdf).split())
    assert all(case in text for case in wanted[:3]) and wanted[3] not in text
    shortened = [str(w) for w in report.warnings if "fits on one page only" in str(w)]
    (warning,) = shortened  # the other one-pagers fit as written, and show everything
    assert warning.startswith(
        "content/partners/tom-brenner.yaml: warning: the one-pager (pdf/partners/tom-brenner.pdf)"
        " fits on one page only when it shows the first items of each long list"
    )
    helen = " ".join(pdf_text(root / "output" / "pdf" / "partners" / "helen-marsh.pdf").split())
    assert "Merger and acquisition people integration" in helen  # her fourth "What we do"


def test_a_partner_we_send_no_one_in_particular_gets_the_one_way_headline(make_project) -> None:
    root = make_project({"content/partners/dana-whitfield.yaml": {"their_ideal_clients": None}})
    build(root, only=["pdf"], today=TODAY, jobs=1)
    dana = text_of(root / "output" / "pdf" / "partners" / "dana-whitfield.pdf")
    assert "Who we’re looking for" in dana
    assert "send you" not in dana.lower()  # no promise the page does not keep
