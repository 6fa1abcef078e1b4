"""Reading and linting over several processes gives exactly what one process gives."""

from __future__ import annotations

import functools
import os
import random
import sys
import time

import pytest

from conftest import REPO, broken_sources
from lessonbook.analysis.analyse import analyse
from lessonbook.load import workers
from lessonbook.load.sources import Source

sys.path.insert(0, str(REPO / "benchmarks"))
from bench_check import lesson as bench_lesson  # noqa: E402


def _sources() -> list[Source]:
    """The example lessons, benchmark lessons, and files with every kind of problem."""
    sources = [Source(p.relative_to(REPO / "lessons").as_posix(), p.read_bytes())
               for p in sorted((REPO / "lessons").rglob("*.md"))]
    rng = random.Random(3)
    sources += [Source(f"bench/pm-{i:04d}.md", bench_lesson(i, rng).encode())
                for i in range(1, 60)]
    sources += [
        Source("bad/latin1.md", "---\ntitle: caf\xe9\n---\n".encode("latin-1")),
        Source("bench/blame.md", b"---\nid: pm-blame\ntitle: T\ntype: postmortem\n"
                                 b"date: 2025-02-03\n---\n## Timeline\n\nJohn Smith failed to "
                                 b"check the flag. Root cause: human error.\n"),
        *broken_sources(bench_lesson(5, random.Random(1)).encode()),
    ]
    return sources


def _run(monkeypatch: pytest.MonkeyPatch, processes: str) -> tuple[list, list, list]:
    monkeypatch.setenv("LESSONBOOK_WORKERS", processes)
    analysis = analyse(_sources(), with_similar=False)
    return (analysis.problems, [vars(x) for x in analysis.kb.lessons], analysis.kb.rejected)


def test_reading_and_linting_in_several_processes_gives_what_one_process_gives(monkeypatch):
    monkeypatch.setattr(workers, "PARALLEL_MIN_ITEMS", 1)
    forked = []
    real_forked = workers._forked

    def counting(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        forked.append(len(args[2]))
        return real_forked(*args, **kwargs)

    monkeypatch.setattr(workers, "_forked", counting)
    serial = _run(monkeypatch, "1")
    assert forked == []
    parallel = _run(monkeypatch, "3")
    assert len(forked) == 2, "the read and the lint each ran in several processes"
    assert forked[0] >= 3, "the files were read in chunks the processes share"
    assert parallel == serial
    assert any(p.code == "duplicate-id" for p in serial[0])
    assert any(p.code == "no-follow-ups" for p in serial[0])  # the lint ran


def test_a_small_knowledge_base_is_read_in_this_process(monkeypatch):
    monkeypatch.setenv("LESSONBOOK_WORKERS", "2")
    monkeypatch.setattr(workers, "_forked", lambda *a: pytest.fail("forked for 3 items"))
    assert workers.map_in_order(str, [1, 2, 3]) == ["1", "2", "3"]


def _pid_after(item: int, parent: int, slow_worker: bool) -> tuple[int, int]:
    if os.getpid() != parent:
        if not slow_worker:
            os._exit(1)  # a worker killed (as by the kernel, out of memory)
        time.sleep(0.008)
    elif slow_worker:
        time.sleep(0.001)
    return item, os.getpid()


def test_a_slower_process_takes_fewer_chunks_and_the_results_stay_in_order(monkeypatch):
    monkeypatch.setattr(workers, "PARALLEL_MIN_ITEMS", 1)
    monkeypatch.setenv("LESSONBOOK_WORKERS", "2")
    parent = os.getpid()
    results = workers.map_in_order(
        functools.partial(_pid_after, parent=parent, slow_worker=True), list(range(400)))
    assert [item for item, _pid in results] == list(range(400))
    by_parent = sum(pid == parent for _item, pid in results)
    # Not a timing bound: the worker, 8 times slower per item, takes fewer chunks than this
    # process however late it starts (it may take none) or however loaded the machine is.
    assert by_parent > 200, "the slower worker took fewer chunks"


def test_the_chunks_of_a_worker_that_died_are_done_in_this_process(monkeypatch):
    monkeypatch.setattr(workers, "PARALLEL_MIN_ITEMS", 1)
    monkeypatch.setenv("LESSONBOOK_WORKERS", "2")
    parent = os.getpid()
    results = workers.map_in_order(
        functools.partial(_pid_after, parent=parent, slow_worker=False), list(range(400)))
    assert results == [(item, parent) for item in range(400)]


def test_a_counter_lock_held_by_a_dead_process_does_not_hang_the_check(monkeypatch):
    monkeypatch.setattr(workers, "LOCK_TIMEOUT", 0.2)

    class Held:
        value = 0

        class _Lock:
            def acquire(self, timeout: float) -> bool:
                time.sleep(timeout)
                return False  # never released: its holder was killed

        def get_lock(self) -> object:
            return self._Lock()

    done = workers._take_chunks(str, [1, 2, 3, 4], [(0, 2), (2, 4)], Held(), 0)
    assert done == {}, "gave up taking; the caller does the chunks nobody finished"
