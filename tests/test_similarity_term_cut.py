"""Each lesson keeps its `max_terms` strongest terms, ties at the cut broken alphabetically,
whichever way the cut is computed (all rows at once, or by name where ties overflow it):
checked against the whole vector sorted in plain Python."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from lessonbook.analysis.similarity import SimilarityIndex, SimilarSettings
from test_similarity import make

WORDS = ["alpha", "bravo", "cache", "delta", "echo", "fetch", "gamma", "heap", "index", "joins",
         "kafka", "lock", "mutex", "node", "oauth", "proxy"]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=30), min_size=3,
                max_size=12), st.integers(1, 6))
def test_each_lesson_keeps_its_strongest_terms_and_ties_at_the_cut_go_alphabetically(
        bodies, limit):
    lessons = [make(f"l{i}", f"Lesson {i}", " ".join(words)) for i, words in enumerate(bodies)]
    whole = SimilarityIndex(lessons, SimilarSettings(max_terms=10**6, template_words=0))
    cut = SimilarityIndex(lessons, SimilarSettings(max_terms=limit, template_words=0))
    for lesson in lessons:
        full = whole.vector(lesson.id)
        strongest = sorted(full, key=lambda term: (-full[term], term))[:limit]
        assert sorted(cut.vector(lesson.id)) == sorted(strongest)
