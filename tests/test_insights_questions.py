"""Insights a manager trusts (issue #26): few charts, each under the one question it answers;
axes labelled at a readable density; legends that fit their columns; the heat map over the
whole period with the real counts; and the page saying which periods have their own median.

The example site is built once (Pagefind off); the page's HTML and api/*.json are read back.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO, build
from lessonbook.site.charts import LEGEND_CHAR, WIDTH, legend_columns

MOST_CHARTS = 11
"""The page had 14 charts and tables on 10,000 px; what is left must earn its place."""


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    out = tmp_path_factory.mktemp("insights-questions")
    text = (REPO / "mkdocs.yml").read_text()
    text = text.replace("docs_dir: lessons", f"docs_dir: {REPO / 'lessons'}")
    text = re.sub(r"^site_dir: .*$", f"site_dir: {out / 'site'}", text, flags=re.M)
    text = re.sub(r"^(\s+)exclude: (.*)$", r"\1exclude: \2\n\1search: {pagefind: false}", text,
                  flags=re.M)
    (out / "mkdocs.yml").write_text(text)
    site = build(out / "mkdocs.yml", strict=True)
    assert site.ok, site.log
    return site


def _sections(page: str) -> dict[str, str]:
    return dict(re.findall(r'<section class="lb-chart" aria-labelledby="([^"]+)">(.*?)</section>',
                           page, re.S))


def test_each_chart_answers_one_named_question_and_there_are_few_of_them(example):
    sections = _sections(example.html("insights/"))
    questions = [re.search(r"<h2 id=\"[^\"]+\">([^<]+)</h2>", html).group(1)
                 for key, html in sections.items() if key != "learning-loop"]
    assert all(q.endswith("?") for q in questions), questions
    assert len(set(questions)) == len(questions)
    charts = [key for key, html in sections.items() if "<svg" in html or "lb-heatmap" in html]
    assert len(charts) <= MOST_CHARTS, charts


def test_the_heat_map_covers_every_quarter_with_the_real_counts(example):
    series = example.json("api/insights.json")["series"]
    heat = series["incident_heatmap"]
    assert heat["quarters"] == list(dict.fromkeys(r["quarter"]
                                                  for r in series["lessons_by_quarter"]))
    lessons = example.json("api/lessons.json")["lessons"]
    expected = Counter((s, f"{x['date'][:4]}-Q{(int(x['date'][5:7]) - 1) // 3 + 1}")
                       for x in lessons if x["type"] == "postmortem"
                       for s in dict.fromkeys(x["services"]))
    for row in heat["rows"]:
        for quarter, n in zip(heat["quarters"], row["counts"], strict=True):
            assert n == expected[(row["service"], quarter)], (row["service"], quarter)
    page = _sections(example.html("insights/"))["incident-heatmap"]
    assert page.count('class="lb-heatmap__q"') == len(heat["quarters"])  # none scrolled off


def test_every_quarter_of_a_quarterly_chart_is_labelled(example):
    quarters = example.json("api/insights.json")["series"]["incident_heatmap"]["quarters"]
    svg = _sections(example.html("insights/"))["follow-up-closure"]
    labels = re.findall(r'<g class="guides"><path[^>]*/><text[^>]*>(\d{4}-Q\d)</text>', svg)
    labels = labels or re.findall(r">(\d{4}-Q[1-4])</text>", svg)
    assert set(quarters) <= set(labels)


def test_the_duration_charts_say_which_periods_have_their_own_median(example):
    series = example.json("api/insights.json")["series"]
    sections = _sections(example.html("insights/"))
    for key in ("time_to_detect", "time_to_recover"):
        text = re.sub(r"\s+", " ", sections[key.replace("_", "-")])
        said = re.search(r"(Medians drawn for [^.(]*|No \w[\w-]* has its own median|"
                         r"Every [\w-]+ has its own median)", text)
        assert said, key
        for period in series[key]["periods"]:
            if period["count"] >= 3 and not said.group(1).startswith("Every"):
                assert period["period"] in said.group(1), (key, period["period"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=8))
def test_legend_columns_leave_room_for_the_longest_name(names):
    columns = legend_columns(names)
    assert 1 <= columns <= len(names)
    if columns > 1:  # one column is all a very long name can have
        longest = max(len(n) for n in names)
        assert columns * (14 + 8 + longest * LEGEND_CHAR) <= WIDTH - 44
