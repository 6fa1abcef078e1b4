"""A `mkdocs serve` rebuild reuses what did not change and finds what a fresh build finds."""

from __future__ import annotations

import datetime as dt
import random
import sys

from conftest import REPO
from lessonbook.analysis.analyse import analyse
from lessonbook.load.knowledge_base import ReadCache
from lessonbook.load.sources import Source
from lessonbook.model.options import Options

sys.path.insert(0, str(REPO / "benchmarks"))
from bench_check import lesson as bench_lesson  # noqa: E402


def _sources() -> dict[str, bytes]:
    files = {p.relative_to(REPO / "lessons").as_posix(): p.read_bytes()
             for p in sorted((REPO / "lessons").rglob("*.md"))}
    rng = random.Random(8)
    files.update({f"bench/pm-{i:04d}.md": bench_lesson(i, rng).encode() for i in range(1, 40)})
    return files


def _outcome(files: dict[str, bytes], cache: ReadCache | None) -> tuple[object, ...]:
    analysis = analyse([Source(path, raw) for path, raw in files.items()], Options(),
                       build_date=dt.date(2026, 6, 1), cache=cache)
    assert analysis.similar is not None
    similar = {x.id: [link.as_record() for link in analysis.similar.similar(x.id)]
               for x in analysis.kb.lessons}
    return (analysis.problems, [vars(x) for x in analysis.kb.lessons], analysis.kb.rejected,
            similar, analysis.registry.rules, analysis.registry.follow_ups)


def _edits(files: dict[str, bytes]) -> list[dict[str, bytes]]:
    """One lesson edited several ways, one after the other, as an author would."""
    path = "bench/pm-0007.md"
    text = files[path].decode()
    blamed = text.replace("## Summary\n", "## Summary\n\nThe on-call engineer failed to "
                          "notice. Root cause: human error. Alice Smith restarted the pool.\n")
    new_team = text.replace("teams: [checkout-team, platform]", "teams: [alice smith]")
    broken = text.replace("severity: SEV", "severity: BAD")
    related_gone = {**files, path: blamed}
    del related_gone["bench/pm-0008.md"]  # pm-0009 names it in related:
    return [{**files, path: blamed.encode()}, {**files, path: new_team.encode()},
            {**files, path: broken.encode()},
            {p: (v.encode() if isinstance(v, str) else v) for p, v in related_gone.items()},
            files]


def test_rebuilds_with_the_cache_find_what_a_fresh_analysis_finds():
    files = _sources()
    cache = ReadCache()
    assert _outcome(files, cache) == _outcome(files, None)
    for edited in _edits(files):
        assert _outcome(edited, cache) == _outcome(edited, None)


def test_a_rebuild_after_one_edit_reads_and_lints_only_that_file(monkeypatch):
    from lessonbook.analysis import lint
    from lessonbook.load import knowledge_base

    files = _sources()
    cache = ReadCache()
    _outcome(files, cache)
    read, linted = [], []
    real_read, real_linter = knowledge_base._read, lint._Linter

    def counting_read(source, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        read.append(source.path)
        return real_read(source, *args, **kwargs)

    class CountingLinter(real_linter):  # type: ignore[misc, valid-type]
        def run(self):  # noqa: ANN202
            linted.append(self.lesson.path)
            return super().run()

    monkeypatch.setattr(knowledge_base, "_read", counting_read)
    monkeypatch.setattr(lint, "_Linter", CountingLinter)
    _outcome(_edits(files)[0], cache)
    assert read == ["bench/pm-0007.md"]
    assert linted == ["bench/pm-0007.md"]


def test_similarity_rescans_only_the_texts_an_edit_changed(monkeypatch):
    from lessonbook.analysis.similarity import text as similarity

    files = _sources()
    cache = ReadCache(words={})
    _outcome(files, cache)
    scanned: list[str] = []
    real = similarity.raw_words
    monkeypatch.setattr(similarity, "raw_words", lambda text: scanned.append(text) or real(text))
    edited = {**files, "bench/pm-0007.md": files["bench/pm-0007.md"].replace(
        b"## Summary\n", b"## Summary\n\nA second certificate expired the same night.\n")}
    cached = _outcome(edited, cache)
    assert len(scanned) == 1 and "second certificate" in scanned[0]  # the edited body alone
    assert cached == _outcome(edited, None)
