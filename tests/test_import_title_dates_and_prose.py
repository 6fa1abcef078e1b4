"""Classes of import misses found on held-out collections (#23): a leading date in any
spelling heads a title; remediation prose split into paragraphs and imperatives; reflections
('if we had ..., we could have ...') and passing ideas ('Maybe ...') are not actions; an
irregular past tense ('Got guidance ...') tells an action as done."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lessonbook.authoring.importer import import_files

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def imported(folder: Path, text: str, name: str = "postmortem.md") -> dict:
    source = folder / "src" / name
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(text, encoding="utf-8")
    [report] = import_files([source], folder / "out", force=True)
    assert report.target, report.format()
    return yaml.safe_load(Path(report.target).read_text(encoding="utf-8").split("---\n")[1])


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def spelled(day: dt.date, style: int) -> str:
    month = _MONTHS[day.month - 1]
    return [day.isoformat(), f"{day.month}/{day.day}/{day.year}",
            f"{month} {_ordinal(day.day)}, {day.year}", f"{day.day} {month} {day.year}",
            f"{month if month == 'May' else month[:3] + '.'} {day.day}, {day.year}"][style]


_WORDS = st.lists(st.sampled_from(["Prow", "outage", "Boskos", "DNS", "partial", "slow",
                                   "ingress", "503s", "on", "queue"]), min_size=1, max_size=5)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)),
       style=st.integers(0, 4), separator=st.sampled_from([" ", ", ", " - ", ": "]),
       words=_WORDS)
def test_a_leading_date_in_any_spelling_dates_the_lesson_and_is_not_in_the_title(
        tmp_path_factory, day, style, separator, words):
    title = " ".join(words)
    meta = imported(tmp_path_factory.mktemp("t"),
                    f"# {spelled(day, style)}{separator}{title}\n\n## Summary\n\nDown.\n",
                    "notes.md")
    assert meta["title"] == title[:1].upper() + title[1:]
    assert str(meta["date"]) == day.isoformat()


def test_a_month_and_year_alone_stay_in_the_title(tmp_path):
    meta = imported(tmp_path, "# May 2019 outage\n\nDown on 2019-05-03.\n")
    assert meta["title"] == "May 2019 outage"


def test_prose_actions_end_at_paragraphs_and_skip_questions_ideas_and_reflections(tmp_path):
    text = ("# Outage\n\nDown on 2025-10-13.\n\n- **Review actions**:\n\n"
            "Can we detect a recurrence? Unknown, create a ticket to investigate alerting. "
            "Maybe create a concourse job or an OpenSearch alert\n\n"
            "Could we react differently?\n\n"
            "No, took a bit of time between the first message and declaring an incident\n\n"
            "Do we need dev databases to be multi-AZ? Look into this, make multi-az the "
            "default.\n\n"
            "If we had seen the notice we could have recycled the node gracefully.\n\n"
            "Write some comms describing the incident with its reasons\n")
    actions = [f["action"] for f in imported(tmp_path, text)["follow_ups"]]
    assert actions == ["Unknown, create a ticket to investigate alerting.",
                       "Look into this, make multi-az the default.",
                       "Write some comms describing the incident with its reasons"]


def test_a_listed_reflection_is_not_a_follow_up_but_a_later_could_have_is_kept(tmp_path):
    text = ("# Outage\n\nDown on 2022-11-15.\n\n## Action items\n\n"
            "- If we had picked up on this notice - we could have recycled the node early.\n"
            "- Better alerting. This one could have been alerted by counting 4xx.\n"
            "- Find a way to not bury these notices in email.\n")
    actions = [f["action"] for f in imported(tmp_path, text)["follow_ups"]]
    assert actions == ["Better alerting. This one could have been alerted by counting 4xx.",
                       "Find a way to not bury these notices in email."]


def test_an_irregular_past_tense_under_review_actions_tells_a_done_action(tmp_path):
    text = ("# Outage\n\nDown on 2025-03-18.\n\n- **Review actions**:\n"
            "  - Got guidance from AWS support on querying control-plane logs.\n"
            "  - Document a runbook for emergency scaling.\n")
    statuses = [f["status"] for f in imported(tmp_path, text)["follow_ups"]]
    assert statuses == ["done", "unknown"]


def test_a_passive_with_an_irregular_participle_tells_a_done_action(tmp_path):
    text = ("# Outage\n\nDown on 2024-04-15.\n\n- **Review actions**:\n"
            "  - The default CPU and Memory requests were set to meet the maximum usage\n"
            "  - The probe threshold was put at 30 minutes\n"
            "  - Create a test setup to recreate the WAL count\n")
    statuses = [f["status"] for f in imported(tmp_path, text)["follow_ups"]]
    assert statuses == ["done", "done", "unknown"]


def test_a_closing_done_note_marks_its_item_done_and_done_elsewhere_does_not(tmp_path):
    text = ("# Outage\n\nDown on 2020-07-09.\n\n## Action items\n\n"
            "1. Alert when launches exceed 2 requests/second. _done in grafana_.\n"
            "2. Decide what counts as done for a launch. Then alert on it.\n")
    statuses = [f["status"] for f in imported(tmp_path, text)["follow_ups"]]
    assert statuses == ["done", "unknown"]


def test_a_time_zone_after_a_leading_date_is_capitals_only(tmp_path):
    meta = imported(tmp_path, "# 2017-09-27 13:06 the cache outage\n\nDown.\n")
    assert meta["title"] == "The cache outage"
    meta = imported(tmp_path, "# 2017-09-27 13:06 UTC cache outage\n\nDown.\n")
    assert meta["title"] == "Cache outage"
