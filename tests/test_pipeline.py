"""`refkit build`: the pipeline, atomic output, template overrides and strict templates."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import TEST_SECRET, run_refkit
from refkit.cli import main
from refkit.derive.layout import partner_token
from refkit.errors import InternalError, OutputError
from refkit.pipeline import build
from refkit.writer import Output, write_outputs


def tree_hash(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", "-p", str(root), *args])
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output


def test_build_writes_site_and_summary(make_project) -> None:
    root = make_project()
    code, output = run(root, "--only", "site")
    assert code == 0, output
    assert (root / "output" / "site" / "index.html").is_file()
    assert output.strip().splitlines()[-1].startswith("Built ")
    assert "pages" in output


def test_failed_build_leaves_previous_output_untouched(make_project) -> None:
    root = make_project()
    assert run(root, "--only", "site")[0] == 0
    before = tree_hash(root / "output")
    partner = root / "content" / "partners" / "dana-whitfield.yaml"
    partner.write_text(partner.read_text().replace("status: active", "status: activ"))
    code, output = run(root)
    assert code == 1
    assert "content/partners/dana-whitfield.yaml:" in output
    assert tree_hash(root / "output") == before
    assert not [p for p in root.iterdir() if p.name.startswith(".output.")]


def test_template_error_names_file_and_line(make_project) -> None:
    root = make_project(
        **{"templates/site/index.html": "<!doctype html>\n<title>x</title>\n{{ business.nmae }}\n"}
    )
    code, output = run(root, "--only", "site")
    assert code == 1
    assert output.startswith("templates/site/index.html:3: error: template error:")
    assert "nmae" in output
    assert not (root / "output").exists()


def test_template_syntax_error(make_project) -> None:
    root = make_project(**{"templates/site/index.html": "<p>\n{% if %}\n"})
    code, output = run(root, "--only", "site")
    assert code == 1
    assert output.startswith("templates/site/index.html:2: error: template syntax:")


def test_override_can_extend_the_builtin(make_project) -> None:
    root = make_project(
        **{
            "templates/site/index.html": '{% extends "!builtin/site/index.html" %}\n'
            "{# a one-line override still gets the whole built-in page #}\n"
        }
    )
    assert run(root, "--only", "site")[0] == 0
    html = (root / "output" / "site" / "index.html").read_text()
    assert "Keel &amp; Compass HR" in html


def test_only_keeps_other_kinds_from_the_previous_build(make_project) -> None:
    root = make_project()
    out = root / "output"
    write_outputs(out, [Output("email/x/introduction.txt", b"kept"), Output("site/old.html", b"x")])
    assert run(root, "--only", "site")[0] == 0
    assert (out / "email" / "x" / "introduction.txt").read_bytes() == b"kept"
    assert not (out / "site" / "old.html").exists()


def test_only_rejects_unknown_kinds(make_project) -> None:
    code, output = run(make_project(), "--only", "site,pdfs")
    assert code == 2
    assert "pdfs" in output


def test_unchanged_files_keep_their_inode(make_project) -> None:
    root = make_project()
    assert run(root, "--only", "site")[0] == 0
    index = root / "output" / "site" / "index.html"
    first = index.stat().st_ino
    assert run(root, "--only", "site")[0] == 0
    assert index.stat().st_ino == first  # hard-linked, not rewritten


def test_output_symlink_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "out").symlink_to(real)
    with pytest.raises(OutputError, match="symbolic link"):
        write_outputs(tmp_path / "out", [Output("site/a.html", b"a")])
    assert list(real.iterdir()) == []


def test_outputs_cannot_escape(tmp_path: Path) -> None:
    with pytest.raises(InternalError):
        Output("../evil", b"")
    with pytest.raises(InternalError):
        Output("/etc/passwd", b"")


def test_interrupted_write_keeps_previous(tmp_path: Path) -> None:
    out = tmp_path / "output"
    write_outputs(out, [Output("site/a.html", b"old")])

    def outputs():
        yield Output("site/a.html", b"new")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_outputs(out, outputs())
    assert (out / "site" / "a.html").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


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


def test_token_depends_on_the_secret_not_only_the_name() -> None:
    one = partner_token(TEST_SECRET, "dana-whitfield")
    assert one == partner_token(TEST_SECRET, "dana-whitfield")
    assert one != partner_token(TEST_SECRET + "x", "dana-whitfield")
    assert one != partner_token(TEST_SECRET, "dana-whitfielf")
    assert len(one) == 26 and one.isalnum()


def test_env_secret_wins(make_project, monkeypatch: pytest.MonkeyPatch) -> None:
    from refkit.content.secret import load_secret

    root = make_project()
    monkeypatch.setenv("REFKIT_SECRET", "from-the-environment-0123456789")
    assert load_secret(root) == ("from-the-environment-0123456789", False)


def test_missing_harfbuzz_is_noted(make_project, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    pipeline = importlib.import_module("refkit.pipeline")
    monkeypatch.setattr(pipeline, "harfbuzz_subset_available", lambda: False)
    monkeypatch.setattr(pipeline, "_run", lambda renderer, ctx, progress: iter(()))
    monkeypatch.setattr("refkit.pipeline.check_links", lambda *args: None)
    report = build(make_project(), only=["pdf"])
    assert any("libharfbuzz-subset0" in notice for notice in report.notices)


def test_strict_build_fails_on_warnings(make_project) -> None:
    root = make_project()
    partner = root / "content" / "partners" / "dana-whitfield.yaml"
    partner.write_text(partner.read_text().replace("  refers_back: true", "  refers_back: false"))
    assert run(root, "--only", "site")[0] == 0
    code, output = run(root, "--only", "site", "--strict")
    assert code == 1
    assert "error: qualifiers.refers_back" in output


def test_check_does_not_import_weasyprint(make_project) -> None:
    root = make_project()
    code = (
        "import sys; from refkit.cli import main\n"
        "try:\n"
        f"    main(['check', '-p', {str(root)!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "assert 'weasyprint' not in sys.modules, 'weasyprint imported'\n"
    )
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_build_is_reproducible_for_site(make_project) -> None:
    root = make_project()
    assert run(root, "--only", "site")[0] == 0
    first = tree_hash(root / "output")
    os.utime(root / "content" / "business.yaml")
    assert run(root, "--only", "site")[0] == 0
    assert tree_hash(root / "output") == first


def test_refuses_to_replace_a_folder_it_did_not_make(make_project, tmp_path: Path) -> None:
    root = make_project()
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "taxes.txt").write_text("do not delete")
    code, output = run(root, "--only", "site", "--out", str(precious))
    assert code == 1
    assert "was not made by refkit" in output
    assert (precious / "taxes.txt").read_text() == "do not delete"
    code, output = run(root, "--only", "site", "--out", str(root))
    assert code == 1
    assert "contains the project itself" in output
    assert (root / "content" / "business.yaml").is_file()


def test_a_placeholder_output_folder_is_adopted_and_its_placeholder_kept(tmp_path: Path) -> None:
    """`output/.gitkeep` committed to git does not block the first build."""
    out = tmp_path / "output"
    out.mkdir()
    (out / ".gitkeep").write_bytes(b"")
    (out / ".gitignore").write_text("*\n")
    write_outputs(out, [Output("site/a.html", b"a")])
    assert (out / "site" / "a.html").read_bytes() == b"a"
    assert (out / ".gitignore").read_text() == "*\n"
    write_outputs(out, [Output("site/b.html", b"b")])
    assert sorted(p.name for p in out.iterdir()) == [
        ".gitignore",
        ".gitkeep",
        ".refkit-output",
        "site",
    ]
    assert not (out / "site" / "a.html").exists()
    # a placeholder name that is a folder is not a placeholder
    other = tmp_path / "other"
    (other / ".gitkeep").mkdir(parents=True)
    with pytest.raises(OutputError, match="was not made by refkit"):
        write_outputs(other, [Output("site/a.html", b"a")])
