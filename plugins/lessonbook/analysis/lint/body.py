"""The walk over a lesson's body: its prose lines outside fenced code, its checklist sections,
and (the prefilter) only the lines a rule can find something in."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from itertools import accumulate

from ...model.lesson import Lesson
from .vocabulary import (
    _CAUSE_KEYWORDS,
    _FENCE,
    _HEADING,
    CHAT_SPEAKER_LITERALS,
    PERSON_VERBS,
    TASK_ITEM,
)

_FOLDS = {0x130: "i", 0x131: "i", 0x17F: "s"}
"""The only characters beyond ASCII that a case-insensitive pattern matches with an ASCII
letter other than their lower case ('İ', whose lower case is two characters, 'ı', 'ſ')."""


def fold_case(text: str) -> str:
    """``text`` in lower case, of the same length, with every character a case-insensitive
    pattern matches with an ASCII letter turned into that letter."""
    return text.lower() if text.isascii() else text.translate(_FOLDS).lower()


class _BodyLines:
    """Which lines of a body the narrative rules can find something in, from substring
    searches of the whole body: a typical lesson's forty lines then cost a few dozen C
    searches instead of a dozen regular expressions and Python calls per line.

    Each rule has a literal it cannot match without, in the same line: a blame phrase its
    keyword (any case), a cause its keyword (any case), a named person a verb of
    ``PERSON_VERBS`` or '(' (``names``), an e-mail address or @handle '@' and a chat export's
    speaker 'M]' or 'ago]' (``handles``). Lines
    with a backtick are always read (removing inline code can join letters into a phrase), as
    are lines that may be a heading or a fence (they decide the section and the code blocks).
    A line without any of these yields no finding, so skipping it changes nothing."""

    def __init__(self, keywords: Iterable[str]) -> None:
        self.narrative_any_case = tuple(sorted(set(keywords)))
        self.causes_any_case = tuple(sorted(_CAUSE_KEYWORDS.words - set(keywords)))
        self.narrative_exact = (*PERSON_VERBS, "(", "@", "`", *CHAT_SPEAKER_LITERALS)
        self.marks = ("\n#", "```", "~~~")

    def read(self, lesson: Lesson) -> Iterator[tuple[int, str, str | None, bool]]:
        """What :func:`_prose_lines` yields for the lines worth reading, each with whether
        only a cause's keyword is in it (nothing but ``cause`` can find anything there)."""
        body = lesson.body
        folded = fold_case(body)
        narrative = _found_at(folded, self.narrative_any_case)
        narrative += _found_at(body, self.narrative_exact)
        causes = _found_at(folded, self.causes_any_case)
        marks = _found_at(body, self.marks)
        if not (narrative or causes or marks or body.startswith("#")):
            return
        lines = body.split("\n")
        ends = list(accumulate(len(line) + 1 for line in lines))
        """The position after each line's newline: position p is in line bisect(ends, p)."""
        for_narrative = {bisect_right(ends, position) for position in narrative}
        wanted = for_narrative | {bisect_right(ends, position) for position in causes}
        wanted.update(bisect_right(ends, position + 1) for position in marks)
        wanted.add(0)
        in_fence = False
        for offset in sorted(wanted):
            text = lines[offset]
            if _FENCE.match(text):
                in_fence = not in_fence
                continue
            if not in_fence:
                heading = _HEADING.match(text)
                yield (lesson.body_line + offset, text, heading.group(2) if heading else None,
                       offset not in for_narrative)


def _found_at(text: str, literals: Iterable[str]) -> list[int]:
    """Every position where one of ``literals`` starts in ``text``."""
    found: list[int] = []
    for literal in literals:
        position = text.find(literal)
        while position != -1:
            found.append(position)
            position = text.find(literal, position + 1)
    return found


def _prose_lines(lesson: Lesson) -> Iterator[tuple[int, str, str | None]]:
    """(file line, text, heading text or None) for each body line outside fenced code: the one
    walk the narrative and checklist rules share, so logs in code blocks are never linted."""
    in_fence = False
    for offset, text in enumerate(lesson.body.split("\n")):
        if _FENCE.match(text):
            in_fence = not in_fence
            continue
        if not in_fence:
            heading = _HEADING.match(text)
            yield lesson.body_line + offset, text, heading.group(2) if heading else None


def _task_sections(lesson: Lesson) -> Iterator[tuple[str, int, int]]:
    """(heading, line of the heading or first item, task items) per body section."""
    title, first, count = "", lesson.body_line, 0
    for line, text, heading in _prose_lines(lesson):
        if heading is not None:
            if count:
                yield title, first, count
            title, first, count = heading, line, 0
        elif TASK_ITEM.match(text):
            count += 1
    if count:
        yield title, first, count
