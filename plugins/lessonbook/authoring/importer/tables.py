"""Action items kept in a Markdown table ('| Action Item | Owner | Tracking bug | Notes |'):
one follow-up per row, its text from the action column, done when the status or notes column
says so ('Done', 'DONE', '✅'). Google's postmortem template and its descendants keep them so."""

from __future__ import annotations

import re

from .document import plain

_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_RULE = re.compile(r"^[\s|:-]+$")
_ACTION_COLUMN = re.compile(r"\baction|\bdescription\b|\btasks?\b|\bitem\b|\bremediation|"
                            r"\bfollow[- ]?ups?\b|\bfix(?:es)?\b|\bchanges?\b|\bmitigation|"
                            r"^what\b|\bto-?dos?\b|\bsteps?\b", re.I)
_STATUS_COLUMN = re.compile(r"\bstatus\b|\bnotes?\b|\bstate\b|\bdone\b|\bcompleted?\b|"
                            r"\bresolved\b|\bprogress\b", re.I)
_DONE_CELL = re.compile(r"\b(?:done|completed?|fixed|finished|shipped|closed|merged|resolved|"
                        r"implemented)\b|✅|☑|✔|✓|:white_check_mark:|:heavy_check_mark:|"
                        r"^\[[xX]\]$", re.I)
_NOT_DONE = re.compile(r"\bnot (?:yet )?(?:done|completed?|fixed|finished|merged|resolved)\b|"
                       r"\bun(?:resolved|finished|merged)\b", re.I)
"""'Not done', 'unresolved': a cell that names a done word to deny it."""
_YES_COLUMN = re.compile(r"^\W*(?:done|completed?|resolved|fixed)\W*$", re.I)
_YES = re.compile(r"^(?:yes|y|true|x)\.?$", re.I)
"""'| Done? |' with 'Yes' or 'x' in a row: a column that asks whether the item is done."""
_NOTHING = re.compile(r"^(?:n/?a|none|nothing|tbd|-+|—)?\.?$", re.I)


def _cells(line: str) -> list[str] | None:
    match = _ROW.match(line)
    return [c.strip() for c in match.group(1).split("|")] if match else None


_OPEN_CELL = re.compile(r"^\[ \]$|^\W*(?:open|not (?:yet )?(?:done|started|fixed)|in progress|"
                        r"to ?do|planned|pending|blocked|ongoing|wip|unresolved)\b", re.I)
"""'Open', 'Not done', 'In progress': a cell that says the item is still to do."""


def table_actions(lines: list[str]) -> list[tuple[str, bool, bool]]:
    """(action, done, said open) for each row of every table whose header names an action
    column."""
    out: list[tuple[str, bool, bool]] = []
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
            out.append((text, any(i < len(row) and (
                _DONE_CELL.search(plain(row[i])) and not _NOT_DONE.search(plain(row[i]))
                or _YES_COLUMN.match(plain(header[i])) and _YES.match(plain(row[i])))
                for i in states), any(i < len(row) and bool(_OPEN_CELL.match(plain(row[i])))
                                      for i in states)))
    return out
