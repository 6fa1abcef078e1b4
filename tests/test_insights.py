"""Insights (insights/, api/insights.json), Recurring incidents (recurring/) and the team and
service summaries: real sites built in temporary folders, their HTML and JSON read back."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import statistics

import pytest

from conftest import REPO, build, lesson_text
from lessonbook.analysis.analyse import analyse
from lessonbook.analysis.recurring import within
from lessonbook.model.options import parse_options
from lessonbook.site.insights import insights_page_data


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """The repository's example site, built strictly (Pagefind off: not what is tested here)."""
    out = tmp_path_factory.mktemp("example-insights")
    text = (REPO / "mkdocs.yml").read_text()
    text = text.replace("docs_dir: lessons", f"docs_dir: {REPO / 'lessons'}")
    text = re.sub(r"^site_dir: .*$", f"site_dir: {out / 'site'}", text, flags=re.M)
    text = re.sub(r"^(\s+)exclude: (.*)$", r"\1exclude: \2\n\1search: {pagefind: false}", text,
                  flags=re.M)
    config = out / "mkdocs.yml"
    config.write_text(text)
    site = build(config, strict=True)
    assert site.ok, site.log
    return site


def _postmortem(i: int, day: str, **extra) -> str:
    front = {"id": f"pm-{i}", "title": f"Incident {i}", "type": "postmortem", "date": day,
             "status": "reviewed", "services": ["payments"], "teams": ["platform"]}
    front.update(extra)
    return lesson_text(front)


def _sections(page: str) -> dict[str, str]:
    """Each chart section of the Insights page by its heading id."""
    parts = re.findall(r'<section class="lb-chart" aria-labelledby="([^"]+)">(.*?)</section>',
                       page, re.S)
    return dict(parts)


# --- the example site ------------------------------------------------------------------------
def test_lessons_by_quarter_sums_to_the_example_lessons_checklists_aside(example):
    lessons = example.json("api/lessons.json")["lessons"]
    series = example.json("api/insights.json")["series"]["lessons_by_quarter"]
    expected = sum(x["type"] != "checklist" for x in lessons)
    assert sum(row["count"] for row in series) == expected
    assert {row["kind"] for row in series} == {x["type"] for x in lessons} - {"checklist"}
    assert all(re.fullmatch(r"\d{4}-Q[1-4]", row["quarter"]) for row in series)


def test_every_example_chart_is_drawn_with_a_name_a_description_and_its_data(example):
    page = example.html("insights/")
    sections = _sections(page)
    expected = {"lessons-by-quarter", "failure-mix", "time-to-detect",
                "time-to-recover", "follow-up-closure", "overdue-over-time",
                "artifacts-changed", "pareto-categories", "repeat-rate", "incident-heatmap",
                "learning-loop"}
    assert expected <= set(sections)
    for key, html in sections.items():
        if key in ("incident-heatmap", "learning-loop"):
            continue
        svg = re.search(r'<svg role="img" aria-labelledby="([^" ]+) ([^"]+)"', html)
        assert svg, f"{key} has no named chart"
        assert f'<title id="{svg.group(1)}">' in html and f'<desc id="{svg.group(2)}">' in html
        assert '<details class="lb-chart__data">' in html and "<table>" in html, key
        assert "lb-chart__too-few" not in html, key


def test_charts_need_no_script_and_load_nothing_from_another_host(example):
    page = example.html("insights/")
    body = page[page.index('<div class="lb-insights">'):]
    body = body[:body.index("</article>")] if "</article>" in body else body
    assert "<script" not in body
    assert not re.search(r'(?:src|href)="(?:https?:)?//', body)


def test_durations_carry_the_median_and_p90_of_the_incidents(example):
    lessons = example.json("api/lessons.json")["lessons"]
    ttr = example.json("api/insights.json")["series"]["time_to_recover"]
    minutes = sorted(x["time_to_recover_minutes"] for x in lessons
                     if x["type"] == "postmortem" and x["time_to_recover_minutes"] is not None)
    assert ttr["count"] == len(minutes) >= 5
    assert ttr["median"] == statistics.median(minutes)
    assert ttr["p90"] == minutes[math.ceil(0.9 * len(minutes)) - 1]
    assert sum(p["count"] for p in ttr["periods"]) == len(minutes)
    assert all("median" in p and "p90" in p for p in ttr["periods"])


def test_recurring_lists_the_example_repeat_with_the_earlier_follow_ups(example):
    page = example.html("recurring/")
    match = re.search(r'<article class="lb-repeat lb-panel" id="repeat-pm-2025-001-pm-2026-003">'
                      r'(.*?)</article>', page, re.S)
    assert match, "the checkout pool incident repeats the payments pool incident"
    repeat = match.group(1)
    assert "still open" in repeat
    assert re.search(r"static check that flags HTTP client calls.*?lb-status--open", repeat,
                     re.S)
    assert "rule-no-external-calls-in-transactions" in repeat


def test_rules_say_how_often_later_lessons_used_them(example):
    rules = {r["id"]: r for r in example.json("api/rules.json")["rules"]}
    use = {u["rule"]: u for u in example.json("api/insights.json")["series"]["rule_use"]}
    for rule_id, rule in rules.items():
        assert use[rule_id]["applied"] == len(rule["applied_in"])
        assert use[rule_id]["amended"] == len(rule["amended_in"])
    chains = example.json("api/insights.json")["series"]["learning_chains"]
    assert chains and all(x["date"] > c["date"] for c in chains for x in c["later"])


def test_each_rule_card_says_how_often_and_when_last_later_lessons_used_it(example):
    page = example.html("rules/")
    for rule in example.json("api/rules.json")["rules"]:
        card = re.search(rf'<article class="lb-rule-card[^"]*" id="rule-{rule["id"]}".*?</article>',
                         page, re.S).group(0)
        use = re.search(r'lb-rule-card__use"><dt>[^<]*</dt><dd>(.*?)</dd>', card, re.S).group(1)
        uses = [e["date"] for e in rule["history"] if e["change"] in ("applied", "amended")]
        if uses:
            assert f"applied in {len(rule['applied_in'])}, amended in " \
                   f"{len(rule['amended_in'])}; last on" in use and max(uses) in use
        else:
            assert "not yet" in use


def test_service_pages_show_their_own_summary(example):
    lessons = example.json("api/lessons.json")["lessons"]
    payments = [x for x in lessons if "payments" in x["services"] and x["type"] != "checklist"]
    page = example.html("services/payments/")
    summary = re.search(r'<aside class="lb-term-summary.*?</aside>', page, re.S).group(0)
    for year in {x["date"][:4] for x in payments}:
        count = sum(x["date"].startswith(year) for x in payments)
        assert f"{year}: {count}" in summary
    assert "Median time to recover" in summary and "Open follow-ups" in summary


# --- small sites -----------------------------------------------------------------------------
def test_too_few_recovery_times_say_so_instead_of_drawing(make_site):
    files = {f"pm-{i}.md": _postmortem(i, f"2025-0{i}-10", time_to_recover="40m")
             for i in range(1, 4)}
    site = make_site(files, {"search": {"enabled": False}})
    section = _sections(site.html("insights/"))["time-to-recover"]
    assert "3 incidents with a recovery time — too few for a distribution" in section
    assert "<svg" not in section
    assert site.json("api/insights.json")["series"]["time_to_recover"]["median"] == 40


def test_a_lesson_left_out_for_the_audience_is_in_no_chart_or_series(make_site):
    files = {f"pm-{i}.md": _postmortem(i, f"2025-0{i}-10") for i in range(1, 4)}
    files["pm-9.md"] = _postmortem(9, "2025-05-10", visibility="restricted",
                                   services=["vault-of-secrets"], tags=["hushhush"])
    site = make_site(files, {"search": {"enabled": False}})
    page, data = site.html("insights/"), (site.site / "api/insights.json").read_text()
    assert "vault-of-secrets" not in page and "vault-of-secrets" not in data
    series = json.loads(data)["series"]["lessons_by_quarter"]
    assert sum(row["count"] for row in series) == 3


def test_service_names_are_escaped_in_charts_and_tables(make_site):
    hostile = '<img src=x onerror="alert(1)">'
    files = {f"pm-{i}.md": _postmortem(i, f"2025-0{i}-10", services=[hostile])
             for i in range(1, 4)}
    site = make_site(files, {"search": {"enabled": False}})
    page = site.html("insights/")
    assert "<img src=x" not in page
    assert "&lt;img src=x" in page


def test_turning_insights_off_generates_no_page_and_no_export(make_site):
    files = {f"pm-{i}.md": _postmortem(i, f"2025-0{i}-10") for i in range(1, 3)}
    site = make_site(files, {"search": {"enabled": False}, "insights": {"enabled": False}})
    assert site.ok, site.log
    assert not (site.site / "insights").exists() and not (site.site / "recurring").exists()
    assert not (site.site / "api" / "insights.json").exists()


# --- the core --------------------------------------------------------------------------------
def _analysis(files: dict[str, str], **insights):
    options, problems = parse_options({"insights": insights} if insights else {})
    assert not problems
    return analyse([(k, v.encode()) for k, v in files.items()], options,
                   build_date=dt.date(2026, 6, 1))


def _twin_incidents(first: str, second: str) -> dict[str, str]:
    body = ("## Summary\n\nThe orders queue consumer stalled after a broker failover and the "
            "warehouse backlog grew for hours; the consumer lag alert was missing.\n")
    common = {"type": "postmortem", "status": "reviewed", "services": ["orders-queue"],
              "tags": ["broker", "consumer-lag"], "categories": ["dependency"],
              "failure_type": "complexity"}
    return {
        "a.md": lesson_text({"id": "pm-a", "title": "Orders queue consumer stalled after "
                             "broker failover", "date": first, **common,
                             "follow_ups": [{"action": "Alert on consumer lag",
                                             "status": "open", "owner": "platform"}]}, body),
        "b.md": lesson_text({"id": "pm-b", "title": "Orders queue consumer stalled again after "
                             "broker failover", "date": second, **common}, body),
        # Unrelated lessons, so the twins' shared words are distinctive (rare), as in a real
        # knowledge base; similarity weighs words by how few lessons use them.
        **{f"other-{i}.md": lesson_text(
            {"id": f"pm-other-{i}", "title": title, "type": "postmortem", "date": first},
            f"## Summary\n\n{text}\n") for i, (title, text) in enumerate([
                ("Login page slow", "Sessions piled up in the cache after a deploy of the "
                 "identity service; users waited at sign-in."),
                ("Invoice emails sent twice", "A retry in the mailer resent invoices when the "
                 "provider answered late."),
                ("Search index out of date", "The nightly reindex job failed silently on a full "
                 "disk and results aged for three days.")])},
    }


def test_a_repeat_counts_only_within_the_window():
    files = _twin_incidents("2023-01-10", "2024-09-10")  # 20 months apart
    assert _analysis(files, recurring_window_months=18).recurring.repeats == []
    repeats = _analysis(files, recurring_window_months=24).recurring.repeats
    assert [(r.earlier.id, r.later.id) for r in repeats] == [("pm-a", "pm-b")]
    assert "1 follow-up still open" in repeats[0].verdict


def test_the_window_counts_calendar_months():
    assert within(dt.date(2024, 1, 31), dt.date(2024, 2, 29), 1)
    assert not within(dt.date(2024, 1, 31), dt.date(2024, 3, 1), 1)
    assert within(dt.date(2023, 6, 15), dt.date(2024, 12, 15), 18)
    assert not within(dt.date(2023, 6, 15), dt.date(2024, 12, 16), 18)


def test_charts_are_the_same_on_every_build():
    files = _twin_incidents("2024-01-10", "2024-09-10")
    first = insights_page_data(_analysis(files))
    second = insights_page_data(_analysis(files))
    assert [str(c.svg) for c in first.charts] == [str(c.svg) for c in second.charts]
    uuid = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
    assert not any(uuid.search(str(c.svg)) for c in first.charts)
