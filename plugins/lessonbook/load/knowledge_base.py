"""A whole repository of lessons: loading, cross-document checks and lookups."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..analysis.timing import PhaseTimer
from ..model.lesson import Lesson
from ..model.problems import Problem, Severity, did_you_mean, sort_problems
from ..model.vocabulary import Settings
from .parsing import SourceDocument, parse_source
from .sources import Source, read_sources
from .validation import build_lesson

INTERNAL_ERROR = "internal-error"


@dataclass
class KnowledgeBase:
    lessons: list[Lesson] = field(default_factory=list)
    """Valid lessons, newest first (ties by id)."""
    problems: list[Problem] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    """Paths of files left out because of errors."""
    settings: Settings = field(default_factory=Settings)

    def __post_init__(self) -> None:
        self.by_id = {lesson.id: lesson for lesson in self.lessons}
        self.by_path = {lesson.path: lesson for lesson in self.lessons}

    @classmethod
    def from_sources(cls, sources: Iterable[Source | tuple[str, bytes]],
                     settings: Settings | None = None,
                     parse_cache: dict[str, tuple[str, SourceDocument]] | None = None,
                     timer: PhaseTimer | None = None) -> KnowledgeBase:
        """Build from sources (or (docs-relative path, bytes) pairs): the single entry point
        for both the MkDocs build and the CLI. A file that could not be read is an error and
        is left out. ``parse_cache`` (kept across `mkdocs serve` rebuilds) skips YAML parsing
        of files whose bytes did not change; ``timer`` gets the time spent parsing and
        validating (the two interleave, file by file)."""
        settings = settings or Settings()
        lessons: list[Lesson] = []
        problems: list[Problem] = []
        rejected: list[str] = []
        parsing = validating = 0.0
        for source in sorted((s if isinstance(s, Source) else Source(*s) for s in sources),
                             key=lambda s: s.path):
            path, raw = source.path, source.raw
            if raw is None:
                message = (f"cannot read file: {source.error}" if source.code == "unreadable"
                           else str(source.error))
                problems.append(Problem(path, None, Severity.ERROR if source.is_error
                                        else Severity.WARNING, message, source.suggestion,
                                        code=source.code))
                if source.is_error:
                    rejected.append(path)
                continue
            started = time.perf_counter()
            try:
                document = _parse(raw, path, parse_cache)
                parsed = time.perf_counter()
                lesson, found = build_lesson(document, settings)
            except Exception as exc:  # a bug of ours must cost one file, not the whole build
                parsed = time.perf_counter()
                lesson, found = None, [internal_error(path, exc)]
            parsing += parsed - started
            validating += time.perf_counter() - parsed
            problems.extend(found)
            if lesson is None:
                rejected.append(path)
            else:
                lessons.append(lesson)
        parsed_all = time.perf_counter()
        lessons, more = _check_ids(lessons)
        problems.extend(more)
        rejected.extend(p.path for p in more if p.code == "duplicate-id")
        problems.extend(_check_links(lessons))
        lessons.sort(key=lambda x: (-x.date.toordinal(), x.id))
        if timer is not None:
            files = len(rejected) + len(lessons)
            timer.add("parsing", parsing, files)
            timer.add("validation", validating + time.perf_counter() - parsed_all, files)
        return cls(lessons, sort_problems(problems), sorted(rejected), settings)

    @classmethod
    def load(cls, docs_dir: str | os.PathLike[str],
             settings: Settings | None = None) -> KnowledgeBase:
        """Every lesson under docs_dir, read as the CLI reads them."""
        settings = settings or Settings()
        return cls.from_sources(read_sources(docs_dir, settings), settings)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    def get(self, lesson_id: str) -> Lesson | None:
        return self.by_id.get(lesson_id)


def internal_error(path: str, exc: BaseException) -> Problem:
    """An unexpected exception while reading one file: reported against that file, which is
    left out; `lessonbook check` exits 2 on it (a bug to report, not a wrong lesson)."""
    return Problem(path, None, Severity.ERROR,
                   f"internal error while reading this file: {type(exc).__name__}: {exc}",
                   "please report it with the file attached", code=INTERNAL_ERROR)


def _parse(raw: bytes, path: str,
           cache: dict[str, tuple[str, SourceDocument]] | None) -> SourceDocument:
    if cache is None:
        return parse_source(raw, path)
    digest = hashlib.sha1(raw).hexdigest()
    cached = cache.get(path)
    if cached is None or cached[0] != digest:
        cached = cache[path] = (digest, parse_source(raw, path))
    return cached[1]


def _check_ids(lessons: list[Lesson]) -> tuple[list[Lesson], list[Problem]]:
    first: dict[str, Lesson] = {}
    kept: list[Lesson] = []
    problems: list[Problem] = []
    for lesson in lessons:
        if lesson.id in first:
            other = first[lesson.id]
            problems.append(Problem(
                lesson.path, lesson.line_of("id"), Severity.ERROR,
                f"id {lesson.id!r} is already used by {other.path}; this file is left out",
                "give this lesson its own id:", code="duplicate-id"))
        else:
            first[lesson.id] = lesson
            kept.append(lesson)
    return kept, problems


def _check_links(lessons: list[Lesson]) -> list[Problem]:
    ids = {lesson.id for lesson in lessons}
    problems: list[Problem] = []
    for lesson in lessons:
        for field_name in ("related", "unrelated"):
            kept = []
            for index, target in enumerate(getattr(lesson, field_name)):
                if target == lesson.id:
                    problems.append(Problem(
                        lesson.path, lesson.line_of(field_name, index), Severity.WARNING,
                        f"{field_name} names the lesson itself ({target!r})", "remove it",
                        code="self-link"))
                elif target not in ids:
                    problems.append(Problem(
                        lesson.path, lesson.line_of(field_name, index), Severity.ERROR,
                        f"{field_name} names unknown lesson id {target!r}",
                        did_you_mean(target, ids - {lesson.id})
                        or "check the id: field of the lesson you mean", code="unknown-id"))
                else:
                    kept.append(target)
            setattr(lesson, field_name, kept)
    return problems
