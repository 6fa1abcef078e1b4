"""Follow-ups a report lists outside any section named for them: a list announced by a line
ending in ':' ('The changes we are making are as follows:') whose every item says what the
team will do ('We need to document ...', 'We will add ...') — or, when the line announces
steps ('so we've taken a few steps as of today:'), what it did, does or will do ('We fixed
...', 'We are encouraging ...'). Read only when no section of follow-ups was found, so a
report with its own Action Items section is never read twice."""

from __future__ import annotations

import re

from .document import Section, code_lines, plain

_ITEM = re.compile(r"^([ \t]*)(?:[-*+•]|\d+[.)])[ \t]+(.*)$")
_PLANNED = re.compile(
    r"\b(?:we|the team|our team|our \w+ team)\s+(?:also\s+|now\s+|still\s+)?"
    r"(?:will|need to|needs to|should|must|are going to|plan to|intend to|have to)\b|"
    r"\bwe['’]ll\b|\b(?:should|must|needs? to|will) (?:also )?be \w+(?:ed|en)\b", re.I)
"""'We need to document ...', 'When we merge, we need to ensure ...', 'Changes ... should be
deployed one at a time': what the team will do or what is to be done, in an item's first
sentence."""
_STEPS = re.compile(r"\b(?:steps?|actions?|measures?|changes?|mitigations?|remediations?|"
                    r"improvements?|precautions?)\b", re.I)
"""A lead-in that announces what the team does about it ('so we've taken a few steps as of
today:', 'The measures we are taking:')..."""
_TEAM_ACTS = re.compile(r"^\W*(?:we|the team|our team)(?:['’](?:ve|re|ll))?\s+(?:also\s+|now\s+|"
                        r"already\s+|have\s+|are\s+|will\s+)*(?!noticed|saw|discovered|found|"
                        r"received|learned|learnt|got|were|was|realised|realized|observed|"
                        r"started|began|believe|think|identified|determined|did not|didn)"
                        r"[a-z]+\b", re.I)
"""...and whose items each say what the team did, does or will do ('We fixed ...', 'We've
acquired ...', 'We will require ...', 'We are encouraging ...') — not what it noticed."""
_NOT_PLANS = re.compile(r"\b(?:timeline|impact|went well|lucky|symptoms?|affected|"
                        r"root causes?|contributing)\b", re.I)
"""Sections whose lists tell what happened, never what will change."""


def announced_lists(found: list[Section], preamble: list[str]) -> tuple[list[str], str]:
    """(the items, where: 'a list announced by <lead-in>') of the first list of two or more
    items, each a plan of the team, right under a line ending in ':'; ([], '') when none."""
    for title, lines in [("", preamble), *((s.title, s.lines) for s in found)]:
        if title and _NOT_PLANS.search(title):
            continue
        code = code_lines(lines)
        for index, line in enumerate(lines):
            if code[index] or not line.strip().endswith(":") or _ITEM.match(line):
                continue
            items = _items_after(lines, index + 1, code)
            steps = bool(_STEPS.search(line))
            if len(items) >= 2 and all(_PLANNED.search(_first_sentence(x))
                                       or steps and _TEAM_ACTS.match(plain(x)) for x in items):
                return items, f"a list announced by {plain(line.strip())!r}"
    return [], ""


def _items_after(lines: list[str], start: int, code: list[bool]) -> list[str]:
    """The top-level items of the list that starts right after ``start`` (one blank line
    may stand between), with their continuation lines joined; nested items are left out."""
    index = start
    if index < len(lines) and not lines[index].strip():
        index += 1
    items: list[str] = []
    top: int | None = None
    while index < len(lines) and not code[index]:
        line = lines[index].expandtabs(4)
        match = _ITEM.match(line)
        if match and (top is None or len(match.group(1)) <= top):
            top = len(match.group(1)) if top is None else top
            items.append(match.group(2).strip())
        elif match or (line.strip() and items and line.startswith(" ")):
            if not match:
                items[-1] += " " + line.strip()
        elif line.strip() or not items:
            break
        index += 1
    return items


def _first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s+", plain(text), maxsplit=1)[0]
