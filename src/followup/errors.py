"""The exceptions followup raises: one base class, one subclass per kind of failure.

The CLI turns any `FollowupError` into `Error: ...` on stderr and exit code 1; nothing
else in the library prints or exits.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

# C0 controls but tab and newline (ESC starts terminal sequences), DEL, C1 controls (CSI, OSC...),
# and the bidi embeddings, overrides and isolates that reorder what a reader sees.
_UNPRINTABLE = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"


def printable(text: str, *, one_line: bool = False) -> str:
    """Text safe to show on a terminal: no escape sequences, control or bidi-override characters."""
    import re  # compiled on first use: a draft that prints plain text never pays for it

    if text.isprintable():  # every character _UNPRINTABLE removes is one str.isprintable refuses
        return text
    if not one_line and text.replace("\n", "").isprintable():  # lines (a draft): nothing to remove
        return text
    cleaned = re.sub(_UNPRINTABLE, "", text)
    return cleaned.replace("\n", " ") if one_line else cleaned


class FollowupError(Exception):
    """Base class: bad input, a template error or an unsafe write, explained for a user."""


class Problem(NamedTuple):
    """One problem found in a YAML file, at a 1-based line and column when known."""

    message: str
    line: int | None = None
    column: int | None = None

    def format(self, path: str | Path) -> str:
        if self.line is None:
            return f"{path}: {self.message}"
        if self.column is None:
            return f"{path}:{self.line}: {self.message}"
        return f"{path}:{self.line}:{self.column}: {self.message}"


class InputError(FollowupError):
    """A YAML input file (notes or pack manifest) that cannot be used, with every problem found."""

    def __init__(self, path: str | Path, problems: Sequence[Problem]) -> None:
        self.path = Path(path)
        self.problems = list(problems)
        super().__init__("\n".join(p.format(path) for p in self.problems))


class NotesError(InputError):
    """A notes file that is missing, unreadable or invalid."""


class PackError(InputError):
    """A template pack that cannot be found or whose manifest is invalid."""


class TemplateError(FollowupError):
    """A template that fails to compile or render; names the template file and line."""

    def __init__(self, template: str, line: int | None, message: str) -> None:
        self.template = template
        self.line = line
        where = f"{template}:{line}" if line else template
        super().__init__(f"{where}: {message}")


class OutputError(FollowupError):
    """An output that cannot be written safely (it exists, or the path is unusable)."""


class SelectionError(FollowupError):
    """A request that the notes cannot satisfy: an unknown --to, no referrer, no article."""
