"""The blameless lint: each rule fires on what it is for, and stays quiet on ordinary text."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import lesson_text
from lessonbook.analysis.lint import LintOptions, lint_lessons
from lessonbook.load.knowledge_base import KnowledgeBase
from lessonbook.model.problems import Problem

FOLLOW_UP = {"action": "Add a canary stage", "owner": "platform", "due": "2025-04-01"}


def lint(front: dict[str, Any], body: str = "## Summary\n\nWhat happened.\n",
         options: LintOptions | None = None, teams: tuple[str, ...] = ()) -> list[Problem]:
    base = {"title": "Checkout timeouts", "type": "postmortem", "date": "2025-03-04",
            "follow_ups": [FOLLOW_UP]}
    base.update(front)
    kb = KnowledgeBase.from_sources([("2025/pm-1.md", lesson_text(base, body).encode())])
    assert kb.lessons, kb.problems
    return lint_lessons(kb.lessons, options, teams)


def line_of(text: str, front: dict[str, Any], body: str = "## Summary\n\nWhat happened.\n"
            ) -> int:
    """1-based line of the first line containing text in the file lint() writes."""
    base = {"title": "Checkout timeouts", "type": "postmortem", "date": "2025-03-04",
            "follow_ups": [FOLLOW_UP], **front}
    lines = lesson_text(base, body).split("\n")
    return next(i for i, line in enumerate(lines, 1) if text in line)


def codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


def test_a_clean_postmortem_has_no_lint_warnings():
    assert lint({"contributing_factors": ["The pool change shipped before the replicas"]}) == []


@pytest.mark.parametrize("factor", ["Human error", "operator error during the deploy",
                                    "Carelessness"])
def test_human_error_as_a_contributing_factor_is_warned_with_a_rewrite(factor):
    problems = lint({"contributing_factors": [factor]})
    assert codes(problems) == ["blame-cause"]
    assert problems[0].line == line_of(factor, {"contributing_factors": [factor]})
    assert "conditions" in (problems[0].suggestion or "")


def test_human_error_under_a_root_cause_heading_is_warned():
    body = "## Root cause\n\nHuman error.\n"
    assert codes(lint({}, body)) == ["blame-cause"]


def test_human_error_discussed_in_the_narrative_is_not_a_cause():
    body = "## Summary\n\nWe did not stop at human error; we asked why the tool allowed it.\n"
    assert lint({}, body) == []


@pytest.mark.parametrize("sentence", ["The operator should have known the flag was live.",
                                      "It was negligent to skip the review.",
                                      "She failed to check the dashboard.",
                                      "The on-call engineer failed to page the database team.",
                                      "We blame the release process."])
def test_blame_language_in_the_body_is_warned_on_its_line(sentence):
    body = f"## Summary\n\nFirst line.\n{sentence}\n"
    problems = lint({}, body)
    assert codes(problems) == ["blame-language"]
    assert problems[0].line == line_of(sentence, {}, body)


@pytest.mark.parametrize("sentence", ["A failed deploy left two pods on the old version.",
                                      "The job failed to start after the node drained.",
                                      "The health check failed, and the pod restarted.",
                                      "We run a blameless review within five days.",
                                      "We ran git blame on the config file.",
                                      "Careful rollouts need a canary.",
                                      "The alert should have fired at 14:02 but was muted."])
def test_ordinary_words_are_not_blame_language(sentence):
    assert lint({}, f"## Summary\n\n{sentence}\n") == []


def test_blame_words_in_code_blocks_are_ignored():
    body = "## Summary\n\n```\nerror: worker failed to connect\nblame: none\n```\n"
    assert lint({}, body) == []


def test_blame_language_in_the_summary_field_is_warned():
    assert codes(lint({"summary": "The team was careless with the rollout."})) == \
        ["blame-language"]


def test_the_blame_word_list_is_configurable():
    options = LintOptions(blame_words=("cowboy",))
    body = "## Summary\n\nA cowboy change. They should have known.\n"
    problems = lint({}, body, options)
    assert [p.message.split("'")[1] for p in problems] == ["cowboy"]


def test_an_email_owner_is_warned():
    problems = lint({"follow_ups": [dict(FOLLOW_UP, owner="ana@example.com")]})
    assert codes(problems) == ["person-named"]
    assert "e-mail" in problems[0].message


def test_a_handle_owner_is_warned():
    assert codes(lint({"follow_ups": [dict(FOLLOW_UP, owner="@ana-k")]})) == ["person-named"]


def test_an_owner_that_looks_like_a_name_is_warned():
    assert codes(lint({"follow_ups": [dict(FOLLOW_UP, owner="Ana Kowalski")]})) == \
        ["person-named"]


@pytest.mark.parametrize("owner", ["platform", "Platform Team", "Release Captain", "SRE",
                                   "checkout-team", "Incident Commander"])
def test_role_and_team_owners_are_not_names(owner):
    assert lint({"follow_ups": [dict(FOLLOW_UP, owner=owner)]}) == []


def test_allowed_names_and_known_teams_are_not_warned():
    follow_ups = [dict(FOLLOW_UP, owner="Blue Falcon"), dict(FOLLOW_UP, owner="Night Owls")]
    assert lint({"follow_ups": follow_ups}, options=LintOptions(allowed_names=("Blue Falcon",)),
                teams=("night owls",)) == []


def test_handles_and_emails_in_the_timeline_are_one_warning_naming_them():
    body = "## Timeline\n\n- 14:02 @ana rolls back\n- 14:05 bob@example.com pages SRE\n"
    [problem] = lint({}, body)
    assert problem.code == "person-named"
    assert "'@ana'" in problem.message and "'bob@example.com'" in problem.message


def test_roles_and_times_in_the_timeline_are_fine():
    body = "## Timeline\n\n- 14:02 On-call SRE rolls back\n- 14:05 Incident declared at SEV2\n"
    assert lint({}, body) == []


def test_a_postmortem_without_follow_ups_is_warned():
    assert codes(lint({"follow_ups": []})) == ["no-follow-ups"]


def test_a_near_miss_without_follow_ups_is_fine():
    assert lint({"type": "near-miss", "follow_ups": []}) == []


def test_an_open_follow_up_without_owner_or_due_is_warned():
    problems = lint({"follow_ups": [{"action": "Add a canary stage"}]})
    assert codes(problems) == ["follow-up-incomplete"]
    assert "no owner and no due date" in problems[0].message


def test_a_done_follow_up_without_a_due_date_is_fine():
    assert lint({"follow_ups": [{"action": "Add a canary", "owner": "sre", "status": "done"}]}) \
        == []


def checklist(items_per_section: list[int]) -> str:
    return "".join(f"## Pause point {n}\n\n" + "".join(f"- [ ] Step {i}\n" for i in range(k))
                   for n, k in enumerate(items_per_section))


def test_a_checklist_far_beyond_nine_items_is_warned():
    problems = lint({"type": "checklist", "trigger": "Before a failover"}, checklist([20]))
    assert codes(problems) == ["checklist-long"]
    assert "20 items" in problems[0].message


def test_checklists_with_short_pause_points_are_fine():
    assert lint({"type": "checklist", "trigger": "Before a failover"}, checklist([9, 9, 9])) == []


def test_the_lint_can_be_turned_off():
    assert lint({"follow_ups": [], "contributing_factors": ["Human error"]},
                options=LintOptions(enabled=False)) == []


IMPORTED = {"imported_from": {"source": "postmortems/pm-1.md", "date": "2026-01-05"}}


def test_an_imported_lessons_follow_ups_without_owner_give_one_warning_not_one_each():
    actions = [{"action": f"Action {i}"} for i in range(5)] + [
        {"action": "Done already", "status": "done"}]
    problems = lint({**IMPORTED, "follow_ups": actions})
    assert codes(problems) == ["follow-up-incomplete"]
    assert "5 of 6 imported follow-ups" in problems[0].message


def test_an_imported_lesson_whose_follow_ups_are_all_done_or_owned_is_not_warned():
    actions = [{"action": "Done", "status": "done"}, FOLLOW_UP]
    assert lint({**IMPORTED, "follow_ups": actions}) == []


TIMELINE = "## Timeline\n\n| Time | Event |\n| --- | --- |\n"


@pytest.mark.parametrize("row", [
    "| 08:39 | Emil notified team via slack |",
    "| 09:15 | John evaluated two repositories |",
    "| 10:40 | Ross was assigned for the investigation |",
    "| 16:29 | (Lloyd Middleton) Common task board created |",
    "| 11:45 | Jan and John discussed a collaboration |",
])
def test_people_named_in_the_timeline_are_warned(row):
    problems = lint({}, TIMELINE + row + "\n")
    assert codes(problems) == ["person-named"]
    assert "names people" in problems[0].message


def test_all_names_in_a_lesson_come_in_one_warning_with_their_lines():
    body = TIMELINE + "| 08:39 | Emil notified the team |\n| 09:00 | Audun asked the SRE |\n"
    problems = lint({}, body)
    assert codes(problems) == ["person-named"]
    assert "'Emil'" in problems[0].message and "'Audun'" in problems[0].message
    assert problems[0].line == line_of("Emil notified", {}, body)


@pytest.mark.parametrize("row", [
    "| 10:03 | Developer notified us of an issue with logging |",
    "| 10:05 | PagerDuty notified the on-call engineer |",
    "| 10:06 | CPU and Memory looked fine |",
    "| 10:07 | Logs investigated on nodes for clues |",
    "| 10:08 | We notified the payments team |",
    "| 10:09 | Platform Team was notified |",
    "| 10:10 | Prometheus fails to start after upgrade |",
    "| 10:11 | Grafana Agent ran on the unhealthy node (high memory) |",
])
def test_tools_roles_and_teams_doing_things_are_not_people(row):
    assert lint({}, TIMELINE + row + "\n") == []


def test_a_name_the_site_allows_is_not_warned():
    options = LintOptions(allowed_names=("Hermes",))
    assert lint({}, TIMELINE + "| 10:00 | Hermes notified the on-call |\n", options) == []


def test_a_determiner_as_the_subject_is_not_a_person_named():
    """"None asked the general question" in a real example: a pronoun, not a name."""
    body = "## What went wrong\n\nEach lesson added a check. None asked the general question.\n"
    assert "person-named" not in codes(lint({}, body))
