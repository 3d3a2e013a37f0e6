"""``refkit init``: a new project from the example, and the editor schemas."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from refkit.content.models import FILE_MODELS, json_schema
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


def create_project(directory: Path, *, refkit_version: str) -> int:
    """Create a complete example project in ``directory``; return the number of files.

    ``refkit_version`` is the release the publishing workflows install (the
    CLI's; ``refkit`` itself sits above this layer).
    """
    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise RefkitError(
            Problem(
                str(directory), "is not empty; refkit init only writes into a new or empty folder"
            )
        )
    directory.mkdir(parents=True, exist_ok=True)
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


def write_schemas(root: Path) -> None:
    """Write ``.refkit/schema/KIND.json``, which the content files' modelines point at."""
    folder = root / SCHEMA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for kind in FILE_MODELS:
        path = folder / f"{kind}.json"
        text = json.dumps(json_schema(kind), indent=2) + "\n"
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
