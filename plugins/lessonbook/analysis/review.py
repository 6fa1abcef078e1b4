"""Review reminders: what is overdue on a day — follow-ups past due, rules and lessons past review.

One list serves `lessonbook due` (a scheduled CI job) and the Follow-ups page, so both say the
same thing. Built from the audience's knowledge base and registry, so a public reminder never
names a restricted lesson.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from ..load.knowledge_base import KnowledgeBase
from .registry import Registry
from .registry.records import NO_OWNER

DueKind = Literal["follow-up", "rule", "lesson"]
DUE_KIND_ORDER: tuple[DueKind, ...] = ("follow-up", "rule", "lesson")


@dataclass(frozen=True)
class DueItem:
    """One overdue thing, with who should act on it and where it is written."""

    kind: DueKind
    owner: str
    due: dt.date
    """The follow-up's due date, or the day the rule or lesson should have been reviewed."""
    text: str
    """The follow-up's action, the rule's if-then, the lesson's title."""
    lesson_id: str
    lesson_title: str
    path: str
    """The lesson file (docs-relative) that carries the date."""
    line: int | None
    rule_id: str | None = None
    reason: str = ""

    def days_overdue(self, today: dt.date) -> int:
        return (today - self.due).days


def due_items(kb: KnowledgeBase, registry: Registry, today: dt.date,
              rule_review_days: int | None = None) -> list[DueItem]:
    """Everything overdue on ``today``, most overdue first: open follow-ups past their due
    date; adopted rules past ``review_by`` (or, without one, ``rule_review_days`` after their
    last adoption or amendment); lessons past ``review_by``."""
    items: list[DueItem] = []
    for entry in registry.follow_ups:
        f = entry.follow_up
        if entry.state == "overdue" and f.due is not None and f.due < today:
            items.append(DueItem("follow-up", entry.owner, f.due, f.action, entry.lesson.id,
                                 entry.lesson.title, entry.lesson.path, f.line,
                                 reason=f"due {f.due.isoformat()}"))
    for rule in registry.rules:
        if rule.status != "adopted":
            continue
        if rule.review_by is not None:
            when, reason = rule.review_by, f"review_by {rule.review_by.isoformat()}"
        elif rule_review_days is not None:
            when = rule.last_worded + dt.timedelta(days=rule_review_days)
            reason = (f"last adopted or amended {rule.last_worded.isoformat()}; rules are "
                      f"reviewed every {rule_review_days} days")
        else:
            continue
        if when < today:
            items.append(DueItem("rule", rule.owner or NO_OWNER, when,
                                 f"If {rule.if_}, then {rule.then}", rule.source.id,
                                 rule.source.title, rule.source.path, rule.line, rule.id,
                                 reason))
    for lesson in kb.lessons:
        if lesson.review_by is not None and lesson.review_by < today:
            owner = lesson.teams[0] if lesson.teams else NO_OWNER
            items.append(DueItem("lesson", owner, lesson.review_by, lesson.title, lesson.id,
                                 lesson.title, lesson.path, lesson.line_of("review_by"),
                                 reason=f"review_by {lesson.review_by.isoformat()}"))
    items.sort(key=lambda x: (x.due, DUE_KIND_ORDER.index(x.kind), x.lesson_id, x.text))
    return items


def by_owner(items: list[DueItem]) -> list[tuple[str, list[DueItem]]]:
    """Overdue items grouped by owner (alphabetical, 'no owner' last), most overdue first."""
    groups: dict[str, list[DueItem]] = {}
    for item in items:
        groups.setdefault(item.owner, []).append(item)
    order = sorted(groups, key=lambda o: (o == NO_OWNER, o.casefold()))
    return [(owner, groups[owner]) for owner in order]
