"""`lessonbook check` catches a lesson that still holds its template's text: placeholder
sentences, tips, example rows, sections left as written. The placeholders are read from the
project's templates/ and the scaffold's built-in template; a warning, an error under --strict."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO, lesson_text
from lessonbook import cli
from lessonbook.model.kinds import all_kinds

FRONT = {"id": "pm-1", "title": "Pool change", "type": "postmortem", "date": "2025-01-10",
         "follow_ups": [{"action": "Alert on pool wait", "owner": "sre", "due": "2025-02-01"}]}


def _project(root: Path, templates: dict[str, str] | None = None) -> Path:
    (root / "mkdocs.yml").write_text(
        "site_name: T\ndocs_dir: lessons\nplugins:\n  - lessonbook\n", encoding="utf-8")
    (root / "lessons").mkdir()
    if templates is not None:
        (root / "templates").mkdir()
        for name, text in templates.items():
            (root / "templates" / name).write_text(text, encoding="utf-8")
    return root


def _repo_templates() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in (REPO / "templates").glob("*.md")}


def check(capsys, *args: str) -> tuple[int, list[str]]:
    status = cli.main(["check", *args])
    out = capsys.readouterr().out
    return status, [line for line in out.splitlines() if ": warning: " in line
                    or ": error: " in line]


@pytest.mark.parametrize("kind", [k for k in all_kinds()])
def test_an_untouched_scaffold_warns_once_for_each_template_section_and_fails_strict(
        tmp_path, monkeypatch, capsys, kind):
    """Whatever a kind's template holds, each of its body headings is one warning when the
    lesson is committed as `lessonbook new` wrote it."""
    _project(tmp_path, _repo_templates())
    monkeypatch.chdir(tmp_path)
    assert cli.main(["new", kind.key, "Checkout timeouts after a pool change"]) == 0
    capsys.readouterr()
    template = (REPO / "templates" / kind.scaffold).read_text(encoding="utf-8")
    body = template.split("\n---\n", 1)[1]
    headings = re.findall(r"^#{1,6} (.+)$", body, re.M)
    status, problems = check(capsys)
    left = [p for p in problems if "as the template left it" in p]
    assert status == 0 and len(left) == len(headings), problems
    assert not [p for p in problems if "placeholder text from the template" in p]
    assert check(capsys, "--strict")[0] == 1


def test_a_placeholder_line_left_in_a_written_section_is_reported_on_its_line(
        tmp_path, monkeypatch, capsys):
    _project(tmp_path, _repo_templates())
    body = ("## Summary\n\nThe pool was halved by a config change.\n\n*Two or three paragraphs: "
            "what happened, how it was noticed, how it ended. Someone outside the team should "
            "follow it.*\n")
    (tmp_path / "lessons" / "pm-1.md").write_text(lesson_text(FRONT, body), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    status, problems = check(capsys)
    assert status == 0 and problems == [
        "lessons/pm-1.md:15: warning: placeholder text from the template is still here: 'Two or "
        "three paragraphs: what happened, how it was noticed, how it ...' (replace it with what "
        "happened, or delete the line)"]


def test_placeholders_are_read_from_the_projects_own_templates(tmp_path, monkeypatch, capsys):
    ours = "---\ntitle: x\n---\n\n## Blast radius\n\n*Describe the blast radius here.*\n"
    body = "## Blast radius\n\n*Describe the blast radius here.*\n\n## Summary\n\nReal text.\n"
    _project(tmp_path, {"postmortem.md": ours})
    (tmp_path / "lessons" / "pm-1.md").write_text(lesson_text(FRONT, body), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _, problems = check(capsys)
    assert [p.split(": warning: ")[1][:40] for p in problems] == [
        "section 'Blast radius' is as the templat"]
    (tmp_path / "templates" / "postmortem.md").unlink()
    assert check(capsys)[1] == []  # not a template sentence any more: the author's own


def test_the_built_in_scaffold_counts_without_a_templates_folder(tmp_path, monkeypatch, capsys):
    _project(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["new", "postmortem", "Pool change"]) == 0
    capsys.readouterr()
    _, problems = check(capsys)
    assert any("section 'Summary' is as the template left it" in p for p in problems)


def test_the_example_lessons_hold_no_template_text(monkeypatch, capsys):
    monkeypatch.chdir(REPO)
    assert not [p for p in check(capsys)[1] if "template" in p]


def test_a_missing_title_suggests_the_one_the_file_name_implies(tmp_path, monkeypatch, capsys):
    _project(tmp_path)
    front = {k: v for k, v in FRONT.items() if k != "title"}
    path = tmp_path / "lessons" / "pm-2026-001-checkout-timeouts-after-a-pool-change.md"
    path.write_text(lesson_text(front), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _, problems = check(capsys)
    assert problems[0].endswith("missing required field 'title' (add 'title: Checkout timeouts "
                                "after a pool change' (from the file name))")
