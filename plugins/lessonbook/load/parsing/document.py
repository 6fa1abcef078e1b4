"""What a file says, before any validation: front-matter mapping, body, line of every key."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...model.problems import Problem

Path = tuple[str | int, ...]


@dataclass
class SourceDocument:
    """What a file says, before any validation of its fields."""

    path: str
    meta: dict[str, Any] | None
    body: str
    body_line: int = 1
    lines: dict[Path, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    escapes: bool = True
    """The front-matter may hold YAML escapes (it has a backslash). YAML's reader refuses
    every character a lesson may not hold when it is typed, so only an escape can make one:
    without a backslash, validation need not look (load/text_fields.py)."""

    def line_of(self, *path: str | int) -> int | None:
        """Line of a key (or list item) in the file, falling back to its nearest parent."""
        key: Path = tuple(path)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.lines.get((), None)
