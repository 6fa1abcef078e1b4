"""Similar incidents: for every lesson, the k most similar others, and why.

Score of a pair = a weighted mean of
  * text: cosine of TF-IDF vectors (sublinear tf; title and summary count more than the body;
    stop words, code blocks, URLs, HTML and Markdown/table syntax removed; word pairs included);
  * one overlap per structured field (tags, services, categories, failure type, defense layers):
    an idf-weighted Jaccard, so sharing a rare tag says more than sharing one every lesson has.
A field only counts in the mean when both lessons fill it in (it says nothing otherwise).

All pairs are scored with sparse matrix products (scipy) in row blocks, never a Python loop over
pairs; docs/similarity.md has the measurements behind that choice. Reasons (shared fields and
the shared terms contributing most to the cosine) are computed for the chosen links only.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from .model import Lesson

FIELDS: tuple[str, ...] = ("tags", "services", "categories", "failure_type", "defense_layers")
FIELD_LABELS = {
    "tags": "tags", "services": "services", "categories": "categories",
    "failure_type": "failure type", "defense_layers": "defense layers",
}
DEFAULT_WEIGHTS: dict[str, float] = {
    "text": 1.0, "tags": 0.3, "services": 0.3, "categories": 0.15, "failure_type": 0.05,
    "defense_layers": 0.05,
}


@dataclass(frozen=True)
class SimilarSettings:
    """What a site configures (``similar:`` in the plugin config)."""

    count: int = 5
    min_score: float = 0.08
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    title_weight: float = 3.0
    summary_weight: float = 2.0
    bigrams: bool = True
    stem: bool = True
    reason_terms: int = 5
    max_terms: int = 150
    """Terms kept per lesson (the highest tf-idf): bounds memory and time at 10k lessons."""


@dataclass
class SimilarLink:
    """One link shown under "Similar incidents"."""

    id: str
    score: float
    shared: dict[str, list[str]] = field(default_factory=dict)
    """Field name → values both lessons have."""
    terms: list[str] = field(default_factory=list)
    """Distinctive words both texts use, most telling first, as written."""
    by_author: bool = False
    """Named in this lesson's `related:`."""
    links_here: bool = False
    """The other lesson names this one in its `related:` ("Referenced by")."""

    @property
    def reasons(self) -> list[str]:
        """Why, in words a reader can judge at a glance."""
        out = []
        if self.by_author:
            out.append("linked by the author")
        if self.links_here:
            out.append("links to this lesson")
        for name in FIELDS:
            if self.shared.get(name):
                out.append(f"same {FIELD_LABELS[name]}: {', '.join(self.shared[name])}")
        if self.terms:
            out.append("both mention: " + ", ".join(self.terms))
        return out

    def as_record(self) -> dict[str, object]:
        return {"id": self.id, "score": round(self.score, 4), "reasons": self.reasons}


# --- text ------------------------------------------------------------------------------------
_STOP_TEXT = """
a about above after again against all almost also am an and any are aren't as at be because been
before being below between both but by can can't cannot could couldn't did didn't do does
doesn't doing don't down during each either else etc even ever every few for from further get
gets got had hadn't has hasn't have haven't having he her here hers herself him himself his how
however i if in into is isn't it it's its itself just let like made make many may me might more
most much must mustn't my myself need needed no nor not now of off on once one only or other our
ours ourselves out over own per quite rather really same see seen she should shouldn't since so
some still such than that that's the their theirs them themselves then there there's these they
this those though through thus to too under until up upon us use used using very via was wasn't
we we'll we're we've well were weren't what when where whether which while who whom whose why
will with within without won't would wouldn't yet you your yours yourself also around across
able back way since take taken took put new first last next two three per e.g i.e
january february march april june july august september october november december
monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())

_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.M | re.S)
_HTML = re.compile(r"<[^>\n]+>")
_URL = re.compile(r"\b(?:https?|ftp)://\S+|\bwww\.\S+")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_REF_DEF = re.compile(r"^\s*\[[^\]]+\]:\s*\S+.*$", re.M)
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}.*$", re.M)
_WORD = re.compile(r"[^\W_]+(?:['’\-.][^\W_]+)*")
_SENTENCE_BREAK = re.compile(r"\n|[.!?;:,|()\[\]{}\"*]+(?:\s|$)")


def clean_text(text: str) -> str:
    """Markdown → prose: drop fenced code (logs), URLs, HTML, link targets and table rules."""
    text = _FENCE.sub("\n", text)
    text = _HTML.sub(" ", text)
    text = _LINK.sub(r"\1", text)
    text = _REF_DEF.sub("", text)
    text = _URL.sub(" ", text)
    text = _TABLE_RULE.sub("", text)
    return text.replace("|", "\n")


def stem(word: str) -> str:
    """Light plural folding (incidents → incident, policies → policy); nothing clever."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "'s")):
        return word[:-1]
    return word


def tokens(text: str, settings: SimilarSettings,
           cache: dict[str, str | None] | None = None) -> tuple[list[str], list[str]]:
    """(terms, surface forms), aligned: words, and word pairs not split by punctuation, a line
    end or a stop word. ``cache`` maps a lower-cased word to its term (None: dropped)."""
    cache = {} if cache is None else cache
    terms: list[str] = []
    surfaces: list[str] = []
    for chunk in _SENTENCE_BREAK.split(clean_text(text) + " "):
        prev_term = prev_surface = None
        for raw in _WORD.findall(chunk.lower()):
            term = cache.get(raw, "")
            if term == "":
                term = cache[raw] = _term(raw, settings)
            if term is None:
                prev_term = None
                continue
            surface = raw if raw == term else _surface(raw)
            terms.append(term)
            surfaces.append(surface)
            if settings.bigrams and prev_term is not None:
                terms.append(f"{prev_term} {term}")
                surfaces.append(f"{prev_surface} {surface}")
            prev_term, prev_surface = term, surface
    return terms, surfaces


def _surface(raw: str) -> str:
    surface = raw.replace("’", "'").strip("'.-")
    return surface[:-2] if surface.endswith("'s") else surface


def _term(raw: str, settings: SimilarSettings) -> str | None:
    surface = _surface(raw)
    if len(surface) < 2 or surface in STOP_WORDS or _is_number_like(surface):
        return None
    return stem(surface) if settings.stem else surface


_DIGIT = re.compile(r"\d")


def _is_number_like(word: str) -> bool:
    """Times, dates, versions and sizes ("15:36", "2020-01-21", "1.2.3", "300ms") are noise."""
    if not _DIGIT.search(word):
        return False
    digits = sum(ch.isdigit() for ch in word)
    return digits * 2 >= len(word)


# --- the index -------------------------------------------------------------------------------
class SimilarityIndex:
    """Similar lessons for a whole knowledge base, computed once."""

    def __init__(self, lessons: Iterable[Lesson], settings: SimilarSettings | None = None,
                 block: int = 256) -> None:
        self.settings = settings or SimilarSettings()
        self.lessons = sorted((x for x in lessons if x.kind != "checklist"), key=lambda x: x.id)
        self._all = {x.id: x for x in lessons}
        self._pos = {x.id: i for i, x in enumerate(self.lessons)}
        self._vectors: list[dict[str, float]] = []
        self._surface: dict[str, Counter[str]] = {}
        self._links: dict[str, list[SimilarLink]] = {}
        self._computed: dict[str, list[tuple[int, float]]] = {}
        if self.lessons and self.settings.count > 0:
            self._build(block)

    # public ----------------------------------------------------------------------------------
    def similar(self, lesson_id: str) -> list[SimilarLink]:
        """Author links first (their `related:` order), then lessons linking here, then the
        top-k computed links above min_score, best first, ties by id."""
        if lesson_id not in self._links:
            self._links[lesson_id] = self._assemble(lesson_id)
        return self._links[lesson_id]

    def record(self, lesson: Lesson) -> dict[str, object]:
        """The export field: ``{"similar": [...]}`` for api/lessons.json."""
        return {"similar": [link.as_record() for link in self.similar(lesson.id)]}

    # building --------------------------------------------------------------------------------
    def _build(self, block: int) -> None:
        s = self.settings
        n = len(self.lessons)
        counts: list[Counter[str]] = []
        df: Counter[str] = Counter()
        cache: dict[str, str | None] = {}
        pairs: Counter[tuple[str, str]] = Counter()
        """(term, surface) where they differ; total counts the rest."""
        total: Counter[str] = Counter()
        for lesson in self.lessons:
            tf: Counter[str] = Counter()
            for text, weight in ((lesson.title, s.title_weight),
                                 (lesson.summary, s.summary_weight), (lesson.body, 1.0)):
                terms, surfaces = tokens(text, s, cache)
                found = Counter(terms)
                if weight != 1.0:
                    found = Counter({t: c * weight for t, c in found.items()})
                tf.update(found)
                total.update(found.keys() if weight != 1.0 else terms)
                pairs.update((t, f) for t, f in zip(terms, surfaces, strict=True) if t != f)
            counts.append(tf)
            df.update(tf.keys())
        for (term, surface), count in pairs.items():
            if df[term] > 1:
                self._surface.setdefault(term, Counter())[surface] += count
        for term, forms in self._surface.items():
            forms[term] = total[term] - sum(forms.values())
        vocab = {t: i for i, t in enumerate(sorted(t for t, d in df.items() if d > 1))}
        idf = {t: math.log(n / df[t]) for t in vocab}
        rows, cols, vals = [], [], []
        for row, tf in enumerate(counts):
            vec = {t: (1.0 + math.log(c)) * idf[t] for t, c in tf.items()
                   if t in vocab and idf[t] > 0}
            if len(vec) > s.max_terms:  # a lesson's strongest terms carry its similarity
                vec = dict(sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:s.max_terms])
            norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
            vec = {t: v / norm for t, v in vec.items()}
            self._vectors.append(vec)
            rows.extend([row] * len(vec))
            cols.extend(vocab[t] for t in vec)
            vals.extend(vec.values())
        text = sparse.csr_matrix((vals, (rows, cols)), shape=(n, max(len(vocab), 1)))
        weights = {**DEFAULT_WEIGHTS, **dict(s.weights)}
        fields = [(name, weights.get(name, 0.0), *self._field_matrix(name))
                  for name in FIELDS if weights.get(name, 0.0) > 0
                  and any(_values(x, name) for x in self.lessons)]
        w_text = weights.get("text", 0.0)
        text_t = text.T.tocsr()
        banned = self._banned()
        for start in range(0, n, block):
            stop = min(start + block, n)
            score = w_text * (text[start:stop] @ text_t).toarray()
            total = np.full(score.shape, w_text)
            for _name, weight, weighted, binary, mass, filled in fields:
                inter = (weighted[start:stop] @ binary.T).toarray()
                union = mass[start:stop, None] + mass[None, :] - inter
                both = filled[start:stop, None] & filled[None, :]
                with np.errstate(divide="ignore", invalid="ignore"):
                    score += weight * np.where(both, inter / np.where(union > 0, union, 1), 0)
                total += weight * both
            score = np.round(score / np.where(total > 0, total, 1), 6)
            for offset in range(stop - start):
                row = start + offset
                score[offset, row] = -1.0
                for other in banned.get(row, ()):
                    score[offset, other] = -1.0
                self._computed[self.lessons[row].id] = self._top(score[offset])

    def _field_matrix(self, name: str) -> tuple[sparse.csr_matrix, sparse.csr_matrix,
                                                 np.ndarray, np.ndarray]:
        values = [[v.casefold() for v in _values(x, name)] for x in self.lessons]
        df = Counter(v for vs in values for v in set(vs))
        index = {v: i for i, v in enumerate(sorted(df))}
        n = len(self.lessons)
        rows = [r for r, vs in enumerate(values) for v in set(vs)]
        cols = [index[v] for vs in values for v in set(vs)]
        idf = np.array([math.log(1 + n / df[v]) for v in sorted(df)] or [0.0])
        shape = (n, max(len(index), 1))
        binary = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)
        weighted = binary.multiply(idf[None, : shape[1]]).tocsr()
        mass = np.asarray(weighted.sum(axis=1)).ravel()
        filled = np.array([bool(vs) for vs in values])
        return weighted, binary, mass, filled

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

    def _top(self, row: np.ndarray) -> list[tuple[int, float]]:
        k = self.settings.count
        candidates = np.flatnonzero(row >= max(self.settings.min_score, 1e-9))
        if len(candidates) > k:
            kth = np.partition(row[candidates], -k)[-k]
            candidates = candidates[row[candidates] >= kth]
        order = sorted(candidates.tolist(), key=lambda i: (-row[i], i))[:k]
        return [(i, float(row[i])) for i in order]

    # links and reasons -----------------------------------------------------------------------
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
        for other in sorted(self._all.values(), key=lambda x: x.id):
            if lesson_id in other.related and other.id not in seen | unrelated:
                seen.add(other.id)
                links.append(self._link(me, other.id, links_here=True))
        for index, score in self._computed.get(lesson_id, []):
            other_id = self.lessons[index].id
            if other_id not in seen:
                seen.add(other_id)
                links.append(self._link(me, other_id, score=score))
        return links

    def _link(self, me: Lesson, other_id: str, score: float | None = None,
              by_author: bool = False, links_here: bool = False) -> SimilarLink:
        other = self._all[other_id]
        shared = {}
        for name in FIELDS:
            mine = _values(me, name)
            theirs = {v.casefold() for v in _values(other, name)}
            both = [v for v in mine if v.casefold() in theirs]
            if both:
                shared[name] = both
        terms: list[str] = []
        a, b = self._pos.get(me.id), self._pos.get(other_id)
        if a is not None and b is not None:
            terms = self._shared_terms(self._vectors[a], self._vectors[b])
            if score is None:
                score = float(sum(v * self._vectors[b].get(t, 0.0)
                                  for t, v in self._vectors[a].items()))
        return SimilarLink(other_id, score or 0.0, shared, terms, by_author, links_here)

    def _shared_terms(self, a: dict[str, float], b: dict[str, float]) -> list[str]:
        """Terms by their contribution to the cosine; a word inside a chosen pair is skipped."""
        if len(a) > len(b):
            a, b = b, a
        ranked = sorted(((a[t] * b[t], t) for t in a if t in b), key=lambda x: (-x[0], x[1]))
        chosen: list[str] = []
        covered: set[str] = set()
        for _, term in ranked:
            parts = term.split(" ")
            if term in covered or (len(parts) > 1 and all(p in covered for p in parts)):
                continue
            chosen.append(self._surface_of(term))
            covered.update(parts)
            covered.add(term)
            if len(chosen) >= self.settings.reason_terms:
                break
        return chosen

    def _surface_of(self, term: str) -> str:
        forms = self._surface.get(term)
        if not forms:
            return term
        return min(forms.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def _values(lesson: Lesson, name: str) -> list[str]:
    value = getattr(lesson, name)
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def similar_extra(index: SimilarityIndex) -> Callable[[Lesson], dict[str, object]]:
    """The ``extra`` callable export.lessons_document takes."""
    return index.record
