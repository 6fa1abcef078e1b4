"""Lessons travel from worker processes as cheaply as their content allows: the key paths of
their line numbers are shared between lessons, and stay correct when the table of them is
full."""

from __future__ import annotations

import pickle
import random
import sys

from conftest import REPO
from lessonbook.load.parsing import LessonLoader, SourceDocument, loaders, parse_source, simple

sys.path.insert(0, str(REPO / "benchmarks"))
from bench_check import lesson as bench_lesson  # noqa: E402


def _documents(count: int) -> list[SourceDocument]:
    rng = random.Random(8)
    return [parse_source(bench_lesson(i, rng).encode(), f"pm-{i}.md") for i in range(1, count)]


def test_equal_key_paths_of_different_lessons_are_one_object():
    first, second = _documents(3)
    paths = {path: path for path in first.lines}
    shared = [path for path in second.lines if path in paths]
    assert len(shared) > 40
    assert all(paths[path] is path for path in shared)
    assert ("follow_ups", 1, "due") in shared


def test_lessons_pickled_together_come_back_with_the_same_line_numbers():
    documents = _documents(30)
    again = pickle.loads(pickle.dumps(documents, protocol=pickle.HIGHEST_PROTOCOL))
    assert [d.lines for d in again] == [d.lines for d in documents]
    assert [d.meta for d in again] == [d.meta for d in documents]


def test_key_paths_are_right_when_the_shared_table_is_full(monkeypatch):
    monkeypatch.setattr(simple, "_PATHS", {})
    monkeypatch.setattr(simple, "_MAX_PATHS", 5)
    bounded = _documents(4)
    assert len(simple._PATHS) == 5
    monkeypatch.setattr(simple, "_MAX_PATHS", 10_000)
    monkeypatch.setattr(simple, "_PATHS", {})
    assert [d.lines for d in bounded] == [d.lines for d in _documents(4)]


def test_a_remembered_plain_scalar_tag_is_the_tag_pyyaml_resolves(monkeypatch):
    import yaml

    monkeypatch.setattr(loaders, "_PLAIN_TAGS", {})
    loader = LessonLoader("")
    fast = loaders._FastLessonLoader("")
    values = ["title", "true", "True", "yes", "no", "on", "1", "-1", "0x1F", "0o7", "1_000",
              "1.5", ".inf", "-.Inf", ".nan", "null", "Null", "~", "", "2025-01-01",
              "2025-01-01 10:00:00", "<<", "=", "SEV1", "x" * 60, "12" * 30]
    for _ in range(2):  # cold, then remembered
        for value in values:
            for implicit in ((True, False), (False, True)):
                assert (fast.resolve(yaml.ScalarNode, value, implicit)
                        == loader.resolve(yaml.ScalarNode, value, implicit)), (value, implicit)
    assert "x" * 60 not in loaders._PLAIN_TAGS and "title" in loaders._PLAIN_TAGS
