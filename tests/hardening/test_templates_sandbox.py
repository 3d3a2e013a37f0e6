"""Override templates are sandboxed, and a template that fails names its file and line.

Issue #11, items 15 (a theme copied from someone else cannot run code, read
or write files) and 10 (a runtime error in an override is one line, never a
traceback).
"""

from __future__ import annotations

from pathlib import Path

import jinja2.sandbox
import pytest
from bs4 import BeautifulSoup

from conftest import cli_build, run_refkit
from refkit.render.templating import make_environment

#: (the override under templates/, the kind that renders it, its text before
#: and after the expression under test, and the line the expression is on)
OVERRIDES = {
    "site/index.html": (
        "site",
        '{% extends "!builtin/site/index.html" %}\n{% block content %}{{ super() }}\n',
        "\n{% endblock %}\n",
        3,
    ),
    "site/robots.txt": ("site", "User-agent: *\n", "\n", 2),
    "site/contact.vcf": ("site", "BEGIN:VCARD\nVERSION:3.0\n", "\nEND:VCARD\n", 3),
    "email/thank-you.txt": ("email", "Subject: Thank you\n\nHi,\n", "\n", 4),
    "email/_layout.html": ("email", "<!doctype html>\n", "\n", 2),
    "pdf/profile.html": ("pdf", "<!doctype html>\n<p>\n", "\n", 3),
    "report/index.html": ("report", "<!doctype html>\n", "\n", 2),
    "_words.html": ("site", "{% set nothing = '' %}\n{% set x = ", " %}\n", 2),
}

ESCAPE = 'cycler.__init__.__globals__.os.system("touch {marker}")'


def _override(root: Path, rel: str, expression: str) -> tuple[str, int]:
    kind, before, after, line = OVERRIDES[rel]
    wrapped = expression if rel == "_words.html" else "{{ " + expression + " }}"
    path = root / "templates" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(before + wrapped + after, encoding="utf-8")
    return kind, line


def _problems(output: str) -> list[str]:
    """The lines of a failed command's output, without its notes."""
    return [line for line in output.splitlines() if line and not line.startswith("note:")]


def test_every_template_environment_is_sandboxed(tmp_path: Path) -> None:
    for html in (True, False):
        env = make_environment(tmp_path, html=html)
        assert isinstance(env, jinja2.sandbox.SandboxedEnvironment)
        assert "jinja2.ext.ExprStmtExtension" in env.extensions


@pytest.mark.parametrize("rel", sorted(OVERRIDES))
def test_an_override_cannot_run_a_command(make_project, tmp_path: Path, rel: str) -> None:
    root = make_project()
    marker = tmp_path / "ran"
    kind, line = _override(root, rel, ESCAPE.format(marker=marker))
    code, output = cli_build(root, "--only", kind)
    assert code == 1, output
    problems = _problems(output)
    assert len(problems) == 1, output
    assert problems[0].startswith(f"templates/{rel}:{line}: error: template error: "), output
    assert "unsafe" in problems[0]
    assert not marker.exists(), "the template ran a shell command"
    assert not (root / "output").exists()


GADGETS = {
    "str mro": "''.__class__.__mro__[1].__subclasses__()",
    "lipsum globals": "lipsum.__globals__['os'].getcwd()",
    "a bound method's self": "'x'.upper.__self__",
    "template context": "self._TemplateReference__context",
    "write a file": "project.root.joinpath('{marker}').write_text('pwned')",
    "touch a file": "project.root.joinpath('{marker}').touch()",
    "read a file": "project.root.joinpath('/etc/hostname').read_text()",
    "list a folder": "project.root.iterdir() | list",
    "pydantic reads a file": "business.parse_file('/etc/hostname')",
}


@pytest.mark.parametrize("gadget", sorted(GADGETS))
def test_no_way_out_of_the_sandbox(make_project, tmp_path: Path, gadget: str) -> None:
    root = make_project()
    marker = tmp_path / "written"
    kind, line = _override(root, "site/index.html", GADGETS[gadget].format(marker=marker))
    code, output = cli_build(root, "--only", kind)
    assert code == 1, output
    problems = _problems(output)
    assert len(problems) == 1, output
    assert problems[0].startswith(f"templates/site/index.html:{line}: error: template error: ")
    assert "unsafe" in problems[0]
    assert not marker.exists()
    assert not (root / "output").exists()


def test_the_do_extension_and_safe_methods_still_work(make_project) -> None:
    root = make_project()
    _override(
        root,
        "site/index.html",
        "'' }}{% set found = [] %}{% do found.append(business.name.upper()) %}"
        "<p id='done'>{{ found | join(',') }} {{ project.root.name | length > 0",
    )
    code, output = cli_build(root, "--only", "site")
    assert code == 0, output
    page = BeautifulSoup((root / "output/site/index.html").read_text(), "html.parser")
    done = page.find(id="done")
    assert done is not None
    assert done.get_text().strip() == "KEEL & COMPASS HR True"


RUNTIME_ERRORS = {
    "division by zero": ("1 / 0", "ZeroDivisionError"),
    "bad filter argument": ("'abc' | truncate('many')", "'>=' not supported"),
    "bad filter value": ("'abc' | money", ""),
    "KeyError": ("{}.pop('missing')", "KeyError: 'missing'"),
    "IndexError": ("[].pop()", "IndexError: pop from empty list"),
    "too big a range": ("range(10 ** 9) | list", "OverflowError"),
    "unsafe attribute": ("business.__class__", "unsafe"),
    "undefined": ("business.nmae", "nmae"),
    "missing include": ("'' }}{% include 'nowhere.html' %}{{ ''", "nowhere.html"),
}


@pytest.mark.parametrize("case", sorted(RUNTIME_ERRORS))
def test_a_runtime_error_in_an_override_is_one_line(make_project, case: str) -> None:
    root = make_project()
    expression, words = RUNTIME_ERRORS[case]
    kind, line = _override(root, "site/index.html", expression)
    code, output = cli_build(root, "--only", kind)
    assert code == 1, output
    problems = _problems(output)
    assert len(problems) == 1, output
    assert problems[0].startswith(f"templates/site/index.html:{line}: error: template "), output
    assert words in problems[0]
    assert not (root / "output").exists()


def test_endless_recursion_in_an_override_is_one_line(make_project) -> None:
    root = make_project()
    path = root / "templates" / "email" / "check-in.txt"
    path.parent.mkdir(parents=True)
    path.write_text(
        "Subject: hi\n{% macro again() %}{{ again() }}{% endmacro %}\n{{ again() }}\n",
        encoding="utf-8",
    )
    code, output = cli_build(root, "--only", "email")
    assert code == 1, output
    problems = _problems(output)
    assert len(problems) == 1, output
    assert problems[0].startswith("templates/email/check-in.txt:2: error: template error: ")
    assert "RecursionError" in problems[0]


@pytest.mark.parametrize("rel", ["site/index.html", "_words.html"])
def test_the_installed_command_prints_no_traceback(make_project, rel: str) -> None:
    root = make_project()
    kind, line = _override(root, rel, "1 / 0")
    result = run_refkit("build", "-p", root, "--only", kind)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "hit a bug" not in result.stderr
    assert _problems(result.stderr) == [
        f"templates/{rel}:{line}: error: template error: ZeroDivisionError: division by zero"
    ]


@pytest.mark.parametrize("rel", ["site/index.html", "email/thank-you.txt", "_words.html"])
def test_a_template_that_is_not_utf8_is_one_line(make_project, rel: str) -> None:
    root = make_project()
    kind = OVERRIDES[rel][0]
    path = root / "templates" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"{# one #}\n{# two #}\ncaf\xe9\n")  # Latin-1, not UTF-8
    result = run_refkit("build", "-p", root, "--only", kind)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    problems = _problems(result.stderr)
    assert len(problems) == 1, result.stderr
    assert problems[0].startswith(f"templates/{rel}:3: error: template is not UTF-8 text"), problems
    assert not (root / "output").exists()
