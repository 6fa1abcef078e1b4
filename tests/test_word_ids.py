"""Words kept as ids between runs (the review cache) give the term matrix a fresh scan gives:
the same vocabulary in the same order, the same columns, the same weights to the last bit,
whatever order the kept texts were scanned in and whatever else the word list holds."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from lessonbook.analysis.similarity import SimilarSettings, raw_words
from lessonbook.analysis.similarity.terms import TermMatrix
from lessonbook.analysis.similarity.word_ids import WordIds
from lessonbook.model.lesson import Lesson

WORDS = ["pool", "pools", "exhausted", "checkout", "retry", "retries", "the", "db", "timeout",
         "cert", "expired", "@alice", "Alice", "15:36", "queue", "lag", "replica", "canary"]
TEXT = st.lists(st.sampled_from([*WORDS, ".", "\n", ",", "```\nlog line\n```"]),
                max_size=40).map(" ".join)
LESSONS = st.lists(st.tuples(TEXT, TEXT, TEXT), min_size=2, max_size=8)


def _lessons(texts: list[tuple[str, str, str]]) -> list[Lesson]:
    return [Lesson(id=f"l-{i:02d}", title=title, kind="postmortem", date=dt.date(2024, 1, 1),
                   path=f"l-{i:02d}.md", body=body, summary=summary)
            for i, (title, summary, body) in enumerate(texts)]


def _same(a: TermMatrix, b: TermMatrix) -> None:
    assert a.vocab.raws == b.vocab.raws
    assert a.vocab.terms == b.vocab.terms
    assert np.array_equal(a.codes, b.codes)
    assert np.array_equal(a.df, b.df) and np.array_equal(a.raw_counts, b.raw_counts)
    assert a.people == b.people
    assert np.array_equal(a.matrix.indptr, b.matrix.indptr)
    assert np.array_equal(a.matrix.indices, b.matrix.indices)
    assert a.matrix.data.tobytes() == b.matrix.data.tobytes()


@settings(max_examples=60, deadline=None)
@given(LESSONS, st.lists(TEXT, max_size=4), st.randoms(use_true_random=False),
       st.booleans())
def test_kept_word_ids_give_the_fresh_scans_term_matrix(texts, others, random, bigrams):
    lessons = _lessons(texts)
    similar = SimilarSettings(bigrams=bigrams, template_words=3, template_docs=2)
    kept = WordIds()
    earlier = [t + "\n" for lesson in texts for t in lesson] + [t + "\n" for t in others]
    earlier.append("\n")  # a summary the body already tells is scanned as empty
    random.shuffle(earlier)
    for text in earlier:  # an earlier run, in another order, with texts since deleted
        kept.ids(text)
    _same(TermMatrix(lessons, similar, kept), TermMatrix(lessons, similar))
    assert kept.scanned == len(set(earlier))  # the second run scanned nothing again


def test_a_text_kept_as_ids_reads_back_as_its_words():
    kept = WordIds()
    text = "Pool exhausted; retries. The pool!\n"
    ids = kept.ids(text)
    assert [kept.lexicon[i] for i in ids.tolist()] == raw_words(text)
    assert kept.lexicon.count("pool") == 1
