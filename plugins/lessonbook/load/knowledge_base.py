"""A whole repository of lessons: loading, cross-document checks and lookups."""

from __future__ import annotations

import copy
import hashlib
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from ..model.lesson import Lesson
from ..model.problems import Problem, Severity, did_you_mean, sort_problems
from ..model.vocabulary import Settings
from ..speed.work import Work
from ..speed.workers import map_in_order
from .parsing import SourceDocument, parse_source
from .sources import Source, read_sources
from .validation import build_lesson

INTERNAL_ERROR = "internal-error"


@dataclass
class ReadCache:
    """What `mkdocs serve` keeps between rebuilds (on the plugin instance), so one edited
    lesson costs one file's work: each file's parse, its validated lesson and its lint
    findings, keyed by path and checked against the file's content hash (and the settings or
    lint context they were computed with)."""

    parse: dict[str, tuple[str, SourceDocument]] = field(default_factory=dict)
    lessons: dict[str, tuple[str, Settings, _Read]] = field(default_factory=dict)
    """Path → (content hash, settings, the file's result before any cross-document check
    touched its lesson)."""
    lint: dict[str, tuple[str, object, list[Problem]]] = field(default_factory=dict)
    """Path → (content hash, lint context, findings)."""
    words: dict[str, str] | None = None
    """Text (title, summary, body) → its words for similarity, joined by NUL; a dict under
    `mkdocs serve` only (a single build would only pay for it)."""

    def remember(self, path: str, digest: str, settings: Settings, lesson: Lesson | None,
                 problems: list[Problem]) -> None:
        """Seed the cache with one file's result read elsewhere (`lessonbook review` keeps
        them in a JSON file between runs); ``digest`` is :func:`content_digest` of its bytes."""
        self.lessons[path] = (digest, settings, _Read(lesson, list(problems)))

    def remembered(self) -> list[tuple[str, str, Settings, Lesson | None, list[Problem]]]:
        """Each file's (path, digest, settings, lesson before cross-document checks,
        problems), as kept."""
        return [(path, digest, settings, read.lesson, read.problems)
                for path, (digest, settings, read) in self.lessons.items()]


@dataclass
class KnowledgeBase:
    lessons: list[Lesson] = field(default_factory=list)
    """Valid lessons, newest first (ties by id)."""
    problems: list[Problem] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    """Paths of files left out because of errors."""
    settings: Settings = field(default_factory=Settings)

    digests: dict[str, str] = field(default_factory=dict)
    """Path → content hash of every valid lesson's file (filled when a cache is used)."""
    invalid: list[Lesson] = field(default_factory=list)
    """Stand-ins for files left out because of errors whose front-matter could be read: their
    valid fields, checked across lessons and linted so one run reports every problem of a
    file. Never shown, counted or linked to."""

    per_lesson: dict[str, object] = field(default_factory=dict)
    """Path → what ``from_sources``' ``per_lesson`` work returned for that lesson."""

    def __post_init__(self) -> None:
        self.by_id = {lesson.id: lesson for lesson in self.lessons}

    @cached_property
    def by_path(self) -> dict[str, Lesson]:
        """Valid lessons by docs-relative path (`lessonbook review` looks its files up)."""
        return {lesson.path: lesson for lesson in self.lessons}

    @classmethod
    def from_sources(cls, sources: Iterable[Source | tuple[str, bytes]],
                     settings: Settings | None = None, work: Work | None = None, *,
                     per_lesson: Callable[[Lesson], object] | None = None) -> KnowledgeBase:
        """Build from sources (or (docs-relative path, bytes) pairs): the single entry point
        for both the MkDocs build and the CLI. A file that could not be read is an error and
        is left out. ``work`` says how: its timer gets the time spent parsing and validating
        (the two interleave, file by file), its switches decide whether files are read in
        several processes, and its cache (kept across `mkdocs serve` rebuilds) skips parsing
        and validating files whose bytes and settings did not change.
        ``per_lesson`` is more per-file work on each valid lesson, done where the file was
        read (a worker process, for many files) right after validating it; what it returns is
        in :attr:`per_lesson` by path (None is left out; so is anything it raised on)."""
        work = work or Work()
        timer, cache = work.timer, work.cache
        settings = settings or Settings()
        lessons: list[Lesson] = []
        invalid: list[Lesson] = []
        problems: list[Problem] = []
        rejected: list[str] = []
        ordered = sorted((s if isinstance(s, Source) else Source(*s) for s in sources),
                         key=lambda s: s.path)
        started = time.perf_counter()
        parse_cache = cache.parse if cache is not None else None
        keep = parse_cache is not None
        if keep:  # the caches are keyed by the bytes' hash: read them all here first
            ordered = [source.read() for source in ordered]
        results: list[_Read | None] = [None] * len(ordered)
        extras: dict[str, object] = {}
        digests: dict[str, str] = {}
        fresh: list[int] = []
        for index, source in enumerate(ordered):
            if source.raw is None and not source.pending:
                continue
            if keep:
                digests[source.path] = digest = _digest(source.raw)
            known = cache.lessons.get(source.path) if cache is not None else None
            entry = parse_cache.get(source.path) if parse_cache is not None else None
            if known is not None and known[0] == digest and known[1] == settings:
                results[index] = _pristine(known[2])
            elif entry is not None and entry[0] == digest:
                results[index] = _validate(entry[1], settings)
                if cache is not None:
                    cache.lessons[source.path] = (digest, settings, _pristine(results[index]))
            else:
                fresh.append(index)
        read = map_in_order(lambda i: _read(ordered[i], settings, keep_document=keep,
                                            after=per_lesson), fresh, work.speed)
        work.speed.report.files_read += len(fresh)
        for index, result in zip(fresh, read, strict=True):
            results[index] = result
            path = ordered[index].path
            if result.extra is not None:
                extras[path] = result.extra
            if parse_cache is not None and result.document is not None:
                parse_cache[path] = (digests[path], result.document)
            if cache is not None:
                cache.lessons[path] = (digests[path], settings, _pristine(result))
        parsing = sum(r.parsing for r in results if r is not None)
        validating = sum(r.validating for r in results if r is not None)
        for source, result in zip(ordered, results, strict=True):
            path = source.path
            if result is None:
                problems.append(_source_problem(source))
                if source.is_error:
                    rejected.append(path)
                continue
            problems.extend(result.problems)
            if result.lesson is None:
                rejected.append(path)
                if result.stand_in is not None:
                    invalid.append(result.stand_in)
            else:
                lessons.append(result.lesson)
        # Several processes may have read the files: split the wall time between the phases
        # as their summed times were split.
        elapsed = time.perf_counter() - started
        if parsing + validating > 0:
            parsing, validating = (elapsed * parsing / (parsing + validating),
                                   elapsed * validating / (parsing + validating))
        parsed_all = time.perf_counter()
        lessons, more = _check_ids(lessons)
        problems.extend(more)
        rejected.extend(p.path for p in more if p.code == "duplicate-id")
        problems.extend(_check_links(lessons))
        problems.extend(_check_stand_ins(invalid, lessons))
        lessons.sort(key=lambda x: (-x.date.toordinal(), x.id))
        files = len(rejected) + len(lessons)
        timer.add("parsing", parsing, files)
        timer.add("validation", validating + time.perf_counter() - parsed_all, files)
        return cls(lessons, sort_problems(problems), sorted(rejected), settings,
                   {x.path: digests[x.path] for x in lessons if x.path in digests}, invalid,
                   extras)

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


@dataclass
class _Read:
    """One file read: its lesson (None if left out), problems, and the seconds spent."""

    lesson: Lesson | None
    problems: list[Problem]
    stand_in: Lesson | None = None
    """For a file with errors, its stand-in (KnowledgeBase.invalid)."""
    parsing: float = 0.0
    validating: float = 0.0
    document: SourceDocument | None = None
    """The parse, kept for a parse cache."""
    extra: object = None
    """What ``after`` returned for the lesson."""


def _source_problem(source: Source) -> Problem:
    """The problem with a file that could not be read (or a link that is not followed)."""
    message = (f"cannot read file: {source.error}" if source.code == "unreadable"
               else str(source.error))
    return Problem(source.path, None, Severity.ERROR if source.is_error else Severity.WARNING,
                   message, source.suggestion, code=source.code)


def _read(source: Source, settings: Settings, keep_document: bool = False,
          after: Callable[[Lesson], object] | None = None) -> _Read:
    """Read (when still to be read), parse and validate one file; never raises (a worker
    process runs it)."""
    started = time.perf_counter()
    if source.pending:
        source = source.read()
        if source.raw is None:  # as if it had been read before: the same error
            return _Read(None, [_source_problem(source)])
    assert source.raw is not None
    try:
        document = parse_source(source.raw, source.path)
    except Exception as exc:  # a bug of ours must cost one file, not the whole build
        return _Read(None, [internal_error(source.path, exc)],
                     parsing=time.perf_counter() - started)
    result = _validate(document, settings)
    result.parsing = time.perf_counter() - started - result.validating
    result.document = document if keep_document else None
    linted = result.lesson or result.stand_in
    if after is not None and linted is not None:
        try:
            result.extra = after(linted)
        except Exception:  # noqa: BLE001 - left to the caller, which does the work itself
            result.extra = None
    return result


def _pristine(result: _Read) -> _Read:
    """A copy for the cache: the cross-document checks replace a lesson's related lists."""
    return _Read(copy.copy(result.lesson), list(result.problems), copy.copy(result.stand_in))


def _validate(document: SourceDocument, settings: Settings) -> _Read:
    started = time.perf_counter()
    try:
        lesson, found = build_lesson(document, settings, stand_in=True)
    except Exception as exc:  # a bug of ours must cost one file, not the whole build
        lesson, found = None, [internal_error(document.path, exc)]
    stand_in = None
    if lesson is not None and any(p.is_error for p in found):
        lesson, stand_in = None, lesson
    return _Read(lesson, found, stand_in, validating=time.perf_counter() - started)


def content_digest(raw: bytes | None) -> str:
    """The hash the caches key a file's bytes by."""
    return hashlib.sha1(raw or b"").hexdigest()


_digest = content_digest


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


def _check_stand_ins(invalid: list[Lesson], lessons: list[Lesson]) -> list[Problem]:
    """What the checks across lessons say of files left out because of errors, so an author
    sees it in the same run: an id another lesson has, links to ids no lesson has. Valid
    lessons are judged without them, as the build does."""
    if not invalid:
        return []
    _, problems = _check_ids([*lessons, *invalid])
    valid = {lesson.path for lesson in lessons}
    problems = [p for p in problems if p.path not in valid]
    return problems + _check_links(invalid, {lesson.id for lesson in lessons})


def _check_links(lessons: list[Lesson], ids: set[str] | None = None) -> list[Problem]:
    """Links to the lesson itself or to unknown ids (``ids``: the known ones, by default
    those of ``lessons``)."""
    ids = {lesson.id for lesson in lessons} if ids is None else ids
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
