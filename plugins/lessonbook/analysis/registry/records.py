"""What the registry holds: rules with their history, checklists, follow-ups and closure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ...model.lesson import FollowUp, Lesson, rule_title
from ...model.problems import Problem

RULE_STATUS_ORDER = ("adopted", "proposed", "retired", "superseded")
NO_CATEGORY = "uncategorised"
NO_OWNER = "no owner"


@dataclass
class RuleEvent:
    """One dated change in a rule's life, and the lesson that caused or recorded it."""

    change: str
    """proposed | adopted | applied | amended | retired | superseded"""
    lesson: Lesson
    date: dt.date
    note: str | None = None
    if_: str | None = None
    then: str | None = None
    by: str | None = None
    line: int | None = None


@dataclass
class RuleText:
    """A wording the rule had, from a date on; the last one is the current text."""

    if_: str
    then: str
    since: dt.date
    lesson: Lesson


@dataclass
class Rule:
    id: str
    if_: str
    then: str
    status: str
    owner: str | None
    source: Lesson
    line: int | None
    categories: list[str] = field(default_factory=list)
    teams: list[str] = field(default_factory=list)
    history: list[RuleEvent] = field(default_factory=list)
    texts: list[RuleText] = field(default_factory=list)
    superseded_by: str | None = None
    supersedes: list[str] = field(default_factory=list)
    produced_by: list[tuple[Lesson, FollowUp]] = field(default_factory=list)
    review_by: dt.date | None = None
    """When to check the rule still holds, as its declaration says (`lessonbook due`)."""
    declared_title: str | None = None
    """``title:`` as declared; see :attr:`title`."""

    @property
    def title(self) -> str:
        """The rule's human name: its ``title:``, else one derived from its id."""
        return self.declared_title or rule_title(self.id)

    @property
    def sources(self) -> list[Lesson]:
        """The lesson that adopted the rule, then those whose follow-ups produced it."""
        return _unique_lessons([self.source, *(lesson for lesson, _ in self.produced_by)])

    @property
    def applied_in(self) -> list[Lesson]:
        return _unique_lessons([e.lesson for e in self.history if e.change == "applied"])

    @property
    def amended_in(self) -> list[Lesson]:
        return _unique_lessons([e.lesson for e in self.history if e.change == "amended"])

    @property
    def last_used(self) -> dt.date | None:
        """When a later lesson last applied or amended the rule (None: never)."""
        dates = [e.date for e in self.history if e.change in ("applied", "amended")]
        return max(dates) if dates else None

    @property
    def status_date(self) -> dt.date:
        """When the rule reached its current status."""
        for event in reversed(self.history):
            if event.change in ("proposed", "adopted", "retired", "superseded"):
                return event.date
        return self.history[0].date

    @property
    def last_worded(self) -> dt.date:
        """When the rule was last adopted or amended: what a review age counts from."""
        dates = [e.date for e in self.history if e.change in ("proposed", "adopted", "amended")]
        return max(dates) if dates else self.history[0].date

    @property
    def primary_category(self) -> str:
        return self.categories[0] if self.categories else NO_CATEGORY


@dataclass
class ChecklistItem:
    text: str
    checked: bool
    line: int
    depth: int = 0


@dataclass
class ChecklistChange:
    date: dt.date
    change: str
    lesson: Lesson | None
    lesson_id: str | None
    line: int | None


@dataclass
class Checklist:
    lesson: Lesson
    trigger: str | None
    owner: str | None
    items: list[ChecklistItem]
    pause_points: list[str]
    sources: list[Lesson]
    changes: list[ChecklistChange]
    produced_by: list[tuple[Lesson, FollowUp]] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.lesson.id

    @property
    def title(self) -> str:
        return self.lesson.title

    @property
    def item_count(self) -> int:
        return len(self.items)

    @property
    def shaped_by(self) -> list[Lesson]:
        """Every lesson that created or changed the checklist, oldest first."""
        lessons = [*self.sources, *(c.lesson for c in self.changes if c.lesson),
                   *(lesson for lesson, _ in self.produced_by)]
        return sorted(_unique_lessons(lessons), key=lambda x: (x.date, x.id))

    @property
    def last_changed(self) -> dt.date:
        dates = [c.date for c in self.changes] or [self.lesson.date]
        return max(dates)


@dataclass
class FollowUpEntry:
    lesson: Lesson
    follow_up: FollowUp
    overdue: bool

    @property
    def state(self) -> str:
        """overdue | open | done | dropped | unknown: overdue is an open follow-up past its due
        date; unknown, an imported historical item whose status the text did not give."""
        return "overdue" if self.overdue else self.follow_up.status

    @property
    def owner(self) -> str:
        return self.follow_up.owner or NO_OWNER

    @property
    def days_to_close(self) -> int | None:
        """Days from the lesson that agreed it to ``done_on``; None unless done with a date."""
        done_on = self.follow_up.done_on
        return (done_on - self.lesson.date).days if done_on is not None else None

    def open_on(self, day: dt.date) -> bool | None:
        """Was it agreed and not yet done on ``day``? None when that cannot be known: done
        without a date, or dropped (lessons do not record when)."""
        if self.lesson.date > day:
            return False
        if self.follow_up.status == "done":
            return None if self.follow_up.done_on is None else self.follow_up.done_on > day
        return None if self.follow_up.status in ("dropped", "unknown") else True


@dataclass
class Closure:
    """Counts of follow-ups by state, and the closure rate done / (done + open).

    Open includes overdue. Dropped follow-ups are left out of the rate: a decision not to do
    something is neither a success nor a failure to close; so are unknown ones (imported
    history that does not say), counted apart."""

    open: int = 0
    overdue: int = 0
    done: int = 0
    dropped: int = 0
    unknown: int = 0

    def add(self, entry: FollowUpEntry) -> None:
        setattr(self, entry.state, getattr(self, entry.state) + 1)

    @property
    def total(self) -> int:
        return self.open + self.overdue + self.done + self.dropped + self.unknown

    @property
    def rate(self) -> float | None:
        denominator = self.done + self.open + self.overdue
        return self.done / denominator if denominator else None

    @property
    def percent(self) -> str:
        return "—" if self.rate is None else f"{round(self.rate * 100)}%"


@dataclass
class Registry:
    rules: list[Rule]
    checklists: list[Checklist]
    follow_ups: list[FollowUpEntry]
    build_date: dt.date
    problems: list[Problem]

    def __post_init__(self) -> None:
        self.rule_by_id = {rule.id: rule for rule in self.rules}
        self.checklist_by_id = {c.id: c for c in self.checklists}
        # Indexed once so each lesson page's lookups cost O(its own entries), not O(registry).
        self._events_by_lesson: dict[str, list[tuple[Rule, RuleEvent]]] = {}
        for rule in self.rules:
            for event in rule.history:
                if event.lesson.id != rule.source.id:
                    self._events_by_lesson.setdefault(event.lesson.id, []).append((rule, event))
        self._checklists_by_lesson: dict[str, list[Checklist]] = {}
        for checklist in self.checklists:
            touched = {x.id for x in checklist.sources}
            touched.update(c.lesson.id for c in checklist.changes if c.lesson is not None)
            touched.update(source.id for source, _ in checklist.produced_by)
            for lesson_id in sorted(touched - {checklist.id}):
                self._checklists_by_lesson.setdefault(lesson_id, []).append(checklist)

    # --- per lesson -------------------------------------------------------------------------
    def rule_events_of(self, lesson: Lesson) -> list[tuple[Rule, RuleEvent]]:
        """What this lesson did to rules declared elsewhere (applied, amended, ...)."""
        return list(self._events_by_lesson.get(lesson.id, []))

    def checklists_of(self, lesson: Lesson) -> list[tuple[Checklist, list[str]]]:
        """Checklists this lesson created or changed, each with how: 'created from this
        lesson', the change-log entries it caused, the follow-ups that produced it."""
        out: list[tuple[Checklist, list[str]]] = []
        for checklist in self._checklists_by_lesson.get(lesson.id, []):
            how = []
            if any(x.id == lesson.id for x in checklist.sources):
                how.append("Created from this lesson.")
            how.extend(f"Changed on {c.date.isoformat()}: {c.change}" for c in checklist.changes
                       if c.lesson is not None and c.lesson.id == lesson.id)
            how.extend(f"Follow-up: {f.action}" for source, f in checklist.produced_by
                       if source.id == lesson.id)
            if how:
                out.append((checklist, how))
        return out

    # --- groupings for the pages ------------------------------------------------------------
    def rules_by_category(self) -> list[tuple[str, list[Rule]]]:
        groups: dict[str, list[Rule]] = {}
        for rule in self.rules:
            groups.setdefault(rule.primary_category, []).append(rule)
        order = sorted(groups, key=lambda c: (c == NO_CATEGORY, c))
        return [(c, sorted(groups[c], key=_rule_order)) for c in order]

    def rules_by_owner(self) -> list[tuple[str, list[Rule]]]:
        groups: dict[str, list[Rule]] = {}
        for rule in self.rules:
            groups.setdefault(rule.owner or NO_OWNER, []).append(rule)
        order = sorted(groups, key=lambda o: (o == NO_OWNER, o.lower()))
        return [(o, sorted(groups[o], key=_rule_order)) for o in order]

    def status_counts(self) -> list[tuple[str, int]]:
        return [(s, sum(r.status == s for r in self.rules)) for s in RULE_STATUS_ORDER]

    def follow_ups_in(self, state: str) -> list[tuple[str, list[FollowUpEntry]]]:
        """Follow-ups in one state grouped by owner (role or team)."""
        groups: dict[str, list[FollowUpEntry]] = {}
        for entry in self.follow_ups:
            if entry.state == state:
                groups.setdefault(entry.owner, []).append(entry)
        order = sorted(groups, key=lambda o: (o == NO_OWNER, o.lower()))
        return [(o, sorted(groups[o], key=_follow_up_order)) for o in order]

    def closure(self) -> Closure:
        total = Closure()
        for entry in self.follow_ups:
            total.add(entry)
        return total

    def closure_by_owner(self) -> list[tuple[str, Closure]]:
        groups: dict[str, Closure] = {}
        for entry in self.follow_ups:
            groups.setdefault(entry.owner, Closure()).add(entry)
        order = sorted(groups, key=lambda o: (o == NO_OWNER, o.lower()))
        return [(o, groups[o]) for o in order]


def _rule_order(rule: Rule) -> tuple[int, str]:
    return RULE_STATUS_ORDER.index(rule.status), rule.id


def _follow_up_order(entry: FollowUpEntry) -> tuple[dt.date, str]:
    return entry.follow_up.due or dt.date.max, entry.lesson.id


def _unique_lessons(lessons: list[Lesson]) -> list[Lesson]:
    seen: set[str] = set()
    return [x for x in lessons if not (x.id in seen or seen.add(x.id))]
