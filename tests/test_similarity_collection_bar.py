"""The collection-relative bar (`SimilarSettings.collection_quantile`, issue #23, off by
default) decides only which links are confident: it never adds or drops a link of the list a
page shows (a link it demotes moves down into the folded "possibly related" tier), and its bar
is the stated quantile of the collection's candidate scores."""

from __future__ import annotations

import random
import sys
from functools import cache

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO
from lessonbook.analysis.analyse import analyse
from lessonbook.analysis.similarity import SimilarityIndex, SimilarSettings
from lessonbook.load.sources import Source

sys.path.insert(0, str(REPO / "benchmarks"))
import synthetic  # noqa: E402


@cache
def lessons(seed: int) -> tuple:
    rng = random.Random(seed)
    corpus = synthetic.Corpus(rng)
    sources = [Source(rel, text.encode()) for rel, text in
               (synthetic.full_lesson(i, rng, corpus) for i in range(120))]
    return tuple(analyse(sources).kb.lessons)


def _shown(index: SimilarityIndex, lesson_id: str) -> list[tuple[str, float, str]]:
    return [(x.id, x.score, x.tier) for x in index.similar(lesson_id)]


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 3), quantile=st.sampled_from([0.3, 0.6, 0.8, 0.95]))
def test_the_collection_bar_only_moves_links_from_confident_to_possibly_related(seed, quantile):
    kb = lessons(seed)
    plain = SimilarityIndex(kb)
    barred = SimilarityIndex(kb, SimilarSettings(collection_quantile=quantile))
    for lesson in kb:
        before, after = _shown(plain, lesson.id), _shown(barred, lesson.id)
        assert sorted((i, s) for i, s, _ in after) == sorted((i, s) for i, s, _ in before)
        confident_after = {i for i, _, tier in after if tier == "confident"}
        assert confident_after <= {i for i, _, tier in before if tier == "confident"}


def test_a_confident_link_scores_at_least_the_collections_quantile():
    kb = lessons(0)
    candidates = SimilarityIndex(kb, SimilarSettings(possible=True))
    scores = [x.score for lesson in kb for x in candidates.similar(lesson.id)]
    bar = float(np.quantile(scores, 0.8))
    barred = SimilarityIndex(kb, SimilarSettings(collection_quantile=0.8))
    links = [x for lesson in kb for x in barred.similar(lesson.id)]
    assert any(x.tier == "confident" for x in links)
    assert all(x.score >= bar for x in links if x.tier == "confident")
    assert any(x.tier == "possible" and x.score < bar for x in links)


def test_collection_quantile_set_in_mkdocs_yml_reaches_the_ranking_and_is_checked():
    from lessonbook.analysis.analyse import similar_settings
    from lessonbook.model.options import parse_options

    options, problems = parse_options({"similar": {"collection_quantile": 0.8}})
    assert not [p for p in problems if p.is_error]
    assert similar_settings(options).collection_quantile == 0.8
    _, problems = parse_options({"similar": {"collection_quantile": 1.5}})
    assert [p.name for p in problems if p.is_error] == ["similar.collection_quantile"]
