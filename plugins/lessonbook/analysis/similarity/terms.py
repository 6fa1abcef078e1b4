"""Lessons → the TF-IDF term matrix (lessons × terms), counted on integer ids with numpy.

Every text becomes an array of raw-word ids (one regex scan, one dict lookup per distinct
word); counting, word pairs, document frequencies and pruning are array operations, never a
Python loop over words (docs/similarity.md has the measurements)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse

from ...model.lesson import Lesson
from .boilerplate import min_docs, repeated
from .settings import SimilarSettings
from .text import is_word, people, scanner, term_of, told_in
from .word_ids import WordIds


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
        self.is_word: list[bool] = []
        self.term_of_raw: list[int] = []
        """Raw id → term id, -1 for breaks and dropped words (both end a word pair)."""
        self.term_ids: dict[str, int] = {}
        self.terms: list[str] = []

    def add(self, raw: str) -> int:
        term = term_of(raw, self.settings)
        term_id = -1
        if term is not None:
            term_id = self.term_ids.setdefault(term, len(self.terms))
            if term_id == len(self.terms):
                self.terms.append(term)
        self.raws.append(raw)
        self.is_word.append(is_word(raw))
        self.term_of_raw.append(term_id)
        return len(self.raws) - 1


SLICE_SIZE = 1 << 20
"""Entries one pass handles (corpus positions hashed or packed, cells of the table that cuts
rows): the working arrays stay a few MB however large the collection, and only the arrays
the matrix needs are as long as the corpus (measured in docs/performance.md)."""


class TermMatrix:
    """The lessons' unit-length tf-idf rows and what reasons need to read them back as words:
    the vocabulary, each column's term code, each raw word's count and each column's df."""

    def __init__(self, lessons: Sequence[Lesson], settings: SimilarSettings,
                 words: dict[str, str] | WordIds | None = None, slice_size: int = 0
                 ) -> None:
        """``slice_size``: entries one pass handles (0: :data:`SLICE_SIZE`); the matrix does
        not depend on it, only the working memory."""
        self.settings = settings
        self.lessons = lessons
        self.vocab = _Vocabulary(settings)
        self.codes = np.zeros(0, dtype=np.int64)
        """Column → term code: a word id, or (a + 1) · V + b for a word pair."""
        self.raw_counts = np.zeros(0, dtype=np.int64)
        self.df = np.zeros(0, dtype=np.int64)
        """Lessons using each term (column): reasons show only distinctive terms."""
        self.matrix = sparse.csr_matrix((len(lessons), 1))
        self.people: set[int] = set()
        """Term ids of people's names and handles found in the collection (never counted)."""
        self._words = words
        self.slice_size = slice_size or SLICE_SIZE
        if lessons:
            self.matrix = self._build()

    def row(self, pos: int) -> tuple[np.ndarray, np.ndarray]:
        """(term columns, weights) of a lesson, straight from the CSR arrays (no slicing)."""
        lo, hi = self.matrix.indptr[pos], self.matrix.indptr[pos + 1]
        return self.matrix.indices[lo:hi], self.matrix.data[lo:hi]

    def term_text(self, column: int) -> str:
        """A matrix column as text: a word, or a word pair "a b"."""
        code = int(self.codes[column])
        words = self.vocab.terms
        n_words = len(words)
        if code < n_words:
            return words[code]
        return f"{words[code // n_words - 1]} {words[code % n_words]}"

    def _build(self) -> sparse.csr_matrix:
        """Lessons × terms, tf-idf, each row pruned to max_terms and L2-normalised.

        Every text becomes an array of raw-word ids (one regex scan, one dict lookup per
        word); counting, word pairs, document frequencies and pruning are numpy on arrays."""
        s = self.settings
        n = len(self.lessons)
        vocab = self.vocab
        raw_id = vocab.raw_ids.__getitem__
        # Each text's words become ids at once: the corpus is never held as strings (at 10,000
        # lessons a list of every word was six million str objects, ~400 MB at the peak).
        chunks: list[np.ndarray] = []
        sizes: list[int] = []
        names: set[str] = set()
        texts: list[str] = []
        for lesson in self.lessons:
            summary = "" if told_in(lesson.summary, lesson.body) else lesson.summary
            for text in (lesson.title, summary, lesson.body):
                names |= people(text or "")
                texts.append((text or "") + "\n")  # ends in a break: no pair spans texts
        if isinstance(self._words, WordIds):  # `lessonbook review`: ids kept between runs
            raw, sizes = self._words.corpus(texts, raw_id)
        else:
            scan = scanner(self._words)
            for text in texts:
                found = scan(text)
                chunks.append(np.fromiter(map(raw_id, found), dtype=np.int32, count=len(found)))
                sizes.append(len(found))
            if self._words is not None:
                scan(None)  # forget the texts of lessons gone or changed
            raw = np.concatenate(chunks)
        del chunks, texts
        self.raw_counts = np.bincount(raw, minlength=len(vocab.raws))
        # text = lesson * 4 + (0 title, 1 summary, 2 body): the lesson is text >> 2
        # int32: one entry per word of the collection each (six million at 10,000 lessons)
        text = np.repeat((np.arange(n, dtype=np.int32)[:, None] * 4
                          + np.arange(3, dtype=np.int32)).ravel(), sizes)
        dropped = None
        if s.template_words > 0:  # what the collection repeats is its template, not incidents
            dropped = repeated(raw, np.asarray(vocab.is_word, dtype=bool), text,
                               s.template_words, min_docs(n, s.template_docs),
                               runs_at_a_time=self.slice_size, shift=2)
        # Arrays of every word, one at a time: the raw ids go as the term ids come.
        term = np.asarray(vocab.term_of_raw, dtype=np.int32)[raw]
        del raw
        if dropped is not None:
            term[dropped] = -1
            del dropped
        self.people = {vocab.term_ids[t] for t in (term_of(x, s) for x in names)
                       if t is not None and t in vocab.term_ids}
        if self.people:
            gone = np.zeros(len(vocab.terms), dtype=bool)
            gone[list(self.people)] = True
            term[(term >= 0) & gone[np.maximum(term, 0)]] = -1
        n_words = len(vocab.terms)
        if (n_words + 1) ** 2 << (4 * n).bit_length() >= 2**63:  # too large to pack: slower
            counts = self._count_unpacked(term, text, n_words)
        else:
            packed = [self._pack(term, text, n_words)]
            del term, text
            counts = self._count(packed)  # consumes the list: its array goes as the counts come
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        self.df = df
        with np.errstate(divide="ignore"):
            idf = np.log(n / np.maximum(df, 1))
        useful = (df > 1) & (idf > 0)  # a word in one lesson links nothing; in all, says nothing
        values = counts.data  # (1 + log tf) · idf, in place: an array of every entry each
        np.log(values, out=values)
        values += 1.0
        values *= idf[counts.indices]
        values[~useful[counts.indices]] = 0.0
        counts.eliminate_zeros()
        return self._prune_and_normalise(counts)

    def _pack(self, term: np.ndarray, text: np.ndarray, n_words: int) -> np.ndarray:
        """Every counted occurrence as an int64 key, (term code, text): the words, then (with
        bigrams) the word pairs, packed into one array a slice of the corpus at a time, so
        no other array of every occurrence is made on the way."""
        step = self.slice_size
        bits = (4 * len(self.lessons)).bit_length()
        ends = range(0, max(len(term) - 1, 0), step) if self.settings.bigrams else range(0)
        words = int(np.count_nonzero(term >= 0))
        pairs = sum(int(np.count_nonzero(_pairs(term, lo, min(lo + step, len(term) - 1))))
                    for lo in ends)
        key = np.empty(words + pairs, dtype=np.int64)
        at = 0
        for lo in range(0, len(term), step):
            part, where = term[lo:lo + step], text[lo:lo + step]
            kept = part >= 0
            packed = key[at:at + int(np.count_nonzero(kept))]
            packed[:] = part[kept]
            packed <<= bits
            packed |= where[kept]
            at += len(packed)
        for lo in ends:
            hi = min(lo + step, len(term) - 1)
            pair = _pairs(term, lo, hi)
            packed = key[at:at + int(np.count_nonzero(pair))]
            packed[:] = term[lo:hi][pair]
            packed += 1
            packed *= n_words
            packed += term[lo + 1:hi + 1][pair]
            packed <<= bits
            packed |= text[lo:hi][pair]
            at += len(packed)
        return key

    def _count(self, packed: list[np.ndarray]) -> sparse.csr_matrix:
        """Lessons × terms weighted counts from the packed occurrences (:meth:`_pack`), taken
        out of `packed` so that the array of every occurrence goes once its runs are found.

        One sort (numpy's sort is far faster than np.unique's argsort) puts equal keys
        together; a run is how often a text uses a term, and each text's count times its
        weight (title, summary, body) sums into the lesson's. A weight per occurrence is
        never made (that was 8 bytes a word)."""
        s = self.settings
        n = len(self.lessons)
        key = packed.pop()
        if not len(key):
            return sparse.csr_matrix((n, 1))
        bits = (4 * n).bit_length()
        key.sort()
        starts = _run_starts(key)
        uses = np.diff(np.append(starts, len(key)))
        key = key[starts]
        del starts
        weights = np.array([s.title_weight, s.summary_weight, 1.0, 0.0])
        weight = weights[key & 3] * uses
        del uses
        key >>= 2  # (term, lesson): a lesson's texts are adjacent after the sort
        starts = _run_starts(key)
        tf = np.add.reduceat(weight, starts)
        del weight
        key = key[starts]
        del starts
        doc = (key & ((1 << (bits - 2)) - 1)).astype(np.int32 if n < 2**31 else np.int64)
        key >>= bits - 2
        return self._columns(key, doc, tf)

    def _count_unpacked(self, term: np.ndarray, text: np.ndarray, n_words: int
                        ) -> sparse.csr_matrix:
        """:meth:`_count` for a vocabulary too large to pack in an int64: slower, same result."""
        s = self.settings
        keep = term >= 0
        codes, texts = [term[keep].astype(np.int64)], [text[keep]]
        if s.bigrams and len(term) > 1:
            pair = (term[:-1] >= 0) & (term[1:] >= 0)
            codes.append((term[:-1][pair].astype(np.int64) + 1) * n_words + term[1:][pair])
            texts.append(text[:-1][pair])
        code, where = np.concatenate(codes), np.concatenate(texts)
        del codes, texts
        if not len(code):
            return sparse.csr_matrix((len(self.lessons), 1))
        order = np.lexsort((where, code))
        code, where = code[order], where[order]
        weights = np.array([s.title_weight, s.summary_weight, 1.0, 0.0])
        weight, doc = weights[where & 3], where >> 2
        new_entry = np.ones(len(code), dtype=bool)
        new_entry[1:] = (code[1:] != code[:-1]) | (doc[1:] != doc[:-1])
        starts = np.flatnonzero(new_entry)
        return self._columns(code[starts], doc[starts], np.add.reduceat(weight, starts))

    def _columns(self, code: np.ndarray, doc: np.ndarray, tf: np.ndarray) -> sparse.csr_matrix:
        """The counts sorted by (term code, lesson) as a lessons × terms matrix; each distinct
        code becomes a column, in code order (``self.codes``)."""
        new_term = np.ones(len(code), dtype=bool)
        new_term[1:] = code[1:] != code[:-1]
        self.codes = code[new_term]
        indptr = np.append(np.flatnonzero(new_term), len(code))
        return sparse.csc_matrix((tf, doc, indptr),
                                 shape=(len(self.lessons), max(len(self.codes), 1))).tocsr()

    def _prune_and_normalise(self, m: sparse.csr_matrix) -> sparse.csr_matrix:
        """Keep each row's max_terms strongest terms, then unit length. Ties at the cut go
        alphabetically, so the kept terms do not depend on the order words were first seen."""
        limit = self.settings.max_terms
        indptr, indices, data = m.indptr, m.indices, m.data
        keep = np.ones(len(data), dtype=bool)
        sizes = np.diff(indptr)
        long_rows = np.flatnonzero(sizes > limit)
        slow = long_rows.tolist()
        if len(long_rows) and limit > 0:
            slow = []
            for group in _rows_by_size(long_rows, sizes[long_rows], self.slice_size):
                slow += _cut_rows(indptr, data, group, limit, keep)
        for row in slow:  # a tie at the cut that cannot all be kept: by name
            lo, hi = indptr[row], indptr[row + 1]
            values = data[lo:hi]
            kth = np.partition(values, -limit)[-limit]
            keep[lo:hi] = values > kth
            tied = np.flatnonzero(values == kth)
            wanted = limit - int(np.count_nonzero(values > kth))
            if len(tied) <= wanted:  # room for every tie: no names to sort
                keep[lo + tied] = True
                continue
            names = [self.term_text(int(c)) for c in indices[lo + tied].tolist()]
            for _, i in sorted(zip(names, tied.tolist(), strict=True))[:wanted]:
                keep[lo + i] = True
        rows = np.repeat(np.arange(m.shape[0]), np.diff(indptr))[keep]
        pruned = sparse.csr_matrix((data[keep], (rows, indices[keep])), shape=m.shape)
        norms = np.sqrt(np.asarray(pruned.multiply(pruned).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        pruned.data /= np.repeat(norms, np.diff(pruned.indptr))
        return pruned



def _pairs(term: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """Which positions lo..hi-1 start a word pair: both words counted (a break, a dropped word
    or the end of a text ends a pair)."""
    pair = term[lo:hi] >= 0
    pair &= term[lo + 1:hi + 1] >= 0
    return pair


def _run_starts(key: np.ndarray) -> np.ndarray:
    """Where each run of equal values starts in a sorted array."""
    new = np.ones(len(key), dtype=bool)
    np.not_equal(key[1:], key[:-1], out=new[1:])
    return np.flatnonzero(new)


def _rows_by_size(rows: np.ndarray, sizes: np.ndarray, cells: int) -> list[np.ndarray]:
    """`rows` in groups, shortest first, each filling at most `cells` cells of the padded
    table :func:`_cut_rows` makes (a row longer than that alone). Rows of similar length go
    together, so a long-tail collection's 4,000-word lessons do not pad every 600-word one
    to their width: one table for all rows was the similarity process's peak."""
    order = np.argsort(sizes, kind="stable")
    rows, sizes = rows[order], sizes[order]
    groups = []
    start = 0
    while start < len(rows):
        # sizes ascend: the group start..stop-1 pads to sizes[stop - 1]
        fits = (np.arange(1, len(rows) - start + 1) * sizes[start:]) <= cells
        stop = start + max(int(np.count_nonzero(fits)), 1)
        groups.append(rows[start:stop])
        start = stop
    return groups


def _cut_rows(indptr: np.ndarray, data: np.ndarray, rows: np.ndarray, limit: int,
              keep: np.ndarray) -> list[int]:
    """Mark in ``keep`` each of ``rows``' `limit` strongest entries, all rows at once (each
    row's cut is one np.partition of a padded table, not a Python loop over ten thousand
    rows); returns the rows whose ties at the cut cannot all be kept, left for the caller to
    break by name. The weights are finite and positive: -inf pads a row."""
    sizes = np.diff(indptr)[rows]
    offsets = np.cumsum(sizes) - sizes
    owner = np.repeat(np.arange(len(rows)), sizes)
    local = np.arange(len(owner)) - offsets[owner]
    entry = indptr[rows][owner] + local
    width = int(sizes.max())
    table = np.full((len(rows), width), -np.inf)
    values = data[entry]
    table[owner, local] = values
    cut = np.partition(table, width - limit, axis=1)[:, width - limit][owner]
    above = values > cut
    keep[entry] = above
    tie = values == cut
    room = limit - np.bincount(owner[above], minlength=len(rows))
    fits = np.bincount(owner[tie], minlength=len(rows)) <= room
    keep[entry[tie & fits[owner]]] = True
    return rows[~fits].tolist()
