"""Where each partner's own material is: their page on the site and their one-pager.

The owner's answer to "which link do I send Dana?": `refkit partners --links`
and the report's private-link column both ask here, and both get the paths
from :class:`~refkit.derive.layout.SitePaths`, so they are the paths the build
writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from refkit.content.project import Project
from refkit.derive.layout import OUTPUT_DIR, SitePaths, partner_output


@dataclass(frozen=True)
class PartnerLinks:
    """One partner's page and one-pager."""

    slug: str
    #: the page's absolute URL when ``site.base_url`` is set, else its site path
    #: (``p/TOKEN/``, relative to output/site/); None for ``page: none``
    page: str | None
    #: the one-pager under the project: ``output/pdf/partners/SLUG.pdf``
    pdf: str | None


def partner_links(project: Project, paths: SitePaths) -> dict[str, PartnerLinks]:
    """Every non-retired partner's links, by slug, in the project's order.

    Retired partners get no outputs, so they are absent.
    """
    links: dict[str, PartnerLinks] = {}
    for slug in project.active_partners():
        page = paths.partner(slug)
        absolute = paths.absolute(page)
        links[slug] = PartnerLinks(
            slug=slug,
            page=absolute if absolute is not None else page,
            pdf=f"{OUTPUT_DIR}/{partner_output(slug)}",
        )
    return links
