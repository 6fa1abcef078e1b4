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

from ..load.knowledge_base import KnowledgeBase, ReadCache
from ..load.parsing import SourceDocument
from ..load.sources import Source
from ..model.lesson import Lesson
from ..model.options import Options
from ..model.problems import Problem, sort_problems
from ..model.vocabulary import Settings
from .audience import for_audience, visibility_problems
from .lint import EarlyLint, LintOptions, lint_early, lint_lessons
from .registry import Registry, build_registry
from .taxonomy import Taxonomy
from .template_text import load_placeholders, template_text_problems
from .timing import PhaseTimer

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
    similar: SimilarLinksSource | None
    """None when not asked for (``lessonbook check`` does not need it)."""
    problems: list[Problem]
    """Every problem: the files' own, cross-document (ids, links, registry), then the lint."""
    hidden: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Lessons left out for the audience: path → (title, id). Nothing the build writes may
    name them."""

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
                           possible=similar.possible, weights=similar.weights.as_dict())


def _lint_early(lesson: Lesson, linting: LintOptions, paths: Collection[str] | None
                ) -> EarlyLint | None:
    return lint_early(lesson, linting) if paths is None or lesson.path in paths else None


def analyse(sources: Iterable[Source | tuple[str, bytes]], options: Options | None = None, *,
            build_date: dt.date | None = None,
            parse_cache: dict[str, tuple[str, SourceDocument]] | None = None,
            lint_paths: Collection[str] | None = None,
            with_similar: bool = True, similar_alongside: bool = False,
            timer: PhaseTimer | None = None, cache: ReadCache | None = None,
            template_dir: Path | None = None) -> Analysis:
    """Read, validate and relate every lesson; the site's view keeps only those the
    ``audience`` option may read, while problems are found in all of them.

    ``build_date`` decides which follow-ups are overdue (default: the ``build_date`` option,
    else today). ``lint_paths`` limits the lint to some files (None: all). ``parse_cache``,
    kept across `mkdocs serve` rebuilds, skips parsing files whose bytes did not change;
    ``cache`` (the same, for the plugin) also skips validating and linting them.
    ``similar_alongside`` (`mkdocs build`): compute the similar links in a forked process
    while the caller goes on, when that is safe and pays (similarity_alongside.py).
    ``template_dir`` (the project's ``templates/``): its templates' placeholder text, and the
    built-in scaffold's, left in a lesson is a warning (template_text.py)."""
    options = options or Options()
    settings = lesson_settings(options)
    timer = timer or PhaseTimer()
    linting = lint_options(options)
    early: dict[str, EarlyLint] | None = None
    after = None
    if cache is None and parse_cache is None and options.lint:
        # Without caches (`lessonbook check`), each lesson is linted right where its file is
        # read: in the worker processes, for many files (see lint_early). The build keeps
        # its caches and lints below.
        early = {}
        after = partial(_lint_early, linting=linting, paths=lint_paths)
    everything = KnowledgeBase.from_sources(sources, settings, parse_cache=parse_cache,
                                            timer=timer, cache=cache, after=after,
                                            extras=early)  # type: ignore[arg-type]
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
        lint = lint_lessons(linted, linting, teams,
                            cache=cache.lint if cache is not None else None,
                            digests=everything.digests, context=settings, early=early)
    with timer.phase("template text", len(linted)):
        lint += template_text_problems(linted, load_placeholders(template_dir))
    similar: SimilarLinksSource | None = None
    if with_similar:
        from .similarity import SimilarityIndex

        with timer.phase("similarity", len(kb.lessons)):
            words = cache.words if cache is not None else None
            if similar_alongside and words is None:
                from .similarity_alongside import similar_links

                similar = similar_links(kb.lessons, similar_settings(options))
            else:
                similar = SimilarityIndex(kb.lessons, similar_settings(options), words=words)
    problems = [*everything.problems, *full_registry.problems,
                *visibility_problems(everything), *lint]
    return Analysis(options, settings, kb, registry, similar,
                    sort_problems(problems),
                    {x.path: (x.title, x.id) for x in everything.lessons if x.path in hidden})
