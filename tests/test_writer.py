"""The writer: output/ is replaced whole or not at all, and only a folder refkit made."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import cli_build
from refkit.errors import OutputError
from refkit.output import Output
from refkit.writer import write_outputs


def test_unchanged_files_keep_their_inode(make_project) -> None:
    root = make_project()
    assert cli_build(root, "--only", "site")[0] == 0
    index = root / "output" / "site" / "index.html"
    first = index.stat().st_ino
    assert cli_build(root, "--only", "site")[0] == 0
    assert index.stat().st_ino == first  # hard-linked, not rewritten


def test_output_symlink_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "out").symlink_to(real)
    with pytest.raises(OutputError, match="symbolic link"):
        write_outputs(tmp_path / "out", [Output("site/a.html", b"a")])
    assert list(real.iterdir()) == []


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


def test_refuses_to_replace_a_folder_it_did_not_make(make_project, tmp_path: Path) -> None:
    root = make_project()
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "taxes.txt").write_text("do not delete")
    code, output = cli_build(root, "--only", "site", "--out", str(precious))
    assert code == 1
    assert "was not made by refkit" in output
    assert (precious / "taxes.txt").read_text() == "do not delete"
    code, output = cli_build(root, "--only", "site", "--out", str(root))
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
