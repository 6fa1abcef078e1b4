"""A `mkdocs serve` rebuild reuses what did not change and finds what a fresh build finds."""

from __future__ import annotations

import datetime as dt
import random
import sys

from conftest import REPO
from lessonbook.load.sources import Source
from lessonbook.model.options import Options
from lessonbook.pipeline import Run, Session
from lessonbook.speed import Speed

sys.path.insert(0, str(REPO / "benchmarks"))
from bench_check import lesson as bench_lesson  # noqa: E402


def _sources() -> dict[str, bytes]:
    files = {p.relative_to(REPO / "lessons").as_posix(): p.read_bytes()
             for p in sorted((REPO / "lessons").rglob("*.md"))}
    rng = random.Random(8)
    files.update({f"bench/pm-{i:04d}.md": bench_lesson(i, rng).encode() for i in range(1, 40)})
    return files


def _outcome(files: dict[str, bytes], session: Session | None,
             speed: Speed | None = None) -> tuple[object, ...]:
    """What a run finds, as `mkdocs serve` runs it (with the session its plugin keeps)."""
    run = Run(Options(), build_date=dt.date(2026, 6, 1), session=session,
              speed=speed or Speed())
    analysis = run.check([Source(path, raw) for path, raw in files.items()])
    run.relate(analysis)
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
    session = Session.for_serve()
    reference = Speed.reference()
    assert _outcome(files, session) == _outcome(files, None, reference)
    for edited in _edits(files):
        assert _outcome(edited, session) == _outcome(edited, None, reference)


def test_a_rebuild_after_one_edit_reads_and_lints_only_that_file():
    files = _sources()
    session = Session.for_serve()
    _outcome(files, session)
    speed = Speed()
    _outcome(_edits(files)[0], session, speed)
    assert speed.report.files_read == 1
    assert speed.report.lessons_linted == 1


def test_similarity_rescans_only_the_texts_an_edit_changed():
    files = _sources()
    session = Session.for_serve()
    _outcome(files, session)
    words = session.reads.words
    assert words is not None
    known = set(words)
    edited = {**files, "bench/pm-0007.md": files["bench/pm-0007.md"].replace(
        b"## Summary\n", b"## Summary\n\nA second certificate expired the same night.\n")}
    cached = _outcome(edited, session)
    scanned = set(words) - known
    assert len(scanned) == 1 and "second certificate" in scanned.pop()  # the edited body alone
    assert cached == _outcome(edited, None, Speed.reference())
