"""What a collection repeats across its documents carries no weight: template headings and
instructions left in, stock sentences, boilerplate, sign-offs.

Found by document frequency, not by a list: every run of `length` consecutive words (stop words
included, punctuation and line breaks ignored, so a heading and the template sentence under it
are one run) is hashed; a run that occurs in at least `min_docs` lessons is the organisation's
writing, not the incident's, and every word it covers is dropped before counting. Numbers and
dates differ between reports, so a timeline row never repeats; a sentence copied between two
reports only (a follow-up quoting its predecessor) is kept.
"""

from __future__ import annotations

import math

import numpy as np

_PRIME = np.uint64(0x9E3779B97F4A7C15)


def min_docs(n: int, floor: int) -> int:
    """How many lessons a run must occur in to count as the collection's boilerplate: at least
    `floor` (3: two reports sharing a sentence may well share the incident), and √N / 2 in a
    large collection (50 of 10,000), where a family of related incidents can repeat a phrase."""
    return max(floor, math.ceil(math.sqrt(n) / 2))


def repeated(raw: np.ndarray, is_word: np.ndarray, lesson: np.ndarray, length: int,
             docs: int) -> np.ndarray:
    """A mask over `raw` (raw-word ids in corpus order, `lesson` the lesson of each position):
    True where a word lies in a run of `length` words found in at least `docs` lessons."""
    covered = np.zeros(len(raw), dtype=bool)
    small = np.int32 if len(raw) < 2**31 else np.int64  # positions and lessons
    where = np.flatnonzero(is_word[raw]).astype(small)
    if length <= 0 or len(where) < length:
        return covered
    # Every array here has one entry per word of the collection (six million at 10,000
    # lessons): each is let go once used, and positions and lessons are int32, so the peak
    # holds a few of them rather than all (this was the build's largest peak outside
    # Pagefind: 150 MB at 2,000 lessons, 108 MB now).
    n_words = len(where)
    words = raw[where].astype(np.uint64)
    owner = lesson[where].astype(small)
    count = n_words - length + 1
    key = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(length):
            key *= _PRIME
            key += words[offset:offset + count]
            key += np.uint64(1)
    del words
    starts = np.flatnonzero(owner[:count] == owner[length - 1:]).astype(small)
    if not len(starts):
        return covered
    key, owner_of = key[starts], owner[starts]
    del owner
    # Runs seen at least `docs` times at all are few: count lessons for those alone (one plain
    # sort of the keys instead of an argsort of everything: a third of the time at 10,000).
    frequent = _frequent(key, docs)
    if not len(frequent):
        return covered
    at = np.minimum(np.searchsorted(frequent, key), len(frequent) - 1)
    candidate = np.flatnonzero(frequent[at] == key)
    pair = np.unique(np.stack([at[candidate], owner_of[candidate]]), axis=1)
    lessons_per_key = np.bincount(pair[0], minlength=len(frequent))
    common = np.zeros(len(key), dtype=bool)
    common[candidate] = lessons_per_key[at[candidate]] >= docs
    if not common.any():
        return covered
    first = starts[common]
    del key, owner_of, at, candidate, common, starts
    flagged = (np.bincount(first, minlength=n_words + length)
               - np.bincount(first + length, minlength=n_words + length))
    in_run = np.cumsum(flagged[:n_words]) > 0
    covered[where[in_run]] = True
    return covered


def _frequent(key: np.ndarray, docs: int) -> np.ndarray:
    """The distinct keys found at least ``docs`` times, sorted (the sorted copy and its run
    bounds are let go on return)."""
    ordered = np.sort(key)
    boundary = np.flatnonzero(ordered[1:] != ordered[:-1]) + 1
    run_start = np.concatenate(([0], boundary))
    del boundary
    run_size = np.diff(np.concatenate((run_start, [len(ordered)])))
    return ordered[run_start[run_size >= docs]]
