"""The rules registry core: lifecycle, history, checklists, follow-ups, cross-document checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import REPO, lesson_text
from lessonbook import cli
from lessonbook.analysis.analyse import analyse
from lessonbook.analysis.registry import Registry, build_registry
from lessonbook.analysis.registry.checklists import not_an_action
from lessonbook.cli.project import load_project
from lessonbook.load.knowledge_base import KnowledgeBase
from lessonbook.model.problems import Problem

BUILD_DATE = dt.date(2025, 6, 1)


def lesson(lesson_id: str, date: str, body: str = "## Summary\n\nWhat happened.\n",
           **fields: Any) -> tuple[str, bytes]:
    front = {"id": lesson_id, "title": f"Lesson {lesson_id}", "type": "postmortem",
             "date": date, **fields}
    return f"{date[:4]}/{lesson_id}.md", lesson_text(front, body).encode()


def checklist(lesson_id: str, items: list[str], **fields: Any) -> tuple[str, bytes]:
    body = "## What it is for\n\nText.\n\n" + "".join(f"- [ ] {i}\n" for i in items)
    front = {"id": lesson_id, "title": f"Checklist {lesson_id}", "type": "checklist",
             "date": "2024-01-01", "trigger": "Before a failover.", **fields}
    return f"checklists/{lesson_id}.md", lesson_text(front, body).encode()


def registry_of(*sources: tuple[str, bytes]) -> tuple[KnowledgeBase, Registry]:
    kb = KnowledgeBase.from_sources(list(sources))
    return kb, build_registry(kb, BUILD_DATE)


def codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


RULE = {"id": "rule-canary", "if": "A config change ships", "then": "Canary it for 30 minutes",
        "owner": "platform"}


# --- lifecycle and history --------------------------------------------------------------------
def test_a_rule_moves_from_proposed_to_adopted_to_superseded_with_dated_events():
    _, reg = registry_of(
        lesson("pm-1", "2023-01-10", rules=[{**RULE, "status": "proposed"}]),
        lesson("pm-2", "2023-05-01", rule_updates=[{"rule": "rule-canary", "change": "adopted"}]),
        lesson("pm-3", "2024-02-01", rules=[{"id": "rule-auto", "if": "A canary fails",
                                             "then": "Roll back automatically"}],
               rule_updates=[{"rule": "rule-canary", "change": "superseded",
                              "by": "rule-auto", "note": "Automated now."}]),
    )
    rule = reg.rule_by_id["rule-canary"]
    assert [(e.change, e.lesson.id, e.date.isoformat()) for e in rule.history] == [
        ("proposed", "pm-1", "2023-01-10"), ("adopted", "pm-2", "2023-05-01"),
        ("superseded", "pm-3", "2024-02-01")]
    assert rule.status == "superseded"
    assert rule.superseded_by == "rule-auto"
    assert reg.rule_by_id["rule-auto"].supersedes == ["rule-canary"]
    assert rule.status_date == dt.date(2024, 2, 1)
    assert reg.problems == []


def test_a_retired_rule_is_retired_on_the_date_the_update_gives():
    _, reg = registry_of(
        lesson("pm-1", "2023-01-10", rules=[{**RULE, "status": "adopted"}]),
        lesson("exp-1", "2025-02-03", rule_updates=[{"rule": "rule-canary", "change": "retired",
                                                     "date": "2025-03-01"}]),
    )
    rule = reg.rule_by_id["rule-canary"]
    assert (rule.status, rule.status_date) == ("retired", dt.date(2025, 3, 1))


def test_applied_and_amended_events_build_the_rule_history_and_text_history():
    _, reg = registry_of(
        lesson("pm-1", "2023-01-10", rules=[{**RULE, "status": "adopted"}]),
        lesson("nm-1", "2024-05-21", rule_updates=[{"rule": "rule-canary", "change": "applied",
                                                    "note": "Caught a bad timeout."}]),
        lesson("pm-2", "2025-06-13", rule_updates=[{"rule": "rule-canary", "change": "amended",
                                                    "then": "Canary it for 60 minutes"}]),
    )
    rule = reg.rule_by_id["rule-canary"]
    assert [x.id for x in rule.applied_in] == ["nm-1"]
    assert [x.id for x in rule.amended_in] == ["pm-2"]
    assert rule.history[1].note == "Caught a bad timeout."
    assert rule.then == "Canary it for 60 minutes"
    assert rule.if_ == RULE["if"]
    assert [(t.then, t.lesson.id) for t in rule.texts] == [
        (RULE["then"], "pm-1"), ("Canary it for 60 minutes", "pm-2")]


def test_updates_are_replayed_in_date_order_whatever_the_file_order():
    _, reg = registry_of(
        lesson("a-late", "2025-01-01", rule_updates=[{"rule": "rule-canary",
                                                      "change": "adopted"}]),
        lesson("z-early", "2024-01-01", rule_updates=[{"rule": "rule-canary",
                                                       "change": "retired"}]),
        lesson("pm-1", "2023-01-10", rules=[{**RULE, "status": "proposed"}]),
    )
    rule = reg.rule_by_id["rule-canary"]
    assert [e.lesson.id for e in rule.history] == ["pm-1", "z-early", "a-late"]
    assert rule.status == "adopted"


def test_a_rule_without_id_gets_a_stable_id_from_its_lesson():
    _, reg = registry_of(lesson("pm-7", "2024-01-01", rules=[
        {"if": "x", "then": "y"}, {"if": "p", "then": "q"}]))
    assert [r.id for r in reg.rules] == ["pm-7-rule-1", "pm-7-rule-2"]


def test_a_rule_takes_categories_and_teams_from_its_lesson_unless_it_names_its_own():
    _, reg = registry_of(
        lesson("pm-1", "2024-01-01", categories=["capacity"], teams=["sre"],
               rules=[{**RULE}, {"id": "rule-own", "if": "x", "then": "y",
                                 "categories": ["configuration"]}]))
    assert reg.rule_by_id["rule-canary"].categories == ["capacity"]
    assert reg.rule_by_id["rule-own"].categories == ["configuration"]
    assert reg.rule_by_id["rule-own"].teams == ["sre"]


def test_a_lesson_sees_what_it_did_to_rules_declared_elsewhere():
    kb, reg = registry_of(
        lesson("pm-1", "2023-01-10", rules=[RULE]),
        lesson("nm-1", "2024-05-21", rule_updates=[{"rule": "rule-canary",
                                                    "change": "applied"}]),
    )
    assert [(r.id, e.change) for r, e in reg.rule_events_of(kb.get("nm-1"))] == [
        ("rule-canary", "applied")]
    assert reg.rule_events_of(kb.get("pm-1")) == []


# --- follow-ups -------------------------------------------------------------------------------
def test_only_open_follow_ups_due_before_the_build_date_are_overdue():
    _, reg = registry_of(lesson("pm-1", "2025-01-01", follow_ups=[
        {"action": "Past due", "due": "2025-05-31", "status": "open"},
        {"action": "Due on the build date", "due": "2025-06-01", "status": "open"},
        {"action": "Done late", "due": "2025-01-02", "status": "done"},
        {"action": "Dropped late", "due": "2025-01-02", "status": "dropped"},
        {"action": "No due date"},
    ]))
    assert {e.follow_up.action: e.state for e in reg.follow_ups} == {
        "Past due": "overdue", "Due on the build date": "open", "Done late": "done",
        "Dropped late": "dropped", "No due date": "open"}


def test_the_build_date_is_injected_and_changes_what_is_overdue():
    kb = KnowledgeBase.from_sources([lesson("pm-1", "2025-01-01", follow_ups=[
        {"action": "Ship it", "due": "2025-03-01"}])])
    assert build_registry(kb, dt.date(2025, 3, 1)).follow_ups[0].overdue is False
    assert build_registry(kb, dt.date(2025, 3, 2)).follow_ups[0].overdue is True


def test_closure_rate_is_done_over_done_and_open_leaving_dropped_out():
    _, reg = registry_of(
        lesson("pm-1", "2025-01-01", follow_ups=[
            {"action": "A", "owner": "sre", "status": "done"},
            {"action": "B", "owner": "sre", "status": "done"},
            {"action": "C", "owner": "sre", "due": "2020-01-01"},
            {"action": "D", "owner": "sre", "status": "dropped"},
            {"action": "E", "owner": "data", "status": "dropped"},
        ]))
    total = reg.closure()
    assert (total.done, total.overdue, total.open, total.dropped) == (2, 1, 0, 2)
    assert total.rate == pytest.approx(2 / 3)
    by_owner = dict(reg.closure_by_owner())
    assert by_owner["sre"].percent == "67%"
    assert by_owner["data"].rate is None


def test_a_follow_up_links_to_the_rule_or_checklist_it_produced():
    _, reg = registry_of(
        lesson("pm-1", "2024-01-01", rules=[RULE], follow_ups=[
            {"action": "Add canary", "produces": "rule-canary"},
            {"action": "Write list", "produces": "cl-failover"}]),
        checklist("cl-failover", ["Confirm lag is low"]),
    )
    assert [f.action for _, f in reg.rule_by_id["rule-canary"].produced_by] == ["Add canary"]
    assert [f.action for _, f in reg.checklist_by_id["cl-failover"].produced_by] == [
        "Write list"]


# --- checklists -------------------------------------------------------------------------------
def test_checklist_items_come_from_the_task_list_outside_code_blocks_with_lines():
    body = ("Intro\n\n- [ ] Confirm lag\n- [x] Page the owner\n  - [ ] Check the nested one\n"
            "- plain bullet\n\n```\n- [ ] not an item\n```\n")
    path, raw = lesson("cl-1", "2024-01-01", body=body, type="checklist", trigger="Before x.")
    kb, reg = registry_of((path, raw))
    items = reg.checklist_by_id["cl-1"].items
    assert [(i.text, i.checked) for i in items] == [
        ("Confirm lag", False), ("Page the owner", True), ("Check the nested one", False)]
    lines = raw.decode().split("\n")
    assert [lines[i.line - 1].strip() for i in items] == [
        "- [ ] Confirm lag", "- [x] Page the owner", "- [ ] Check the nested one"]


def test_pause_points_merge_front_matter_and_headings_without_repeats():
    body = ("### Pause point: Before promotion\n\n- [ ] Confirm lag\n\n"
            "### Pause point — After the switch\n\n- [ ] Check writes\n")
    _, reg = registry_of(lesson("cl-1", "2024-01-01", body=body, type="checklist",
                                trigger="Before x.",
                                pause_points=["Before promotion: lag under 1 s."]))
    assert reg.checklist_by_id["cl-1"].pause_points == [
        "Before promotion: lag under 1 s.", "After the switch"]


def test_a_checklist_change_log_is_sorted_and_names_its_lessons():
    _, reg = registry_of(
        lesson("aar-1", "2024-03-01"), lesson("pm-9", "2025-05-01"),
        checklist("cl-1", ["Confirm lag"], sources=["aar-1"], changes=[
            {"date": "2025-05-02", "lesson": "pm-9", "change": "Added slots."},
            {"date": "2024-04-01", "change": "First edit."}]),
    )
    cl = reg.checklist_by_id["cl-1"]
    assert [(c.date.isoformat(), c.lesson_id) for c in cl.changes] == [
        ("2024-04-01", None), ("2025-05-02", "pm-9")]
    assert [x.id for x in cl.shaped_by] == ["aar-1", "pm-9"]


@pytest.mark.parametrize("text", ["Is the backup fresh?", "The rollback plan",
                                  "A second approver", "Our runbook link"])
def test_questions_and_noun_phrases_are_not_actions(text):
    assert not_an_action(text)


@pytest.mark.parametrize("text", ["Confirm replication lag is under 1 s.", "Page the owner",
                                  "Check with `SHOW SERVERS` that nothing points to the old host",
                                  "Fence the old primary"])
def test_imperative_items_are_actions(text):
    assert not_an_action(text) is None


# --- bad input: every problem has a file and the line it is about ----------------------------
def _problem(sources: list[tuple[str, bytes]], code: str) -> tuple[Problem, list[str]]:
    kb = KnowledgeBase.from_sources(sources)
    found = [p for p in [*kb.problems, *build_registry(kb).problems] if p.code == code]
    assert len(found) == 1, [p.format() for p in [*kb.problems, *build_registry(kb).problems]]
    path = found[0].path
    raw = dict(sources)[path].decode().split("\n")
    return found[0], raw


def test_an_unknown_rule_id_is_an_error_on_its_line_with_did_you_mean():
    problem, lines = _problem([
        lesson("pm-1", "2023-01-10", rules=[RULE]),
        lesson("nm-1", "2024-05-21", rule_updates=[{"rule": "rule-canery", "change": "applied"}]),
    ], "unknown-rule")
    assert problem.is_error and problem.path == "2024/nm-1.md"
    assert lines[problem.line - 1].strip() == "- rule: rule-canery"
    assert "rule-canary" in problem.suggestion


def test_a_duplicate_rule_id_is_an_error_at_the_second_declaration():
    problem, lines = _problem([
        lesson("pm-1", "2023-01-10", rules=[RULE]),
        lesson("pm-2", "2024-01-10", rules=[{**RULE, "then": "Something else"}]),
    ], "duplicate-rule")
    assert problem.is_error and problem.path == "2024/pm-2.md"
    assert lines[problem.line - 1].strip() == "- id: rule-canary"
    assert "2023/pm-1.md" in problem.message


def test_superseded_without_by_is_an_error_on_the_update():
    problem, lines = _problem([
        lesson("pm-1", "2023-01-10", rules=[RULE]),
        lesson("pm-2", "2024-01-10", rule_updates=[{"rule": "rule-canary",
                                                    "change": "superseded"}]),
    ], "superseded-without-by")
    assert problem.is_error
    assert lines[problem.line - 1].strip() == "- rule: rule-canary"


def test_superseded_by_an_unknown_rule_is_an_error_on_the_by_line():
    problem, lines = _problem([
        lesson("pm-1", "2023-01-10", rules=[RULE, {"id": "rule-auto", "if": "x", "then": "y"}]),
        lesson("pm-2", "2024-01-10", rule_updates=[{"rule": "rule-canary", "change": "superseded",
                                                    "by": "rule-autoo"}]),
    ], "unknown-rule")
    assert lines[problem.line - 1].strip() == "by: rule-autoo"
    assert "rule-auto" in problem.suggestion


def test_an_unknown_checklist_source_is_an_error_on_its_line():
    problem, lines = _problem([
        lesson("aar-1", "2024-03-01"),
        checklist("cl-1", ["Confirm lag"], sources=["aar-2"]),
    ], "unknown-id")
    assert problem.path == "checklists/cl-1.md"
    assert lines[problem.line - 1].strip() == "- aar-2"
    assert "aar-1" in problem.suggestion


def test_an_unknown_lesson_in_a_checklist_change_is_an_error_on_its_line():
    problem, lines = _problem([
        lesson("pm-9", "2025-05-01"),
        checklist("cl-1", ["Confirm lag"], changes=[
            {"date": "2025-05-02", "lesson": "pm-99", "change": "Added slots."}]),
    ], "unknown-id")
    assert lines[problem.line - 1].strip() == "lesson: pm-99"


def test_a_checklist_with_no_items_is_an_error():
    problem, lines = _problem([checklist("cl-1", [])], "checklist-empty")
    assert problem.is_error and problem.line is not None
    assert "task list" in problem.message and "- [ ]" in problem.suggestion


def test_an_item_that_is_not_an_action_is_a_warning_on_its_line_with_the_fix():
    problem, lines = _problem([checklist("cl-1", ["Confirm lag", "Backups fresh?"])],
                              "checklist-item")
    assert not problem.is_error
    assert lines[problem.line - 1] == "- [ ] Backups fresh?"
    assert "verb" in problem.suggestion


def test_a_checklist_without_a_trigger_is_warned_about_once():
    path, raw = lesson("cl-1", "2024-01-01", body="- [ ] Confirm lag\n", type="checklist")
    kb = KnowledgeBase.from_sources([(path, raw)])
    found = [p for p in [*kb.problems, *build_registry(kb).problems] if "trigger" in p.message]
    assert len(found) == 1 and not found[0].is_error


def test_a_follow_up_producing_an_unknown_id_is_an_error_on_its_line():
    problem, lines = _problem([
        lesson("pm-1", "2023-01-10", rules=[RULE],
               follow_ups=[{"action": "Add canary", "produces": "rule-canry"}]),
    ], "unknown-produces")
    assert lines[problem.line - 1].strip() == "produces: rule-canry"
    assert "rule-canary" in problem.suggestion


@pytest.mark.parametrize("field, fix", [("if", "then"), ("then", "if")])
def test_a_rule_missing_if_or_then_is_an_error_on_the_rule(field, fix):
    rule = {k: v for k, v in RULE.items() if k != field}
    problem, lines = _problem([lesson("pm-1", "2023-01-10", rules=[rule])], "missing")
    assert problem.is_error and f"rules[1].{field}" in problem.message
    assert lines[problem.line - 1].strip() == "- id: rule-canary"


def test_a_follow_up_due_date_that_is_not_a_date_is_an_error_on_its_line():
    problem, lines = _problem([lesson("pm-1", "2023-01-10", follow_ups=[
        {"action": "Add canary", "due": "next sprint"}])], "date")
    assert lines[problem.line - 1].strip() == "due: next sprint"


def test_the_analysis_the_cli_and_build_share_reports_registry_problems_whatever_the_date():
    sources = [
        lesson("nm-1", "2024-05-21", rule_updates=[{"rule": "rule-nope", "change": "applied"}]),
        checklist("cl-1", [])]
    for day in (BUILD_DATE, None):
        problems = analyse(sources, build_date=day).problems
        registry_codes = [c for c in codes(problems) if c in ("checklist-empty", "unknown-rule")]
        assert sorted(registry_codes) == ["checklist-empty", "unknown-rule"]


def test_an_update_dated_before_its_rule_is_accepted_without_a_problem():
    _, reg = registry_of(
        lesson("pm-1", "2024-01-10", rules=[RULE]),
        lesson("nm-1", "2023-05-21", rule_updates=[{"rule": "rule-canary", "change": "applied"}]),
    )
    assert reg.problems == []
    assert [e.change for e in reg.rule_by_id["rule-canary"].history] == ["proposed", "applied"]


def test_lessonbook_check_reports_registry_problems_with_path_and_line(tmp_path, monkeypatch,
                                                                       capsys):
    (tmp_path / "mkdocs.yml").write_text("site_name: T\ndocs_dir: docs\nplugins:\n"
                                         "  - lessonbook\n", encoding="utf-8")
    bad = lesson("nm-1", "2024-05-21", rule_updates=[{"rule": "rule-canery",
                                                      "change": "applied"}])
    for rel, raw in [lesson("pm-1", "2023-01-10", rules=[RULE]), bad]:
        target = tmp_path / "docs" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(raw)
    monkeypatch.chdir(tmp_path)
    status = cli.main(["check"])
    out = capsys.readouterr().out
    line = bad[1].decode().split("\n").index("- rule: rule-canery") + 1
    assert status == 1
    assert f"docs/2024/nm-1.md:{line}: error: rule_updates names unknown rule id" in out


def test_the_example_knowledge_base_shows_the_whole_chain():
    """The issue's bar for lessons/: 6+ rules, some applied or amended later, 3+ checklists
    with change logs, follow-ups in every state including overdue, and no registry problems."""
    project = load_project(REPO / "mkdocs.yml")
    kb = KnowledgeBase.load(project.docs_dir, project.settings)
    reg = build_registry(kb, dt.date(2026, 1, 1))
    assert reg.problems == []
    assert len(reg.rules) >= 6
    assert any(r.applied_in for r in reg.rules) and any(r.amended_in for r in reg.rules)
    assert {r.status for r in reg.rules} >= {"adopted", "retired", "superseded"}
    assert sum(1 for c in reg.checklists if c.changes) >= 3
    assert {e.state for e in reg.follow_ups} == {"overdue", "open", "done", "dropped"}
