"""Taxonomy dimensions: which values a lesson has, the page for each value, and counts."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from ..load.slugs import page_slug
from ..model.kinds import kind_keys, kind_label
from ..model.lesson import Lesson
from ..model.vocabulary import FAILURE_TYPE_HELP, FAILURE_TYPES, Settings


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str
    plural: str
    folder: str
    values_of: Callable[[Lesson], list[str]]
    order: Callable[[Settings], tuple[str, ...] | None]
    """The configured order of values; None means alphabetical (free vocabularies)."""
    describe: Callable[[str], str] = lambda value: ""
    display: Callable[[str], str] = lambda value: value


def _one(value: str | None) -> list[str]:
    return [value] if value else []


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("kind", "Kind", "Kinds", "kinds", lambda x: [x.kind], lambda s: kind_keys(),
              display=kind_label),
    Dimension("failure_type", "Failure type", "Failure types", "failure-types",
              lambda x: _one(x.failure_type), lambda s: FAILURE_TYPES,
              describe=lambda v: FAILURE_TYPE_HELP.get(v, ""), display=str.capitalize),
    Dimension("category", "Category", "Categories", "categories", lambda x: x.categories,
              lambda s: s.categories),
    Dimension("defense_layer", "Defense layer", "Defense layers", "defense-layers",
              lambda x: x.defense_layers, lambda s: s.defense_layers, display=str.capitalize),
    Dimension("severity", "Severity", "Severities", "severities", lambda x: _one(x.severity),
              lambda s: s.severities),
    Dimension("service", "Service", "Services", "services", lambda x: x.services,
              lambda s: None),
    Dimension("team", "Team", "Teams", "teams", lambda x: x.teams, lambda s: None),
    Dimension("tag", "Tag", "Tags", "tags", lambda x: x.tags, lambda s: None),
)


@dataclass
class TermPage:
    dimension: Dimension
    value: str
    slug: str
    lessons: list[Lesson]

    @property
    def src_uri(self) -> str:
        return f"{self.dimension.folder}/{self.slug}.md"

    @property
    def display(self) -> str:
        return self.dimension.display(self.value)

    @property
    def description(self) -> str:
        return self.dimension.describe(self.value)


class Taxonomy:
    """Every dimension's values with their lessons (newest first) and a stable page slug."""

    def __init__(self, lessons: list[Lesson], settings: Settings) -> None:
        self.terms: dict[str, list[TermPage]] = {}
        self._index: dict[tuple[str, str], TermPage] = {}
        for dim in DIMENSIONS:
            groups: dict[str, list[Lesson]] = {}
            for lesson in lessons:
                for value in dim.values_of(lesson):
                    groups.setdefault(value, []).append(lesson)
            order = dim.order(settings)
            if order is None:
                values = sorted(groups, key=lambda v: (v.casefold(), v))
            else:
                values = [v for v in order if v in groups]
            pages = []
            used: set[str] = set()
            for value in values:
                # Bounded, so a 300-character tag still fits a file name; a value with no
                # letters or digits (an emoji) gets a stable digest instead of a shared name.
                base = page_slug(value) or (
                    "value-" + hashlib.sha1(value.encode()).hexdigest()[:8])
                slug, n = base, 2
                while slug in used:
                    slug, n = f"{base}-{n}", n + 1
                used.add(slug)
                page = TermPage(dim, value, slug, groups[value])
                pages.append(page)
                self._index[(dim.key, value)] = page
            self.terms[dim.key] = pages

    def page(self, dimension: str, value: str) -> TermPage | None:
        return self._index.get((dimension, value))

    def all_pages(self) -> list[TermPage]:
        return [page for dim in DIMENSIONS for page in self.terms[dim.key]]
