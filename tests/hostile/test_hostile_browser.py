"""A few of the XSS cases with their pages opened in Chromium: no payload ever runs.

The parsed-HTML checks of test_hostile_cases.py say what the markup holds;
these say what a visitor's browser does with it. Every page and email of the
build is opened from disk with a listener for dialogs (the payloads call
``alert``), page errors that name the payload, and any request that leaves
the build folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hostile_cases import BUSINESS, LEDGER, PARTNER, PROFILE, Set, apply_change, xss

from conftest import run_refkit, write_project

pytestmark = pytest.mark.browser
SLUG = Path(PARTNER).stem

FIELDS = [
    (BUSINESS, "name"),
    (BUSINESS, "summary"),
    (BUSINESS, "testimonials.0.quote"),
    (PROFILE, "title"),
    (PROFILE, "example"),
    (PARTNER, "name"),
    (LEDGER, "17.prospect"),
]


@pytest.mark.parametrize(("rel", "name"), FIELDS, ids=[f"{Path(r).stem} {n}" for r, n in FIELDS])
def test_no_payload_runs_in_the_browser(browser: Any, tmp_path: Path, rel: str, name: str) -> None:
    root = write_project(tmp_path)
    apply_change(root, rel, Set({name: xss(name)}))
    result = run_refkit("build", "-p", root, "--only", "site,email,report")
    assert result.returncode == 0, result.stderr
    out = root / "output"
    pages = sorted(
        [*out.glob("site/**/*.html"), *out.glob("report/*.html"), *out.glob(f"email/{SLUG}/*.html")]
    )
    assert pages

    ran: list[str] = []
    where = [""]
    context = browser.new_context()
    page = context.new_page()

    def on_dialog(dialog: Any) -> None:
        ran.append(f"{where[0]}: dialog {dialog.message!r}")
        dialog.dismiss()

    def on_request(request: Any) -> None:
        if not request.url.startswith(("file://", "data:", "blob:")):
            ran.append(f"{where[0]}: request {request.url}")

    page.on("dialog", on_dialog)
    page.on("request", on_request)
    page.on("pageerror", lambda error: ran.append(f"{where[0]}: page error {error}"))
    try:
        for path in pages:
            where[0] = str(path.relative_to(out))
            page.goto(path.as_uri(), wait_until="load")
            page.wait_for_timeout(30)  # onerror and onload handlers fire after load
    finally:
        context.close()
    assert not ran, "\n".join(ran)
