"""Per-file work spread over the machine's cores, with results in input order.

Reading, validating and linting 10,000 lessons is about 15 CPU seconds of independent per-file
work; `lessonbook check` is promised in 5. Each file's result depends on that file alone, so the
items are split into one contiguous chunk per core: forked workers take all but the first, this
process takes the first, and the chunks are joined in order — the same list a serial loop makes.

Forking is used because the workers then share this process's memory (the sources, the options,
the linter's patterns) without pickling them; only results travel back. It is used only where it
is safe and pays: on a platform with ``fork``, with no other thread running (a forked thread
holding a lock would deadlock the child; ``mkdocs serve`` runs threads, and has its caches),
more than one core, and at least ``PARALLEL_MIN_ITEMS`` items. ``LESSONBOOK_WORKERS=1`` turns it
off; ``LESSONBOOK_WORKERS=N`` sets the number of processes.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_MIN_ITEMS = 1000
"""Below this many items one process is faster than starting workers."""

_job: tuple[Callable[[Any], Any], Sequence[Any]] | None = None
"""The function and items of the running map, inherited by forked workers."""


def processes() -> int:
    """How many processes a large map uses: ``LESSONBOOK_WORKERS``, else the usable cores."""
    wanted = os.environ.get("LESSONBOOK_WORKERS", "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def map_in_order(func: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """``[func(x) for x in items]``, over several processes when that is safe and pays.

    ``func`` must not raise (per-file work reports problems instead) and its results must be
    picklable; it need not be: workers inherit it."""
    count = processes()
    if (count < 2 or len(items) < PARALLEL_MIN_ITEMS or _job is not None
            or "fork" not in multiprocessing.get_all_start_methods()
            or threading.active_count() > 1):
        return [func(item) for item in items]
    return _forked(func, items, _chunks(len(items), count))


PARENT_SHARE = 0.95
"""This process's share of the items, as a part of an equal share: it also unpickles every
result the workers send back. Reading, validating and linting a lesson took ~0.8 ms and
unpickling it ~0.12 ms (in a worker, pickling ~0.07 ms), which balance at 0.95-0.97."""
PARTS_PER_WORKER = 1
"""How many parts each worker's share comes back in. More parts were tried (4, so this process
would unpickle early parts while the workers read the rest): a worker then waited to write
each part into the pipe while this process, busy with its own chunk, held the interpreter
lock — about 1 s of 10,000 lessons lost — so one part, sent once this process is free."""


def _chunks(total: int, count: int) -> list[tuple[int, int]]:
    """(start, stop) of this process's chunk, then of the workers' parts, in order."""
    mine = int(total * PARENT_SHARE / count)
    parts = (count - 1) * PARTS_PER_WORKER
    bounds = [0, *(mine + (total - mine) * i // parts for i in range(parts + 1))]
    return [(start, stop) for start, stop in zip(bounds, bounds[1:], strict=False)]


def _forked(func: Callable[[T], R], items: Sequence[T], chunks: list[tuple[int, int]]
            ) -> list[R]:
    global _job
    _job = (func, items)
    workers = max(1, min(len(chunks) - 1, processes() - 1))
    # The workers inherit this process's objects; frozen, the collector in a worker never
    # walks them, so their memory pages stay shared instead of being copied.
    gc.freeze()
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")
                                 ) as pool:
            futures = [pool.submit(_run_chunk, start, stop) for start, stop in chunks[1:]]
            start, stop = chunks[0]
            results = [func(item) for item in items[start:stop]]
            for future, (start, stop) in zip(futures, chunks[1:], strict=True):
                try:
                    results.extend(future.result())
                except BrokenProcessPool:  # a worker killed (out of memory): do it here
                    results.extend(func(item) for item in items[start:stop])
        return results
    finally:
        gc.unfreeze()
        _job = None


def _run_chunk(start: int, stop: int) -> list[Any]:
    assert _job is not None
    func, items = _job
    return [func(item) for item in items[start:stop]]
