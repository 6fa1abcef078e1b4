"""`lessonbook check` stays fast without changing what it finds."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys

import pytest

from conftest import CORPUS, REPO, broken_sources, lesson_text
from lessonbook.analysis import analyse as analyse_module
from lessonbook.analysis import lint as lint_module
from lessonbook.analysis.analyse import analyse
from lessonbook.load import workers
from lessonbook.load.sources import Source

sys.path.insert(0, str(REPO / "benchmarks"))
from bench_check import lesson as bench_lesson  # noqa: E402

HEAVY_MODULES = ("numpy", "scipy", "jinja2", "markdown", "pygal", "frontmatter", "mkdocs")
CONFIG_READER = ("mkdocs", "mkdocs.config", "mkdocs.config.base", "mkdocs.exceptions",
                 "mkdocs.utils", "mkdocs.utils.yaml")
"""The part of MkDocs `check` reads mkdocs.yml with (INHERIT, !ENV, !relative as the build
resolves them), and nothing more: no theme, no plugin, no Markdown."""


def test_check_does_not_load_the_libraries_only_the_build_needs():
    """numpy, scipy, Jinja, Markdown and pygal cost half a second of start-up that `check`
    never uses (it computes no similar links, renders no page)."""
    script = ("import json, sys\nfrom lessonbook import cli\nstatus = cli.main(['check', "
              "'--format', 'json'])\nprint(json.dumps(sorted(m for m in sys.modules if "
              f"m.split('.')[0] in {HEAVY_MODULES!r})), file=sys.stderr)\n")
    env = {**os.environ, "PYTHONPATH": str(REPO / "plugins")}
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=120)
    assert json.loads(result.stdout)["summary"]["lessons"] > 0
    loaded = json.loads(result.stderr.strip().splitlines()[-1])
    assert [m for m in loaded if m not in CONFIG_READER] == []


def test_the_cheap_nesting_bound_of_flow_brackets_is_the_counted_one():
    """Flow lists side by side are bounded at one level without counting bracket by bracket;
    anything else is counted as before."""
    import itertools

    from lessonbook.load import parsing

    def counted(text: str) -> int:
        flow = flow_max = 0
        for bracket in parsing._BRACKETS.findall(text):
            flow = flow + 1 if bracket in "[{" else max(flow - 1, 0)
            flow_max = max(flow_max, flow)
        return flow_max

    for size in range(1, 7):
        for brackets in itertools.product("[]{}", repeat=size):
            text = "tags: " + " x, ".join(brackets)
            assert parsing._nesting_bound(text) == parsing._BUSY + 1 + counted(text), text


# --- the fast path finds what the reference finds -------------------------------------------
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


def _analysed(sources: list[Source]) -> tuple[list, list, list]:
    analysis = analyse(sources, with_similar=False)
    return analysis.problems, [vars(x) for x in analysis.kb.lessons], analysis.kb.rejected


@pytest.mark.parametrize("sources", [_example_sources, _corpus_sources, _synthetic_sources],
                         ids=["examples", "corpus", "synthetic"])
def test_the_fast_check_finds_what_the_reference_check_finds(sources, monkeypatch):
    """The fast path (files read, validated and linted in forked workers, lint where the file
    was read, only the body lines worth reading) against the reference (one process, the lint
    after every lesson is read, every body line read): the same problems, lessons and files
    left out."""
    given = sources()
    monkeypatch.setattr(workers, "PARALLEL_MIN_ITEMS", 2)
    monkeypatch.setenv("LESSONBOOK_WORKERS", "2")
    fast = _analysed(given)
    monkeypatch.setenv("LESSONBOOK_WORKERS", "1")
    monkeypatch.setattr(analyse_module, "_lint_early", lambda *args, **kwargs: None)
    monkeypatch.setattr(lint_module, "_BodyLines", lambda keywords: None)
    reference = _analysed(given)
    assert fast == reference
    assert fast[1]


def test_a_person_named_like_another_lessons_team_is_not_warned_about_in_the_fast_check():
    """Linting where the file is read cannot know the other lessons' teams yet: a name it
    asked about that turns out to be a team is linted again, as the build does."""
    problems = analyse(_synthetic_sources(), with_similar=False).problems
    named = [p.message for p in problems if p.path == "named/pm-a.md"]
    assert any("'Kari Nordmann'" in m for m in named)
    assert not any("Ola Nordmann" in m or "Release Captain" in m for m in named)
    assert any("ana@example.com" in m for m in named)
