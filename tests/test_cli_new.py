"""`lessonbook new`: predictable paths, fresh ids, safe YAML, never an overwrite."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from lessonbook import cli
from lessonbook.load.knowledge_base import KnowledgeBase
from lessonbook.load.parsing import parse_source

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A folder with mkdocs.yml (docs_dir: lessons) and the repository's templates."""
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: T\ndocs_dir: lessons\nplugins:\n  - lessonbook\n", encoding="utf-8")
    (tmp_path / "lessons").mkdir()
    templates = tmp_path / "templates"
    templates.mkdir()
    for template in (REPO / "templates").glob("*.md"):
        (templates / template.name).write_text(template.read_text(encoding="utf-8"),
                                               encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def new(capsys, *args: str) -> tuple[int, str, str]:
    status = cli.main(["new", *args])
    out, err = capsys.readouterr()
    return status, out.strip(), err.strip()


def meta(path: str) -> dict:
    doc = parse_source(Path(path).read_bytes(), path)
    assert doc.meta is not None, doc.problems
    return doc.meta


def test_new_writes_the_lesson_at_year_id_slug_and_prints_the_path(project, capsys):
    status, out, _ = new(capsys, "postmortem", "Checkout timeouts after a pool change",
                         "--date", "2026-03-04")
    assert status == 0
    assert out == "lessons/2026/pm-2026-001-checkout-timeouts-after-a-pool-change.md"
    assert Path(out).is_file()


def test_new_fills_id_title_type_date_team_and_service(project, capsys):
    _, out, _ = new(capsys, "near-miss", "Certificate nearly expired", "--date", "2026-01-02",
                    "--team", "identity", "--service", "login")
    found = meta(out)
    assert (found["id"], found["title"], found["type"], found["date"]) == \
        ("nm-2026-001", "Certificate nearly expired", "near-miss", "2026-01-02")
    assert (found["teams"], found["services"]) == (["identity"], ["login"])


@pytest.mark.parametrize("kind", ["postmortem", "aar", "near-miss", "premortem", "experiment",
                                  "checklist"])
def test_every_kind_scaffolds_a_lesson_the_knowledge_base_accepts(project, capsys, kind):
    _, out, _ = new(capsys, kind, "A first lesson", "--date", "2026-05-06")
    kb = KnowledgeBase.load(project / "lessons")
    assert [p for p in kb.problems if p.is_error] == []
    assert [lesson.kind for lesson in kb.lessons] == [kind]


def test_a_hostile_title_stays_data(project, capsys):
    title = 'Deploy: "broke" it\'s <script>alert(1)</script> # not a comment'
    _, out, _ = new(capsys, "pm", title)
    assert meta(out)["title"] == title
    body = parse_source(Path(out).read_bytes(), out).body
    assert "<script>" not in body


def test_the_same_title_twice_gets_the_next_id_and_leaves_the_first_file(project, capsys):
    _, first, _ = new(capsys, "pm", "Same title", "--date", "2026-02-02")
    before = Path(first).read_bytes()
    Path(first).write_bytes(before + b"\nEdited.\n")
    _, second, _ = new(capsys, "pm", "Same title", "--date", "2026-02-02")
    assert (meta(first)["id"], meta(second)["id"]) == ("pm-2026-001", "pm-2026-002")
    assert Path(first).read_bytes() == before + b"\nEdited.\n"


def test_ids_continue_after_existing_lessons_whatever_their_file_names(project, capsys):
    (project / "lessons" / "old.md").write_text(
        "---\nid: pm-2026-041\ntitle: Old\ntype: postmortem\ndate: 2026-01-01\n---\nBody\n",
        encoding="utf-8")
    _, out, _ = new(capsys, "pm", "Next one", "--date", "2026-03-01")
    assert meta(out)["id"] == "pm-2026-042"


def test_an_unknown_kind_is_one_line_with_a_suggestion(project, capsys):
    status, out, err = new(capsys, "postmortm", "Title")
    assert status == 2 and out == ""
    assert "unknown kind 'postmortm'" in err and "did you mean 'postmortem'" in err
    assert len(err.splitlines()) == 1


def test_a_title_without_words_is_a_one_line_error(project, capsys):
    status, _, err = new(capsys, "pm", "!!! ???")
    assert status == 2
    assert "no letters or digits" in err and len(err.splitlines()) == 1
    assert list((project / "lessons").iterdir()) == []


def test_a_bad_date_is_a_one_line_error(project, capsys):
    status, _, err = new(capsys, "pm", "Title", "--date", "2026-02-30")
    assert status == 2 and "not an ISO date" in err


def test_without_templates_a_built_in_skeleton_is_used(project, capsys):
    status, out, _ = new(capsys, "experiment", "Faster builds", "--templates", "missing")
    assert status == 2
    for template in (project / "templates").iterdir():
        template.unlink()
    status, out, err = new(capsys, "experiment", "Faster builds")
    assert status == 0 and "built-in" in err
    assert meta(out)["type"] == "experiment"


def test_a_template_without_placeholders_still_gets_its_fields(project, capsys):
    (project / "templates" / "aar.md").write_text(
        "---\n# an AAR\ntitle: Replace me\ntype: aar\nteams:\n  - someone\n---\n\n# {{title}}\n",
        encoding="utf-8")
    _, out, _ = new(capsys, "aar", "Game day <one>", "--team", "sre", "--date", "2026-04-01")
    text = Path(out).read_text(encoding="utf-8")
    assert meta(out) == {"id": "aar-2026-001", "title": "Game day <one>", "type": "aar",
                              "date": "2026-04-01", "teams": ["sre"]}
    assert "# Game day &lt;one&gt;" in text
    assert yaml.safe_load(text.split("---")[1])["teams"] == ["sre"]


def test_a_japanese_title_is_accepted_and_named_in_its_own_script(project, capsys):
    status, out, _ = new(capsys, "pm", "決済タイムアウト障害", "--date", "2026-03-04")
    assert status == 0
    assert out.endswith("lessons/2026/pm-2026-001-決済タイムアウト障害.md")
    assert meta(out)["title"] == "決済タイムアウト障害"
