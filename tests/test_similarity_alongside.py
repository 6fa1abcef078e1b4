"""A build computes the similar links in a forked process while MkDocs converts Markdown: the
pages are the ones a build computing them in-process writes, and a failed child costs time,
never links."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import lesson_text, write_site
from lessonbook.analysis import similarity_alongside
from lessonbook.analysis.similarity import SimilarityIndex, SimilarSettings
from lessonbook.analysis.similarity_alongside import SimilarityAlongside, assemble_all
from test_similarity import corpus

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")

TOPICS = [
    ["certificate", "expired", "renewal", "tls", "handshake", "ingress"],
    ["database", "failover", "replica", "lag", "primary", "connections"],
    ["queue", "backlog", "consumer", "retry", "storm", "throttle"],
    ["deploy", "config", "canary", "rollback", "flag", "release"],
    ["dns", "resolver", "timeout", "cache", "ttl", "records"],
]
FILLER = ["the", "team", "saw", "errors", "for", "an", "hour", "and", "customers", "waited",
          "while", "engineers", "checked", "dashboards", "then", "fixed", "it"]


def _links(source) -> dict[str, list[tuple[str, float, tuple[str, ...]]]]:
    return {x.id: [(link.id, round(link.score, 9), tuple(link.reasons))
                   for link in source.similar(x.id)] for x in corpus()}


def test_links_from_the_child_are_the_links_computed_here() -> None:
    lessons, settings = corpus(), SimilarSettings()
    here = assemble_all(SimilarityIndex(lessons, settings), lessons)
    alongside = SimilarityAlongside(lessons, settings)
    assert _links(alongside) == _links(here)
    assert alongside.failure == ""
    assert alongside.seconds > 0


class _BrokenPickle:
    """pickle as the child sees it when it cannot send its answer."""

    @staticmethod
    def dumps(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("no answer")


def test_a_child_that_fails_costs_time_not_links(monkeypatch: pytest.MonkeyPatch) -> None:
    lessons, settings = corpus(), SimilarSettings()
    here = assemble_all(SimilarityIndex(lessons, settings), lessons)
    monkeypatch.setattr(similarity_alongside, "pickle", _BrokenPickle)
    alongside = SimilarityAlongside(lessons, settings)
    assert _links(alongside) == _links(here)
    assert "status" in alongside.failure


def test_aborting_stops_the_child() -> None:
    alongside = SimilarityAlongside(corpus(), SimilarSettings())
    pid = alongside._pid
    alongside.abort()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped: no such child


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


def test_a_build_with_links_computed_alongside_writes_the_same_site(tmp_path: Path) -> None:
    rng = random.Random(3)
    files = {f"2025/pm-{i:03d}.md": _lesson(i, rng)
             for i in range(similarity_alongside.MIN_LESSONS + 20)}
    options = {"timings": True, "search": {"pagefind": False}}
    for name in ("alongside", "here"):
        write_site(tmp_path / name, files, options)
    alongside, log_alongside = _build(tmp_path / "alongside")
    here, log_here = _build(tmp_path / "here", LESSONBOOK_WORKERS="1")  # one core: no fork
    assert "similarity, alongside" in log_alongside
    assert "similarity, alongside" not in log_here
    assert alongside.keys() == here.keys()
    differ = [name for name in alongside if alongside[name] != here[name]
              and name != "sitemap.xml"]
    assert differ == []
    assert b"lb-similar__item" in alongside["2025/pm-000/index.html"]
