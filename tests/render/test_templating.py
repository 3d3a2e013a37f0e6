"""Project templates: they override or extend the built-in ones; errors name file and line."""

from __future__ import annotations

from conftest import cli_build


def test_template_error_names_file_and_line(make_project) -> None:
    root = make_project(
        **{"templates/site/index.html": "<!doctype html>\n<title>x</title>\n{{ business.nmae }}\n"}
    )
    code, output = cli_build(root, "--only", "site")
    assert code == 1
    assert output.startswith("templates/site/index.html:3: error: template error:")
    assert "nmae" in output
    assert not (root / "output").exists()


def test_template_syntax_error(make_project) -> None:
    root = make_project(**{"templates/site/index.html": "<p>\n{% if %}\n"})
    code, output = cli_build(root, "--only", "site")
    assert code == 1
    assert output.startswith("templates/site/index.html:2: error: template syntax:")


def test_override_can_extend_the_builtin(make_project) -> None:
    root = make_project(
        **{
            "templates/site/index.html": '{% extends "!builtin/site/index.html" %}\n'
            "{# a one-line override still gets the whole built-in page #}\n"
        }
    )
    assert cli_build(root, "--only", "site")[0] == 0
    html = (root / "output" / "site" / "index.html").read_text()
    assert "Keel &amp; Compass HR" in html
