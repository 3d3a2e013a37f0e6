"""The one Jinja environment factory, and template errors that name file and line.

The project's ``templates/`` is searched first, then the built-in theme, with
the same relative paths: copy one file to override it. A project template can
extend the one it replaces as ``!builtin/<path>``.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from refkit.errors import Problem, TemplateError
from refkit.resources import builtin_templates
from refkit.text.dates import cadence_words, period_words
from refkit.text.english import first_name
from refkit.text.formats import employees_label, employees_range, format_money
from refkit.text.markup import markdown_to_text, render_inline, render_markdown

BUILTIN_PREFIX = "!builtin"


def make_environment(
    project_root: Path | None,
    *,
    filters: dict[str, Callable[..., Any]] | None = None,
    html: bool = True,
) -> jinja2.Environment:
    """A strict environment over ``project/templates`` then the built-in theme.

    ``html=False`` turns autoescaping off everywhere (plain-text emails).
    """
    builtin = builtin_templates()
    searchpath = []
    if project_root is not None and (project_root / "templates").is_dir():
        project_templates = (project_root / "templates").resolve()
        if project_templates != builtin.resolve():
            searchpath.append(str(project_templates))
    searchpath.append(str(builtin))
    loader = jinja2.ChoiceLoader(
        [
            jinja2.PrefixLoader({BUILTIN_PREFIX: jinja2.FileSystemLoader(str(builtin))}),
            jinja2.FileSystemLoader(searchpath),
        ]
    )
    autoescape: Any = (
        jinja2.select_autoescape(["html", "htm", "xml", "svg"], default_for_string=True)
        if html
        else False
    )
    env = jinja2.Environment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.do"],
    )
    env.filters["markdown"] = render_markdown
    env.filters["markdown_inline"] = render_inline
    env.filters["markdown_text"] = markdown_to_text
    env.filters["money"] = format_money
    env.filters["cadence"] = cadence_words
    env.filters["period"] = period_words
    env.filters["first_name"] = first_name
    env.filters["employees_range"] = lambda range: employees_range(range.min, range.max)
    env.filters["employees_label"] = lambda range: employees_label(range.min, range.max)
    env.filters.update(filters or {})
    env.globals["Markup"] = Markup
    env.globals["project_root"] = project_root
    env.globals["words"] = _words(env)
    return env


#: the template of the words several outputs share (see templates/_words.html)
WORDS_TEMPLATE = "_words.html"


def _words(env: jinja2.Environment) -> Any:
    """The variables ``templates/_words.html`` sets, as ``words.NAME`` in every template."""
    try:
        return env.get_template(WORDS_TEMPLATE).module
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            Problem(
                _where(exc.filename, WORDS_TEMPLATE), f"template syntax: {exc.message}", exc.lineno
            )
        ) from None


def render_template(env: jinja2.Environment, name: str, **context: Any) -> str:
    """Render one template; any failure becomes a TemplateError naming file and line."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            Problem(
                _where(exc.filename, exc.name or name),
                f"template syntax: {exc.message}",
                exc.lineno,
            )
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(Problem(name, f"template not found: {exc.name}")) from None
    except (
        jinja2.UndefinedError,
        jinja2.TemplateError,
        TypeError,
        ValueError,
        AttributeError,
    ) as exc:
        filename, line = _template_frame(exc)
        if filename is None and not isinstance(exc, jinja2.TemplateError):
            raise  # a bug in refkit's Python code, not in a template
        raise TemplateError(
            Problem(_where(filename, name), f"template error: {exc}", line)
        ) from None


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """The innermost traceback frame that is a template file (Jinja rewrites them)."""
    found: tuple[str | None, int | None] = (None, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if not frame.filename.endswith(".py") and not frame.filename.startswith("<"):
            found = (frame.filename, frame.lineno)
    return found


def _where(filename: str | None, name: str) -> str:
    """A template path as a user would write it: relative to their project, or to the theme."""
    if filename is None:
        return f"templates/{name}"
    path = Path(filename)
    builtin = builtin_templates()
    if path.is_relative_to(builtin):
        return f"(built-in) templates/{path.relative_to(builtin).as_posix()}"
    for parent in path.parents:
        if parent.name == "templates":
            return f"templates/{path.relative_to(parent).as_posix()}"
    return path.as_posix()
