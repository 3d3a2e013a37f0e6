"""Three kinds of failure, kept apart: a user error, a usage error, a refkit bug."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from refkit.cli import main
from refkit.errors import InternalError


def test_a_user_error_is_one_line_and_exit_1(tmp_path) -> None:
    result = CliRunner().invoke(main, ["check", "-p", str(tmp_path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "no content/ folder here" in result.output


def test_a_usage_error_is_exit_2(tmp_path) -> None:
    result = CliRunner().invoke(main, ["build", "-p", str(tmp_path), "--only", "nothing"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


@pytest.mark.parametrize("bug", [InternalError("a renderer wrote site/../x"), KeyError("x")])
def test_a_bug_prints_its_traceback_and_asks_for_a_report(
    make_project, monkeypatch, bug: Exception
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise bug

    monkeypatch.setattr("refkit.pipeline.build", broken)
    result = CliRunner().invoke(main, ["build", "-p", str(make_project())])
    assert result.exit_code == 1
    assert "Traceback" in result.output
    assert type(bug).__name__ in result.output
    assert "hit a bug (not a problem in your content)" in result.output
