"""Search: the facets a lesson is filed under, the text search engines should see, and the
Explore page's data. Plain Python: the adapter wires it into MkDocs, templates render it.

Pagefind (https://pagefind.app) builds a chunked static index of the lesson pages after the
build, so the browser only downloads the index chunks a query touches; filters come from the
``data-pagefind-filter`` elements rendered by ``lessonbook/lesson-search.html``.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field

from .knowledge_base import KnowledgeBase
from .model import Lesson
from .settings import Settings
from .site import GeneratedPage
from .taxonomy import DIMENSIONS, Taxonomy

EXPLORE = "explore.md"


@dataclass(frozen=True)
class Facet:
    """One filter dimension of the Explore page (a taxonomy dimension, or the year)."""

    key: str
    label: str
    values_of: Callable[[Lesson], list[str]]
    display: Callable[[str], str] = str


def _year(lesson: Lesson) -> list[str]:
    return [str(lesson.year)]


FACETS: tuple[Facet, ...] = (
    *(Facet(d.key, d.label, d.values_of, d.display) for d in DIMENSIONS
      if d.key not in ("service", "team", "severity", "tag")),
    *(Facet(d.key, d.label, d.values_of, d.display) for d in DIMENSIONS
      if d.key in ("service", "team", "severity")),
    Facet("year", "Year", _year),
    *(Facet(d.key, d.label, d.values_of, d.display) for d in DIMENSIONS if d.key == "tag"),
)
"""Order on the page: kind, failure type, category, defense layer, service, team, severity,
year, tag (the issue's order; tags last because they are the longest list)."""


@dataclass
class FacetValue:
    value: str
    display: str
    count: int


@dataclass
class FacetView:
    key: str
    label: str
    values: list[FacetValue] = field(default_factory=list)


def lesson_filters(lesson: Lesson) -> list[tuple[str, str]]:
    """(facet, value) pairs a lesson is filed under, in facet order, without duplicates."""
    pairs: list[tuple[str, str]] = []
    for facet in FACETS:
        for value in dict.fromkeys(facet.values_of(lesson)):
            if value:
                pairs.append((facet.key, value))
    return pairs


def facet_views(lessons: list[Lesson], taxonomy: Taxonomy, settings: Settings
                ) -> list[FacetView]:
    """Every facet with its values and total counts, in the taxonomy's configured order (years
    newest first). The Explore page renders these so it works before Pagefind answers."""
    views = []
    for facet in FACETS:
        if facet.key == "year":
            counts: dict[str, int] = {}
            for lesson in lessons:
                counts[str(lesson.year)] = counts.get(str(lesson.year), 0) + 1
            values = [FacetValue(y, y, counts[y]) for y in sorted(counts, reverse=True)]
        else:
            values = [FacetValue(t.value, t.display, len(t.lessons))
                      for t in taxonomy.terms[facet.key]]
        if values:
            views.append(FacetView(facet.key, facet.label, values))
    return views


def material_search_text(lesson: Lesson) -> str:
    """The front-matter words Material's header search should find a lesson by: its summary,
    tags, services and teams. Returned as HTML (escaped), hidden from readers and from Pagefind
    (which reads the same fields from the page itself)."""
    words = [lesson.summary, *lesson.tags, *lesson.services, *lesson.teams]
    text = " ".join(html.escape(w) for w in words if w)
    if not text:
        return ""
    return f'<p hidden data-pagefind-ignore class="lb-search-terms">{text}</p>\n'


@dataclass
class SearchView:
    """What lesson templates need to mark pages up for Pagefind
    (``lessonbook.extensions.search``)."""

    def filters(self, lesson: Lesson) -> list[tuple[str, str]]:
        return lesson_filters(lesson)


def search_view() -> SearchView:
    return SearchView()


def explore_page(kb: KnowledgeBase, taxonomy: Taxonomy, settings: Settings,
                 per_page: int = 20) -> GeneratedPage:
    """The Explore page: search box, facets with counts, results (filled in by explore.js)."""
    return GeneratedPage(EXPLORE, "Explore", "lessonbook/explore.html", {
        "page_kind": "explore",
        "facets": facet_views(kb.lessons, taxonomy, settings),
        "lesson_count": len(kb.lessons),
        "per_page": max(1, per_page),
    })
