"""Pydantic's validation errors as located, plain-language problems.

Each error becomes one :class:`~refkit.errors.Problem` naming the file, the
line and column of the value (or key) and the field, with a message a person
who has never heard of pydantic can act on.
"""

from __future__ import annotations

import datetime as dt
import difflib
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from refkit.content.loader import Loc, SourceFile, format_loc
from refkit.content.models import Activity, Ledger, Referral, Touch
from refkit.errors import Problem

#: the files that are lists of entries: their adapter, the entry's model and what it holds
_LISTS: dict[Any, tuple[Any, str]] = {
    Ledger: (Referral, "referrals"),
    Activity: (Touch, "check-ins, meetings and calls"),
}


def _entry_model(model: Any) -> Any:
    """The model of one entry of a list file (the ledger, the activity); else ``model``."""
    return _LISTS[model][0] if model in _LISTS else model


def validate(source: SourceFile, model: Any, problems: list[Problem]) -> Any:
    """Validate a file's data against a model (or a list adapter); collect problems."""
    data = source.data
    expects_list = model in _LISTS
    if data is None:
        data = [] if expects_list else None
    if expects_list and not isinstance(data, list):
        what = _LISTS[model][1]
        problems.append(source.problem((), f"expected a list of {what} (lines starting with '- ')"))
        return None
    if not expects_list and not isinstance(data, dict):
        got = "nothing (the file is empty)" if data is None else _kind_of(data)
        problems.append(source.problem((), f"expected a mapping of fields (key: value), got {got}"))
        return None
    try:
        if expects_list:
            return model.validate_python(data)
        return model.model_validate(data)
    except ValidationError as exc:
        problems.extend(translate_errors(source, exc, model))
        return None


def translate_errors(source: SourceFile, exc: ValidationError, model: Any) -> list[Problem]:
    """Turn pydantic errors into located, plain-language problems."""
    out: list[Problem] = []
    seen: set[tuple[Loc, str]] = set()
    for err in exc.errors(include_url=False):
        loc: Loc = tuple(p for p in err["loc"] if isinstance(p, int | str))
        # pydantic adds union member tags (e.g. 'str', 'function-after[...]') to the loc
        loc = _strip_tags(loc, source, model)
        kind = err["type"]
        if (loc, kind) in seen:
            continue
        seen.add((loc, kind))
        message = _message(source, err, loc, model)
        if kind == "missing":
            line, col = source.locate(loc[:-1])
            out.append(Problem(source.rel, message, line, col, format_loc(loc)))
        elif kind == "extra_forbidden":
            out.append(source.problem(loc, message, key=True))
        else:
            out.append(source.problem(loc, message))
    return out


def _strip_tags(loc: Loc, source: SourceFile, model: Any) -> Loc:
    """Drop pydantic's union tags from ``loc``, keeping real field names (even ``date``)."""
    out: list[str | int] = []
    for part in loc:
        candidate = (*out, part)
        if (
            isinstance(part, int)
            or candidate in source.marks
            or candidate in source.key_marks
            or part in _fields_at(model, tuple(out))
        ):
            out.append(part)
        elif isinstance(part, str) and (
            "[" in part or part in ("str", "int", "float", "bool", "date", "list", "none")
        ):
            continue
        else:
            out.append(part)
    return tuple(out)


#: "expected X, got <the value>": what each pydantic error type expected, in words
_EXPECTED: dict[str, str] = {
    **dict.fromkeys(
        (
            "date_type",
            "date_parsing",
            "date_from_datetime_parsing",
            "date_from_datetime_inexact",
        ),
        "a date as YYYY-MM-DD",
    ),
    **dict.fromkeys(("int_type", "int_parsing", "int_from_float"), "a whole number"),
    **dict.fromkeys(("float_type", "float_parsing"), "a number"),
    **dict.fromkeys(("bool_type", "bool_parsing"), "true or false"),
    **dict.fromkeys(("list_type", "tuple_type"), "a list (lines starting with '- ')"),
    **dict.fromkeys(
        ("model_type", "dict_type", "model_attributes_type"), "a mapping (key: value lines)"
    ),
    "finite_number": "a finite number",
}
#: pydantic's own message, lowercased, then the value: "greater than or equal to 1, got 0"
_BOUNDS = frozenset({"greater_than", "greater_than_equal", "less_than", "less_than_equal"})


@dataclass(frozen=True)
class _Error:
    """One pydantic error with what the YAML said where it happened."""

    kind: str
    value: Any
    loc: Loc
    msg: str
    ctx: dict[str, Any]
    #: what YAML read an unquoted scalar as ('null', 'number'...), and its text
    yaml_kind: str | None
    raw: str | None


def _message(source: SourceFile, err: Any, loc: Loc, model: Any) -> str:
    """The plain-language message of one pydantic error."""
    error = _Error(
        kind=err["type"],
        value=err.get("input"),
        loc=loc,
        msg=str(err["msg"]),
        ctx=err.get("ctx", {}),
        yaml_kind=source.kinds.get(loc),
        raw=source.raw.get(loc),
    )
    if error.kind in _EXPECTED:
        return f"expected {_EXPECTED[error.kind]}, got {_show(error.value, error.yaml_kind)}"
    if error.kind in _BOUNDS:
        return f"{error.msg.lower()}, got {error.value}"
    special = _SPECIAL.get(error.kind)
    if special is not None:
        return special(error, model)
    return error.msg


def _missing(error: _Error, model: Any) -> str:
    return f"required field '{error.loc[-1]}' is missing"


def _extra(error: _Error, model: Any) -> str:
    names = _fields_at(model, error.loc[:-1])
    hint = _did_you_mean(str(error.loc[-1]), names) or _belongs_elsewhere(str(error.loc[-1]), model)
    allowed = f"; allowed here: {', '.join(names)}" if names and not hint else ""
    return f"unknown field '{error.loc[-1]}'{hint}{allowed}"


def _not_a_string(error: _Error, model: Any) -> str:
    if error.yaml_kind == "null":
        return "is empty; write a value or remove the line"
    if error.yaml_kind and error.raw is not None:
        return (
            f"expected a string, got a {error.yaml_kind} ({error.raw} is read as a "
            f'{error.yaml_kind} by YAML) — quote it: "{error.raw}"'
        )
    if isinstance(error.value, dict) and len(error.value) == 1:
        return (
            "expected a string, got a mapping: a ': ' inside a value starts a mapping "
            "in YAML — quote the whole value"
        )
    return f"expected a string, got {_kind_of(error.value)}"


def _not_an_option(error: _Error, model: Any) -> str:
    expected = str(error.ctx.get("expected", ""))
    if error.yaml_kind == "null":
        return f"is empty; must be one of {expected}"
    options = [o.strip(" '") for o in expected.replace(" or ", ", ").split(",")]
    hint = _did_you_mean(str(error.value), options)
    return f"{_quoted(str(error.value))} is not one of {expected}{hint}"


def _too_short(error: _Error, model: Any) -> str:
    if error.yaml_kind == "null" or error.value is None:
        return "is empty; it needs at least one item"
    return "needs at least one item"


def _our_validator(error: _Error, model: Any) -> str:
    return error.msg.removeprefix("Value error, ")


#: the error types whose message needs more than "expected X, got Y"
_SPECIAL: dict[str, Callable[[_Error, Any], str]] = {
    "missing": _missing,
    "extra_forbidden": _extra,
    "string_type": _not_a_string,
    "literal_error": _not_an_option,
    "too_short": _too_short,
    "value_error": _our_validator,
}


def _show(value: Any, yaml_kind: str | None) -> str:
    if yaml_kind == "null" or value is None:
        return "nothing (the value is empty)"
    if isinstance(value, str):
        return _quoted(value)
    if isinstance(value, dt.datetime):  # YAML reads "2024-01-05 10:00" as a timestamp
        return f"a date and time ({value.isoformat(sep=' ')})"
    return f"{_kind_of(value)} {value!r}" if not isinstance(value, dict | list) else _kind_of(value)


#: how much of a value a message quotes; the line and column say where the rest is
_QUOTE_AT_MOST = 60


def _quoted(value: str) -> str:
    """*value* in quotes, cut to a readable length (line breaks are escaped later)."""
    if len(value) > _QUOTE_AT_MOST:
        value = value[: _QUOTE_AT_MOST - 1] + "…"
    return f"'{value}'"


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"a {type(value).__name__}"


def _fields_at(model: Any, loc: Loc) -> list[str]:
    """The field names of the model found by walking ``loc`` from ``model``."""
    current: Any = _entry_model(model)
    for part in loc:
        if isinstance(part, int):
            continue
        found = _model_in(current)
        if found is None or part not in found.model_fields:
            return []
        current = found.model_fields[part].annotation
    found = _model_in(current)
    return list(found.model_fields) if found else []


def _belongs_elsewhere(name: str, model: Any) -> str:
    """ " (did you mean 'site.brand.logo'?)" when ``name`` is a field at another depth."""
    places = [".".join(path) for path in _field_paths(model) if path[-1] == name]
    if not places:
        return ""
    return " (did you mean " + " or ".join(f"'{p}'" for p in places[:3]) + "?)"


def _field_paths(model: Any, prefix: tuple[str, ...] = ()) -> Iterable[tuple[str, ...]]:
    """Every field of ``model`` and its nested models, as key paths, shallowest first.

    Lists are not entered: "did you mean 'services.name'" would not say which item.
    """
    found = _model_in(_entry_model(model))
    if found is None or len(prefix) > 8:
        return
    nested: list[tuple[tuple[str, ...], Any]] = []
    for name, info in found.model_fields.items():
        yield (*prefix, name)
        if _model_in(info.annotation) is not None and not _is_list(info.annotation):
            nested.append(((*prefix, name), info.annotation))
    for path, annotation in nested:
        yield from _field_paths(annotation, path)


def _is_list(annotation: Any) -> bool:
    """Whether a field holds a list or mapping of its model (``list[Service]``, ``dict[...]``)."""
    origin = typing.get_origin(annotation)
    if origin in (list, tuple, set, frozenset, dict):
        return True
    return any(_is_list(arg) for arg in typing.get_args(annotation))


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _did_you_mean(word: str, options: Iterable[str]) -> str:
    # by letters, not case: 'DANA-WHITFIELD' is as close to 'dana-whitfield' as can be
    folded = {option.casefold(): option for option in options}
    close = difflib.get_close_matches(word.casefold(), list(folded), n=1, cutoff=0.6)
    return f" (did you mean '{folded[close[0]]}'?)" if close else ""


def unknown_reference(kind: str, slug: str, known: list[str]) -> str:
    """ "unknown partner 'x' (did you mean 'y'?)", or the list of known ones."""
    hint = _did_you_mean(slug, known)
    if not hint:
        hint = f"; known {kind}s: {', '.join(known)}" if known else f"; there are no {kind}s"
    return f"unknown {kind} '{slug}'{hint}"
