"""Where things live on the site, and the private-page tokens.

Every renderer asks this module for a page's path, so the site, the PDFs'
QR codes and the emails always agree.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from refkit.errors import Problem, RefkitError
from refkit.project import Project

SECRET_ENV = "REFKIT_SECRET"
SECRET_FILE = Path(".refkit") / "secret"


def load_secret(root: Path, *, create: bool = True) -> tuple[str, bool]:
    """The per-project secret and whether it was just created.

    ``REFKIT_SECRET`` wins (for CI deploys); else ``.refkit/secret``, created
    when missing and ``create`` is true.
    """
    env = os.environ.get(SECRET_ENV, "").strip()
    if env:
        return env, False
    path = root / SECRET_FILE
    if path.is_file():
        value = path.read_text(encoding="utf-8").strip()
        if len(value) < 16:
            raise RefkitError(
                Problem(SECRET_FILE.as_posix(), "the secret is too short (16+ characters)")
            )
        return value, False
    if not create:
        raise RefkitError(Problem(SECRET_FILE.as_posix(), "missing; run `refkit build` once"))
    path.parent.mkdir(parents=True, exist_ok=True)
    (path.parent / ".gitignore").write_text("secret\n", encoding="utf-8")
    value = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")
    return value, True


def partner_token(secret: str, slug: str) -> str:
    """A stable, unguessable token for a partner's private page (128 bits, base32)."""
    digest = hmac.new(secret.encode(), f"refkit-partner-page:{slug}".encode(), hashlib.sha256)
    return base64.b32encode(digest.digest()[:16]).decode().rstrip("=").lower()


@dataclass(frozen=True)
class SitePaths:
    """Paths of pages under ``output/site/``, relative, ending in '/' for pages."""

    project: Project
    secret: str

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

    def absolute(self, path: str | None) -> str | None:
        """The absolute URL of a site path, when ``site.base_url`` is set."""
        base = self.project.business.site.base_url
        if base is None or path is None:
            return None
        return base.rstrip("/") + "/" + path
