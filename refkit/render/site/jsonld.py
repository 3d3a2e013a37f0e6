"""The home page's schema.org data (a ProfessionalService), safe inside ``<script>``."""

from __future__ import annotations

import json
from typing import Any

from refkit.content.project import Project
from refkit.derive.layout import SitePaths
from refkit.text.markup import markdown_to_text


def jsonld(project: Project, paths: SitePaths, logo: str | None) -> str:
    """Schema.org ProfessionalService for the home page, safe inside <script>."""
    business = project.business

    contact: dict[str, Any] = {
        "@type": "ContactPoint",
        "contactType": "partnerships",
        "name": business.contact.name,
        "email": business.contact.email,
    }
    if business.contact.phone:
        contact["telephone"] = business.contact.phone
    if business.contact.booking_url:
        contact["url"] = business.contact.booking_url
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ProfessionalService",
        "name": business.name,
        "description": markdown_to_text(business.summary),
    }
    if business.tagline:
        data["slogan"] = business.tagline
    url = paths.absolute(paths.home()) or business.website
    if url:
        data["url"] = url
    if business.website and business.website != url:
        data["sameAs"] = [business.website]
    if logo is not None and paths.absolute(logo):
        data["logo"] = paths.absolute(logo)
    data["email"] = business.contact.email
    if business.contact.phone:
        data["telephone"] = business.contact.phone
    data["contactPoint"] = contact
    if business.service_area:
        data["areaServed"] = business.service_area
    if business.industries:
        data["knowsAbout"] = list(business.industries)
    data["hasOfferCatalog"] = {
        "@type": "OfferCatalog",
        "name": "Services",
        "itemListElement": [
            {
                "@type": "Offer",
                "itemOffered": {
                    "@type": "Service",
                    "name": service.name,
                    "description": markdown_to_text(service.summary),
                },
            }
            for service in business.services
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=1)


def script_safe_json(text: str) -> str:
    """JSON that cannot close its <script> element or open a comment."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
