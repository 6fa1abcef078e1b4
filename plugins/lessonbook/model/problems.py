"""Problems found in lessons: the one currency of validation for the build and the CLI."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from .text import for_terminal


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file, said so an author can fix it without reading code."""

    path: str
    line: int | None
    severity: Severity
    message: str
    suggestion: str | None = None
    code: str = "invalid"

    def format(self) -> str:
        """One line for a terminal or a log, whatever the path, message or suggestion hold
        (model/text.py: no line break, control sequence or workflow command gets through)."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.severity.value}: {self.message}"
        if self.suggestion:
            text += f" ({self.suggestion})"
        return for_terminal(text)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def did_you_mean(value: str, choices: Iterable[str]) -> str | None:
    """A 'did you mean X?' hint when a near value exists, else None."""
    options = [str(c) for c in choices]
    lowered = {o.lower(): o for o in options}
    if value.lower() in lowered and lowered[value.lower()] != value:
        return f"did you mean {lowered[value.lower()]!r}?"
    close = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.6)
    if close:
        return f"did you mean {lowered[close[0]]!r}?"
    return None


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.path, p.line or 0, p.severity.value, p.message))
