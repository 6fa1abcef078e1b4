"""Follow-ups as collections mark and head them beyond the tuning sets (#23): an item is done
when its text marks it so in any common way (a tick or check mark before or after it, its
GitHub short code, strike-through, a state in front, '(done)', '[done]', '— done', 'fixed in
#123', 'merged in PR 45', 'Status: complete'), open when a mark says so, and of unknown status
otherwise (never guessed); action tables name their columns in many ways; sections of
follow-ups have many names. All text here is synthetic."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lessonbook.authoring.importer import import_files


def imported(folder: Path, text: str, name: str = "postmortem.md") -> dict[str, Any]:
    source = folder / "src" / name
    source.parent.mkdir(parents=True, exist_ok=True)
    for old in source.parent.iterdir():
        old.unlink()
    source.write_text(text, encoding="utf-8")
    [report] = import_files([source], folder / "out", force=True)
    assert report.target, report.format()
    return yaml.safe_load(Path(report.target).read_text(encoding="utf-8").split("---\n")[1])


_OPENING = "# Queue stall\n\nOn 2021-03-04 the order queue stalled for two hours.\n\n"
_ACTION = st.sampled_from(["Add an alert on queue depth", "Raise the worker limit to 40",
                           "Write a runbook for queue stalls"])
_DONE_FORMS = st.sampled_from([
    "[x] {a}", "[X] {a}", "✅ {a}", "✔️ {a}", "✓ {a}", ":white_check_mark: {a}",
    ":heavy_check_mark: {a}", "{a} ✅", "{a} :white_check_mark:", "~~{a}~~", "**Done**: {a}",
    "Done: {a}", "**[DONE]** {a}", "[Done] {a}", "Completed - {a}", "{a} (done)", "{a} [done]",
    "{a} (DONE)", "{a} — done", "{a}: fixed.", "{a}, fixed in #123", "{a} (merged in #45)",
    "{a}: merged in PR 45", "{a}, done via https://example.org/pull/9",
    "{a} (fixed by the config change)", "{a} (merged)", "{a}. Status: complete",
    "{a} — Status: Done", "{a} (completed 2021-03-10)"])
_OPEN_FORMS = st.sampled_from([
    "[ ] {a}", "⬜ {a}", "🚧 {a}", "TODO: {a}", "[TODO] {a}", "**In progress**: {a}",
    "{a} (in progress)", "{a} (open)", "{a}. Status: in progress", "{a} — Status: open",
    "{a} (not done yet)"])


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(done=_DONE_FORMS, opened=_OPEN_FORMS, action=_ACTION, bullet=st.sampled_from("-*1"))
def test_an_items_own_mark_says_whether_it_is_done_or_open(
        tmp_path_factory, done, opened, action, bullet):
    mark = "1." if bullet == "1" else bullet
    text = (_OPENING + "## Action items\n\n" + f"{mark} {done.format(a=action)}\n"
            f"{mark} {opened.format(a='Rotate the queue credentials')}\n"
            f"{mark} Move the workers to the new cluster\n")
    items = imported(tmp_path_factory.mktemp("d"), text)["follow_ups"]
    assert [i["status"] for i in items] == ["done", "open", "unknown"]
    assert items[0]["action"].startswith(action)
    assert "~~" not in items[0]["action"] and "white_check_mark" not in items[0]["action"]


def test_words_that_only_resemble_marks_leave_the_status_unknown(tmp_path):
    text = (_OPENING + "## Action items\n\n- Ensure the fixed window is 5 minutes\n"
            "- Document which steps are done by hand during a stall\n"
            "- Status page: post updates every 30 minutes\n"
            "- Use a (fixed window) limiter in the gateway for a start\n"
            "- Keep the status page open\n")
    items = imported(tmp_path, text)["follow_ups"]
    assert [i["status"] for i in items] == ["unknown"] * 5


_ACTION_COLUMN = st.sampled_from(["Action", "Action item", "Remediation", "Follow-up", "Fix",
                                  "Change", "What", "Item", "Todo", "Task", "Mitigation"])
_DONE_CELL = st.sampled_from([("Status", "Done"), ("Status", "Closed"), ("Status", "Merged"),
                              ("Status", "✓"), ("Status", "Complete"), ("State", "Resolved"),
                              ("Done?", "Yes"), ("Done", "x"),
                              ("Status", ":white_check_mark:"), ("Notes", "fixed in #12"),
                              ("Done", "[x]")])


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(column=_ACTION_COLUMN, cell=_DONE_CELL)
def test_an_action_table_under_any_column_names_gives_one_item_per_row(
        tmp_path_factory, column, cell):
    state, value = cell
    text = (_OPENING + f"## Action items\n\n| {column} | Owner | {state} |\n|---|---|---|\n"
            f"| Add an alert on queue depth | @a | {value} |\n"
            "| Write a runbook for stalls | @b | Not done |\n"
            "| Raise the worker limit | @c | |\n")
    items = imported(tmp_path_factory.mktemp("t"), text)["follow_ups"]
    assert [i["action"] for i in items] == ["Add an alert on queue depth",
                                            "Write a runbook for stalls",
                                            "Raise the worker limit"]
    assert [i["status"] for i in items][0] == "done"
    assert [i["status"] for i in items][1:] == ["open", "unknown"]


_SECTION = st.sampled_from([
    "Going forward", "What's next", "What’s next", "What we're changing",
    "What we are doing about it", "What we will do", "Changes we are making",
    "How we'll prevent this", "How we will avoid this in future", "Preventing recurrence",
    "Next steps", "Work items", "Open tasks", "Follow-up tickets",
    "Lessons learned and action items", "Learnings and follow-ups"])


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(heading=_SECTION, level=st.sampled_from(["##", "###"]))
def test_a_section_of_follow_ups_under_any_common_name(tmp_path_factory, heading, level):
    text = (_OPENING + f"{level} {heading}\n\n- Add an alert on queue depth\n"
            "- Write a runbook for queue stalls\n")
    items = imported(tmp_path_factory.mktemp("h"), text)["follow_ups"]
    assert [i["action"] for i in items] == ["Add an alert on queue depth",
                                            "Write a runbook for queue stalls"]


def test_reflections_and_the_response_are_still_not_follow_ups(tmp_path):
    for heading in ("Lessons learned", "What went well", "Actions taken", "Timeline"):
        text = (_OPENING + f"## {heading}\n\n- The alert fired within a minute\n"
                "- Restarted the workers at 10:40\n")
        assert "follow_ups" not in imported(tmp_path, text), heading


def test_follow_ups_told_in_the_present_progressive_are_actions(tmp_path):
    text = (_OPENING + "## Next steps\n\nWe will add an alert on queue depth. We are also "
            "writing a runbook for queue stalls. The whole team learned a lot that day.\n")
    items = imported(tmp_path, text)["follow_ups"]
    assert [i["action"] for i in items] == ["We will add an alert on queue depth.",
                                            "We are also writing a runbook for queue stalls."]


_PLANS = st.lists(st.sampled_from([
    "We need to document how a release is picked.", "We will add an alert on queue depth.",
    "When a worker dies, we should restart it before the queue fills.",
    "Changes tested on staging should be deployed one at a time.",
    "We'll write a runbook for queue stalls.", "The team must review the worker limits."]),
    min_size=2, max_size=4, unique=True)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plans=_PLANS, lead=st.sampled_from([
    "The lessons we are taking from this are as follows:", "What we will change:",
    "To keep this from happening again:"]), heading=st.sampled_from(["Discussion", "Postmortem",
                                                                     "Closing thoughts"]))
def test_a_list_of_plans_announced_in_prose_outside_any_follow_up_section(
        tmp_path_factory, plans, lead, heading):
    text = (_OPENING + f"## {heading}\n\nThe release carried two changes at once.\n\n{lead}\n\n"
            + "".join(f"  - {p}\n" for p in plans))
    items = imported(tmp_path_factory.mktemp("p"), text)["follow_ups"]
    assert [i["action"] for i in items] == plans
    assert {i["status"] for i in items} == {"unknown"}


def test_lists_that_are_not_all_plans_or_already_under_action_items_are_not_announced(tmp_path):
    affected = (_OPENING + "## Impact\n\nThe following broke:\n\n- We will never know how many "
                "orders were lost.\n- Checkout should be faster now.\n")
    assert "follow_ups" not in imported(tmp_path, affected)
    mixed = (_OPENING + "## Discussion\n\nWhat we saw:\n\n- We will add an alert.\n"
             "- The queue was full at 10:02.\n")
    assert "follow_ups" not in imported(tmp_path, mixed)
    both = (_OPENING + "## Discussion\n\nWe concluded:\n\n- We will add an alert.\n"
            "- We will write a runbook.\n\n## Action items\n\n- Add an alert on queue depth\n")
    items = imported(tmp_path, both)["follow_ups"]
    assert [i["action"] for i in items] == ["Add an alert on queue depth"]


def test_a_page_break_before_the_action_items_of_an_exported_document(tmp_path):
    text = (_OPENING + "What went wrong\n\n1. No alert on queue depth\n\n\fAction Items\n"
            "1. Add an alert on queue depth https://example.org/pull/1\n"
            "2. Move the workers to the new cluster (in-progress, a Q4 goal)\n")
    items = imported(tmp_path, text)["follow_ups"]
    assert [i["status"] for i in items] == ["unknown", "open"]
    assert items[0]["action"].startswith("Add an alert on queue depth")
    assert "\f" in (tmp_path / "out" / "postmortem.md").read_text(encoding="utf-8")


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(done=st.sampled_from(["Status: Done", "Status: complete", "✅ merged in #12",
                             "[x] shipped", "This has been done", "Done: 2021-03-10",
                             "Fixed in #45"]),
       opened=st.sampled_from(["Status: In progress", "Status: open", "TODO: needs an owner",
                               "🚧 started"]),
       indent=st.sampled_from(["  ", "    ", "\t"]))
def test_a_short_status_note_nested_under_an_item_says_how_it_stands(
        tmp_path_factory, done, opened, indent):
    text = (_OPENING + f"## Action items\n\n- Add an alert on queue depth\n{indent}- {done}\n"
            f"- Write a runbook for queue stalls\n{indent}- {opened}\n"
            f"- Raise the worker limit\n{indent}- The limit is 20 today\n")
    items = imported(tmp_path_factory.mktemp("n"), text)["follow_ups"]
    assert [i["status"] for i in items] == ["done", "open", "unknown"]
    assert items[0]["action"] == "Add an alert on queue depth"


def test_a_state_after_a_dash_at_the_end_of_an_item(tmp_path):
    text = (_OPENING + "## Action items\n\n- Add an alert on queue depth — **Done**\n"
            "- Write a runbook for queue stalls — **Open**\n- Keep the status page open\n")
    items = imported(tmp_path, text)["follow_ups"]
    assert [i["status"] for i in items] == ["done", "open", "unknown"]
