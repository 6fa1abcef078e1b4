"""Start here (``start-here/``): a reading path for someone new.

First the list the organisation curates (the ``start_here`` option: lesson id → why to read
it), then sections worked out from the knowledge base: the adopted rules applied most (as rules,
by their title), the lessons other lessons (``related:`` or a link in the text), checklists and
rules refer to most, the incidents that came back (Recurring), the most severe, the best lesson
of each service with the most incidents, and one exemplary lesson per kind and per failure
type. So a knowledge base nobody curated yet — an import, with no rules, no ``related:``, no
severities — still gets a path of several lessons. A lesson chosen for several reasons is
listed once, with all of them. Each item says how long it takes to read; the page's script
keeps ticks of what a reader has read in their browser.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from ..analysis.analyse import Analysis
from ..analysis.registry.records import Rule
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
_LINK = re.compile(r"\[([^\]\n]{1,200})\](?:\(\s*<?([^)\s>]+)|\[([^\]\n]{0,200})\])?")
"""A Markdown link: its text, and its target or reference label."""


@dataclass
class ReadingItem:
    lesson: Lesson
    why: list[str]
    """Every reason it was chosen, the first section's first."""
    minutes: int


@dataclass
class RuleItem:
    rule: Rule
    why: str


@dataclass
class ReadingSection:
    id: str
    title: str
    intro: str
    items: list[ReadingItem] = field(default_factory=list)
    rules: list[RuleItem] = field(default_factory=list)


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
        refs.update((set(lesson.related) | linked_in_text(lesson, analysis)) - {lesson.id})
    for checklist in analysis.registry.checklists:
        refs.update({x.id for x in checklist.shaped_by} - {checklist.id})
    for rule in analysis.registry.rules:
        later = {e.lesson.id for e in rule.history if e.change in ("applied", "amended")}
        refs[rule.source.id] += len(later - {rule.source.id})
    return refs


def linked_in_text(lesson: Lesson, analysis: Analysis) -> set[str]:
    """Lessons the body links to: a link whose text or reference label is a lesson's id
    ("see [PM2019-009][PM2019-009]"), or whose target is its file ("../PM2019-009.md")."""
    if "[" not in lesson.body:
        return set()
    found = set()
    for match in _LINK.finditer(lesson.body):
        text, target, label = match.groups()
        for candidate in (text, label):
            if candidate and analysis.kb.get(candidate.strip()) is not None:
                found.add(candidate.strip())
        if target and not re.match(r"^[a-z][\w+.-]*:", target):  # a file, not a URL
            stem = re.sub(r"[#?].*$", "", target).rsplit("/", 1)[-1]
            stem = stem[:-3] if stem.endswith(".md") else stem
            if stem and analysis.kb.get(stem) is not None:
                found.add(stem)
    return found


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
    """The reading path. A lesson chosen for several reasons is listed once, where it first
    appears, with every reason; rules are listed as rules (their title and sentence)."""
    kb = analysis.kb
    refs = references(analysis)
    lessons = [x for x in kb.lessons if _is_lesson(x)]
    path = _Path()

    curated = path.section("curated", "Where we suggest you begin",
                           "Chosen by the people who keep this site, in reading order.")
    for lesson_id, why in (analysis.options.start_here or {}).items():
        lesson = kb.get(lesson_id)
        if lesson is not None:
            path.add(curated, lesson, why)

    rules = path.section("rules", "The rules we rely on most",
                         "Adopted rules, the ones applied most often in later incidents first. "
                         "Each one is a habit: when the situation comes up, this is what we do.")
    adopted = [r for r in analysis.registry.rules if r.status == "adopted"]
    adopted.sort(key=lambda r: (-len(r.applied_in), -r.status_date.toordinal(), r.id))
    for rule in adopted[:TOP]:
        n = len(rule.applied_in)
        since = f"adopted on {rule.status_date.isoformat()}"
        rules.rules.append(RuleItem(rule, f"Applied in {n} later lesson{'' if n == 1 else 's'} "
                                    f"since it was {since}." if n else f"Since it was {since}."))
        path.reasons_later.setdefault(rule.source.id, []).append(
            f"The lesson behind the rule “{rule.title}”.")

    cited = path.section("most-referenced", "The lessons we refer to most",
                         "Linked from other lessons, checklists and later incidents.")
    ranked = sorted((x for x in lessons if refs[x.id]), key=lambda x: (-refs[x.id], x.id))
    for lesson in ranked[:TOP]:
        n = refs[lesson.id]
        path.add(cited, lesson, f"Referred to {n} time{'' if n == 1 else 's'} elsewhere: "
                 "later lessons build on it.")

    came_back = path.section("came-back", "The incidents that came back",
                             "Failures that happened again within months: what we had not yet "
                             "changed enough (Recurring incidents).")
    for story in _came_back(analysis)[:TOP]:
        n = len(story) - 1
        path.add(came_back, story[0], f"It came back {n} time{'' if n == 1 else 's'}: "
                 + "; ".join(f"{x.title} ({x.date_text})" for x in story[1:4]) + ".")

    severest = path.section("most-severe", "The most severe",
                            "The incidents rated the highest severity, newest first.")
    severities = list(analysis.settings.severities)
    rated = [x for x in lessons if x.severity in severities and x.date_known]
    if rated:
        top = min(severities.index(x.severity) for x in rated)  # type: ignore[arg-type]
        for lesson in sorted((x for x in rated if severities.index(x.severity) == top),
                             key=lambda x: (-x.date.toordinal(), x.id))[:TOP]:
            path.add(severest, lesson, f"Severity {lesson.severity}: among the worst we had.")

    by_service = path.section("by-service", "Where incidents cluster",
                              "The services with the most incidents, and the most complete "
                              "lesson of each.")
    incidents: dict[str, list[Lesson]] = {}
    for lesson in lessons:
        if lesson.kind in ("postmortem", "near-miss"):
            for service in dict.fromkeys(lesson.services):
                incidents.setdefault(service, []).append(lesson)
    busiest = sorted((s for s, xs in incidents.items() if len(xs) > 1),
                     key=lambda s: (-len(incidents[s]), s))
    for service in busiest[:TOP]:
        best = _exemplary(incidents[service], refs)
        if best is not None:
            path.add(by_service, best, f"{service}: {len(incidents[service])} incidents; "
                     "this is the most complete account.")

    kinds = path.section("one-of-each-kind", "One of each kind",
                         "What each kind of lesson looks like at its best.")
    for kind in all_kinds():
        if not kind.counts_as_lesson:
            continue
        best = _exemplary([x for x in lessons if x.kind == kind.key], refs)
        if best is not None:
            path.add(kinds, best, f"{kind.label}: {kind.description}")

    failures = path.section("one-of-each-failure-type", "One of each failure type",
                            "Preventable failures show the practices we rely on, complex "
                            "ones how our systems surprise us, intelligent ones what our "
                            "experiments taught us.")
    for failure_type in FAILURE_TYPES:
        best = _exemplary([x for x in lessons if x.failure_type == failure_type], refs)
        if best is not None:
            path.add(failures, best,
                     f"{failure_type.capitalize()}: {FAILURE_TYPE_HELP[failure_type]}")
    path.finish()
    return [s for s in path.sections if s.items or s.rules]


def _came_back(analysis: Analysis) -> list[list[Lesson]]:
    """Each story of repeats (lessons linked by Recurring's repeats), oldest first: the most
    repeated stories first, then the newest."""
    parent: dict[str, str] = {}
    lessons: dict[str, Lesson] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for repeat in analysis.recurring.repeats:
        lessons[repeat.earlier.id], lessons[repeat.later.id] = repeat.earlier, repeat.later
        parent[root(repeat.later.id)] = root(repeat.earlier.id)
    stories: dict[str, list[Lesson]] = {}
    for lesson_id, lesson in lessons.items():
        stories.setdefault(root(lesson_id), []).append(lesson)
    ordered = [sorted(g, key=lambda x: (x.date, x.id)) for g in stories.values()]
    return sorted(ordered, key=lambda g: (-len(g), -g[-1].date.toordinal(), g[0].id))


class _Path:
    """Sections in reading order, each lesson in the first one that chose it."""

    def __init__(self) -> None:
        self.sections: list[ReadingSection] = []
        self.items: dict[str, ReadingItem] = {}
        self.reasons_later: dict[str, list[str]] = {}
        """Reasons that are not a section of their own (a rule's source lesson)."""

    def section(self, id: str, title: str, intro: str) -> ReadingSection:
        self.sections.append(ReadingSection(id, title, intro))
        return self.sections[-1]

    def add(self, section: ReadingSection, lesson: Lesson, why: str) -> None:
        item = self.items.get(lesson.id)
        if item is None:
            item = self.items[lesson.id] = ReadingItem(lesson, [], reading_minutes(lesson))
            section.items.append(item)
        if why not in item.why:
            item.why.append(why)

    def finish(self) -> None:
        for lesson_id, reasons in self.reasons_later.items():
            item = self.items.get(lesson_id)
            if item is not None:
                item.why.extend(r for r in reasons if r not in item.why)


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
    # Worked out when rendered: the incidents that came back need the similar links, which may
    # still be computed alongside the Markdown conversion when the pages are planned.
    return GeneratedPage(START_HERE, "Start here", "lessonbook/start-here.html",
                         {"page_kind": "start-here"},
                         later=lambda: {"reading": start_here_sections(analysis)})
