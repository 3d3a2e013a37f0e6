"""``share_progress: true``: a partner's private page counts the introductions both ways.

Counts only, on the private page only: never a prospect's name, a value or a
note, never on a public page, the sitemap or another partner's page.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from click.testing import CliRunner

from conftest import TODAY, build_site, find_private_text, nu_html_check, paths_for, straight
from refkit.cli import main
from refkit.content.project import load_project

SHARING = (
    "ines-carvalho",
    "marcus-oyelaran",
    "helen-marsh",
    "tom-brenner",
    "dana-whitfield",
    "raj-patel",
    "gary-koenig",
)
#: the pages that show counts: SHARING's private ones, and two partners the test adds
SHOWN = (
    "ines-carvalho",
    "marcus-oyelaran",
    "helen-marsh",
    "tom-brenner",
    "pat-quill",
    "cam-reed",
)
#: private pages that share nothing: they must show no counts at all
NOT_SHARING = ("zoe-lindqvist",)


def _entry(day: str, direction: str, partner: str, prospect: str, **extra: Any) -> dict[str, Any]:
    return {
        "date": dt.date.fromisoformat(day),
        "direction": direction,
        "partner": partner,
        "prospect": prospect,
        **extra,
    }


#: every prospect, note and value unmistakable, so that a leak is found
LEDGER = [
    # ines-carvalho: three to us (two won), two to them (one won)
    _entry(
        "2026-01-05",
        "received",
        "ines-carvalho",
        "Quillfeather Forge",
        status="won",
        value=31337.5,
        note="Secret terms ZEBRA-ONE",
        thanked=True,
    ),
    _entry(
        "2026-02-05", "received", "ines-carvalho", "Brackenridge Tool", status="won", value=27182
    ),
    _entry(
        "2026-03-05",
        "received",
        "ines-carvalho",
        "Ottersley Mills",
        status="lost",
        note="Went with a rival ZEBRA-TWO",
    ),
    _entry("2026-04-05", "given", "ines-carvalho", "Fennimore Castings", status="won", value=16180),
    _entry("2026-05-05", "given", "ines-carvalho", "Halloway Extrusions", status="proposal"),
    # after the build's today: not counted yet
    _entry("2026-12-24", "received", "ines-carvalho", "Yuletide Gearworks", status="won"),
    # marcus-oyelaran: a one-way partnership, two to us, none won yet
    _entry(
        "2026-06-01",
        "received",
        "marcus-oyelaran",
        "Pemberton Anodizing",
        status="meeting",
        follow_up_due=dt.date(2026, 12, 1),
    ),
    _entry("2026-07-01", "received", "marcus-oyelaran", "Castlebury Plating", status="introduced"),
    # helen-marsh, a customer: one to us, won
    _entry("2026-08-01", "received", "helen-marsh", "Wexcombe Robotics", status="won", value=14142),
    # pat-quill: one from us, won; none to us
    _entry("2026-08-15", "given", "pat-quill", "Kinglet Fasteners", status="won", value=11235),
    # zoe-lindqvist shares nothing
    _entry("2026-09-01", "received", "zoe-lindqvist", "Ashdown Pressworks", status="won"),
    # dana-whitfield (public page) and raj-patel (no page) share nothing either
    _entry("2026-09-02", "received", "dana-whitfield", "Marlowe Foundry", status="won"),
    _entry("2026-09-03", "given", "raj-patel", "Thistlewood Dies"),
    _entry("2025-01-03", "received", "gary-koenig", "Larkspur Bearings", status="won"),
]
SECRETS = sorted({e["prospect"] for e in LEDGER} | {"ZEBRA-ONE", "ZEBRA-TWO"})
VALUES = ("31,337", "31337", "27,182", "27182", "16,180", "16180", "14,142", "14142", "11,235")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example with LEDGER and share_progress on every partner in SHARING, site built."""
    from conftest import write_project

    root = write_project(tmp_path_factory.mktemp("progress"))
    for slug in SHARING:
        path = root / "content" / "partners" / f"{slug}.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "share_progress: true\n")
    pat = {"name": "Pat Quill", "serves": ["first-hr-hire"], "share_progress": True}
    (root / "content" / "partners" / "pat-quill.yaml").write_text(yaml.safe_dump(pat))
    cam = {"name": "Cam Reed", "kind": "customer", "share_progress": True}
    (root / "content" / "partners" / "cam-reed.yaml").write_text(yaml.safe_dump(cam))
    ledger = yaml.safe_dump(LEDGER, sort_keys=False, allow_unicode=True)
    (root / "content" / "referrals.yaml").write_text(ledger, encoding="utf-8")
    build_site(root)
    return root


def _page(root: Path, slug: str) -> BeautifulSoup:
    path = paths_for(root).partner(slug)
    assert path is not None, slug
    html = (root / "output" / "site" / path / "index.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html5lib")


def _words(node: Any) -> str:
    """The text of a parsed node as a reader reads it (typeset spaces and quotes plain)."""
    return " ".join(straight(node.get_text()).split())


def _stats(root: Path, slug: str) -> list[tuple[str, ...]]:
    """Each stat of the partner's progress: label, figure, text, and what became clients."""
    section = _page(root, slug).select_one(".progress")
    assert section is not None, f"{slug}: no progress section"
    return [tuple(_words(p) for p in stat.find_all("p")) for stat in section.select(".stat")]


def test_counts_both_ways_and_wins(built: Path) -> None:
    assert _stats(built, "ines-carvalho") == [
        ("From you to us", "3", "introductions you have made to us", "2 became our clients"),
        ("From us to you", "2", "introductions we have made to you", "1 became your client"),
    ]
    progress = _page(built, "ines-carvalho").select_one(".progress")
    assert progress is not None
    # the build's today, written as the site writes dates (en-US)
    updated = progress.select_one(".progress-updated time")
    assert updated is not None and updated["datetime"] == TODAY.isoformat()
    assert _words(progress.select_one(".progress-updated")) == "Updated November 25, 2026"


NONE_WON = "Neither has become a client yet"  # of the two
NONE_GIVEN = (
    "We have not introduced anyone to you yet: we are looking out for the clients you want."
)


def test_a_one_way_partnership_reads_well(built: Path) -> None:
    assert _stats(built, "marcus-oyelaran") == [
        ("From you to us", "2", "introductions you have made to us", NONE_WON),
        ("From us to you", "None yet", NONE_GIVEN),
    ]


def test_none_yet_to_us_points_at_whom_to_introduce(built: Path) -> None:
    assert _stats(built, "pat-quill") == [
        (
            "From you to us",
            "None yet",
            "You have not introduced anyone to us yet: whom we are looking for is at the top "
            "of this page.",
        ),
        ("From us to you", "1", "introduction we have made to you", "1 became your client"),
    ]
    links = [a["href"] for a in _page(built, "pat-quill").select(".progress a")]
    assert links == ["#whom-to-introduce"]


def test_a_customer_sees_their_side_in_the_singular(built: Path) -> None:
    assert _stats(built, "helen-marsh") == [
        ("From you to us", "1", "introduction you have made to us", "1 became our client"),
    ]


def test_no_introductions_yet_either_way(built: Path) -> None:
    progress = _page(built, "tom-brenner").select_one(".progress")
    assert progress is not None and not progress.select(".stat")
    assert _words(progress.select_one(".progress-none")).startswith(
        "No introductions yet either way."
    )


def test_a_customer_with_none_yet(built: Path) -> None:
    progress = _page(built, "cam-reed").select_one(".progress")
    assert progress is not None and not progress.select(".stat")
    assert _words(progress.select_one(".progress-none")) == (
        "No introductions yet. When you introduce someone to us, you will see it counted "
        "here, and whether they became a client."
    )


def test_only_the_sharing_private_pages_show_counts(built: Path) -> None:
    site = built / "output" / "site"
    shown = {
        page.relative_to(site).as_posix()
        for page in site.rglob("*.html")
        if BeautifulSoup(page.read_text(encoding="utf-8"), "html5lib").select(".progress")
        or "Introductions so far" in straight(page.read_text(encoding="utf-8"))
    }
    paths = paths_for(built)
    expected = {f"{paths.partner(s)}index.html" for s in SHOWN}
    assert shown == expected
    for slug in NOT_SHARING:
        assert _page(built, slug).select_one(".progress") is None
    # public (dana-whitfield) and none (raj-patel): nothing, wherever
    assert _page(built, "dana-whitfield").select_one(".progress") is None
    assert paths.partner("raj-patel") is None and paths.partner("gary-koenig") is None
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    tokens = [path.split("/")[1] for path in expected]
    assert tokens and not [token for token in tokens if token in sitemap]


def test_no_name_value_or_note_reaches_the_site(built: Path) -> None:
    site = built / "output" / "site"
    assert find_private_text(site, SECRETS) == []
    for page in site.rglob("*.html"):
        text = _words(BeautifulSoup(page.read_text(encoding="utf-8"), "html5lib"))
        leaked = [value for value in VALUES if value in text]
        assert leaked == [], f"{page.relative_to(site)}: {leaked}"


def test_share_progress_without_a_private_page_is_a_warning_at_its_line(
    built: Path,
) -> None:
    result = CliRunner().invoke(main, ["check", "-p", str(built)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "share_progress" in line]
    expected = []
    for slug, why in (
        ("dana-whitfield", "this partner page is public"),
        ("raj-patel", "this partner has no page (page: none)"),
    ):
        rel = f"content/partners/{slug}.yaml"
        text = (built / rel).read_text(encoding="utf-8").splitlines()
        line = next(i for i, t in enumerate(text, 1) if t.startswith("share_progress:"))
        expected.append(
            f"{rel}:{line}:17: warning: share_progress shows on a private page only: {why}, "
            "so the counts are shown nowhere; set page: private, or remove share_progress"
        )
    # a retired partner gets no outputs at all: nothing to warn about
    assert sorted(lines) == expected
    assert load_project(built).partners["gary-koenig"].share_progress is True


def test_share_progress_is_a_strict_bool(make_project) -> None:
    root = make_project()
    path = root / "content" / "partners" / "ines-carvalho.yaml"
    path.write_text(path.read_text(encoding="utf-8") + 'share_progress: "yes"\n')
    result = CliRunner().invoke(main, ["check", "-p", str(root)])
    assert result.exit_code == 1
    assert "content/partners/ines-carvalho.yaml:" in result.output
    assert "share_progress" in result.output and "Traceback" not in result.output


def test_the_pages_with_counts_are_valid_html(built: Path) -> None:
    paths = paths_for(built)
    pages = [built / "output" / "site" / f"{paths.partner(slug)}index.html" for slug in SHOWN]
    nu_html_check(pages)


@pytest.mark.parametrize("width", [1280, 375])
def test_the_counts_fit_a_phone_and_a_desktop(
    built: Path, browser: Any, artifacts: Path, width: int
) -> None:
    """Side by side on a desktop, stacked on a phone, nothing wider than the screen."""
    paths = paths_for(built)
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        for slug in SHOWN:
            page.goto((built / "output" / "site" / f"{paths.partner(slug)}index.html").as_uri())
            measured = page.evaluate(
                """() => {
                    const root = document.documentElement;
                    const stats = [...document.querySelectorAll('.stat')];
                    return {
                        page: [root.scrollWidth, root.clientWidth],
                        tops: stats.map(s => s.getBoundingClientRect().top),
                    };
                }"""
            )
            scroll, client = measured["page"]
            assert scroll <= client, f"{slug} at {width}px: {scroll} > {client}"
            tops = measured["tops"]
            if len(tops) == 2:  # two sides: one row on a desktop, one above the other on a phone
                assert (tops[0] == tops[1]) == (width == 1280), (slug, width, tops)
            section = page.locator("#how-we-work-together").locator("xpath=ancestor::section")
            section.screenshot(path=str(artifacts / f"shared-progress-{slug}-{width}.png"))
    finally:
        page.close()


def test_none_yet_links_to_what_would_change_it(built: Path) -> None:
    """The side with no introduction yet points at whom to introduce, or whom we send."""
    page = _page(built, "marcus-oyelaran")
    links = [a["href"] for a in page.select(".progress .stat-text a")]
    assert links == ["#whom-we-send-you"]
    assert page.select_one("#whom-we-send-you") is not None
