"""Every one-pager of every gallery project, measured with pdfplumber.

Readable type (body text at least 9.5 pt, every label at least 8 pt), no band
of white across the page, and each profile's heading in the column of its
first criterion, the profiles of a partner's one-pager read one after
another. Each PDF is also written as a PNG (pdftoppm -r 60) to
test-artifacts/gallery/VARIANT/pdf/.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from gallery_projects import TOO_LONG, VARIANTS

from conftest import cli_build

#: the gallery_build and gallery_artifacts fixtures
pytest_plugins = ["gallery_projects"]

pytestmark = pytest.mark.slow

#: regular and italic text is body text; semi-bold and bold text is a heading or a label
BODY_PT = 9.5
LABEL_PT = 8.0
#: no vertical gap between two lines of text wider than this share of the page
MAX_GAP = 0.20

#: the headings of a partner's one-pager that are not a profile (set in capitals)
OTHER_HEADINGS = (
    r"WHOM WE('LL|’LL| COULD) SEND YOU|HOW WE (COULD )?WORK TOGETHER|WHAT WE DO(N’T DO)?\b"
)


def is_body(char: dict[str, Any]) -> bool:
    """Regular or italic Inter (the subset's name is 'ABCDEF+Inter' or '+Inter-Italic')."""
    return not re.search(r"Bold|Semi", char["fontname"])


def type_problems(page: Any) -> list[str]:
    """Characters set smaller than their kind allows."""
    problems = []
    body = [c["size"] for c in page.chars if is_body(c)]
    labels = [c["size"] for c in page.chars if not is_body(c)]
    if body and min(body) < BODY_PT - 0.05:
        problems.append(f"body text at {min(body):.1f} pt (at least {BODY_PT})")
    if labels and min(labels) < LABEL_PT - 0.05:
        problems.append(f"a label at {min(labels):.1f} pt (at least {LABEL_PT})")
    return problems


def gap_problems(page: Any) -> list[str]:
    """Bands of white between two blocks of text taller than MAX_GAP of the page."""
    spans = sorted((c["top"], c["bottom"]) for c in page.chars)
    problems = []
    bottom = spans[0][1]
    for top, end in spans:
        if top - bottom > MAX_GAP * page.height:
            problems.append(
                f"{(top - bottom) / page.height:.0%} of the page is blank "
                f"from {bottom:.0f} to {top:.0f} pt"
            )
        bottom = max(bottom, end)
    return problems


def first_words(text: str, count: int = 3) -> str:
    """A regex for the first ``count`` words of ``text``, across line breaks and hyphens."""
    words = re.findall(r"[\w’'&$%-]+", text)[:count]
    return r"[\s\-­]*".join(re.escape(w).replace(r"\-", r"[\-‐‑]") for w in words)


def column(page: Any, match: dict[str, Any]) -> int:
    """0 for the left column, 1 for the right one."""
    return int(match["x0"] > page.width / 2)


def heading_problems(page: Any, profiles: list[dict[str, Any]]) -> list[str]:
    """A profile's title away from its first criterion, or another section between profiles."""
    problems = []
    found: list[tuple[int, float, str]] = []  # (column, top, what) in reading order
    for profile in profiles:
        titles = page.search(first_words(profile["title"], 5))
        if not titles:
            continue  # a one-pager of several profiles shows the first few only
        title = titles[0]
        found.append((column(page, title), title["top"], "profile"))
        below = [
            m
            for m in page.search(first_words(profile["criteria"][0], 4))
            if column(page, m) == column(page, title) and m["top"] > title["top"]
        ]
        if not below or below[0]["top"] - title["top"] > 0.25 * page.height:
            problems.append(f"{profile['title']!r} is not in the column of its first criterion")
    if len(found) > 1:
        for match in page.search(OTHER_HEADINGS):
            found.append((column(page, match), match["top"], match["text"]))
        order = [what for _, _, what in sorted(found)]
        first, last = order.index("profile"), len(order) - order[::-1].index("profile")
        between = [what for what in order[first:last] if what != "profile"]
        if between:
            problems.append(f"{', '.join(between)} between two profiles")
    return problems


def shown_profiles(root: Path, pdf: Path) -> list[dict[str, Any]]:
    """The profiles a partner's one-pager shows (a profile's own is titled in the band)."""
    content = root / "content"
    if pdf.parent.name != "partners":
        return []
    partner = yaml.safe_load((content / "partners" / f"{pdf.stem}.yaml").read_text("utf-8"))
    slugs = partner.get("serves") or []
    return [yaml.safe_load((content / "profiles" / f"{s}.yaml").read_text("utf-8")) for s in slugs]


@pytest.mark.parametrize("variant", [v for v in VARIANTS if v not in TOO_LONG])
def test_every_one_pager_is_readable_and_uses_its_page(
    variant: str, gallery_build: Callable[[str, str], Path], gallery_artifacts: Path
) -> None:
    import pdfplumber

    root = gallery_build(variant, "pdf")
    pdfs = sorted((root / "output" / "pdf").rglob("*.pdf"))
    assert pdfs
    shots = gallery_artifacts / variant / "pdf"
    shots.mkdir(parents=True, exist_ok=True)
    failures = []
    for pdf in pdfs:
        name = pdf.relative_to(root / "output").as_posix()
        if shutil.which("pdftoppm"):
            subprocess.run(
                ["pdftoppm", "-png", "-r", "60", "-singlefile", pdf, shots / pdf.stem],
                check=True,
                timeout=60,
            )
        with pdfplumber.open(pdf) as document:
            assert len(document.pages) == 1, name
            page = document.pages[0]
            problems = type_problems(page) + gap_problems(page)
            problems += heading_problems(page, shown_profiles(root, pdf))
        failures += [f"{name}: {p}" for p in problems]
    assert not failures, f"{variant}:\n" + "\n".join(failures)


@pytest.mark.parametrize("variant", sorted(TOO_LONG))
def test_a_profile_too_long_for_readable_type_fails_by_name(variant: str, tmp_path: Path) -> None:
    from gallery_projects import make_variant

    root = make_variant(tmp_path, variant)
    code, output = cli_build(root, "--only", "pdf", "--today", "2026-11-25")
    assert code == 1, output
    line = next(
        line for line in output.splitlines() if "pdf/clients/growing-manufacturers.pdf" in line
    )
    assert line.startswith("content/profiles/growing-manufacturers.yaml"), line
    assert "does not fit on one page even at the smallest readable size" in line
