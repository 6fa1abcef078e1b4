"""Review the lessons a change adds or edits against the knowledge base the site shows.

Everything is the site's own analysis: the edge's run (`pipeline.Run.check`) reads and checks
every lesson (problems as `lessonbook check` gives them); the similar incidents are
`SimilarityIndex` links, focused on the reviewed lessons so only the rows their links depend
on are scored; the repeats are `find_repeats` on those links; the rules and checklists are the
registry's. No site is built.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from ...model.problems import Problem
from ..analyse import Analysis, similar_settings
from ..recurring import Repeat, find_repeats
from ..registry.records import FollowUpEntry
from .findings import (
    ChangeReview,
    FollowUpState,
    LessonReview,
    RepeatFinding,
    SimilarIncident,
)
from .registry_fit import applicable_checklists, applicable_rules, registry_changes

if TYPE_CHECKING:
    from ..similarity.word_ids import WordIds


def review_analysis(analysis: Analysis, reviewed: Mapping[str, str | None],
                    display: Callable[[str], str] = lambda path: path, *,
                    words: WordIds | None = None) -> ChangeReview:
    """The review of ``reviewed`` in an analysis made without similar links. ``words``: each
    text's words from an earlier run (the review cache's memo), filled in for the next."""
    kb, registry, options = analysis.kb, analysis.registry, analysis.options
    focus = [kb.by_path[path].id for path in reviewed if path in kb.by_path]
    index = None
    if focus:
        from ..similarity import SimilarityIndex

        index = SimilarityIndex(kb.lessons, similar_settings(options), focus=focus,
                                words=words)
    window = options.insights.recurring_window_months
    recurring = find_repeats(kb, registry, index, window_months=window,
                             min_score=options.insights.recurring_min_score)
    repeats: dict[str, list[Repeat]] = {}
    for repeat in recurring.repeats:
        repeats.setdefault(repeat.later.id, []).append(repeat)
    problems: dict[str, list[Problem]] = {}
    for problem in analysis.problems:
        if problem.path in reviewed:
            problems.setdefault(problem.path, []).append(problem)
    out = []
    for path, status in reviewed.items():
        shown = [_shown(p, display(path)) for p in problems.get(path, [])]
        review = LessonReview(path, display(path), status, kb.by_path.get(path), shown)
        out.append(review)
        lesson = review.lesson
        if lesson is None:
            review.note = _left_out(path, analysis)
            continue
        assert index is not None
        review.similar = [SimilarIncident(other, link) for link in index.similar(lesson.id)
                          if (other := kb.get(link.id)) is not None]
        whys = {x.lesson.id: x.why for x in review.similar}
        review.repeats = [_finding(r, whys.get(r.earlier.id, "")) for r in sorted(
            repeats.get(lesson.id, []), key=lambda r: (-r.score, r.earlier.id))]
        similar_ids = {x.lesson.id for x in review.similar}
        review.rules = applicable_rules(lesson, registry, similar_ids)
        review.checklists = applicable_checklists(lesson, registry, similar_ids)
        review.changes = registry_changes(lesson, registry)
    return ChangeReview(out, analysis.build_date, options.audience, window)


def _left_out(path: str, analysis: Analysis) -> str:
    if path in analysis.hidden:
        return (f"Its visibility is above the {analysis.options.audience!r} audience, so the "
                "site leaves it out and this review compares nothing with it (review with "
                "--audience restricted to see it against every lesson).")
    return ("It is left out of the site because of the errors below; fix them to see it "
            "reviewed against the other lessons.")


def _finding(repeat: Repeat, why: str) -> RepeatFinding:
    return RepeatFinding(repeat.earlier, repeat.score, why, repeat.days,
                         repeat.verdict, [_state(e) for e in repeat.follow_ups],
                         [rule.id for rule in repeat.rules_between])


def _state(entry: FollowUpEntry) -> FollowUpState:
    follow_up = entry.follow_up
    state = "unknown" if entry.lesson.imported_from else entry.state
    return FollowUpState(follow_up.action, follow_up.owner, follow_up.due, state)


def _shown(problem: Problem, path: str) -> Problem:
    return Problem(path, problem.line, problem.severity, problem.message, problem.suggestion,
                   problem.code)
