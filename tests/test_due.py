"""`lessonbook due`: what is overdue, by owner, in text, json and github formats, exit 1 when
anything is, judged from the lessons the site's audience may read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import REPO, lesson_text
from lessonbook import cli


def _write(root: Path, files: dict[str, str], plugin: str = "") -> Path:
    (root / "mkdocs.yml").write_text(
        "site_name: T\ndocs_dir: docs\nplugins:\n  - search\n  - lessonbook:\n"
        f"      exclude: [index.md]\n{plugin}", encoding="utf-8")
    for rel, content in files.items():
        target = root / "docs" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    return root


def _lesson(lesson_id: str, **fields) -> tuple[str, str]:
    front = {"id": lesson_id, "title": f"Lesson {lesson_id}", "type": "postmortem",
             "date": "2025-01-10", **fields}
    return f"2025/{lesson_id}.md", lesson_text(front)


FILES = dict([
    _lesson("pm-1", teams=["sre"], review_by="2025-05-01", follow_ups=[
        {"action": "Late action", "owner": "platform", "due": "2025-03-01"},
        {"action": "Future action", "owner": "platform", "due": "2099-01-01"},
        {"action": "Done action", "owner": "platform", "due": "2025-02-01", "status": "done"}],
        rules=[{"id": "rule-old", "if": "A pool changes", "then": "Canary it",
                "status": "adopted", "owner": "platform", "review_by": "2025-04-01"},
               {"id": "rule-aged", "if": "A cert is added", "then": "Add expiry alert",
                "status": "adopted", "owner": "security"}]),
    _lesson("pm-secret", visibility="restricted", follow_ups=[
        {"action": "Secret late action", "owner": "platform", "due": "2025-03-01"}]),
])


def due(capsys, *args: str) -> tuple[int, str]:
    status = cli.main(["due", *args])
    return status, capsys.readouterr().out


def test_due_json_lists_overdue_follow_ups_rules_and_lessons_by_owner_and_exits_1(
        tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(_write(tmp_path, FILES))
    status, out = due(capsys, "--format", "json", "--date", "2025-06-01")
    doc = json.loads(out)
    owners = {o["owner"]: [(i["kind"], i["text"]) for i in o["items"]] for o in doc["owners"]}
    assert status == 1
    assert owners == {"platform": [("follow-up", "Late action"),
                                   ("rule", "If A pool changes, then Canary it")],
                      "sre": [("lesson", "Lesson pm-1")]}
    item = doc["owners"][0]["items"][0]
    assert (item["days_overdue"], item["path"], item["lesson"]) == (92, "docs/2025/pm-1.md",
                                                                      "pm-1")


def test_a_rule_without_review_by_is_due_rule_review_days_after_adoption(
        tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(_write(tmp_path, FILES, "      rule_review_days: 100\n"))
    _, out = due(capsys, "--format", "json", "--date", "2025-06-01")
    rules = [i for o in json.loads(out)["owners"] for i in o["items"] if i["kind"] == "rule"]
    assert sorted(i["rule"] for i in rules) == ["rule-aged", "rule-old"]


def test_nothing_overdue_exits_0(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(_write(tmp_path, FILES))
    status, out = due(capsys, "--date", "2025-02-01")
    assert status == 0
    assert out.strip() == ("0 overdue as of 2025-02-01: 0 follow-ups past due, 0 rules past "
                           "review, 0 lessons past review")


def test_lessons_above_the_audience_are_not_named(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(_write(tmp_path, FILES))
    _, internal = due(capsys, "--date", "2025-06-01")
    _, restricted = due(capsys, "--date", "2025-06-01", "--audience", "restricted")
    assert "Secret late action" not in internal
    assert "Secret late action" in restricted


def test_github_format_puts_a_warning_on_the_line_that_carries_the_date(
        tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(_write(tmp_path, FILES))
    _, out = due(capsys, "--format", "github", "--date", "2025-06-01")
    text = (tmp_path / "docs/2025/pm-1.md").read_text().split("\n")
    late = next(i for i, line in enumerate(text, 1) if "Late action" in line)
    assert f"::warning file=docs/2025/pm-1.md,line={late},title=Overdue follow-up (platform)::" \
        in out


def test_text_format_groups_by_owner(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(_write(tmp_path, FILES))
    _, out = due(capsys, "--date", "2025-06-01")
    lines = out.splitlines()
    assert lines[0] == "platform (2)" and lines[3] == "sre (1)"
    assert "follow-up past due: Late action (from pm-1); due 2025-03-01, 92 days overdue" \
        in lines[1]


def test_a_missing_config_is_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["due"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_the_example_site_has_overdue_follow_ups_in_json(monkeypatch, capsys):
    monkeypatch.chdir(REPO)
    status, out = due(capsys, "--format", "json", "--date", "2026-11-22")
    doc = json.loads(out)
    assert status == 1 and doc["summary"]["follow-up"] >= 1
    items = [i for o in doc["owners"] for i in o["items"]]
    assert "rule-canary-config-changes" in {i["rule"] for i in items if i["kind"] == "rule"}
    assert [i["lesson"] for i in items if i["kind"] == "lesson"] == ["pm-2023-003"]


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_every_format_reports_the_same_count(tmp_path, monkeypatch, capsys, fmt):
    monkeypatch.chdir(_write(tmp_path, FILES))
    _, out = due(capsys, "--format", fmt, "--date", "2025-06-01")
    assert "3 overdue as of 2025-06-01" in out or json.loads(out)["summary"]["total"] == 3
