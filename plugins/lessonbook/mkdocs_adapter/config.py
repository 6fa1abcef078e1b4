"""Typed options of the ``lessonbook`` plugin in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from ..settings import DEFAULT_CATEGORIES, DEFAULT_DEFENSE_LAYERS, DEFAULT_SEVERITIES, Settings


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

    def to_settings(self) -> Settings:
        return Settings(
            severities=tuple(self.severities),
            categories=tuple(self.categories),
            defense_layers=tuple(self.defense_layers),
            lesson_dirs=tuple(self.lesson_dirs),
            exclude=tuple(self.exclude),
            extra_keys=tuple(self.extra_keys),
        )
