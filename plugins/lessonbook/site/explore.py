"""The Explore page: search box, facets with counts and results (filled in by explore.js from the
Pagefind index). Its facets are the ones lessons are filed under in search.py."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..analysis.taxonomy import Taxonomy
from ..load.knowledge_base import KnowledgeBase
from ..model.lesson import Lesson
from .pages import GeneratedPage
from .search import FACETS

EXPLORE = "explore.md"


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


def facet_views(lessons: list[Lesson], taxonomy: Taxonomy) -> list[FacetView]:
    """Every facet with its values and total counts, in the taxonomy's configured order (years
    newest first). The Explore page renders these so it works before Pagefind answers."""
    views = []
    for facet in FACETS:
        if facet.key == "year":
            counts: dict[str, int] = {}
            for lesson in lessons:
                for year in facet.values_of(lesson):  # 'date unknown' for `date: unknown`
                    counts[year] = counts.get(year, 0) + 1
            years = (sorted((y for y in counts if y.isdigit()), reverse=True)
                     + sorted(y for y in counts if not y.isdigit()))
            values = [FacetValue(y, y, counts[y]) for y in years]
        else:
            values = [FacetValue(t.value, t.display, len(t.lessons))
                      for t in taxonomy.terms[facet.key]]
        if values:
            views.append(FacetView(facet.key, facet.label, values))
    return views


def explore_page(kb: KnowledgeBase, taxonomy: Taxonomy, per_page: int = 20) -> GeneratedPage:
    """The Explore page: search box, facets with counts, results (filled in by explore.js)."""
    return GeneratedPage(EXPLORE, "Explore", "lessonbook/explore.html", {
        "page_kind": "explore",
        "facets": facet_views(kb.lessons, taxonomy),
        "lesson_count": len(kb.lessons),
        "per_page": max(1, per_page),
    })
