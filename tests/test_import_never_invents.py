"""`lessonbook import` recovers what a postmortem's text says and never invents: dates in the
formats people write, no date of the import's day, titles that are real headings,
follow-ups from prose, and a state `unknown` for items whose status the text does not give."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import build, write_site
from lessonbook import cli
from lessonbook.authoring.importer import import_files


def imported(tmp_path: Path, text: str, name: str = "postmortem.md") -> tuple[dict, str]:
    """(front-matter, report) of one file imported from ``text``."""
    source = tmp_path / "src" / name
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(text, encoding="utf-8")
    [report] = import_files([source], tmp_path / "out")
    assert report.target, report.format()
    front = Path(report.target).read_text(encoding="utf-8").split("---\n")[1]
    return yaml.safe_load(front), report.format()


@pytest.mark.parametrize(("written", "day"), [
    ("4/21/23", "2023-04-21"),
    ("04-21-2023", "2023-04-21"),
    ("2023-04-21", "2023-04-21"),
    ("Sept. 18th, 2017", "2017-09-18"),
    ("18 September 2017", "2017-09-18"),
    ("Jan 3rd 2021", "2021-01-03"),
    ("the 2nd of March, 2019", "2019-03-02"),
])
def test_a_date_written_in_any_common_format_dates_the_lesson(tmp_path, written, day):
    meta, _ = imported(tmp_path, f"# Outage\n\nOn {written} the API was down for an hour.\n")
    assert str(meta["date"]) == day


def test_without_any_date_the_lesson_is_marked_unknown_never_the_day_of_import(tmp_path):
    meta, report = imported(tmp_path, "# Outage\n\nThe API was down for an hour.\n")
    assert meta["date"] == "unknown"
    assert "date: unknown" in report and "write the day the incident began" in report


def test_an_identifier_year_alone_does_not_invent_the_first_of_january(tmp_path):
    meta, report = imported(tmp_path, "# Outage\n\nThe API was down.\n", "PM2020-002.md")
    assert meta["date"] == "unknown" and "2020" in report


def test_an_iso_date_in_the_title_beats_the_file_name(tmp_path):
    meta, _ = imported(tmp_path, "# 2018-01-11, Certificate warning\n\nA warning came.\n",
                       "2018-01-18-ssl.md")
    assert str(meta["date"]) == "2018-01-11"


def test_a_title_date_that_no_timeline_row_has_loses_to_the_timeline(tmp_path):
    text = ("# 2022-01-27, pod limit reached\n\n## Summary\n\nPods did not start.\n\n"
            "## Timeline\n\n### 2022-06-02 10:00 - Problem starts\n\nNo pods.\n")
    meta, report = imported(tmp_path, text, "2022-06-02-pod-limit.md")
    assert str(meta["date"]) == "2022-06-02" and "on no timeline row" in report


def test_us_numeric_timeline_rows_date_the_incident(tmp_path):
    text = "# Outage\n\n## Timeline\n\n- 04-21-2023 10:00 alerts fire\n- 04-22-2023 fixed\n"
    meta, _ = imported(tmp_path, text)
    assert str(meta["date"]) == "2023-04-21"


def test_an_unknown_date_is_a_warning_that_strict_check_refuses(tmp_path, monkeypatch,
                                                                    capsys):
    lesson = "---\ntitle: Outage\ntype: postmortem\ndate: unknown\n---\n\n## Summary\n\nDown.\n"
    config = write_site(tmp_path, {"index.md": "# Home\n", "lessons/outage.md": lesson},
                        {"search": {"pagefind": False}})
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check", "docs/lessons/outage.md"]) == 0
    out = capsys.readouterr().out
    assert "date is 'unknown'" in out
    assert cli.main(["check", "docs/lessons/outage.md", "--strict"]) == 1
    site = build(config)
    assert site.ok, site.log
    assert "Outage" in site.html("lessons/outage/")


@pytest.mark.parametrize(("text", "title"), [
    ("# Issue summary\n\nThe API was down.\n\n# Database failover\n", "Database failover"),
    ("## Summary\n\nDown.\n\n## Overview\n\nx\n\n## Cache stampede\n", "Cache stampede"),
    ("# ISSUE NAME\n\n## Summary\n\nDown.\n", "Outage in the queue"),
    ("# [Incident title]\n\n## Summary\n\nDown.\n", "Outage in the queue"),
    ("# Owner: @sam\n\n# Queue backlog\n\nDown.\n", "Queue backlog"),
    ("Title: Login failures after deploy\nOwner: @sam\n\n## Summary\n\nDown.\n",
     "Login failures after deploy"),
    ("# Title: Login failures after deploy\n\nDown.\n", "Login failures after deploy"),
    ("# Deploy: a bad config\n\nDown.\n", "Deploy: a bad config"),
])
def test_the_title_is_the_first_heading_that_names_the_incident(tmp_path, text, title):
    meta, _ = imported(tmp_path, text, "2020-01-02-outage-in-the-queue.md")
    assert meta["title"] == title


def statuses(meta: dict) -> list[tuple[str, str]]:
    return [(f["action"], f["status"]) for f in meta.get("follow_ups", [])]


def test_a_bold_label_bullet_that_is_not_a_heading_lists_follow_ups(tmp_path):
    text = ("# Incident on 2021-09-04 - Prometheus down\n\n- **Impact**: Metrics were lost.\n\n"
            "- **Resolution**:\n  - Increased the memory limit\n\n- **Review actions**:\n"
            "  - Created a [ticket](https://x/1) to add an alert on memory\n"
            "  - Canary app alerts after 2 minutes. DONE in [PR #5126](https://x/2)\n"
            "  - [ ] Test the pager settings\n")
    meta, _ = imported(tmp_path, text)
    assert statuses(meta) == [
        ("Created a ticket to add an alert on memory", "unknown"),
        ("Canary app alerts after 2 minutes. DONE in PR #5126", "done"),
        ("Test the pager settings", "open")]
    assert meta["summary"] == "Metrics were lost."


def test_an_action_items_line_that_is_not_a_heading_opens_a_list(tmp_path):
    text = "# Outage\n\nThe API was down.\n\nAction items:\n\n- Add a probe\n- Page on errors\n"
    meta, _ = imported(tmp_path, text)
    assert [a for a, _ in statuses(meta)] == ["Add a probe", "Page on errors"]


def test_remediation_prose_gives_one_follow_up_per_sentence_that_states_an_action(tmp_path):
    text = ("# Outage\n\n## Long term solution\n\nWe will move the queue to a managed service. "
            "The old one was slow. We should add an alert on queue depth.\n")
    meta, _ = imported(tmp_path, text)
    assert statuses(meta) == [("We will move the queue to a managed service.", "unknown"),
                              ("We should add an alert on queue depth.", "unknown")]


def test_a_nested_done_note_marks_its_item_done(tmp_path):
    text = ("# Outage\n\n## Action items\n\n- Add a probe\n  - This has been done\n"
            "- Page on errors\n")
    meta, _ = imported(tmp_path, text)
    assert statuses(meta) == [("Add a probe", "done"), ("Page on errors", "unknown")]


def test_unknown_follow_ups_are_neither_open_nor_done_on_the_site(tmp_path):
    lesson = ("---\ntitle: Outage\ntype: postmortem\ndate: 2024-01-02\nfollow_ups:\n"
              "  - action: Add a probe\n    status: unknown\n  - action: Page on errors\n"
              "    status: done\n---\n\n## Summary\n\nDown.\n")
    config = write_site(tmp_path, {"index.md": "# Home\n", "lessons/outage.md": lesson},
                        {"search": {"pagefind": False}})
    site = build(config, strict=True)
    assert site.ok, site.log
    exported = site.json("api/follow-ups.json")
    assert [f["status"] for f in exported["follow_ups"]] == ["unknown", "done"]
    assert exported["closure_rate"] == 1.0  # unknown is left out, not counted as open
    assert not any(f["overdue"] for f in exported["follow_ups"])
    page = site.html("follow-ups/")
    assert 'id="unknown"' in page and "Add a probe" in page


def test_imported_from_is_in_the_lessons_export(tmp_path):
    lesson = ("---\ntitle: Outage\ntype: postmortem\ndate: 2024-01-02\nimported_from:\n"
              "  source: old/outage.md\n  date: 2026-01-05\n---\n\n## Summary\n\nDown.\n")
    config = write_site(tmp_path, {"index.md": "# Home\n", "lessons/outage.md": lesson},
                        {"search": {"pagefind": False}})
    site = build(config)
    assert site.ok, site.log
    [record] = site.json("api/lessons.json")["lessons"]
    assert record["imported_from"] == {"source": "old/outage.md", "date": "2026-01-05"}


def test_images_a_postmortem_links_to_are_copied_beside_it_and_the_site_builds_strict(
        tmp_path):
    repo = tmp_path / "repo"
    (repo / "reports" / "img").mkdir(parents=True)
    (repo / "_static").mkdir()
    (repo / "reports" / "img" / "pods.png").write_bytes(b"\x89PNG one")
    (repo / "_static" / "cpu.png").write_bytes(b"\x89PNG two")
    (repo / "secret.txt").write_text("not an asset of the source folder or its parent's\n")
    (repo / "reports" / "2022-01-27-pods.md").write_text(
        "# Too many pods\n\n## Summary\n\nPods piled up.\n\n![pods](img/pods.png)\n\n"
        "![cpu](../_static/cpu.png)\n\n<img src=\"img/pods.png\" alt=\"again\">\n\n"
        "![gone](img/missing.png)\n", encoding="utf-8")
    docs = tmp_path / "site" / "docs" / "lessons"
    [report] = [r for r in import_files([repo / "reports"], docs) if r.target]
    lesson = Path(report.target)
    assert (lesson.parent / "pods.png").read_bytes() == b"\x89PNG one"
    assert (lesson.parent / "cpu.png").read_bytes() == b"\x89PNG two"
    body = lesson.read_text(encoding="utf-8")
    assert "](pods.png)" in body and "](cpu.png)" in body and 'src="pods.png"' in body
    assert "img/missing.png" in report.format()  # reported, written as plain text
    assert "gone (image not found at import: `img/missing.png`)" in body
    config = write_site(tmp_path / "site", {"index.md": "# Home\n"},
                        {"search": {"pagefind": False}})
    site = build(config, strict=True)
    assert site.ok, site.log
    [again] = [r for r in import_files([repo / "reports"], docs) if r.target]
    assert again.action == "unchanged"  # importing again changes nothing


def test_a_link_outside_the_source_and_its_parent_is_never_copied(tmp_path):
    outside = tmp_path / "outside.png"
    outside.write_bytes(b"private")
    source = tmp_path / "a" / "b" / "reports"
    source.mkdir(parents=True)
    (source / "pm.md").write_text("# Outage\n\nDown.\n\n![x](../../../outside.png)\n")
    [report] = [r for r in import_files([source], tmp_path / "out") if r.target]
    assert not (Path(report.target).parent / "outside.png").exists()
    assert "outside.png" in report.format()


@pytest.mark.parametrize("text", [
    "# Outage\n\nDown.\n\n- **Review actions**:\n  - N/A\n",
    "# Outage\n\n## Action items\n\n### Investigation\n\nWas it the old nodes? Perhaps it "
    "seemed to be related to something else?\n",
])
def test_no_action_and_questions_are_not_follow_ups(tmp_path, text):
    meta, _ = imported(tmp_path, text)
    assert statuses(meta) == []
