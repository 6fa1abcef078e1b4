"""Digests (``digests/``): a page per quarter, and per month where enough was learned, to read
or mail as they are — what we learned, what we strengthened, what is still open.

"Strengthened" is the registry's dated history: rules adopted, amended, retired or superseded,
checklists created or changed, and follow-ups done (in the period of their ``done_on``). A
follow-up done without a ``done_on`` cannot be placed in a period: the digest of the lesson
that agreed it counts it as "done, date unknown". "Still open" is what is open today among the
follow-ups of lessons written by the period's end.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field

from ..analysis.analyse import Analysis
from ..analysis.registry.records import Checklist, FollowUpEntry, Rule, RuleEvent
from ..model.kinds import get_kind
from ..model.lesson import Lesson
from .pages import GeneratedPage

DIGESTS = "digests.md"
RULE_CHANGES = ("adopted", "amended", "retired", "superseded")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


@dataclass
class Period:
    key: str
    """``2025-q1`` or ``2025-03``: the page's file name."""
    title: str
    start: dt.date
    end: dt.date
    """Inclusive."""

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def src_uri(self) -> str:
        return f"digests/{self.key}.md"


@dataclass
class Digest:
    period: Period
    lessons: list[Lesson] = field(default_factory=list)
    rule_changes: list[tuple[Rule, RuleEvent]] = field(default_factory=list)
    checklist_changes: list[tuple[Checklist, dt.date, str]] = field(default_factory=list)
    follow_ups_done: list[FollowUpEntry] = field(default_factory=list)
    done_undated: int = 0
    """Follow-ups agreed in the period and done without a ``done_on``."""
    still_open: list[FollowUpEntry] = field(default_factory=list)
    months: list[Digest] = field(default_factory=list)
    """A quarter's month pages (only months with enough new lessons)."""

    @property
    def is_empty(self) -> bool:
        return not (self.lessons or self.rule_changes or self.checklist_changes
                    or self.follow_ups_done)

    @property
    def overdue(self) -> int:
        return sum(e.state == "overdue" for e in self.still_open)


def quarter(day: dt.date) -> Period:
    q = (day.month - 1) // 3
    start = dt.date(day.year, 3 * q + 1, 1)
    end = _month_end(dt.date(day.year, 3 * q + 3, 1))
    return Period(f"{day.year}-q{q + 1}", f"Q{q + 1} {day.year}", start, end)


def month(day: dt.date) -> Period:
    start = day.replace(day=1)
    return Period(f"{day.year}-{day.month:02d}", f"{MONTHS[day.month - 1]} {day.year}", start,
                  _month_end(start))


def _month_end(first: dt.date) -> dt.date:
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def _is_lesson(lesson: Lesson) -> bool:
    kind = get_kind(lesson.kind)
    return kind.counts_as_lesson if kind else True


def _dated(lessons: list[Lesson]) -> list[Lesson]:
    """Lessons with a date (``date: unknown`` is in no period; the index says how many)."""
    return [x for x in lessons if x.date_known]


class _ByDate:
    """The lessons dated in a period, found by bisection: the knowledge base lists lessons
    newest first, so a period's lessons are a slice (scanning every lesson for every period
    made the digests quadratic at 10,000 lessons)."""

    def __init__(self, lessons: list[Lesson]) -> None:
        self.lessons = lessons
        self.keys = [-x.date.toordinal() for x in lessons]
        self.ordered = all(a <= b for a, b in zip(self.keys, self.keys[1:], strict=False))

    def within(self, period: Period) -> list[Lesson]:
        if not self.ordered:
            return [x for x in self.lessons if x.date in period]
        lo = bisect.bisect_left(self.keys, -period.end.toordinal())
        hi = bisect.bisect_right(self.keys, -period.start.toordinal())
        return self.lessons[lo:hi]


def digest_for(analysis: Analysis, period: Period, by_date: _ByDate | None = None) -> Digest:
    registry = analysis.registry
    digest = Digest(period)
    by_date = by_date or _ByDate(_dated(analysis.kb.lessons))
    digest.lessons = [x for x in by_date.within(period) if _is_lesson(x)]
    digest.rule_changes = sorted(
        ((rule, e) for rule in registry.rules for e in rule.history
         if e.change in RULE_CHANGES and e.date in period),
        key=lambda re_: (re_[1].date, re_[0].id))
    for checklist in registry.checklists:
        if checklist.lesson.date_known and checklist.lesson.date in period:
            digest.checklist_changes.append((checklist, checklist.lesson.date, "Created."))
        digest.checklist_changes.extend((checklist, c.date, c.change)
                                        for c in checklist.changes if c.date in period)
    digest.checklist_changes.sort(key=lambda c: (c[1], c[0].id))
    for entry in registry.follow_ups:
        f = entry.follow_up
        if f.done_on is not None and f.done_on in period:
            digest.follow_ups_done.append(entry)
        elif not entry.lesson.date_known:
            continue  # agreed on a day nobody knows: in no period
        elif f.done_undated and entry.lesson.date in period:
            digest.done_undated += 1
        elif entry.state in ("open", "overdue") and entry.lesson.date <= period.end:
            digest.still_open.append(entry)
    digest.follow_ups_done.sort(key=lambda e: (e.follow_up.done_on, e.lesson.id))
    digest.still_open.sort(key=lambda e: (e.state != "overdue", e.follow_up.due or dt.date.max,
                                          e.lesson.id))
    return digest


def plan_digests(analysis: Analysis) -> list[Digest]:
    """Quarters with anything new, newest first, each with its months that had at least
    ``digest_month_min`` new lessons."""
    registry = analysis.registry
    days = [x.date for x in _dated(analysis.kb.lessons)]
    days += [e.date for r in registry.rules for e in r.history if e.change in RULE_CHANGES]
    days += [c.date for cl in registry.checklists for c in cl.changes]
    days += [e.follow_up.done_on for e in registry.follow_ups if e.follow_up.done_on]
    quarters: dict[str, Period] = {}
    for day in days:
        period = quarter(day)
        quarters.setdefault(period.key, period)
    digests = []
    by_date = _ByDate(_dated(analysis.kb.lessons))
    for key in sorted(quarters, reverse=True):
        digest = digest_for(analysis, quarters[key], by_date)
        if digest.is_empty:
            continue
        months = sorted({month(x.date).key: month(x.date) for x in digest.lessons}.items(),
                        reverse=True)
        for _, period in months:
            month_digest = digest_for(analysis, period, by_date)
            if len(month_digest.lessons) >= analysis.options.digest_month_min:
                digest.months.append(month_digest)
        digests.append(digest)
    return digests


def digest_pages(analysis: Analysis) -> list[GeneratedPage]:
    """The index (in the nav) and one page per quarter and month (out of it)."""
    digests = plan_digests(analysis)
    undated = sum(not x.date_known and _is_lesson(x) for x in analysis.kb.lessons)
    pages = [GeneratedPage(DIGESTS, "Digests", "lessonbook/digests.html",
                           {"page_kind": "digests", "digests": digests, "undated": undated})]
    for digest in digests:
        for d in [digest, *digest.months]:
            pages.append(GeneratedPage(d.period.src_uri, f"Digest: {d.period.title}",
                                       "lessonbook/digest.html",
                                       {"page_kind": "digest", "digest": d}, in_nav=False))
    return pages
