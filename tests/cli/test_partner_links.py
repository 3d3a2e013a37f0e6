"""`refkit partners --links`: each partner's page and one-pager, as built."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from conftest import run_refkit
from refkit.content.project import load_project
from refkit.derive.layout import page_file


def links(root: Path, *args: str, **kw: Any) -> Any:
    result = run_refkit("partners", "-p", root, "--links", *args, **kw)
    assert result.returncode == 0, result.stderr
    return result


def test_links_are_the_built_pages(example_build: Path) -> None:
    project = load_project(example_build)
    base = str(project.business.site.base_url).rstrip("/") + "/"
    found = json.loads(links(example_build, "--json").stdout)
    assert [row["slug"] for row in found] == list(project.active_partners())
    assert "gary-koenig" not in {row["slug"] for row in found}  # retired: no outputs
    assert all(list(row) == ["slug", "name", "page", "pdf"] for row in found)
    pages = 0
    for row in found:
        assert row["name"] == project.partners[row["slug"]].name
        assert (example_build / row["pdf"]).read_bytes().startswith(b"%PDF-"), row
        if row["page"] is None:
            assert project.partners[row["slug"]].page == "none"
            continue
        assert row["page"].startswith(base), row
        built = example_build / "output" / "site" / page_file(row["page"].removeprefix(base))
        assert row["name"] in built.read_text("utf-8"), row
        pages += 1
    assert pages >= 5


@pytest.mark.parametrize("columns", [60, 80, 200])
def test_links_fit_the_width_and_stay_whole(
    example_build: Path, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    found = json.loads(links(example_build, "--json").stdout)
    result = links(example_build, env={"COLUMNS": str(columns)})
    assert result.stderr == ""  # built: no note
    lines = result.stdout.splitlines()
    urls = {row["page"] for row in found if row["page"]}
    # a URL wider than the screen gets a line of its own, whole, to be copied
    assert [line for line in lines if cell_len(line) > columns and line not in urls] == []
    words = {word for line in lines for word in line.split()}
    for row in found:
        assert row["pdf"] in words
        assert row["page"] in words if row["page"] else "no page (page: none)" in result.stdout
    if columns == 200:  # one line a partner
        for row in found:
            line = next(line for line in lines if line.startswith(row["name"]))
            assert row["pdf"] in line and (row["page"] or "no page") in line


def test_links_csv_and_the_note_before_a_build(make_project) -> None:
    root = make_project()
    result = links(root, "--csv")
    assert "not built yet" in result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout.removeprefix("\ufeff"))))
    assert [row["slug"] for row in rows] == list(load_project(root).active_partners())
    raj = next(row for row in rows if row["slug"] == "raj-patel")
    assert (raj["page"], raj["pdf"]) == ("", "output/pdf/partners/raj-patel.pdf")
