"""The review cache: each lesson file's validated lesson and problems, kept between runs.

Reviewing one lesson needs every other one read (its similar incidents, the registry, the
cross-document checks), and parsing YAML is most of that work. So `lessonbook review` keeps
what reading each file gave, keyed by the file's content hash, in one JSON file in the user's
cache folder (never in the repository, never pickle: lesson_json.py can only build lesson
records). A file whose bytes changed is read again; so is everything when Lessonbook's reading
code or the site's vocabularies change (the fingerprint). A cache file that cannot be read is
ignored, never trusted: the review then reads every file, as without a cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from ... import __version__
from ...load.knowledge_base import ReadCache
from ...model.lesson import Lesson
from ...model.vocabulary import Settings
from .lesson_json import NotEncodable, decode_lesson, decode_problem, encode, encode_problem

FORMAT = 1
_PACKAGE = Path(__file__).resolve().parents[2]
READING_CODE = ("load/*.py", "model/*.py", "analysis/similarity.py")
"""The code that decides what a file reads as (and its words for similarity): a change there
empties the cache."""


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
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


class ReviewCache:
    """Load a ReadCache from the JSON file, and write back what changed."""

    def __init__(self, path: Path, settings: Settings) -> None:
        self.path = path
        self.settings = settings
        self.fingerprint = fingerprint(settings)
        self.entries: dict[str, dict[str, Any]] = {}
        """Path → its JSON entry as read (kept as JSON, so unchanged ones are not re-encoded)."""
        self.read_cache = ReadCache(words={})
        """``words``: each text's words for similarity (title, summary, body, as the index
        scans them), so a warm review tokenises only the files that changed."""
        self.loaded = 0

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
            if lesson is not None:
                self._seed_words(lesson, entry.get("words"))
        self.loaded = len(self.entries)
        return self.read_cache

    def _seed_words(self, lesson: Lesson, words: Any) -> None:
        if not isinstance(words, list) or len(words) != len(TEXTS):
            return
        memo = self.read_cache.words
        assert memo is not None
        for text, joined in zip(_texts(lesson), words, strict=True):
            if isinstance(joined, str):
                memo[text] = joined

    def _words(self, lesson: Lesson | None) -> list[str | None] | None:
        memo = self.read_cache.words
        if lesson is None or not memo:
            return None
        return [memo.get(text) for text in _texts(lesson)]

    def save(self, present: set[str]) -> bool:
        """Write the entries of the files still present; False when nothing changed (or it
        could not be written: a cache is never worth failing a review for)."""
        files: dict[str, Any] = {}
        changed = False
        for path, digest, settings, lesson, problems in self.read_cache.remembered():
            if path not in present or settings != self.settings:
                continue
            entry = self.entries.get(path)
            words = self._words(lesson)
            if entry is not None and entry.get("digest") == digest:
                files[path] = entry
                if words is not None and entry.get("words") != words:
                    entry["words"] = words
                    changed = True
                continue
            try:
                files[path] = {"digest": digest,
                               "lesson": None if lesson is None else encode(lesson),
                               "problems": [encode_problem(p) for p in problems],
                               "words": words}
            except NotEncodable:
                continue
            changed = True
        if not changed and set(files) == set(self.entries):
            return False
        document = {"format": FORMAT, "fingerprint": self.fingerprint, "files": files}
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
