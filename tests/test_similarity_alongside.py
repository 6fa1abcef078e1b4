"""A forked child computes the similar links while MkDocs converts Markdown: its links are the
ones computed here, and a failed child costs time, never links. (The whole site built with the
child against one built without it: tests/test_fast_paths.py.)"""

from __future__ import annotations

import os

import pytest

from lessonbook.analysis import similarity_alongside
from lessonbook.analysis.similarity import SimilarityIndex, SimilarSettings
from lessonbook.analysis.similarity_alongside import SimilarityAlongside, assemble_all
from test_similarity import corpus

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")

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
