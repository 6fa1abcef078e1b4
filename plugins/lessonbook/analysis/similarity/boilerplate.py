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
from collections.abc import Iterator

import numpy as np

_PRIME = np.uint64(0x9E3779B97F4A7C15)


def min_docs(n: int, floor: int) -> int:
    """How many lessons a run must occur in to count as the collection's boilerplate: at least
    `floor` (3: two reports sharing a sentence may well share the incident), and √N / 2 in a
    large collection (50 of 10,000), where a family of related incidents can repeat a phrase."""
    return max(floor, math.ceil(math.sqrt(n) / 2))


def repeated(raw: np.ndarray, is_word: np.ndarray, lesson: np.ndarray, length: int,
             docs: int, runs_at_a_time: int = 0, shift: int = 0) -> np.ndarray:
    """A mask over `raw` (raw-word ids in corpus order, `lesson` the lesson of each position,
    shifted right by `shift` bits: the caller's array of texts serves without a copy): True
    where a word lies in a run of `length` words found in at least `docs` lessons.

    Every run is hashed (a polynomial over the word ids, built by doubling), and the hashes
    are counted in buckets by their top bits: a run found in `docs` lessons fills its bucket
    at least that much, so only the runs of crowded buckets (a small share of the corpus)
    are sorted and have their lessons counted exactly. No sort of every run (at 10,000
    lessons: 0.5 s -> 0.2 s of CPU, the same mask), and no array of every run's hash: the
    runs are hashed twice, a slice at a time, once to fill the buckets and once to pick the
    crowded ones. ``runs_at_a_time``: runs hashed in one pass (0: :data:`SLICE`); the mask
    does not depend on it, only the working memory."""
    step = runs_at_a_time or SLICE
    covered = np.zeros(len(raw), dtype=bool)
    if length <= 0:
        return covered
    where = _word_positions(raw, is_word, step)
    if len(where) < length:
        return covered
    count = len(where) - length + 1
    # Buckets a quarter as full as a run must be: an unrepeated run rarely shares a crowded
    # one, and the counts stay small enough for the processor's cache.
    bits = min(max(math.ceil(math.log2(4 * count / max(docs, 1))), 10), 22)
    top = np.uint64(64 - bits)
    filled = np.zeros(1 << bits, dtype=np.int64)
    for _, key in _hashes(raw, where, length, count, step):
        filled += np.bincount((key >> top).view(np.int64), minlength=1 << bits)
    crowded = filled >= docs
    del filled
    picked, keys = [], []
    for start, key in _hashes(raw, where, length, count, step):
        hit = np.flatnonzero(crowded[(key >> top).view(np.int64)])
        picked.append(hit + start)
        keys.append(key[hit])
    candidate, key = np.concatenate(picked), np.concatenate(keys)
    del picked, keys, crowded
    if not len(candidate):
        return covered
    owner = lesson[where[candidate]] >> shift
    inside = owner == lesson[where[candidate + (length - 1)]] >> shift  # a run within a lesson
    candidate, owner, key = candidate[inside], owner[inside], key[inside]
    # lessons per run: distinct (run, lesson) pairs, then pairs per run
    order = np.lexsort((owner, key))
    sorted_key, sorted_owner = key[order], owner[order]
    new_pair = np.ones(len(order), dtype=bool)
    new_pair[1:] = (sorted_key[1:] != sorted_key[:-1]) | (sorted_owner[1:] != sorted_owner[:-1])
    runs, lessons = np.unique(sorted_key[new_pair], return_counts=True)
    common = runs[lessons >= docs]
    if not len(common):
        return covered
    starts = candidate[np.isin(key, common)]
    for offset in range(length):
        covered[where[starts + offset]] = True
    return covered


def _word_positions(raw: np.ndarray, is_word: np.ndarray, step: int) -> np.ndarray:
    """The positions of `raw` that hold words (not breaks), found a slice at a time into one
    array: int32 where they fit (one entry per word of the collection, half the memory of
    numpy's int64), and no other array of them all on the way."""
    kind = np.int32 if len(raw) < 2**31 else np.int64
    starts = range(0, len(raw), step)
    where = np.empty(sum(int(np.count_nonzero(is_word[raw[lo:lo + step]])) for lo in starts),
                     dtype=kind)
    at = 0
    for lo in starts:
        found = np.flatnonzero(is_word[raw[lo:lo + step]])
        part = where[at:at + len(found)]
        part[:] = found
        part += lo
        at += len(found)
    return where


SLICE = 1 << 20
"""Runs hashed at a time: the hashing's working arrays stay a few times 8 MB, however large
the collection (hashed whole, they were four arrays of every word: 240 MB at 10,000
lessons, the similarity process's peak; kept whole, the hashes were 8 bytes a word). A
run's hash reads its own words only, so the hashes are the same either way."""


def _hashes(raw: np.ndarray, where: np.ndarray, length: int, count: int, step: int
            ) -> Iterator[tuple[int, np.ndarray]]:
    """(first run, hashes) for the runs of `length` words starting at each of the first
    `count` positions of `where` (ids from `raw`), `step` runs at a time."""
    for start in range(0, count, step):
        stop = min(start + step, count)
        words = raw[where[start:stop + length - 1]].astype(np.uint64)
        words += np.uint64(1)
        yield start, _run_hashes(words, length)


def _run_hashes(words: np.ndarray, length: int) -> np.ndarray:
    """The hash of the run of `length` words at each position that starts one, the sum of
    words[s + j] · P^(length - 1 - j) modulo 2^64, built by doubling (a run of 2k words is two
    runs of k), so about 2·log2(length) passes over the corpus instead of 2·length."""
    n = len(words)
    key: np.ndarray | None = None
    span = 0  # words the runs in `key` hold
    part, size = words, 1  # `part`: the runs of `size` words (never written to)
    todo = length
    with np.errstate(over="ignore"):
        while True:
            if todo & 1:  # extend each run in `key` by the run of `size` words after it
                if key is None:
                    key = part.copy()
                else:
                    valid = n - span - size + 1
                    key[:valid] *= _power(size)
                    key[:valid] += part[span:span + valid]
                span += size
            todo >>= 1
            if not todo:
                break
            doubled = part[:n - 2 * size + 1] * _power(size)
            doubled += part[size:]
            part, size = doubled, size * 2
    assert key is not None
    return key[:n - length + 1]


def _power(exponent: int) -> np.uint64:
    return np.uint64(pow(int(_PRIME), exponent, 1 << 64))
