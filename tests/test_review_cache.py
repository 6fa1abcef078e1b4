"""The review cache's JSON gives back exactly the lesson and problems it was given, for any
front-matter validation accepts, and can build nothing but lesson records."""

from __future__ import annotations

import dataclasses
import json

import pytest
import yaml
from hypothesis import given

from conftest import REPO
from lessonbook.analysis.change_review.lesson_json import (
    decode,
    decode_lesson,
    decode_problem,
    encode,
    encode_problem,
    load_lesson,
    store_lesson,
)
from lessonbook.load.knowledge_base import KnowledgeBase
from lessonbook.load.sources import Source
from lessonbook.model.lesson import Lesson
from test_properties import BOUNDED, FRONT


def _same(lesson) -> None:  # noqa: ANN001
    text = json.dumps(encode(lesson))
    back = decode_lesson(json.loads(text))
    assert type(back) is type(lesson)
    assert json.dumps(encode(back)) == text  # NaN-safe equality of every field
    assert back.date == lesson.date and back.follow_ups == lesson.follow_ups
    stored = load_lesson(*store_lesson(lesson))  # as the cache keeps it: the body beside
    assert json.dumps(encode(stored)) == text


def test_every_example_lesson_and_problem_comes_back_the_same():
    kb = KnowledgeBase.load(REPO / "lessons")
    assert kb.lessons
    for lesson in kb.lessons:
        _same(lesson)
    for problem in kb.problems:
        assert decode_problem(json.loads(json.dumps(encode_problem(problem)))) == problem


@BOUNDED
@given(FRONT)
def test_any_valid_lesson_comes_back_the_same(front):
    text = yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
    kb = KnowledgeBase.from_sources([Source("x.md", f"---\n{text}---\nBody\n".encode())])
    for lesson in kb.lessons:
        _same(lesson)


@pytest.mark.parametrize("document", [
    {"$Path": "/etc/passwd"}, {"$os.system": "true"}, {"$Lesson": {"id": "x"}},
    {"$FollowUp": {"action": "x", "evil": 1}}, {"$FollowUp": ["x"]},
    {"$Lesson": ["x"] * 200},
])
def test_a_cache_file_can_build_only_lesson_records(document):
    with pytest.raises(ValueError):
        decode(document)
    with pytest.raises(ValueError):
        load_lesson(json.dumps(document), "Body")


@pytest.mark.parametrize("field, value", [
    ("meta", {"$os.system": "true"}), ("meta", {"x": {"$Path": "/etc"}}),
    ("lines", {"$keys": [["id", 2]]}), ("lines", {"$keys": [[["id", 1.5], 2]]}),
    ("follow_ups", [{"$FollowUp": ["x"]}]), ("date", {"$date": 20}),
    ("details", {"$map": [[["list", "key"], 1]]}), ("tags", {"$tuple": "ab"}),
])
def test_a_stored_lesson_with_a_hostile_value_inside_is_refused(field, value):
    """Decoded as it is parsed, every object inside a stored lesson is checked as the top."""
    kb = KnowledgeBase.load(REPO / "lessons")
    text, body = store_lesson(kb.lessons[0])
    document = json.loads(text)
    names = [f.name for f in dataclasses.fields(Lesson)]
    document["$Lesson"][names.index(field)] = value
    with pytest.raises((ValueError, TypeError)):
        load_lesson(json.dumps(document), body)
