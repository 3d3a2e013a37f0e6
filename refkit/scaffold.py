"""``refkit init``: a new project from the example, and the editor schemas."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from refkit.content.creating import create_file
from refkit.content.models import FILE_MODELS, QUALIFIER_KEYS, json_schema
from refkit.content.secret import load_secret
from refkit.errors import Problem, RefkitError
from refkit.resources import example_content

SCHEMA_DIR = Path(".refkit") / "schema"

GITIGNORE = """\
# refkit
/output/
# a build's lock and staging folders, left beside output/ only by a killed
# build (the next build removes them); they can hold private page links
/.output.lock
/.output.new-*/
/.output.old-*/
# the ledger's lock, and what a `refkit log` killed mid-write leaves
/content/.referrals.*
/content/.activity.*
# the secret behind private partner-page links: never publish it
/.refkit/secret
"""

TEMPLATES_README = """\
# Template overrides

Copy any built-in template here, at the same relative path, to change it:
for example `site/index.html`, `pdf/profile.html` or `email/introduction.txt`.
`refkit build` looks here first, then in refkit's built-in theme.

A template here can extend the built-in one it replaces:

    {% extends "!builtin/site/index.html" %}

Run `python -c "import refkit.resources as r; print(r.builtin_templates())"`
to see where the built-in templates are.
"""


#: what is published, everywhere: the site, and nothing else under output/
#: (report/, email/ and pdf/partners/ are private; see the README's "Publishing")
PUBLISHED = "output/site"

#: the build step both hosts run: refuse to publish without the project's
#: secret, which would otherwise be made up afresh and change every private link
_BUILD = (
    'if [ -z "$REFKIT_SECRET" ]; then',
    '  echo "REFKIT_SECRET is not set: add the contents of .refkit/secret as a secret'
    ' named REFKIT_SECRET, or every private partner link changes" >&2',
    "  exit 1",
    "fi",
    "refkit build --only site,pdf",
)
_BUILD_YAML = "\n".join(" " * 10 + line for line in _BUILD)
#: the same script on one line ("then" takes no ";" after it)
_BUILD_TOML = "; ".join(line.strip() for line in _BUILD).replace("then;", "then")
_BUILD_TOML = _BUILD_TOML.replace('"', '\\"')

GITHUB_WORKFLOW = f"""\
# Publishes output/site to GitHub Pages on every push to main.
# Settings > Pages > Source: "GitHub Actions". Settings > Secrets and variables
# > Actions: a secret named REFKIT_SECRET holding the contents of .refkit/secret.
# Only output/site is uploaded: report/, email/ and pdf/partners/ stay private.
name: Publish

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: Install WeasyPrint's libraries
        run: |
          sudo apt-get update
          sudo apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
      - name: Install refkit
        run: pip install "refkit=={{version}}"
      - name: Build the site
        env:
          REFKIT_SECRET: ${{{{ secrets.REFKIT_SECRET }}}}
        run: |
{_BUILD_YAML}
      - uses: actions/upload-pages-artifact@v3
        with:
          path: {PUBLISHED}

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""

NETLIFY_TOML = f"""\
# Netlify: builds the site and publishes output/site, nothing else.
# Site configuration > Environment variables: REFKIT_SECRET = the contents of
# .refkit/secret (or every private partner link changes).
[build]
  command = "pip install 'refkit=={{version}}' && {_BUILD_TOML}"
  publish = "{PUBLISHED}"

[build.environment]
  PYTHON_VERSION = "3.11"

# private partner pages are unlisted and carry noindex; say so in a header too
[[headers]]
  for = "/p/*"
  [headers.values]
    X-Robots-Tag = "noindex, nofollow"
    Referrer-Policy = "no-referrer"
"""


def create_project(
    directory: Path, *, refkit_version: str, blank: bool = False, today: dt.date | None = None
) -> int:
    """Create a complete example project in ``directory``; return the number of files.

    ``refkit_version`` is the release the publishing workflows install (the
    CLI's; ``refkit`` itself sits above this layer). With ``blank``, the
    project has a placeholder business.yaml, one placeholder profile, no
    partners and an empty ledger instead of the example.
    """
    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise RefkitError(
            Problem(
                str(directory), "is not empty; refkit init only writes into a new or empty folder"
            )
        )
    directory.mkdir(parents=True, exist_ok=True)
    if blank:
        _write_blank_content(directory / "content", today or dt.date.today())
    else:
        shutil.copytree(example_content(), directory / "content")
    (directory / "templates").mkdir()
    (directory / "templates" / "README.md").write_text(TEMPLATES_README, encoding="utf-8")
    (directory / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    workflows = directory / ".github" / "workflows"
    workflows.mkdir(parents=True)
    for path, text in (
        (workflows / "publish.yml", GITHUB_WORKFLOW),
        (directory / "netlify.toml", NETLIFY_TOML),
    ):
        path.write_text(text.replace("{version}", refkit_version), encoding="utf-8")
    load_secret(directory, create=True)
    write_schemas(directory)
    return sum(1 for p in directory.rglob("*") if p.is_file())


def _write_blank_content(content: Path, today: dt.date) -> None:
    """``refkit init --blank``'s content/: placeholders that `refkit build` accepts."""
    for folder in ("profiles", "partners", "assets"):
        (content / folder).mkdir(parents=True)
    (content / "business.yaml").write_text(BLANK_BUSINESS, encoding="utf-8")
    (content / "referrals.yaml").write_text(BLANK_LEDGER, encoding="utf-8")
    profile = starter_text("profile", BLANK_PROFILE, today=today)
    (content / "profiles" / f"{BLANK_PROFILE}.yaml").write_text(profile, encoding="utf-8")


def write_schemas(root: Path) -> None:
    """Write ``.refkit/schema/KIND.json``, which the content files' modelines point at."""
    folder = root / SCHEMA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for kind in FILE_MODELS:
        path = folder / f"{kind}.json"
        text = json.dumps(json_schema(kind), indent=2) + "\n"
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- starter files
# `refkit new partner|profile SLUG` and `refkit init --blank`: every field of the
# contract (shared/spec/content-model.md), the required ones filled with
# placeholders that say what to write, the optional ones commented out with
# what each is for. Placeholders are plain words, never "[Blank]"-style
# brackets: those mean "fill in" in the email drafts, and must not appear in one.

PARTNER_STARTER = """\
# yaml-language-server: $schema=../../.refkit/schema/partner.json
#
# A referral partner or top customer, made by `refkit new partner {slug}`.
# Fill in what you know; uncomment an optional field (remove the "# ") to use it.
# `refkit check` says what is wrong, at its line.

# The person you deal with (required).
name: {title}
# Their company.
# company: Their Company Ltd
# Their role or job title.
# role: Managing Partner
# partner (refers clients to us) or customer (a top customer we ask for referrals).
# kind: partner
# Their email: needed for the .eml drafts addressed to them.
# email: name@their-company.example
# Their phone number, as you would dial it (quoted).
# phone: "+1 555 0100"
# Their website (an absolute http(s) URL).
# website: https://www.their-company.example/
# prospect (not a partner yet), active (the default), paused, or retired (no outputs).
status: prospect
# When the partnership started (YYYY-MM-DD).
# since: {today}
# Which of our profiles (slugs in content/profiles/) they can refer to us.
# serves:
{serves}
# What they sell, so that we can refer clients to them.
# offers:
#   - What they offer
# Whom they want from us: the clients we should send them.
# their_ideal_clients:
#   - The clients they want introduced
# Their price tier: value, mid-market or premium.
# price_tier: mid-market
# How we work together: referrals, joint-marketing, joint-sales-calls, co-hosted-events.
# strategy:
#   - referrals
# What each side committed to, and how often to check in (days).
# agreement:
#   expectations:
#     - Each side makes a warm introduction within two business days of spotting a fit
#   check_in_days: 60
# The fit checklist: true, false, or null (not known yet).
# qualifiers:
{qualifiers}
# Their landing page: private (an unlisted link, the default), public, or none.
# page: private
# Show them, on their private page, how many introductions each side has made.
# share_progress: false
# Private notes: never published anywhere (Markdown).
# notes: |
#   How they like to be reached.
"""

PROFILE_STARTER = """\
# yaml-language-server: $schema=../../.refkit/schema/profile.json
#
# An ideal client profile, made by `refkit new profile {slug}`: whom we want
# introduced. Replace each placeholder below; uncomment an optional field
# (remove the "# ") to use it. `refkit check` says what is wrong, at its line.

# Who they are, in a few words, e.g. "HR directors at growing manufacturers" (required).
title: {title}
# Who they are and why we fit them, two to four sentences in Markdown (required).
summary: |
  Replace this with who these clients are, what they need and why we are the
  right firm for them.
# Whom a referrer should introduce us to, e.g. "Operations Director or COO" (required).
contact_role: Replace this with the role to introduce us to
# What makes an introduction qualified, one line each (required, at least one).
criteria:
  - Replace this with what a qualified introduction has
# business (the prospect is a company, the default) or household (no company fields).
# kind: business
# The companies they work in (business profiles only).
# company:
#   employees:
#     min: 40
#     max: 400
#   revenue: "$10M-$100M"
#   industries:
#     - An industry
#   locations:
#     - A region
# Events that make now a good time to introduce them.
# signals:
#   - Opening a second site
# The problems we solve for them.
# needs:
#   - A problem they have
# What makes an introduction not a fit.
# disqualifiers:
#   - Who we cannot help
# What clients of this profile value in us.
# why_us:
#   - What they value
# An anonymized success story (Markdown).
# example: |
#   A client like them came to us with a problem; here is what changed.
# What a referrer should tell the prospect about us.
# intro_hint: One sentence a referrer can say about us
# Sort order among the profiles (then by title).
# order: 1
# A picture (JPEG, PNG or WebP) under content/assets, and its text alternative.
# image: assets/profile.jpg
# image_alt: What the picture shows
"""

BLANK_BUSINESS = """\
# yaml-language-server: $schema=../.refkit/schema/business.json
#
# Who we are, made by `refkit init --blank`. Partners read this first. Replace
# each placeholder; uncomment an optional field (remove the "# ") to use it.

# The business's name (required).
name: Your Business Name
# One line under the name.
# tagline: What you do, in one line
# What you do, two to four sentences in Markdown (required).
summary: |
  Replace this with what your business does, for whom, and what changes for
  a client after working with you.
# Your main website.
# website: https://www.your-business.example/
# The person partners reach (required: name and email).
contact:
  name: Alex Example
  # title: Founder
  email: you@your-business.example
  # phone: "+1 555 0100"
  # booking_url: https://www.your-business.example/book
  # photo: assets/you.jpg
# What you offer (required, at least one).
services:
  - name: Your main service
    summary: Replace this with one or two sentences on what the service is.
# What you do NOT do, so partners see you will not compete with them.
# we_do_not_offer:
#   - Something your partners do
# Industries you focus on.
# industries:
#   - An industry
# Where you work.
# service_area: Your region, and remote
# Your price tier: value, mid-market or premium.
# price_tier: mid-market
# How new business reaches you today (Markdown).
# how_we_win_business: |
#   Mostly through introductions from partners.
# What your best clients say they value.
# why_clients_choose_us:
#   - What they value
# Who you are not for.
# not_a_fit:
#   - Who you cannot help
# What you stand for.
# values:
#   - A value
# What a partner gets from working with you.
# partner_offer:
#   - Introductions back to clients who need them
# Short quotes, attributed by role.
# testimonials:
#   - quote: What a client said
#     who: Their role, their kind of company
# What you promise partners and prospects.
# promises:
#   reply_within: one business day
#   first_meeting: a 20-minute call
# The currency of the ledger's values (ISO 4217).
# currency: USD
# Site settings.
# site:
#   base_url: https://partners.your-business.example/
#   language: en
#   paper: letter
#   brand:
#     color: "#1d4e5f"
#     logo: assets/logo.svg
"""

BLANK_LEDGER = """\
# yaml-language-server: $schema=../.refkit/schema/referrals.json
#
# The referral ledger: every introduction, both ways. Private: it feeds the
# scorecard, the report and the check-in emails, never the public site.
# Add entries with `refkit log received --partner SLUG --prospect NAME`.
[]
"""

#: the placeholder profile of `refkit init --blank`
BLANK_PROFILE = "ideal-clients"
#: what the starter files are made from: the folder and the model of each kind
STARTER_KINDS = ("partner", "profile")


def starter_text(kind: str, slug: str, *, today: dt.date, profiles: Iterable[str] = ()) -> str:
    """The commented starter file of a ``partner`` or ``profile`` called ``slug``."""
    title = slug.replace("-", " ")
    if kind == "profile":
        return PROFILE_STARTER.format(slug=slug, title=title[:1].upper() + title[1:])
    serves = "\n".join(f"#   - {p}" for p in profiles) or "#   - a-profile-slug"
    qualifiers = "\n".join(f"#   {key}: null" for key in QUALIFIER_KEYS)
    return PARTNER_STARTER.format(
        slug=slug,
        title=title.title(),
        today=today.isoformat(),
        serves=serves,
        qualifiers=qualifiers,
    )


def create_starter(root: Path, kind: str, slug: str, *, today: dt.date) -> str:
    """Write ``content/{kind}s/{slug}.yaml`` from its starter; return its path under ``root``.

    Refuses an existing file (``.yaml`` or ``.yml``) and a project without content/.
    """
    root = Path(root)
    content = root / "content"
    if not content.is_dir():
        raise RefkitError(
            Problem(str(content), "no content/ folder: run this in a refkit project (or -p DIR)")
        )
    folder = content / f"{kind}s"
    rel = f"content/{kind}s/{slug}.yaml"
    for suffix in (".yaml", ".yml"):
        if os.path.lexists(folder / f"{slug}{suffix}"):
            raise RefkitError(
                Problem(f"content/{kind}s/{slug}{suffix}", "already exists: not changed")
            )
    profiles = sorted(
        p.stem for p in (content / "profiles").glob("*.y*ml") if p.suffix in (".yaml", ".yml")
    )
    text = starter_text(kind, slug, today=today, profiles=profiles)
    create_file(folder / f"{slug}.yaml", text, rel, FILE_MODELS[kind])
    return rel
