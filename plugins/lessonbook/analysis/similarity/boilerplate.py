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
    where = np.flatnonzero(is_word[raw])
    if length <= 0 or len(where) < length:
        return covered
    words = raw[where].astype(np.uint64)
    owner = lesson[where]
    count = len(words) - length + 1
    key = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(length):
            key = key * _PRIME + words[offset:offset + count] + np.uint64(1)
    same = owner[:count] == owner[length - 1:]
    starts = np.flatnonzero(same)
    if not len(starts):
        return covered
    key, owner_of = key[starts], owner[starts]
    order = np.argsort(key, kind="stable")  # stable: lessons stay ascending within a key
    key_sorted, owner_sorted = key[order], owner_of[order]
    new_key = np.ones(len(order), dtype=bool)
    new_key[1:] = key_sorted[1:] != key_sorted[:-1]
    new_pair = new_key.copy()
    new_pair[1:] |= owner_sorted[1:] != owner_sorted[:-1]
    run = np.cumsum(new_key) - 1
    lessons_per_key = np.bincount(run, weights=new_pair).astype(np.int64)
    common = np.zeros(len(order), dtype=bool)
    common[order] = lessons_per_key[run] >= docs
    if not common.any():
        return covered
    flagged = np.zeros(len(words) + 1, dtype=np.int64)
    first = starts[common]
    np.add.at(flagged, first, 1)
    np.add.at(flagged, first + length, -1)
    in_run = np.cumsum(flagged[:-1]) > 0
    covered[where[in_run]] = True
    return covered
