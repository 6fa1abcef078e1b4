"""What Insights and Recurring incidents cost at 1k and 10k synthetic lessons: time and bytes.

    python benchmarks/bench_insights.py [--sizes 1000 10000] [--seed 3]

Lessons come from bench_search's generator (kinds, services, teams, failure types, categories
over seven years), given what Insights reads and that generator leaves out: postmortems get time
to detect and recover (log-normal, as real ones are skewed), every lesson one to three follow-ups
with due dates and states, one postmortem in twenty adopts a rule and one lesson in ten applies
or amends an earlier rule. Measured in one process, in this order:

- baseline: ``analyse()`` with similar lessons, the analysis every build does anyway;
- similar links assembled for every lesson: the lesson pages need them anyway (cached), and
  whichever asks first pays, so they are timed apart;
- recurring + series: ``Analysis.recurring`` and ``Analysis.insights``;
- charts: ``insights_page_data`` (every pygal chart drawn);
- pages: insights.html and recurring.html rendered by Jinja (Material's chrome left out: a stub
  ``main.html``), and api/insights.json serialised.

It prints each step's seconds, its ratio to the baseline, and the bytes written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

import jinja2
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lessonbook.analysis.analyse import Analysis, analyse  # noqa: E402
from lessonbook.model.options import Options, SearchOptions  # noqa: E402
from lessonbook.site.build import SiteBuild  # noqa: E402
from lessonbook.site.exports import dumps  # noqa: E402
from lessonbook.site.insights import insights_page_data  # noqa: E402
from lessonbook.site.pages import page_url  # noqa: E402
from lessonbook.site.views import SiteView  # noqa: E402
from synthetic import Corpus, full_lesson  # noqa: E402

THEME = Path(__file__).resolve().parent.parent / "plugins" / "lessonbook" / "theme"
BUILD_DATE = dt.date(2026, 1, 15)


def lessons(n: int, seed: int) -> list[tuple[str, bytes]]:
    rng = random.Random(seed)
    corpus = Corpus(rng, common=False)
    out, rules = [], []
    for i in range(n):
        path, text = full_lesson(i, rng, corpus)
        _, front_text, body = text.split("---\n", 2)
        front = yaml.safe_load(front_text)
        day = dt.date.fromisoformat(front["date"])
        if front["type"] == "postmortem":
            front["time_to_detect"] = f"{max(1, round(rng.lognormvariate(3, 1.2)))}m"
            front["time_to_recover"] = f"{max(1, round(rng.lognormvariate(4.2, 1.1)))}m"
            if i % 20 == 0:
                front["rules"] = [{"id": f"rule-{i:05d}", "if": "a change touches the pool",
                                   "then": "canary it first", "status": "adopted",
                                   "owner": "platform"}]
                rules.append((day, f"rule-{i:05d}"))
        earlier = [r for d, r in rules if d < day]
        if earlier and i % 10 == 3:
            front["rule_updates"] = [{"rule": rng.choice(earlier), "change": "applied",
                                      "note": "It held."}]
        front["follow_ups"] = [{
            "action": f"Follow-up {k} of lesson {i}", "owner": f"team-{rng.randrange(15):02d}",
            "due": (day + dt.timedelta(days=rng.randint(7, 120))).isoformat(),
            "status": rng.choice(["done", "done", "done", "open", "dropped"]),
        } for k in range(rng.randint(1, 3))]
        text = "---\n" + yaml.safe_dump(front, sort_keys=False) + "---\n" + body
        out.append((path, text.encode()))
    return out


def environment() -> jinja2.Environment:
    loader = jinja2.ChoiceLoader([
        jinja2.DictLoader({"main.html": "{% block content %}{% endblock %}"}),
        jinja2.FileSystemLoader(str(THEME)),
    ])
    env = jinja2.Environment(loader=loader, autoescape=True)
    env.filters["url"] = lambda value: value
    return env


def measure(n: int, seed: int) -> None:
    sources = lessons(n, seed)
    options = Options(search=SearchOptions(enabled=False))
    t0 = time.perf_counter()
    analysis = analyse(sources, options, build_date=BUILD_DATE)
    t_links = time.perf_counter()
    for lesson in analysis.kb.lessons:  # lesson pages ask for these anyway; cached after
        analysis.similar.similar(lesson.id)  # type: ignore[union-attr]
    t1 = time.perf_counter()
    recurring = analysis.recurring
    document = analysis.insights.document()
    t2 = time.perf_counter()
    page = insights_page_data(analysis)
    t3 = time.perf_counter()
    env = environment()
    view = _view(analysis)
    insights_html = env.get_template("lessonbook/insights.html").render(
        lessonbook=view, insights=page)
    recurring_html = env.get_template("lessonbook/recurring.html").render(
        lessonbook=view, recurring=recurring)
    json_text = dumps(document)
    t4 = time.perf_counter()
    base = t_links - t0
    svg = sum(len(str(c.svg).encode()) for c in page.charts if c.svg)
    print(f"\n{n:,} lessons ({len(analysis.kb.lessons):,} analysed, "
          f"{len(recurring.repeats):,} repeats, {sum(bool(c.svg) for c in page.charts)} charts)")
    print(f"  {'step':28} {'seconds':>8} {'× baseline':>11}")
    for name, seconds in (("baseline: analyse()", base),
                          ("similar links (shared)", t1 - t_links),
                          ("recurring + series", t2 - t1),
                          ("charts (pygal)", t3 - t2), ("pages + JSON", t4 - t3),
                          ("insights in all", t4 - t1)):
        print(f"  {name:28} {seconds:8.2f} {seconds / base:11.3f}")
    print(f"  bytes: insights page {len(insights_html.encode()):,} (charts {svg:,}), "
          f"recurring page {len(recurring_html.encode()):,}, "
          f"api/insights.json {len(json_text.encode()):,}")


def _view(analysis: Analysis) -> SiteView:
    """The site's own view, bound to the URLs a build gives (the templates ask it for links,
    glossary words and term pages; a stand-in falls behind the templates)."""
    build = SiteBuild.plan(analysis, existing={})
    urls = {x.path: page_url(x.path, True) for x in analysis.kb.lessons}
    urls.update({p.src_uri: page_url(p.src_uri, True) for p in build.pages})
    return build.bind(urls)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    for n in args.sizes:
        measure(n, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
