"""What the page templates show, prepared as plain data so templates stay simple.

Templates receive a :class:`SiteView` as ``lessonbook`` and must escape what they print
(every Lessonbook template renders inside ``{% autoescape true %}``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import groupby
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from ..analysis.taxonomy import DIMENSIONS, Taxonomy
from ..load.knowledge_base import KnowledgeBase
from ..model.durations import format_minutes
from ..model.kinds import Kind, all_kinds, get_kind
from ..model.lesson import Lesson
from ..model.vocabulary import FAILURE_TYPE_HELP
from .glossary import CARD_LABELS, GLOSSARY

if TYPE_CHECKING:
    from ..analysis.review import DueItem
    from ..analysis.similarity import SimilarityIndex
    from .glossary import Glossary
    from .registry_pages import RegistryView
    from .search import SearchView


@dataclass
class Link:
    text: str
    url: str | None = None
    title: str = ""


@dataclass
class CardRow:
    label: str
    links: list[Link]
    glossary_url: str | None = None
    """The field's entry in the glossary (None when the site has no glossary page)."""


@dataclass(frozen=True)
class Section:
    """A part of a lesson page outside its body, rendered by ``template`` under an ``<h2>``
    with this id and title. The lesson template loops over these, and the table of contents is
    built from the same list, so the two cannot disagree (a section with no id has no heading
    and is not in the table of contents)."""

    id: str | None
    title: str | None
    template: str


def _section(id: str, title: str) -> Section:
    return Section(id, title, f"lessonbook/sections/{id}.html")


@dataclass
class SiteView:
    kb: KnowledgeBase
    taxonomy: Taxonomy
    url_of: Callable[[Lesson], str]
    term_urls: dict[tuple[str, str], str]
    build_date: dt.date = field(default_factory=dt.date.today)
    home_newest: int = 8
    registry: RegistryView | None = None
    """Rules, checklists and follow-ups (None when the registry is not built)."""
    similar: SimilarityIndex | None = None
    """Similar-lesson links (None when similarity is off)."""
    search: SearchView | None = None
    """Pagefind markup for lesson pages (None when search is off)."""
    glossary: Glossary | None = None
    """Definitions of kinds, failure types, layers, severities, categories and card fields."""
    review_due: list[DueItem] = field(default_factory=list)
    """Rules and lessons past review on the build date (`lessonbook due` lists the same)."""
    page_urls: dict[str, str] = field(default_factory=dict)
    """src_uri of each generated page → its URL (absent when a user's page replaced it)."""

    dimensions = DIMENSIONS
    failure_type_help = FAILURE_TYPE_HELP

    def kind(self, key: str) -> Kind | None:
        """A kind's declaration (label, block template, ...), for templates."""
        return get_kind(key)

    # --- links -----------------------------------------------------------------------------
    def url(self, lesson: Lesson) -> str:
        return self.url_of(lesson)

    def lesson_by_id(self, lesson_id: str) -> Lesson | None:
        return self.kb.get(lesson_id)

    def term_url(self, dimension: str, value: str) -> str | None:
        return self.term_urls.get((dimension, value))

    def page_url(self, src_uri: str) -> str | None:
        """A generated page's URL (``start-here.md``), None when the site does not have it."""
        return self.page_urls.get(src_uri)

    def explore_url(self, filters: dict[str, str] | None = None) -> str | None:
        """The Explore page with facets pre-selected (``explore/?service=checkout``), None
        when search is off."""
        page = self.page_urls.get("explore.md")
        if page is None:
            return None
        return page + ("?" + urlencode(filters) if filters else "")

    def term_links(self, dimension: str, values: list[str]) -> list[Link]:
        dim = next(d for d in DIMENSIONS if d.key == dimension)
        return [Link(dim.display(v), self.term_url(dimension, v), self.definition(dimension, v))
                for v in values]

    # --- the glossary ----------------------------------------------------------------------
    def definition(self, dimension: str, value: str) -> str:
        """A taxonomy value's glossary description ('' when it has none)."""
        entry = self.glossary.entry(dimension, value) if self.glossary else None
        return entry.description if entry else ""

    def glossary_url(self, dimension: str, value: str) -> str | None:
        """A taxonomy value's entry on the glossary page."""
        page = self.page_urls.get(GLOSSARY)
        entry = self.glossary.entry(dimension, value) if self.glossary else None
        return f"{page}#{entry.anchor}" if page is not None and entry else None

    def field_glossary_url(self, name: str) -> str | None:
        """A card field's entry on the glossary page (``failure_type``)."""
        page = self.page_urls.get(GLOSSARY)
        entry = self.glossary.field_entry(name) if self.glossary else None
        return f"{page}#{entry.anchor}" if page is not None and entry else None

    # --- lesson pages ----------------------------------------------------------------------
    def lesson_sections(self, lesson: Lesson) -> tuple[list[Section], list[Section]]:
        """The sections a lesson page shows before its body (the kind's block) and after it
        (contributing factors, follow-ups, rules, registry changes, similar lessons); only
        those with something to show."""
        before = []
        kind = get_kind(lesson.kind)
        if lesson.details and kind is not None and kind.block_template:
            before.append(Section(kind.section_id, kind.section_title,
                                  "lessonbook/sections/kind-block.html"))
        after = []
        if lesson.contributing_factors:
            after.append(_section("contributing-factors", "Contributing factors"))
        if lesson.follow_ups:
            after.append(_section("follow-ups", "Follow-ups"))
        if lesson.rules:
            after.append(_section("rules-adopted", "Rules adopted"))
        registry = self.registry
        if registry is not None:
            if registry.registry.rule_events_of(lesson):
                after.append(_section("rules-applied-or-changed", "Rules applied or changed"))
            if registry.registry.checklists_of(lesson):
                after.append(_section("checklists-created-or-changed",
                                      "Checklists created or changed"))
        similar = self.similar
        if similar is not None and similar.similar(lesson.id):
            after.append(_section("similar-incidents", "Similar incidents"))
        return before, after

    def card(self, lesson: Lesson) -> list[CardRow]:
        """The card's rows; each label links to its field's glossary entry, each chip to its
        taxonomy page with its definition as a tooltip."""
        rows = [
            CardRow("Kind", self.term_links("kind", [lesson.kind])),
            CardRow("Date", [Link(lesson.date.isoformat())]),
        ]
        optional = [
            ("Severity", "severity", [lesson.severity] if lesson.severity else []),
            ("Failure type", "failure_type", [lesson.failure_type] if lesson.failure_type
             else []),
            ("Categories", "category", lesson.categories),
            ("Defense layers with holes", "defense_layer", lesson.defense_layers),
            ("Services", "service", lesson.services),
            ("Teams", "team", lesson.teams),
            ("Tags", "tag", lesson.tags),
        ]
        for label, key, values in optional:
            if values:
                rows.append(CardRow(label, self.term_links(key, values)))
        if lesson.time_to_detect is not None:
            rows.append(CardRow("Time to detect", [Link(format_minutes(lesson.time_to_detect))]))
        if lesson.time_to_recover is not None:
            rows.append(CardRow("Time to recover",
                                [Link(format_minutes(lesson.time_to_recover))]))
        rows.append(CardRow("Status", [Link(lesson.status.capitalize())]))
        rows.append(CardRow("Visibility", [Link(lesson.visibility.capitalize())]))
        if lesson.review_by is not None:
            rows.append(CardRow("Review by", [Link(lesson.review_by.isoformat())]))
        for row in rows:
            name = CARD_FIELD_OF_LABEL.get(row.label)
            row.glossary_url = self.field_glossary_url(name) if name else None
        return rows

    def follow_up_is_overdue(self, due: dt.date | None, status: str) -> bool:
        return status == "open" and due is not None and due < self.build_date

    def minutes(self, value: float | None) -> str:
        return format_minutes(value)

    # --- index pages -----------------------------------------------------------------------
    def newest(self, count: int | None = None) -> list[Lesson]:
        lessons = [x for x in self.kb.lessons if _counts_as_lesson(x)]
        return lessons[: count or self.home_newest]

    def by_year(self) -> list[tuple[int, list[Lesson]]]:
        lessons = [x for x in self.kb.lessons if _counts_as_lesson(x)]
        return [(year, list(group)) for year, group in groupby(lessons, key=lambda x: x.year)]

    def kind_counts(self) -> list[tuple[str, str, int, str | None]]:
        counts = {page.value: len(page.lessons) for page in self.taxonomy.terms["kind"]}
        return [(k.key, k.label, counts[k.key], self.term_url("kind", k.key))
                for k in all_kinds() if counts.get(k.key)]

    def count(self) -> int:
        return sum(1 for x in self.kb.lessons if _counts_as_lesson(x))


CARD_FIELD_OF_LABEL = {label: name for name, label in CARD_LABELS.items()}


def _counts_as_lesson(lesson: Lesson) -> bool:
    """Checklists are reference material, not lessons: not counted or listed with them."""
    kind = get_kind(lesson.kind)
    return kind.counts_as_lesson if kind else True
