"""Why two lessons are linked, in words a reader can judge: the distinctive field values and
terms both share, the terms by their contribution to the cosine, each word as the lessons write
it. Computed only for the links a page or the export asks for."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import chain

import numpy as np

from ...model.lesson import Lesson
from .fields import FIELDS, rarity, values
from .settings import DEFAULT_WEIGHTS, REASON_RARITY, SimilarSettings
from .terms import TermMatrix
from .text import raw_words, surface_form, term_of


class Reasons:
    """Reads the reasons of a link off the term matrix (and the lessons' fields)."""

    def __init__(self, lessons: Sequence[Lesson], terms: TermMatrix,
                 settings: SimilarSettings) -> None:
        self.lessons = lessons
        self.terms = terms
        self.settings = settings
        self._field_df: dict[str, Counter[str]] = {}
        self._distinctive: np.ndarray | None = None
        self._raws_of_term: dict[int, list[int]] | None = None
        self._surfaces: dict[str, str] = {}
        self._headlines: dict[int, np.ndarray] = {}

    def shared_fields(self, me: Lesson, other: Lesson) -> dict[str, list[str]]:
        """Field name → the distinctive values both lessons carry (as `me` writes them); only
        for fields that count (a field weighted 0 is never given as a reason)."""
        shared = {}
        weights = {**DEFAULT_WEIGHTS, **dict(self.settings.weights)}
        n = len(self.lessons)
        for name in FIELDS:
            if weights.get(name, 0.0) <= 0:  # a signal that does not count is no reason
                continue
            mine = values(me, name)
            theirs = {v.casefold() for v in values(other, name)}
            df = self._field_counts(name)
            both = [v for v in mine if v.casefold() in theirs
                    and rarity(df[v.casefold()], n) >= REASON_RARITY]
            if both:
                shared[name] = both
        return shared

    def shared_text(self, a: int, b: int) -> tuple[list[str], float]:
        """(the distinctive terms lessons at positions a and b share, most telling first; their
        text cosine)."""
        if not self.terms.codes.size:
            return [], 0.0
        (cols_a, data_a), (cols_b, data_b) = self.terms.row(a), self.terms.row(b)
        at = np.minimum(np.searchsorted(cols_b, cols_a), max(len(cols_b) - 1, 0))
        both = cols_b[at] == cols_a if len(cols_b) else np.zeros(len(cols_a), dtype=bool)
        contrib = data_a[both] * data_b[at[both]]
        columns = cols_a[both]
        first = _member(self._headline(a), columns) | _member(self._headline(b), columns)
        return self.shared_terms(columns, contrib, first), float(contrib.sum())

    def _headline(self, pos: int) -> np.ndarray:
        """The columns of the words a lesson's title and summary use: what the incident is
        (the failure, the component), so those come first among the reasons."""
        if pos not in self._headlines:
            lesson = self.lessons[pos]
            vocab = self.terms.vocab
            found: set[int] = set()
            for word in raw_words(f"{lesson.title}\n{lesson.summary or ''}"):
                raw_id = vocab.raw_ids.get(word)  # dict.get: an unseen word is not added
                if raw_id is not None:
                    found.add(vocab.term_of_raw[raw_id])
                else:
                    term = term_of(word, self.settings)
                    found.add(vocab.term_ids.get(term, -1) if term is not None else -1)
            wanted = np.array(sorted(x for x in found if x >= 0), dtype=np.int64)
            codes = self.terms.codes
            at = np.minimum(np.searchsorted(codes, wanted), max(len(codes) - 1, 0))
            self._headlines[pos] = (at[codes[at] == wanted] if len(codes)
                                    else np.zeros(0, dtype=np.int64))
        return self._headlines[pos]

    def _field_counts(self, name: str) -> Counter[str]:
        """Lessons carrying each value of a field (case-folded); counted once per field."""
        if name not in self._field_df:
            self._field_df[name] = Counter(
                v for x in self.lessons for v in {v.casefold() for v in values(x, name)})
        return self._field_df[name]

    def shared_terms(self, columns: np.ndarray, contrib: np.ndarray,
                     first: np.ndarray | None = None) -> list[str]:
        """Distinctive terms by their contribution to the cosine, those marked `first` (in
        either lesson's title or summary) before the others: a term most lessons use, or a
        two-letter one (initials, "pm"), explains nothing; a word inside a chosen pair is
        skipped."""
        if self._distinctive is None:  # once, on the first reason shown
            n = len(self.lessons)
            limit = n ** (1 - REASON_RARITY) if n >= 2 else 0  # rarity(df, n) >= REASON_RARITY
            self._distinctive = (self.terms.df >= 2) & (self.terms.df <= limit + 1e-9)
        keep = self._distinctive[columns]
        columns, contrib = columns[keep], contrib[keep]
        chosen: list[str] = []
        covered: set[str] = set()
        if first is not None:
            first = first[keep]
            if not first.any():
                first = None
        ordered = (self._by_contribution(columns, contrib) if first is None else
                   chain(self._by_contribution(columns[first], contrib[first]),
                         self._by_contribution(columns[~first], contrib[~first])))
        for term in ordered:
            if len(term) < 3:
                continue
            parts = term.split(" ")
            if term in covered or (len(parts) > 1 and all(p in covered for p in parts)):
                continue
            chosen.append(" ".join(self._surface_of(p) for p in parts))
            covered.update(parts)
            covered.add(term)
            if len(chosen) >= self.settings.reason_terms:
                break
        return chosen

    def _by_contribution(self, columns: np.ndarray, contrib: np.ndarray) -> Iterator[str]:
        """Shared terms, largest contribution first, equal ones alphabetically; the text of a
        term is only built when it is reached (reasons stop after a few)."""
        order = np.argsort(-contrib, kind="stable")
        values, cols = contrib[order].tolist(), columns[order].tolist()
        start = 0
        while start < len(values):
            stop = start + 1
            while stop < len(values) and values[stop] == values[start]:
                stop += 1
            yield from sorted(self.terms.term_text(c) for c in cols[start:stop])
            start = stop

    def _surface_of(self, term: str) -> str:
        """A word as the lessons write it most often (ties: alphabetical), not its stem."""
        if self._raws_of_term is None:  # built once, on the first reason shown
            self._raws_of_term = {}
            for raw_id, term_id in enumerate(self.terms.vocab.term_of_raw):
                if term_id >= 0:
                    self._raws_of_term.setdefault(term_id, []).append(raw_id)
        if term in self._surfaces:
            return self._surfaces[term]
        term_id = self.terms.vocab.term_ids.get(term)
        forms: Counter[str] = Counter()
        for raw_id in self._raws_of_term.get(term_id, []) if term_id is not None else []:
            forms[surface_form(self.terms.vocab.raws[raw_id])] += int(self.terms.raw_counts[raw_id])
        best = min(forms.items(), key=lambda kv: (-kv[1], kv[0]))[0] if forms else term
        self._surfaces[term] = best
        return best


def _member(sorted_values: np.ndarray, items: np.ndarray) -> np.ndarray:
    """Which `items` are in `sorted_values` (ascending), by binary search."""
    if not len(sorted_values):
        return np.zeros(len(items), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_values, items), len(sorted_values) - 1)
    return sorted_values[at] == items
