"""`lessonbook check` reads each file in the process that parses it, and finds the lesson files
with cheaper string checks: the same lessons, problems and rejected files as reading first."""

from __future__ import annotations

import fnmatch
import os
import random
import sys
from pathlib import Path

import pytest

from conftest import REPO
from lessonbook.load.sources import excluder, inside, read_sources
from lessonbook.model.vocabulary import Settings
from lessonbook.pipeline import Run
from lessonbook.speed import Speed

sys.path.insert(0, str(REPO / "benchmarks"))
from bench_check import lesson as bench_lesson  # noqa: E402


def _docs(tmp_path: Path) -> Path:
    """Example lessons, benchmark lessons, broken files, a duplicate id, excluded files, links
    (broken, outside docs_dir, to another lesson)."""
    docs = tmp_path / "docs"
    for source in sorted((REPO / "lessons").rglob("*.md")):
        target = docs / source.relative_to(REPO / "lessons")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
    rng = random.Random(4)
    (docs / "bench").mkdir()
    for i in range(1, 40):
        (docs / "bench" / f"pm-{i:04d}.md").write_text(bench_lesson(i, rng), encoding="utf-8")
    (docs / "bad").mkdir()
    (docs / "bad" / "yaml.md").write_bytes(b"---\ntitle: [x\n---\n")
    (docs / "bad" / "latin1.md").write_bytes("---\ntitle: caf\xe9\n---\n".encode("latin-1"))
    (docs / "bad" / "dup.md").write_text(bench_lesson(5, random.Random(1)), encoding="utf-8")
    (docs / "bad" / "README.md").write_text("not a lesson", encoding="utf-8")
    (docs / "bad" / "broken.md").symlink_to(tmp_path / "nowhere.md")
    (tmp_path / "outside.md").write_text(bench_lesson(90, rng), encoding="utf-8")
    (docs / "bad" / "outside.md").symlink_to(tmp_path / "outside.md")
    (docs / "bad" / "again.md").symlink_to(docs / "bench" / "pm-0003.md")
    return docs


def _analysed(docs: Path, later: bool, speed: Speed) -> tuple[list, list, list]:
    analysis = Run(speed=speed).check(read_sources(docs, Settings(), later=later))
    return (analysis.problems, [vars(x) for x in analysis.kb.lessons], analysis.kb.rejected)


@pytest.mark.parametrize("processes", [1, 3])
def test_files_read_where_they_are_parsed_give_what_files_read_first_give(
        tmp_path, processes):
    speed = Speed(workers=processes, parallel_min=1)
    docs = _docs(tmp_path)
    first = _analysed(docs, later=False, speed=speed)
    assert {p.code for p in first[0]} >= {"duplicate-id", "symlink-broken", "symlink-outside",
                                          "yaml"}
    assert _analysed(docs, later=True, speed=speed) == first


def test_a_file_gone_before_it_is_read_is_the_error_of_a_file_that_cannot_be_read(
        tmp_path):
    docs = _docs(tmp_path)
    found = read_sources(docs, Settings(), later=True)
    (docs / "bench" / "pm-0007.md").unlink()
    analysis = Run(speed=Speed(workers=2, parallel_min=1)).check(found)
    gone = [p for p in analysis.problems if p.path == "bench/pm-0007.md"]
    assert [(p.severity.value, p.code, p.line) for p in gone] == [("error", "unreadable", None)]
    assert gone[0].message == "cannot read file: No such file or directory"
    assert "bench/pm-0007.md" in analysis.kb.rejected
    assert "bench/pm-0007.md" not in {x.path for x in analysis.kb.lessons}


def test_excluded_paths_are_those_fnmatch_excludes():
    patterns = ("index.md", "README.md", "drafts/*", "*/tmp-*.md", "a?c.md", "[!x]*.md",
                "[ab]/*.markdown", "weird.(md)", "lit[.]md", "")
    paths = ["index.md", "README.md", "sub/README.md", "drafts/x.md", "drafts/a/b.md",
             "q/tmp-1.md", "tmp-1.md", "abc.md", "a/c.md", "xyz.md", "x.md", "b/n.markdown",
             "c/n.markdown", "weird.(md)", "lit.md", "litxmd", "", "a\nb.md", "ÄÖ.md"]
    for chosen in [patterns, *((p,) for p in patterns)]:
        excluded = excluder(chosen)
        for path in paths:
            expected = any(fnmatch.fnmatch(path, pattern) for pattern in chosen)
            assert excluded(path) == expected, (chosen, path)


def test_inside_docs_dir_is_what_commonpath_says():
    roots = ["/", "/srv/docs", "/srv/docs/lessons"]
    reals = ["/", "/srv", "/srv/docs", "/srv/docs/a.md", "/srv/docsx/a.md", "/srv/doc",
             "/srv/docs/lessons", "/srv/docs/lessons/x/y.md", "/srv/docs/lessons2/y.md",
             "/other/a.md"]
    for root in roots:
        for real in reals:
            assert inside(real, root) == (os.path.commonpath([real, root]) == root), (real,
                                                                                      root)
