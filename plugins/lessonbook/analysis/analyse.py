"""The one analysis entry: lesson sources + options + build date → the analysed knowledge base.

The MkDocs plugin and ``lessonbook check`` both call :func:`analyse`, so they validate against
the same vocabulary, lint with the same options and combine problems the same way (every file's
own problems, then cross-document ones, then the lint, sorted by file and line).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING

from ..load.knowledge_base import KnowledgeBase
from ..load.sources import Source
from ..model.lesson import Lesson
from ..model.options import Options
from ..model.problems import Problem, sort_problems
from ..model.vocabulary import Settings
from ..speed.work import Work
from .audience import for_audience, visibility_problems
from .lint import EarlyLint, LintOptions, lint_early, lint_lessons
from .registry import Registry, build_registry
from .taxonomy import Taxonomy
from .template_text import load_placeholders, template_text_problems

if TYPE_CHECKING:  # imported when used: `lessonbook check` never loads numpy and scipy
    from .insights import Insights
    from .recurring import Recurring
    from .similarity import SimilarLinksSource, SimilarSettings


@dataclass
class Analysis:
    options: Options
    settings: Settings
    kb: KnowledgeBase
    registry: Registry
    problems: list[Problem]
    """Every problem: the files' own, cross-document (ids, links, registry), then the lint."""
    hidden: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Lessons left out for the audience: path → (title, id). Nothing the build writes may
    name them."""

    @cached_property
    def similar(self) -> SimilarLinksSource:
        """Similar lessons among those this build shows, computed here when first asked for
        (`lessonbook check` never asks, so it never loads numpy and scipy). The pipeline may
        set it first, to links computed another way (in a forked child, or from the words
        `mkdocs serve` keeps): every way gives the same links."""
        from .similarity import SimilarityIndex

        return SimilarityIndex(self.kb.lessons, similar_settings(self.options))

    @property
    def build_date(self) -> dt.date:
        return self.registry.build_date

    @property
    def errors(self) -> int:
        return sum(p.is_error for p in self.problems)

    @cached_property
    def taxonomy(self) -> Taxonomy:
        """Dimensions, values and their pages, for the site (computed when first asked for:
        `lessonbook check` never does, which saves ~0.1 s at 10,000 lessons)."""
        return Taxonomy(self.kb.lessons, self.settings)

    @cached_property
    def recurring(self) -> Recurring:
        """Repeats among the lessons this build shows (computed when first asked for)."""
        from .recurring import find_repeats

        opts = self.options.insights
        return find_repeats(self.kb, self.registry, self.similar,
                            window_months=opts.recurring_window_months,
                            min_score=opts.recurring_min_score)

    @cached_property
    def insights(self) -> Insights:
        """The Insights series (computed when first asked for: `lessonbook check` never does)."""
        from .insights import compute_insights

        return compute_insights(self.kb, self.registry, self.settings, self.recurring)


def lesson_settings(options: Options) -> Settings:
    """The vocabularies and file selection lessons are validated against."""
    return Settings(severities=options.severities, categories=options.categories,
                    defense_layers=options.defense_layers, lesson_dirs=options.lesson_dirs,
                    exclude=options.exclude, extra_keys=options.extra_keys)


def lint_options(options: Options) -> LintOptions:
    return LintOptions(enabled=options.lint, blame_words=options.blame_words,
                       allowed_names=options.allowed_names,
                       checklist_max_items=options.checklist_max_items)


def similar_settings(options: Options) -> SimilarSettings:
    """Disabled means no computed links; the author's links are still shown."""
    from .similarity import SimilarSettings

    similar = options.similar
    return SimilarSettings(count=similar.count if similar.enabled else 0,
                           min_score=similar.min_score, min_relative=similar.min_relative,
                           mutual=similar.mutual, max_drop=similar.max_drop,
                           neighbour_weight=similar.neighbour_weight,
                           possible=similar.possible, weights=similar.weights.as_dict(),
                           collection_quantile=similar.collection_quantile,
                           margin=similar.margin)


def _lint_early(lesson: Lesson, linting: LintOptions, paths: Collection[str] | None,
                prefilter: bool) -> EarlyLint | None:
    if paths is not None and lesson.path not in paths:
        return None
    return lint_early(lesson, linting, prefilter)


def analyse(sources: Iterable[Source | tuple[str, bytes]], options: Options | None = None,
            build_date: dt.date | None = None, *, lint_paths: Collection[str] | None = None,
            template_dir: Path | None = None, work: Work | None = None) -> Analysis:
    """Read, validate, register and lint every lesson; the site's view keeps only those the
    ``audience`` option may read, while problems are found in all of them.

    ``build_date`` decides which follow-ups are overdue (default: the ``build_date`` option,
    else today). ``lint_paths`` limits the lint to some files (None: all); ``template_dir``
    holds the scaffold templates whose text a lesson should not keep. ``work`` says how
    the work is done (switches, timer, the caches `mkdocs serve` keeps), never what it finds.
    Similar lessons are computed when first asked for (:attr:`Analysis.similar`)."""
    options = options or Options()
    work = work or Work()
    settings = lesson_settings(options)
    linting = lint_options(options)
    timer = work.timer
    early = (options.lint and work.cache is None and work.speed.lint_where_read)
    # Linted right where each file is read (in the worker processes, for many files) unless
    # the run keeps a cache (`mkdocs serve`), whose findings are kept per file instead.
    everything = KnowledgeBase.from_sources(
        sources, settings, work,
        per_lesson=partial(_lint_early, linting=linting, paths=lint_paths,
                           prefilter=work.speed.lint_prefilter) if early else None)
    day = build_date or options.build_date or dt.date.today()
    with timer.phase("registry", len(everything.lessons)):
        full_registry = build_registry(everything, day)
        kb, hidden = for_audience(everything, options.audience)
        registry = build_registry(kb, day) if hidden else full_registry
    teams = {team for lesson in everything.lessons for team in lesson.teams}
    # Files left out because of errors are linted too (their stand-ins): one run reports
    # every problem of a file, not the lint only once its fields are fixed.
    linted = [*everything.lessons, *everything.invalid]
    if lint_paths is not None:
        linted = [x for x in linted if x.path in lint_paths]
    with timer.phase("lint", len(linted) if options.lint else 0):
        lint = lint_lessons(linted, linting, teams, work, digests=everything.digests,
                            context=settings, early=everything.per_lesson if early else None)
    with timer.phase("template text", len(linted)):
        lint += template_text_problems(linted, load_placeholders(template_dir))
    problems = [*everything.problems, *full_registry.problems,
                *visibility_problems(everything), *lint]
    return Analysis(options, settings, kb, registry, sort_problems(problems),
                    {x.path: (x.title, x.id) for x in everything.lessons if x.path in hidden})
