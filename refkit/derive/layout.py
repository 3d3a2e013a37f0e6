"""Where everything lives: every output path, every site URL, the private-page tokens.

The one place that knows the shape of ``output/``: which file a page, a
one-pager or an email draft is written to, and how one page links another.
Every renderer and the link checker ask here, so the site, the PDFs' QR
codes and the emails' links always agree. (Which kind of output owns which
prefix is each renderer's row in :mod:`refkit.render.registry`, so that a new
kind of output is one module and one row.)
"""

from __future__ import annotations

import hashlib
import posixpath
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # `refkit --version` and the CLI's choices import this module: keep it light
    from refkit.content.project import Project

#: the output folder in a project, unless `--out` says otherwise
OUTPUT_DIR = "output"
SITE = "site/"
REPORT_PAGE = "report/index.html"
CALENDAR = "calendar.ics"
#: site paths (relative to output/site/)
ASSETS = "assets/"
DOWNLOADS = "downloads/"
PUBLIC_PARTNERS = "partners/"
PRIVATE_PAGES = "p/"
NOT_FOUND = "404.html"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
VCARD = "contact.vcf"
_PROFILE_PDFS = "pdf/clients/"
_PARTNER_PDFS = "pdf/partners/"
#: the email templates, in the order they are listed (``templates/email/NAME.txt``)
EMAIL_TEMPLATES = (
    "ask-permission",
    "introduction",
    "referral-brief",
    "criteria-share",
    "customer-interview",
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
    return f"{_PROFILE_PDFS}{slug}.pdf"


def partner_output(slug: str) -> str:
    """A partner's one-pager under ``output/``."""
    return f"{_PARTNER_PDFS}{slug}.pdf"


def attachment_name(path: str) -> str:
    """The file name a one-pager carries when attached to an email."""
    slug = posixpath.splitext(posixpath.basename(path))[0]
    if path.startswith(_PROFILE_PDFS):
        return f"{slug}-one-pager.pdf"
    return f"{slug}-prepared-for-you.pdf"


def hashed_name(name: str, data: bytes) -> str:
    """``site.css`` -> ``site.0123456789.css`` (first 10 hex digits of SHA-256)."""
    path = PurePosixPath(name)
    digest = hashlib.sha256(data).hexdigest()[:10]
    return f"{path.stem}.{digest}{path.suffix}"


def asset_path(name: str) -> str:
    """The site path of an asset file (its name already content-hashed)."""
    return ASSETS + name


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

    def about(self) -> str:
        """Who we are, for prospects: no criteria, no partner talk."""
        return "about/"

    def profile(self, slug: str) -> str:
        """A profile's page."""
        return f"clients/{slug}/"

    def profile_pdf(self, slug: str) -> str:
        """A profile's one-pager on the site."""
        return f"{DOWNLOADS}{slug}.pdf"

    def partner(self, slug: str) -> str | None:
        """A partner's page, or None when they have none (``page: none``, retired)."""
        partner = self.project.partners[slug]
        if partner.status == "retired" or partner.page == "none":
            return None
        if partner.page == "public":
            return f"{PUBLIC_PARTNERS}{slug}/"
        return f"{PRIVATE_PAGES}{partner_token(self.secret, slug)}/"

    def partner_pdf(self, slug: str) -> str | None:
        """A partner's one-pager on their page, or None when they have no page."""
        page = self.partner(slug)
        return f"{page}{slug}.pdf" if page is not None else None

    def vcard(self) -> str:
        """The contact card."""
        return VCARD

    def sitemap(self) -> str:
        """The sitemap."""
        return SITEMAP

    def absolute(self, path: str | None) -> str | None:
        """The absolute URL of a site path, when ``site.base_url`` is set."""
        base = self.project.business.site.base_url
        if base is None or path is None:
            return None
        return base.rstrip("/") + "/" + path
