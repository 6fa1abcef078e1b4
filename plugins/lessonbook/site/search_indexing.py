"""Search indexing for one build: Pagefind fed during the build, the CLI as the fallback.

The choice lives here, not in an adapter: index alongside the build with ``pagefind --service``
(pagefind_live.py) when it starts, else — and also when the service fails, or for a dirty build
that renders only changed pages — run the Pagefind CLI over the finished site.

Under `mkdocs serve` (:class:`SearchCarry`), a rebuild does not wait for its index: the site is
served at once with the index of the previous build, and this build's index replaces it when
Pagefind has written it (Pagefind has no incremental update, and re-indexing every lesson
took longer than the rest of a rebuild after one edit).
"""

from __future__ import annotations

import atexit
import contextlib
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ..model.lesson import Lesson
from . import pagefind_index, pagefind_live
from .pagefind_index import OUTPUT_SUBDIR, IndexResult
from .pagefind_parts import PartedIndex, WorkerCommand
from .search import search_document


class SearchCarry:
    """The search index carried across `mkdocs serve` rebuilds: the last complete bundle (kept
    outside the site folder, which MkDocs empties before each build) and the index being
    written in the background for the latest build."""

    def __init__(self) -> None:
        self._folder: Path | None = None
        self.bundle: Path | None = None
        self._builds = 0
        self._job: threading.Thread | None = None
        self._live: PartedIndex | None = None
        self._lock = threading.Lock()
        self._cancelled = threading.Event()

    def next_output(self) -> Path:
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="lessonbook-search-"))
            atexit.register(self.close)  # also when the session ends without on_shutdown
        self._builds += 1
        return self._folder / f"bundle-{self._builds}"

    def keep(self, bundle: Path) -> None:
        """``bundle`` is complete: it is the one later builds start from."""
        with self._lock:
            old, self.bundle = self.bundle, bundle
        if old is not None and old != bundle:
            shutil.rmtree(old, ignore_errors=True)

    def finish_in_background(self, live: PartedIndex, site_dir: Path,
                             report: Callable[[str, str], None]) -> None:
        self._cancelled.clear()
        self._live = live

        def run() -> None:
            result = live.finish()
            if self._cancelled.is_set():
                return
            if not result.ok:
                report("warning", f"search: {result.message}; the Explore page keeps the "
                                  "previous build's index")
                return
            self.keep(live.output)
            started = time.perf_counter()
            install(live.output, site_dir)
            report("info", f"{result.message}; installed in the served site "
                           f"({time.perf_counter() - started:.1f} s)")

        job = threading.Thread(target=run, name="lessonbook-search", daemon=True)
        job.start()
        self._job = job  # only a started thread is ever seen by wait and cancel

    def wait(self, timeout: float | None = None) -> None:
        """Until the background index (if any) is in place, or failed."""
        job = self._job
        if job is not None and job.is_alive():
            job.join(timeout)

    def cancel(self) -> None:
        """Stop the background index (a new build is about to empty the site folder)."""
        self._cancelled.set()
        live, self._live = self._live, None
        if live is not None:
            live.abort()
        job, self._job = self._job, None
        if job is not None and job.is_alive():
            job.join(timeout=60)
        if live is not None and live.output != self.bundle:
            shutil.rmtree(live.output, ignore_errors=True)  # half written: never used

    def close(self) -> None:
        self.cancel()
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None
            self.bundle = None


def start_parts(site_dir: Path, output: Path, parts: dict[str, int], join: bool = True,
                worker: bool = True) -> tuple[PartedIndex | None, str]:
    """An index in parts (a ``pagefind --service`` per part, fed by a worker process unless
    ``worker`` is false), or None and why not (the CLI then indexes the built site)."""
    if not pagefind_index.pagefind_available():
        return None, "the `pagefind` package is not installed"
    try:
        from pagefind.service import get_executable

        executable = get_executable()
    except Exception as exc:  # a broken installation
        return None, f"pagefind service did not start: {exc}"
    if executable is None:
        return None, "the pagefind binary was not found"

    def writer(folder: Path) -> pagefind_live.LiveIndex:
        return pagefind_live.LiveIndex(site_dir, str(executable), output=folder)

    command = WorkerCommand(str(site_dir), str(executable)) if worker else None
    return PartedIndex(output, parts, writer, join, command), ""


def install(bundle: Path, site_dir: Path) -> None:
    """Copy a complete bundle to ``<site>/pagefind``, replacing the one there in one rename (a
    reader never sees half an index)."""
    target = site_dir / OUTPUT_SUBDIR
    staging = site_dir / f".{OUTPUT_SUBDIR}-new"
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(bundle, staging)
    old = site_dir / f".{OUTPUT_SUBDIR}-old"
    with contextlib.suppress(FileNotFoundError):
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)


class SearchIndexing:
    """This build's index: lessons' search documents spooled per part during the conversions,
    the parts indexed one process at a time while the templates render (pagefind_parts.py)."""

    def __init__(self, site_dir: str | Path, *, live: bool, carry: SearchCarry | None = None,
                 parts: dict[str, int] | None = None, join: bool = True,
                 worker: bool = True) -> None:
        self.site_dir = Path(site_dir)
        self.live: PartedIndex | None = None
        self.carry = carry
        self.why_not_live = "a dirty build renders only changed pages" if not live else ""
        if live:
            output = (carry.next_output() if carry is not None
                      else self.site_dir.resolve() / OUTPUT_SUBDIR)
            self.live, self.why_not_live = start_parts(self.site_dir, output, parts or {},
                                                       join, worker)

    def add(self, lesson: Lesson, body_html: str, url: str, lang: str) -> None:
        """One lesson's search document, as soon as its Markdown is converted."""
        if self.live is not None:
            part = self.live.part_of(lesson.path)
            self.live.add(search_document(lesson, body_html, url, lang, part), "/" + url, part)

    def rendering_started(self) -> None:
        """Every page is converted: the index can be written while templates render (unless
        it is written in the background anyway: waiting for the last document would hold the
        rebuild)."""
        if self.live is not None and not (self.carry is not None and self.carry.bundle):
            self.live.write()

    def finish(self, report: Callable[[str, str], None] | None = None
               ) -> tuple[IndexResult, str | None]:
        """The index written; and a note when the CLI had to take over (or None).

        Under `mkdocs serve` after the first build (a carried bundle exists and ``report`` is
        given), the previous build's index is installed now and this build's in the
        background; ``report(level, message)`` is told when it is in place."""
        live, self.live = self.live, None
        carry = self.carry
        if carry is not None and live is not None:
            if carry.bundle is not None and report is not None:
                install(carry.bundle, self.site_dir)
                carry.finish_in_background(live, self.site_dir, report)
                return IndexResult(True, "search: the previous build's index is served until "
                                         "this build's is written (in the background)"), None
            result = live.finish()
            if result.ok:
                carry.keep(live.output)
                install(live.output, self.site_dir)
                return result, None
        else:
            result = live.finish() if live is not None else None
        if result is not None and result.ok:
            return result, None
        note = (f"{result.message}; running the pagefind CLI instead" if result is not None
                else f"{self.why_not_live}; the pagefind CLI indexes the site after the build"
                if self.why_not_live else None)
        return pagefind_index.build_index(self.site_dir), note

    def abort(self) -> None:
        live, self.live = self.live, None
        if live is not None:
            live.abort()
