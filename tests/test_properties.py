"""Property-based: whatever front-matter a file holds, parse → validate → render never raises
and stays fast. Random YAML values, keys (the model's and made-up ones), nesting and Unicode;
plus raw YAML-ish text for the parser. Bounded so the suite stays fast (a few seconds)."""

from __future__ import annotations

import time
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lessonbook.analysis.taxonomy import Taxonomy
from lessonbook.load.knowledge_base import KnowledgeBase
from lessonbook.load.parsing import parse_source
from lessonbook.model.fields import LESSON_FIELDS, PASSTHROUGH_KEYS
from lessonbook.site.exports import dumps, lessons_document
from lessonbook.site.search import material_search_text, pagefind_fields, search_document
from lessonbook.site.views import SiteView

BOUNDED = settings(max_examples=80, deadline=None, derandomize=True,
                   suppress_health_check=[HealthCheck.too_slow])
PER_FILE_SECONDS = 1.0

KEYS = st.sampled_from([spec.name for spec in LESSON_FIELDS] + sorted(PASSTHROUGH_KEYS)
                       + ["if", "then", "action", "due", "owner", "risk"]) | st.text(max_size=12)
SCALARS = (st.text(max_size=40) | st.integers() | st.floats() | st.booleans() | st.none()
           | st.dates().map(str) | st.sampled_from(["postmortem", "aar", "SEV1", "2025-02-30",
                                                    "lessonbook/lesson.html", "../x", "1h 5m"]))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(KEYS, inner, max_size=4), max_leaves=25)
FRONT = st.fixed_dictionaries(
    {}, optional={"title": st.text(max_size=60), "type": st.sampled_from(
        ["postmortem", "aar", "near-miss", "premortem", "experiment", "checklist", "x"]),
        "date": st.dates().map(str)}).flatmap(
    lambda base: st.dictionaries(KEYS, VALUES, max_size=8).map(lambda extra: {**extra, **base}))


def render_everything(path: str, raw: bytes) -> None:
    """The core's whole path for one file: parse, validate, index, and every view a page or
    an export renders from a lesson."""
    kb = KnowledgeBase.from_sources([(path, raw)])
    for problem in kb.problems:
        problem.format()
    taxonomy = Taxonomy(kb.lessons, kb.settings)
    urls = {(page.dimension.key, page.value): page.src_uri for page in taxonomy.all_pages()}
    view = SiteView(kb, taxonomy, lambda lesson: f"lessons/{lesson.id}/", urls)
    for lesson in kb.lessons:
        view.card(lesson)
        view.lesson_sections(lesson)
        pagefind_fields(lesson, view.url(lesson))
        search_document(lesson, "<p>body</p>", view.url(lesson))
        material_search_text(lesson)
    dumps(lessons_document(kb.lessons, view.url))


def timed(path: str, raw: bytes) -> None:
    started = time.perf_counter()
    render_everything(path, raw)
    assert time.perf_counter() - started < PER_FILE_SECONDS


@BOUNDED
@given(FRONT, st.text(max_size=200))
def test_any_front_matter_mapping_is_rendered_or_reported_never_raised(front: dict[str, Any],
                                                                      body: str) -> None:
    text = yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
    timed("lessons/x.md", f"---\n{text}---\n{body}".encode())


TOKENS = st.sampled_from(list("[]{}:-?&*!|>'\"#%@`,. \n\t\\") + [
    "a", "1", "é", "日", "\u2028", "\ufeff", "<<: ", "!!", "&a ", "*a", "---", "...", "  - "])
YAMLISH = st.lists(TOKENS, max_size=60).map("".join)


@BOUNDED
@given(YAMLISH)
def test_any_yaml_text_parses_or_is_reported_never_raised(text: str) -> None:
    doc = parse_source(f"---\ntitle: T\n{text}\n---\nBody\n".encode(), "x.md")
    assert doc.meta is not None or doc.problems
    timed("x.md", f"---\ntitle: T\ntype: aar\ndate: 2025-01-02\n{text}\n---\n".encode())


@BOUNDED
@given(st.text(min_size=1, max_size=80), st.lists(st.text(max_size=300), max_size=3))
def test_any_file_name_title_and_tags_give_a_lesson_or_a_problem(name: str, tags: list[str]
                                                                ) -> None:
    path = "lessons/" + name.replace("/", "_").replace("\x00", "") + ".md"
    front = {"title": name, "type": "postmortem", "date": "2025-01-02", "tags": tags}
    timed(path, f"---\n{yaml.safe_dump(front, allow_unicode=True)}---\n".encode())
