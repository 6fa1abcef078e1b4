"""Which computed links a lesson shows: each lesson's best candidates, re-ordered by neighbour
support (two lessons close to the same third are closer), then cut by the confidence bars
(min_relative, mutual, max_drop): fewer links rather than noise."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse

from ...model.lesson import Lesson
from .settings import SimilarSettings


class Candidates:
    """Each lesson's candidate links (other lesson's position, score), best first."""

    def __init__(self, lessons: Sequence[Lesson], settings: SimilarSettings) -> None:
        self.lessons = lessons
        self.settings = settings
        self.computed: dict[str, list[tuple[int, float]]] = {}
        self.ranking: dict[str, list[float]] = {}
        """With neighbour support: the scores a lesson's computed links are ordered and cut by
        (the links keep their own similarity as their score)."""
        self.kth = np.zeros(len(lessons))
        """Each lesson's count-th best score (the bar another lesson clears to be mutual)."""
        self.top = np.zeros((len(lessons), 2))
        """Each lesson's best and second-best own score with any other lesson, before any
        floor (the margin bar)."""
        self.possible: dict[str, list[tuple[int, float]]] = {}
        """The rest of each lesson's `count` best, below the confident bars ("possibly
        related", shown folded when `SimilarSettings.possible` is on)."""

    def select(self) -> tuple[dict[str, list[tuple[int, float]]],
                              dict[str, list[tuple[int, float]]]]:
        """Re-order by neighbour support (when on), apply the bars: (the confident links,
        the possibly related rest of the first `count`)."""
        if self.reranks():
            self._add_neighbour_support()
        self._keep_confident()
        return self.computed, self.possible

    def take_block(self, score: np.ndarray, rows: np.ndarray) -> None:
        """Top-k of every row of a block (the lessons at positions ``rows``) at once; exact
        ties at the cut go to the lower id.
        With neighbour support, the `candidates` best are kept for re-scoring (min_score then
        applies to each pair's own score, the mutual and relative bars to the new ones)."""
        k = self.settings.count
        floor = self.floor()
        if self.reranks():
            k, floor = max(self.settings.candidates, k), 0.0
        threshold = np.full(len(score), max(floor, 1e-9))
        width = score.shape[1]
        # One partition gives the count-th best (the candidates' cut) and the two best (the
        # margin bar) of every row.
        part = np.partition(score, sorted({width - min(k, width), max(width - 2, 0),
                                           width - 1}), axis=1) if width else score
        if width >= 2:
            self.top[rows] = part[:, [-1, -2]]
        if width > k:
            kth = part[:, -k]
            self.kth[rows] = kth
            threshold = np.maximum(threshold, kth)
        else:
            self.kth[rows] = -1.0
        at, cols = np.nonzero(score >= threshold[:, None])
        values = score[at, cols]
        order = np.lexsort((cols, -values, at))
        at, cols, values = at[order].tolist(), cols[order].tolist(), values[order].tolist()
        found: dict[int, list[tuple[int, float]]] = {i: [] for i in range(len(score))}
        for i, col, value in zip(at, cols, values, strict=True):
            if len(found[i]) < k:
                found[i].append((col, value))
        for i, links in found.items():
            self.computed[self.lessons[int(rows[i])].id] = links

    def floor(self) -> float:
        """The lowest own score a candidate link can have: min_score, or the possibly-related
        tier's lower floor when that tier is on."""
        s = self.settings
        return min(s.min_score, s.possible_min_score) if s.possible else s.min_score

    def reranks(self) -> bool:
        """Whether neighbour support re-orders the candidates (then more are kept per lesson)."""
        s = self.settings
        return s.neighbour_weight > 0 and s.neighbours > 0 and s.count > 0

    def _add_neighbour_support(self) -> None:
        """Re-score each lesson's candidates: score + neighbour_weight · Σ_c s(a,c)·s(b,c) over
        the lessons c among both lessons' `neighbours` best (a sparse product of the top lists:
        only pairs sharing a neighbour do any work); then keep the `count` best by the new
        score, and each lesson's count-th best new score for the mutual bar."""
        s = self.settings
        n = len(self.lessons)
        ids = [x.id for x in self.lessons]
        rows: list[int] = []
        cols: list[int] = []
        values: list[float] = []
        for row, lesson_id in enumerate(ids):
            for col, value in self.computed.get(lesson_id, [])[:s.neighbours]:
                if value > 0:
                    rows.append(row)
                    cols.append(col)
                    values.append(value)
        near = sparse.csr_matrix((values, (rows, cols)), shape=(n, n))
        support = (near @ near.T).tocsr()
        cand_rows = np.repeat(np.arange(n), [len(self.computed.get(x, [])) for x in ids])
        cand = [pair for x in ids for pair in self.computed.get(x, [])]
        if not cand:
            return
        cand_cols = np.array([c for c, _ in cand], dtype=np.int64)
        base = np.array([v for _, v in cand])
        boost = np.asarray(support[cand_rows, cand_cols]).ravel()
        new = np.round(base + s.neighbour_weight * boost, 6)
        start = 0
        for row, lesson_id in enumerate(ids):
            links = self.computed.get(lesson_id, [])
            stop = start + len(links)
            order = sorted(range(start, stop), key=lambda i: (-new[i], cand_cols[i]))
            self.kth[row] = new[order[s.count - 1]] if len(order) >= s.count else -1.0
            kept = [i for i in order[:s.count] if base[i] >= max(self.floor(), 1e-9)]
            self.computed[lesson_id] = [(int(cand_cols[i]), float(base[i])) for i in kept]
            self.ranking[lesson_id] = [float(new[i]) for i in kept]
            start = stop

    def collection_bar(self) -> float:
        """The own score a confident link needs in this collection: the `collection_quantile`
        quantile of every lesson's candidate scores (each lesson's `count` best, in the order
        shown; 0 when off). In a collection where every pair shares the platform's words, the
        typical candidate scores high, and a confident link must stand out from them, not just
        clear min_score. It only moves links from the confident tier to "possibly related"."""
        q = self.settings.collection_quantile
        if q <= 0:
            return 0.0
        values = [value for links in self.computed.values() for _, value in links]
        return float(np.quantile(np.array(values), q)) if values else 0.0

    def best_other(self, row: int, value: float) -> float:
        """The best own score the lesson at ``row`` has with any lesson but the partner it
        scores ``value`` with: its second best when the partner is its best (a tie for the
        best leaves the second equal to it), else its best; 0 when there is none."""
        best, second = self.top[row]
        return float(max(second if value >= best else best, 0.0))

    def stands_apart(self, row: int, col: int, value: float) -> bool:
        """The margin bar: the pair's own score is at least `margin` times the best score
        either lesson has with any third lesson. A true twin stands apart from both lessons'
        other neighbours; in a collection about one platform, a lesson with only platform
        neighbours scores about as well with several of them, and so do look-alike families
        whose members fail differently. Always true when the margin is 0 (off)."""
        margin = self.settings.margin
        if margin <= 0:
            return True
        return value >= margin * max(self.best_other(row, value), self.best_other(col, value))

    def _keep_confident(self) -> None:
        """Drop links below min_relative of the lesson's best, links that are not mutual, and
        the tail after the list's steepest drop when it is steeper than max_drop; then the
        links that do not stand apart from both lessons' other neighbours (margin)."""
        s = self.settings
        floor = max(s.min_score, self.collection_bar(), 1e-9)
        pos = {x.id: i for i, x in enumerate(self.lessons)}
        for lesson_id, links in self.computed.items():
            if not links:
                continue
            ranking = self.ranking.get(lesson_id) or [value for _, value in links]
            bar = ranking[0] * s.min_relative
            row = pos[lesson_id]
            kept = [(link, value) for link, value in zip(links, ranking, strict=True)
                    if value >= bar and (not s.mutual or value >= self.kth[link[0]])
                    and link[1] >= floor]
            if s.max_drop > 0 and len(kept) > 1:
                ratios = [kept[i + 1][1] / kept[i][1] for i in range(len(kept) - 1)]
                steepest = min(range(len(ratios)), key=lambda i: (ratios[i], i))
                if ratios[steepest] < s.max_drop:
                    kept = kept[:steepest + 1]
            kept = [(link, value) for link, value in kept if self.stands_apart(row, *link)]
            self.computed[lesson_id] = [link for link, _ in kept]
            if s.possible:
                confident = {link for link, _ in kept}
                self.possible[lesson_id] = [x for x in links if x not in confident
                                            and x[1] >= s.possible_min_score]
