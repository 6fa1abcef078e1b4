"""Untouched template text: a lesson still holding the placeholder sentences, tips, example rows
and empty headings of the template it was scaffolded from (`lessonbook new`).

The placeholders are not a hand-kept list: they are read from the scaffold's built-in template
and from every template in the project's ``templates/`` folder, so a team that rewrites its
templates gets its own sentences caught. A placeholder is any line of a template's body that is
not a heading, a blank line or a table's header and separator (authors keep those); a template
heading whose section holds nothing else is "left as written".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..authoring.scaffold import BUILTIN_TEMPLATE
from ..load.parsing import split_front_matter
from ..model.lesson import Lesson
from ..model.problems import Problem, Severity

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?")
_PLACEHOLDER = re.compile(r"\{\{\s*\w+\s*\}\}")
_FENCE = re.compile(r"^\s*(```|~~~)")
MIN_CHARS = 8
"""Shorter template lines ('Start.') are too common to call someone's text a placeholder."""


def normal(line: str) -> str:
    """A line as compared: no list marker or tick box, no emphasis around it, spaces collapsed,
    lower case."""
    text = _MARKER.sub("", line).strip().strip("*_").strip()
    return " ".join(text.split()).lower()


@dataclass(frozen=True)
class Placeholders:
    lines: frozenset[str]
    headings: frozenset[str]
    neutral: frozenset[str] = frozenset()
    """Table headers and separators: kept by authors, so neither placeholder nor their own."""

    def __bool__(self) -> bool:
        return bool(self.lines or self.headings)


def placeholders_from(templates: Iterable[str]) -> Placeholders:
    """The placeholder lines and headings of some templates' bodies."""
    lines: set[str] = set()
    headings: set[str] = set()
    neutral: set[str] = set()
    for template in templates:
        try:
            _, body, _ = split_front_matter(template.replace("\r\n", "\n"))
        except Exception:  # a template with a broken front-matter: read it all as body
            body = template
        rows = _PLACEHOLDER.sub("", body).split("\n")
        for i, raw in enumerate(rows):
            heading = _HEADING.match(raw)
            if heading:
                headings.add(normal(heading.group(2)))
                continue
            following = rows[i + 1] if i + 1 < len(rows) else ""
            if not raw.strip():
                continue
            if _TABLE_RULE.match(raw) or _TABLE_RULE.match(following):
                neutral.add(normal(raw))
                continue
            text = normal(raw)
            if len(text) >= MIN_CHARS:
                lines.add(text)
    return Placeholders(frozenset(lines), frozenset(headings), frozenset(neutral))


def load_placeholders(template_dir: Path | None) -> Placeholders:
    """The scaffold's built-in template and every ``*.md`` in ``template_dir`` (re-read only
    when a file there changes, so `mkdocs serve` picks up an edited template)."""
    stamp: tuple[tuple[str, int], ...] = ()
    if template_dir is not None and template_dir.is_dir():
        stamp = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in template_dir.glob("*.md")
                             if p.is_file()))
    return _load(template_dir, stamp)


@functools.lru_cache(maxsize=4)
def _load(template_dir: Path | None, stamp: tuple[tuple[str, int], ...]) -> Placeholders:
    texts = [BUILTIN_TEMPLATE]
    for name, _ in stamp:
        try:
            texts.append((template_dir / name).read_text(encoding="utf-8"))  # type: ignore[operator]
        except (OSError, UnicodeDecodeError):
            continue  # `lessonbook new` reports an unreadable template when it is used
    return placeholders_from(texts)


def template_text_problems(lessons: Iterable[Lesson], placeholders: Placeholders
                           ) -> list[Problem]:
    """A warning for each placeholder line left in a lesson, or one for a template section
    left as written (its heading with nothing, or only placeholders, under it)."""
    if not placeholders:
        return []
    return [p for lesson in lessons for p in _lesson_problems(lesson, placeholders)]


@dataclass
class _Section:
    heading: str | None
    line: int
    own: int = 0
    """Lines of the author's own text."""
    left: list[tuple[int, str]] | None = None
    """(line, text) of placeholder lines."""


def _sections(lesson: Lesson, placeholders: Placeholders) -> list[_Section]:
    sections = [_Section(None, lesson.body_line, left=[])]
    fenced = False
    for offset, raw in enumerate(lesson.body.split("\n")):
        number = lesson.body_line + offset
        if _FENCE.match(raw):
            fenced = not fenced
            sections[-1].own += 1
            continue
        heading = None if fenced else _HEADING.match(raw)
        if heading:
            sections.append(_Section(heading.group(2), number, left=[]))
        elif raw.strip():
            text = normal(raw)
            if not fenced and text in placeholders.lines:
                sections[-1].left.append((number, raw.strip()))  # type: ignore[union-attr]
            elif fenced or text not in placeholders.neutral:
                sections[-1].own += 1
    return sections


def _lesson_problems(lesson: Lesson, placeholders: Placeholders) -> list[Problem]:
    problems = []
    for section in _sections(lesson, placeholders):
        left = section.left or []
        template_heading = (section.heading is not None
                            and normal(section.heading) in placeholders.headings)
        if template_heading and not section.own:
            what = "only the template's placeholder text" if left else "nothing"
            problems.append(Problem(
                lesson.path, section.line, Severity.WARNING,
                f"section {section.heading!r} is as the template left it: {what} under its "
                "heading", "write this section in your own words, or delete it",
                "template-text"))
            continue
        for number, text in left:
            shown = text.strip("*_ ")
            shown = shown if len(shown) <= 70 else shown[:67] + "..."
            problems.append(Problem(
                lesson.path, number, Severity.WARNING,
                f"placeholder text from the template is still here: {shown!r}",
                "replace it with what happened, or delete the line", "template-text"))
    return problems
