"""The review cache: each lesson file's validated lesson, problems and words, kept between runs.

Reviewing one lesson needs every other one read (its similar incidents, the registry, the
cross-document checks): parsing YAML and scanning Markdown into words are most of that work.
So `lessonbook review` keeps, per file and keyed by the file's content hash, what reading it
gave (lesson_json.py) and its title's, summary's and body's words for similarity, as integer
ids into one word list (similarity/word_ids.py), all in one JSON file in the user's cache
folder: never in the repository, never pickle. The ids are one little-endian int32 array,
base64 in the JSON, read back with numpy.frombuffer (plain numbers, nothing to execute) and
checked against the word list. A file whose bytes changed is read and scanned again; so is
everything when Lessonbook's version, its reading or word-scanning code or the site's
vocabularies change (the fingerprint). A cache file that cannot be read, or any part of it
that does not check out, is ignored, never trusted: those files are read as without a cache.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from ... import __version__
from ...load.knowledge_base import ReadCache
from ...model.lesson import Lesson
from ...model.vocabulary import Settings
from ..similarity.word_ids import ID_TYPE, WordIds
from .lesson_json import NotEncodable, decode_lesson, decode_problem, encode, encode_problem

FORMAT = 3
_PACKAGE = Path(__file__).resolve().parents[2]
READING_CODE = ("load/*.py", "load/parsing/*.py", "model/*.py", "analysis/similarity/*.py",
                "analysis/change_review/cache.py", "analysis/change_review/lesson_json.py")
"""The code that decides what a file reads as and which words it has for similarity: a
change there empties the cache (tests/test_review_cache.py holds every pattern matching)."""

TEXTS = ("title", "summary", "body")


def _texts(lesson: Lesson) -> list[str]:
    """The strings the similarity index scans for a lesson (each text ends in a break)."""
    return [(getattr(lesson, name) or "") + "\n" for name in TEXTS]


def default_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "lessonbook"


def cache_path(folder: Path, docs_dir: Path) -> Path:
    """One cache file per docs folder."""
    key = hashlib.sha1(str(docs_dir.resolve()).encode()).hexdigest()[:16]
    return folder / f"review-{key}.json"


def fingerprint(settings: Settings) -> str:
    digest = hashlib.sha1(f"{FORMAT} {__version__} {settings!r}".encode())
    for pattern in READING_CODE:
        for path in sorted(_PACKAGE.glob(pattern)):
            digest.update(path.relative_to(_PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


class ReviewCache:
    """Load a ReadCache and the words memo from the JSON file, and write back what changed."""

    def __init__(self, path: Path, settings: Settings) -> None:
        self.path = path
        self.settings = settings
        self.fingerprint = fingerprint(settings)
        self.entries: dict[str, dict[str, Any]] = {}
        """Path → its JSON entry as read (lesson and problems kept as JSON, so unchanged ones
        are not encoded again)."""
        self.read_cache = ReadCache()
        self.words = WordIds()
        """Each text's words for similarity (title, summary, body, as the index scans them),
        so a warm review scans only the files that changed."""
        self.loaded = 0
        self._stored_words: dict[str, list[np.ndarray]] = {}
        """Path → its texts' ids as read (to tell whether anything needs writing)."""

    def load(self) -> ReadCache:
        """The ReadCache seeded with every entry that decodes; empty when the file is
        missing, unreadable, of another format or made by other code or settings."""
        try:
            with open(self.path, encoding="utf-8") as handle:
                document = json.load(handle)
        except (OSError, ValueError):
            return self.read_cache
        if (not isinstance(document, dict) or document.get("format") != FORMAT
                or document.get("fingerprint") != self.fingerprint
                or not isinstance(document.get("files"), dict)):
            return self.read_cache
        ids = _ids(document)
        if ids is not None:
            self.words.lexicon = list(document["lexicon"])
        for path, entry in document["files"].items():
            try:
                lesson = None if entry["lesson"] is None else decode_lesson(entry["lesson"])
                problems = [decode_problem(p) for p in entry["problems"]]
                digest = entry["digest"]
                if not isinstance(digest, str) or (lesson is not None and lesson.path != path):
                    continue
            except (KeyError, TypeError, ValueError):
                continue  # a damaged entry: that file is read again
            self.read_cache.remember(path, digest, self.settings, lesson, problems)
            self.entries[path] = entry
            if lesson is not None and ids is not None:
                self._seed_words(path, lesson, entry.get("words"), ids)
        self.loaded = len(self.entries)
        return self.read_cache

    def _seed_words(self, path: str, lesson: Lesson, span: Any, ids: np.ndarray) -> None:
        """``span``: [start, title words, summary words, body words] in the ids array."""
        if (not isinstance(span, list) or len(span) != 1 + len(TEXTS)
                or not all(type(x) is int and x >= 0 for x in span)
                or sum(span) > len(ids)):
            return
        start = span[0]
        parts = []
        for text, size in zip(_texts(lesson), span[1:], strict=True):
            parts.append(ids[start:start + size])
            self.words.texts[text] = parts[-1]
            start += size
        self._stored_words[path] = parts

    def save(self, present: set[str]) -> bool:
        """Write the entries of the files still present; False when nothing changed (or it
        could not be written: a cache is never worth failing a review for)."""
        files: dict[str, Any] = {}
        chunks: list[np.ndarray] = []
        changed = False
        at = 0
        for path, digest, settings, lesson, problems in self.read_cache.remembered():
            if path not in present or settings != self.settings:
                continue
            entry = self.entries.get(path)
            if entry is None or entry.get("digest") != digest:
                try:
                    entry = {"digest": digest,
                             "lesson": None if lesson is None else encode(lesson),
                             "problems": [encode_problem(p) for p in problems]}
                except NotEncodable:
                    continue
                changed = True
            parts = self._words_of(lesson)
            entry = {k: v for k, v in entry.items() if k != "words"}
            if parts is not None:
                entry["words"] = [at, *(len(x) for x in parts)]
                chunks.extend(parts)
                at += sum(len(x) for x in parts)
                stored = self._stored_words.get(path)
                if stored is None or not all(a is b or np.array_equal(a, b)
                                             for a, b in zip(stored, parts, strict=True)):
                    changed = True
            files[path] = entry
        if not changed and set(files) == set(self.entries):
            return False
        flat = np.concatenate(chunks) if chunks else np.zeros(0, dtype=ID_TYPE)
        lexicon, flat = _compact(self.words.lexicon, flat)
        document = {"format": FORMAT, "fingerprint": self.fingerprint, "lexicon": lexicon,
                    "ids": base64.b64encode(flat.astype(ID_TYPE).tobytes()).decode("ascii"),
                    "files": files}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
        except OSError:
            return False
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(document, out, ensure_ascii=False, separators=(",", ":"))
            os.replace(temporary, self.path)
        except (OSError, ValueError):
            Path(temporary).unlink(missing_ok=True)
            return False
        return True

    def _words_of(self, lesson: Lesson | None) -> list[np.ndarray] | None:
        """The ids of a lesson's three texts, when the index scanned them all."""
        if lesson is None:
            return None
        parts = [self.words.texts.get(text) for text in _texts(lesson)]
        if any(x is None for x in parts):
            return None
        return parts  # type: ignore[return-value]


def _ids(document: dict[str, Any]) -> np.ndarray | None:
    """The document's word ids, when they and the word list check out; else None (every
    text is then scanned again)."""
    lexicon, encoded = document.get("lexicon"), document.get("ids")
    if (not isinstance(lexicon, list) or not all(isinstance(w, str) for w in lexicon)
            or not isinstance(encoded, str)):
        return None
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return None
    if len(raw) % ID_TYPE.itemsize:
        return None
    ids = np.frombuffer(raw, dtype=ID_TYPE)
    if len(ids) and (int(ids.min()) < 0 or int(ids.max()) >= len(lexicon)):
        return None
    return ids


def _compact(lexicon: list[str], flat: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Only the words still used, renumbered (a lexicon never grows with deleted lessons)."""
    used = np.zeros(len(lexicon), dtype=bool)
    used[flat] = True
    kept = np.flatnonzero(used)
    renumber = np.cumsum(used, dtype=np.int64) - 1
    return [lexicon[i] for i in kept.tolist()], renumber[flat]
