"""SVG logos are sanitised on the way in (issue 11, item 9): no scripts, handlers or fetches."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from conftest import TEST_SECRET, TODAY, build_site, pdf_text, run_refkit
from refkit.errors import ContentError
from refkit.text.svg import clean_svg, sanitize_svg

SVG = "{http://www.w3.org/2000/svg}"
SOURCE = "content/assets/logo.svg"

HOSTILE = b"""<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet href="https://evil.example/sheet.css" type="text/css"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     xmlns:html="http://www.w3.org/1999/xhtml"
     viewBox="0 0 64 64" width="64" height="64" onload="alert('onload')">
  <script type="text/javascript">alert('script')</script>
  <circle cx="32" cy="32" r="30" fill="#1d4e5f" onclick="alert('click')" ONMOUSEOVER="alert(1)"/>
  <image href="https://evil.example/track.png" width="10" height="10"/>
  <image xlink:href="http://evil.example/x.png" width="10" height="10"/>
  <use xlink:href="//evil.example/sprite.svg#a"/>
  <use href="file:///etc/passwd#x"/>
  <a href="javascript:alert('a')" xlink:href=" jav&#x09;ascript:alert('b')">
    <path d="M32 12 L37 32 L32 52 L27 32 Z" fill="#f4efe6"
          style="fill: url(https://evil.example/f.svg#g); stroke: #e0a458"/>
  </a>
  <foreignObject width="10" height="10">
    <div xmlns="http://www.w3.org/1999/xhtml"><script>alert('fo')</script></div>
  </foreignObject>
  <html:script>alert('html')</html:script>
  <style>@import url("https://evil.example/a.css"); circle { fill: url(file:///etc/x) }</style>
  <set attributeName="href" to="javascript:alert('set')" begin="0s"/>
  <linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient>
  <rect width="4" height="4" fill="url(#g)" style="fill: url(#g)"/>
</svg>
"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE svg [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><text>&lol3;</text></svg>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&xxe;</text></svg>
"""

NEEDLES = ("evil.example", "javascript", "alert", "etc/passwd", "@import", "file:")


def assert_safe(data: bytes) -> ET.Element:
    """``data`` parses as an SVG that carries none of HOSTILE's dangers; its root."""
    text = data.decode("utf-8")
    for needle in NEEDLES:
        assert needle not in text.lower(), needle
    assert "<!DOCTYPE" not in text and "<!ENTITY" not in text and "<?xml-stylesheet" not in text
    root = ET.fromstring(data)
    assert root.tag == SVG + "svg"
    for element in root.iter():
        assert element.tag.startswith(SVG), element.tag
        local = element.tag.removeprefix(SVG)
        assert local not in ("script", "foreignObject", "set"), local
        for name, value in element.attrib.items():
            assert not name.rsplit("}", 1)[-1].lower().startswith("on"), name
            if name.endswith("href"):
                assert value.startswith("#"), value
    return root


# --------------------------------------------------------------------------- the sanitiser


def test_hostile_svg_loses_every_danger_and_keeps_its_drawing() -> None:
    clean = clean_svg(HOSTILE, SOURCE)
    root = assert_safe(clean.data)
    assert root.get("viewBox") == "0 0 64 64" and root.get("width") == "64"
    kept = [e.tag.removeprefix(SVG) for e in root.iter()]
    for tag in ("circle", "path", "a", "linearGradient", "stop", "rect", "style"):
        assert tag in kept, tag
    circle = root.find(SVG + "circle")
    assert circle is not None and circle.get("fill") == "#1d4e5f"
    path = root.find(f"{SVG}a/{SVG}path")
    assert path is not None and "stroke: #e0a458" in path.get("style", "")
    rect = root.find(SVG + "rect")
    assert rect is not None and rect.get("fill") == "url(#g)" and "url(#g)" in rect.get("style", "")
    # what went, said once each, for the warning
    removed = " ".join(clean.removed)
    for what in ("<script>", "<foreignObject>", "onload", "onclick", "https://evil.example"):
        assert what in removed, (what, clean.removed)
    assert sanitize_svg(HOSTILE, SOURCE) == clean.data


def test_a_clean_svg_is_kept_byte_for_byte() -> None:
    from refkit.resources import example_content

    data = (example_content() / "assets" / "logo.svg").read_bytes()
    clean = clean_svg(data, SOURCE)
    assert clean.data == data and clean.removed == ()


def test_an_svg_without_a_namespace_gets_one() -> None:
    data = b'<svg viewBox="0 0 4 4"><rect width="4" height="4"/></svg>'
    root = ET.fromstring(sanitize_svg(data, SOURCE))
    assert root.tag == SVG + "svg" and root.find(SVG + "rect") is not None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (BILLION_LAUGHS, "DOCTYPE"),
        (EXTERNAL_ENTITY, "DOCTYPE"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>', "not well-formed"),
        (b"\xff\xfe not xml", "not well-formed"),
        (b"", "not well-formed"),
        (b'<html xmlns="http://www.w3.org/1999/xhtml"/>', "not an SVG"),
    ],
    ids=["billion-laughs", "external-entity", "mismatched-tag", "binary", "empty", "not-svg"],
)
def test_unusable_svg_is_a_content_error_naming_the_file(data: bytes, message: str) -> None:
    with pytest.raises(ContentError) as caught:
        clean_svg(data, SOURCE)
    (problem,) = caught.value.problems
    assert problem.path == SOURCE and message in problem.message
    assert str(problem).startswith(SOURCE + ":") and "\n" not in str(problem)


# --------------------------------------------------------------------------- every output


@pytest.fixture
def hostile_project(make_project) -> Path:
    return make_project({"content/assets/logo.svg": HOSTILE})


def data_uri_bytes(uri: str) -> bytes:
    assert uri.startswith("data:image/svg+xml;base64,"), uri[:40]
    return base64.b64decode(uri.split(",", 1)[1])


def test_the_site_writes_and_embeds_only_the_sanitised_logo(hostile_project: Path) -> None:
    site = build_site(hostile_project)
    (logo,) = (site / "assets").glob("logo.*.svg")
    assert_safe(logo.read_bytes())
    home = BeautifulSoup((site / "index.html").read_text(), "html.parser")
    assert (site / home.find("img", class_="brand-logo")["src"]).read_bytes() == logo.read_bytes()
    # 404.html embeds it
    not_found = BeautifulSoup((site / "404.html").read_text(), "html.parser")
    for uri in (
        not_found.find("img", class_="brand-logo")["src"],
        not_found.find("link", rel="icon")["href"],
    ):
        assert data_uri_bytes(uri) == logo.read_bytes()
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".svg", ".css"):
            assert "evil.example" not in path.read_text(encoding="utf-8"), path


def test_the_build_warns_what_it_removed_from_the_logo(hostile_project: Path) -> None:
    result = run_refkit("build", "-p", hostile_project, "--only", "site")
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith(SOURCE + ":")]
    assert len(warnings) == 1, result.stderr
    assert "warning:" in warnings[0] and "<script>" in warnings[0]


def test_the_one_pagers_embed_the_sanitised_logo(hostile_project: Path) -> None:
    from refkit.content.project import load_project
    from refkit.derive.layout import SitePaths
    from refkit.render.context import RenderContext
    from refkit.render.pdf import plan_jobs

    project = load_project(hostile_project)
    ctx = RenderContext(
        project=project,
        paths=SitePaths(project, TEST_SECRET),
        today=TODAY,
        jobs=1,
        kinds=frozenset({"pdf"}),
    )
    jobs = list(plan_jobs(ctx))
    assert jobs
    for job in jobs:
        assert "logo.svg" not in job.html  # no file URL of the unsanitised file
        uris = re.findall(r'src="(data:image/svg\+xml;base64,[^"]+)"', job.html)
        assert uris, job.paths
        assert_safe(data_uri_bytes(uris[0]))


def test_the_one_pagers_build_with_the_sanitised_logo(hostile_project: Path) -> None:
    result = run_refkit("build", "-p", hostile_project, "--only", "pdf", "--jobs", "2")
    assert result.returncode == 0, result.stderr
    assert "refused to load" not in result.stderr, result.stderr
    pdf = hostile_project / "output" / "pdf" / "clients" / "first-hr-hire.pdf"
    assert "alert" not in pdf_text(pdf)
    assert b"evil.example" not in pdf.read_bytes()


def test_an_unusable_logo_fails_the_build_naming_the_file(make_project) -> None:
    root = make_project({"content/assets/logo.svg": BILLION_LAUGHS})
    before = sorted(p.name for p in root.iterdir())
    result = run_refkit("build", "-p", root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors and all(line.startswith(SOURCE + ":") for line in errors), result.stderr
    assert "DOCTYPE" in errors[0]
    assert sorted(p.name for p in root.iterdir()) == before  # no output/ written


def test_check_and_build_agree_on_an_unusable_logo(make_project) -> None:
    """`check` reads the logo as the build does: a bad SVG fails both, at the same line."""
    root = make_project({"content/assets/logo.svg": BILLION_LAUGHS})
    check = run_refkit("check", "-p", root)
    build = run_refkit("build", "-p", root, "--only", "site")
    assert check.returncode == build.returncode == 1, check.stderr
    errors = [line for line in check.stderr.splitlines() if ": error: " in line]
    assert errors and errors[0].startswith(SOURCE + ":") and "DOCTYPE" in errors[0], check.stderr
    assert errors[0] in build.stderr.splitlines()


def test_check_warns_what_the_build_removes_from_the_logo(hostile_project: Path) -> None:
    check = run_refkit("check", "-p", hostile_project)
    assert check.returncode == 0, check.stderr
    warnings = [line for line in check.stderr.splitlines() if line.startswith(SOURCE + ":")]
    assert len(warnings) == 1 and "<script>" in warnings[0], check.stderr


def test_the_project_holds_the_sanitised_logo(hostile_project: Path) -> None:
    """The project holds the sanitised bytes that the site and the one-pagers publish."""
    from refkit.content.project import load_project

    project = load_project(hostile_project)
    assert project.logo_data is not None
    assert_safe(project.logo_data)
    assert project.business_file == "content/business.yaml"


@pytest.mark.browser
def test_the_logo_runs_nothing_in_chromium(hostile_project: Path, browser: Any) -> None:
    site = build_site(hostile_project)
    (logo,) = (site / "assets").glob("logo.*.svg")
    dialogs: list[str] = []
    requests: list[str] = []
    page = browser.new_page()
    try:
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("request", lambda request: requests.append(request.url))
        for path in (logo, site / "index.html", site / "404.html"):
            page.goto(path.as_uri())
            page.wait_for_timeout(300)
        assert page.evaluate("document.title") is not None
    finally:
        page.close()
    assert not dialogs, dialogs
    assert not [url for url in requests if "evil.example" in url], requests
