"""Start here (``start-here/``): a reading path for someone new.

First the list the organisation curates (the ``start_here`` option: lesson id → why to read
it), then sections worked out from the knowledge base: the rules applied most since they were
adopted, the lessons other lessons and checklists refer to most, and one exemplary lesson per
kind and per failure type. Each item says how long it takes to read and why to read it; the
page's script keeps ticks of what a reader has read in their browser.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from ..analysis.analyse import Analysis
from ..model.kinds import all_kinds, get_kind
from ..model.lesson import Lesson
from ..model.problems import did_you_mean
from ..model.vocabulary import FAILURE_TYPE_HELP, FAILURE_TYPES
from .pages import GeneratedPage

START_HERE = "start-here.md"
WORDS_PER_MINUTE = 200
"""A common estimate of how fast adults read prose on a screen."""
TOP = 5

_WORD = re.compile(r"\w+")


@dataclass
class ReadingItem:
    lesson: Lesson
    why: str
    minutes: int


@dataclass
class ReadingSection:
    id: str
    title: str
    intro: str
    items: list[ReadingItem] = field(default_factory=list)


def reading_minutes(lesson: Lesson) -> int:
    """Minutes to read the lesson's page (body, summary and the kind's block), at least 1."""
    texts = [lesson.body, lesson.summary, *lesson.contributing_factors,
             *(f.action for f in lesson.follow_ups), *_strings(lesson.details)]
    words = sum(len(_WORD.findall(text)) for text in texts)
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def references(analysis: Analysis) -> Counter[str]:
    """How often each lesson is referred to: by other lessons' ``related:``, by checklists it
    shaped, and by later lessons that applied or amended a rule it adopted."""
    refs: Counter[str] = Counter()
    for lesson in analysis.kb.lessons:
        refs.update(set(lesson.related) - {lesson.id})
    for checklist in analysis.registry.checklists:
        refs.update({x.id for x in checklist.shaped_by} - {checklist.id})
    for rule in analysis.registry.rules:
        later = {e.lesson.id for e in rule.history if e.change in ("applied", "amended")}
        refs[rule.source.id] += len(later - {rule.source.id})
    return refs


def _is_lesson(lesson: Lesson) -> bool:
    kind = get_kind(lesson.kind)
    return kind.counts_as_lesson if kind else True


def _exemplary(lessons: list[Lesson], refs: Counter[str]) -> Lesson | None:
    """The most complete, reviewed, referred-to lesson (newest wins a tie)."""
    def score(x: Lesson) -> tuple[int, ...]:
        return (x.status == "reviewed", bool(x.summary), refs[x.id],
                len(x.follow_ups) + len(x.rules) + len(x.contributing_factors),
                x.date.toordinal())
    return max(lessons, key=score, default=None)


def start_here_sections(analysis: Analysis) -> list[ReadingSection]:
    kb = analysis.kb
    refs = references(analysis)
    lessons = [x for x in kb.lessons if _is_lesson(x)]
    sections = []

    curated = ReadingSection("curated", "Where we suggest you begin",
                             "Chosen by the people who keep this site, in reading order.")
    for lesson_id, why in (analysis.options.start_here or {}).items():
        lesson = kb.get(lesson_id)
        if lesson is not None:
            curated.items.append(ReadingItem(lesson, why, reading_minutes(lesson)))
    sections.append(curated)

    rules = ReadingSection("rules", "The rules we rely on most",
                           "Rules applied most often in later incidents since they were "
                           "adopted; each item is the lesson the rule came from.")
    adopted = [r for r in analysis.registry.rules if r.status == "adopted" and r.applied_in]
    adopted.sort(key=lambda r: (-len(r.applied_in), r.id))
    for rule in adopted[:TOP]:
        n = len(rule.applied_in)
        rules.items.append(ReadingItem(
            rule.source, f"Where {rule.id} came from: applied in {n} later "
            f"lesson{'' if n == 1 else 's'} since its adoption on "
            f"{rule.status_date.isoformat()}.", reading_minutes(rule.source)))
    sections.append(rules)

    cited = ReadingSection("most-referenced", "The lessons we refer to most",
                           "Linked from other lessons, checklists and later incidents.")
    ranked = sorted((x for x in lessons if refs[x.id]), key=lambda x: (-refs[x.id], x.id))
    for lesson in ranked[:TOP]:
        n = refs[lesson.id]
        cited.items.append(ReadingItem(lesson, f"Referred to {n} time{'' if n == 1 else 's'} "
                                       "elsewhere: later lessons build on it.",
                                       reading_minutes(lesson)))
    sections.append(cited)

    kinds = ReadingSection("one-of-each-kind", "One of each kind",
                           "What each kind of lesson looks like at its best.")
    for kind in all_kinds():
        if not kind.counts_as_lesson:
            continue
        best = _exemplary([x for x in lessons if x.kind == kind.key], refs)
        if best is not None:
            kinds.items.append(ReadingItem(best, f"{kind.label}: {kind.description}",
                                           reading_minutes(best)))
    sections.append(kinds)

    failures = ReadingSection("one-of-each-failure-type", "One of each failure type",
                              "Preventable failures show the practices we rely on, complex "
                              "ones how our systems surprise us, intelligent ones what our "
                              "experiments taught us.")
    for failure_type in FAILURE_TYPES:
        best = _exemplary([x for x in lessons if x.failure_type == failure_type], refs)
        if best is not None:
            failures.items.append(ReadingItem(
                best, f"{failure_type.capitalize()}: {FAILURE_TYPE_HELP[failure_type]}",
                reading_minutes(best)))
    sections.append(failures)
    return [s for s in sections if s.items]


def start_here_notes(analysis: Analysis) -> list[str]:
    """Curated ids that name no lesson (a lesson left out for the audience is no mistake)."""
    hidden = {lesson_id for _, lesson_id in analysis.hidden.values()}
    known = [x.id for x in analysis.kb.lessons]
    notes = []
    for lesson_id in analysis.options.start_here or {}:
        if analysis.kb.get(lesson_id) is None and lesson_id not in hidden:
            hint = did_you_mean(lesson_id, known)
            notes.append(f"option 'start_here': no lesson has the id {lesson_id!r}"
                         + (f" ({hint})" if hint else ""))
    return notes


def start_here_page(analysis: Analysis) -> GeneratedPage:
    return GeneratedPage(START_HERE, "Start here", "lessonbook/start-here.html",
                         {"page_kind": "start-here",
                          "reading": start_here_sections(analysis)})
