"""The renderer registry: every kind listed once, needs before needers, reads declared."""

from __future__ import annotations

import pytest

from refkit.errors import InternalError
from refkit.render.context import Upstream
from refkit.render.registry import KINDS, RENDERERS, in_order, owner_of


def test_every_kind_has_exactly_one_renderer() -> None:
    assert sorted(r.name for r in RENDERERS) == sorted(KINDS) == sorted(set(KINDS))
    assert set(KINDS) == {"site", "pdf", "email", "report"}  # the contract's --only names


@pytest.mark.parametrize(
    "names", [KINDS, ("site",), ("email", "pdf"), ("report", "site", "pdf"), ("site", "pdf")]
)
def test_a_renderer_runs_after_what_it_needs(names: tuple[str, ...]) -> None:
    order = [r.name for r in in_order(names)]
    assert sorted(order) == sorted(names)
    for renderer in in_order(names):
        for need in renderer.needs:
            if need in names:
                assert order.index(need) < order.index(renderer.name)


def test_every_renderer_loads_a_render_function() -> None:
    for renderer in RENDERERS:
        if renderer.name != "pdf":  # loading it imports WeasyPrint; the build tests cover it
            assert callable(renderer.load())
        assert renderer.prefixes, renderer.name
        for write in renderer.writes:
            folder, suffix = (write, "") if isinstance(write, str) else write
            path = folder + "x" + suffix if folder.endswith("/") else folder
            assert owner_of(path) == renderer.name, path


def test_upstream_refuses_what_was_not_declared() -> None:
    upstream = Upstream(frozenset({"pdf"}), owner_of, {"pdf/clients/a.pdf": b"%PDF"})
    assert upstream.get("pdf/clients/a.pdf") == b"%PDF"
    assert upstream.exists("site/downloads/a.pdf") is False
    with pytest.raises(InternalError, match="without declaring"):
        upstream.get("email/_generic/introduction.txt")
    with pytest.raises(InternalError):
        upstream.exists("site/index.html")


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("site/index.html", "site"),
        ("site/downloads/x.pdf", "pdf"),
        ("site/p/abc/x.pdf", "pdf"),
        ("site/partners/x/x.pdf", "pdf"),
        ("site/assets/brochure.0123456789.pdf", "site"),
        ("pdf/clients/x.pdf", "pdf"),
        ("email/_generic/introduction.txt", "email"),
        ("report/index.html", "report"),
        ("calendar.ics", "report"),
        (".refkit-output", None),
        ("calendar.ics.bak", None),
    ],
)
def test_owner_of(path: str, kind: str | None) -> None:
    assert owner_of(path) == kind


def _import_graph():  # type: ignore[no-untyped-def]
    import grimp

    return grimp.build_graph("refkit", include_external_packages=False)


def test_renderers_do_not_import_each_other() -> None:
    """What two renderers share lives below them (render/messages, context, templating)."""
    graph = _import_graph()
    modules = [r.module for r in RENDERERS]
    for one in modules:
        for other in modules:
            if one != other:
                chain = graph.find_shortest_chain(importer=one, imported=other, as_packages=True)
                assert chain is None, f"{one} imports {other}: {' -> '.join(chain or ())}"


def test_what_renderers_share_imports_no_renderer() -> None:
    graph = _import_graph()
    shared = ["refkit.render.messages", "refkit.render.context", "refkit.render.templating"]
    for module in shared:
        for renderer in RENDERERS:
            chain = graph.find_shortest_chain(
                importer=module, imported=renderer.module, as_packages=True
            )
            assert chain is None, f"{module} imports {renderer.module}: {' -> '.join(chain or ())}"


def test_a_new_kind_of_output_is_one_module_and_one_row(make_project, monkeypatch) -> None:
    """A renderer added to the registry is built, owned, summarised and kept by --only."""
    import sys
    import types

    from click.testing import CliRunner

    from refkit.cli import main
    from refkit.output import Output
    from refkit.render import registry
    from refkit.render.registry import Renderer

    module = types.ModuleType("refkit_test_notes")

    def render(ctx):  # type: ignore[no-untyped-def]
        for slug in ctx.project.partners:
            yield Output(f"notes/{slug}.txt", slug.encode())

    module.render = render  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "refkit_test_notes", module)
    row = Renderer("notes", "refkit_test_notes", "Partner notes", writes=("notes/",))
    monkeypatch.setattr(registry, "RENDERERS", (*registry.RENDERERS, row))

    root = make_project()
    result = CliRunner().invoke(main, ["build", "-p", str(root), "--only", "notes,site"])
    assert result.exit_code == 0, result.output
    partners = sorted(p.stem for p in (root / "content" / "partners").glob("*.yaml"))
    assert sorted(p.stem for p in (root / "output" / "notes").glob("*.txt")) == partners
    assert f"{len(partners)} partner notes" in result.output
    # another --only keeps them, as it keeps every kind it does not rebuild
    result = CliRunner().invoke(main, ["build", "-p", str(root), "--only", "site"])
    assert result.exit_code == 0, result.output
    assert len(list((root / "output" / "notes").glob("*.txt"))) == len(partners)
