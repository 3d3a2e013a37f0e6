"""partner_links: each partner's page and one-pager, where the build writes them."""

from __future__ import annotations

from pathlib import Path

from conftest import build_site, paths_for
from refkit.content.project import load_project
from refkit.derive.layout import page_file
from refkit.derive.links import PartnerLinks, partner_links


def test_links_are_the_built_files(example_build: Path) -> None:
    project = load_project(example_build)
    base = project.business.site.base_url
    assert base is not None, "the example sets site.base_url"
    links = partner_links(project, paths_for(project))
    assert "gary-koenig" not in links  # retired: no outputs, no links
    assert list(links) == list(project.active_partners())
    assert links["raj-patel"] == PartnerLinks(
        "raj-patel", None, "output/pdf/partners/raj-patel.pdf"
    )  # page: none, still a one-pager
    assert links["dana-whitfield"].page == base.rstrip("/") + "/partners/dana-whitfield/"
    for slug, link in links.items():
        assert link.slug == slug
        assert link.pdf == f"output/pdf/partners/{slug}.pdf"
        assert (example_build / link.pdf).read_bytes().startswith(b"%PDF-"), slug
        if link.page is None:
            continue
        assert link.page.startswith(base.rstrip("/") + "/"), link.page
        page = link.page.removeprefix(base.rstrip("/") + "/")
        html = (example_build / "output" / "site" / page_file(page)).read_text("utf-8")
        assert project.partners[slug].name in html, slug
    private = [link.page for link in links.values() if link.page and "/p/" in link.page]
    assert len(private) >= 3


def test_links_without_base_url_are_site_paths(make_project) -> None:
    root = make_project()
    business = root / "content" / "business.yaml"
    text = business.read_text("utf-8")
    business.write_text(text.replace("  base_url: https://partners.keelcompasshr.com/\n", ""))
    site = build_site(root)
    project = load_project(root)
    assert project.business.site.base_url is None
    links = partner_links(project, paths_for(project))
    pages = {slug: link.page for slug, link in links.items() if link.page}
    assert pages["dana-whitfield"] == "partners/dana-whitfield/"
    assert sum(page.startswith("p/") for page in pages.values()) >= 3
    for slug, page in pages.items():
        assert not page.startswith(("/", "http")), page
        assert project.partners[slug].name in (site / page_file(page)).read_text("utf-8")
