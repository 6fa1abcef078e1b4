"""The review cache: each lesson file's validated lesson, problems and words, kept between runs.

Reviewing one lesson needs every other one read (its similar incidents, the registry, the
cross-document checks): parsing YAML and scanning Markdown into words are most of that work.
So `lessonbook review` keeps, per file and keyed by the file's content hash, what reading it
gave (as JSON: lesson_json.py, which can build nothing but lesson records) and its title's,
summary's and body's words for similarity (integer ids into one word list, similarity/
word_ids.py, stored as little-endian int32 bytes and read back with numpy.frombuffer: plain
numbers, checked against the word list). They live in one SQLite database (the standard
library's) in the user's cache folder: never in the repository, never pickle. A run writes
only the rows of files that changed, so a review after editing one lesson does not rewrite
the other 10,000. A file whose bytes changed is read and scanned again; everything is, when
Lessonbook's version, its reading or word-scanning code or the site's reading settings change
(the fingerprint). A cache that cannot be read, or a row that does not check out, is ignored,
never trusted: those files are read as without a cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from ... import __version__
from ...load.knowledge_base import ReadCache
from ...model.lesson import Lesson
from ...model.vocabulary import Settings
from ..similarity.word_ids import ID_TYPE, WordIds
from .lesson_json import NotEncodable, decode_problem, encode_problem, load_lesson, store_lesson

FORMAT = 5
_PACKAGE = Path(__file__).resolve().parents[2]
READING_CODE = ("load/*.py", "load/parsing/*.py", "model/*.py", "analysis/similarity/*.py",
                "analysis/change_review/cache.py", "analysis/change_review/lesson_json.py")
"""The code that decides what a file reads as and which words it has for similarity: a
change there empties the cache (tests/test_review_cache_invalidation.py holds every module
of those folders covered)."""

TEXTS = ("title", "summary", "body")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS words (id INTEGER PRIMARY KEY, word TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, digest TEXT NOT NULL, lesson TEXT, problems TEXT NOT NULL,
    ids BLOB, title INTEGER, summary INTEGER, body INTEGER, body_text TEXT);
"""


def _texts(lesson: Lesson) -> list[str]:
    """The strings the similarity index scans for a lesson (each text ends in a break)."""
    return [(getattr(lesson, name) or "") + "\n" for name in TEXTS]


def default_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "lessonbook"


def cache_path(folder: Path, docs_dir: Path) -> Path:
    """One cache database per docs folder."""
    key = hashlib.sha1(str(docs_dir.resolve()).encode()).hexdigest()[:16]
    return folder / f"review-{key}.sqlite"


def fingerprint(settings: Settings) -> str:
    digest = hashlib.sha1(f"{FORMAT} {__version__} {settings!r}".encode())
    for pattern in READING_CODE:
        for path in sorted(_PACKAGE.glob(pattern)):
            digest.update(path.relative_to(_PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


class ReviewCache:
    """Load a ReadCache and the words memo from the database, and write back what changed."""

    def __init__(self, path: Path, settings: Settings) -> None:
        self.path = path
        self.settings = settings
        self.fingerprint = fingerprint(settings)
        self.read_cache = ReadCache()
        self.words = WordIds()
        """Each text's words for similarity (title, summary, body, as the index scans them),
        so a warm review scans only the files that changed."""
        self.loaded = 0
        """Files taken from the cache."""
        self._stored: dict[str, tuple[str, list[np.ndarray] | None]] = {}
        """Path → (digest, its texts' ids) as read: what need not be written again."""
        self._stored_words = 0
        """Words the database's word list holds (new ones are appended)."""
        self._fresh = True
        """Whether the database is to be (re)made from nothing."""

    def load(self) -> ReadCache:
        """The ReadCache seeded with every row that decodes; empty when the database is
        missing, unreadable, of another format or made by other code or settings."""
        if not self.path.is_file():
            return self.read_cache
        try:
            read_only = f"{self.path.resolve().as_uri()}?mode=ro"
            with contextlib.closing(sqlite3.connect(read_only, uri=True, timeout=1)) as db:
                meta = dict(db.execute("SELECT key, value FROM meta"))
                if (meta.get("format") != str(FORMAT)
                        or meta.get("fingerprint") != self.fingerprint):
                    return self.read_cache
                lexicon = [w for (w,) in db.execute("SELECT word FROM words ORDER BY id")]
                numbered = db.execute("SELECT COUNT(*) = COALESCE(MAX(id) + 1, 0) AND "
                                      "COALESCE(MIN(id), 0) = 0 FROM words").fetchone()[0]
                if not numbered or not all(isinstance(w, str) for w in lexicon):
                    return self.read_cache  # a damaged word list: start again
                self.words.lexicon = lexicon
                self._stored_words = len(lexicon)
                waiting: list[tuple[Lesson, bytes, list[int]]] = []
                for row in db.execute("SELECT path, digest, lesson, problems, ids, title, "
                                      "summary, body, body_text FROM files"):
                    self._take(row, waiting)
                self._seed_words(waiting)
        except (sqlite3.Error, ValueError):
            self._forget()
            return self.read_cache
        self._fresh = False
        self.loaded = len(self._stored)
        return self.read_cache

    def _forget(self) -> None:
        """After a database that could not be read to the end: nothing from it is used."""
        self.read_cache = ReadCache()
        self.words = WordIds()
        self._stored = {}
        self._stored_words = 0

    def _take(self, row: tuple[Any, ...], waiting: list[tuple[Lesson, bytes, list[int]]]
              ) -> None:
        """One file's row into the ReadCache; its words wait in ``waiting``."""
        path, digest, lesson_text, problems_text, ids, *sizes, body = row
        try:
            lesson = None if lesson_text is None else load_lesson(lesson_text, body)
            problems = [] if problems_text == "[]" else [  # most files: none
                decode_problem(p) for p in json.loads(problems_text)]
            if not isinstance(path, str) or not isinstance(digest, str) or (
                    lesson is not None and lesson.path != path):
                return
        except (TypeError, ValueError, RecursionError):
            return  # a damaged row: that file is read again
        self.read_cache.remember(path, digest, self.settings, lesson, problems)
        self._stored[path] = (digest, None)
        if (lesson is not None and isinstance(ids, bytes)
                and all(type(x) is int and x >= 0 for x in sizes)
                and sum(sizes) * ID_TYPE.itemsize == len(ids)):
            waiting.append((lesson, ids, sizes))

    def _seed_words(self, waiting: list[tuple[Lesson, bytes, list[int]]]) -> None:
        """Every row's words at once (one array, checked once against the word list)."""
        ids = np.frombuffer(b"".join(blob for _, blob, _ in waiting), dtype=ID_TYPE)
        if len(ids) and (int(ids.min()) < 0 or int(ids.max()) >= len(self.words.lexicon)):
            return  # ids the word list does not have: every text is scanned again
        at = 0
        for lesson, _, sizes in waiting:
            parts = []
            for text, size in zip(_texts(lesson), sizes, strict=True):
                parts.append(ids[at:at + size])
                self.words.texts[text] = parts[-1]
                at += size
            self._stored[lesson.path] = (self._stored[lesson.path][0], parts)

    def save(self, present: set[str]) -> bool:
        """Write the rows of files new or changed and drop those of files gone; False when
        nothing changed (or it could not be written: a cache is never worth failing a
        review for)."""
        rows: list[tuple[Any, ...]] = []
        keep: set[str] = set()
        for path, digest, settings, lesson, problems in self.read_cache.remembered():
            if path not in present or settings != self.settings:
                continue
            stored = self._stored.get(path)
            if stored is not None and stored[0] == digest and stored[1] is not None:
                keep.add(path)  # the same bytes read the same and scan to the same words
                continue
            parts = self._words_of(lesson)
            if stored is not None and stored[0] == digest and _same(stored[1], parts):
                keep.add(path)
                continue
            try:
                lesson_text, body = (None, None) if lesson is None else store_lesson(lesson)
                problems_text = json.dumps([encode_problem(p) for p in problems],
                                           ensure_ascii=False, separators=(",", ":"))
            except (NotEncodable, ValueError):
                continue
            blob, sizes = None, [None, None, None]
            if parts is not None:
                blob = np.concatenate(parts).astype(ID_TYPE).tobytes()
                sizes = [len(x) for x in parts]
            rows.append((path, digest, lesson_text, problems_text, blob, *sizes, body))
            keep.add(path)
        gone = [(path,) for path in self._stored if path not in keep]
        new_words = self.words.lexicon[self._stored_words:]
        if not rows and not gone and not new_words and not self._fresh:
            return False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._writing() as db:
                db.executemany("DELETE FROM files WHERE path = ?", gone)
                db.executemany("INSERT INTO words (id, word) VALUES (?, ?)",
                               enumerate(new_words, start=self._stored_words))
                db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               rows)
        except (OSError, sqlite3.Error):
            return False
        return True

    @contextlib.contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One transaction; a database to be made afresh (none, unreadable, or another
        format or fingerprint) is emptied first."""
        if self._fresh:
            self.path.unlink(missing_ok=True)  # our own file in our own folder; it is void
            # Only the user may read it: it holds every lesson, restricted ones included.
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        db = sqlite3.connect(self.path, timeout=1, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode = DELETE")
            db.executescript(_SCHEMA)
            db.execute("BEGIN IMMEDIATE")
            if self._fresh:
                db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                               [("format", str(FORMAT)), ("fingerprint", self.fingerprint)])
                self._stored_words = 0
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        finally:
            db.close()

    def _words_of(self, lesson: Lesson | None) -> list[np.ndarray] | None:
        """The ids of a lesson's three texts, when the index scanned them all."""
        if lesson is None or not self.words.lexicon:
            return None
        parts = [self.words.texts.get(text) for text in _texts(lesson)]
        if any(x is None for x in parts):
            return None
        return parts  # type: ignore[return-value]


def _same(a: list[np.ndarray] | None, b: list[np.ndarray] | None) -> bool:
    if a is None or b is None:
        return a is b
    return all(x is y or np.array_equal(x, y) for x, y in zip(a, b, strict=True))
