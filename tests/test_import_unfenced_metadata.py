"""`lessonbook import` reads metadata written as plain `Key: value` lines at the top of a file
with no `---` fences (Pelican, MultiMarkdown, Python-Markdown's meta) as the page's fields —
title, date, tags, summary — never as its text or its summary; and only a real block: a story
that opens with a colon, or a report's own field lines, stay the text."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lessonbook import cli
from lessonbook.load.knowledge_base import KnowledgeBase

STORY = ("The build queue stalled for an hour because a runner kept its lock.\n\n"
         "## Follow-ups\n\n- Expire runner locks after ten minutes\n")


def _import(folder: Path, text: str, name: str = "post") -> tuple[int, str, object]:
    (folder / f"{name}.md").write_text(text, encoding="utf-8")
    status = cli.main(["import", str(folder / f"{name}.md"), "--out", str(folder / "out")])
    lessons = KnowledgeBase.load(folder / "out").lessons
    return status, (folder / "out" / f"{lessons[0].id}.md").read_text(), lessons[0]


_CASE = st.sampled_from([str.lower, str.title, str.upper])
_EXTRA = st.lists(st.sampled_from([
    "Author: Sam Example", "Slug: queue-stall", "Permalink: queue_stall", "Layout: post",
    "Category: Outages", "Status: published", "Lang: en", "Modified: 2021-03-09 10:00",
    "Template: article"]), unique=True, max_size=4)
_DATES = st.sampled_from([("2021-03-04", "2021-03-04"), ("'2021-03-04T12:33:19+00:00'",
                                                          "2021-03-04"),
                          ("2021-03-04 10:20", "2021-03-04"), ("March 4, 2021", "2021-03-04")])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=_CASE, extra=_EXTRA, date=_DATES, order=st.randoms(use_true_random=False))
def test_unfenced_metadata_lines_are_the_pages_fields_not_its_text(case, extra, date, order):
    fields = [f"{case('title')}: Build queue stall", f"{case('date')}: {date[0]}",
              f"{case('tags')}: ci, runners", *extra]
    order.shuffle(fields)
    with tempfile.TemporaryDirectory() as tmp:
        status, written, lesson = _import(Path(tmp), "\n".join(fields) + "\n\n" + STORY)
    assert status == 0
    assert lesson.title == "Build queue stall"
    assert lesson.date.isoformat() == date[1]
    # a category outside the configured taxonomy becomes a tag, as with fenced front-matter
    assert lesson.tags == ["ci", "runners", *(["Outages"] if "Category: Outages" in extra
                                              else [])]
    assert lesson.summary.startswith("The build queue stalled for an hour")
    assert lesson.body == STORY and written.endswith("\n---\n" + STORY)


def test_a_summary_key_and_two_keys_run_together_on_a_line_are_read(tmp_path):
    text = ("title: Runner lock leak\ndate: 2022-05-06\npermalink: runner-lock layout: post\n"
            "summary: A runner held its lock for an hour.\n\n" + STORY)
    status, _written, lesson = _import(tmp_path, text)
    assert status == 0 and lesson.summary == "A runner held its lock for an hour."
    assert "layout:" not in lesson.body and "permalink" not in lesson.body


def test_python_markdown_continuation_lines_belong_to_their_key(tmp_path):
    text = ("Title: Runner lock leak\nDate: 2022-05-06\nSummary: A runner held its lock\n"
            "    for an hour.\n\n" + STORY)
    _status, _written, lesson = _import(tmp_path, text)
    assert lesson.summary == "A runner held its lock for an hour."
    assert lesson.body.startswith("The build queue stalled")


def test_a_story_that_opens_with_a_colon_is_not_eaten_as_metadata(tmp_path):
    text = ("Note: the build queue stalled at 10:00 because a runner kept its lock.\n"
            "Title: nothing else here is a field.\n\n" + STORY)
    _status, _written, lesson = _import(tmp_path, text)
    assert lesson.body.startswith("Note: the build queue stalled")


def test_a_reports_own_field_lines_stay_in_its_text(tmp_path):
    text = "Date: 2022-05-06\nSeverity: SEV2\nAuthors: Sam Example\n\n" + STORY
    _status, _written, lesson = _import(tmp_path, text)
    assert lesson.body.startswith("Date: 2022-05-06\nSeverity: SEV2")
    assert lesson.date.isoformat() == "2022-05-06"


def test_lines_under_the_block_that_are_not_fields_keep_it_as_text(tmp_path):
    text = "Title: Runner lock leak\nDate: 2022-05-06\nThe runner kept its lock.\n\n" + STORY
    _status, _written, lesson = _import(tmp_path, text)
    assert lesson.body.startswith("Title: Runner lock leak")
