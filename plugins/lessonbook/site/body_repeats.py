"""What a lesson's body already says that its front-matter also holds, so the page says it once.

`lessonbook import` keeps the body byte for byte and lifts the summary (the first paragraph
of the Summary section, or the opening) and the follow-ups (the items of the Action Items
section and its kin) into front-matter; an author may do the same by hand. The page then
showed both. The rule, for any lesson: the body is the author's story and is shown whole;
the page's own copy of a part is left out when the body already tells it word for word —

- the lead summary under the title, when one of the body's paragraphs *is* the summary;
- the follow-ups table, when every follow-up action is among the body's list items (the
  page then says in one line how they stand: done, open, overdue).

Text is compared as the importer wrote it (``importer.plain``: Markdown inline syntax
removed, whitespace collapsed), case-insensitively. A front-matter value that says anything
the body does not (an edited summary, one more follow-up) keeps its block.
"""

from __future__ import annotations

import re

from ..authoring.importer import plain
from ..model.lesson import Lesson

_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.M | re.S)
_BLOCK_START = re.compile(r"^\s*(#|\||>|<|!\[|[-*+•]\s|\d+[.)]\s)")
_HEADING = re.compile(r"^( {0,3}#{1,6}(?:[ \t].*)?)$", re.M)
_ITEM = re.compile(r"^[ \t]*(?:[-*+•]|\d+[.)])[ \t]+(.*)$")
_TICK = re.compile(r"^(?:\[[ xX]\]|✅|☑️?|✔️?)\s*")
_DETAIL = re.compile(r"\s*\(detail: .*\)$", re.S)
"""The importer appends an item's nested items to its action as ' (detail: …)'."""


def _key(text: str) -> str:
    return plain(text).casefold().rstrip(" .")


def _body(lesson: Lesson) -> str:
    return _FENCE.sub("", lesson.body)


def paragraphs(lesson: Lesson) -> set[str]:
    """The body's prose paragraphs (not headings, lists, tables, quotes, HTML), as keys."""
    found = set()
    body = _HEADING.sub(r"\n\n\1\n\n", _body(lesson))  # a heading ends a paragraph
    for block in re.split(r"\n[ \t]*\n", body):
        block = block.strip()
        if block and not _BLOCK_START.match(block):
            found.add(_key(block))
    return found


def list_items(lesson: Lesson) -> list[str]:
    """The body's list items with their continuation lines, as keys (nested items apart)."""
    items: list[list[str]] = []
    open_item = False
    for line in _body(lesson).splitlines():
        match = _ITEM.match(line)
        if match:
            items.append([_TICK.sub("", match.group(1))])
            open_item = True
        elif line.strip() and open_item and not _BLOCK_START.match(line):
            bold_lead = len(items[-1]) == 1 and re.fullmatch(r"\*\*[^*]+\*\*", items[-1][0].strip())
            items[-1].append((": " if bold_lead else "") + line.strip())
        else:
            open_item = bool(line.strip()) and open_item
    return [_key(" ".join(parts).replace(" : ", ": ")) for parts in items]


def summary_in_body(lesson: Lesson) -> bool:
    """One of the body's paragraphs is the summary."""
    return bool(lesson.summary.strip()) and _key(lesson.summary) in paragraphs(lesson)


def follow_ups_in_body(lesson: Lesson) -> bool:
    """Every follow-up action (without the importer's ' (detail: …)') is one of the body's
    list items, or begins one."""
    if not lesson.follow_ups:
        return False
    items = list_items(lesson)
    for follow_up in lesson.follow_ups:
        action = _key(_DETAIL.sub("", follow_up.action))
        if not action or not any(item == action or item.startswith(action + " ")
                                 or item.startswith(action + ":") for item in items):
            return False
    return True
