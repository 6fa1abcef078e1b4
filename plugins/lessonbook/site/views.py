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

from ..analysis.taxonomy import DIMENSIONS, Taxonomy
from ..load.knowledge_base import KnowledgeBase
from ..model.durations import format_minutes
from ..model.lesson import Lesson
from ..model.vocabulary import FAILURE_TYPE_HELP, KIND_LABELS, KINDS
from .search import neutralise_pagefind

if TYPE_CHECKING:
    from ..analysis.registry import RegistryView
    from ..analysis.similarity import SimilarityIndex
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


@dataclass(frozen=True)
class Heading:
    id: str
    title: str


KIND_SECTIONS = {
    "aar": Heading("the-four-questions", "The four questions"),
    "near-miss": Heading("how-it-nearly-happened", "How it nearly happened"),
    "premortem": Heading("the-plan-and-its-risks", "The plan and its risks"),
    "experiment": Heading("pdsa-cycle", "Plan · Do · Study · Act"),
}
"""The heading of each kind's block in kind-details.html (checklists have none)."""


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

    dimensions = DIMENSIONS
    kind_labels = KIND_LABELS
    failure_type_help = FAILURE_TYPE_HELP

    def body(self, content: str) -> str:
        """A lesson body's HTML as the page prints it: its own ``data-pagefind-*`` attributes
        made inert, so the Pagefind CLI indexing the built page cannot be steered by them."""
        return neutralise_pagefind(content)

    # --- links -----------------------------------------------------------------------------
    def url(self, lesson: Lesson) -> str:
        return self.url_of(lesson)

    def lesson_by_id(self, lesson_id: str) -> Lesson | None:
        return self.kb.get(lesson_id)

    def term_url(self, dimension: str, value: str) -> str | None:
        return self.term_urls.get((dimension, value))

    def term_links(self, dimension: str, values: list[str]) -> list[Link]:
        dim = next(d for d in DIMENSIONS if d.key == dimension)
        return [Link(dim.display(v), self.term_url(dimension, v)) for v in values]

    # --- lesson pages ----------------------------------------------------------------------
    def lesson_sections(self, lesson: Lesson) -> tuple[list[Heading], list[Heading]]:
        """The headings lesson.html adds before and after the body, for the page's table of
        contents (Material builds it from the Markdown alone). Ids match the template's; a test
        checks every entry against the built pages."""
        before = []
        if lesson.details and lesson.kind in KIND_SECTIONS:
            before.append(KIND_SECTIONS[lesson.kind])
        after = []
        if lesson.contributing_factors:
            after.append(Heading("contributing-factors", "Contributing factors"))
        if lesson.follow_ups:
            after.append(Heading("follow-ups", "Follow-ups"))
        if lesson.rules:
            after.append(Heading("rules-adopted", "Rules adopted"))
        registry = self.registry
        if registry is not None:
            if registry.registry.rule_events_of(lesson):
                after.append(Heading("rules-applied-or-changed", "Rules applied or changed"))
            if registry.registry.checklists_of(lesson):
                after.append(Heading("checklists-created-or-changed",
                                     "Checklists created or changed"))
        similar = self.similar
        if similar is not None and similar.similar(lesson.id):
            after.append(Heading("similar-incidents", "Similar incidents"))
        return before, after

    def card(self, lesson: Lesson) -> list[CardRow]:
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
        return rows

    def follow_up_is_overdue(self, due: dt.date | None, status: str) -> bool:
        return status == "open" and due is not None and due < self.build_date

    def minutes(self, value: float | None) -> str:
        return format_minutes(value)

    # --- index pages -----------------------------------------------------------------------
    def newest(self, count: int | None = None) -> list[Lesson]:
        lessons = [x for x in self.kb.lessons if x.kind != "checklist"]
        return lessons[: count or self.home_newest]

    def by_year(self) -> list[tuple[int, list[Lesson]]]:
        lessons = [x for x in self.kb.lessons if x.kind != "checklist"]
        return [(year, list(group)) for year, group in groupby(lessons, key=lambda x: x.year)]

    def kind_counts(self) -> list[tuple[str, str, int, str | None]]:
        counts = {page.value: len(page.lessons) for page in self.taxonomy.terms["kind"]}
        return [(k, KIND_LABELS[k], counts.get(k, 0), self.term_url("kind", k))
                for k in KINDS if counts.get(k)]

    def count(self) -> int:
        return sum(1 for x in self.kb.lessons if x.kind != "checklist")
