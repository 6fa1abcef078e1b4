"""The lint over a site's lessons: findings kept across rebuilds, lessons linted where they
were read, the rest linted over worker processes."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import cast

from ...model.lesson import Lesson
from ...model.problems import Problem
from ...speed.work import Work
from ...speed.workers import map_in_order
from .options import EarlyLint, LintOptions
from .phrases import _phrase_matchers, _PhraseFinder
from .rules import _Linter


def lint_lessons(lessons: Iterable[Lesson], options: LintOptions | None = None,
                 known_teams: Iterable[str] = (), work: Work | None = None, *,
                 digests: dict[str, str] | None = None, context: object = None,
                 early: Mapping[str, object] | None = None) -> list[Problem]:
    """Warnings for each lesson; ``known_teams`` (every lesson's teams) are never names.

    With ``work``'s cache (path → content hash, context, findings; kept across `mkdocs serve`
    rebuilds) a lesson whose file hash (``digests``) and ``context`` (what else its lesson
    was built from) are unchanged, and the same names allowed, is not linted again.
    ``early`` (path → :func:`lint_early` with the same options) is taken as it is unless a
    name it asked about is allowed now, which the lesson is then linted again for."""
    options = options or LintOptions()
    if not options.enabled:
        return []
    work = work or Work()
    cache = work.cache.lint if work.cache is not None else None
    teams = {t.lower() for t in known_teams} | {t.lower() for t in options.known_teams}
    allowed = {a.lower() for a in options.allowed_names} | teams
    phrases = _PhraseFinder(_phrase_matchers(options.phrases()), work.speed.lint_prefilter)
    lessons = list(lessons)
    key = (context, options, frozenset(allowed))
    found: list[list[Problem] | None] = [None] * len(lessons)
    if cache is not None and digests is not None:
        for index, lesson in enumerate(lessons):
            entry = cache.get(lesson.path)
            if (entry is not None and lesson.path in digests
                    and entry[0] == digests[lesson.path] and entry[1] == key):
                found[index] = list(entry[2])
    if early:
        for index, lesson in enumerate(lessons):
            done = cast("EarlyLint | None", early.get(lesson.path))
            if found[index] is None and done is not None and allowed.isdisjoint(done[1]):
                found[index] = list(done[0])
    todo = [index for index, problems in enumerate(found) if problems is None]
    linted = map_in_order(lambda i: _Linter(lessons[i], options, phrases, allowed).run(), todo,
                          work.speed)
    work.speed.report.lessons_linted += len(todo)
    for index, problems in zip(todo, linted, strict=True):
        found[index] = problems
        path = lessons[index].path
        if cache is not None and digests is not None and path in digests:
            cache[path] = (digests[path], key, list(problems))
    return [problem for problems in found for problem in problems or ()]


def lint_early(lesson: Lesson, options: LintOptions, prefilter: bool = True) -> EarlyLint:
    """The lint of one lesson where it was read, before the other lessons are: with only the
    configured names allowed, noting every name the lint asked about and did not find. The
    names allowed later (those plus every lesson's teams) only add to these, so unless one of
    the noted names is among them, every answer, and so every finding, is the same."""
    phrases, allowed = _prepared(options, prefilter)
    asked = _Asking(allowed)
    return _Linter(lesson, options, phrases, asked).run(), frozenset(asked.missed)


@functools.lru_cache(maxsize=8)
def _prepared(options: LintOptions, prefilter: bool) -> tuple[_PhraseFinder, frozenset[str]]:
    """The phrase patterns and configured names of a site, built once per process."""
    return (_PhraseFinder(_phrase_matchers(options.phrases()), prefilter),
            frozenset({a.lower() for a in options.allowed_names}
                      | {t.lower() for t in options.known_teams}))


class _Asking(set[str]):
    """Names allowed, remembering each name asked about that is not among them."""

    def __init__(self, names: Iterable[str]) -> None:
        super().__init__(names)
        self.missed: set[str] = set()

    def __contains__(self, name: object) -> bool:
        if set.__contains__(self, name):
            return True
        self.missed.add(str(name))
        return False
