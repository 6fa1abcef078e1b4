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


class TermMatrix:
    """The lessons' unit-length tf-idf rows and what reasons need to read them back as words:
    the vocabulary, each column's term code, each raw word's count and each column's df."""

    def __init__(self, lessons: Sequence[Lesson], settings: SimilarSettings,
                 words: dict[str, str] | WordIds | None = None) -> None:
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
                chunks.append(np.fromiter(map(raw_id, found), dtype=np.int64, count=len(found)))
                sizes.append(len(found))
            if self._words is not None:
                scan(None)  # forget the texts of lessons gone or changed
            raw = np.concatenate(chunks)
        del chunks, texts
        self.raw_counts = np.bincount(raw, minlength=len(vocab.raws))
        # text = lesson * 4 + (0 title, 1 summary, 2 body): the lesson is text >> 2
        text = np.repeat((np.arange(n)[:, None] * 4 + np.arange(3)).ravel(), sizes)
        term = np.asarray(vocab.term_of_raw, dtype=np.int64)[raw]
        if s.template_words > 0:  # what the collection repeats is its template, not incidents
            term[repeated(raw, np.asarray(vocab.is_word, dtype=bool), text >> 2,
                          s.template_words, min_docs(n, s.template_docs))] = -1
        del raw
        self.people = {vocab.term_ids[t] for t in (term_of(x, s) for x in names)
                       if t is not None and t in vocab.term_ids}
        if self.people:
            gone = np.zeros(len(vocab.terms), dtype=bool)
            gone[list(self.people)] = True
            term[(term >= 0) & gone[np.maximum(term, 0)]] = -1
        n_words = len(vocab.terms)
        keep = term >= 0
        codes, texts = [term[keep]], [text[keep]]
        if s.bigrams and len(term) > 1:
            pair = (term[:-1] >= 0) & (term[1:] >= 0)
            codes.append((term[:-1][pair] + 1) * n_words + term[1:][pair])
            texts.append(text[:-1][pair])
        del term, text, keep  # the arrays of every word: only one copy alive at a time
        # one part (no word pairs) is used as it is: a copy of millions of entries saved
        code_all = codes[0] if len(codes) == 1 else np.concatenate(codes)
        text_all = texts[0] if len(texts) == 1 else np.concatenate(texts)
        del codes, texts
        counts = self._count(code_all, text_all, n_words)
        del code_all, text_all
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        self.df = df
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
        self.codes = code[new_term]
        indptr = np.append(np.flatnonzero(new_term), len(code))
        return sparse.csc_matrix((tf, doc, indptr),
                                 shape=(n, max(len(self.codes), 1))).tocsr()

    def _prune_and_normalise(self, m: sparse.csr_matrix) -> sparse.csr_matrix:
        """Keep each row's max_terms strongest terms, then unit length. Ties at the cut go
        alphabetically, so the kept terms do not depend on the order words were first seen."""
        limit = self.settings.max_terms
        indptr, indices, data = m.indptr, m.indices, m.data
        keep = np.ones(len(data), dtype=bool)
        sizes = np.diff(indptr)
        long_rows = np.flatnonzero(sizes > limit)
        slow = long_rows.tolist()
        if len(long_rows) and limit > 0 and (
                len(long_rows) * int(sizes[long_rows].max()) <= 4 * len(data) + 2**20):
            slow = _cut_rows(indptr, data, long_rows, limit, keep)
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
