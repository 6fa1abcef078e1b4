"""Typed options of the ``lessonbook`` plugin in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from ..analysis.lint import LintOptions
from ..analysis.similarity import DEFAULT_WEIGHTS, SimilarSettings
from ..cli.project import lint_from_options
from ..model.vocabulary import (
    DEFAULT_CATEGORIES,
    DEFAULT_DEFENSE_LAYERS,
    DEFAULT_SEVERITIES,
    Settings,
)


class SearchConfig(base.Config):
    """`search:` options: the Explore page, its Pagefind index and Material's header search."""

    enabled = c.Type(bool, default=True)
    """Generate the Explore page (explore/) and index the lesson pages with Pagefind."""
    pagefind = c.Type(bool, default=True)
    """Index the lessons with Pagefind during the build. Turn off if you run `pagefind --site
    site` yourself."""
    results_per_page = c.Type(int, default=20)
    """How many results the Explore page shows before 'Show more'."""
    material_terms = c.Type(bool, default=True)
    """Let Material's header search find lessons by summary, tags, services and teams."""


class SimilarWeightsConfig(base.Config):
    """How much each signal counts in a pair's score (a weighted mean; 0 turns one off)."""

    text = c.Type((int, float), default=DEFAULT_WEIGHTS["text"])
    tags = c.Type((int, float), default=DEFAULT_WEIGHTS["tags"])
    services = c.Type((int, float), default=DEFAULT_WEIGHTS["services"])
    categories = c.Type((int, float), default=DEFAULT_WEIGHTS["categories"])
    failure_type = c.Type((int, float), default=DEFAULT_WEIGHTS["failure_type"])
    defense_layers = c.Type((int, float), default=DEFAULT_WEIGHTS["defense_layers"])


class SimilarConfig(base.Config):
    """`similar:` options: the "Similar incidents" section (see docs/similarity.md)."""

    enabled = c.Type(bool, default=True)
    count = c.Type(int, default=SimilarSettings.count)
    """How many computed links per lesson (author links come on top)."""
    min_score = c.Type((int, float), default=SimilarSettings.min_score)
    """Below this score (0..1) a lesson is not linked: fewer links rather than noise."""
    weights = c.SubConfig(SimilarWeightsConfig)

    def to_settings(self) -> SimilarSettings:
        """Disabled means no computed links; the author's links are still shown."""
        return SimilarSettings(count=max(self.count, 0) if self.enabled else 0,
                               min_score=self.min_score,
                               weights={k: float(self.weights[k]) for k in DEFAULT_WEIGHTS})


class LessonbookConfig(base.Config):
    lesson_dirs = c.ListOfItems(c.Type(str), default=["."])
    """Folders inside docs_dir whose Markdown files are lessons ('.' is all of docs_dir)."""
    exclude = c.ListOfItems(c.Type(str), default=["index.md", "README.md"])
    """Glob patterns (docs-relative) of Markdown files that are ordinary pages, not lessons."""
    severities = c.ListOfItems(c.Type(str), default=list(DEFAULT_SEVERITIES))
    """Severity levels, most severe first."""
    categories = c.ListOfItems(c.Type(str), default=list(DEFAULT_CATEGORIES))
    defense_layers = c.ListOfItems(c.Type(str), default=list(DEFAULT_DEFENSE_LAYERS))
    extra_keys = c.ListOfItems(c.Type(str), default=[])
    """Front-matter keys your site uses for its own purposes; not warned about."""
    home_newest = c.Type(int, default=8)
    """How many lessons the generated home page lists."""
    strict_warnings = c.Type(bool, default=False)
    """When true, Lessonbook warnings (unknown keys, ...) also fail `mkdocs build --strict`."""
    export = c.Type(bool, default=True)
    """Write api/lessons.json."""
    lint = c.Type(bool, default=True)
    """Run the blameless lint (lint.py) and report its warnings with the others."""
    blame_words = c.Optional(c.ListOfItems(c.Type(str)))
    """Phrases the lint warns about in the narrative; default: lint.DEFAULT_BLAME_WORDS."""
    allowed_names = c.ListOfItems(c.Type(str), default=[])
    """Owner values that look like a person's name but are roles here ('Release Captain')."""
    checklist_max_items = c.Type(int, default=9)
    """Task items per checklist section before the lint warns."""
    build_date = c.Optional(c.Type(str))
    """ISO date follow-ups are judged overdue against (YYYY-MM-DD); default: the day of the
    build. Set it for reproducible builds."""
    timings = c.Type(bool, default=False)
    """Log how long each phase of the build took (parsing, lint, similarity, rendering...)
    at INFO; without it the table is logged at DEBUG (`mkdocs build --verbose`)."""
    search = c.SubConfig(SearchConfig)
    """Explore page and search options (see docs/search.md)."""
    similar = c.SubConfig(SimilarConfig)
    """Similar incidents on lesson pages and in api/lessons.json (see docs/similarity.md)."""

    def to_lint_options(self) -> LintOptions:
        return lint_from_options({"lint": self.lint, "blame_words": self.blame_words,
                                  "allowed_names": self.allowed_names,
                                  "checklist_max_items": self.checklist_max_items})

    def to_settings(self) -> Settings:
        return Settings(
            severities=tuple(self.severities),
            categories=tuple(self.categories),
            defense_layers=tuple(self.defense_layers),
            lesson_dirs=tuple(self.lesson_dirs),
            exclude=tuple(self.exclude),
            extra_keys=tuple(self.extra_keys),
        )
