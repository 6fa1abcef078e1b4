"""A kind is one entry in model/kinds.py plus its templates: validated, scaffolded, listed and
rendered without touching any other code."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import build, lesson_text, write_site
from lessonbook import cli
from lessonbook.authoring.json_schema import lesson_schema
from lessonbook.load.knowledge_base import KnowledgeBase
from lessonbook.model import kinds
from lessonbook.model.fields import FieldSpec

DRILL = kinds.Kind(
    "drill", "Incident drill", "drl", "A rehearsed incident, and what the rehearsal showed.",
    "drill.md", block="drill",
    fields=(FieldSpec("scenario", "text", "What was simulated.", required=True),
            FieldSpec("surprise", "text", "What nobody expected.")),
    block_template="lessonbook/kinds/drill.html", section_id="the-drill",
    section_title="The drill")

BLOCK_TEMPLATE = """<div class="lb-panel drill-block">
  <h2 id="{{ section.id }}">{{ section.title }}</h2>
  <p>Scenario: {{ d.scenario }}</p>{% if d.surprise %}<p>Surprise: {{ d.surprise }}</p>{% endif %}
</div>
"""


@pytest.fixture
def with_drill(monkeypatch):
    monkeypatch.setattr(kinds, "KIND_TABLE", [*kinds.KIND_TABLE, DRILL])


def drill(title: str = "Failover drill", **block: str) -> str:
    return lesson_text({"title": title, "type": "drill", "date": "2026-02-03",
                        "drill": block or {"scenario": "primary lost"}})


def test_a_new_kind_is_validated_by_its_own_fields(with_drill):
    kb = KnowledgeBase.from_sources([
        ("ok.md", drill().encode()),
        ("bad.md", drill(surprise="only this").encode()),
        ("wrong.md", lesson_text({"title": "P", "type": "postmortem", "date": "2026-01-01",
                                  "drill": {"scenario": "x"}}).encode())])
    assert [x.id for x in kb.lessons] == ["ok", "wrong"]
    assert [p.message for p in kb.problems if p.path == "bad.md"] == [
        "missing required field 'drill.scenario'"]
    assert any(p.code == "wrong-kind" for p in kb.problems if p.path == "wrong.md")
    assert "drill" in lesson_schema(kind="drill")["properties"]


def test_a_new_kind_is_scaffolded_from_its_template(with_drill, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "drill.md").write_text(
        "---\ntitle: x\ntype: drill\ndate: 2026-01-01\ndrill:\n  scenario: TODO\n---\n\n"
        "## What we rehearsed\n", encoding="utf-8")
    assert cli.main(["new", "drill", "Region failover drill", "--date", "2026-02-03",
                     "--dir", "lessons", "--templates", "templates"]) == 0
    written = Path(capsys.readouterr().out.strip())
    text = written.read_text(encoding="utf-8")
    assert written.name.startswith("drl-2026-001-") and "## What we rehearsed" in text
    assert KnowledgeBase.load(tmp_path / "lessons").lessons[0].kind == "drill"


def test_a_new_kind_is_listed_and_rendered_with_its_section_in_the_toc(with_drill, tmp_path):
    page = drill(scenario="primary lost", surprise="DNS <cache>")
    config = write_site(tmp_path, {"2026/drl-1.md": page},
                        extra_config={"theme": {"name": "material", "font": False,
                                                "custom_dir": "overrides"}})
    block = tmp_path / "overrides" / "lessonbook" / "kinds" / "drill.html"
    block.parent.mkdir(parents=True)
    block.write_text(BLOCK_TEMPLATE, encoding="utf-8")
    site = build(config, strict=True)
    assert site.ok, site.log
    page = site.html("2026/drl-1/")
    assert '<h2 id="the-drill">The drill</h2>' in page
    assert "Scenario: primary lost" in page and "DNS &lt;cache&gt;" in page
    assert 'href="#the-drill"' in page  # table of contents entry
    assert "Incident drill" in site.html("kinds/drill/")
    assert "Failover drill" in site.html("lessons/")
