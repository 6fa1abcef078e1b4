"""A checklist's items and pause points, read from its body, and the checks a usable one needs."""

from __future__ import annotations

import re

from ...load.knowledge_base import KnowledgeBase
from ...model.lesson import Lesson
from ...model.problems import Problem, Severity, did_you_mean
from .records import Checklist, ChecklistChange, ChecklistItem

_TASK = re.compile(r"^(?P<indent>[ \t]*)[-*+][ \t]+\[(?P<mark>[ xX])\][ \t]+(?P<text>\S.*?)\s*$")
_FENCE = re.compile(r"^[ \t]*(```|~~~)")
_PAUSE_HEADING = re.compile(r"^#{2,6}[ \t]+pause[ \t]+point\b[ \t]*[:\-–—]?[ \t]*(?P<text>.*?)"
                            r"[ \t#]*$", re.IGNORECASE)
# Words that open a noun phrase, never an instruction: "The rollback plan", "A second approver".
_NOT_ACTION_OPENERS = frozenset({
    "a", "an", "the", "this", "that", "these", "those", "our", "your", "their", "its", "my",
})


def build_checklists(kb: KnowledgeBase, lessons: list[Lesson],
                      problems: list[Problem]) -> dict[str, Checklist]:
    ids = {x.id for x in lessons}
    checklists: dict[str, Checklist] = {}
    for lesson in lessons:
        if lesson.kind != "checklist":
            continue
        d = lesson.details
        sources = []
        for index, source_id in enumerate(d.get("sources", [])):
            source = kb.get(source_id)
            if source is None:
                problems.append(Problem(
                    lesson.path, lesson.line_of("sources", index), Severity.ERROR,
                    f"checklist source {source_id!r} is not a known lesson id",
                    did_you_mean(source_id, ids) or "check the id: of the lesson that "
                    "created this checklist", code="unknown-id"))
            elif source.id != lesson.id:
                sources.append(source)
        changes = []
        for index, raw in enumerate(d.get("changes", [])):
            target = raw.get("lesson")
            found = kb.get(target) if target else None
            if target and found is None:
                problems.append(Problem(
                    lesson.path, lesson.line_of("changes", index, "lesson"), Severity.ERROR,
                    f"checklist change names unknown lesson id {target!r}",
                    did_you_mean(target, ids) or "check the id: of the lesson that caused "
                    "the change", code="unknown-id"))
            changes.append(ChecklistChange(raw["date"], raw["change"], found, target,
                                           raw.get("_line")))
        changes.sort(key=lambda c: c.date)
        items = parse_items(lesson)
        pause_points = _merge_pause_points(d.get("pause_points", []),
                                           parse_pause_headings(lesson))
        checklists[lesson.id] = Checklist(lesson, d.get("trigger"), d.get("owner"), items,
                                          pause_points, sources, changes)
        problems.extend(_checklist_quality(lesson, items))
    return checklists


def _merge_pause_points(declared: list[str], headings: list[str]) -> list[str]:
    """Front-matter pause points first, then headings that do not repeat one of them
    ('### Pause point: Before promotion' repeats 'Before promotion: lag under 1 s')."""
    out = list(declared)
    for heading in headings:
        key = heading.casefold().rstrip(".:")
        if not any(p.casefold().startswith(key) or key.startswith(p.casefold().rstrip(".:"))
                   for p in out):
            out.append(heading)
    return out


def _checklist_quality(lesson: Lesson, items: list[ChecklistItem]) -> list[Problem]:
    """The checks a usable checklist needs. A missing trigger is already reported by
    validation (code checklist-trigger), so it is not repeated here."""
    if not items:
        return [Problem(lesson.path, lesson.body_line, Severity.ERROR,
                        "checklist has no items: write them as a Markdown task list",
                        "add lines like '- [ ] Confirm the rollback command works'",
                        code="checklist-empty")]
    problems = []
    # Length (7±2 items per pause point) is the lint's `checklist-long` rule, not repeated here.
    for item in items:
        why = not_an_action(item.text)
        if why:
            problems.append(Problem(
                lesson.path, item.line, Severity.WARNING,
                f"checklist item {item.text!r} is not an action: {why}",
                "start it with a verb: 'Confirm ...', 'Check ...', 'Page ...'",
                code="checklist-item"))
    return problems


def parse_items(lesson: Lesson) -> list[ChecklistItem]:
    """Markdown task-list items (`- [ ]`, `- [x]`) of a body, outside fenced code blocks."""
    items: list[ChecklistItem] = []
    fence: str | None = None
    for offset, text in enumerate(lesson.body.split("\n")):
        opened = _FENCE.match(text)
        if opened:
            if fence is None:
                fence = opened.group(1)
            elif opened.group(1) == fence:
                fence = None
            continue
        if fence is not None:
            continue
        match = _TASK.match(text)
        if match:
            depth = len(match.group("indent").expandtabs(4)) // 2
            items.append(ChecklistItem(match.group("text"), match.group("mark") != " ",
                                       lesson.body_line + offset, depth))
    return items


def parse_pause_headings(lesson: Lesson) -> list[str]:
    """`### Pause point: before the cutover` headings in the body, as pause point texts."""
    out = []
    fence: str | None = None
    for text in lesson.body.split("\n"):
        opened = _FENCE.match(text)
        if opened:
            fence = opened.group(1) if fence is None else (None if opened.group(1) == fence
                                                             else fence)
            continue
        match = _PAUSE_HEADING.match(text) if fence is None else None
        if match:
            out.append(match.group("text") or "Pause point")
    return out


def not_an_action(text: str) -> str | None:
    """Why an item does not read as an action, or None. Deliberately conservative: only a
    question, or a phrase opening with an article or possessive ("The backup", "Our runbook"),
    is flagged; anything else might be an imperative we do not recognise."""
    words = re.sub(r"^[*_`\s]+", "", text).split()
    if not words:
        return "it is empty"
    if text.rstrip("*_` ").endswith("?"):
        return "it is a question"
    if words[0].lower().strip(",.:;") in _NOT_ACTION_OPENERS:
        return f"it starts with {words[0]!r}, a noun phrase rather than an instruction"
    return None
