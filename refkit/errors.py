"""The errors refkit reports to users, kept apart from bugs.

Three kinds of failure, kept apart:

- a :class:`RefkitError` is a problem in the user's content, templates or
  environment: the CLI prints it as one line per problem and exits 1;
- a usage error is click's (a bad option) and exits 2;
- an :class:`InternalError` (or any other exception) is a bug in refkit: the
  CLI prints the traceback and asks for a report.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

#: the characters that end a line in a terminal, an editor or Python's splitlines(),
#: and the other C0/C1 controls: shown escaped so a value cannot forge a line
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """*text* on one line: line breaks and control characters shown as escapes.

    A problem quotes the user's values; ``x\\ncontent/forged.yaml:1:1: error: ...``
    must not print as a second problem that points elsewhere.
    """
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)


#: what a problem is about; a warning made an error by ``--strict`` keeps it
Kind = Literal["content", "template", "build", "output"]


@dataclass(frozen=True)
class Problem:
    """One located problem: ``path:line:col: severity: field: message``."""

    path: str
    message: str
    line: int | None = None
    col: int | None = None
    field: str | None = None
    severity: str = "error"
    kind: Kind = "content"

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        field = f"{self.field}: " if self.field else ""
        return one_line(f"{where}: {self.severity}: {field}{self.message}")

    def as_warning(self) -> Problem:
        """The same problem, reported as a warning."""
        return dataclasses.replace(self, severity="warning")

    def as_error(self) -> Problem:
        """The same problem, reported as an error (``--strict``)."""
        return dataclasses.replace(self, severity="error")


class RefkitError(Exception):
    """A user error: bad content, a bad template, an unusable output folder.

    Carries one or more :class:`Problem` rows; ``str()`` joins them, one a line.
    """

    def __init__(self, problems: Problem | str | Iterable[Problem]) -> None:
        if isinstance(problems, str):
            problems = [Problem(path="refkit", message=problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ContentError(RefkitError):
    """The content under ``content/`` does not follow the content model."""


class TemplateError(RefkitError):
    """A template (built-in or the project's override) failed to render."""


class BuildError(RefkitError):
    """Rendering produced something unusable (a broken link, an overfull one-pager)."""


class OutputError(RefkitError):
    """The output folder cannot be written safely (a symlink, a file in the way)."""


class InternalError(Exception):
    """A bug in refkit, never the user's fault: reported with its traceback.

    Raised where refkit checks its own invariants (a renderer writing outside
    its prefixes, an output path that is not relative, a renderer asking for
    another's outputs it did not declare).
    """


def error_for(problems: Iterable[Problem]) -> RefkitError:
    """The error that reports ``problems``: of their kind when they share one.

    ``--strict`` turns warnings into errors this way, so a broken link stays a
    :class:`BuildError` and a content lint a :class:`ContentError`.
    """
    found = list(problems)
    kinds = {problem.kind for problem in found}
    classes: dict[str, type[RefkitError]] = {
        "content": ContentError,
        "template": TemplateError,
        "build": BuildError,
        "output": OutputError,
    }
    cls = classes[kinds.pop()] if len(kinds) == 1 else RefkitError
    return cls(found)
