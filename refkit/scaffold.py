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


def create_project(directory: Path) -> int:
    """Create a complete example project in ``directory``; return the number of files."""
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
