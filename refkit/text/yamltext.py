"""YAML text written by hand, never by a dumper: one value as a safe scalar.

The writers of content/ (``refkit log``, ``mark``, ``import``, ``new``) write
the user's files as text, so that comments and layout survive; each value
goes through :func:`yaml_scalar`, which quotes whatever YAML would read back
as something else.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PLAIN_PUNCTUATION = frozenset(" -.,&'()/")
#: characters a YAML reader rejects or reads as line breaks inside a quoted scalar
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def is_plain(text: str) -> bool:
    """Whether ``text`` reads back as the same string when written unquoted."""
    if not text[:1].isalpha() or text.strip() != text:
        return False
    if not all(c.isalnum() or c in _PLAIN_PUNCTUATION for c in text):
        return False
    try:
        return bool(yaml.load(text, Loader=LOADER) == text)  # `yes`, `null` are not
    except yaml.YAMLError:
        return False


def yaml_scalar(value: Any) -> str:
    """``value`` (bool, date, number or text) as a YAML scalar that reads back as itself."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    if is_plain(text):
        return text
    # a JSON string is a valid YAML double-quoted scalar once the characters YAML
    # treats differently from JSON are escaped too
    quoted = json.dumps(text, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)
