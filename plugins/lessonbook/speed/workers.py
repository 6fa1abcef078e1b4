"""Per-file work spread over the machine's cores, with results in input order.

Reading, validating and linting 10,000 lessons is about 15 CPU seconds of independent per-file
work; `lessonbook check` is promised in 5. Each file's result depends on that file alone, so the
items are split into contiguous chunks that this process and forked workers take one at a time
from a shared counter (whoever is free next), and the chunks are joined in order — the same
list a serial loop makes.

Forking is used because the workers then share this process's memory (the sources, the options,
the linter's patterns) without pickling them; only results travel back. It is used only where it
is safe and pays: on a platform with ``fork``, with no other thread running (a forked thread
holding a lock would deadlock the child; ``mkdocs serve`` runs threads, and has its caches),
more than one core, and at least ``Speed.parallel_min`` items. ``Speed.workers`` (the environment's
``LESSONBOOK_WORKERS``) sets the number of processes; 1 turns it off.
"""

from __future__ import annotations

import gc
import multiprocessing
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from .switches import Speed

T = TypeVar("T")
R = TypeVar("R")

_job: tuple[Callable[[Any], Any], Sequence[Any], list[tuple[int, int]], Any] | None = None
"""The function, items, chunks and shared count of chunks taken of the running map,
inherited by forked workers."""


def map_in_order(func: Callable[[T], R], items: Sequence[T], speed: Speed) -> list[R]:
    """``[func(x) for x in items]``, over several processes when that is safe and pays.

    ``func`` must not raise (per-file work reports problems instead) and its results must be
    picklable; it need not be: workers inherit it."""
    if len(items) < max(speed.parallel_min, 1) or _job is not None or not can_fork(speed):
        return [func(item) for item in items]
    chunks = _chunks(len(items), speed.processes())
    speed.report.forked_maps += 1
    speed.report.forked_chunks += len(chunks)
    return _forked(func, items, chunks, speed.processes())


def can_fork(speed: Speed) -> bool:
    """Whether work may go to a forked process here and now: more than one core, ``fork``
    available and no other thread running (one holding a lock at the fork would deadlock
    the child)."""
    return (speed.processes() >= 2 and "fork" in multiprocessing.get_all_start_methods()
            and threading.active_count() == 1)


CHUNK_ITEMS = 100
"""Items taken at a time. The processes take chunks from a shared counter, whoever is free
next, so a process slowed by the machine's other work simply takes fewer: timelines of one
10,000-lesson check showed the two processes' equal shares finishing up to a second apart
from one run to the next. 100 lessons are ~80 ms of work."""
TAIL_CHUNKS = 2
"""A worker stops taking chunks when this few are left: this process does them while the
worker pickles its results (~4 % of its work), instead of waiting for them idle."""


def _chunks(total: int, count: int) -> list[tuple[int, int]]:
    """(start, stop) of the chunks, in order: about ``CHUNK_ITEMS`` each, at least four a
    process."""
    size = max(1, min(CHUNK_ITEMS, total // (4 * count)))
    return [(start, min(start + size, total)) for start in range(0, total, size)]


LOCK_TIMEOUT = 10.0
"""Seconds to wait for the shared counter before taking it for lost (a killed worker)."""


def _forked(func: Callable[[T], R], items: Sequence[T], chunks: list[tuple[int, int]],
            processes: int) -> list[R]:
    global _job
    context = multiprocessing.get_context("fork")
    taken = context.Value("i", 0)
    _job = (func, items, chunks, taken)
    workers = max(1, min(len(chunks) - 1, processes - 1))
    done: dict[int, list[R]] = {}
    # The workers inherit this process's objects; frozen, the collector in a worker never
    # walks them, so their memory pages stay shared instead of being copied.
    gc.freeze()
    try:
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            futures = [pool.submit(_run_chunks, TAIL_CHUNKS) for _ in range(workers)]
            done.update(take_chunks(func, items, chunks, taken, 0))
            for future in futures:
                try:
                    done.update(future.result())
                except BrokenProcessPool:  # a worker killed (out of memory): redo its chunks
                    break
        results: list[R] = []
        for index, (start, stop) in enumerate(chunks):
            results.extend(done[index] if index in done
                           else [func(item) for item in items[start:stop]])
        return results
    finally:
        gc.unfreeze()
        _job = None


def take_chunks(func: Callable[[T], R], items: Sequence[T], chunks: list[tuple[int, int]],
                taken: Any, leave: int, lock_timeout: float = LOCK_TIMEOUT
                ) -> dict[int, list[R]]:
    """Chunk index → results, for the chunks this process took until fewer than ``leave``
    (or none) were left."""
    done: dict[int, list[R]] = {}
    lock = taken.get_lock()
    while True:
        # Held for a few instructions; only a process killed while holding it keeps it. Then
        # stop taking: the chunks nobody finished are done by the caller at the end.
        if not lock.acquire(timeout=lock_timeout):
            return done
        try:
            index = taken.value
            if index >= len(chunks) - leave:
                return done
            taken.value = index + 1
        finally:
            lock.release()
        start, stop = chunks[index]
        done[index] = [func(item) for item in items[start:stop]]


def _run_chunks(leave: int) -> dict[int, list[Any]]:
    assert _job is not None
    func, items, chunks, taken = _job
    return take_chunks(func, items, chunks, taken, leave)
