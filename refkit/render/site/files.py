"""The site's other files, each from its template: sitemap.xml, robots.txt, contact.vcf.

A project overrides one by copying it to its own ``templates/site/``.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable

import jinja2

from refkit.content.models import Business
from refkit.derive.layout import SitePaths
from refkit.render.templating import render_template
from refkit.text.english import name_parts

#: the templates, under templates/
SITEMAP_TEMPLATE = "site/sitemap.xml"
ROBOTS_TEMPLATE = "site/robots.txt"
VCARD_TEMPLATE = "site/contact.vcf"


def render_sitemap(env: jinja2.Environment, paths: SitePaths, listed: Iterable[str]) -> str:
    """sitemap.xml of the public pages; without ``site.base_url`` it lists none."""
    urls = None
    if paths.project.business.site.base_url is not None:
        urls = [paths.absolute(path) or "" for path in listed]
    return render_template(env, SITEMAP_TEMPLATE, urls=urls)


def render_robots(env: jinja2.Environment, paths: SitePaths) -> str:
    """robots.txt: everything may be crawled, and where the sitemap is."""
    return render_template(env, ROBOTS_TEMPLATE, sitemap=paths.absolute(paths.sitemap()))


def vcard_escape(text: str) -> str:
    """A vCard property value: backslash, comma, semicolon and line breaks escaped."""
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def fold_line(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character (RFC 2425)."""
    out: list[str] = []
    current = ""
    for char in line:
        if len((current + char).encode("utf-8")) > 75:
            out.append(current)
            current = " " + char
        else:
            current += char
    out.append(current)
    return "\r\n".join(out)


def render_vcard(env: jinja2.Environment, business: Business, photo: bytes | None = None) -> str:
    """A vCard 3.0 (UTF-8, CRLF, folded) of ``business.contact``; ``photo``: JPEG bytes."""
    plain = env.overlay(autoescape=False)
    plain.filters["vcard"] = vcard_escape
    text = render_template(
        plain,
        VCARD_TEMPLATE,
        business=business,
        contact=business.contact,
        person=name_parts(business.contact.name),
        photo=base64.b64encode(photo).decode("ascii") if photo else None,
    )
    lines = [line for line in text.splitlines() if line.strip()]
    return "".join(fold_line(line) + "\r\n" for line in lines)
