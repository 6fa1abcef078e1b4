"""SimilarityIndex: the similar links of a whole knowledge base, computed once.

The pieces (text.py → terms.py → scoring.py → selection.py, reasons.py for the why) are put
together here: author links first, then the lessons linking here, then the computed ones."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from ...model.lesson import Lesson
from .links import SimilarLink
from .reasons import Reasons
from .scoring import score_pairs
from .settings import SimilarSettings
from .terms import TermMatrix
from .word_ids import WordIds


class SimilarityIndex:
    """Similar lessons for a whole knowledge base, computed once."""

    def __init__(self, lessons: Iterable[Lesson], settings: SimilarSettings | None = None,
                 block: int = 0, words: dict[str, str] | WordIds | None = None,
                 focus: Collection[str] | None = None) -> None:
        """``words`` (kept across `mkdocs serve` rebuilds): each text's words from an earlier
        build, so only changed texts are scanned again; the scores are the same.
        ``block``: rows scored at a time (0: sized to the collection, see scoring.py).
        ``focus`` (`lessonbook review`): only these lessons' links are wanted. Every lesson
        still counts in the term weights, but only the rows their links depend on are scored,
        so their links are the whole index's at a fraction of the cost; ``similar`` of any
        other lesson is then empty."""
        self.settings = settings or SimilarSettings()
        self._focus = None if focus is None else frozenset(focus)
        lessons = list(lessons)
        self.lessons = sorted((x for x in lessons if x.kind != "checklist"), key=lambda x: x.id)
        self._all = {x.id: x for x in lessons}
        self._pos = {x.id: i for i, x in enumerate(self.lessons)}
        self._links: dict[str, list[SimilarLink]] = {}
        self._computed: dict[str, list[tuple[int, float]]] = {}
        self._possible: dict[str, list[tuple[int, float]]] = {}
        self._referrers: dict[str, list[str]] | None = None
        computes = bool(self.lessons) and self.settings.count > 0
        self._terms = TermMatrix(self.lessons if computes else [], self.settings, words)
        self._reasons = Reasons(self.lessons, self._terms, self.settings)
        if computes:
            # The collection bar reads every lesson's candidates: a focused index then scores
            # them all, so its links stay the whole index's.
            whole = self._focus is None or self.settings.collection_quantile > 0
            rows = None if whole else [self._pos[x] for x in self._focus if x in self._pos]
            candidates = score_pairs(self.lessons, self._terms.matrix, self.settings,
                                     self._banned(), block, rows)
            self._computed, self._possible = candidates.select()

    # public ----------------------------------------------------------------------------------
    def similar(self, lesson_id: str) -> list[SimilarLink]:
        """Author links first (their `related:` order), then lessons linking here, then the
        confident computed links, best first, ties by id; then (tier "possible") the rest of
        the first `count` above min_score, best first."""
        if self._focus is not None and lesson_id not in self._focus:
            return []
        if lesson_id not in self._links:
            self._links[lesson_id] = self._assemble(lesson_id)
        return self._links[lesson_id]

    def record(self, lesson: Lesson) -> dict[str, object]:
        """The export field: ``{"similar": [...]}`` for api/lessons.json."""
        return {"similar": [link.as_record() for link in self.similar(lesson.id)]}

    def vector(self, lesson_id: str) -> dict[str, float]:
        """A lesson's normalised tf-idf vector as {term: weight} (for inspection and benchmarks)."""
        pos = self._pos.get(lesson_id)
        if pos is None or not self._terms.codes.size:
            return {}
        cols, data = self._terms.row(pos)
        pairs = zip(cols.tolist(), data.tolist(), strict=True)
        return {self._terms.term_text(c): v for c, v in pairs}

    # links -----------------------------------------------------------------------------------
    def _banned(self) -> dict[int, set[int]]:
        """Pairs never linked by computation: `unrelated:` (either direction) and author links
        (they are added separately, marked)."""
        banned: dict[int, set[int]] = {}
        for lesson in self.lessons:
            me = self._pos[lesson.id]
            for other_id in (*lesson.unrelated, *lesson.related):
                other = self._pos.get(other_id)
                if other is not None:
                    banned.setdefault(me, set()).add(other)
                    banned.setdefault(other, set()).add(me)
        return banned

    def _assemble(self, lesson_id: str) -> list[SimilarLink]:
        me = self._all.get(lesson_id)
        if me is None:
            return []
        links: list[SimilarLink] = []
        seen = {lesson_id}
        unrelated = set(me.unrelated)
        for other_id in me.related:
            if other_id in self._all and other_id not in seen:
                seen.add(other_id)
                links.append(self._link(me, other_id, by_author=True))
        for other_id in self._linked_by().get(lesson_id, []):
            if other_id not in seen | unrelated:
                seen.add(other_id)
                links.append(self._link(me, other_id, links_here=True))
        for index, score in self._computed.get(lesson_id, []):
            other_id = self.lessons[index].id
            if other_id not in seen:
                seen.add(other_id)
                links.append(self._link(me, other_id, score=score))
        for index, score in self._possible.get(lesson_id, []):
            other_id = self.lessons[index].id
            if other_id not in seen:
                seen.add(other_id)
                link = self._link(me, other_id, score=score)
                link.tier = "possible"
                links.append(link)
        return links

    def _linked_by(self) -> dict[str, list[str]]:
        """Lesson id → the lessons naming it in `related:`, by id; built once, not per page."""
        if self._referrers is None:
            self._referrers = {}
            for other in sorted(self._all.values(), key=lambda x: x.id):
                for target in dict.fromkeys(other.related):
                    self._referrers.setdefault(target, []).append(other.id)
        return self._referrers

    def _link(self, me: Lesson, other_id: str, score: float | None = None,
              by_author: bool = False, links_here: bool = False) -> SimilarLink:
        other = self._all[other_id]
        shared = self._reasons.shared_fields(me, other)
        terms: list[str] = []
        a, b = self._pos.get(me.id), self._pos.get(other_id)
        if a is not None and b is not None:
            terms, cosine = self._reasons.shared_text(a, b)
            if score is None:
                score = cosine
        return SimilarLink(other_id, score or 0.0, shared, terms, by_author, links_here)
