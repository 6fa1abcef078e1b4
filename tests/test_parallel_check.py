"""The worker pool: results in order whoever computed them, a slower or dead worker costs time,
never results. (Several processes against one on a whole check: tests/test_fast_paths.py.)"""

from __future__ import annotations

import functools
import os
import sys
import time

from conftest import REPO
from lessonbook.speed import Speed, workers

sys.path.insert(0, str(REPO / "benchmarks"))


def test_a_small_knowledge_base_is_read_in_this_process():
    speed = Speed(workers=2)
    assert workers.map_in_order(str, [1, 2, 3], speed) == ["1", "2", "3"]
    assert speed.report.forked_maps == 0


def _pid_after(item: int, parent: int, slow_worker: bool) -> tuple[int, int]:
    if os.getpid() != parent:
        if not slow_worker:
            os._exit(1)  # a worker killed (as by the kernel, out of memory)
        time.sleep(0.008)
    elif slow_worker:
        time.sleep(0.001)
    return item, os.getpid()


def test_a_slower_process_takes_fewer_chunks_and_the_results_stay_in_order():
    parent = os.getpid()
    results = workers.map_in_order(
        functools.partial(_pid_after, parent=parent, slow_worker=True), list(range(400)),
        Speed(workers=2, parallel_min=1))
    assert [item for item, _pid in results] == list(range(400))
    by_parent = sum(pid == parent for _item, pid in results)
    # Not a timing bound: the worker, 8 times slower per item, takes fewer chunks than this
    # process however late it starts (it may take none) or however loaded the machine is.
    assert by_parent > 200, "the slower worker took fewer chunks"


def test_the_chunks_of_a_worker_that_died_are_done_in_this_process():
    parent = os.getpid()
    results = workers.map_in_order(
        functools.partial(_pid_after, parent=parent, slow_worker=False), list(range(400)),
        Speed(workers=2, parallel_min=1))
    assert results == [(item, parent) for item in range(400)]


def test_a_counter_lock_held_by_a_dead_process_does_not_hang_the_check():

    class Held:
        value = 0

        class _Lock:
            def acquire(self, timeout: float) -> bool:
                time.sleep(timeout)
                return False  # never released: its holder was killed

        def get_lock(self) -> object:
            return self._Lock()

    done = workers.take_chunks(str, [1, 2, 3, 4], [(0, 2), (2, 4)], Held(), 0,
                               lock_timeout=0.2)
    assert done == {}, "gave up taking; the caller does the chunks nobody finished"
