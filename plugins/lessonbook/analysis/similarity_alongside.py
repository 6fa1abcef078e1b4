"""Similar links computed in a forked process while the build goes on.

Scoring every lesson against every other is the largest piece of our analysis (about 13 s at
10,000 lessons), and nothing needs its result until the first page is rendered: MkDocs first
converts every page's Markdown (about a third of a build), on one core. So a build with more
than one core forks a child that computes every lesson's similar links and sends them back
pickled; the build reads them when a page first asks, by which time the child has usually
finished. The links are the ones ``SimilarityIndex`` gives in this process — the child runs
the same code on the same lessons — and if the child fails for any reason they are computed
here instead: never lost, only later.

Used by `mkdocs build` only: `mkdocs serve` runs threads (no fork then) and keeps each text's
words between rebuilds, which a child could not hand back. Plain Python: no MkDocs import.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import time
from collections.abc import Sequence

from ..model.lesson import Lesson
from ..speed.switches import Speed
from ..speed.workers import can_fork
from .similarity import SimilarityIndex, SimilarLink, SimilarSettings

MIN_LESSONS = 200
"""Below this many lessons the scores take well under a second: not worth a process."""
CHILD_NICENESS = 5
"""The child yields the CPU to MkDocs, whose thread is the build's critical path (it has
about twice the time it needs: 16 s of scores against 33 s of Markdown at 10,000 lessons)."""


class SimilarLinks:
    """Every lesson's similar links, already assembled: what the child sends back."""

    def __init__(self, by_id: dict[str, list[SimilarLink]]) -> None:
        self.by_id = by_id

    def similar(self, lesson_id: str) -> list[SimilarLink]:
        return self.by_id.get(lesson_id, [])

    def record(self, lesson: Lesson) -> dict[str, object]:
        """The export field: ``{"similar": [...]}`` for api/lessons.json."""
        return {"similar": [link.as_record() for link in self.similar(lesson.id)]}


def assemble_all(index: SimilarityIndex | SimilarLinks, lessons: Sequence[Lesson]
                 ) -> SimilarLinks:
    return SimilarLinks({x.id: index.similar(x.id) for x in lessons})


class SimilarityAlongside:
    """The links of a forked child, read when first asked for (see the module's docstring).

    ``seconds`` is how long the child computed; ``waited`` how long this process waited for
    it (including, after a failure, computing the links itself)."""

    def __init__(self, lessons: Sequence[Lesson], settings: SimilarSettings) -> None:
        self._lessons = list(lessons)
        self._settings = settings
        self._result: SimilarLinks | None = None
        self.seconds = 0.0
        self.waited = 0.0
        self.failure = ""
        read, write = os.pipe()
        # The child inherits this process's objects; frozen, its collector never walks them,
        # so their memory pages stay shared instead of being copied (workers.py does the same).
        gc.freeze()
        try:
            pid = os.fork()
        except OSError:
            gc.unfreeze()
            os.close(read)
            os.close(write)
            raise
        if pid == 0:  # the child: compute, send, and leave without running any exit handler
            status = 1
            try:
                os.close(read)
                with contextlib.suppress(OSError):
                    os.nice(CHILD_NICENESS)
                started = time.perf_counter()
                index = SimilarityIndex(self._lessons, settings)
                links = assemble_all(index, self._lessons)
                data = pickle.dumps((time.perf_counter() - started, links.by_id),
                                    protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write, "wb") as out:
                    out.write(data)
                status = 0
            finally:
                os._exit(status)
        gc.unfreeze()
        os.close(write)
        self._pid: int = pid
        self._read: int | None = read

    def similar(self, lesson_id: str) -> list[SimilarLink]:
        return self.links().similar(lesson_id)

    def record(self, lesson: Lesson) -> dict[str, object]:
        return self.links().record(lesson)

    def links(self) -> SimilarLinks:
        """The links, waiting for the child the first time."""
        if self._result is None:
            started = time.perf_counter()
            self._result = self._receive() or self._here()
            self.waited = time.perf_counter() - started
        return self._result

    def _receive(self) -> SimilarLinks | None:
        read, self._read = self._read, None
        try:
            assert read is not None
            with os.fdopen(read, "rb") as pipe:
                data = pipe.read()
            _, status = os.waitpid(self._pid, 0)
            self._pid = 0
        except OSError as exc:
            self.failure = f"reading the similarity process failed ({exc})"
            self.abort()
            return None
        if status != 0 or not data:
            self.failure = f"the similarity process ended with status {status}"
            return None
        try:
            self.seconds, links = pickle.loads(data)
        except Exception as exc:  # a truncated or garbled answer: compute here instead
            self.failure = f"the similarity process's answer could not be read ({exc})"
            return None
        return SimilarLinks(links)

    def _here(self) -> SimilarLinks:
        started = time.perf_counter()
        links = assemble_all(SimilarityIndex(self._lessons, self._settings), self._lessons)
        self.seconds = time.perf_counter() - started
        return links

    def abort(self) -> None:
        """Stop the child if it still runs (a build that failed, or ended without asking)."""
        pid, self._pid = getattr(self, "_pid", 0), 0
        read, self._read = getattr(self, "_read", None), None
        if read is not None:
            with contextlib.suppress(OSError):
                os.close(read)
        if pid:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)


def similar_links(lessons: Sequence[Lesson], settings: SimilarSettings, speed: Speed
                  ) -> SimilarityIndex | SimilarityAlongside:
    """Alongside the build when worth it and safe; else computed here and now."""
    if settings.count > 0 and len(lessons) >= MIN_LESSONS and can_fork(speed):
        try:
            alongside = SimilarityAlongside(lessons, settings)
            speed.report.similarity_alongside += 1
            return alongside
        except OSError:  # no fork left (process limits): compute here
            pass
    return SimilarityIndex(lessons, settings)
