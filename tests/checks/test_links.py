"""The link checker: a project template's broken link, anchor or remote asset is reported."""

from __future__ import annotations

import pytest

from conftest import TODAY, build_site, override, run_refkit
from refkit.errors import BuildError
from refkit.pipeline import build


def test_broken_link_in_an_override_fails_the_build(make_project) -> None:
    root = make_project()
    override(root, "refer.html", '<a href="../nowhere/">x</a><img src="../assets/nope.png" alt="">')
    with pytest.raises(BuildError) as caught:
        build_site(root)
    messages = [str(p) for p in caught.value.problems]
    assert any(
        m.startswith("site/refer/index.html: error:") and "'../nowhere/'" in m for m in messages
    ), messages
    assert any("'../assets/nope.png'" in m for m in messages)
    assert all("templates/site/refer.html" in m for m in messages)
    result = run_refkit("build", "-p", root, "--only", "site")
    assert result.returncode == 1
    assert "site/refer/index.html" in result.stderr and "nowhere" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (root / "output").exists()


def test_missing_anchor_and_root_relative_links_fail(make_project) -> None:
    root = make_project()
    override(root, "refer.html", '<a href="../index.html#no-such-id">x</a><a href="/refer/">y</a>')
    with pytest.raises(BuildError) as caught:
        build_site(root)
    text = "\n".join(str(p) for p in caught.value.problems)
    assert "no element with id 'no-such-id'" in text
    assert "root-relative" in text


def test_external_assets_are_warned_about(make_project) -> None:
    root = make_project()
    override(root, "refer.html", '<img src="https://cdn.example.com/x.png" alt="">')
    report = build(root, only=["site"], today=TODAY)
    assert any("cdn.example.com" in w.message for w in report.warnings)


def test_a_broken_link_names_the_template_of_the_page(make_project) -> None:
    """site/p/index.html is rendered from unlisted.html, not from the partner page."""
    root = make_project()
    override(root, "unlisted.html", '<a href="../nowhere/">x</a>')
    with pytest.raises(BuildError) as caught:
        build_site(root)
    (problem,) = caught.value.problems
    assert str(problem).startswith("site/p/index.html: error: broken link '../nowhere/'")
    assert str(problem).endswith("(rendered from templates/site/unlisted.html)")


def test_file_urls_are_warned_about(make_project) -> None:
    root = make_project()
    override(root, "refer.html", '<img src="file:///etc/hostname" alt=""><a href="FILE:///x">x</a>')
    report = build(root, only=["site"], today=TODAY)
    found = [str(w) for w in report.warnings if "is a file on this machine" in w.message]
    assert len(found) == 2, found
    assert all(w.startswith("site/refer/index.html: warning: ") for w in found)
