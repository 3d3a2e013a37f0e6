"""One-page PDFs: one page always, paper, metadata, tags, fonts, reproducible, safe."""

from __future__ import annotations

import http.server
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from conftest import TODAY, run_refkit
from refkit.build import build

pytestmark = pytest.mark.slow


def text_of(path: Path) -> str:
    return " ".join(PdfReader(path).pages[0].extract_text().split())


def links_of(path: Path) -> list[str]:
    page = PdfReader(path).pages[0]
    return [
        a.get_object()["/A"]["/URI"]
        for a in page.get("/Annots", [])
        if "/A" in a.get_object() and "/URI" in a.get_object()["/A"]
    ]


def test_every_one_pager_is_one_letter_page(example_build: Path) -> None:
    out = example_build / "output"
    pdfs = sorted((out / "pdf").rglob("*.pdf"))
    assert [p.relative_to(out / "pdf").as_posix() for p in pdfs] == [
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
    ]  # retired Gary gets none
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
        "$8M-$60M",
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
    assert "We check in every 60 days" in text
    assert "CFOs integrating an acquisition" in text
    assert "PRIVATE-NOTE" not in text
    customer = text_of(example_build / "output" / "pdf" / "partners" / "zoe-lindqvist.pdf")
    assert "Thank you, Zoë. Here's who we'd love to meet." in customer


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
    path = root / "content" / "profiles" / "first-hr-hire.yaml"
    data = yaml.safe_load(path.read_text())
    data["criteria"] = [
        f"Criterion {i}: a long sentence describing one more thing a qualified referral "
        "should have before anyone makes an introduction"
        for i in range(90)
    ]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    result = run_refkit("build", "-p", root, "--only", "pdf")
    assert result.returncode == 1
    assert result.stderr.startswith(
        "content/profiles/first-hr-hire.yaml: error: the one-pager "
        "(pdf/clients/first-hr-hire.pdf) does not fit on one page"
    )
    assert "% too long" in result.stderr
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
    assert "Another reasonable criterion number 7" in reader.pages[0].extract_text()


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
    assert "content/profiles/first-hr-hire.yaml: warning:" in result.stderr
    hostname = Path("/etc/hostname").read_text().strip()
    pdf = root / "output" / "pdf" / "clients" / "first-hr-hire.pdf"
    assert len(PdfReader(pdf).pages[0].images) == 0
    if hostname:
        assert hostname not in PdfReader(pdf).pages[0].extract_text()


def test_only_site_never_imports_weasyprint(make_project) -> None:
    root = make_project()
    code = (
        "import sys\nfrom refkit.build import build\n"
        f"build({str(root)!r}, only=['site', 'email', 'report'])\n"
        "assert 'weasyprint' not in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_pngs_for_people_to_look_at(example_build: Path, artifacts: Path) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils is not installed")
    for rel in ("clients/growing-manufacturers.pdf", "partners/zoe-lindqvist.pdf"):
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
