"""Index lessons with Pagefind *while* MkDocs renders the site.

Running the Pagefind CLI after the build re-reads every HTML file once MkDocs has finished, and
all of its work (parsing, building and writing the index; 23 s at 10,000 lessons here) adds to
the build. Instead each lesson's search document (search.search_document) goes to a
``pagefind --service`` process as soon as MkDocs has converted its Markdown, and the index is
written while MkDocs renders the templates: MkDocs converts every page before it renders any,
so the writing — the larger part of Pagefind's work — overlaps the rendering. The service runs
at low priority with one worker thread: it is background work, and a multi-threaded indexer
competing with MkDocs' single thread slowed the build more than it gained.

The service hands the finished index back (``GetFiles``) and this process writes the files.
Asked to write them itself (``WriteFiles``), the service answers once its writes are queued,
not done, and exits the moment its input closes: on a loaded machine a part came out with an
empty ``pagefind-entry.json`` (CI saw it as a build that fell back to the CLI). Written here,
a bundle is whole when ``finish`` returns; ``pagefind_bundle.incomplete`` checks it all the same.

This talks to the service directly (requests are base64 JSON followed by a comma, the same
protocol as the `pagefind` package's client) because that client reads one response per
0.1 s, which would cap indexing at ten pages a second. Requests are pipelined: a writer thread
sends them from a bounded queue (MkDocs does not wait on a full pipe while the service catches
up) and a reader thread drains the responses.

Plain Python (no MkDocs): the adapter calls add() from on_page_content, write() from on_env and
finish() from on_post_build. Failures come back as a message; the caller then falls back to
the CLI.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import queue
import re
import subprocess
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import pagefind_index
from .pagefind_bundle import write_bundle
from .pagefind_index import EXCLUDE_SELECTORS, OUTPUT_SUBDIR, IndexResult

BACKGROUND = {"TOKIO_WORKER_THREADS": "1", "RAYON_NUM_THREADS": "1"}
"""One worker thread each for Pagefind's async runtime and its data-parallel pool."""


OUTBOX = 1000
"""Requests queued for the writer thread at most (≈ 13 MB of lessons): a service that falls
behind for a while does not hold MkDocs up, one that stays behind slows it down rather than
let the queue hold every lesson."""

EXIT_GRACE = 10.0
"""Seconds the service may take to exit once its input is closed, before it is stopped (it has
nothing left to write: the files come back in its answer)."""

_CLOSE = b""
"""Tells the writer thread to close the service's input (no request is empty)."""


class ServiceError(RuntimeError):
    pass


_SURROGATE = re.compile("[\ud800-\udfff]")
"""What JSON can escape but the service (Rust: UTF-8 strings) cannot read."""


def _message_id(original: Any) -> int | None:
    """The id of a request the service answered with an error it could not attribute (it
    quotes the request): its waiter gets the error at once instead of waiting out its
    time limit."""
    try:
        found = json.loads(original).get("message_id") if isinstance(original, str) else None
    except (ValueError, AttributeError):
        return None
    return found if isinstance(found, int) else None


def _lower_priority() -> None:
    """Run in the child before exec: let MkDocs have the CPU first."""
    with contextlib.suppress(OSError):
        os.nice(10)


class LiveIndex:
    def __init__(self, site_dir: str | Path, executable: str,
                 exclude_selectors: Sequence[str] = EXCLUDE_SELECTORS,
                 output: Path | None = None) -> None:
        self.output = output or Path(site_dir).resolve() / OUTPUT_SUBDIR
        self.started = time.perf_counter()
        self.pages = 0
        self._next_id = 0
        self._responses: dict[int, dict[str, Any]] = {}
        self._errors: list[str] = []
        self._added: list[int] = []
        self._write_id: int | None = None
        self._failure = ""
        self._cond = threading.Condition()
        self._process = subprocess.Popen([executable, "--service"], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                         env={**os.environ, **BACKGROUND},
                                         preexec_fn=_lower_priority if hasattr(os, "nice")
                                         else None)
        self._reader = threading.Thread(target=self._read, name="pagefind-reader", daemon=True)
        self._reader.start()
        self._outbox: queue.Queue[bytes | None] = queue.Queue(maxsize=OUTBOX)
        self._writer = threading.Thread(target=self._write_out, name="pagefind-writer",
                                        daemon=True)
        self._writer.start()
        created = self._wait(self._send({"type": "NewIndex",
                                         "config": {"exclude_selectors":
                                                    list(exclude_selectors)}}), 60)
        self._index_id = created["index_id"]

    @property
    def pid(self) -> int:
        """The service's process id (to watch or stop it from outside)."""
        return self._process.pid

    @classmethod
    def start(cls, site_dir: str | Path, output: Path | None = None
              ) -> tuple[LiveIndex | None, str]:
        """A running index, or None and why not (the caller then uses the CLI). ``output``:
        where the bundle goes (default ``<site>/pagefind``)."""
        if not pagefind_index.pagefind_available():
            return None, "the `pagefind` package is not installed"
        try:
            from pagefind.service import get_executable

            executable = get_executable()
            if executable is None:
                return None, "the pagefind binary was not found"
            return cls(site_dir, str(executable), output=output), ""
        except Exception as exc:  # the binary may be missing, broken or not start
            return None, f"pagefind service did not start: {exc}"

    # --- protocol ------------------------------------------------------------------------
    def _send(self, payload: dict[str, Any]) -> int:
        """Queue a request; the writer thread sends it, so a busy service (whose input pipe
        is full) never holds MkDocs up."""
        if self._failure:
            raise OSError(self._failure)
        self._next_id += 1
        message = {"message_id": self._next_id, "payload": payload}
        self._outbox.put(base64.b64encode(json.dumps(message).encode()) + b",")
        return self._next_id

    def _write_out(self) -> None:
        stdin = self._process.stdin
        assert stdin is not None
        try:
            while True:
                data = self._outbox.get()
                if data is None:
                    stdin.flush()
                elif data == _CLOSE:
                    stdin.close()
                    return
                else:
                    stdin.write(data)
        except (OSError, ValueError) as exc:  # the service stopped, or the pipe was closed
            self._failure = self._failure or f"the pagefind service stopped ({exc})"
            with self._cond:
                self._cond.notify_all()

    def _read(self) -> None:
        assert self._process.stdout is not None
        pending: list[bytes] = []  # an answer's chunks so far (the index's files: megabytes)
        while True:
            chunk = self._process.stdout.read1(1 << 16)
            if not chunk:
                break
            if b"," not in chunk:
                pending.append(chunk)
                continue
            first, *messages, rest = chunk.split(b",")
            for raw in [b"".join([*pending, first]), *messages]:
                with contextlib.suppress(ValueError):
                    self._receive(json.loads(base64.b64decode(raw)))
            pending = [rest] if rest else []
        with self._cond:
            self._errors.append("the pagefind service stopped")
            self._cond.notify_all()

    def _receive(self, response: dict[str, Any]) -> None:
        payload = response.get("payload") or {}
        with self._cond:
            message_id = response.get("message_id")
            if payload.get("type") == "Error":
                self._errors.append(str(payload.get("message")))
                if message_id is None:  # a request it could not read: answered all the same
                    message_id = _message_id(payload.get("original_message"))
            if isinstance(message_id, int):
                self._responses[message_id] = payload
            self._cond.notify_all()

    def _flush(self) -> None:
        self._outbox.put(None)

    def _wait(self, message_id: int, timeout: float) -> dict[str, Any]:
        self._flush()
        deadline = time.monotonic() + timeout
        with self._cond:
            while message_id not in self._responses:
                if self._process.poll() is not None:
                    raise ServiceError("the pagefind service stopped")
                if self._failure:
                    raise ServiceError(self._failure)
                left = deadline - time.monotonic()
                if left <= 0:
                    raise ServiceError(f"no answer from the pagefind service in {timeout:.0f} s")
                self._cond.wait(min(left, 1.0))
            payload = self._responses.pop(message_id)
        if payload.get("type") == "Error":
            raise ServiceError(str(payload.get("message")))
        return payload

    # --- the adapter's calls -------------------------------------------------------------
    def add(self, document: str, url: str) -> None:
        """Queue one lesson's search document (site-absolute URL such as /2025/pm-1/); returns
        at once, and never raises."""
        if self._failure:
            return
        if _SURROGATE.search(document) or _SURROGATE.search(url):
            # Validation lets no such text into a lesson; should one get here, the service
            # could not read the request and a build would wait for its answer.
            self._errors.append(f"the search document of {url!r} is not valid Unicode")
            document, url = (_SURROGATE.sub("\ufffd", document),
                             _SURROGATE.sub("\ufffd", url))
        self.pages += 1
        self._added.append(self._next_id + 1)
        try:
            self._send({"type": "AddFile", "index_id": self._index_id, "url": url,
                        "file_path": None, "file_contents": document})
        except OSError as exc:  # the service died: finish() reports it, the CLI takes over
            self._failure = f"the pagefind service stopped ({exc})"

    def write(self, timeout: float = 1800) -> None:
        """Start building the index once every queued document is in (the service handles
        requests concurrently); returns without waiting. A failure is kept for finish()."""
        if self._write_id is not None or self._failure:
            return
        try:
            deadline = time.monotonic() + timeout
            for message_id in self._added:
                self._wait(message_id, max(1.0, deadline - time.monotonic()))
            self._write_id = self._send({"type": "GetFiles", "index_id": self._index_id})
            self._flush()
        except (ServiceError, OSError) as exc:
            self._failure = str(exc)

    def finish(self, timeout: float = 1800) -> IndexResult:
        """Wait for the index (starting it if write() was not called), stop the service and
        write the bundle to ``output``: complete when this returns."""
        try:
            self.write(timeout)
            if self._write_id is None:
                raise ServiceError(self._failure or "the index was not written")
            files = self._wait(self._write_id, timeout).get("files")
            errors = [e for e in self._errors if e != "the pagefind service stopped"]
        except (ServiceError, OSError) as exc:
            self.abort()
            return IndexResult(False, f"pagefind failed: {exc}")
        self.abort(grace=EXIT_GRACE)
        if errors:
            return IndexResult(False, f"pagefind reported: {errors[0]}")
        try:
            write_bundle(files, self.output)
        except (OSError, ValueError, TypeError) as exc:
            return IndexResult(False, f"the index could not be written: {exc}")
        seconds = time.perf_counter() - self.started
        return IndexResult(True, f"pagefind indexed {self.pages} lessons alongside the build "
                                 f"({seconds:.1f} s from start to written index)", seconds)

    def abort(self, grace: float = 0) -> None:
        """Stop the service (without writing, unless finish() already did). ``grace``: seconds
        it may take to exit by itself once its input is closed (it may still be flushing the
        files it answered for) before it is terminated."""
        self._outbox.put(_CLOSE)
        self._writer.join(timeout=5)  # a service that stopped reading is terminated below
        if grace:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(timeout=grace)
        if self._process.poll() is None:
            self._process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(timeout=10)
        self._writer.join(timeout=5)
