"""The project secret behind the private pages' tokens: made once, kept, the environment first."""

from __future__ import annotations

import pytest

from conftest import run_refkit


def test_secret_is_created_once_and_tokens_are_stable(make_project) -> None:
    root = make_project()
    (root / ".refkit" / "secret").unlink()
    result = run_refkit("build", "-p", root, "--only", "site")
    assert result.returncode == 0, result.stderr
    assert "created .refkit/secret" in result.stderr
    secret = (root / ".refkit" / "secret").read_text().strip()
    assert len(secret) >= 32
    assert oct((root / ".refkit" / "secret").stat().st_mode)[-3:] == "600"
    again = run_refkit("build", "-p", root, "--only", "site")
    assert "created .refkit/secret" not in again.stderr
    assert (root / ".refkit" / "secret").read_text().strip() == secret


def test_env_secret_wins(make_project, monkeypatch: pytest.MonkeyPatch) -> None:
    from refkit.content.secret import load_secret

    root = make_project()
    monkeypatch.setenv("REFKIT_SECRET", "from-the-environment-0123456789")
    assert load_secret(root) == ("from-the-environment-0123456789", False)


def test_email_says_when_it_creates_the_secret(make_project) -> None:
    root = make_project()
    (root / ".refkit" / "secret").unlink(missing_ok=True)
    env = {"REFKIT_SECRET": ""}
    first = run_refkit(
        "email", "criteria-share", "--partner", "dana-whitfield", "-p", root, env=env
    )
    assert first.returncode == 0, first.stderr
    assert "created .refkit/secret" in first.stderr
    assert (root / ".refkit" / "secret").is_file()
    again = run_refkit(
        "email", "criteria-share", "--partner", "dana-whitfield", "-p", root, env=env
    )
    assert "created" not in again.stderr and again.stdout == first.stdout
