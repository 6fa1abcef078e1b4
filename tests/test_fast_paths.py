"""Every speed mechanism gives what its reference gives: fast paths and reference paths compared
through the public switches (lessonbook.speed.Speed; LESSONBOOK_* in the environment), never by
patching private code. docs/performance.md maps each mechanism to its test here."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS, REPO, broken_sources, lesson_text, write_site
from lessonbook.analysis.similarity_alongside import MIN_LESSONS
from lessonbook.load.sources import Source
from lessonbook.pipeline import Run
from lessonbook.speed import Speed
from lessonbook.speed.workers import can_fork

sys.path.insert(0, str(REPO / "benchmarks"))
from bench_check import lesson as bench_lesson  # noqa: E402


# --- lessonbook check: workers, lint where read, the lint's line prefilter --------------------
def _example_sources() -> list[Source]:
    return [Source(p.relative_to(REPO / "lessons").as_posix(), p.read_bytes())
            for p in sorted((REPO / "lessons").rglob("*.md"))]


def _corpus_sources() -> list[Source]:
    """The shared corpus's real postmortems as lesson bodies (skipped when absent)."""
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is not here")
    front = {"title": "Real postmortem", "type": "postmortem", "date": "2025-03-04",
             "teams": ["payments"],
             "follow_ups": [{"action": "Review", "owner": "platform", "due": "2025-04-01"}]}
    return [Source(f"2025/pm-{i}.md", lesson_text({**front, "id": f"pm-{i}"}, p.read_text(
        encoding="utf-8", errors="replace")).encode())
            for i, p in enumerate(sorted(CORPUS.rglob("*.md")))]


def _synthetic_sources() -> list[Source]:
    """Benchmark lessons, lessons with every kind of problem, and people named in one lesson
    whose names are another lesson's team or owner (allowed only once every lesson is read)."""
    rng = random.Random(12)
    sources = [Source(f"bench/pm-{i:04d}.md", bench_lesson(i, rng).encode())
               for i in range(1, 120)]
    named = {"title": "Named people", "type": "postmortem", "date": "2025-02-03",
             "follow_ups": [{"action": "Fix it", "owner": "Release Captain",
                             "due": "2025-03-01"},
                            {"action": "Page", "owner": "Kari Nordmann"}]}
    teams = {"title": "Teams", "type": "postmortem", "date": "2025-02-04",
             "teams": ["Release Captain", "Ola Nordmann"],
             "follow_ups": [{"action": "Fix it", "owner": "platform", "due": "2025-03-01"}]}
    sources += [
        Source("named/pm-a.md", lesson_text({**named, "id": "pm-a"}, (
            "## Timeline\n\n- 10:02 Ola Nordmann notified the team\n"
            "- 10:03 Kari Nordmann notified ana@example.com\n\n## Root cause\n\nHuman error\n"
        )).encode()),
        Source("named/pm-b.md", lesson_text({**teams, "id": "pm-b"}).encode()),
        *broken_sources(bench_lesson(5, random.Random(1)).encode()),
    ]
    return sources


def _checked(sources: list[Source], speed: Speed) -> tuple[list, list, list]:
    analysis = Run(speed=speed).check(sources)
    return analysis.problems, [vars(x) for x in analysis.kb.lessons], analysis.kb.rejected


@pytest.mark.parametrize("sources", [_example_sources, _corpus_sources, _synthetic_sources],
                         ids=["examples", "corpus", "synthetic"])
def test_the_fast_check_finds_what_the_reference_check_finds(sources):
    """The fast path (files read, validated and linted in forked workers, lint where the file
    was read, only the body lines worth reading) against the reference (one process, the lint
    after every lesson is read, every body line read): the same problems, lessons and files
    left out."""
    given = sources()
    fast_speed = Speed(workers=3, parallel_min=2)
    fast = _checked(given, fast_speed)
    reference = _checked(given, Speed.reference())
    assert fast == reference
    assert fast[1]
    if can_fork(fast_speed):
        assert fast_speed.report.forked_maps >= 1, "the files were read in several processes"
        assert fast_speed.report.forked_chunks >= 3, "in chunks the processes share"


def test_a_person_named_like_another_lessons_team_is_not_warned_about_in_the_fast_check():
    """Linting where the file is read cannot know the other lessons' teams yet: a name it
    asked about that turns out to be a team is linted again, as the build does."""
    problems = Run(speed=Speed(workers=2, parallel_min=2)).check(_synthetic_sources()).problems
    named = [p.message for p in problems if p.path == "named/pm-a.md"]
    assert any("'Kari Nordmann'" in m for m in named)
    assert not any("Ola Nordmann" in m or "Release Captain" in m for m in named)
    assert any("ana@example.com" in m for m in named)


# --- mkdocs build: similar links alongside, the sidebar cache ----------------------------------
TOPICS = [
    ["certificate", "expired", "renewal", "tls", "handshake", "ingress"],
    ["database", "failover", "replica", "lag", "primary", "connections"],
    ["queue", "backlog", "consumer", "retry", "storm", "throttle"],
    ["deploy", "config", "canary", "rollback", "flag", "release"],
    ["dns", "resolver", "timeout", "cache", "ttl", "records"],
]
FILLER = ["the", "team", "saw", "errors", "for", "an", "hour", "and", "customers", "waited",
          "while", "engineers", "checked", "dashboards", "then", "fixed", "it"]



def _lesson(i: int, rng: random.Random) -> str:
    topic = TOPICS[i % len(TOPICS)]
    words = [rng.choice(topic if rng.random() < 0.3 else FILLER) for _ in range(120)]
    front = {"id": f"pm-2025-{i:03d}", "title": f"{topic[0].title()} trouble number {i}",
             "type": "postmortem", "date": f"2025-{i % 12 + 1:02d}-{i % 27 + 1:02d}",
             "summary": f"{topic[0]} and {topic[1]}.", "services": [topic[-1]]}
    return lesson_text(front, "## What happened\n\n" + " ".join(words) + ".\n")


def _build(root: Path, **env: str) -> tuple[dict[str, bytes], str]:
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml")],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env}, cwd=root)
    assert done.returncode == 0, done.stderr[-2000:]
    site = root / "site"
    pages = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*")
             if p.suffix in (".html", ".json") and "pagefind" not in p.parts}
    return pages, done.stderr


def test_the_fast_build_writes_the_site_the_reference_build_writes(tmp_path: Path) -> None:
    """Similar links computed alongside, the lint where read, Material's sidebar rendered once:
    every HTML and JSON file of a 220-lesson site is the one a build with every switch off
    writes."""
    rng = random.Random(3)
    files = {f"2025/pm-{i:03d}.md": _lesson(i, rng)
             for i in range(MIN_LESSONS + 20)}
    options = {"timings": True, "search": {"pagefind": False}}
    for name in ("alongside", "here"):
        write_site(tmp_path / name, files, options)
    alongside, log_alongside = _build(tmp_path / "alongside")
    here, log_here = _build(tmp_path / "here", LESSONBOOK_REFERENCE="1")  # every switch off
    assert "similarity, alongside" in log_alongside
    assert "similarity, alongside" not in log_here
    assert alongside.keys() == here.keys()
    differ = [name for name in alongside if alongside[name] != here[name]
              and name != "sitemap.xml"]
    assert differ == []
    assert b"lb-similar__item" in alongside["2025/pm-000/index.html"]


# --- mkdocs build: a one-off build keeps nothing for a rebuild ---------------------------------
def _built_in_process(root: Path, command: str):
    """The lessonbook plugin after an in-process build started as MkDocs' ``command`` starts it."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(root / "mkdocs.yml"))
    config.plugins.on_startup(command=command, dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return config.plugins["lessonbook"]


def test_a_one_off_build_keeps_no_read_cache_and_lints_each_lesson_where_it_was_read(
        tmp_path: Path) -> None:
    """`mkdocs build` keeps no parse, lesson or lint findings for a rebuild that never comes
    (they cost a hash of every file, memory to the end, and a second lint pass); so every
    lesson is linted in the pass that reads it. `mkdocs serve` keeps its cache."""
    rng = random.Random(5)
    files = {f"2025/pm-{i:03d}.md": _lesson(i, rng) for i in range(12)}
    write_site(tmp_path, files, {"search": {"pagefind": False}})
    plugin = _built_in_process(tmp_path, "build")
    assert plugin.run is not None and plugin.run.work.cache is None
    assert plugin.run.speed.report.files_read == len(files)
    assert plugin.run.speed.report.lessons_linted == 0, "no lesson linted in a second pass"
    served = _built_in_process(tmp_path, "serve")
    assert served.run is not None and served.run.work.cache is not None
    assert served.run.speed.report.lessons_linted == len(files)
