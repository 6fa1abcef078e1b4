"""Each text's raw words as integer ids into one lexicon, so a later run need not scan again.

Scanning Markdown into words (text.raw_words) is the slowest part of the similarity index
that does not depend on the other lessons. `lessonbook review` keeps each lesson's words
between runs as plain integer arrays (analysis/change_review/cache.py stores them with the
lexicon, never pickled); :class:`WordIds` is that memo. Its ids are the cache's own numbering:
:meth:`WordIds.corpus` hands the index the corpus renumbered in the order the words are first
met, which is exactly the numbering scanning the texts one by one gives, so the index (its
term order, its ties, its scores) is the same with or without the memo.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .text import raw_words

ID_TYPE = np.dtype("<i4")
"""The stored id type (little-endian, so a cache file means the same on every machine)."""


class WordIds:
    """Text → its raw words as ids into :attr:`lexicon` (a text not known yet is scanned)."""

    def __init__(self, lexicon: list[str] | None = None,
                 texts: dict[str, np.ndarray] | None = None) -> None:
        self.lexicon: list[str] = lexicon if lexicon is not None else []
        self.texts: dict[str, np.ndarray] = texts if texts is not None else {}
        """Text → ids (int32) into the lexicon."""
        self._lookup: _Lookup | None = None
        self.scanned = 0
        """Texts scanned in this process (the others came from the memo)."""

    def ids(self, text: str) -> np.ndarray:
        """The raw words of ``text`` (as raw_words gives them) as lexicon ids."""
        found = self.texts.get(text)
        if found is None:
            lookup = self._lookup
            if lookup is None:
                lookup = self._lookup = _Lookup(self.lexicon)
            words = raw_words(text)
            # one pass at C speed: a word not seen yet is numbered as it is met
            found = np.fromiter(map(lookup.__getitem__, words), dtype=ID_TYPE,
                                count=len(words))
            self.texts[text] = found
            self.scanned += 1
        return found

    def corpus(self, texts: Sequence[str], raw_id: Callable[[str], int]
               ) -> tuple[np.ndarray, list[int]]:
        """The words of ``texts`` one after another, numbered by ``raw_id`` called once per
        distinct word in the order the words first occur (as a scan would call it), and each
        text's word count."""
        chunks = [self.ids(text) for text in texts]
        sizes = [len(chunk) for chunk in chunks]
        flat = np.concatenate(chunks) if chunks else np.zeros(0, dtype=ID_TYPE)
        del chunks
        # positions and ids as int32 where they fit: arrays of every word, half the memory
        position = np.int32 if len(flat) < 2**31 else np.int64
        first = np.full(len(self.lexicon), len(flat), dtype=position)
        np.minimum.at(first, flat, np.arange(len(flat), dtype=position))
        present = np.flatnonzero(first < len(flat))
        order = present[np.argsort(first[present], kind="stable")].tolist()
        renumber = np.full(len(self.lexicon), -1,
                           dtype=np.int32 if len(self.lexicon) < 2**31 else np.int64)
        lexicon = self.lexicon
        renumber[order] = [raw_id(lexicon[i]) for i in order]
        return renumber[flat], sizes


class _Lookup(dict[str, int]):
    """Word → its lexicon id; a word not in the lexicon is appended to it and gets the next
    id (``__missing__``), so numbering a text's words is one ``map`` with no Python loop (a
    cold review scans seven million words at 10,000 lessons: 1.3 -> 0.5 s of CPU)."""

    def __init__(self, lexicon: list[str]) -> None:
        super().__init__((w, i) for i, w in enumerate(lexicon))
        self.lexicon = lexicon

    def __missing__(self, word: str) -> int:
        self[word] = number = len(self.lexicon)
        self.lexicon.append(word)
        return number
