"""What a collection repeats across its lessons (a template, stock sentences) carries no weight,
and what two reports merely share does: checked against a plain-Python reference."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from lessonbook.analysis.similarity.boilerplate import repeated


def reference(docs: list[list[int]], length: int, min_docs: int) -> list[list[bool]]:
    """Word by word: inside a run of `length` words that occurs in >= min_docs documents."""
    seen: dict[tuple[int, ...], set[int]] = {}
    for d, words in enumerate(docs):
        for i in range(len(words) - length + 1):
            seen.setdefault(tuple(words[i:i + length]), set()).add(d)
    out = []
    for words in docs:
        mask = [False] * len(words)
        for i in range(len(words) - length + 1):
            if len(seen[tuple(words[i:i + length])]) >= min_docs:
                for j in range(i, i + length):
                    mask[j] = True
        out.append(mask)
    return out


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(1, 4), max_size=14), min_size=1, max_size=7),
       st.integers(1, 4), st.integers(1, 4), st.integers(0, 9), st.booleans())
def test_words_in_a_run_repeated_across_enough_lessons_are_the_ones_dropped(docs, length,
                                                                           min_docs, step,
                                                                           by_text):
    # raw id 0 is a sentence break: not a word, ignored by runs (a heading and its sentence
    # are one run), so breaks are sprinkled in and must never be marked
    raw, lesson, words_only = [], [], []
    for d, words in enumerate(docs):
        for i, w in enumerate(words):
            raw.append(w)
            lesson.append(d)
            if i % 3 == 2:
                raw.append(0)
                lesson.append(d)
        words_only.append(words)
    is_word = np.array([False, True, True, True, True])
    # by_text: positions named by text (lesson · 4 + part, as the term matrix passes them)
    texts = [d * 4 + i % 3 for i, d in enumerate(lesson)] if by_text else lesson
    mask = repeated(np.array(raw, dtype=np.int64), is_word, np.array(texts, dtype=np.int64),
                    length, min_docs, runs_at_a_time=step,  # a few runs hashed at a time, or 0
                    shift=2 if by_text else 0)
    expected = [m for doc in reference(words_only, length, min_docs) for m in doc]
    got = [bool(m) for m, r in zip(mask.tolist(), raw, strict=True) if r != 0]
    assert got == expected
    assert not any(m for m, r in zip(mask.tolist(), raw, strict=True) if r == 0)


def test_a_template_shared_by_many_reports_is_dropped_and_a_sentence_two_share_is_kept():
    from lessonbook.analysis.similarity import SimilarityIndex, SimilarSettings
    from test_similarity import make

    template = ("What went well: list of things that went well, for example. What went "
                "wrong: things that could have gone better, ideally with tickets filed. ")
    lessons = [make(f"x{i}", f"Report {i}", template + f"the word{i} failed") for i in range(6)]
    lessons += [make("a", "Quota", "the storage quota was exhausted and uploads were throttled"),
                make("b", "Quota again", "the storage quota was exhausted and uploads were "
                                         "throttled")]
    index = SimilarityIndex(lessons)
    assert "ideally" not in index.vector("x0") and "filed" not in index.vector("x0")
    assert "quota" in index.vector("a") and "throttled" in index.vector("a")
    counted = SimilarityIndex(lessons, SimilarSettings(template_words=0))
    assert "ideally" in counted.vector("x0")


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 9), st.integers(2, 12), st.integers(3, 60),
       st.sampled_from([0, 1, 97, 1000]))
def test_runs_are_counted_exactly_in_a_collection_large_enough_to_share_hash_buckets(
        seed, length, min_docs, vocabulary, step):
    # Thousands of runs: distinct runs share the hash buckets the counting filters by, and a
    # template copied into some lessons is found among them, as the plain count finds it.
    rng = np.random.default_rng(seed)
    template = rng.integers(1, vocabulary + 1, size=length + 3).tolist()
    docs = []
    for _ in range(int(rng.integers(20, 60))):
        words = rng.integers(1, vocabulary + 1, size=int(rng.integers(0, 300))).tolist()
        if rng.random() < 0.4:
            at = int(rng.integers(0, len(words) + 1))
            words[at:at] = template
        docs.append(words)
    raw = [w for words in docs for w in words]
    lesson = [d for d, words in enumerate(docs) for _ in words]
    is_word = np.ones(vocabulary + 1, dtype=bool)
    mask = repeated(np.array(raw, dtype=np.int32), is_word, np.array(lesson, dtype=np.int32),
                    length, min_docs, runs_at_a_time=step)
    expected = [m for doc in reference(docs, length, min_docs) for m in doc]
    assert mask.tolist() == expected
