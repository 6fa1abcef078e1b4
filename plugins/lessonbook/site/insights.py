"""The Insights and Recurring incidents pages: which charts, what each one shows, and their
tables.

Charts are SVG drawn by pygal (why pygal: docs/insights.md; the drawing: site/charts.py) and
inlined in the page, so they need no JavaScript and load nothing from another host. Each chart
has an accessible name and description, and its data as a folded table beneath.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pygal

from ..analysis.analyse import Analysis
from ..analysis.insights import MIN_PERIOD_MARKS, DurationSeries, Insights, term_summary
from ..analysis.recurring import Recurring
from ..model.durations import format_minutes
from ..model.kinds import kind_label
from ..model.vocabulary import FAILURE_TYPES
from .charts import (
    HEIGHT,
    Chart,
    Table,
    chart_config,
    count_ticks,
    percent,
    quarter_labels,
    render_svg,
)
from .pages import GeneratedPage

INSIGHTS_PAGE = "insights.md"
RECURRING_PAGE = "recurring.md"

MAX_POINTS = 60
"""Points drawn per period of a duration chart; more are thinned evenly along the sorted
values (the extremes kept). The median and p90 are computed from all of them."""
MAX_LISTED = 30
"""Incidents named per period in a duration chart's table; api/insights.json has them all."""


@dataclass
class InsightsPage:
    insights: Insights
    charts: list[Chart]
    heatmap: dict[str, Any]
    headline: list[str] = field(default_factory=list)


# --- the charts ------------------------------------------------------------------------------
def lessons_chart(ins: Insights) -> Chart:
    kinds = list(dict.fromkeys(r["kind"] for r in ins.lessons_by_quarter))
    counts = {(r["quarter"], r["kind"]): r["count"] for r in ins.lessons_by_quarter}
    title = "Lessons per quarter, by kind"
    desc = (f"{ins.lesson_count} lessons from {ins.quarters[0]} to {ins.quarters[-1]}, stacked "
            "by kind." if ins.quarters else "No lessons yet.")
    ratios = [f"{r['year']} {r['ratio']:g}" for r in ins.near_miss_ratio if r["ratio"] is not None]
    if ratios:
        desc += f" Near misses reported per incident (postmortem): {', '.join(ratios)}."
    table = Table(["Quarter", *map(kind_label, kinds), "All"],
                  [[q, *(str(counts[(q, k)]) for k in kinds),
                    str(sum(counts[(q, k)] for k in kinds))] for q in ins.quarters])
    chart = Chart("lessons-by-quarter", title, desc, table,
                  question="What do we learn from: incidents, near misses, experiments?",
                  term=("near_miss_ratio", "near-miss ratio"),
                  reading="More near misses reported per incident is a healthy sign: people "
                          "report what nearly went wrong before it does. Checklists are "
                          "reference material and are not counted.")
    if not ins.quarters:
        chart.too_few = "No lessons yet."
        return chart
    totals = [sum(counts[(q, k)] for k in kinds) for q in ins.quarters]
    c = pygal.StackedBar(**chart_config(**quarter_labels(ins.quarters), **count_ticks(totals),
                                   y_title="lessons"))
    for k in kinds:
        c.add(kind_label(k), [counts[(q, k)] for q in ins.quarters])
    chart.svg = render_svg(c, chart.key, title, desc)
    return chart


def failure_mix_chart(ins: Insights) -> Chart:
    rows = ins.failure_mix_by_year
    title = "Failure types per year"
    total = sum(r["total"] for r in rows)
    desc = (f"{total} lessons that name a failure type, per year, stacked by type: "
            "preventable, complexity, intelligent.")
    table = Table(["Year", "Lessons", *(t.capitalize() for t in FAILURE_TYPES)],
                  [[str(r["year"]), str(r["total"]),
                    *(f"{r[t]} ({percent(r[t] / r['total'] if r['total'] else None)})"
                      for t in FAILURE_TYPES)] for r in rows])
    chart = Chart("failure-mix", title, desc, table,
                  question="Are preventable failures becoming rarer?",
                  reading="Fewer preventable and more intelligent failures (deliberate, "
                          "small experiments) is the healthy trend. Counted per year: a "
                          "quarter's one or two lessons would make every share 0 or 100%.")
    if total < 4:
        chart.too_few = f"{total} lessons with a failure type — too few to compare (it needs 4)."
        return chart
    c = pygal.StackedBar(**chart_config(x_labels=[str(r["year"]) for r in rows],
                                        **count_ticks([r["total"] for r in rows]),
                                        y_title="lessons"))
    for t in FAILURE_TYPES:
        c.add(t.capitalize(), [r[t] for r in rows])
    chart.svg = render_svg(c, chart.key, title, desc)
    return chart


def duration_chart(series: DurationSeries, key: str, title: str) -> Chart:
    overall = series.overall
    desc = (f"Each incident's {series.label} as a point, per {series.period}, with the median "
            f"and 90th percentile. All incidents: median {format_minutes(overall.median)}, "
            f"90th percentile {format_minutes(overall.p90)} ({overall.count} incidents)."
            if overall.count else f"No incident records a {series.label}.")
    table = Table([series.period.capitalize(), "Incidents", "Median", "90th percentile",
                   "Each incident"],
                  [[p.period, str(p.count), format_minutes(p.median), format_minutes(p.p90),
                    _listed(p.points)] for p in series.periods])
    question = {"time-to-detect": "How long until we notice an incident?",
                "time-to-recover": "How long until service is back?"}.get(key, "")
    chart = Chart(key, title, desc, table, term=(series.field, title.lower()),
                  question=question,
                  reading="Durations are skewed: a few long incidents would move a mean, so "
                          "every point is shown with the median and the 90th percentile.")
    chart.too_few = series.too_few
    if chart.too_few:
        return chart
    periods = series.periods
    desc += _medians_said(series)
    chart.description = desc
    low, high = 0.4, len(periods) + 0.6
    minutes = [m for _, m in overall.points]
    # The time axis is drawn in log10 of minutes by hand: pygal's `logarithmic` would also
    # make the period axis logarithmic, which gave the periods uneven bands.
    c = pygal.XY(**chart_config(stroke=False, allow_interruptions=True,
                           xrange=(low, high), x_labels=list(range(1, len(periods) + 1)),
                           x_value_formatter=lambda x: _period_label(periods, x),
                           y_labels=[_log(t) for t in _minute_ticks(min(minutes), max(minutes))],
                           value_formatter=lambda v: format_minutes(round(10 ** v, 1)),
                           y_title="duration (log scale)",
                           dots_size=4, show_x_guides=False))
    points = []
    thinned = False
    for i, p in enumerate(periods, start=1):
        drawn = _thin([m for _, m in p.points], MAX_POINTS)
        thinned |= len(drawn) < p.count
        n = len(drawn)
        points.extend((i + (j - (n - 1) / 2) * min(0.5 / max(n - 1, 1), 0.12), _log(m))
                      for j, m in enumerate(drawn))
    if thinned:
        desc += (f" Periods with more than {MAX_POINTS} incidents show {MAX_POINTS} points "
                 "spread evenly along their sorted durations.")
        chart.description = desc
    c.add("Incident", points)
    ticks: list[tuple[float, float] | None] = []
    for i, p in enumerate(periods, start=1):
        if p.marked and p.median is not None:
            ticks.extend([(i - 0.35, _log(p.median)), (i + 0.35, _log(p.median)), None])
    # Line widths and dashes of these three series are in insights.css (.serie-1 to -3).
    c.add(f"Median of the {series.period}", ticks, stroke=True, show_dots=False)
    for name, value in (("Median, all", overall.median), ("90th percentile, all", overall.p90)):
        c.add(name, [(low, _log(value or 0.5)), (high, _log(value or 0.5))],
              stroke=True, show_dots=False)
    chart.svg = render_svg(c, key, title, desc)
    return chart


def _log(minutes: float) -> float:
    """Where a duration sits on the chart's time axis (log10 of minutes, half a minute least)."""
    return math.log10(max(minutes, 0.5))


def _medians_said(series: DurationSeries) -> str:
    """Which periods have their own median drawn (those with MIN_PERIOD_MARKS incidents or
    more) and which have too few, in one sentence."""
    marked = [p.period for p in series.periods if p.marked]
    bare = [p.period for p in series.periods if not p.marked]
    if not bare:
        return f" Every {series.period} has its own median."
    said = (f" Medians drawn for {', '.join(marked)}" if marked
            else f" No {series.period} has its own median")
    return (f"{said} ({MIN_PERIOD_MARKS} or more incidents); {', '.join(bare)} "
            f"ha{'s' if len(bare) == 1 else 've'} fewer, so only the overall lines apply.")


def _thin(values: list[float], most: int) -> list[float]:
    """At most ``most`` of the sorted ``values``, evenly by rank, first and last kept."""
    if len(values) <= most:
        return values
    step = (len(values) - 1) / (most - 1)
    return [values[round(k * step)] for k in range(most)]


def _listed(points: list[tuple[str, float]]) -> str:
    shown = ", ".join(f"{i} {format_minutes(m)}" for i, m in points[:MAX_LISTED])
    more = len(points) - MAX_LISTED
    return shown + (f" … and {more} more (api/insights.json lists them all)" if more > 0 else "")


def _minute_ticks(low: float, high: float) -> list[float]:
    """Round durations for a log axis, from just below the shortest to just above the longest."""
    steps = [1, 5, 15, 60, 240, 1440, 4320, 10080, 43200, 129600]
    inside = [t for t in steps if low <= t <= high]
    below = [t for t in steps if t < low][-1:]
    above = [t for t in steps if t > high][:1]
    return [float(t) for t in below + inside + above]


def _period_label(periods: list[Any], x: float) -> str:
    i = round(x) - 1
    return periods[i].period if 0 <= i < len(periods) else ""


def closure_chart(ins: Insights) -> Chart:
    rows = ins.follow_up_closure
    close = ins.time_to_close
    title = "Follow-ups by quarter agreed, and their state"
    desc = ("Follow-ups counted in the quarter of the lesson that agreed them, stacked by "
            "state: done, open, overdue, dropped.")
    if close["count"]:
        desc += (f" Done follow-ups took a median of {_days(close['median'])} from the lesson "
                 f"to done_on (90th percentile {_days(close['p90'])}, {close['count']} with a "
                 "date).")
    table = Table(["Quarter", "Follow-ups", "Done", "Open", "Overdue", "Dropped",
                   "Closure rate", "Median days to close"],
                  [[r["quarter"], str(r["total"]), str(r["done"]), str(r["open"]),
                    str(r["overdue"]), str(r["dropped"]), percent(r["closure_rate"]),
                    _median_days(r)] for r in rows])
    chart = Chart("follow-up-closure", title, desc, table, term=("closure_rate", "closure rate"),
                  question="Do we finish the follow-ups we agree?",
                  reading="Closure rate is done ÷ (done + open), open including overdue; "
                          "dropped follow-ups are left out of it. Days to close run from the "
                          f"lesson to done_on; a quarter's median needs {MIN_PERIOD_MARKS} dated "
                          "follow-ups." + _undated_note(close["done_undated"]))
    if sum(r["total"] for r in rows) < 3:
        chart.too_few = "Fewer than 3 follow-ups — too few to chart."
        return chart
    c = pygal.StackedBar(**chart_config(**quarter_labels([r["quarter"] for r in rows]),
                                   **count_ticks([r["total"] for r in rows]),
                                   y_title="follow-ups"))
    for state in ("done", "open", "overdue", "dropped"):
        c.add(state.capitalize(), [r[state] for r in rows])
    chart.svg = render_svg(c, chart.key, title, desc)
    return chart


def _days(value: float | None) -> str:
    return "—" if value is None else f"{value:g} day{'' if value == 1 else 's'}"


def _median_days(row: dict[str, Any]) -> str:
    if row["median_days_to_close"] is not None:
        return _days(row["median_days_to_close"])
    n = row["days_to_close"]
    return f"— ({n} dated)" if n else "—"


def _undated_note(undated: int) -> str:
    if not undated:
        return ""
    return (f" {undated} done follow-up{' is' if undated == 1 else 's are'} done, date "
            "unknown (no done_on): counted as done, left out of every time-based figure.")


def overdue_chart(ins: Insights) -> Chart:
    rows = ins.overdue_over_time
    title = "Overdue follow-ups over time"
    desc = ("At the end of each quarter, how many follow-ups were past their due date and not "
            "yet done: open today, or done (done_on) after that day.")
    table = Table(["Quarter end", "Overdue", "Done, date unknown (left out)"],
                  [[r["quarter"], str(r["overdue"]), str(r["done_undated"])] for r in rows])
    left_out = max((r["done_undated"] for r in rows), default=0)
    chart = Chart("overdue-over-time", title, desc, table, term=("follow_up", "follow-up"),
                  question="Is the overdue backlog shrinking?",
                  reading="A follow-up counts as done from its done_on date."
                  + (f" Up to {left_out} done follow-up{'' if left_out == 1 else 's'} without "
                     "a done_on per quarter cannot be placed in time and are left out, so "
                     "those quarters are a lower bound." if left_out else ""))
    if len(rows) < 2:
        chart.too_few = "Fewer than 2 quarters — too few for a trend."
        return chart
    c = pygal.Line(**chart_config(**quarter_labels([r["quarter"] for r in rows]),
                             **count_ticks([r["overdue"] for r in rows]),
                             y_title="follow-ups", fill=False, dots_size=3))
    c.add("Overdue", [r["overdue"] for r in rows])
    chart.svg = render_svg(c, chart.key, title, desc)
    return chart


ARTIFACT_SERIES = (("rules_adopted", "Rules adopted"), ("rules_amended", "Rules amended"),
                   ("rules_retired", "Rules retired or superseded"),
                   ("checklists_created", "Checklists created"),
                   ("checklists_changed", "Checklists changed"))


def artifacts_chart(ins: Insights) -> Chart:
    rows = ins.artifacts_changed
    total = sum(r["total"] for r in rows)
    title = "Artifacts changed per quarter"
    desc = (f"{total} changes to rules and checklists: the learning measure that counts "
            "changed artifacts, not written pages.")
    table = Table(["Quarter", *(label for _, label in ARTIFACT_SERIES), "All"],
                  [[r["quarter"], *(str(r[k]) for k, _ in ARTIFACT_SERIES), str(r["total"])]
                   for r in rows])
    chart = Chart("artifacts-changed", title, desc, table,
                  question="Do lessons change how we work?",
                  reading="A lesson proves learning when something changed because of it: a "
                          "rule adopted or amended, a checklist created or changed.")
    if total < 2:
        chart.too_few = "Fewer than 2 rule or checklist changes — too few to chart."
        return chart
    c = pygal.StackedBar(**chart_config(**quarter_labels([r["quarter"] for r in rows]),
                                   **count_ticks([r["total"] for r in rows]),
                                   y_title="changes", legend_at_bottom_columns=2,
                                   height=HEIGHT + 30))
    for k, label in ARTIFACT_SERIES:
        c.add(label, [r[k] for r in rows])
    chart.svg = render_svg(c, chart.key, title, desc)
    return chart


def pareto_chart(rows: list[dict[str, Any]], key: str, title: str, noun: str) -> Chart:
    top = next((r for r in rows if r["cumulative_share"] >= 0.8), rows[-1] if rows else None)
    many = rows.index(top) + 1 if top else 0
    desc = (f"{noun.capitalize()} by how many lessons name them, most first; each bar is "
            f"labelled with its count and the cumulative share. The first {many} account for "
            f"{percent(top['cumulative_share'])} of mentions." if top
            else f"No lesson names any of the {noun}.")
    table = Table([noun.capitalize()[:-1] if noun.endswith("s") else noun, "Lessons", "Share",
                   "Cumulative share"],
                  [[r["value"], str(r["count"]), percent(r["share"]),
                    percent(r["cumulative_share"])] for r in rows])
    chart = Chart(key, title, desc, table, term=("pareto", "Pareto chart"),
                  question=f"Which {noun} do most lessons point to?",
                  reading="The few values at the top are where most lessons point.")
    if sum(r["count"] for r in rows) < 3:
        chart.too_few = f"Fewer than 3 lessons name {noun} — too few to rank."
        return chart
    shown = list(reversed(rows))  # pygal draws horizontal bars bottom-up
    c = pygal.HorizontalBar(**chart_config(
        x_labels=[r["value"] for r in shown], show_legend=False, print_values=True,
        print_values_position="top", height=max(HEIGHT // 2, 60 + 34 * len(rows)),
        x_title="lessons"))
    c.add("Lessons", [{"value": r["count"], "formatter": _pareto_label(r)} for r in shown])
    chart.svg = render_svg(c, key, title, desc)
    return chart


def _pareto_label(row: dict[str, Any]) -> Any:
    cumulative = percent(row["cumulative_share"])
    return lambda value: f"{value:g} · {cumulative}"


def repeat_chart(ins: Insights, recurring: Recurring) -> Chart:
    rows = ins.repeat_rate
    title = "Repeats per year"
    desc = (f"Incidents and near misses each year that strongly resemble one from the "
            f"{recurring.window_months} months before (score at least "
            f"{recurring.min_score:g}).")
    table = Table(["Year", "Incidents and near misses", "Repeats", "Repeat rate"],
                  [[str(r["year"]), str(r["incidents"]), str(r["repeats"]),
                    percent(r["rate"])] for r in rows])
    chart = Chart("repeat-rate", title, desc, table, term=("recurring", "recurring incident"),
                  question="Do incidents repeat?",
                  reading="Fewer repeats over time is the clearest sign that lessons are "
                          "acted on. The Recurring incidents page lists each one.")
    if sum(r["incidents"] for r in rows) < 3:
        chart.too_few = "Fewer than 3 incidents and near misses — too few for a rate."
        return chart
    c = pygal.Bar(**chart_config(x_labels=[str(r["year"]) for r in rows], y_title="lessons",
                            **count_ticks([r["incidents"] for r in rows])))
    c.add("Incidents and near misses", [r["incidents"] for r in rows])
    c.add("Repeats", [r["repeats"] for r in rows])
    chart.svg = render_svg(c, chart.key, title, desc)
    return chart


def insights_page_data(analysis: Analysis) -> InsightsPage:
    """Every chart of the Insights page, drawn now (once per build)."""
    ins = analysis.insights
    charts = [
        lessons_chart(ins), failure_mix_chart(ins),
        duration_chart(ins.time_to_detect, "time-to-detect", "Time to detect"),
        duration_chart(ins.time_to_recover, "time-to-recover", "Time to recover"),
        closure_chart(ins), overdue_chart(ins), artifacts_chart(ins),
        pareto_chart(ins.pareto_categories, "pareto-categories", "Categories (Pareto)",
                     "categories"),
        repeat_chart(ins, analysis.recurring),
    ]
    ttr = ins.time_to_recover.overall
    headline = [f"{ins.lesson_count} lessons"
                + (f" from {ins.quarters[0]} to {ins.quarters[-1]}" if ins.quarters else "")
                + (f" ({ins.undated} more whose date is unknown, left out of every chart)"
                   if ins.undated else "")]
    if ttr.count:
        headline.append(f"median time to recover {format_minutes(ttr.median)} "
                        f"(90th percentile {format_minutes(ttr.p90)}, {ttr.count} incidents)")
    headline.append(f"{len(analysis.recurring.repeats)} repeats")
    heat = dict(ins.incident_heatmap)
    years = [q[:4] for q in heat["quarters"]]
    heat["years"] = [(y, years.count(y)) for y in dict.fromkeys(years)]
    return InsightsPage(ins, charts, heat, headline)


def plan_insights_pages(analysis: Analysis) -> list[GeneratedPage]:
    """Insights and Recurring incidents, when the ``insights`` option is on."""
    if not analysis.options.insights.enabled:
        return []
    # Both need the repeats, hence the similar links: drawn when rendered, not planned.
    return [
        GeneratedPage(INSIGHTS_PAGE, "Insights", "lessonbook/insights.html",
                      {"page_kind": "insights"},
                      later=lambda: {"insights": insights_page_data(analysis)}),
        GeneratedPage(RECURRING_PAGE, "Recurring incidents", "lessonbook/recurring.html",
                      {"page_kind": "recurring"},
                      later=lambda: {"recurring": analysis.recurring}),
    ]


def plan_term_summaries(analysis: Analysis, pages: list[GeneratedPage]) -> None:
    """Give each team and service page its own small summary (term-summary.html shows it)."""
    if not analysis.options.insights.enabled:
        return
    for page in pages:
        term = page.data.get("term")
        if term is not None and term.dimension.key in ("team", "service"):
            page.data["term_summary"] = term_summary(term.lessons, analysis.registry)
