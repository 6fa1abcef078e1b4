"""The term matrix is plain tf-idf over the lessons' words (and word pairs), however its work is
sliced: checked against a count in plain Python, and slice by slice against the whole."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from lessonbook.analysis.similarity import SimilarSettings
from lessonbook.analysis.similarity.terms import TermMatrix
from lessonbook.analysis.similarity.text import raw_words, term_of, told_in
from test_similarity import make

WORDS = ["alpha", "bravo", "cache", "delta", "echo", "fetch", "gamma", "heap", "index", "joins",
         "kafka", "lock", "mutex", "node", "oauth", "proxy", "."]
"""Words of no stop list, and a sentence break (which ends a word pair)."""

texts = st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join)
lessons_strategy = st.lists(st.tuples(texts, st.one_of(st.none(), texts), texts),
                            min_size=2, max_size=9)


def plain_tf_idf(lessons, s: SimilarSettings) -> list[dict[str, float]]:
    """Weighted counts (title, summary, body), one lesson at a time in Python; then
    (1 + log tf) · log(N / df) for terms in more than one lesson, unit length."""
    counts = []
    for lesson in lessons:
        summary = "" if told_in(lesson.summary, lesson.body) else lesson.summary
        tf: Counter[str] = Counter()
        for text, weight in ((lesson.title, s.title_weight), (summary, s.summary_weight),
                             (lesson.body, 1.0)):
            terms = [term_of(raw, s) for raw in raw_words(text or "")] + [None]
            for term in terms:
                if term is not None:
                    tf[term] += weight
            if s.bigrams:
                for a, b in zip(terms, terms[1:], strict=False):
                    if a is not None and b is not None:
                        tf[f"{a} {b}"] += weight
        counts.append(tf)
    df = Counter(term for tf in counts for term in tf)
    n = len(lessons)
    vectors = []
    for tf in counts:
        vector = {t: (1 + math.log(c)) * math.log(n / df[t]) for t, c in tf.items()
                  if df[t] > 1 and math.log(n / df[t]) > 0}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        vectors.append({t: v / norm for t, v in vector.items()})
    return vectors


def vectors_of(matrix: TermMatrix) -> list[dict[str, float]]:
    rows = []
    for pos in range(matrix.matrix.shape[0]):
        cols, data = matrix.row(pos)
        rows.append({matrix.term_text(int(c)): float(v)
                     for c, v in zip(cols.tolist(), data.tolist(), strict=True)})
    return rows


@settings(max_examples=60, deadline=None)
@given(lessons_strategy, st.booleans(), st.integers(1, 50))
def test_the_term_weights_are_plain_tf_idf_of_words_and_word_pairs(texts_, bigrams, slice_size):
    lessons = [make(f"l{i}", title, body, summary=summary or "")
               for i, (title, summary, body) in enumerate(texts_)]
    s = SimilarSettings(max_terms=10**6, template_words=0, bigrams=bigrams)
    got = vectors_of(TermMatrix(lessons, s, slice_size=slice_size))
    for mine, expected in zip(got, plain_tf_idf(lessons, s), strict=True):
        assert mine.keys() == expected.keys()
        for term, value in expected.items():
            assert math.isclose(mine[term], value, rel_tol=1e-9, abs_tol=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.booleans(), st.integers(1, 12), st.integers(1, 300))
def test_the_matrix_does_not_depend_on_the_size_of_a_slice(seed, bigrams, max_terms,
                                                           slice_size):
    # Lessons of very different lengths (a long tail), a template some of them share and a
    # cut that most rows overflow: every sliced pass (runs hashed, occurrences packed, rows
    # cut in groups of similar length) gives the whole pass's matrix, bit for bit.
    rng = np.random.default_rng(seed)
    words = WORDS[:-1]
    template = "what went well . what went wrong . kafka node proxy lock"
    lessons = []
    for i in range(int(rng.integers(4, 14))):
        size = int(rng.choice([3, 20, 200]))
        body = " ".join(rng.choice(WORDS, size=size).tolist())
        if rng.random() < 0.5:
            body = f"{template} . {body}"
        lessons.append(make(f"l{i}", " ".join(rng.choice(words, size=3).tolist()), body))
    s = SimilarSettings(max_terms=max_terms, template_words=3, template_docs=3,
                        bigrams=bigrams)
    whole = TermMatrix(lessons, s)
    sliced = TermMatrix(lessons, s, slice_size=slice_size)
    assert np.array_equal(whole.codes, sliced.codes)
    for name in ("indptr", "indices", "data"):
        assert np.array_equal(getattr(whole.matrix, name), getattr(sliced.matrix, name))
