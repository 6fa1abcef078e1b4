"""Similar incidents: for every lesson, the k most similar others, and why.

Score of a pair = a weighted mean of
  * text: cosine of TF-IDF vectors (sublinear tf; title and summary count more than the body;
    stop words, code blocks, URLs, HTML, roll calls and Markdown/table syntax removed; plural
    folding and a small synonym table; word pairs optional);
  * one overlap per structured field (tags, services, categories, failure type, defense layers):
    shared values weighted by their rarity, so a value most lessons carry adds almost nothing.
A field only counts in the mean when both lessons fill it in (it says nothing otherwise).
Each lesson's best candidates are ordered with neighbour support (two lessons close to the same
third lesson are closer). A link is shown when its own score clears min_score, it is within
min_relative of the lesson's best link, it is mutual (each lesson among the other's best), and
it comes before the list's steepest drop when that drop is steeper than max_drop: fewer links
rather than noise.

All pairs are scored with sparse matrix products (scipy) in row blocks, never a Python loop over
pairs; docs/similarity.md has the measurements behind that choice and the evaluation on real
postmortems. Reasons (distinctive shared fields and terms) are computed for the chosen links only.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from scipy import sparse

from ..model.lesson import Lesson
from ..model.options import SimilarOptions, SimilarWeights

FIELDS: tuple[str, ...] = ("tags", "services", "categories", "failure_type", "defense_layers")
FIELD_LABELS = {
    "tags": "tags", "services": "services", "categories": "categories",
    "failure_type": "failure type", "defense_layers": "defense layers",
}
DEFAULT_WEIGHTS: dict[str, float] = SimilarWeights().as_dict()
"""The ``similar.weights`` option's defaults (declared in model/options.py)."""


_SYNONYM_GROUPS = {
    "expire": "expired expires expiry expiring expiration",
    "certificate": "cert certs",
    "oom": "oomkilled oom-killed oom-killer",
    "rollback": "roll-back rolled-back revert reverted",
    "notready": "nodenotready not-ready",
    "crashloop": "crashloopbackoff crash-loop crash-looping crashlooping",
}
DEFAULT_SYNONYMS: dict[str, str] = {
    word: canonical for canonical, words in _SYNONYM_GROUPS.items() for word in words.split()}
"""A few ways postmortems name the same failure; a site can replace them (`synonyms:`)."""

REASON_RARITY = 0.25
"""A shared term or field value is given as a reason only when it is this rare (_rarity): on
at most N^0.75 lessons, e.g. 17 of 46 or 1,000 of 10,000."""


@dataclass(frozen=True)
class SimilarSettings:
    """What a site configures (``similar:`` in the plugin config)."""

    count: int = SimilarOptions.count
    min_score: float = SimilarOptions.min_score
    """A link scores at least this (0..1); calibrated on real postmortems (docs/similarity.md)."""
    min_relative: float = SimilarOptions.min_relative
    """... and at least this share of the lesson's best link: a lesson with one strong match
    and a tail of generic ones shows the match alone."""
    mutual: bool = SimilarOptions.mutual
    """... and each lesson is among the other's `count` best: a lesson that is everybody's
    second choice (long, generic) is nobody's link."""
    max_drop: float = SimilarOptions.max_drop
    """... and the list stops before its steepest drop when the next link scores less than
    this share of the one before it (a gap between the close matches and the rest); 0: off."""
    neighbour_weight: float = SimilarOptions.neighbour_weight
    """Neighbour support: a pair's score gains this times Σ s(a,c)·s(b,c) over the lessons c
    among both's `neighbours` best (two lessons close to the same third are closer; shared
    nearest neighbours); it re-orders each lesson's `candidates` best. 0: off."""
    neighbours: int = 3
    candidates: int = 10
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    title_weight: float = 3.0
    summary_weight: float = 2.0
    bigrams: bool = False
    """Adjacent word pairs as terms too: off by default, they lowered precision on real
    postmortems (docs/similarity.md) and double the terms."""
    stem: bool = True
    synonyms: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_SYNONYMS))
    """Term → the term it counts as (after plural folding): one failure told in other words."""
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

    @property
    def why(self) -> str:
        """One line of why (the folded reasons' summary): at most two shared fields, then the
        words both use when fewer than three reasons are given."""
        bits = []
        if self.by_author:
            bits.append("linked by the author")
        if self.links_here:
            bits.append("links to this lesson")
        for name, values in list(self.shared.items())[:2]:
            bits.append(f"same {name.replace('_', ' ')}: {', '.join(values[:3])}")
        if self.terms and len(bits) < 3:
            bits.append("both mention " + ", ".join(self.terms[:3]))
        text = "; ".join(bits)
        return text[:1].upper() + text[1:]

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
am pm hh mm utc cet cest gmt pst est morning afternoon evening night noon midnight
cause caused causes causing issue issues problem problems additional information potential
potentially started starting happened approximately
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())

_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.M | re.S)
_HTML = re.compile(r"<[^>\n]+>")
_URL = re.compile(r"\b(?:https?|ftp)://\S+|\bwww\.\S+")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_REF_DEF = re.compile(r"^\s*\[[^\]]+\]:\s*\S+.*$", re.M)
_ROLL_CALL = re.compile(r"^#{1,6}[ \t]*(?:attendees|atendees|participants|people involved)\b"
                        r"[^\n]*\n(?:(?!#)[^\n]*\n?)*", re.M | re.I)
"""A list of who attended (initials, names) says who met, not what failed."""
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}.*$", re.M)
_WORD = re.compile(r"[^\W_]+(?:['’\-.][^\W_]+)*")
_SENTENCE_BREAK = r"\n|[.!?;:,|()\[\]{}\"*]+(?:\s|$)"
_TOKEN = re.compile(f"{_WORD.pattern}|{_SENTENCE_BREAK}")
"""Words and sentence breaks in one scan: a break (like a dropped word) ends a word pair."""


def clean_text(text: str) -> str:
    """Markdown → prose: drop fenced code (logs), URLs, HTML, link targets and table rules."""
    if "```" in text or "~~~" in text:  # each pattern only runs when it can match (speed)
        text = _FENCE.sub("\n", text)
    if "<" in text:
        text = _HTML.sub(" ", text)
    if "](" in text:
        text = _LINK.sub(r"\1", text)
    if "]:" in text:
        text = _REF_DEF.sub("", text)
    if "://" in text or "www." in text:
        text = _URL.sub(" ", text)
    if "--" in text:
        text = _TABLE_RULE.sub("", text)
    if "ttendees" in text or "articipants" in text or "eople involved" in text:
        text = _ROLL_CALL.sub("", text)
    return text.replace("|", "\n")


def raw_words(text: str) -> list[str]:
    """The lower-cased words and sentence breaks of a Markdown text, in order."""
    return _TOKEN.findall(clean_text(text).lower())


def _scanner(memo: dict[str, str] | None) -> Callable[[str | None], list[str]]:
    """:func:`raw_words`, remembered per text in ``memo`` (the words joined by NUL, one
    string per text: a list of every word would be millions of objects at 10,000 lessons).
    Called with None at the end, it drops the texts not asked for this time."""
    if memo is None:
        return raw_words  # type: ignore[return-value]
    used: set[str] = set()

    def scan(text: str | None) -> list[str]:
        if text is None:
            for gone in [t for t in memo if t not in used]:
                del memo[gone]
            return []
        used.add(text)
        joined = memo.get(text)
        if joined is None:
            found = raw_words(text)
            memo[text] = "\0".join(found)
            return found
        return joined.split("\0") if joined else []

    return scan


def stem(word: str) -> str:
    """Light plural folding (incidents → incident, policies → policy); nothing clever."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "'s")):
        return word[:-1]
    return word


def tokens(text: str, settings: SimilarSettings) -> tuple[list[str], list[str]]:
    """(terms, surface forms), aligned: words, and word pairs not split by punctuation, a line
    end or a stop word. The readable reference for what the index counts (it does the same on
    integer ids)."""
    terms: list[str] = []
    surfaces: list[str] = []
    prev_term = prev_surface = None
    for raw in raw_words(text):
        term = _term(raw, settings)
        if term is None:
            prev_term = None
            continue
        surface = _surface(raw)
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
    """The term a raw word counts as; None for breaks, stop words, numbers and single letters."""
    if not _WORD.fullmatch(raw):
        return None
    surface = _surface(raw)
    if len(surface) < 2 or surface in STOP_WORDS or _is_number_like(surface):
        return None
    term = stem(surface) if settings.stem else surface
    return settings.synonyms.get(term, term)


_DIGIT = re.compile(r"\d")


def _is_number_like(word: str) -> bool:
    """Times, dates, versions and sizes ("15:36", "2020-01-21", "1.2.3", "300ms") are noise."""
    if not _DIGIT.search(word):
        return False
    digits = sum(ch.isdigit() for ch in word)
    return digits * 2 >= len(word)


# --- the index -------------------------------------------------------------------------------
class _RawIds(dict[str, int]):
    """Raw word → raw id; an unseen word gets the next id (``map`` stays at C speed)."""

    def __init__(self, vocab: _Vocabulary) -> None:
        super().__init__()
        self.vocab = vocab

    def __missing__(self, raw: str) -> int:
        self[raw] = raw_id = self.vocab.add(raw)
        return raw_id


class _Vocabulary:
    """Raw words → integer ids once per distinct word, so the corpus is counted with numpy."""

    def __init__(self, settings: SimilarSettings) -> None:
        self.settings = settings
        self.raw_ids = _RawIds(self)
        self.raws: list[str] = []
        self.term_of_raw: list[int] = []
        """Raw id → term id, -1 for breaks and dropped words (both end a word pair)."""
        self.term_ids: dict[str, int] = {}
        self.terms: list[str] = []

    def add(self, raw: str) -> int:
        term = _term(raw, self.settings)
        term_id = -1
        if term is not None:
            term_id = self.term_ids.setdefault(term, len(self.terms))
            if term_id == len(self.terms):
                self.terms.append(term)
        self.raws.append(raw)
        self.term_of_raw.append(term_id)
        return len(self.raws) - 1


class SimilarLinksSource(Protocol):
    """What pages, exports and the recurring finder ask of similarity: computed here
    (SimilarityIndex) or alongside the build (similarity_alongside.py)."""

    def similar(self, lesson_id: str) -> list[SimilarLink]: ...

    def record(self, lesson: Lesson) -> dict[str, object]: ...


class SimilarityIndex:
    """Similar lessons for a whole knowledge base, computed once."""

    def __init__(self, lessons: Iterable[Lesson], settings: SimilarSettings | None = None,
                 block: int = 256, words: dict[str, str] | None = None,
                 focus: Collection[str] | None = None) -> None:
        """``words`` (kept across `mkdocs serve` rebuilds): each text's words from an earlier
        build, so only changed texts are scanned again; the scores are the same.
        ``focus`` (`lessonbook review`): only these lessons' links are wanted. Every lesson
        still counts in the term weights, but only the rows their links depend on are scored
        (about a hundred, not all N), so their links are the whole index's at a fraction of
        the cost; ``similar`` of any other lesson is then empty."""
        self.settings = settings or SimilarSettings()
        self._focus = None if focus is None else frozenset(focus)
        self._words = words
        lessons = list(lessons)
        self.lessons = sorted((x for x in lessons if x.kind != "checklist"), key=lambda x: x.id)
        self._all = {x.id: x for x in lessons}
        self._pos = {x.id: i for i, x in enumerate(self.lessons)}
        self._text = sparse.csr_matrix((len(self.lessons), 1))
        self._links: dict[str, list[SimilarLink]] = {}
        self._computed: dict[str, list[tuple[int, float]]] = {}
        self._ranking: dict[str, list[float]] = {}
        """With neighbour support: the scores a lesson's computed links are ordered and cut by
        (the links keep their own similarity as their score)."""
        self._kth = np.zeros(len(self.lessons))
        """Each lesson's count-th best score (the bar another lesson clears to be mutual)."""
        self._vocab = _Vocabulary(self.settings)
        self._codes = np.zeros(0, dtype=np.int64)
        self._raw_counts = np.zeros(0, dtype=np.int64)
        self._raws_of_term: dict[int, list[int]] | None = None
        self._referrers: dict[str, list[str]] | None = None
        self._surfaces: dict[str, str] = {}
        self._df = np.zeros(0, dtype=np.int64)
        """Lessons using each term (column): reasons show only distinctive terms."""
        self._field_df: dict[str, Counter[str]] = {}
        self._distinctive: np.ndarray | None = None
        if self.lessons and self.settings.count > 0:
            self._text = self._text_matrix()
            self._score_all(block)

    # public ----------------------------------------------------------------------------------
    def similar(self, lesson_id: str) -> list[SimilarLink]:
        """Author links first (their `related:` order), then lessons linking here, then the
        top-k computed links above min_score, best first, ties by id."""
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
        if pos is None or not self._codes.size:
            return {}
        cols, data = self._row(pos)
        pairs = zip(cols.tolist(), data.tolist(), strict=True)
        return {self._term_text(c): v for c, v in pairs}

    # building --------------------------------------------------------------------------------
    def _text_matrix(self) -> sparse.csr_matrix:
        """Lessons × terms, tf-idf, each row pruned to max_terms and L2-normalised.

        Every text becomes an array of raw-word ids (one regex scan, one dict lookup per
        word); counting, word pairs, document frequencies and pruning are numpy on arrays."""
        s = self.settings
        n = len(self.lessons)
        vocab = self._vocab
        raw_id = vocab.raw_ids.__getitem__
        # Each text's words become ids at once: the corpus is never held as strings (at 10,000
        # lessons a list of every word was six million str objects, ~400 MB at the peak).
        chunks: list[np.ndarray] = []
        sizes: list[int] = []
        scan = _scanner(self._words)
        for lesson in self.lessons:
            summary = "" if _told_in(lesson.summary, lesson.body) else lesson.summary
            for text in (lesson.title, summary, lesson.body):
                found = scan((text or "") + "\n")  # ends in a break: no pair spans texts
                chunks.append(np.fromiter(map(raw_id, found), dtype=np.int64, count=len(found)))
                sizes.append(len(found))
        if self._words is not None:
            scan(None)  # forget the texts of lessons gone or changed
        raw = np.concatenate(chunks)
        del chunks
        self._raw_counts = np.bincount(raw, minlength=len(vocab.raws))
        term = np.asarray(vocab.term_of_raw, dtype=np.int64)[raw]
        del raw
        # text = lesson * 4 + (0 title, 1 summary, 2 body): the lesson is text >> 2
        text = np.repeat((np.arange(n)[:, None] * 4 + np.arange(3)).ravel(), sizes)
        n_words = len(vocab.terms)
        keep = term >= 0
        codes, texts = [term[keep]], [text[keep]]
        if s.bigrams and len(term) > 1:
            pair = (term[:-1] >= 0) & (term[1:] >= 0)
            codes.append((term[:-1][pair] + 1) * n_words + term[1:][pair])
            texts.append(text[:-1][pair])
        del term, text, keep  # the arrays of every word: only one copy alive at a time
        code_all, text_all = np.concatenate(codes), np.concatenate(texts)
        del codes, texts
        counts = self._count(code_all, text_all, n_words)
        del code_all, text_all
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        self._df = df
        with np.errstate(divide="ignore"):
            idf = np.log(n / np.maximum(df, 1))
        useful = (df > 1) & (idf > 0)  # a word in one lesson links nothing; in all, says nothing
        values = np.where(useful[counts.indices],
                          (1.0 + np.log(counts.data)) * idf[counts.indices], 0.0)
        counts.data = values
        counts.eliminate_zeros()
        return self._prune_and_normalise(counts)

    def _count(self, code: np.ndarray, text: np.ndarray, n_words: int) -> sparse.csr_matrix:
        """Lessons × terms weighted counts. One sort of (term, text) pairs packed in an int64
        (numpy's sort is far faster than np.unique's argsort), then runs are summed."""
        s = self.settings
        n = len(self.lessons)
        if not len(code):
            return sparse.csr_matrix((n, 1))
        weights = np.array([s.title_weight, s.summary_weight, 1.0, 0.0])
        bits = (4 * n).bit_length()
        if (n_words + 1) ** 2 << bits < 2**63:
            key = np.sort((code << bits) | text)
            weight = weights[key & 3]
            key >>= 2  # (term, lesson)
            new_entry = np.ones(len(key), dtype=bool)
            np.not_equal(key[1:], key[:-1], out=new_entry[1:])
            starts = np.flatnonzero(new_entry)
            key = key[starts]
            code, doc = key >> (bits - 2), key & ((1 << (bits - 2)) - 1)
        else:  # a vocabulary too large to pack: slower, same result
            order = np.lexsort((text, code))
            code, text = code[order], text[order]
            weight, doc = weights[text & 3], text >> 2
            new_entry = np.ones(len(code), dtype=bool)
            new_entry[1:] = (code[1:] != code[:-1]) | (doc[1:] != doc[:-1])
            starts = np.flatnonzero(new_entry)
            code, doc = code[starts], doc[starts]
        tf = np.add.reduceat(weight, starts)
        new_term = np.ones(len(code), dtype=bool)
        new_term[1:] = code[1:] != code[:-1]
        self._codes = code[new_term]
        indptr = np.append(np.flatnonzero(new_term), len(code))
        return sparse.csc_matrix((tf, doc, indptr),
                                 shape=(n, max(len(self._codes), 1))).tocsr()

    def _prune_and_normalise(self, m: sparse.csr_matrix) -> sparse.csr_matrix:
        """Keep each row's max_terms strongest terms, then unit length. Ties at the cut go
        alphabetically, so the kept terms do not depend on the order words were first seen."""
        limit = self.settings.max_terms
        indptr, indices, data = m.indptr, m.indices, m.data
        keep = np.ones(len(data), dtype=bool)
        for row in np.flatnonzero(np.diff(indptr) > limit).tolist():
            lo, hi = indptr[row], indptr[row + 1]
            values = data[lo:hi]
            kth = np.partition(values, -limit)[-limit]
            keep[lo:hi] = values > kth
            tied = np.flatnonzero(values == kth)
            wanted = limit - int(np.count_nonzero(values > kth))
            names = [self._term_text(int(c)) for c in indices[lo + tied].tolist()]
            for _, i in sorted(zip(names, tied.tolist(), strict=True))[:wanted]:
                keep[lo + i] = True
        rows = np.repeat(np.arange(m.shape[0]), np.diff(indptr))[keep]
        pruned = sparse.csr_matrix((data[keep], (rows, indices[keep])), shape=m.shape)
        norms = np.sqrt(np.asarray(pruned.multiply(pruned).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        pruned.data /= np.repeat(norms, np.diff(pruned.indptr))
        return pruned

    def _score_all(self, block: int) -> None:
        s = self.settings
        n = len(self.lessons)
        text = self._text
        weights = {**DEFAULT_WEIGHTS, **dict(s.weights)}
        fields = [(name, weights.get(name, 0.0), *self._field_matrix(name))
                  for name in FIELDS if weights.get(name, 0.0) > 0
                  and any(_values(x, name) for x in self.lessons)]
        w_text = weights.get("text", 0.0)
        text_t = text.T.tocsr()
        banned = self._banned()
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
        small = [self._overlap_table(weight, weighted, binary, mass)
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
            self._top_block(score, rows)

        if self._focus is None:
            for start in range(0, n, block):
                score_rows(np.arange(start, min(start + block, n)))
        else:
            # A lesson's links depend on its own candidates, their neighbours (support) and
            # their candidates' re-scored k-th best (the mutual bar): three rounds of rows.
            wanted = sorted({self._pos[x] for x in self._focus if x in self._pos})
            done: set[int] = set()
            for _ in range(3):
                todo = np.array([r for r in wanted if r not in done], dtype=np.intp)
                for start in range(0, len(todo), block):
                    score_rows(todo[start:start + block])
                done.update(todo.tolist())
                wanted = sorted({col for r in todo.tolist()
                                 for col, _ in self._computed[self.lessons[r].id]})
        if self._reranks():
            self._add_neighbour_support()
        self._keep_confident()

    def _reranks(self) -> bool:
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
            for col, value in self._computed.get(lesson_id, [])[:s.neighbours]:
                if value > 0:
                    rows.append(row)
                    cols.append(col)
                    values.append(value)
        near = sparse.csr_matrix((values, (rows, cols)), shape=(n, n))
        support = (near @ near.T).tocsr()
        cand_rows = np.repeat(np.arange(n), [len(self._computed.get(x, [])) for x in ids])
        cand = [pair for x in ids for pair in self._computed.get(x, [])]
        if not cand:
            return
        cand_cols = np.array([c for c, _ in cand], dtype=np.int64)
        base = np.array([v for _, v in cand])
        boost = np.asarray(support[cand_rows, cand_cols]).ravel()
        new = np.round(base + s.neighbour_weight * boost, 6)
        start = 0
        for row, lesson_id in enumerate(ids):
            links = self._computed.get(lesson_id, [])
            stop = start + len(links)
            order = sorted(range(start, stop), key=lambda i: (-new[i], cand_cols[i]))
            self._kth[row] = new[order[s.count - 1]] if len(order) >= s.count else -1.0
            kept = [i for i in order[:s.count] if base[i] >= max(s.min_score, 1e-9)]
            self._computed[lesson_id] = [(int(cand_cols[i]), float(base[i])) for i in kept]
            self._ranking[lesson_id] = [float(new[i]) for i in kept]
            start = stop

    def _keep_confident(self) -> None:
        """Drop links below min_relative of the lesson's best, links that are not mutual, and
        the tail after the list's steepest drop when it is steeper than max_drop."""
        s = self.settings
        for lesson_id, links in self._computed.items():
            if not links:
                continue
            ranking = self._ranking.get(lesson_id) or [value for _, value in links]
            bar = ranking[0] * s.min_relative
            kept = [(link, value) for link, value in zip(links, ranking, strict=True)
                    if value >= bar and (not s.mutual or value >= self._kth[link[0]])]
            if s.max_drop > 0 and len(kept) > 1:
                ratios = [kept[i + 1][1] / kept[i][1] for i in range(len(kept) - 1)]
                steepest = min(range(len(ratios)), key=lambda i: (ratios[i], i))
                if ratios[steepest] < s.max_drop:
                    kept = kept[:steepest + 1]
            self._computed[lesson_id] = [link for link, _ in kept]

    @staticmethod
    def _overlap_table(weight: float, weighted: sparse.csr_matrix, binary: sparse.csr_matrix,
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

    def _top_block(self, score: np.ndarray, rows: np.ndarray) -> None:
        """Top-k of every row of a block (the lessons at ``rows``) at once; exact ties at the
        cut go to the lower id.
        With neighbour support, the `candidates` best are kept for re-scoring (min_score then
        applies to each pair's own score, the mutual and relative bars to the new ones)."""
        k = self.settings.count
        floor = self.settings.min_score
        if self._reranks():
            k, floor = max(self.settings.candidates, k), 0.0
        threshold = np.full(len(score), max(floor, 1e-9))
        if score.shape[1] > k:
            kth = np.partition(score, -k, axis=1)[:, -k]
            self._kth[rows] = kth
            threshold = np.maximum(threshold, kth)
        else:
            self._kth[rows] = -1.0
        at, cols = np.nonzero(score >= threshold[:, None])
        values = score[at, cols]
        order = np.lexsort((cols, -values, at))
        at, cols, values = at[order].tolist(), cols[order].tolist(), values[order].tolist()
        found: dict[int, list[tuple[int, float]]] = {i: [] for i in range(len(score))}
        for i, col, value in zip(at, cols, values, strict=True):
            if len(found[i]) < k:
                found[i].append((col, value))
        for i, links in found.items():
            self._computed[self.lessons[int(rows[i])].id] = links

    def _field_matrix(self, name: str) -> tuple[sparse.csr_matrix, sparse.csr_matrix,
                                                 np.ndarray, np.ndarray]:
        values = [[v.casefold() for v in _values(x, name)] for x in self.lessons]
        df = Counter(v for vs in values for v in set(vs))
        index = {v: i for i, v in enumerate(sorted(df))}
        n = len(self.lessons)
        rows = [r for r, vs in enumerate(values) for v in set(vs)]
        cols = [index[v] for vs in values for v in set(vs)]
        rarity = np.array([_rarity(df[v], n) for v in sorted(df)] or [0.0])
        shape = (n, max(len(index), 1))
        binary = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)
        weighted = binary.multiply(rarity[None, : shape[1]]).tocsr()
        mass = np.asarray(binary.sum(axis=1)).ravel()
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
        for other_id in self._linked_by().get(lesson_id, []):
            if other_id not in seen | unrelated:
                seen.add(other_id)
                links.append(self._link(me, other_id, links_here=True))
        for index, score in self._computed.get(lesson_id, []):
            other_id = self.lessons[index].id
            if other_id not in seen:
                seen.add(other_id)
                links.append(self._link(me, other_id, score=score))
        return links

    def _linked_by(self) -> dict[str, list[str]]:
        """Lesson id → the lessons naming it in `related:`, by id; built once, not per page."""
        if self._referrers is None:
            self._referrers = {}
            for other in sorted(self._all.values(), key=lambda x: x.id):
                for target in dict.fromkeys(other.related):
                    self._referrers.setdefault(target, []).append(other.id)
        return self._referrers

    def _row(self, pos: int) -> tuple[np.ndarray, np.ndarray]:
        """(term columns, weights) of a lesson, straight from the CSR arrays (no slicing)."""
        lo, hi = self._text.indptr[pos], self._text.indptr[pos + 1]
        return self._text.indices[lo:hi], self._text.data[lo:hi]

    def _link(self, me: Lesson, other_id: str, score: float | None = None,
              by_author: bool = False, links_here: bool = False) -> SimilarLink:
        other = self._all[other_id]
        shared = {}
        weights = {**DEFAULT_WEIGHTS, **dict(self.settings.weights)}
        n = len(self.lessons)
        for name in FIELDS:
            if weights.get(name, 0.0) <= 0:  # a signal that does not count is no reason
                continue
            mine = _values(me, name)
            theirs = {v.casefold() for v in _values(other, name)}
            df = self._field_counts(name)
            both = [v for v in mine if v.casefold() in theirs
                    and _rarity(df[v.casefold()], n) >= REASON_RARITY]
            if both:
                shared[name] = both
        terms: list[str] = []
        a, b = self._pos.get(me.id), self._pos.get(other_id)
        if a is not None and b is not None and self._codes.size:
            (cols_a, data_a), (cols_b, data_b) = self._row(a), self._row(b)
            at = np.minimum(np.searchsorted(cols_b, cols_a), max(len(cols_b) - 1, 0))
            both = cols_b[at] == cols_a if len(cols_b) else np.zeros(len(cols_a), dtype=bool)
            contrib = data_a[both] * data_b[at[both]]
            terms = self._shared_terms(cols_a[both], contrib)
            if score is None:
                score = float(contrib.sum())
        return SimilarLink(other_id, score or 0.0, shared, terms, by_author, links_here)

    def _field_counts(self, name: str) -> Counter[str]:
        """Lessons carrying each value of a field (case-folded); counted once per field."""
        if name not in self._field_df:
            self._field_df[name] = Counter(
                v for x in self.lessons for v in {v.casefold() for v in _values(x, name)})
        return self._field_df[name]

    def _shared_terms(self, columns: np.ndarray, contrib: np.ndarray) -> list[str]:
        """Distinctive terms by their contribution to the cosine: a term most lessons use, or a
        two-letter one (initials, "pm"), explains nothing; a word inside a chosen pair is
        skipped."""
        if self._distinctive is None:  # once, on the first reason shown
            n = len(self.lessons)
            limit = n ** (1 - REASON_RARITY) if n >= 2 else 0  # _rarity(df, n) >= REASON_RARITY
            self._distinctive = (self._df >= 2) & (self._df <= limit + 1e-9)
        keep = self._distinctive[columns]
        columns, contrib = columns[keep], contrib[keep]
        chosen: list[str] = []
        covered: set[str] = set()
        for term in self._by_contribution(columns, contrib):
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
            yield from sorted(self._term_text(c) for c in cols[start:stop])
            start = stop

    def _term_text(self, column: int) -> str:
        """A matrix column as text: a word, or a word pair "a b"."""
        code = int(self._codes[column])
        words = self._vocab.terms
        n_words = len(words)
        if code < n_words:
            return words[code]
        return f"{words[code // n_words - 1]} {words[code % n_words]}"

    def _surface_of(self, term: str) -> str:
        """A word as the lessons write it most often (ties: alphabetical), not its stem."""
        if self._raws_of_term is None:  # built once, on the first reason shown
            self._raws_of_term = {}
            for raw_id, term_id in enumerate(self._vocab.term_of_raw):
                if term_id >= 0:
                    self._raws_of_term.setdefault(term_id, []).append(raw_id)
        if term in self._surfaces:
            return self._surfaces[term]
        term_id = self._vocab.term_ids.get(term)
        forms: Counter[str] = Counter()
        for raw_id in self._raws_of_term.get(term_id, []) if term_id is not None else []:
            forms[_surface(self._vocab.raws[raw_id])] += int(self._raw_counts[raw_id])
        best = min(forms.items(), key=lambda kv: (-kv[1], kv[0]))[0] if forms else term
        self._surfaces[term] = best
        return best


def _told_in(summary: str | None, body: str) -> bool:
    """Whether the body already tells the summary (an imported postmortem's summary is its own
    first paragraph): counted again with its boost, those words would weigh three times. The
    summary's opening words found near the top of the body is enough (and cheap)."""
    if not summary or len(summary) < 20:
        return False
    return summary[:40] in body[:len(summary) * 4 + 2000]


def _rarity(df: int, n: int) -> float:
    """What sharing a field value says, 0..1: ln(N/df) / ln(N). A value every lesson carries
    says nothing (0); one that two lessons of a hundred share says nearly as much as a value
    could (0.85). A value on one lesson links nothing anyway."""
    if n < 2 or df < 2:
        return 0.0
    return max(math.log(n / df), 0.0) / math.log(n)


def _values(lesson: Lesson, name: str) -> list[str]:
    value = getattr(lesson, name)
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)
