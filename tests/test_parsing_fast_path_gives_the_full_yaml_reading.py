"""The one-walk reader of common front-matter gives exactly what the full path gives: values,
line numbers and problems (the full path walks the nodes three times and is kept for everything
unusual)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CORPUS, REPO
from lessonbook.load.parsing import SourceDocument, parse_source, split_front_matter
from lessonbook.load.parsing.simple import load_simple

TRICKY = [
    "title: T\ntags: [a, b]\n",
    "count: 12\nratio: 0.5\nhex: 0x1F\noct: 0o17\nflag: true\nnothing: ~\nempty:\n",
    "big: 1_000_000\ninf: .inf\nnan_value: .NaN\nsexagesimal: 1:30\nneg: -3\n",
    "1: one\n~: none\ntrue: yes\n'1': quoted\n",
    "title: A\ntitle: B\nnested:\n  x: 1\n  x: 2\n",
    "list:\n  - a\n  -\n    - deep\n    - {k: v, k2: [1, 2]}\n  - k: v\n",
    "anchor: &a {x: 1}\ncopy: *a\nmore: [*a, *a]\n",
    "base: &b {x: 1}\nmerged:\n  <<: *b\n  y: 2\n",
    "tagged: !!str 12\nnum: !!int '7'\nbad: !!int x\n",
    "when: !!timestamp 2025-01-01\nnever: !!timestamp 2025-02-30\n",
    "custom: !thing x\n",
    "? [a, b]\n: complex key\n",
    "= : value key\n",
    "long: 123456789012345678901234567890123456789\n",
    "- not\n- a mapping\n",
    "just text\n",
    "title: [unclosed\n",
    "a: &x [*x]\n",
    "date: 2025-02-30\nyes_no: [no, on, yes, NO]\nbools: [True, FALSE]\n",
    "ünïcode: ✓\n'quoted key': \"a\\tb\"\nfolded: >-\n  one\n  two\n",
    "deep: " + "[" * 20 + "]" * 20 + "\n",
    "visibility: restricted\ntags: [a]\nvisibility: public\nid: a\nid: b\n",
    "{type: postmortem, type: aar, date: 2025-01-01, date: 2025-01-02, draft: true}\n",
    "rules:\n  - id: r1\n    if: a\n    id: r2\n  - {id: r3, id: r4, then: b, then: c}\n",
    "follow_ups:\n  - action: a\n    action: b\n    visibility: x\n    visibility: y\n",
    "wide: [" + ", ".join(["*a"] * 10) + "]\nanchor: &a [1, 2]\n",
]


def _full_path(raw: bytes, path: str) -> SourceDocument:
    return parse_source(raw, path, one_walk=False)


def _same(raw: bytes, path: str) -> None:
    fast, full = parse_source(raw, path), _full_path(raw, path)
    assert (fast.meta, fast.lines, fast.problems, fast.body, fast.body_line) == (
        full.meta, full.lines, full.problems, full.body, full.body_line), path


@pytest.mark.parametrize("front", TRICKY)
def test_unusual_front_matter_reads_the_same_on_both_paths(front):
    _same(f"---\n{front}---\nBody\n".encode(), "x.md")


def test_the_example_lessons_read_the_same_on_both_paths():
    files = sorted((REPO / "lessons").rglob("*.md"))
    assert files
    for file in files:
        _same(file.read_bytes(), file.name)


def test_the_shared_corpus_reads_the_same_on_both_paths():
    files = sorted(Path(CORPUS).rglob("*.md")) if CORPUS.is_dir() else []
    if not files:
        pytest.skip("shared corpus not available")
    for file in files:
        _same(file.read_bytes(), file.name)


def test_every_example_lesson_takes_the_one_walk_path():
    """Otherwise the comparisons above would compare the full path with itself."""
    fronts = [split_front_matter(file.read_text(encoding="utf-8"))[0]
              for file in sorted((REPO / "lessons").rglob("*.md"))]
    lessons = [front for front in fronts if front is not None]  # guide pages have none
    assert len(lessons) > 10
    assert all(load_simple(front, "x.md") is not None for front in lessons)
