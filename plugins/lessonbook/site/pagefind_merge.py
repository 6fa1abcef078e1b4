"""The parts of the search index joined into one index, so the browser ranks every lesson with
the whole site's word statistics.

Why: Pagefind ranks by BM25, whose word weights come from the index the page is in (the number
of pages, the pages holding the word, the average page length). Parts searched together in the
browser (``mergeIndex``) are each ranked with their own statistics, and their hits are merged
by score: a word a little rarer in one part lifts that whole part's hits, so the merged top
five differed from a single index's for 89 % of the benchmark's queries. Parts also choose
their prefix matches alone (a part without any word extending a query word falls back to a
shorter word), so result counts could differ too.

How: the parts are written one after the other by their own Pagefind processes (bounded
memory, pagefind_parts.py); then this module rewrites them as one bundle, streaming:

* pages: each part's list, one after the other (part k's page numbers shifted by the pages
  before it); fragments move into one folder (a name taken twice gets a new one);
* words: a merge of the parts' sorted word chunks, one chunk per part in memory at a time; a
  word's page postings are concatenated with the page numbers shifted (Pagefind stores each
  page number as the difference from the one before); new chunks are cut as Pagefind cuts
  them (about 20,000 locations each) and bounded by the same shortest distinguishing
  prefixes;
* filters: each value's pages, concatenated with the same shift;
* the date sort: parts hold date ranges (newest first), so the ascending order is the oldest
  part's order, then the next, and so on.

Memory is bounded by one part at a time plus one word chunk per part, not by the number of
lessons: a word's joined postings (a common word's run to megabytes at 50,000 lessons) are
written piece by piece, as views of the parts' chunks, into the output chunk, which beyond
256 KB goes to a spool file and is compressed from there; the meta file's page list goes to
disk as it is made and the date order is streamed part by part; a fragment's name is known
to be taken when its hard link fails, not from a set of every name; only the filters' page
numbers are held, as 4-byte integers, one filter at a time.

The result is the index one Pagefind process would have written for all the lessons, up to
the order of pages with equal scores: ranking, counts and facets are the single index's. The
files are Pagefind's own format (gzip of ``pagefind_dcd`` + CBOR arrays), which is not a
public interface: :func:`mergeable` checks that every part has the shape this code knows
(version, fields, one language) and the caller keeps the parts for the browser to merge
when it does not.
"""

from __future__ import annotations

import contextlib
import gzip
import heapq
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .pagefind_chunks import Chunks
from .pagefind_files import (
    SIGNATURE,
    Compressed,
    Taken,
    decode,
    encode_into,
    head,
    name_for,
    name_of,
    read,
    unpacked,
)

KNOWN_VERSIONS = ("1.5.",)
"""Pagefind versions whose index files this module has been checked against."""

DROPPED_FILTERS = ("lessonbook_part",)
"""Filters that only mean something while the parts are separate (see search-index.js)."""


# --- one part as written by Pagefind ----------------------------------------------------------
class Part:
    """A part's entry, metadata and folder; page numbers shift by ``offset`` in the whole. Its
    page list and date order are read again when needed (:meth:`pages`, :meth:`date_order`):
    every part is open at once during the join, so none holds a list per page."""

    def __init__(self, folder: Path, offset: int) -> None:
        self.folder = folder
        self.offset = offset
        entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
        self.entry = entry
        (self.language, info), = entry["languages"].items()
        self._meta = folder / f"pagefind.{info['hash']}.pf_meta"
        self.version, pages, self.chunks, self.filters, sorts, self.fields = read(self._meta)
        self.page_count = len(pages)
        self.pages_known = all(isinstance(page, list) and len(page) == 2 for page in pages)
        self.sort_names = [name for name, _ in sorts]
        self.date_count = sum(len(numbers) for name, numbers in sorts if name == "date")

    def pages(self) -> list[list[Any]]:
        """``[fragment name, word count]`` of each page, in page-number order."""
        pages: list[list[Any]] = read(self._meta)[1]
        return pages

    def date_order(self) -> list[int]:
        """The part's page numbers by ascending date (empty without a date sort)."""
        return [n for name, numbers in read(self._meta)[4] if name == "date" for n in numbers]

    def words(self) -> Iterator[Word]:
        """Every word entry, in order, one chunk in memory at a time."""
        for _first, _last, name in self.chunks:
            yield from _raw_words(unpacked(self.folder / "index" / f"{name}.pf_index"))

    def filter(self, name: str) -> dict[str, list[int]]:
        hashes = dict(self.filters)
        if name not in hashes:
            return {}
        _name, values = read(self.folder / "filter" / f"{hashes[name]}.pf_filter")
        return {value: pages for value, pages in values}


def mergeable(folders: list[Path]) -> str | None:
    """None when the parts can be joined, else why not (the browser then merges them)."""
    try:
        parts = [Part(f, 0) for f in folders]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return f"unreadable part ({exc})"
    first = parts[0]
    if not str(first.version).startswith(KNOWN_VERSIONS):
        return f"Pagefind {first.version} writes a format this version does not join"
    for part in parts:
        if (part.version, part.fields, part.language) != (first.version, first.fields,
                                                          first.language):
            return "the parts differ in version, language or metadata fields"
        if part.sort_names not in ([], ["date"]):
            return "a sort other than the date"
        if not part.pages_known:
            return "unexpected page records"
    return None


# --- the merge ---------------------------------------------------------------------------------
_INT = rb"(?:[\x00-\x17\x20-\x37]|[\x18\x38].|[\x19\x39]..|[\x1a\x3a]....|[\x1b\x3b].{8})"
_ARRAY = rb"(?:[\x80-\x97]|\x98.|\x99..|\x9a....)"
_PAGE = re.compile(rb"\x83(" + _INT + b")" + _ARRAY + _INT + b"*" + _ARRAY + _INT + b"*", re.S)
"""One page posting, ``[page delta, [locations], [metadata locations]]``, matched in C: the
locations are skipped, never decoded."""


class Postings:
    """A word's page postings kept as CBOR bytes: how many, the first page number, the last
    (both absolute within the part) and the bytes after the first page's number (a view of
    the part's chunk, not a copy)."""

    __slots__ = ("count", "first", "last", "rest")

    def __init__(self, count: int, first: int, last: int, rest: memoryview) -> None:
        self.count, self.first, self.last, self.rest = count, first, last, rest


class Word:
    """One entry of a word chunk: the word, its postings, and its spellings with diacritics
    (``köln`` under ``koln``), each with postings of its own."""

    __slots__ = ("text", "postings", "variants")

    def __init__(self, text: str, postings: Postings, variants: list[tuple[str, Postings]]
                 ) -> None:
        self.text, self.postings, self.variants = text, postings, variants


def _postings(data: bytes, view: memoryview, at: int) -> tuple[Postings, int]:
    count, at = _length(data, at, 4)
    scan = _PAGE.scanner(data, at)
    page = first = start = 0
    for n in range(count):
        found = scan.match()
        if found is None:
            raise ValueError("unexpected page posting")
        page += decode(found.group(1), 0)[0]
        if n == 0:
            first, start = page, found.end(1)
        at = found.end()
    return Postings(count, first, page, view[start:at] if count else view[0:0]), at


def _raw_words(data: bytes) -> Iterator[Word]:
    """The entries of a chunk file (``[[word, [postings], [[variant, [postings]], ...]], ...]``
    inside a one-item array), read without decoding the postings' locations."""
    at = len(SIGNATURE)
    view = memoryview(data)
    if data[at] != 0x81:
        raise ValueError("unexpected word chunk")
    words, at = _length(data, at + 1, 4)
    for _ in range(words):
        if data[at] != 0x83:
            raise ValueError("unexpected word entry")
        text, at = decode(data, at + 1)
        postings, at = _postings(data, view, at)
        count, at = _length(data, at, 4)
        variants = []
        for _ in range(count):
            if data[at] != 0x82:
                raise ValueError(f"word {text!r}: unexpected variant")
            variant, at = decode(data, at + 1)
            found, at = _postings(data, view, at)
            variants.append((variant, found))
        yield Word(text, postings, variants)


def _length(data: bytes, at: int, major: int) -> tuple[int, int]:
    head = data[at]
    if head >> 5 != major:
        raise ValueError("unexpected CBOR item")
    info = head & 31
    if info < 24:
        return info, at + 1
    width = 1 << (info - 24)
    return int.from_bytes(data[at + 1:at + 1 + width], "big"), at + 1 + width


class _Joined:
    """Postings of one word (or spelling) from part after part, page numbers shifted. Pagefind
    stores each page number as the difference from the posting before (the first from 0), so
    only the first posting of each part changes."""

    def __init__(self) -> None:
        self.pieces: list[bytes | memoryview] = []
        self.count = self.last = 0

    def add(self, postings: Postings, offset: int) -> None:
        if postings.count:
            first = offset + postings.first
            self.pieces += (b"\x83" + head(0, first - self.last), postings.rest)
            self.count += postings.count
            self.last = offset + postings.last

    def encode(self) -> Iterator[bytes | memoryview]:
        yield head(4, self.count)
        yield from self.pieces


def _joined_words(parts: list[Part]) -> Iterator[tuple[str, Iterator[bytes | memoryview]]]:
    """Each word once, in order, with its postings from every part (parts in order), as the
    CBOR bytes of its entry, piece by piece (views of the parts' chunks: never copied whole;
    the caller writes them before asking for the next word)."""

    def tagged(k: int) -> Iterator[tuple[str, int, Word]]:
        return ((word.text, k, word) for word in parts[k].words())

    streams = [tagged(k) for k in range(len(parts))]
    text: str | None = None
    main, variants = _Joined(), dict[str, _Joined]()
    for word_text, k, word in heapq.merge(*streams, key=lambda item: (item[0], item[1])):
        if word_text != text:
            if text is not None:
                yield text, _entry(text, main, variants)
            text, main, variants = word_text, _Joined(), {}
        main.add(word.postings, parts[k].offset)
        for spelling, postings in word.variants:
            variants.setdefault(spelling, _Joined()).add(postings, parts[k].offset)
    if text is not None:
        yield text, _entry(text, main, variants)


def _entry(text: str, main: _Joined, variants: dict[str, _Joined]
           ) -> Iterator[bytes | memoryview]:
    out = bytearray(b"\x83")
    encode_into(text, out)
    yield bytes(out)
    yield from main.encode()
    yield head(4, len(variants))
    for spelling in sorted(variants):
        out = bytearray(b"\x82")
        encode_into(spelling, out)
        yield bytes(out)
        yield from variants[spelling].encode()


def join(folders: list[Path], output: Path) -> int:
    """Write one bundle at ``output`` (absent) from the parts in ``folders`` (part 1 first,
    newest lessons; part 1 also holds the runtime files). Returns the number of pages."""
    parts, total = [], 0
    for folder in folders:
        parts.append(Part(folder, total))
        total += parts[-1].page_count
    first = parts[0]
    language = first.language
    output.mkdir(parents=True)
    for item in first.folder.iterdir():  # the runtime: scripts, WebAssembly, styles
        if item.is_file() and item.suffix != ".pf_meta" and item.name not in (
                "pagefind-entry.json", "lessonbook-parts.json"):
            shutil.copy2(item, output / item.name)
    for sub in ("fragment", "index", "filter"):
        (output / sub).mkdir()

    with tempfile.TemporaryFile(dir=output) as pages:  # the meta's page list, encoded
        fragments = Taken(output / "fragment", ".pf_fragment")
        for part in parts:
            for name, words in part.pages():
                source = part.folder / "fragment" / f"{name}.pf_fragment"
                if not _link(source, output / "fragment" / f"{name}.pf_fragment"):
                    # the same short hash in two parts: give it a new name
                    name = name_for(language, source.read_bytes(), fragments, len(name) - 2)
                    _link(source, output / "fragment" / f"{name}.pf_fragment")
                record = bytearray(b"\x82")
                encode_into(name, record)
                encode_into(words, record)
                pages.write(record)

        chunks = Chunks(output / "index", language)
        for text, entry in _joined_words(parts):
            chunks.add(text, entry)
        index_meta = chunks.meta()
        filter_meta = _join_filters(parts, output / "filter", language)

        out = Compressed(output / ".meta.tmp")
        start = bytearray(SIGNATURE + b"\x86")
        encode_into(first.version, start)
        start += head(4, total)
        out.write(start)
        pages.seek(0)
        out.copy(pages)
    middle = bytearray()
    encode_into(index_meta, middle)
    encode_into(filter_meta, middle)
    dated = sum(part.date_count for part in parts)
    if any(part.sort_names for part in parts):  # ascending: the oldest part's lessons first
        middle += b"\x81\x82"
        encode_into("date", middle)
        middle += head(4, dated)
        out.write(middle)
        for part in reversed(parts):
            out.write(b"".join(head(0, n + part.offset) for n in part.date_order()))
        middle = bytearray()
    else:
        middle += head(4, 0)
    encode_into(first.fields, middle)
    out.write(middle)
    meta_name = name_of(language, out.close(), set(), 10)
    out.path.rename(output / f"pagefind.{meta_name}.pf_meta")
    entry = dict(first.entry)
    entry["languages"] = {language: {**first.entry["languages"][language], "hash": meta_name,
                                     "page_count": total}}
    # Written last: a bundle without its entry file is incomplete.
    (output / "pagefind-entry.json").write_text(json.dumps(entry, ensure_ascii=False),
                                                encoding="utf-8")
    return total


def _join_filters(parts: list[Part], folder: Path, language: str) -> list[list[str]]:
    """Each filter's values with their pages from every part (shifted), one filter in memory
    at a time, its page numbers as 4-byte integers; the meta's list of (name, file)."""
    filter_meta = []
    taken: set[str] = set()
    names = [n for n, _ in parts[0].filters] + [n for p in parts for n, _ in p.filters]
    for name in dict.fromkeys(names):
        if name in DROPPED_FILTERS:
            continue
        values: dict[str, array[int]] = {}
        for part in parts:
            for value, numbers in part.filter(name).items():
                values.setdefault(value, array("I")).extend(n + part.offset for n in numbers)
        data = bytearray(SIGNATURE + b"\x82")
        encode_into(name, data)
        data += head(4, len(values))
        for value in sorted(values):
            data += b"\x82"
            encode_into(value, data)
            data += head(4, len(values[value]))
            data += b"".join(head(0, n) for n in values[value])
        compressed = gzip.compress(bytes(data), 6, mtime=0)
        hashed = name_for(language, compressed, taken)
        (folder / f"{hashed}.pf_filter").write_bytes(compressed)
        filter_meta.append([name, hashed])
    return filter_meta


def _link(source: Path, target: Path) -> bool:
    """The file at a second name (the parts stay intact until the joined index is complete);
    False when that name is taken (the folder is the record of taken names)."""
    try:
        os.link(source, target)
    except FileExistsError:
        return False
    except OSError:
        if target.exists():
            return False
        shutil.copy2(source, target)
    return True


def join_in_process(folders: list[Path], output: Path, timeout: float = 3600) -> str | None:
    """:func:`join` in a child process at low priority (the build's process keeps its CPU and
    its interpreter lock); None when the joined bundle is at ``output``, else why not (the
    caller then keeps the parts, and ``output`` is left absent)."""
    why = mergeable(folders)
    if why is not None:
        return why
    command = [sys.executable, "-m", __name__, str(output), *map(str, folders)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              preexec_fn=_lower_priority, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        done = None
        reason = str(exc)
    if done is not None and done.returncode == 0 and (output / "pagefind-entry.json").exists():
        return None
    if done is not None:
        reason = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
    shutil.rmtree(output, ignore_errors=True)
    return f"joining the parts failed: {reason}"


def _lower_priority() -> None:
    with contextlib.suppress(OSError):
        os.nice(10)


def main(argv: list[str]) -> int:
    """``python -m lessonbook.site.pagefind_merge OUTPUT PART1 [PART2 ...]``"""
    output, *folders = map(Path, argv)
    try:
        join(folders, output)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
