"""Reading and linting over several processes gives exactly what one process gives."""

from __future__ import annotations

import random
import sys

import pytest

from conftest import REPO
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
        Source("bad/empty.md", b""),
        Source("bad/yaml.md", b"---\ntitle: [x\n---\n"),
        Source("bad/latin1.md", "---\ntitle: caf\xe9\n---\n".encode("latin-1")),
        Source("bad/fields.md", b"---\ntitle: T\ntype: postmortem\ndate: 2025-02-30\n"
                                b"severity: SEV9\nrelated: [nope]\n---\nJohn Smith failed to "
                                b"check. Human error.\n"),
        Source("bench/blame.md", b"---\nid: pm-blame\ntitle: T\ntype: postmortem\n"
                                 b"date: 2025-02-03\n---\n## Timeline\n\nJohn Smith failed to "
                                 b"check the flag. Root cause: human error.\n"),
        Source("bad/dup.md", bench_lesson(5, random.Random(1)).encode()),
        Source("bad/unreadable.md", None, "permission denied"),
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
    parts = 1 + 2 * workers.PARTS_PER_WORKER  # this process's chunk, two workers' parts
    assert forked == [parts, parts], "the read and the lint each ran in three processes"
    assert parallel == serial
    assert any(p.code == "duplicate-id" for p in serial[0])
    assert any(p.code == "no-follow-ups" for p in serial[0])  # the lint ran


def test_a_small_knowledge_base_is_read_in_this_process(monkeypatch):
    monkeypatch.setenv("LESSONBOOK_WORKERS", "2")
    monkeypatch.setattr(workers, "_forked", lambda *a: pytest.fail("forked for 3 items"))
    assert workers.map_in_order(str, [1, 2, 3]) == ["1", "2", "3"]
