"""The partner-facing static site under ``output/site/``.

Pages come from the Jinja templates under ``templates/site/``; the CSS, the
script, the web fonts and the logo are copied under ``assets/`` with
content-hashed names. Every link is relative (and names ``index.html``), so
the site works from any sub-path and straight from ``file://``.
:func:`check_links` then fails the build on any internal link or asset that
does not resolve, naming the page and the target.

Private data never reaches this module's output: partner ``notes``, the
qualifier checklist and the referral ledger are simply not passed to any
template.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from markupsafe import Markup

from refkit.compose import compose_email
from refkit.errors import BuildError, Problem
from refkit.mailto import mailto_link
from refkit.markup import markdown_to_text
from refkit.models import Business, Partner, Profile
from refkit.resources import static_dir
from refkit.templating import make_environment, render_template
from refkit.writer import Output

if TYPE_CHECKING:
    import jinja2

    from refkit.build import BuildContext
    from refkit.project import Project

SITE = "site/"
DEFAULT_BRAND = "#1f4e79"
#: the built-in stylesheet and script, under templates/static/ (a project's
#: templates/static/ overrides them file by file)
STYLESHEET = "site.css"
SCRIPT = "site.js"
STRATEGY_LABELS = {
    "referrals": "Referrals, both ways",
    "joint-marketing": "Joint marketing",
    "joint-sales-calls": "Joint sales calls",
    "co-hosted-events": "Co-hosted events",
}
#: which template renders which page, for error messages
PAGE_TEMPLATES = {
    "home": "site/index.html",
    "refer": "site/refer.html",
    "profile": "site/profile.html",
    "partner": "site/partner.html",
    "404": "site/404.html",
}


# --------------------------------------------------------------------------- colours


def _rgb(color: str) -> tuple[float, float, float]:
    value = color.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return (int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in rgb)


def _mix(color: str, other: str, amount: float) -> str:
    """``amount`` of ``other`` mixed into ``color`` (sRGB, like CSS color-mix)."""
    a, b = _rgb(color), _rgb(other)
    mixed = tuple(x + (y - x) * amount for x, y in zip(a, b, strict=True))
    return _hex((mixed[0], mixed[1], mixed[2]))


def relative_luminance(color: str) -> float:
    """WCAG 2.1 relative luminance of a hex colour."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(one: str, two: str) -> float:
    """WCAG 2.1 contrast ratio of two hex colours (1 to 21)."""
    high, low = sorted((relative_luminance(one), relative_luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_on(background: str) -> str:
    """White or near-black, whichever reads better on ``background`` (AA when possible)."""
    dark = "#0e1416"
    best = max(("#ffffff", dark), key=lambda c: contrast_ratio(background, c))
    return best if contrast_ratio(background, best) >= 4.5 else "#000000"


def _readable_on(color: str, background: str, minimum: float = 4.6) -> str:
    """``color`` darkened (or lightened) just enough to reach ``minimum`` on ``background``."""
    toward = "#000000" if relative_luminance(background) > 0.18 else "#ffffff"
    for step in range(0, 101, 2):
        candidate = _mix(color, toward, step / 100)
        if contrast_ratio(candidate, background) >= minimum:
            return candidate
    return toward


@dataclass(frozen=True)
class Palette:
    """The brand colour and the colours derived from it, each pair AA-readable."""

    brand: str
    on_brand: str
    ink: str
    tint: str
    tint_strong: str
    deep: str
    on_deep: str

    def css(self) -> str:
        """The palette as CSS custom properties."""
        return (
            ":root{"
            f"--brand:{self.brand};--on-brand:{self.on_brand};--ink:{self.ink};"
            f"--tint:{self.tint};--tint-strong:{self.tint_strong};"
            f"--deep:{self.deep};--on-deep:{self.on_deep}"
            "}\n"
        )


def brand_palette(color: str | None) -> Palette:
    """Derive the site's colours from ``site.brand.color``."""
    brand = _hex(_rgb(color or DEFAULT_BRAND))
    tint = _mix(brand, "#ffffff", 0.93)
    tint_strong = _mix(brand, "#ffffff", 0.84)
    ink = _readable_on(brand, tint_strong)
    deep = _mix(brand, "#000000", 0.45)
    return Palette(
        brand=brand,
        on_brand=text_on(brand),
        ink=ink,
        tint=tint,
        tint_strong=tint_strong,
        deep=deep,
        on_deep=text_on(deep),
    )


# --------------------------------------------------------------------------- assets


@dataclass(frozen=True)
class SiteAssets:
    """Site paths of the hashed assets, and the files themselves."""

    css: str
    js: str
    logo: str | None
    logo_type: str | None
    #: 404.html may be served at any depth, where relative asset links would
    #: break: it carries the stylesheet (with its upright fonts) and the logo
    #: as data, so it looks like every other page wherever it is served
    inline_css: str
    logo_data: str | None
    outputs: tuple[Output, ...]


def hashed_name(name: str, data: bytes) -> str:
    """``site.css`` -> ``site.0123456789.css`` (first 10 hex digits of SHA-256)."""
    path = PurePosixPath(name)
    digest = hashlib.sha256(data).hexdigest()[:10]
    return f"{path.stem}.{digest}{path.suffix}"


def _static_file(root: Path, name: str) -> tuple[Path, str]:
    """A file of the theme's static/ folder, the project's copy first; and how to name it."""
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts:
        raise BuildError(Problem(f"templates/static/{name}", "must stay inside templates/static"))
    own = root / "templates" / "static" / name
    if own.is_file():
        return own, f"templates/static/{name}"
    return static_dir() / name, f"(built-in) templates/static/{name}"


_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")\s]+)\1\s*\)""")
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}\s*")
_MEDIA_TYPES = {
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".gif": "image/gif",
}
# Typographic refinements the Nu HTML Checker's CSS grammar does not know yet;
# 404.html inlines its CSS (which the checker validates), so it goes without them.
_NEWER_PROPERTIES = re.compile(
    r"\s*\b(?:text-wrap|text-underline-offset|text-decoration-thickness)\s*:[^;}]*;?"
)


def build_assets(root: Path, palette: Palette, logo: Path | None) -> SiteAssets:
    """The stylesheet (with the brand palette and hashed font URLs), the script and the logo."""
    outputs: dict[str, Output] = {}

    def add(name: str, data: bytes) -> str:
        path = f"assets/{hashed_name(name, data)}"
        outputs[path] = Output(SITE + path, data)
        return path

    css_path, css_where = _static_file(root, STYLESHEET)
    css = css_path.read_text(encoding="utf-8")

    def urls(to_url: Callable[[str, Path], str]) -> Callable[[re.Match[str]], str]:
        """A ``url(...)`` rewriter for the theme's own files; others are left alone."""

        def replace(match: re.Match[str]) -> str:
            ref = match.group(2)
            if ref.startswith(("data:", "#")) or urlsplit(ref).scheme:
                return match.group(0)
            source, where = _static_file(root, ref)
            if not source.is_file():
                raise BuildError(Problem(css_where, f"url({ref}): no such file ({where})"))
            return f'url("{to_url(ref, source)}")'

        return replace

    # the site links hashed copies; 404.html, served at any depth, embeds them
    rewrite = urls(
        lambda ref, source: posixpath.basename(add(posixpath.basename(ref), source.read_bytes()))
    )
    embed = urls(lambda ref, source: data_url(source.name, source.read_bytes()))

    inline = palette.css() + _CSS_URL.sub(embed, _upright_font_faces(css))
    inline = _NEWER_PROPERTIES.sub("", inline)
    css = palette.css() + _CSS_URL.sub(rewrite, css)
    css_site = add("site.css", css.encode("utf-8"))
    js_path, _ = _static_file(root, SCRIPT)
    js_site = add("site.js", js_path.read_bytes())
    logo_site = logo_type = logo_data = None
    if logo is not None:
        logo_site = add("logo" + logo.suffix.lower(), logo.read_bytes())
        logo_type = "image/svg+xml" if logo.suffix.lower() == ".svg" else "image/png"
        logo_data = data_url(logo.name, logo.read_bytes())
    return SiteAssets(
        css=css_site,
        js=js_site,
        logo=logo_site,
        logo_type=logo_type,
        inline_css=inline,
        logo_data=logo_data,
        outputs=tuple(outputs.values()),
    )


def data_url(name: str, data: bytes) -> str:
    """A ``data:`` URL of a file's bytes, its media type from its suffix."""
    media = _MEDIA_TYPES.get(PurePosixPath(name).suffix.lower(), "application/octet-stream")
    return f"data:{media};base64,{base64.b64encode(data).decode('ascii')}"


def _upright_font_faces(css: str) -> str:
    """``css`` without its italic faces, nor a semibold one when there is a bold.

    Every face of 404.html is inlined: the regular and the bold keep it in
    the site's typeface at a third of the weight (600 text falls back to 700).
    """
    faces = _FONT_FACE.findall(css)
    has_bold = any(re.search(r"font-weight\s*:\s*(?:700|bold)\b", face) for face in faces)

    def keep(match: re.Match[str]) -> str:
        face = match.group(0)
        if re.search(r"font-style\s*:\s*(?:italic|oblique)", face):
            return ""
        if has_bold and re.search(r"font-weight\s*:\s*600\b", face):
            return ""
        return face

    return _FONT_FACE.sub(keep, css)


# --------------------------------------------------------------------------- links


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


# --------------------------------------------------------------------------- pages


@dataclass(frozen=True)
class EmailBox:
    """One ready-to-copy email shown on a page: subject, body and a mailto: link."""

    id: str
    title: str
    subject: str
    text: str
    mailto: str
    note: str = ""


@dataclass
class Page:
    """One HTML page of the site."""

    kind: str
    path: str  # the page's folder ('' for home), or a file name like 404.html
    title: str
    description: str
    listed: bool  # in the sitemap, with canonical and Open Graph links
    private: bool = False
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def file(self) -> str:
        """The page's file under site/."""
        return page_file(self.path)

    @property
    def template(self) -> str:
        """The template that renders it."""
        return PAGE_TEMPLATES[self.kind]


def _clip(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"


def employees_label(profile: Profile) -> str | None:
    """'40–250 employees', '100+ employees', 'up to 50 employees' or None."""
    employees = profile.company.employees
    if employees is None or (employees.min is None and employees.max is None):
        return None
    low, high = employees.min, employees.max
    if low is not None and high is not None:
        return f"{low:,}–{high:,} employees" if low != high else f"{low:,} employees"
    if low is not None:
        return f"{low:,}+ employees"
    return f"up to {high:,} employees"


#: what stands for a profile in the refer page's emails, which are about no
#: profile in particular (each profile page has its own introduction email)
GENERIC_PROFILE = {
    "title": "[Companies like theirs]",
    "summary": "[What the company does]",
    "contact_role": "[Their role]",
    "signals": ["[The moment you spotted]"],
    "needs": ["[What they need]"],
    "criteria": ["[Which of our criteria they meet]"],
    "disqualifiers": [],
    "why_us": [],
    "example": None,
    "intro_hint": None,
}


def generic_project(project: Project) -> Project:
    """``project`` with its first profile's details replaced by [blanks] to fill in."""
    first = next(iter(project.profiles))
    blank = project.profiles[first].model_copy(update=GENERIC_PROFILE)
    return dataclasses.replace(project, profiles={first: blank})


def _email_box(
    ctx: BuildContext,
    box_id: str,
    title: str,
    template: str,
    page_path: str,
    *,
    partner: str | None,
    profile: str | None,
    to: str = "",
    note: str = "",
    project: Project | None = None,
) -> EmailBox:
    email = compose_email(
        project or ctx.project,
        ctx.paths,
        template,
        partner=partner,
        profile=profile,
        today=ctx.today,
    )
    # A shortened mailto: draft points at a public page in place of the
    # paragraphs it leaves out: the draft goes to a prospect, so never at the
    # (private) page it was opened from.
    public = ctx.paths.profile(profile) if profile in ctx.project.profiles else ctx.paths.home()
    public_url = ctx.paths.absolute(public)
    more = f"More about {ctx.project.business.name}: {public_url}" if public_url else None
    # paragraphs unwrapped: the page, the clipboard and the mail app wrap them
    body = email.unwrapped or email.text.strip("\n")
    mailto = mailto_link(to, subject=email.subject, body=body, more=more)
    if mailto != mailto_link(to, subject=email.subject, body=body, max_length=1 << 30):
        shortened = (
            "The email-app button opens a shorter draft (mail apps cut long links); "
            "copy the text for the whole email."
        )
        note = f"{note} {shortened}".strip()
    return EmailBox(
        id=box_id,
        title=title,
        subject=email.subject,
        text=body,
        mailto=mailto,
        note=note,
    )


def _pages(ctx: BuildContext, assets: SiteAssets, partner_pdfs: dict[str, str]) -> list[Page]:
    project = ctx.project
    business = project.business
    paths = ctx.paths
    pages: list[Page] = []
    summary_text = markdown_to_text(business.summary)

    pages.append(
        Page(
            "home",
            paths.home(),
            title=f"{business.name}: {business.tagline}" if business.tagline else business.name,
            description=_clip(business.tagline or summary_text),
            listed=True,
            context={"jsonld": Markup(script_safe_json(_jsonld(project, ctx, assets.logo)))},
        )
    )
    generic = generic_project(project)
    pages.append(
        Page(
            "refer",
            paths.refer(),
            title=f"How to refer a client to {business.name}",
            description=_clip(
                f"How to introduce a client to {business.name} so it is a real introduction, "
                "not a blind date: ask first, introduce with context, and we close the loop."
            ),
            listed=True,
            context={
                "emails": [
                    _email_box(
                        ctx,
                        "email-ask-permission",
                        "1. Ask the prospect first",
                        "ask-permission",
                        paths.refer(),
                        partner=None,
                        profile=None,
                        project=generic,
                    ),
                    _email_box(
                        ctx,
                        "email-introduction",
                        "2. The introduction",
                        "introduction",
                        paths.refer(),
                        partner=None,
                        profile=None,
                        to=business.contact.email,
                        project=generic,
                    ),
                ]
            },
        )
    )
    for slug, profile in project.profiles.items():
        path = paths.profile(slug)
        pdf = paths.profile_pdf(slug)
        pages.append(
            Page(
                "profile",
                path,
                title=f"{profile.title} | {business.name}",
                description=_clip(markdown_to_text(profile.summary)),
                listed=True,
                context={
                    "slug": slug,
                    "profile": profile,
                    "employees": employees_label(profile),
                    "pdf": pdf if ctx.output_bytes(SITE + pdf) is not None else None,
                    "email": _email_box(
                        ctx,
                        "introduce",
                        "The introduction email",
                        "introduction",
                        path,
                        partner=None,
                        profile=slug,
                        to=business.contact.email,
                    ),
                },
            )
        )
    for slug, partner in project.active_partners().items():
        partner_path = paths.partner(slug)
        if partner_path is None:
            continue
        path = partner_path
        served = project.profiles_for(slug)
        # the ask names what we do for that kind of client, so a partner who
        # serves several profiles gets an ask and an introduction for each
        several = len(served) > 1
        emails: list[EmailBox] = []
        for profile_slug, profile in served.items():
            if several or not emails:
                emails.append(
                    _email_box(
                        ctx,
                        f"email-ask-permission-{profile_slug}"
                        if several
                        else "email-ask-permission",
                        f"Ask first: {profile.title}" if several else "Ask the prospect first",
                        "ask-permission",
                        path,
                        partner=slug,
                        profile=profile_slug,
                    )
                )
            emails.append(
                _email_box(
                    ctx,
                    f"email-introduction-{profile_slug}",
                    f"Introduce: {profile.title}",
                    "introduction",
                    path,
                    partner=slug,
                    profile=profile_slug,
                    to=business.contact.email,
                )
            )
        whom = f"{partner.name} ({partner.company})" if partner.company else partner.name
        agreed = "what we propose" if partner.status == "prospect" else "what we agreed"
        pages.append(
            Page(
                "partner",
                path,
                title=f"Prepared for {partner.display_name} | {business.name}",
                description=_clip(
                    f"Prepared for {whom} by {business.name}: whom to introduce to us, "
                    f"whom we send you in return, and {agreed}."
                ),
                listed=partner.page == "public",
                private=partner.page != "public",
                context={
                    "slug": slug,
                    "partner": partner,
                    "served": served,
                    "pdf": partner_pdfs.get(slug),
                    "emails": emails,
                    "strategy": [STRATEGY_LABELS[s] for s in partner.strategy],
                    "profile_pdfs": {
                        s: paths.profile_pdf(s)
                        for s in served
                        if ctx.output_bytes(SITE + paths.profile_pdf(s)) is not None
                    },
                },
            )
        )
    return pages


def _public_partners(ctx: BuildContext) -> list[tuple[str, Partner, str]]:
    out = []
    for slug, partner in ctx.project.active_partners().items():
        path = ctx.paths.partner(slug)
        if path is not None and partner.page == "public":
            out.append((slug, partner, path))
    return out


def _jsonld(project: Project, ctx: BuildContext, logo: str | None) -> str:
    """Schema.org ProfessionalService for the home page, safe inside <script>."""
    business = project.business
    paths = ctx.paths
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


def _nav(current: str) -> list[dict[str, Any]]:
    return [
        {"label": "Who we serve", "target": "#who-we-serve", "current": False},
        {"label": "How to refer us", "target": "refer/", "current": current == "refer"},
        {"label": "Contact", "target": "#contact", "current": False},
    ]


def _environment(ctx: BuildContext) -> jinja2.Environment:
    return make_environment(
        ctx.project.root,
        filters={"clip": _clip, "markdown_plain": markdown_to_text},
    )


def render_site(ctx: BuildContext) -> Iterator[Output]:
    """Every page of the site, its assets, the sitemap, robots.txt and the vCard."""
    project = ctx.project
    business = project.business
    palette = brand_palette(business.site.brand.color)
    assets = build_assets(project.root, palette, project.logo)
    yield from assets.outputs
    env = _environment(ctx)

    partner_pdfs: dict[str, str] = {}
    for slug in project.active_partners():
        path = ctx.paths.partner(slug)
        data = ctx.output_bytes(f"pdf/partners/{slug}.pdf")
        if path is not None and data is not None:
            partner_pdfs[slug] = f"{path}{slug}.pdf"
            yield Output(SITE + partner_pdfs[slug], data)

    common = {
        "business": business,
        "project": project,
        "site": business.site,
        "paths": ctx.paths,
        "brand": palette,
        "assets": assets,
        "public_partners": _public_partners(ctx),
    }
    extra: dict[str, Output] = {}

    def register(name: str) -> str:
        """Copy a file of templates/static/ into assets/ (hashed) for an override."""
        source, _where = _static_file(project.root, name)
        if not source.is_file():
            raise ValueError(
                f"static({name!r}): no templates/static/{name} in the project or the theme"
            )
        data = source.read_bytes()
        path = f"assets/{hashed_name(PurePosixPath(name).name, data)}"
        extra[path] = Output(SITE + path, data)
        return path

    for page in _pages(ctx, assets, partner_pdfs):
        html = _render_page(env, ctx, page, common, register)
        yield Output(SITE + page.file, html.encode("utf-8"))

    not_found = Page(
        "404",
        "404.html",
        title=f"Page not found | {business.name}",
        description="This page does not exist.",
        listed=False,
    )
    html = _render_page(env, ctx, not_found, common, register)
    yield Output(SITE + "404.html", html.encode("utf-8"))
    known = {o.path for o in assets.outputs}
    yield from (o for o in extra.values() if o.path not in known)
    yield Output(SITE + "sitemap.xml", render_sitemap(ctx, _pages_listed(ctx)).encode("utf-8"))
    yield Output(SITE + "robots.txt", render_robots(ctx).encode("utf-8"))
    yield Output(SITE + "contact.vcf", render_vcard(business).encode("utf-8"))


def _pages_listed(ctx: BuildContext) -> list[str]:
    """Site paths of the public pages (the sitemap's)."""
    paths = ctx.paths
    listed = [paths.home(), paths.refer()]
    listed += [paths.profile(slug) for slug in ctx.project.profiles]
    listed += [path for _slug, _partner, path in _public_partners(ctx)]
    return listed


def _render_page(
    env: jinja2.Environment,
    ctx: BuildContext,
    page: Page,
    common: dict[str, Any],
    register: Callable[[str], str],
) -> str:
    file = page.file
    # 404.html is served in place of any missing page, at any depth: its links
    # are absolute when site.base_url says where the site lives, and the files
    # it shows are embedded (assets.inline_css, assets.logo_data)
    anywhere = page.kind == "404"

    def url(target: str) -> str:
        if anywhere:
            return ctx.paths.absolute(target) or relative_url(file, target)
        return relative_url(file, target)

    def static(name: str) -> str:
        path = register(name)
        if anywhere:
            source, _where = _static_file(ctx.project.root, name)
            return data_url(path, source.read_bytes())
        return url(path)

    canonical = ctx.paths.absolute(page.path) if page.listed else None
    home = url("")
    meta = {
        "kind": page.kind,
        "home": home,
        "file": file,
        "title": page.title,
        "description": page.description,
        "canonical": canonical,
        "private": page.private,
        "og_image": (
            ctx.paths.absolute(common["assets"].logo)
            if canonical and common["assets"].logo_type == "image/png"
            else None
        ),
        "og_locale": common["site"].language.replace("-", "_"),
    }
    return render_template(
        env,
        page.template,
        **common,
        page=meta,
        url=url,
        static=static,
        nav=_nav(page.kind),
        **page.context,
    )


# --------------------------------------------------------------------------- other files


def render_sitemap(ctx: BuildContext, listed: Iterable[str]) -> str:
    """sitemap.xml of the public pages; without ``site.base_url`` it lists none."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    if ctx.project.business.site.base_url is None:
        lines.append(
            "  <!-- site.base_url is not set in content/business.yaml: a sitemap needs "
            "absolute URLs, so it lists no pages -->"
        )
    else:
        for path in listed:
            url = ctx.paths.absolute(path) or ""
            lines.append(f"  <url><loc>{_xml_escape(url)}</loc></url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_robots(ctx: BuildContext) -> str:
    """robots.txt: everything may be crawled (private pages say noindex themselves)."""
    # Private pages are not listed here: a Disallow line would reveal where they live,
    # and crawlers must be able to fetch a page to see its noindex.
    text = "User-agent: *\nAllow: /\n"
    sitemap = ctx.paths.absolute("sitemap.xml")
    if sitemap:
        text += f"\nSitemap: {sitemap}\n"
    return text


def _vcard_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character (RFC 2425)."""
    out: list[str] = []
    current = ""
    limit = 75
    for char in line:
        if len((current + char).encode("utf-8")) > limit:
            out.append(current)
            current = " " + char
            limit = 75
        else:
            current += char
    out.append(current)
    return "\r\n".join(out)


def render_vcard(business: Business) -> str:
    """A vCard 3.0 (UTF-8, CRLF) of ``business.contact``."""
    contact = business.contact
    parts = contact.name.split()
    family, given = (parts[-1], " ".join(parts[:-1])) if len(parts) > 1 else (contact.name, "")
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        "PRODID:-//refkit//refkit//EN",
        f"N:{_vcard_escape(family)};{_vcard_escape(given)};;;",
        f"FN:{_vcard_escape(contact.name)}",
        f"ORG:{_vcard_escape(business.name)}",
    ]
    if contact.title:
        lines.append(f"TITLE:{_vcard_escape(contact.title)}")
    lines.append(f"EMAIL;TYPE=INTERNET,WORK:{contact.email}")
    if contact.phone:
        lines.append(f"TEL;TYPE=WORK,VOICE:{_vcard_escape(contact.phone)}")
    if business.website:
        lines.append(f"URL:{business.website}")
    if contact.booking_url:
        lines.append(f"NOTE:{_vcard_escape('Book a first call: ' + contact.booking_url)}")
    lines.append("END:VCARD")
    return "".join(_fold(line) + "\r\n" for line in lines)


# --------------------------------------------------------------------------- link check

#: (tag, attribute) pairs whose URL is fetched when the page loads
_ASSET_ATTRS = {
    ("img", "src"),
    ("script", "src"),
    ("iframe", "src"),
    ("source", "src"),
    ("audio", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("track", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("input", "src"),
}
_LINK_ATTRS = {("a", "href"), ("area", "href"), ("form", "action"), ("use", "href")}
#: <link rel=...> values that only name another page (never fetched)
_NAVIGATIONAL_RELS = {
    "canonical",
    "alternate",
    "author",
    "help",
    "license",
    "next",
    "prev",
    "search",
}


class _Refs(HTMLParser):
    """Every URL a page references, and every id it defines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, bool]] = []  # (url, fetched on load)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        for key in ("id", "name") if tag == "a" else ("id",):
            if key in values:
                self.ids.add(values[key])
        for name, value in values.items():
            if (tag, name) in _ASSET_ATTRS:
                self.refs.append((value, True))
            elif (tag, name) in _LINK_ATTRS:
                self.refs.append((value, False))
            elif name == "srcset" and tag in ("img", "source"):
                for candidate in value.split(","):
                    if candidate.strip():
                        self.refs.append((candidate.split()[0], True))
        if tag == "link" and "href" in values:
            rels = set(values.get("rel", "").lower().split())
            self.refs.append((values["href"], not rels or not rels <= _NAVIGATIONAL_RELS))

    handle_startendtag = handle_starttag


def _page_template(ctx: BuildContext, page: str) -> str:
    if page == "index.html":
        name = PAGE_TEMPLATES["home"]
    elif page == "404.html":
        name = PAGE_TEMPLATES["404"]
    elif page.startswith("refer/"):
        name = PAGE_TEMPLATES["refer"]
    elif page.startswith("clients/"):
        name = PAGE_TEMPLATES["profile"]
    elif page.startswith(("partners/", "p/")):
        name = PAGE_TEMPLATES["partner"]
    else:
        return ""
    own = ctx.project.root / "templates" / name
    return f"templates/{name}" if own.is_file() else f"(built-in) templates/{name}"


def check_links(outputs: Iterable[Output], ctx: BuildContext) -> None:
    """Fail the build when an internal link or asset of the site does not resolve.

    Targets may be outputs of this build or files kept from the previous one
    (``--only``); a target of a kind that was not built and does not exist is
    not an error. Fragments of links to pages must name an element's id.
    External *assets* (fetched on load) are warnings: the built-in theme makes
    no external requests, and an override should not either.
    """
    from refkit.build import owner_of

    site_files: dict[str, bytes] = {}
    for output in outputs:
        if output.path.startswith(SITE):
            site_files[output.path[len(SITE) :]] = output.data
    existing = set(site_files) | {p[len(SITE) :] for p in ctx.carried if p.startswith(SITE)}
    ids: dict[str, set[str]] = {}
    refs: dict[str, list[tuple[str, bool]]] = {}
    for path, data in site_files.items():
        if path.endswith(".html"):
            parser = _Refs()
            parser.feed(data.decode("utf-8", errors="replace"))
            parser.close()
            ids[path], refs[path] = parser.ids, parser.refs
        elif path.endswith(".css"):
            text = data.decode("utf-8", errors="replace")
            refs[path] = [(m.group(2), True) for m in _CSS_URL.finditer(text)]

    problems: list[Problem] = []
    for page, page_refs in sorted(refs.items()):
        template = _page_template(ctx, page)
        origin = f" (rendered from {template})" if template else ""
        for raw, fetched in page_refs:
            error = _check_one(page, raw.strip(), fetched, existing, ids, ctx, owner_of)
            if error is None:
                continue
            severity, message = error
            problem = Problem(SITE + page, f"{message}{origin}")
            if severity == "warning":
                ctx.warn(problem)
            else:
                problems.append(problem)
    if problems:
        raise BuildError(problems)


def _check_one(
    page: str,
    raw: str,
    fetched: bool,
    existing: set[str],
    ids: dict[str, set[str]],
    ctx: BuildContext,
    owner_of: Callable[[str], str | None],
) -> tuple[str, str] | None:
    if raw == "" or raw == "#" or raw.startswith("data:"):
        return None
    parts = urlsplit(raw)
    if parts.scheme or parts.netloc:
        if fetched and parts.scheme in ("http", "https", ""):
            return ("warning", f"'{raw}' is loaded from another site; keep every asset local")
        return None
    path, fragment = unquote(parts.path), unquote(parts.fragment)
    if path.startswith("/"):
        return (
            "error",
            f"link '{raw}' is root-relative; use a relative link so the site works from "
            "any sub-path and from file://",
        )
    if path == "":
        target = page
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
        if target == ".." or target.startswith("../"):
            return ("error", f"broken link '{raw}': it points outside the site")
        if target == ".":
            target = "index.html"
        elif path.endswith("/") or (target not in existing and f"{target}/index.html" in existing):
            target = f"{target}/index.html"
    if target not in existing:
        if owner_of(SITE + target) not in ctx.kinds:
            return None  # e.g. a PDF download when only the site was built
        return ("error", f"broken link '{raw}': site/{target} is not part of the build")
    if fragment and fragment != "top" and target in ids and fragment not in ids[target]:
        return ("error", f"broken link '{raw}': site/{target} has no element with id '{fragment}'")
    return None
