"""Action items kept in a Markdown table ('| Action Item | Owner | Tracking bug | Notes |'):
one follow-up per row, its text from the action column, done when the status or notes column
says so ('Done', 'DONE', '✅'). Google's postmortem template and its descendants keep them so."""

from __future__ import annotations

import re

from .document import plain

_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_RULE = re.compile(r"^[\s|:-]+$")
_ACTION_COLUMN = re.compile(r"\baction|\bdescription\b|\btask\b|\bitem\b", re.I)
_STATUS_COLUMN = re.compile(r"\bstatus\b|\bnotes?\b|\bstate\b|\bdone\b", re.I)
_DONE_CELL = re.compile(r"\b(?:done|completed?|fixed|finished|shipped)\b|✅|☑|✔", re.I)
_NOTHING = re.compile(r"^(?:n/?a|none|nothing|tbd|-+|—)?\.?$", re.I)


def _cells(line: str) -> list[str] | None:
    match = _ROW.match(line)
    return [c.strip() for c in match.group(1).split("|")] if match else None


def table_actions(lines: list[str]) -> list[tuple[str, bool]]:
    """(action, done) for each row of every table whose header names an action column."""
    out: list[tuple[str, bool]] = []
    index = 0
    while index + 1 < len(lines):
        header = _cells(lines[index])
        if header is None or not _RULE.match(lines[index + 1]) or "-" not in lines[index + 1]:
            index += 1
            continue
        action = next((i for i, c in enumerate(header) if _ACTION_COLUMN.search(plain(c))), None)
        states = [i for i, c in enumerate(header) if i != action and
                  _STATUS_COLUMN.search(plain(c))]
        index += 2
        while index < len(lines) and (row := _cells(lines[index])) is not None:
            index += 1
            if action is None or action >= len(row):
                continue
            text = plain(row[action])
            if _NOTHING.match(text):
                continue
            out.append((text, any(i < len(row) and _DONE_CELL.search(plain(row[i]))
                                  for i in states)))
    return out
