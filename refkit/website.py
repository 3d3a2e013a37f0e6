"""The partner-facing static site under ``output/site/``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from refkit.templating import make_environment, render_template
from refkit.writer import Output

if TYPE_CHECKING:
    from refkit.build import BuildContext


def render_site(ctx: BuildContext) -> Iterator[Output]:
    """Every page of the site."""
    env = make_environment(ctx.project.root)
    html = render_template(env, "site/index.html", business=ctx.project.business, project=ctx.project)
    yield Output("site/index.html", html.encode("utf-8"))


def check_links(outputs: Iterable[Output], ctx: BuildContext) -> None:
    """Fail the build when an internal link or asset of the site does not resolve."""
