"""The search index in parts of bounded size, so the indexer's memory does not grow with the
number of lessons.

Pagefind's indexer holds every document's words until it writes the index (about half a
kilobyte per word, no setting to lower it): one index over 50,000 lessons would need more
memory than a CI runner has. So the lessons are split into parts of at most
``search.pages_per_part`` pages, and each part is indexed by its own ``pagefind --service``
process, which writes its part and exits before the next one starts. Then the parts are joined
into one index (pagefind_merge.py, streaming, in a process of its own), so that every lesson
is ranked with the whole site's word statistics, as one Pagefind run would rank it. Should
that not be possible (a Pagefind version whose files it does not know), the parts stay
separate and the browser searches them together with Pagefind's ``mergeIndex``
(search-index.js): facet counts summed, hits merged by score, each ranked with its own part's
statistics.

Lessons go to parts newest first (part 1 holds the newest). With no words to rank by, Explore
lists lessons by date; each part answers in date order and Pagefind keeps the parts' order
among equal scores, so the merged list is in date order too. That order is decided before the
first page is converted, while MkDocs hands lessons over in file order: the search documents
wait in spool files on disk (not in memory) until MkDocs has converted every page, then the
parts are indexed one after the other while MkDocs renders the templates — by a worker process
of its own (pagefind_worker.py) when the build gives it the Pagefind binary: feeding the
service and writing its files back is Python work, which in MkDocs' process held the
interpreter lock against the page rendering and was starved by it in turn.

(Indexing each part as soon as its lessons were converted was tried and taken out: on two
cores it ran Pagefind beside the similarity child during the conversion, so the build's peak
memory rose by one Pagefind process — 693 to 983 MB at 10,000 lessons — for about 5 s of wall
time.)

Layout of the bundle (the folder the build serves as ``pagefind/``): one index, as Pagefind
writes it. Only when the parts could not be joined: part 1 at its root, so
``pagefind/pagefind.js`` is where it always was; part k in ``part-k/`` without the runtime
files the first part already has; ``lessonbook-parts.json`` lists the other parts.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

from ..model.lesson import Lesson
from .pagefind_bundle import incomplete
from .pagefind_index import IndexResult
from .pagefind_merge import join_in_process

MANIFEST = "lessonbook-parts.json"
"""In the bundle's root: ``{"parts": ["part-2/", ...], "pages": N}`` (paths relative to it;
no parts when the index is one, which the browser then need not ask about again)."""

RUNTIME_FILES = ("pagefind.js", "pagefind-worker.js", "pagefind-highlight.js", "pagefind-ui.js",
                 "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                 "pagefind-component-ui.js", "pagefind-component-ui.css")
"""What a merged part does not need: the browser runs the first part's script and WebAssembly
(``wasm.*``, removed too) and reads only the index, filters and fragments of the others."""


def plan_parts(lessons: Iterable[Lesson], pages_per_part: int) -> dict[str, int]:
    """Lesson path → part number (0 is the first part): newest first, ``pages_per_part`` in
    each; lessons of the same date in path order, so a rebuild gives the same parts."""
    size = max(1, pages_per_part)
    ordered = sorted(lessons, key=lambda x: x.path)
    ordered.sort(key=lambda x: x.date, reverse=True)  # stable: same-day lessons by path
    return {lesson.path: rank // size for rank, lesson in enumerate(ordered)}


class Spool:
    """Search documents waiting on disk for their part's turn: one file per part, a JSON line
    per document."""

    def __init__(self, folder: Path | None = None, counts: dict[int, int] | None = None
                 ) -> None:
        """A new spool, or (``folder`` and ``counts``) a complete one another process wrote."""
        self.folder = folder or Path(tempfile.mkdtemp(prefix="lessonbook-spool-"))
        self._files: dict[int, IO[str]] = {}
        self.counts: dict[int, int] = dict(counts or {})

    def add(self, part: int, url: str, document: str) -> None:
        out = self._files.get(part)
        if out is None:
            out = self._files[part] = (self.folder / f"{part}.jsonl").open("w", encoding="utf-8")
        out.write(json.dumps([url, document]) + "\n")
        self.counts[part] = self.counts.get(part, 0) + 1

    def close(self) -> None:
        for out in self._files.values():
            out.close()
        self._files.clear()

    def read(self, part: int) -> Iterable[tuple[str, str]]:
        path = self.folder / f"{part}.jsonl"
        if not path.exists():
            return
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                url, document = json.loads(line)
                yield url, document

    def remove(self) -> None:
        self.close()
        shutil.rmtree(self.folder, ignore_errors=True)


class Writer(Protocol):
    """What indexes one part: ``add(document, url)``, then ``finish()`` writes it to its output
    and stops the process; ``abort()`` stops it without writing (pagefind_live.LiveIndex)."""

    def add(self, document: str, url: str) -> None: ...

    def finish(self) -> IndexResult: ...

    def abort(self) -> None: ...


@dataclass(frozen=True)
class WorkerCommand:
    """What a worker process needs to start each part's writer itself: the site folder and
    the ``pagefind`` binary (pagefind_live.LiveIndex)."""

    site_dir: str
    executable: str


class PartedIndex:
    """The lessons' index written part after part, each by a process of its own.

    ``add`` spools a document; ``write`` starts indexing the parts in the background — in a
    worker process (``worker`` given: pagefind_worker.py runs the same steps there) or else in
    a thread of this process; ``finish`` waits for it and puts the bundle in place at
    ``output``."""

    def __init__(self, output: Path, parts: dict[str, int],
                 start_writer: Callable[[Path], Writer], join: bool = True,
                 worker: WorkerCommand | None = None) -> None:
        self.output = output
        self.started = time.perf_counter()
        self.pages = 0
        self._parts = parts
        self._last = max(parts.values(), default=0)
        self._start_writer = start_writer
        self._join = join
        self._worker = worker
        self._spool = Spool()
        self._staging = output.with_name(f".{output.name}-parts")
        self._result_file = output.with_name(f".{output.name}-result.json")
        self._thread: threading.Thread | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._current: Writer | None = None
        self._lock = threading.Lock()
        self._cancelled = threading.Event()
        self._result: IndexResult | None = None
        self.part_count = 0
        self.join_seconds = 0.0
        self.in_worker = False
        """Whether the parts went to a worker process (not a thread of this one)."""

    @property
    def worker_pid(self) -> int | None:
        """The worker process's id, also its process group's (to watch or stop it from
        outside); None when no worker runs the parts."""
        return self._process.pid if self._process is not None else None

    def part_of(self, path: str) -> int:
        """The part a lesson's document goes to (a lesson not planned for: the last)."""
        return self._parts.get(path, self._last)

    def add(self, document: str, url: str, part: int) -> None:
        """One lesson's search document, spooled for its part."""
        self.pages += 1
        self._spool.add(part, url, document)

    def write(self) -> None:
        """Every document is in: index the parts in the background, one process at a time."""
        if self._thread is None and self._process is None:
            self._spool.close()
            if self._worker is not None:
                self._process = self._start_worker(self._worker)
            if self._process is None:
                thread = threading.Thread(target=self._run, name="lessonbook-index-parts",
                                          daemon=True)
                thread.start()
                self._thread = thread  # only a started thread is ever seen (abort may run)

    def _start_worker(self, worker: WorkerCommand) -> subprocess.Popen[bytes] | None:
        """The worker process, in a process group of its own (abort stops it with the Pagefind
        service and the join under it); None when it cannot start (a thread does the work)."""
        self._result_file.unlink(missing_ok=True)
        job = {"spool": str(self._spool.folder), "counts": self._spool.counts,
               "output": str(self.output), "join": self._join, "pages": self.pages,
               "elapsed": time.perf_counter() - self.started,
               "site_dir": worker.site_dir, "executable": worker.executable,
               "result": str(self._result_file)}
        job_file = self._spool.folder / "job.json"
        try:
            job_file.write_text(json.dumps(job), encoding="utf-8")
            process = subprocess.Popen(
                [sys.executable, "-m", "lessonbook.site.pagefind_worker", str(job_file)],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True)
        except OSError:
            return None
        self.in_worker = True
        return process

    def finish(self, timeout: float = 3600) -> IndexResult:
        self.write()
        if self._process is not None:
            return self._finish_worker(self._process, timeout)
        assert self._thread is not None
        self._thread.join(timeout)
        if self._thread.is_alive():
            self.abort()
            return IndexResult(False, f"pagefind did not finish in {timeout:.0f} s")
        return self._result or IndexResult(False, "pagefind stopped")

    def _finish_worker(self, process: subprocess.Popen[bytes], timeout: float) -> IndexResult:
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.abort()
            return IndexResult(False, f"pagefind did not finish in {timeout:.0f} s")
        try:
            done = json.loads(self._result_file.read_text(encoding="utf-8"))
            result = IndexResult(bool(done["ok"]), str(done["message"]),
                                 float(done.get("seconds", 0.0)))
            self.part_count = int(done.get("part_count", 0))
            self.join_seconds = float(done.get("join_seconds", 0.0))
        except (OSError, ValueError, KeyError, TypeError):
            result = IndexResult(False, f"the search indexing worker stopped (exit "
                                        f"{process.returncode}) without a result")
        self._result_file.unlink(missing_ok=True)
        self._spool.remove()
        if not result.ok:
            shutil.rmtree(self._staging, ignore_errors=True)
        return result

    def abort(self) -> None:
        self._cancelled.set()
        process = self._process
        if process is not None and process.poll() is None:
            with contextlib.suppress(OSError):  # the worker, its Pagefind service and join
                os.killpg(process.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(60)
        self._result_file.unlink(missing_ok=True)
        with self._lock:
            current = self._current
        if current is not None:
            current.abort()
        thread = self._thread
        # is_alive: never join a thread that is not running here (in a forked child every
        # thread of the parent reads as stopped, and joining it raises)
        if thread is not None and thread.is_alive() and thread is not threading.current_thread():
            thread.join(timeout=60)
        self._spool.remove()
        shutil.rmtree(self._staging, ignore_errors=True)

    # --- the background work ---------------------------------------------------------------
    @classmethod
    def from_spool(cls, output: Path, spool: Spool, start_writer: Callable[[Path], Writer],
                   join: bool, pages: int, elapsed: float = 0.0) -> PartedIndex:
        """The index of a spool another process wrote and closed (pagefind_worker.py);
        ``elapsed``: seconds since that process started the index."""
        index = cls(output, {}, start_writer, join)
        index._spool.remove()
        index._spool = spool
        index.pages = pages
        index.started -= elapsed
        return index

    def index_here(self) -> IndexResult:
        """Index the closed spool's parts in this thread; the result, as ``finish`` gives it."""
        self._run()
        return self._result or IndexResult(False, "pagefind stopped")

    def _run(self) -> None:
        try:
            self._result = self._index_all()
        except Exception as exc:  # an unexpected failure is reported, the CLI takes over
            self._result = IndexResult(False, f"pagefind failed: {exc}")
        finally:
            self._spool.remove()
            if not (self._result and self._result.ok):
                shutil.rmtree(self._staging, ignore_errors=True)

    def _index_all(self) -> IndexResult:
        parts = sorted(k for k, n in self._spool.counts.items() if n) or [0]
        shutil.rmtree(self._staging, ignore_errors=True)
        self._staging.mkdir(parents=True)
        folders = []
        for number, part in enumerate(parts, 1):
            if self._cancelled.is_set():
                return IndexResult(False, "cancelled")
            folder = self._staging / f"part-{number}"
            writer = self._start_writer(folder)
            with self._lock:
                self._current = writer
            for url, document in self._spool.read(part):
                if self._cancelled.is_set():
                    break
                writer.add(document, url)
            result = writer.finish()  # the process exits here, before the next one starts
            with self._lock:
                self._current = None
            if not result.ok:
                return result
            if (why := incomplete(folder)) is not None:
                return IndexResult(False, f"part {number} of the index is incomplete: {why}")
            folders.append(folder)
        kept = self._assemble(folders)
        self.part_count = len(folders)
        seconds = time.perf_counter() - self.started
        split = ""
        if len(folders) > 1:
            split = (f" in {len(folders)} parts, joined into one index in "
                     f"{self.join_seconds:.1f} s" if kept is None else
                     f" in {len(folders)} parts, searched together in the browser ({kept})")
        return IndexResult(True, f"pagefind indexed {self.pages} lessons{split} alongside the "
                                 f"build ({seconds:.1f} s from start to written index)", seconds)

    def _assemble(self, folders: list[Path]) -> str | None:
        """One part: it is the bundle. Several: joined into one index (pagefind_merge.py) so
        that ranking uses the whole site's word statistics; None then, else why they could
        not be joined, and the bundle is part 1 with the others inside it, without runtime
        files, for the browser to merge."""
        shutil.rmtree(self.output, ignore_errors=True)
        if len(folders) > 1 and not self._join:
            why: str | None = "search.join_parts is off"
        elif len(folders) > 1:
            started = time.perf_counter()
            why = join_in_process(folders, self.output)
            self.join_seconds = time.perf_counter() - started
            if why is None:
                (self.output / MANIFEST).write_text(json.dumps({"parts": [], "pages": self.pages}),
                                                    encoding="utf-8")
                shutil.rmtree(self._staging, ignore_errors=True)
                return None
        else:
            why = None
        folders[0].rename(self.output)
        names = []
        for number, folder in enumerate(folders[1:], 2):
            target = self.output / f"part-{number}"
            folder.rename(target)
            for name in RUNTIME_FILES:
                (target / name).unlink(missing_ok=True)
            for wasm in target.glob("wasm.*"):
                wasm.unlink()
            names.append(f"part-{number}/")
        (self.output / MANIFEST).write_text(json.dumps({"parts": names, "pages": self.pages}),
                                            encoding="utf-8")
        shutil.rmtree(self._staging, ignore_errors=True)
        return why

