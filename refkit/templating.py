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
from refkit.markup import markdown_to_text, render_inline, render_markdown
from refkit.resources import builtin_templates

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
    env.filters.update(filters or {})
    env.globals["Markup"] = Markup
    env.globals["project_root"] = project_root
    return env


def format_money(value: float | int | None) -> str:
    """12345.0 -> '12,345'; None -> ''."""
    if value is None:
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


#: month names in English, whatever the machine's locale (strftime's %B is not)
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
#: agreed check-in cadences people name in words: days -> (how often, how long)
_CADENCES = {
    1: ("daily", "day"),
    7: ("weekly", "week"),
    14: ("every two weeks", "two weeks"),
    30: ("monthly", "month"),
    31: ("monthly", "month"),
    42: ("every six weeks", "six weeks"),
    45: ("every six weeks", "six weeks"),
    60: ("every two months", "two months"),
    90: ("quarterly", "three months"),
    91: ("quarterly", "three months"),
    92: ("quarterly", "three months"),
    120: ("every four months", "four months"),
    180: ("twice a year", "six months"),
    182: ("twice a year", "six months"),
    365: ("yearly", "year"),
}


def cadence_words(days: int) -> str:
    """How often, in words: 30 -> 'monthly', 90 -> 'quarterly', 180 -> 'twice a year'.

    Reads after a verb ("we check in quarterly"); uncommon counts stay
    numbers ("every 50 days").
    """
    return _CADENCES.get(days, (f"every {days} days", ""))[0]


def period_words(days: int) -> str:
    """The same span as a length of time: 60 -> 'two months', 365 -> 'year', 50 -> '50 days'."""
    return _CADENCES.get(days, ("", f"{days} days"))[1]


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
