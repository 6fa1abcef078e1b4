"""Follow-ups record when they were done (``done_on:``): validated against the lesson's date and
today, exported, and the only date closure times, overdue-over-time and the digests count from;
follow-ups done without it are "done, date unknown", counted apart."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

from conftest import REPO, lesson_text
from lessonbook import cli
from lessonbook.analysis.analyse import analyse
from lessonbook.analysis.insights import quarter_end
from lessonbook.authoring.json_schema import lesson_schema
from lessonbook.load.sources import Source
from lessonbook.model.options import Options
from lessonbook.site.digests import plan_digests
from lessonbook.site.exports import follow_ups_document

BUILD = dt.date(2025, 12, 31)


def _source(lesson_id: str, day: str, follow_ups: list[dict]) -> Source:
    front = {"id": lesson_id, "title": f"Lesson {lesson_id}", "type": "postmortem", "date": day,
             "follow_ups": follow_ups}
    return Source(f"2025/{lesson_id}.md", lesson_text(front).encode())


def _problems(follow_ups: list[dict], day: str = "2025-03-01", build: dt.date = BUILD):
    analysis = analyse([_source("pm-1", day, follow_ups)], Options(), build_date=build)
    return analysis, [(p.severity.value, p.line, p.message) for p in analysis.problems]


def test_done_on_before_the_lesson_is_an_error_on_its_line():
    _, problems = _problems([{"action": "Fix it", "owner": "sre", "status": "done",
                              "done_on": "2025-02-27"}])
    errors = [p for p in problems if p[0] == "error"]
    assert len(errors) == 1 and "before the lesson's date 2025-03-01" in errors[0][2]
    assert errors[0][1] == 10  # the done_on line, after ---, 5 keys and 3 of the item


def test_done_on_after_today_is_an_error_even_when_the_build_date_is_earlier():
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    _, problems = _problems([{"action": "Fix it", "owner": "sre", "status": "done",
                              "done_on": tomorrow.isoformat()}], build=dt.date(2025, 6, 1))
    assert any(p[0] == "error" and "is in the future" in p[2] for p in problems)
    # A past build date (a reproduced build) does not make a real past day an error.
    _, problems = _problems([{"action": "Fix it", "owner": "sre", "status": "done",
                              "done_on": "2025-09-01"}], build=dt.date(2025, 6, 1))
    assert not [p for p in problems if p[0] == "error"]


def test_done_on_on_a_follow_up_not_done_is_a_warning_and_ignored():
    analysis, problems = _problems([{"action": "Fix it", "owner": "sre", "due": "2025-04-01",
                                     "status": "open", "done_on": "2025-03-20"}])
    assert [p for p in problems if "status is 'open'" in p[2]][0][0] == "warning"
    assert analysis.kb.lessons[0].follow_ups[0].done_on is None


def test_the_json_schema_declares_done_on_as_a_date():
    schema = lesson_schema()
    item = json.dumps(schema)
    assert '"done_on"' in item and "ISO date the follow-up was done" in item


def test_the_follow_ups_export_carries_done_on_or_null():
    analysis, _ = _problems([
        {"action": "Dated", "owner": "sre", "status": "done", "done_on": "2025-03-20"},
        {"action": "Undated", "owner": "sre", "status": "done"},
        {"action": "Open", "owner": "sre"}])
    rows = follow_ups_document(analysis.registry, lambda x: x.id)["follow_ups"]
    assert [r["done_on"] for r in rows] == ["2025-03-20", None, None]


def test_time_to_close_is_measured_from_done_on_and_undated_ones_are_counted_apart():
    analysis, _ = _problems([
        {"action": "A", "owner": "sre", "status": "done", "done_on": "2025-03-11"},
        {"action": "B", "owner": "sre", "status": "done", "done_on": "2025-03-21"},
        {"action": "C", "owner": "sre", "status": "done", "done_on": "2025-04-30"},
        {"action": "D", "owner": "sre", "status": "done"}])
    close = analysis.insights.time_to_close
    assert close == {"unit": "days", "count": 3, "median": 20, "p90": 60.0, "done_undated": 1}
    row = analysis.insights.follow_up_closure[0]
    assert row["done"] == 4 and row["done_undated"] == 1 and row["median_days_to_close"] == 20


def test_overdue_over_time_agrees_with_counting_each_follow_up_at_each_quarter_end():
    """A differential check over random follow-ups: at each quarter's end a follow-up was
    overdue when it was agreed, past due, and open today or done after that day; done without
    a date it is left out and counted."""
    rng = random.Random(26)
    sources = []
    for i in range(40):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(0, 600))
        items = []
        for j in range(rng.randrange(1, 4)):
            status = rng.choice(["open", "done", "done", "dropped"])
            item = {"action": f"Action {i}.{j}", "owner": "sre",
                    "due": (day + dt.timedelta(days=rng.randrange(1, 200))).isoformat(),
                    "status": status}
            if status == "done" and rng.random() < 0.8:
                item["done_on"] = (day + dt.timedelta(days=rng.randrange(0, 300))).isoformat()
            items.append(item)
        sources.append(_source(f"pm-{i}", day.isoformat(), items))
    analysis = analyse(sources, Options(), build_date=BUILD)
    assert not [p for p in analysis.problems if p.is_error]
    follow_ups = [(x, f) for x in analysis.kb.lessons for f in x.follow_ups]
    for row in analysis.insights.overdue_over_time:
        end = min(quarter_end(row["quarter"]), BUILD)
        agreed = [(x, f) for x, f in follow_ups if x.date <= end and f.due < end]
        overdue = sum(f.status == "open" or (f.done_on is not None and f.done_on > end)
                      for _, f in agreed)
        undated = sum(f.status == "done" and f.done_on is None for _, f in agreed)
        assert (row["overdue"], row["done_undated"]) == (overdue, undated), row


def test_a_digest_counts_a_follow_up_done_in_the_period_of_its_done_on():
    sources = [_source("pm-1", "2025-02-10", [
        {"action": "Done in May", "owner": "sre", "due": "2025-03-01", "status": "done",
         "done_on": "2025-05-02"},
        {"action": "Done, no date", "owner": "sre", "due": "2025-03-01", "status": "done"}])]
    analysis = analyse(sources, Options(), build_date=BUILD)
    digests = {d.period.key: d for d in plan_digests(analysis)}
    assert [e.follow_up.action for e in digests["2025-q2"].follow_ups_done] == ["Done in May"]
    assert digests["2025-q1"].follow_ups_done == [] and digests["2025-q1"].done_undated == 1


def _project(root: Path, follow_ups: list[dict]) -> None:
    (root / "mkdocs.yml").write_text("site_name: T\ndocs_dir: docs\nplugins:\n  - lessonbook\n",
                                     encoding="utf-8")
    (root / "docs" / "2025").mkdir(parents=True)
    front = {"id": "pm-1", "title": "Lesson", "type": "postmortem", "date": "2025-01-10",
             "follow_ups": follow_ups}
    (root / "docs" / "2025" / "pm-1.md").write_text(lesson_text(front), encoding="utf-8")


def test_due_lists_follow_ups_done_without_a_date_and_exits_1(tmp_path, monkeypatch, capsys):
    _project(tmp_path, [{"action": "Undated", "owner": "sre", "status": "done"},
                        {"action": "Dated", "owner": "sre", "status": "done",
                         "done_on": "2025-02-01"}])
    monkeypatch.chdir(tmp_path)
    assert cli.main(["due", "--done-without-date", "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert [x["action"] for x in document["follow_ups"]] == ["Undated"]
    assert document["follow_ups"][0]["line"] == 7  # the item's first line
    assert cli.main(["due", "--done-without-date"]) == 1
    assert "done, date unknown: Undated (from pm-1, sre)" in capsys.readouterr().out


def test_due_done_without_date_exits_0_when_every_done_follow_up_has_a_date(
        tmp_path, monkeypatch, capsys):
    _project(tmp_path, [{"action": "Dated", "owner": "sre", "status": "done",
                         "done_on": "2025-02-01"}])
    monkeypatch.chdir(tmp_path)
    assert cli.main(["due", "--done-without-date"]) == 0
    assert capsys.readouterr().out.startswith("0 follow-ups done without a done_on date")


def test_every_template_with_follow_ups_documents_done_on():
    for template in sorted((REPO / "templates").glob("*.md")):
        text = template.read_text(encoding="utf-8")
        if "follow_ups:" in text:
            assert "#   done_on: ISO date" in text, template.name


def test_every_done_follow_up_of_the_example_has_a_done_on(monkeypatch, capsys):
    monkeypatch.chdir(REPO)
    assert cli.main(["due", "--done-without-date"]) == 0
    assert capsys.readouterr().out.startswith("0 follow-ups")
