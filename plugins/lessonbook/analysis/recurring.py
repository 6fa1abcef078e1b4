"""Recurring incidents: a later incident that strongly resembles an earlier one, within a window.

A repeat is the clearest evidence that something was not learned, or not yet acted on; a repeat
caught as a near miss is evidence that a barrier held. Pairs come from the similar-incident
links, the folded "possibly related" ones too (so the audience filter and the author's
``related:``/``unrelated:`` choices carry over), kept when the score reaches
``insights.recurring_min_score``, the later lesson falls within
``insights.recurring_window_months`` of the earlier one, and the two agree on what failed: the
same service and the same symptom (``symptoms.py``; shared generic words are not enough).
Pairs that share a lesson form a cluster. Nothing here imports MkDocs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..load.knowledge_base import KnowledgeBase
from ..model.lesson import Lesson
from .registry import Registry
from .registry.records import FollowUpEntry, Rule
from .symptoms import SameIncident

if TYPE_CHECKING:
    from .similarity import SimilarLinksSource

INCIDENT_KINDS = ("postmortem",)
"""Kinds that record something that went wrong (a near miss is what nearly did)."""
REPEAT_KINDS = ("postmortem", "near-miss")
"""Kinds that can be either side of a repeat."""


@dataclass
class Repeat:
    """A later lesson that resembles an earlier one, and what stood between them."""

    earlier: Lesson
    later: Lesson
    score: float
    reasons: list[str]
    follow_ups: list[FollowUpEntry]
    """The earlier lesson's follow-ups, with their state as of the build."""
    rules_between: list[Rule]
    """Rules adopted after the earlier lesson and before the later one that either came out of
    the earlier lesson or that the later lesson applied or amended."""

    @property
    def days(self) -> int:
        return (self.later.date - self.earlier.date).days

    @property
    def unfinished(self) -> list[FollowUpEntry]:
        """Earlier follow-ups not done: still open (overdue included) or dropped."""
        return [e for e in self.follow_ups if e.state in ("open", "overdue", "dropped")]

    @property
    def caught_as_near_miss(self) -> bool:
        return self.later.kind == "near-miss"

    @property
    def verdict(self) -> str:
        """One plain, blameless sentence on what the repeat says."""
        unfinished = self.unfinished
        dropped = sum(e.state == "dropped" for e in unfinished)
        still_open = len(unfinished) - dropped
        if self.caught_as_near_miss:
            return "This time it was caught as a near miss: a barrier held."
        if not self.follow_ups:
            return ("The earlier lesson recorded no follow-ups, so nothing was set to change "
                    "before it happened again.")
        unknown = sum(e.state == "unknown" for e in self.follow_ups)
        if unfinished:
            parts = []
            if still_open:
                parts.append(f"{_plural(still_open, 'follow-up')} still open")
            if dropped:
                parts.append(f"{dropped} dropped" if still_open
                             else f"{_plural(dropped, 'follow-up')} dropped")
            return (f"It happened again while the earlier lesson had {' and '.join(parts)} "
                    f"(of {len(self.follow_ups)}).")
        if unknown:
            done = len(self.follow_ups) - unknown
            return (f"It happened again; of the earlier lesson's {len(self.follow_ups)} "
                    f"follow-ups, {done} {'is' if done == 1 else 'are'} done and {unknown} "
                    f"{'has' if unknown == 1 else 'have'} no known status (imported history "
                    "that does not say).")
        return (f"All {_plural(len(self.follow_ups), 'follow-up')} of the earlier lesson "
                "are done, and it happened again: what they changed did not cover this way "
                "of failing.")


@dataclass
class Recurring:
    repeats: list[Repeat] = field(default_factory=list)
    """Newest later lesson first."""
    clusters: list[list[Lesson]] = field(default_factory=list)
    """Lessons linked by repeats, oldest first within a cluster; only clusters of three or
    more (a pair is already shown as a repeat)."""
    window_months: int = 18
    min_score: float = 0.15


def find_repeats(kb: KnowledgeBase, registry: Registry, similar: SimilarLinksSource | None, *,
                 window_months: int = 18, min_score: float = 0.15) -> Recurring:
    """Every (earlier, later) pair of incidents or near misses that resemble each other and
    agree on the service and the symptom (a pair whose service cannot be judged, because
    either lists none, needs twice ``min_score``)."""
    result = Recurring(window_months=window_months, min_score=min_score)
    if similar is None:
        return result
    follow_ups: dict[str, list[FollowUpEntry]] = {}
    for entry in registry.follow_ups:
        follow_ups.setdefault(entry.lesson.id, []).append(entry)
    seen: set[tuple[str, str]] = set()
    judge = SameIncident()
    for later in kb.lessons:
        if later.kind not in REPEAT_KINDS:
            continue
        for link in similar.similar(later.id):
            earlier = kb.get(link.id)
            if earlier is None or earlier.kind not in REPEAT_KINDS:
                continue
            if (earlier.date, earlier.id) >= (later.date, later.id):
                continue
            if link.score < min_score or not within(earlier.date, later.date, window_months):
                continue
            if (earlier.id, later.id) in seen:
                continue
            agreement = same_incident(judge, earlier, later, link.score, min_score)
            if agreement is None:
                continue
            seen.add((earlier.id, later.id))
            reasons = agreement + [x for x in link.reasons if not x.startswith("same service")]
            result.repeats.append(Repeat(earlier, later, link.score, reasons,
                                         follow_ups.get(earlier.id, []),
                                         rules_between(registry, earlier, later)))
    result.repeats.sort(key=lambda r: (r.later.date, r.later.id, r.earlier.id), reverse=True)
    result.clusters = _clusters(result.repeats)
    return result


def same_incident(judge: SameIncident, earlier: Lesson, later: Lesson, score: float,
                  min_score: float) -> list[str] | None:
    """The reasons the two are the same incident again ('same service: x', 'same symptom:
    HTTP 503'), or None when they are not."""
    services = judge.services(earlier, later)
    if services == [] or (services is None and score < 2 * min_score):
        return None
    symptom = judge.symptom(earlier, later)
    if not symptom:
        return None
    reasons = [f"same service: {', '.join(services)}"] if services else []
    return [*reasons, f"same symptom: {', '.join(symptom[:5])}"]


def within(earlier: dt.date, later: dt.date, months: int) -> bool:
    """``later`` is no more than ``months`` calendar months after ``earlier``."""
    total = earlier.year * 12 + earlier.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    day = min(earlier.day, _month_days(year, month))
    return later <= dt.date(year, month, day)


def rules_between(registry: Registry, earlier: Lesson, later: Lesson) -> list[Rule]:
    """Rules adopted in between that belong to this story: from the earlier lesson (declared or
    produced by its follow-ups), or applied or amended by the later one."""
    out = []
    for rule in registry.rules:
        adopted = [e.date for e in rule.history if e.change == "adopted"]
        if not adopted or not earlier.date <= adopted[0] <= later.date:
            continue
        from_earlier = any(x.id == earlier.id for x in rule.sources)
        used_later = any(e.lesson.id == later.id and e.change in ("applied", "amended")
                         for e in rule.history)
        if from_earlier or used_later:
            out.append(rule)
    return out


def _clusters(repeats: list[Repeat]) -> list[list[Lesson]]:
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    lessons: dict[str, Lesson] = {}
    for r in repeats:
        lessons[r.earlier.id], lessons[r.later.id] = r.earlier, r.later
        parent[root(r.earlier.id)] = root(r.later.id)
    groups: dict[str, list[Lesson]] = {}
    for lesson_id, lesson in lessons.items():
        groups.setdefault(root(lesson_id), []).append(lesson)
    clusters = [sorted(g, key=lambda x: (x.date, x.id)) for g in groups.values() if len(g) > 2]
    return sorted(clusters, key=lambda g: (-len(g), g[0].date, g[0].id))


def _month_days(year: int, month: int) -> int:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
