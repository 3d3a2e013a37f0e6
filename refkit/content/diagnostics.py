"""Pydantic's validation errors as located, plain-language problems.

Each error becomes one :class:`~refkit.errors.Problem` naming the file, the
line and column of the value (or key) and the field, with a message a person
who has never heard of pydantic can act on.
"""

from __future__ import annotations

import datetime as dt
import difflib
import typing
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ValidationError

from refkit.content.loader import Loc, SourceFile, format_loc
from refkit.content.models import Ledger, Referral
from refkit.errors import Problem


def validate(source: SourceFile, model: Any, problems: list[Problem]) -> Any:
    """Validate a file's data against a model (or the ledger adapter); collect problems."""
    data = source.data
    expects_list = model is Ledger
    if data is None:
        data = [] if expects_list else None
    if expects_list and not isinstance(data, list):
        problems.append(
            source.problem((), "expected a list of referrals (lines starting with '- ')")
        )
        return None
    if not expects_list and not isinstance(data, dict):
        got = "nothing (the file is empty)" if data is None else _kind_of(data)
        problems.append(source.problem((), f"expected a mapping of fields (key: value), got {got}"))
        return None
    try:
        if expects_list:
            return Ledger.validate_python(data)
        return model.model_validate(data)
    except ValidationError as exc:
        root_model = Ledger if expects_list else model
        problems.extend(translate_errors(source, exc, root_model))
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


def _message(source: SourceFile, err: Any, loc: Loc, model: Any) -> str:
    kind = err["type"]
    value = err.get("input")
    if kind == "missing":
        return f"required field '{loc[-1]}' is missing"
    if kind == "extra_forbidden":
        names = _fields_at(model, loc[:-1])
        hint = _did_you_mean(str(loc[-1]), names)
        allowed = f"; allowed here: {', '.join(names)}" if names and not hint else ""
        return f"unknown field '{loc[-1]}'{hint}{allowed}"
    yaml_kind = source.kinds.get(loc)
    raw = source.raw.get(loc)
    if kind == "string_type":
        if yaml_kind == "null":
            return "is empty; write a value or remove the line"
        if yaml_kind and raw is not None:
            return (
                f"expected a string, got a {yaml_kind} ({raw} is read as a {yaml_kind} "
                f'by YAML) — quote it: "{raw}"'
            )
        if isinstance(value, dict) and len(value) == 1:
            return (
                "expected a string, got a mapping: a ': ' inside a value starts a mapping "
                "in YAML — quote the whole value"
            )
        return f"expected a string, got {_kind_of(value)}"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        options = [o.strip(" '") for o in expected.replace(" or ", ", ").split(",")]
        if yaml_kind == "null":
            return f"is empty; must be one of {expected}"
        hint = _did_you_mean(str(value), options)
        return f"'{value}' is not one of {expected}{hint}"
    if kind in (
        "date_type",
        "date_parsing",
        "date_from_datetime_parsing",
        "date_from_datetime_inexact",
    ):
        return f"expected a date as YYYY-MM-DD, got {_show(value, yaml_kind)}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {_show(value, yaml_kind)}"
    if kind in ("float_type", "float_parsing"):
        return f"expected a number, got {_show(value, yaml_kind)}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {_show(value, yaml_kind)}"
    if kind in ("list_type", "tuple_type"):
        return f"expected a list (lines starting with '- '), got {_show(value, yaml_kind)}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping (key: value lines), got {_show(value, yaml_kind)}"
    if kind == "too_short":
        if yaml_kind == "null" or value is None:
            return "is empty; it needs at least one item"
        return "needs at least one item"
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return f"{err['msg'].lower()}, got {value}"
    if kind == "finite_number":
        return f"expected a finite number, got {_show(value, yaml_kind)}"
    return str(err["msg"])


def _show(value: Any, yaml_kind: str | None) -> str:
    if yaml_kind == "null" or value is None:
        return "nothing (the value is empty)"
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, dt.datetime):  # YAML reads "2024-01-05 10:00" as a timestamp
        return f"a date and time ({value.isoformat(sep=' ')})"
    return f"{_kind_of(value)} {value!r}" if not isinstance(value, dict | list) else _kind_of(value)


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
    current: Any = model
    if current is Ledger:
        current = Referral
    for part in loc:
        if isinstance(part, int):
            continue
        found = _model_in(current)
        if found is None or part not in found.model_fields:
            return []
        current = found.model_fields[part].annotation
    found = _model_in(current)
    return list(found.model_fields) if found else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _did_you_mean(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def unknown_reference(kind: str, slug: str, known: list[str]) -> str:
    """ "unknown partner 'x' (did you mean 'y'?)", or the list of known ones."""
    hint = _did_you_mean(slug, known)
    if not hint:
        hint = f"; known {kind}s: {', '.join(known)}" if known else f"; there are no {kind}s"
    return f"unknown {kind} '{slug}'{hint}"
