"""A focused similarity index (`lessonbook review`) gives its focus lessons exactly the links
the whole index gives them: same lessons, order, scores and reasons, whatever the settings."""

from __future__ import annotations

import random
import sys
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO
from lessonbook.analysis.analyse import analyse
from lessonbook.analysis.similarity import SimilarityIndex, SimilarSettings
from lessonbook.load.sources import Source

sys.path.insert(0, str(REPO / "benchmarks"))
import synthetic  # noqa: E402

VARIANTS = {
    "site defaults": SimilarSettings(),
    "no neighbour support": SimilarSettings(neighbour_weight=0.0),
    "not mutual, no drop": SimilarSettings(mutual=False, max_drop=0.0, count=7),
    "loose": SimilarSettings(min_score=0.05, min_relative=0.2, candidates=14),
    "collection bar": SimilarSettings(collection_quantile=0.8),
    "no margin": SimilarSettings(margin=0.0),
}


@cache
def lessons() -> tuple:
    rng = random.Random(3)
    corpus = synthetic.Corpus(rng)
    sources = [Source(*(lambda rel, text: (rel, text.encode()))(
        *synthetic.full_lesson(i, rng, corpus))) for i in range(300)]
    return tuple(analyse(sources).kb.lessons)


@cache
def whole(variant: str) -> SimilarityIndex:
    return SimilarityIndex(lessons(), VARIANTS[variant])


def _records(index: SimilarityIndex, lesson_id: str) -> list[tuple]:
    return [(x.id, x.score, x.reasons, x.why) for x in index.similar(lesson_id)]


@settings(max_examples=25, deadline=None)
@given(variant=st.sampled_from(sorted(VARIANTS)),
       picks=st.lists(st.integers(0, 299), min_size=1, max_size=3, unique=True))
def test_a_focused_index_gives_its_lessons_the_whole_indexs_links(variant, picks):
    focus = [lessons()[i].id for i in picks]
    focused = SimilarityIndex(lessons(), VARIANTS[variant], focus=focus)
    for lesson_id in focus:
        assert _records(focused, lesson_id) == _records(whole(variant), lesson_id)


def test_a_focused_index_knows_no_links_outside_its_focus():
    focus = lessons()[0].id
    focused = SimilarityIndex(lessons(), focus=[focus])
    others = [x.id for x in lessons()[1:40] if whole("site defaults").similar(x.id)]
    assert others and all(focused.similar(x) == [] for x in others)
