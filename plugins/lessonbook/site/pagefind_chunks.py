"""The joined index's word chunks (pagefind_merge.py): where a chunk may end, and writing
it in bounded memory.

Pagefind splits a language's words into chunk files, each named by the hash of its compressed
bytes and listed in the meta file with the first and last word it holds (shortened to the
letters that tell neighbouring chunks apart); the browser loads, for a query word, the one
chunk whose bounds hold it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from .pagefind_files import SIGNATURE, Compressed, head, name_of

CHUNK_BYTES = 16_000
"""Uncompressed bytes per word chunk before a new chunk starts (Pagefind's own chunks, cut at
20,000 locations, are 40-60 KB)."""

SPILL_BYTES = 1 << 18
"""Bytes of a chunk's entries held in memory before they go to its spool file."""


def prefixes(left: str, right: str) -> tuple[str, str]:
    """The shortest starts that still tell two neighbouring chunk bounds apart."""
    same = 0
    for a, b in zip(left, right, strict=False):
        if a != b:
            break
        same += 1
    return left[:same + 1], right[:same + 1]


class Chunks:
    """Word entries collected into chunks of about CHUNK_BYTES, in memory up to SPILL_BYTES
    and beyond that in a spool file (a common word's postings are megabytes at 50,000
    lessons); a full chunk is compressed from there into its file."""

    def __init__(self, folder: Path, language: str) -> None:
        self.folder, self.language = folder, language
        self.bounds: list[list[str]] = []
        self.count = 0
        self.first = self.last = ""
        self.size = 0
        self.taken: set[str] = set()
        self._spool: IO[bytes] = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115 (meta())
        self._buffer, self._spilled = bytearray(), False

    def add(self, text: str, pieces: Iterable[bytes | memoryview]) -> None:
        if self.size >= CHUNK_BYTES and self._may_cut(text):
            self.flush()
        if not self.count:
            self.first = text
        self.last = text
        self.count += 1
        for piece in pieces:
            self._buffer += piece
            self.size += len(piece)
            if len(self._buffer) >= SPILL_BYTES:
                self._spool.write(self._buffer)
                self._buffer.clear()
                self._spilled = True

    def _may_cut(self, following: str) -> bool:
        """Whether a chunk may end before ``following``. Pagefind looks a query word up in the
        one chunk whose bounds hold it and takes the words there that start with it: a cut
        between words sharing their first letters would hide the later ones. So a chunk ends
        where the next word shares at most three letters with the last (every query word of
        four letters or more finds all its extensions), or, in a long run of words alike, at
        least where the next word does not extend the last."""
        shared = 0
        for a, b in zip(self.last, following, strict=False):
            if a != b:
                break
            shared += 1
        if shared == len(self.last):
            return False
        return shared <= 3 or self.size >= 8 * CHUNK_BYTES

    def flush(self) -> None:
        if not self.count:
            return
        out = Compressed(self.folder / ".chunk.tmp")
        out.write(SIGNATURE + b"\x81" + head(4, self.count))
        if self._spilled:
            self._spool.seek(0)
            out.copy(self._spool)
        out.write(self._buffer)
        name = name_of(self.language, out.close(), self.taken)
        out.path.rename(self.folder / f"{name}.pf_index")
        self.bounds.append([self.first, self.last, name])
        if self._spilled:
            self._spool.seek(0)
            self._spool.truncate()
        self._buffer.clear()
        self.count = self.size = 0
        self._spilled = False

    def meta(self) -> list[list[str]]:
        self.flush()
        self._spool.close()
        for left, right in zip(self.bounds, self.bounds[1:], strict=False):
            left[1], right[0] = prefixes(left[1], right[0])
        return self.bounds
