"""Every pair's score: the text cosine and the field overlaps as a weighted mean, computed as
sparse matrix products in row blocks (never a Python loop over pairs); each block's best
candidates go to selection.Candidates."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy import sparse

from ...model.lesson import Lesson
from .fields import FIELDS, rarity, values
from .selection import Candidates
from .settings import DEFAULT_WEIGHTS, SimilarSettings


def score_pairs(lessons: Sequence[Lesson], text: sparse.csr_matrix, settings: SimilarSettings,
                banned: dict[int, set[int]], block: int = 0,
                focus: Sequence[int] | None = None) -> Candidates:
    """The candidates of every lesson (before the bars): a weighted mean of the text cosine
    and of the field overlaps both lessons fill in; `banned` pairs are never candidates.
    ``focus`` (positions; `lessonbook review`): score only the rows those lessons' links
    depend on — their own, their candidates' (neighbour support) and those candidates'
    candidates (the mutual bar) — about a hundred rows instead of all N.
    ``block``: rows scored at a time (0: as many as fit :data:`BLOCK_CELLS`); the candidates
    do not depend on it, only the working memory."""
    found = Candidates(lessons, settings)
    s = settings
    n = len(lessons)
    block = block or rows_per_block(n)
    weights = {**DEFAULT_WEIGHTS, **dict(s.weights)}
    fields = [(name, weights.get(name, 0.0), *field_matrix(lessons, name))
              for name in FIELDS if weights.get(name, 0.0) > 0
              and any(values(x, name) for x in lessons)]
    w_text = weights.get("text", 0.0)
    text_t = text.T.tocsr()
    # The weight total of a pair depends only on which fields both fill in: one small table
    # indexed by (pattern of lesson a) & (pattern of lesson b), summed in field order.
    pattern = np.zeros(n, dtype=np.int64)
    for bit, (*_, filled) in enumerate(fields):
        pattern |= filled.astype(np.int64) << bit
    table = []
    for combo in range(1 << len(fields)):
        total = w_text
        for bit, (_, weight, *_) in enumerate(fields):
            total += weight * bool(combo >> bit & 1)
        table.append(total if total > 0 else 1.0)
    totals = np.array(table)
    small = [overlap_table(weight, weighted, binary, mass)
             for _, weight, weighted, binary, mass, _ in fields]
    def score_rows(rows: np.ndarray) -> None:
        score = w_text * (text[rows] @ text_t).toarray()
        for (_name, weight, weighted, binary, mass, _filled), few in zip(
                fields, small, strict=True):
            if few is not None:  # few distinct value sets: look the overlap up
                table, set_of = few
                score += np.take(table[set_of[rows]], set_of, axis=1)
                continue
            # Only pairs sharing a value add anything: work on the sparse product.
            inter = (weighted[rows] @ binary.T).tocoo()
            size = np.sqrt(mass[rows[inter.row]] * mass[inter.col])
            score[inter.row, inter.col] += weight * (inter.data / size)
        score /= totals[pattern[rows, None] & pattern[None, :]]
        np.round(score, 6, out=score)
        score[np.arange(len(rows)), rows] = -1.0
        for i, row in enumerate(rows.tolist()):
            for other in banned.get(row, ()):
                score[i, other] = -1.0
        found.take_block(score, rows)

    if focus is None:
        for start in range(0, n, block):
            score_rows(np.arange(start, min(start + block, n)))
        return found
    wanted, done = sorted(set(focus)), set()
    for _ in range(3):
        todo = np.array([r for r in wanted if r not in done], dtype=np.intp)
        for start in range(0, len(todo), block):
            score_rows(todo[start:start + block])
        done.update(todo.tolist())
        wanted = sorted({col for r in todo.tolist()
                         for col, _ in found.computed[lessons[r].id]})
    return found


BLOCK_CELLS = 1 << 22
"""Pairs scored at a time: a block's dense arrays (the scores, the field overlaps, the
partition that picks each row's best) are 32 MB each whatever the collection's size. A
fixed 256 rows made them 100 MB each at 50,000 lessons, several alive at once."""


def rows_per_block(n: int) -> int:
    """Rows a block scores: as many as fit :data:`BLOCK_CELLS`, between 16 and 256 (fewer
    rows than that, and the per-block work of numpy and scipy calls starts to show)."""
    return max(16, min(256, BLOCK_CELLS // max(n, 1)))


def overlap_table(weight: float, weighted: sparse.csr_matrix, binary: sparse.csr_matrix,
                   mass: np.ndarray, limit: int = 256
                   ) -> tuple[np.ndarray, np.ndarray] | None:
    """For a field with few distinct value sets (categories, failure type): the weighted
    overlap of every pair of sets, and each lesson's set; None when there are many."""
    rows = [tuple(binary.indices[binary.indptr[i]:binary.indptr[i + 1]].tolist())
            for i in range(binary.shape[0])]
    ids: dict[tuple[int, ...], int] = {}
    set_of = np.array([ids.setdefault(r, len(ids)) for r in rows], dtype=np.intp)
    if len(ids) > limit:
        return None
    first = np.unique(set_of, return_index=True)[1]
    inter = (weighted[first] @ binary[first].T).toarray()
    size = np.sqrt(mass[first][:, None] * mass[first][None, :])
    with np.errstate(divide="ignore", invalid="ignore"):
        table = np.where(inter > 0, weight * (inter / size), 0.0)
    return table, set_of


def field_matrix(lessons: Sequence[Lesson], name: str
                 ) -> tuple[sparse.csr_matrix, sparse.csr_matrix, np.ndarray, np.ndarray]:
    """(values weighted by rarity, values as 0/1, values per lesson, which lessons fill the
    field in): lessons × the field's distinct values, case-folded."""
    per_lesson = [[v.casefold() for v in values(x, name)] for x in lessons]
    df = Counter(v for vs in per_lesson for v in set(vs))
    index = {v: i for i, v in enumerate(sorted(df))}
    n = len(lessons)
    rows = [r for r, vs in enumerate(per_lesson) for v in set(vs)]
    cols = [index[v] for vs in per_lesson for v in set(vs)]
    value_rarity = np.array([rarity(df[v], n) for v in sorted(df)] or [0.0])
    shape = (n, max(len(index), 1))
    binary = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)
    weighted = binary.multiply(value_rarity[None, : shape[1]]).tocsr()
    mass = np.asarray(binary.sum(axis=1)).ravel()
    filled = np.array([bool(vs) for vs in per_lesson])
    return weighted, binary, mass, filled
