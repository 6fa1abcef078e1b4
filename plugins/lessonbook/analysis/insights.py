"""Is the organisation learning? The series the Insights page draws and api/insights.json holds.

Everything is computed from the knowledge base the build shows (already narrowed to its
audience) and from its registry, so nothing about a left-out lesson reaches a chart. Durations
are reported as every point with the median and 90th percentile, never a mean: recovery times
are heavily skewed and a few long incidents move a mean. Plain data only; the site layer draws
it (site/insights.py). Nothing here imports MkDocs.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..load.knowledge_base import KnowledgeBase
from ..model.kinds import all_kinds, get_kind
from ..model.lesson import Lesson
from ..model.vocabulary import FAILURE_TYPES, Settings
from .recurring import INCIDENT_KINDS, REPEAT_KINDS, Recurring
from .registry import Registry
from .registry.records import FollowUpEntry

MIN_DISTRIBUTION = 5
"""Fewer points than this and a duration chart says so instead of drawing a distribution."""
MIN_PERIOD_MARKS = 3
"""A period's median and 90th percentile are drawn only from this many points on."""
HEATMAP_SERVICES = 20
"""The heat map shows the services with the most incidents; the data table says how many more."""
AGE_BUCKETS: tuple[tuple[str, int], ...] = (
    ("under 30 days", 30), ("30–90 days", 90), ("90–180 days", 180), ("180–365 days", 365),
    ("over a year", 10**9))


def quarter_of(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_end(quarter: str) -> dt.date:
    year, q = int(quarter[:4]), int(quarter[-1])
    return dt.date(year + q // 4, q % 4 * 3 + 1, 1) - dt.timedelta(days=1)


def quarters_between(first: dt.date, last: dt.date) -> list[str]:
    """Every quarter from ``first``'s to ``last``'s, none skipped (empty quarters show as 0)."""
    out, (year, q) = [], (first.year, (first.month - 1) // 3)
    while (year, q) <= (last.year, (last.month - 1) // 3):
        out.append(f"{year}-Q{q + 1}")
        year, q = (year + 1, 0) if q == 3 else (year, q + 1)
    return out


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile: a value that occurred, not an interpolation."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass
class Distribution:
    """The durations of one period (or of all periods), in minutes, each with its lesson."""

    period: str
    points: list[tuple[str, float]]
    """(lesson id, minutes), shortest first."""

    @property
    def count(self) -> int:
        return len(self.points)

    @property
    def median(self) -> float | None:
        return statistics.median(m for _, m in self.points) if self.points else None

    @property
    def p90(self) -> float | None:
        return percentile([m for _, m in self.points], 0.9)

    @property
    def marked(self) -> bool:
        """Enough points for the median and p90 to be drawn."""
        return self.count >= MIN_PERIOD_MARKS

    def record(self) -> dict[str, Any]:
        return {"period": self.period, "count": self.count, "median": self.median,
                "p90": self.p90, "points": [{"lesson": i, "minutes": m} for i, m in self.points]}


@dataclass
class DurationSeries:
    """Time to detect or to recover, per half-year (or per year over a long history)."""

    field: str
    label: str
    """'recovery time' / 'detection time', for sentences."""
    period: str
    """'half-year' or 'year'."""
    periods: list[Distribution]
    overall: Distribution

    @property
    def too_few(self) -> str | None:
        """Why no distribution is drawn, or None."""
        n = self.overall.count
        if n >= MIN_DISTRIBUTION:
            return None
        return (f"{n} incident{'' if n == 1 else 's'} with a {self.label} — too few for a "
                f"distribution (it needs {MIN_DISTRIBUTION}).")

    def record(self) -> dict[str, Any]:
        return {"unit": "minutes", "period": self.period, "median": self.overall.median,
                "p90": self.overall.p90, "count": self.overall.count,
                "periods": [p.record() for p in self.periods]}


@dataclass
class Chain:
    """The learning loop, once round: a lesson → the rule it changed → later lessons where that
    rule applied or was amended."""

    source: Lesson
    rule_id: str
    change: str
    date: dt.date
    later: list[tuple[Lesson, str, dt.date]]
    """(lesson, 'applied' or 'amended', date), oldest first."""

    def record(self) -> dict[str, Any]:
        return {"lesson": self.source.id, "rule": self.rule_id, "change": self.change,
                "date": self.date.isoformat(),
                "later": [{"lesson": x.id, "change": c, "date": d.isoformat()}
                          for x, c, d in self.later]}


@dataclass
class Insights:
    generated: dt.date
    lesson_count: int
    quarters: list[str]
    lessons_by_quarter: list[dict[str, Any]]
    near_miss_ratio: list[dict[str, Any]]
    failure_mix: list[dict[str, Any]]
    failure_mix_by_year: list[dict[str, Any]]
    time_to_detect: DurationSeries
    time_to_recover: DurationSeries
    follow_up_closure: list[dict[str, Any]]
    open_follow_up_ages: list[dict[str, Any]]
    overdue_over_time: list[dict[str, Any]]
    time_to_close: dict[str, Any]
    artifacts_changed: list[dict[str, Any]]
    pareto_categories: list[dict[str, Any]]
    pareto_defense_layers: list[dict[str, Any]]
    incident_heatmap: dict[str, Any]
    repeat_rate: list[dict[str, Any]]
    rule_use: list[dict[str, Any]]
    chains: list[Chain] = field(default_factory=list)
    undated: int = 0
    """Lessons with ``date: unknown``, left out of every series (the page says how many)."""

    def document(self) -> dict[str, Any]:
        """api/insights.json: ``{"generated": ..., "series": {...}}``, one entry per chart."""
        return {"generated": self.generated.isoformat(), "undated_lessons": self.undated,
                "series": {
            "lessons_by_quarter": self.lessons_by_quarter,
            "near_miss_ratio": self.near_miss_ratio,
            "failure_mix": self.failure_mix,
            "failure_mix_by_year": self.failure_mix_by_year,
            "time_to_detect": self.time_to_detect.record(),
            "time_to_recover": self.time_to_recover.record(),
            "follow_up_closure": self.follow_up_closure,
            "open_follow_up_ages": self.open_follow_up_ages,
            "overdue_over_time": self.overdue_over_time,
            "time_to_close": self.time_to_close,
            "artifacts_changed": self.artifacts_changed,
            "pareto_categories": self.pareto_categories,
            "pareto_defense_layers": self.pareto_defense_layers,
            "incident_heatmap": self.incident_heatmap,
            "repeat_rate": self.repeat_rate,
            "rule_use": self.rule_use,
            "learning_chains": [c.record() for c in self.chains],
        }}


def counts_as_lesson(lesson: Lesson) -> bool:
    kind = get_kind(lesson.kind)
    return kind.counts_as_lesson if kind else True


def compute_insights(kb: KnowledgeBase, registry: Registry, settings: Settings,
                     recurring: Recurring) -> Insights:
    """Every series of the Insights page, from the lessons this build shows."""
    shown = [x for x in kb.lessons if counts_as_lesson(x)]
    lessons = [x for x in shown if x.date_known]  # `date: unknown` (an import): no quarter
    today = registry.build_date
    dates = [x.date for x in lessons]
    quarters = quarters_between(min(dates), max(dates)) if dates else []
    return Insights(
        generated=today,
        lesson_count=len(lessons),
        undated=len(shown) - len(lessons),
        quarters=quarters,
        lessons_by_quarter=_lessons_by_quarter(lessons, quarters),
        near_miss_ratio=_near_miss_ratio(lessons),
        failure_mix=_failure_mix(lessons, quarters),
        failure_mix_by_year=_failure_mix_by_year(lessons),
        time_to_detect=_durations(lessons, "time_to_detect", "detection time"),
        time_to_recover=_durations(lessons, "time_to_recover", "recovery time"),
        follow_up_closure=_closure(registry, quarters),
        open_follow_up_ages=_open_ages(registry),
        overdue_over_time=_overdue_over_time(registry, quarters),
        time_to_close=_time_to_close(registry),
        artifacts_changed=_artifacts(registry, quarters),
        pareto_categories=_pareto(lessons, lambda x: x.categories, settings.categories),
        pareto_defense_layers=_pareto(lessons, lambda x: x.defense_layers,
                                      settings.defense_layers),
        incident_heatmap=_heatmap(lessons, quarters),
        repeat_rate=_repeat_rate(lessons, recurring),
        rule_use=_rule_use(registry),
        chains=_chains(registry),
    )


# --- the series ------------------------------------------------------------------------------
def _lessons_by_quarter(lessons: list[Lesson], quarters: list[str]) -> list[dict[str, Any]]:
    """One row per quarter and kind present (zeros included, so every quarter shows)."""
    counts = Counter((quarter_of(x.date), x.kind) for x in lessons)
    present = {x.kind for x in lessons}
    kinds = [k.key for k in all_kinds() if k.key in present]
    kinds += sorted(present - set(kinds))
    return [{"quarter": q, "kind": k, "count": counts[(q, k)]} for q in quarters for k in kinds]


def _near_miss_ratio(lessons: list[Lesson]) -> list[dict[str, Any]]:
    """Near misses per incident, by year: more near misses reported is a healthy sign."""
    years = sorted({x.year for x in lessons})
    out = []
    for year in years:
        near = sum(x.kind == "near-miss" and x.year == year for x in lessons)
        incidents = sum(x.kind in INCIDENT_KINDS and x.year == year for x in lessons)
        out.append({"year": year, "near_misses": near, "incidents": incidents,
                    "ratio": round(near / incidents, 3) if incidents else None})
    return out


def _failure_mix(lessons: list[Lesson], quarters: list[str]) -> list[dict[str, Any]]:
    """Shares of preventable, complexity and intelligent failures per quarter that has any."""
    counts = Counter((quarter_of(x.date), x.failure_type) for x in lessons if x.failure_type)
    out = []
    for q in quarters:
        total = sum(counts[(q, t)] for t in FAILURE_TYPES)
        if total:
            out.append({"quarter": q, "total": total, **{
                t: round(counts[(q, t)] / total, 3) for t in FAILURE_TYPES}})
    return out


def _failure_mix_by_year(lessons: list[Lesson]) -> list[dict[str, Any]]:
    """Lessons of each failure type per year (every year from the first to the last): counts
    a chart can stack, where a quarter's one or two lessons would make every share 0 or 100%."""
    typed = [x for x in lessons if x.failure_type]
    if not typed:
        return []
    counts = Counter((x.year, x.failure_type) for x in typed)
    years = range(min(x.year for x in typed), max(x.year for x in typed) + 1)
    return [{"year": y, "total": sum(counts[(y, t)] for t in FAILURE_TYPES),
             **{t: counts[(y, t)] for t in FAILURE_TYPES}} for y in years]


def _period(day: dt.date, by_year: bool) -> str:
    return str(day.year) if by_year else f"{day.year}-H{1 if day.month <= 6 else 2}"


def _durations(lessons: list[Lesson], name: str, label: str) -> DurationSeries:
    timed = sorted(((x, getattr(x, name)) for x in lessons
                    if x.kind in INCIDENT_KINDS and getattr(x, name) is not None),
                   key=lambda p: (p[0].date, p[0].id))
    # Half-years when they hold enough points to mark a median on average, else years.
    halves = 2 * (timed[-1][0].year - timed[0][0].year + 1) if timed else 1
    by_year = len(timed) < MIN_PERIOD_MARKS * halves
    groups: dict[str, list[tuple[str, float]]] = {}
    for lesson, minutes in timed:
        groups.setdefault(_period(lesson.date, by_year), []).append((lesson.id, float(minutes)))
    periods = [Distribution(p, sorted(pts, key=lambda v: (v[1], v[0])))
               for p, pts in groups.items()]
    overall = Distribution("all", sorted(((x.id, float(m)) for x, m in timed),
                                         key=lambda v: (v[1], v[0])))
    return DurationSeries(name, label, "year" if by_year else "half-year", periods, overall)


def _dated(entries: list[FollowUpEntry]) -> list[FollowUpEntry]:
    """Follow-ups of lessons with a date: one of an undated lesson has no place in time."""
    return [e for e in entries if e.lesson.date_known]


def _closure(registry: Registry, quarters: list[str]) -> list[dict[str, Any]]:
    """Follow-ups by the quarter of the lesson that agreed them, how many are done, and the
    median days from the lesson to ``done_on`` (from MIN_PERIOD_MARKS dated ones on; done
    follow-ups without a date are counted as done but not timed)."""
    rows = {q: Counter() for q in quarters}
    days: dict[str, list[int]] = {}
    for entry in _dated(registry.follow_ups):
        q = quarter_of(entry.lesson.date)
        rows.setdefault(q, Counter())[entry.state] += 1
        if entry.follow_up.done_undated:
            rows[q]["done_undated"] += 1
        if entry.days_to_close is not None:
            days.setdefault(q, []).append(entry.days_to_close)
    out = []
    for q, c in sorted(rows.items()):
        total = c["done"] + c["open"] + c["overdue"] + c["dropped"]
        if not total:
            continue
        denominator = c["done"] + c["open"] + c["overdue"]
        timed = days.get(q, [])
        out.append({"quarter": q, "total": total, "done": c["done"], "open": c["open"],
                    "overdue": c["overdue"], "dropped": c["dropped"],
                    "closure_rate": round(c["done"] / denominator, 3) if denominator else None,
                    "done_undated": c["done_undated"], "days_to_close": len(timed),
                    "median_days_to_close": (statistics.median(timed)
                                             if len(timed) >= MIN_PERIOD_MARKS else None)})
    return out


def _time_to_close(registry: Registry) -> dict[str, Any]:
    """Days from the lesson to ``done_on`` over every done follow-up with a date; the undated
    ones are counted apart."""
    timed = sorted(e.days_to_close for e in registry.follow_ups if e.days_to_close is not None)
    return {"unit": "days", "count": len(timed),
            "median": statistics.median(timed) if timed else None,
            "p90": percentile([float(d) for d in timed], 0.9),
            "done_undated": sum(e.follow_up.done_undated for e in registry.follow_ups)}


def _open_ages(registry: Registry) -> list[dict[str, Any]]:
    """Open follow-ups by age (days since their lesson), in buckets, overdue apart."""
    buckets = {label: Counter() for label, _ in AGE_BUCKETS}
    for entry in _dated(registry.follow_ups):
        if entry.state not in ("open", "overdue"):
            continue
        age = (registry.build_date - entry.lesson.date).days
        label = next(name for name, limit in AGE_BUCKETS if age < limit)
        buckets[label][entry.state] += 1
    return [{"age": label, "open": c["open"], "overdue": c["overdue"]}
            for label, c in buckets.items()]


def _overdue_over_time(registry: Registry, quarters: list[str]) -> list[dict[str, Any]]:
    """At the end of each quarter (up to the build), how many follow-ups were open and past
    their due date: open today, or done after that day (``done_on``). Follow-ups done without
    a date and dropped ones cannot be placed in time: each row says how many were left out."""
    out = []
    dated = [e for e in _dated(registry.follow_ups) if e.follow_up.due is not None]
    for q in quarters:
        end = min(quarter_end(q), registry.build_date)
        overdue = unknown = 0
        for e in dated:
            if e.follow_up.due >= end:  # type: ignore[operator]  # dated above
                continue
            state = e.open_on(end)
            if state is None:
                unknown += e.lesson.date <= end and e.follow_up.status == "done"
            elif state:
                overdue += 1
        out.append({"quarter": q, "overdue": overdue, "done_undated": unknown})
        if end == registry.build_date:
            break
    return out


def _artifacts(registry: Registry, quarters: list[str]) -> list[dict[str, Any]]:
    """Rules adopted, amended, retired; checklists created and changed, per quarter: the
    learning measure that counts changed artifacts rather than written pages."""
    names = ("rules_adopted", "rules_amended", "rules_retired", "checklists_created",
             "checklists_changed")
    counts: dict[str, Counter[str]] = {}
    change_to = {"adopted": "rules_adopted", "amended": "rules_amended",
                 "retired": "rules_retired", "superseded": "rules_retired"}
    for rule in registry.rules:
        for event in rule.history:
            if event.change in change_to:
                counts.setdefault(quarter_of(event.date), Counter())[change_to[event.change]] += 1
    for checklist in registry.checklists:
        if not checklist.lesson.date_known:
            continue
        counts.setdefault(quarter_of(checklist.lesson.date), Counter())["checklists_created"] += 1
        for change in checklist.changes:
            counts.setdefault(quarter_of(change.date), Counter())["checklists_changed"] += 1
    span = quarters
    if counts:
        first, last = min(counts), max(counts)
        span = sorted(set(quarters) | set(quarters_between(
            quarter_end(first).replace(day=1), quarter_end(last))))
    out = []
    for q in span:
        c = counts.get(q, Counter())
        out.append({"quarter": q, **{n: c[n] for n in names}, "total": sum(c[n] for n in names)})
    return out


def _pareto(lessons: list[Lesson], values_of: Callable[[Lesson], list[str]],
            order: tuple[str, ...]) -> list[dict[str, Any]]:
    """Values by how many lessons have them, most first, with the cumulative share."""
    counts = Counter(v for x in lessons for v in dict.fromkeys(values_of(x)))
    total = sum(counts.values())
    rank = {v: i for i, v in enumerate(order)}
    running, out = 0, []
    for value, n in sorted(counts.items(), key=lambda kv: (-kv[1], rank.get(kv[0], 10**6),
                                                            kv[0])):
        running += n
        out.append({"value": value, "count": n, "share": round(n / total, 3),
                    "cumulative_share": round(running / total, 3)})
    return out


def _heatmap(lessons: list[Lesson], quarters: list[str]) -> dict[str, Any]:
    """Incidents by service and quarter over the whole period the site covers (the other
    charts' quarters, empty ones included), the services with the most incidents first."""
    incidents = [x for x in lessons if x.kind in INCIDENT_KINDS]
    if not incidents:
        return {"quarters": [], "rows": [], "services_left_out": 0}
    counts = Counter((s, quarter_of(x.date)) for x in incidents for s in dict.fromkeys(x.services))
    totals = Counter(s for x in incidents for s in dict.fromkeys(x.services))
    services = sorted(totals, key=lambda s: (-totals[s], s))
    return {"quarters": quarters, "rows": [
        {"service": s, "total": totals[s], "counts": [counts[(s, q)] for q in quarters]}
        for s in services[:HEATMAP_SERVICES]],
        "services_left_out": max(0, len(services) - HEATMAP_SERVICES)}


def _repeat_rate(lessons: list[Lesson], recurring: Recurring) -> list[dict[str, Any]]:
    """Per year: incidents and near misses, and how many of them repeat an earlier one."""
    repeated = {r.later.id for r in recurring.repeats}
    out = []
    for year in sorted({x.year for x in lessons if x.kind in REPEAT_KINDS}):
        these = [x for x in lessons if x.kind in REPEAT_KINDS and x.year == year]
        n = sum(x.id in repeated for x in these)
        out.append({"year": year, "incidents": len(these), "repeats": n,
                    "rate": round(n / len(these), 3)})
    return out


def _rule_use(registry: Registry) -> list[dict[str, Any]]:
    """Each rule: how many later lessons applied or amended it, and when last."""
    out = []
    for rule in registry.rules:
        last = rule.last_used
        out.append({"rule": rule.id, "status": rule.status,
                    "applied": len(rule.applied_in), "amended": len(rule.amended_in),
                    "last_used": last.isoformat() if last else None})
    return sorted(out, key=lambda r: (-(r["applied"] + r["amended"]), r["rule"]))


def _chains(registry: Registry, limit: int = 8) -> list[Chain]:
    """The strongest loops: a lesson adopted or amended a rule, and later lessons applied or
    amended it again. Most later uses first."""
    chains = []
    for rule in registry.rules:
        events = [e for e in rule.history if e.change in ("adopted", "amended")]
        for start in events:
            later = [(e.lesson, e.change, e.date) for e in rule.history
                     if e.change in ("applied", "amended") and e.date > start.date
                     and e.lesson.id != start.lesson.id]
            if later:
                chains.append(Chain(start.lesson, rule.id, start.change, start.date, later))
    chains.sort(key=lambda c: (-len(c.later), -c.later[-1][2].toordinal(), c.rule_id))
    return chains[:limit]


@dataclass
class TermSummary:
    """A team's or service's own figures: lessons by year, median time to recover, open
    follow-ups."""

    by_year: list[tuple[int, int]]
    recover: Distribution
    open_follow_ups: int
    overdue_follow_ups: int
    undated: int = 0
    """Lessons whose date is unknown: in no year."""


def term_summary(lessons: list[Lesson], registry: Registry) -> TermSummary:
    counted = [x for x in lessons if counts_as_lesson(x)]
    years = Counter(x.year for x in counted if x.date_known)
    ids = {x.id for x in counted}
    states = Counter(e.state for e in registry.follow_ups if e.lesson.id in ids)
    recover = Distribution("all", sorted(
        ((x.id, float(x.time_to_recover)) for x in counted
         if x.kind in INCIDENT_KINDS and x.time_to_recover is not None),
        key=lambda v: (v[1], v[0])))
    return TermSummary(sorted(years.items()), recover, states["open"] + states["overdue"],
                       states["overdue"], len(counted) - sum(years.values()))
