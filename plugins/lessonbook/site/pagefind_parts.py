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
wait in spool files on disk (not in memory), and a part is indexed as soon as the last of its
lessons is in — while MkDocs is still converting the others, on the core MkDocs leaves idle —
rather than after every page is converted. The parts still run one process at a time, and the
bundle does not depend on the order the parts were indexed in: they are joined (or listed) in
part order.

Layout of the bundle (the folder the build serves as ``pagefind/``): one index, as Pagefind
writes it. Only when the parts could not be joined: part 1 at its root, so
``pagefind/pagefind.js`` is where it always was; part k in ``part-k/`` without the runtime
files the first part already has; ``lessonbook-parts.json`` lists the other parts.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
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

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="lessonbook-spool-"))
        self._files: dict[int, IO[str]] = {}
        self.counts: dict[int, int] = {}

    def add(self, part: int, url: str, document: str) -> None:
        out = self._files.get(part)
        if out is None:
            out = self._files[part] = (self.folder / f"{part}.jsonl").open("w", encoding="utf-8")
        out.write(json.dumps([url, document]) + "\n")
        self.counts[part] = self.counts.get(part, 0) + 1

    def close_part(self, part: int) -> None:
        """No more documents for ``part``: its file is complete on disk and may be read."""
        out = self._files.pop(part, None)
        if out is not None:
            out.close()

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


class PartedIndex:
    """The lessons' index written part after part, each by a process of its own.

    ``add`` spools a document, and once a part has every lesson planned for it, the background
    thread indexes that part; ``write`` says every document is in (the parts still waiting,
    and any lesson that was not planned for, are indexed then); ``finish`` waits for the last
    part and puts the bundle in place at ``output``."""

    def __init__(self, output: Path, parts: dict[str, int],
                 start_writer: Callable[[Path], Writer], join: bool = True) -> None:
        self.output = output
        self.started = time.perf_counter()
        self.pages = 0
        self._parts = parts
        self._expected = Counter(parts.values())
        self._overflow = max(parts.values(), default=-1) + 1
        """The part of lessons nobody planned for (or handed over twice): indexed last, at
        ``write``, since no count says when it is complete."""
        self._start_writer = start_writer
        self._join = join
        self._spool = Spool()
        self._staging = output.with_name(f".{output.name}-parts")
        self._thread: threading.Thread | None = None
        self._current: Writer | None = None
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._ready: list[int] = []
        self._taken: set[int] = set()
        self._all_in = False
        self._cancelled = threading.Event()
        self._result: IndexResult | None = None
        self.part_count = 0
        self.parts_before_write = 0
        """How many parts were indexed before every document was in (the overlap bought)."""
        self.join_seconds = 0.0

    def part_of(self, path: str) -> int:
        """The part a lesson's document goes to (a lesson not planned for: the last)."""
        return self._parts.get(path, self._overflow)

    def add(self, document: str, url: str, part: int) -> None:
        """One lesson's search document, spooled for its part; the part is queued for
        indexing when its last planned lesson is in."""
        with self._changed:
            if self._all_in or self._cancelled.is_set():
                return
            if part in self._taken:
                part = self._overflow  # its part is being indexed already: never lost
            self.pages += 1
            self._spool.add(part, url, document)
            if part != self._overflow and self._spool.counts[part] == self._expected[part]:
                self._spool.close_part(part)
                self._taken.add(part)
                self._ready.append(part)
                self._changed.notify()
        self._start()

    def write(self) -> None:
        """Every document is in: the parts not yet complete are indexed as they are."""
        with self._changed:
            if not self._all_in:
                self._all_in = True
                self._spool.close()
                waiting = sorted(k for k, n in self._spool.counts.items()
                                 if n and k not in self._taken)
                self._taken.update(waiting)
                self._ready.extend(waiting)
                self._changed.notify()
        self._start()

    def _start(self) -> None:
        if self._thread is None:
            thread = threading.Thread(target=self._run, name="lessonbook-index-parts",
                                      daemon=True)
            thread.start()
            self._thread = thread  # only a started thread is ever seen (abort may run meanwhile)

    def finish(self, timeout: float = 3600) -> IndexResult:
        self.write()
        assert self._thread is not None
        self._thread.join(timeout)
        if self._thread.is_alive():
            self.abort()
            return IndexResult(False, f"pagefind did not finish in {timeout:.0f} s")
        return self._result or IndexResult(False, "pagefind stopped")

    def abort(self) -> None:
        with self._changed:
            self._cancelled.set()
            current = self._current
            self._changed.notify()
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
    def _run(self) -> None:
        try:
            self._result = self._index_all()
        except Exception as exc:  # an unexpected failure is reported, the CLI takes over
            self._result = IndexResult(False, f"pagefind failed: {exc}")
        finally:
            self._spool.remove()
            if not (self._result and self._result.ok):
                shutil.rmtree(self._staging, ignore_errors=True)

    def _next_part(self) -> tuple[int, bool] | None:
        """The next complete part and whether every document was in when it was taken; None
        when there is none left (or the index was cancelled)."""
        with self._changed:
            while not self._ready and not self._all_in and not self._cancelled.is_set():
                self._changed.wait()
            if self._cancelled.is_set() or not self._ready:
                return None
            return self._ready.pop(0), self._all_in

    def _index_all(self) -> IndexResult:
        shutil.rmtree(self._staging, ignore_errors=True)
        self._staging.mkdir(parents=True)
        folders: dict[int, Path] = {}
        while (taken := self._next_part()) is not None:
            part, after_write = taken
            result = self._index_part(part)
            if isinstance(result, IndexResult):
                return result
            folders[part] = result
            self.parts_before_write += not after_write
        if self._cancelled.is_set():
            return IndexResult(False, "cancelled")
        if not folders:  # not one document: an empty index, as Pagefind writes it
            result = self._index_part(0)
            if isinstance(result, IndexResult):
                return result
            folders[0] = result
        ordered = [folders[k] for k in sorted(folders)]
        kept = self._assemble(ordered)
        self.part_count = len(ordered)
        seconds = time.perf_counter() - self.started
        split = ""
        if len(ordered) > 1:
            split = (f" in {len(ordered)} parts, joined into one index in "
                     f"{self.join_seconds:.1f} s" if kept is None else
                     f" in {len(ordered)} parts, searched together in the browser ({kept})")
        return IndexResult(True, f"pagefind indexed {self.pages} lessons{split} alongside the "
                                 f"build ({seconds:.1f} s from start to written index)", seconds)

    def _index_part(self, part: int) -> Path | IndexResult:
        """One part through its own process; its folder, or why it failed."""
        folder = self._staging / f"part-{part + 1}"
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
        if self._cancelled.is_set():
            return IndexResult(False, "cancelled")
        if not result.ok:
            return result
        if (why := incomplete(folder)) is not None:
            return IndexResult(False, f"part {part + 1} of the index is incomplete: {why}")
        return folder

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

