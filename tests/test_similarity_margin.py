"""The margin bar (`similar.margin`, issue #23's round-5 tuning): a computed link is confident only
when the pair stands apart from both lessons' other neighbours (its own score at least `margin`
times the best score either lesson has with any third lesson). It decides only which links are
confident: a link it demotes stays in the folded "possibly related" tier."""

from __future__ import annotations

import datetime as dt
import random
import sys
from dataclasses import replace
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO
from lessonbook.analysis.analyse import analyse
from lessonbook.analysis.similarity import SimilarityIndex, SimilarSettings
from lessonbook.load.sources import Source
from lessonbook.model.lesson import Lesson

sys.path.insert(0, str(REPO / "benchmarks"))
import synthetic  # noqa: E402

TWO_BEST = {"count": 2, "min_score": 0.0, "min_relative": 0.0, "mutual": False,
            "max_drop": 0.0, "margin": 0.0, "possible": False, "neighbour_weight": 0.0}
"""Each lesson's two best own scores, with no bar (what the margin compares a link with)."""


@cache
def lessons(seed: int) -> tuple:
    rng = random.Random(seed)
    corpus = synthetic.Corpus(rng)
    sources = [Source(rel, text.encode()) for rel, text in
               (synthetic.full_lesson(i, rng, corpus) for i in range(120))]
    return tuple(analyse(sources).kb.lessons)


def _shown(index: SimilarityIndex, lesson_id: str) -> list[tuple[str, float, str]]:
    return [(x.id, x.score, x.tier) for x in index.similar(lesson_id)]


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 1), margin=st.sampled_from([0.8, 1.1, 1.25, 1.6]))
def test_the_margin_only_moves_links_from_confident_to_possibly_related(seed, margin):
    kb = lessons(seed)
    plain = SimilarityIndex(kb, SimilarSettings(margin=0.0))
    barred = SimilarityIndex(kb, SimilarSettings(margin=margin))
    for lesson in kb:
        before, after = _shown(plain, lesson.id), _shown(barred, lesson.id)
        assert sorted((i, s) for i, s, _ in after) == sorted((i, s) for i, s, _ in before)
        confident_after = {i for i, _, tier in after if tier == "confident"}
        assert confident_after <= {i for i, _, tier in before if tier == "confident"}


def test_a_confident_link_stands_apart_from_both_lessons_other_neighbours():
    kb = lessons(0)
    every = SimilarityIndex(kb, SimilarSettings(**TWO_BEST))
    scores = {(x.id, link.id): link.score for x in kb for link in every.similar(x.id)}

    def best_other(me: str, partner: str) -> float:
        return max((s for (a, b), s in scores.items() if a == me and b != partner),
                   default=0.0)

    on = SimilarityIndex(kb, SimilarSettings(margin=1.25))
    links = [(x.id, link) for x in kb for link in on.similar(x.id)]
    confident = [(a, link) for a, link in links if link.tier == "confident"]
    assert confident and any(link.tier == "possible" for _, link in links)
    for a, link in confident:
        assert link.score >= 1.25 * max(best_other(a, link.id), best_other(link.id, a))


def _lesson(lesson_id: str, body: str) -> Lesson:
    return Lesson(id=lesson_id, title=lesson_id.replace("-", " "), kind="postmortem",
                  date=dt.date(2024, 1, 1), path=f"{lesson_id}.md", body=body)


def _one_platform() -> list[Lesson]:
    """Reports of one platform: two twins tell one failure; three look-alikes share one
    component about equally, each failing its own way; the rest are unrelated."""
    twins = "The quota enforcer crashed decoding the xfs quota report of the home directories."
    family = "Prometheus restarted and the grafana dashboards lost the alertmanager rules."
    return [
        _lesson("twin-one", twins + " Users could not save notebooks."),
        _lesson("twin-two", twins + " The enforcer was restarted by hand."),
        _lesson("family-one", family + " A node ran out of memory."),
        _lesson("family-two", family + " A disk filled with write-ahead logs."),
        _lesson("family-three", family + " A certificate expired on the scrape target."),
        _lesson("dns", "Cloudflare deleted the wildcard record; hubs were unreachable."),
        _lesson("gpu", "The zone had no spare accelerators; the autoscaler gave up."),
        _lesson("billing", "The billing account lapsed and the project was suspended."),
    ]


def _confident(index: SimilarityIndex, lesson_id: str) -> list[str]:
    return [x.id for x in index.similar(lesson_id) if x.tier == "confident"]


def test_twins_stay_confident_and_look_alikes_that_score_alike_are_folded():
    kb = _one_platform()
    strict = SimilarSettings(template_words=0, margin=1.25)
    index = SimilarityIndex(kb, strict)
    assert _confident(index, "twin-one") == ["twin-two"]
    for member in ("family-one", "family-two", "family-three"):
        assert _confident(index, member) == []
        shown = {x.id for x in index.similar(member)}
        assert {"family-one", "family-two", "family-three"} - {member} <= shown
    off = SimilarityIndex(kb, replace(strict, margin=0.0))
    assert _confident(off, "family-one") != []


def test_margin_set_in_mkdocs_yml_reaches_the_ranking_and_is_checked():
    from lessonbook.analysis.analyse import similar_settings
    from lessonbook.model.options import parse_options

    options, problems = parse_options({"similar": {"margin": 1.5}})
    assert not [p for p in problems if p.is_error]
    assert similar_settings(options).margin == 1.5
    assert similar_settings(parse_options({})[0]).margin == 0.0  # off: round 5 (similarity.md)
    _, problems = parse_options({"similar": {"margin": -1}})
    assert [p.name for p in problems if p.is_error] == ["similar.margin"]


def test_a_possibly_related_link_scores_at_least_the_possible_floor():
    # above min_score (0.13) too: a link the bars demote is folded only if it reaches it
    floor = 0.2
    kb = lessons(0)
    links = [x for lesson in kb for x in
             SimilarityIndex(kb, SimilarSettings(possible_min_score=floor, margin=1.25)
                             ).similar(lesson.id)]
    assert any(x.tier == "possible" for x in links)
    assert all(x.score >= floor for x in links if x.tier == "possible")
    assert SimilarSettings().possible_min_score == 0.05
