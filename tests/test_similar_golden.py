"""The similar links are a product promise: a change to similarity, speed work included, shows
up here as a changed golden file, on the example site and on 1,000 synthetic lessons. Update the
golden files (LESSONBOOK_UPDATE_GOLDEN=1) only for a change you meant, and say why."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from conftest import REPO
from lessonbook.analysis.analyse import analyse
from lessonbook.cli.project import load_project
from lessonbook.load.sources import read_sources

GOLDEN = Path(__file__).parent / "golden"


def _links(analysis) -> dict[str, list[str]]:
    """Lesson → its links in order; a folded "possibly related" one as "possible: <id>"."""
    return {x.id: [link.id if link.tier == "confident" else f"possible: {link.id}"
                   for link in analysis.similar.similar(x.id)]
            for x in sorted(analysis.kb.lessons, key=lambda x: x.id)}


def _check(name: str, value: object) -> None:
    path = GOLDEN / name
    text = json.dumps(value, indent=1, sort_keys=True) + "\n"
    if os.environ.get("LESSONBOOK_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert json.loads(path.read_text(encoding="utf-8")) == value


def test_the_example_sites_similar_links_are_the_golden_ones():
    project = load_project(REPO / "mkdocs.yml")
    analysis = analyse(read_sources(project.docs_dir, project.settings), project.options)
    _check("example-similar.json", _links(analysis))


def test_a_synthetic_thousand_lessons_get_the_golden_similar_links():
    sys.path.insert(0, str(REPO / "benchmarks"))
    from synthetic import lesson_sources

    analysis = analyse(lesson_sources(1000, seed=7))
    _check("synthetic-1000-similar.json", _links(analysis))
