"""The one Jinja environment factory, and template errors that name file and line.

The project's ``templates/`` is searched first, then the built-in theme, with
the same relative paths: copy one file to override it. A project template can
extend the one it replaces as ``!builtin/<path>``.

Every template runs in Jinja's sandbox, so a theme copied from someone else
cannot run code, nor read, write or list files (see SECURITY.md): it sees the
values refkit passes it and the methods that only compute on them.
"""

from __future__ import annotations

import traceback
import types
from collections.abc import Callable
from io import IOBase
from pathlib import Path, PurePath
from typing import Any

import jinja2
import jinja2.sandbox
from markupsafe import Markup

from refkit.content.models import Promises
from refkit.errors import InternalError, Problem, RefkitError, TemplateError
from refkit.resources import builtin_templates
from refkit.text.dates import cadence_words, period_words
from refkit.text.english import first_name
from refkit.text.formats import employees_label, employees_range
from refkit.text.markup import markdown_to_text, render_inline, render_markdown
from refkit.text.money import DEFAULT_CURRENCY, format_money

BUILTIN_PREFIX = "!builtin"

#: what a template may ask of a path: its name and where it is, never what is there
_PATH_ATTRIBUTES = frozenset(
    {
        "anchor",
        "as_posix",
        "as_uri",
        "drive",
        "is_absolute",
        "is_relative_to",
        "joinpath",
        "match",
        "name",
        "parent",
        "parents",
        "parts",
        "relative_to",
        "root",
        "stem",
        "suffix",
        "suffixes",
        "with_name",
        "with_stem",
        "with_suffix",
    }
)

#: methods that read a file wherever they are found (pydantic's deprecated ``parse_file``)
_READS_FILES = frozenset({"parse_file"})


class _Loader(jinja2.FileSystemLoader):
    """Jinja's file loader, with a template that is not UTF-8 reported at its file and line."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError as exc:
            raise _not_utf8(self.searchpath, template, exc) from None


def _not_utf8(searchpath: list[str], template: str, exc: UnicodeDecodeError) -> TemplateError:
    """The error for the first file on ``searchpath`` that is ``template`` (the one Jinja read)."""
    for folder in searchpath:
        path = Path(folder, *jinja2.loaders.split_template_path(template))
        if path.is_file():
            data = exc.object if isinstance(exc.object, bytes) else path.read_bytes()
            line = data[: exc.start].count(b"\n") + 1
            return TemplateError(
                Problem(
                    _where(str(path), template),
                    f"template is not UTF-8 text (byte {exc.start + 1}); save it as UTF-8",
                    line,
                    kind="template",
                )
            )
    return TemplateError(Problem(f"templates/{template}", "template is not UTF-8 text"))


class _Sandbox(jinja2.sandbox.SandboxedEnvironment):
    """Jinja's sandbox, which also keeps templates away from the file system.

    The sandbox refuses Python internals (``__globals__``, ``mro``...); refkit
    passes templates objects that could still touch files (a project's
    ``root`` is a ``Path``), so their I/O methods are refused too, as are
    modules and open files.
    """

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, PurePath) and attr not in _PATH_ATTRIBUTES:
            return False
        if attr in _READS_FILES or isinstance(obj, (types.ModuleType, IOBase)):
            return False
        if isinstance(value, (types.ModuleType, IOBase)):
            return False
        return bool(super().is_safe_attribute(obj, attr, value))


def make_environment(
    project_root: Path | None,
    *,
    filters: dict[str, Callable[..., Any]] | None = None,
    html: bool = True,
    promises: Promises | None = None,
    currency: str = DEFAULT_CURRENCY,
    language: str = "en",
) -> jinja2.Environment:
    """A strict, sandboxed environment over ``project/templates`` then the built-in theme.

    ``html=False`` turns autoescaping off everywhere (plain-text emails).
    ``promises`` are the business's (``business.promises``), which the shared
    words state; without a project, their defaults. The ``money`` filter
    writes amounts in ``currency`` (``business.currency``) for ``language``
    (``site.language``).
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
            jinja2.PrefixLoader({BUILTIN_PREFIX: _Loader(str(builtin))}),
            _Loader(searchpath),
        ]
    )
    autoescape: Any = (
        jinja2.select_autoescape(["html", "htm", "xml", "svg"], default_for_string=True)
        if html
        else False
    )
    env = _Sandbox(
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
    env.filters["money"] = lambda amount: format_money(amount, currency, language)
    env.filters["cadence"] = cadence_words
    env.filters["period"] = period_words
    env.filters["first_name"] = first_name
    env.filters["employees_range"] = lambda range: employees_range(range.min, range.max)
    env.filters["employees_label"] = lambda range: employees_label(range.min, range.max)
    env.filters.update(filters or {})
    env.globals["Markup"] = Markup
    env.globals["words"] = _words(env, promises or Promises())
    return env


#: the template of the words several outputs share (see templates/_words.html)
WORDS_TEMPLATE = "_words.html"


def _words(env: jinja2.Environment, promises: Promises) -> Any:
    """The variables ``templates/_words.html`` sets, as ``words.NAME`` in every template.

    The template sees ``promises`` (content), so a promise is written once in
    ``business.yaml`` and the words built on it follow.
    """
    try:
        template = env.get_template(WORDS_TEMPLATE)
        try:
            return template.make_module({"promises": promises})
        except Exception:
            env.handle_exception()  # the template's own lines, as render() reports them
    except (RefkitError, InternalError):
        raise
    except Exception as exc:
        raise _template_error(exc, WORDS_TEMPLATE) from None


def render_template(env: jinja2.Environment, name: str, **context: Any) -> str:
    """Render one template; any failure becomes a TemplateError naming file and line."""
    try:
        return env.get_template(name).render(**context)
    except (RefkitError, InternalError):
        raise  # already a user's error (static() of a missing file), or a bug
    except Exception as exc:
        raise _template_error(exc, name) from None


def _template_error(exc: Exception, name: str) -> TemplateError:
    """The one-line error for a template that failed; re-raises a bug in refkit's Python.

    Whatever a template's code raises (``{{ 1/0 }}``, a filter given a bad
    argument, ``{}.pop('x')``, an unsafe attribute, endless recursion) is the
    template's error, at its innermost template line.
    """
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = _where(exc.filename, exc.name or name)
        message = f"template syntax: {_one_line(exc.message or str(exc))}"
        return TemplateError(Problem(where, message, exc.lineno, kind="template"))
    filename, line = _template_frame(exc)
    if isinstance(exc, jinja2.TemplateNotFound):
        message = f"template not found: {exc.name}"
    elif filename is None and not isinstance(exc, jinja2.TemplateError):
        raise exc  # a bug in refkit's Python code, not in a template
    elif isinstance(exc, jinja2.TemplateError):
        message = f"template error: {_one_line(exc.message or str(exc))}"
    else:
        message = f"template error: {type(exc).__name__}: {_one_line(str(exc))}"
    return TemplateError(Problem(_where(filename, name), message, line, kind="template"))


def _one_line(text: str) -> str:
    return " ".join(text.split())


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
