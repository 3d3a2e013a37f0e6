"""Where everything lives: every output path, every site URL, the private-page tokens.

The one place that knows the shape of ``output/``: which file a page, a
one-pager or an email draft is written to, and how one page links another.
Every renderer and the link checker ask here, so the site, the PDFs' QR
codes and the emails' links always agree. (Which kind of output owns which
prefix is each renderer's row in :mod:`refkit.render.registry`, so that a new
kind of output is one module and one row.)
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # `refkit --version` and the CLI's choices import this module: keep it light
    from refkit.content.project import Project

SITE = "site/"
REPORT_PAGE = "report/index.html"
CALENDAR = "calendar.ics"
#: the email templates, in the order they are listed (``templates/email/NAME.txt``)
EMAIL_TEMPLATES = (
    "ask-permission",
    "introduction",
    "criteria-share",
    "partner-proposal",
    "thank-you",
    "check-in",
)
#: the folder of the emails that are written for no partner in particular
GENERIC = "_generic"
#: separates template and profile in a per-profile file name (introduction--SLUG)
VARIANT_SEPARATOR = "--"


def page_file(path: str) -> str:
    """The file of a page path: ``''`` -> ``index.html``, ``refer/`` -> ``refer/index.html``."""
    return path + "index.html" if path == "" or path.endswith("/") else path


def relative_url(from_file: str, target: str) -> str:
    """A link from the page file ``from_file`` to the site path ``target`` (may carry #frag)."""
    path, hashmark, fragment = target.partition("#")
    path = page_file(path)
    if path == from_file and hashmark:
        return "#" + fragment
    base = posixpath.dirname(from_file) or "."
    rel = posixpath.relpath(path, base)
    return rel + (f"#{fragment}" if hashmark else "")


def partner_token(secret: str, slug: str) -> str:
    """A stable, unguessable token for a partner's private page (128 bits, base32)."""
    import base64  # here, not at the top: the CLI imports this module at start-up
    import hashlib
    import hmac

    digest = hmac.new(secret.encode(), f"refkit-partner-page:{slug}".encode(), hashlib.sha256)
    return base64.b32encode(digest.digest()[:16]).decode().rstrip("=").lower()


def profile_output(slug: str) -> str:
    """A profile's one-pager under ``output/``."""
    return f"pdf/clients/{slug}.pdf"


def partner_output(slug: str) -> str:
    """A partner's one-pager under ``output/``."""
    return f"pdf/partners/{slug}.pdf"


def site_output(path: str) -> str:
    """The file under ``output/`` of a site path (a page folder gets its index.html)."""
    return SITE + page_file(path)


def email_draft(partner: str | None, template: str, profile: str | None = None) -> str:
    """An email draft under ``output/``, without its extension (.txt, .html, .eml).

    ``partner`` None is the generic version; ``profile`` names the
    per-profile variant (``TEMPLATE--PROFILE``). Template names never
    contain "--", so the part after the first "--" is always the profile.
    """
    name = template if profile is None else f"{template}{VARIANT_SEPARATOR}{profile}"
    return f"email/{partner or GENERIC}/{name}"


@dataclass(frozen=True)
class SitePaths:
    """Where a project's pages live on the site (paths relative to ``output/site/``).

    Page paths end in '/'; :func:`site_output` turns one into a file under
    ``output/``. Private pages need the secret, hence a class.
    """

    project: Project
    secret: str

    # ----------------------------------------------------------------- site pages

    def home(self) -> str:
        """The home page."""
        return ""

    def refer(self) -> str:
        """How to refer us."""
        return "refer/"

    def profile(self, slug: str) -> str:
        """A profile's page."""
        return f"clients/{slug}/"

    def profile_pdf(self, slug: str) -> str:
        """A profile's one-pager on the site."""
        return f"downloads/{slug}.pdf"

    def partner(self, slug: str) -> str | None:
        """A partner's page, or None when they have none (``page: none``, retired)."""
        partner = self.project.partners[slug]
        if partner.status == "retired" or partner.page == "none":
            return None
        if partner.page == "public":
            return f"partners/{slug}/"
        return f"p/{partner_token(self.secret, slug)}/"

    def partner_pdf(self, slug: str) -> str | None:
        """A partner's one-pager on their page, or None when they have no page."""
        page = self.partner(slug)
        return f"{page}{slug}.pdf" if page is not None else None

    def absolute(self, path: str | None) -> str | None:
        """The absolute URL of a site path, when ``site.base_url`` is set."""
        base = self.project.business.site.base_url
        if base is None or path is None:
            return None
        return base.rstrip("/") + "/" + path
