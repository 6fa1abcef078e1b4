"""Follow-ups written the way the held-out Flutter and cloud.gov.au reports write them (#23,
classes fixed after measuring that set): action items in a Markdown table (one per row, done
when the status or notes column says so); 'Action items' on a line of its own, without a
colon, above its list; a heading with a typographic apostrophe ('What we’re doing
differently'); and 'Based on what we saw, we are ...' is not told in the past tense."""

from __future__ import annotations

from pathlib import Path

import yaml

from lessonbook.authoring.importer import import_files


def follow_ups(folder: Path, text: str) -> list[tuple[str, str]]:
    source = folder / "src" / "postmortem.md"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text("# Build breakage\n\nOn 2016-11-07 every build failed.\n\n" + text,
                      encoding="utf-8")
    [report] = import_files([source], folder / "out", force=True)
    meta = yaml.safe_load(Path(report.target).read_text(encoding="utf-8").split("---\n")[1])
    return [(f["action"], f["status"]) for f in meta.get("follow_ups") or []]


def test_action_items_in_a_table_are_one_follow_up_per_row(tmp_path):
    text = ("## Action items\n\n### Prevention\n\n| Action Item | Owner | Tracking bug | Notes |\n"
            "|---|---|---|---|\n| Pin our dependencies to known versions | ana | #1 | |\n\n"
            "### Mitigation\n\nNone.\n\n### Fixes\n\n| Action Item | Owner | Bug | Notes |\n"
            "|-------------|-------|-----|-------|\n| Update the args package | bo | [PR 2](x) "
            "| Done |\n| Deploy a bot that rolls dependencies forward | ana | #3 | |\n")
    assert follow_ups(tmp_path, text) == [
        ("Pin our dependencies to known versions", "unknown"),
        ("Update the args package", "done"),
        ("Deploy a bot that rolls dependencies forward", "unknown")]
    status = ("## Action Items\n\n| Action item description | Status |\n| --- | --- |\n"
              "| Let the release tool take a commit | DONE |\n| Fix the signing recipe | DONE |\n")
    assert [s for _, s in follow_ups(tmp_path, status)] == ["done", "done"]
    no_action_column = "## Action items\n\n| Owner | Bug |\n|---|---|\n| ana | #1 |\n"
    assert follow_ups(tmp_path, no_action_column) == []


def test_action_items_on_a_line_of_their_own_open_the_list_below(tmp_path):
    text = ("## What could have gone better?\n\nThe fix took months.\n\nAction items\n\n"
            "- P1 Add a test for the image reader\n- P2 Add a screenshot test\n")
    assert [a for a, _ in follow_ups(tmp_path, text)] == [
        "P1 Add a test for the image reader", "P2 Add a screenshot test"]
    in_prose = ("## Notes\n\nWe discussed action items\n\n- the meeting ran late\n"
                "- the room was cold\n")
    assert follow_ups(tmp_path, in_prose) == []


def test_a_heading_with_a_typographic_apostrophe_and_based_on(tmp_path):
    text = ("### What we’re doing differently\n\nBased on what we have observed, we are "
            "building tests to verify the failover. These tests will be run on every change "
            "to the service.\n")
    assert follow_ups(tmp_path, text) == [
        ("Based on what we have observed, we are building tests to verify the failover.",
         "unknown"),
        ("These tests will be run on every change to the service.", "unknown")]


def test_a_closing_note_in_brackets_marks_done_and_wishes_are_no_actions(tmp_path):
    text = ("## Follow-up\n\nThe monitoring system should notify more people. Ideally, it "
            "would ping the chat directly.\n\nThe docs check points at an old host. "
            "(fixed by adding a separate monitoring entry)\n\nWe could have a policy of not "
            "landing DNS changes on a Friday.\n\n## Action items\n\n- Set up alarms for the "
            "database. **(Done during this incident)**\n")
    assert follow_ups(tmp_path, text) == [
        ("The monitoring system should notify more people.", "unknown"),
        ("The docs check points at an old host. (fixed by adding a separate monitoring "
         "entry)", "done"),
        ("Set up alarms for the database. (Done during this incident)", "done")]
