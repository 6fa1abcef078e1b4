"""What the page templates show, prepared as plain data so templates stay simple.

Templates receive a :class:`SiteView` as ``lessonbook`` and must escape what they print
(every Lessonbook template renders inside ``{% autoescape true %}``).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import groupby
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from ..analysis.taxonomy import DIMENSIONS, Taxonomy, TermPage
from ..load.knowledge_base import KnowledgeBase
from ..model.durations import format_minutes
from ..model.kinds import Kind, all_kinds, get_kind
from ..model.lesson import Lesson, rule_title
from ..model.vocabulary import FAILURE_TYPE_HELP, FOLLOW_UP_STATUSES
from .body_repeats import follow_ups_in_body, summary_in_body
from .glossary import CARD_LABELS, GLOSSARY
from .id_links import IdLinker

if TYPE_CHECKING:
    from ..analysis.registry import FollowUpEntry
    from ..analysis.review import DueItem
    from ..analysis.similarity import SimilarLinksSource
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


def _section(id: str, title: str, template: str | None = None) -> Section:
    return Section(id, title, f"lessonbook/sections/{template or id}.html")


_LOWER_FIRST_WORDS = frozenset({
    "a", "an", "the", "any", "all", "each", "every", "no", "more", "less", "most", "many", "some",
    "another", "one", "two", "three", "we", "our", "someone", "somebody", "anyone", "nobody",
    "you", "your", "they", "their", "it", "its", "this", "that", "these", "those", "there",
    "when", "after", "before", "during", "while", "within"})
"""First words a rule's condition or action may start with that read lower case mid-sentence
("If a quarter passes…"); anything else (a name such as PgBouncer) keeps its capital."""

_BODY_H2 = re.compile(r"^##[ \t]+(.+?)[ \t#]*$", re.M)
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)


def heading_id(title: str) -> str:
    """The id Python-Markdown's toc extension gives a heading (its default slugify)."""
    slug = re.sub(r"[^\w\s-]", "", title.strip().lower())
    return re.sub(r"[-\s]+", "-", slug).strip("-")


def body_headings(lesson: Lesson) -> list[str]:
    """The body's second-level headings, lower case, outside code fences."""
    body = _FENCE.sub("", lesson.body)
    return [m.group(1).strip().lower() for m in _BODY_H2.finditer(body)]


def _clause(text: str, any_word: bool) -> str:
    """Text made to continue a sentence: no final full stop, and a capitalised first word in
    lower case when it is a common word (any plain capitalised word with any_word)."""
    text = " ".join(text.split()).rstrip(" .;,")
    first = text.split(" ", 1)[0]
    rest = first[1:]
    plain = first[:1].isupper() and (not rest or (rest.isalpha() and rest.islower()))
    if plain and (any_word or first.lower() in _LOWER_FIRST_WORDS):
        text = text[:1].lower() + text[1:]
    return text


def rule_sentence(if_: str, then: str) -> tuple[str, str]:
    """A rule's condition and action as parts of one sentence, "If <if>, then <then>.": the
    condition loses its full stop and starts lower case when its first word is a common one
    ("A quarter passes"); the action, usually an imperative ("Schedule …"), when its first word
    is a plain capitalised word. Names such as PgBouncer or SRE keep their case."""
    return _clause(if_, False), _clause(then, True) + "."


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
    similar: SimilarLinksSource | None = None
    """Similar-lesson links (None when similarity is off)."""
    search: SearchView | None = None
    """Pagefind markup for lesson pages (None when search is off)."""
    glossary: Glossary | None = None
    """Definitions of kinds, failure types, layers, severities, categories and card fields."""
    review_due: list[DueItem] = field(default_factory=list)
    """Rules and lessons past review on the build date (`lessonbook due` lists the same)."""
    page_urls: dict[str, str] = field(default_factory=dict)
    """src_uri of each generated page → its URL (absent when a user's page replaced it)."""
    _headings: dict[str, list[str]] = field(default_factory=dict, init=False, repr=False)
    """Lesson id → body_headings: three template tests read them, the body is scanned once."""
    _sections: dict[str, tuple[list[Section], list[Section]]] = field(
        default_factory=dict, init=False, repr=False)
    """Lesson id → lesson_sections (asked for the template and for the table of contents)."""
    _linkable_ids: IdLinker | None = field(default=None, init=False, repr=False)
    """Ids link_lesson_ids links (four characters or more), collected once."""

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
        return [Link(self.value_label(dimension, v), self.term_url(dimension, v),
                     self.definition(dimension, v)) for v in values]

    def value_label(self, dimension: str, value: str) -> str:
        """How a taxonomy value is shown: kinds by their label, categories as words
        ("design-flaw" becomes "Design flaw"); free values (services, teams, tags) as written."""
        if dimension == "category":
            words = value.replace("-", " ").replace("_", " ")
            return words[:1].upper() + words[1:]
        dim = next((d for d in DIMENSIONS if d.key == dimension), None)
        return dim.display(value) if dim else value

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

    def word_url(self, key: str) -> str | None:
        """A product word's glossary entry (glossary.WORDS: 'rule', 'pause_point', ...)."""
        page = self.page_urls.get(GLOSSARY)
        entry = self.glossary.word_entry(key) if self.glossary else None
        return f"{page}#{entry.anchor}" if page is not None and entry else None

    def word_definition(self, key: str) -> str:
        entry = self.glossary.word_entry(key) if self.glossary else None
        return entry.description if entry else ""

    def field_glossary_url(self, name: str) -> str | None:
        """A card field's entry on the glossary page (``failure_type``)."""
        page = self.page_urls.get(GLOSSARY)
        entry = self.glossary.field_entry(name) if self.glossary else None
        return f"{page}#{entry.anchor}" if page is not None and entry else None

    # --- lesson pages ----------------------------------------------------------------------
    def lesson_sections(self, lesson: Lesson) -> tuple[list[Section], list[Section]]:
        """The sections a lesson page shows before its body (the kind's block) and after it
        (contributing factors, follow-ups, rules, registry changes, similar lessons); only
        those with something to show. A kind whose items come first (checklists) has its block
        after the body. Decided once per lesson (the page and its table of contents ask)."""
        known = self._sections.get(lesson.id)
        if known is None:
            known = self._sections[lesson.id] = self._lesson_sections(lesson)
        return known

    def _lesson_sections(self, lesson: Lesson) -> tuple[list[Section], list[Section]]:
        before: list[Section] = []
        after: list[Section] = []
        kind = get_kind(lesson.kind)
        if lesson.details and kind is not None and kind.block_template:
            (after if kind.items_first else before).append(
                Section(kind.section_id, kind.section_title,
                        "lessonbook/sections/kind-block.html"))
        if self.show_contributing_factors(lesson):
            after.append(_section("contributing-factors", "Contributing factors"))
        if lesson.follow_ups and follow_ups_in_body(lesson):
            after.append(Section(None, None, "lessonbook/sections/follow-ups-tracked.html"))
        elif lesson.follow_ups:
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
            after.append(self.similar_heading(lesson))
        return before, after

    def similar_heading(self, lesson: Lesson) -> Section:
        """"Similar incidents" under kinds that record an incident (or nearly one), "Related
        lessons" under the others (kinds.Kind.similar_title)."""
        kind = get_kind(lesson.kind)
        title = kind.similar_title if kind else "Related lessons"
        return _section(heading_id(title), title, "similar-incidents")

    def body_headings(self, lesson: Lesson) -> list[str]:
        """:func:`body_headings`, scanned once per lesson."""
        known = self._headings.get(lesson.id)
        if known is None:
            known = self._headings[lesson.id] = body_headings(lesson)
        return known

    def show_contributing_factors(self, lesson: Lesson) -> bool:
        """The front-matter list, unless the body has its own "Contributing factors" section
        (the table of contents would list it twice)."""
        return bool(lesson.contributing_factors) and \
            "contributing factors" not in self.body_headings(lesson)

    def show_summary(self, lesson: Lesson) -> bool:
        """The lead summary under the title, unless the body has it as a paragraph of its
        own (body_repeats: imported lessons keep their Summary section)."""
        return bool(lesson.summary) and not summary_in_body(lesson)

    def show_impact(self, lesson: Lesson) -> bool:
        """The impact box, unless the body tells the impact under its own heading."""
        return bool(lesson.impact) and not any(h.startswith("impact")
                                               for h in self.body_headings(lesson))

    def fold_kind_block(self, lesson: Lesson) -> bool:
        """Whether the kind's block is folded: the body already tells it under its own
        headings (AAR questions, PDSA steps, the risks, what held)."""
        kind = get_kind(lesson.kind)
        prefixes = kind.body_headings if kind else ()
        return any(h == p or h.startswith(p + " ") or h.startswith(p + ",")
                   for h in self.body_headings(lesson) for p in prefixes)

    def card_split(self, lesson: Lesson) -> tuple[list[CardRow], list[CardRow]]:
        """The details card in two parts: what an on-call reader needs first (severity,
        services, failure type, time to detect and recover) and the rest, folded."""
        first = {"Severity", "Services", "Failure type", "Time to detect", "Time to recover"}
        rows = [r for r in self.card(lesson) if r.label not in ("Kind", "Date")]
        return [r for r in rows if r.label in first], [r for r in rows if r.label not in first]

    def link_lesson_ids(self, body_html: str, lesson: Lesson, base_url: str) -> str:
        """The body with every other lesson's id (``nm-2024-001``) turned into a link to it
        (id_links.py says when an id counts). Text inside links, code, pre and headings is
        left alone."""
        if self._linkable_ids is None:
            self._linkable_ids = IdLinker(x.id for x in self.kb.lessons if len(x.id) >= 4)
        linker = self._linkable_ids
        if len(linker.ids) - (lesson.id in linker.ids) == 0:
            return body_html
        root = base_url.rstrip("/")

        def link(lesson_id: str) -> str:
            other = self.kb.get(lesson_id)
            assert other is not None  # every linkable id is a lesson's
            href = html.escape(f"{root}/{self.url(other)}" if root else self.url(other))
            title = html.escape(other.title)
            return f'<a class="lb-id-link" href="{href}" title="{title}">{lesson_id}</a>'

        out: list[str] = []
        skip = 0
        for part in re.split(r"(<[^>]*>)", body_html):
            if part.startswith("<"):
                tag = re.match(r"</?\s*([a-zA-Z0-9]+)", part)
                name = tag.group(1).lower() if tag else ""
                if name in ("a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "script",
                            "style"):
                    skip += -1 if part.startswith("</") else (0 if part.endswith("/>") else 1)
                    skip = max(skip, 0)
                out.append(part)
            elif skip or not part.strip():
                out.append(part)
            else:
                out.append(linker.link(part, lesson.id, link))
        return "".join(out)

    def days_late(self, due: dt.date | None) -> int:
        """Days between a due date and the build date (0 when not late)."""
        return max(0, (self.build_date - due).days) if due else 0

    def late_text(self, due: dt.date | None) -> str:
        """How late an open follow-up is, in the unit a reader grasps: "4 days", "3 weeks",
        "22 months"."""
        days = self.days_late(due)
        if days < 14:
            amount, unit = days, "day"
        elif days < 61:
            amount, unit = days // 7, "week"
        else:
            amount, unit = round(days / 30.44), "month"
        return f"{amount} {unit}{'' if amount == 1 else 's'} late"

    def follow_ups_in(self, state: str) -> list[FollowUpEntry]:
        """The registry's follow-ups in one state as one list: most overdue (or soonest due)
        first, those without a due date last. Empty without a registry."""
        if self.registry is None:
            return []
        entries = [e for _, group in self.registry.registry.follow_ups_in(state) for e in group]
        return sorted(entries, key=lambda e: (e.follow_up.due is None,
                                              e.follow_up.due or dt.date.max, e.owner.lower()))

    def rule_sentence(self, if_: str, then: str) -> tuple[str, str]:
        return rule_sentence(if_, then)

    def rule_title(self, rule_id: str) -> str:
        """The rule's ``title:``, else a name derived from its id (a rule this build does not
        show still gets a readable name)."""
        rule = self.registry.registry.rule_by_id.get(rule_id) if self.registry else None
        return rule.title if rule is not None else rule_title(rule_id)

    def card(self, lesson: Lesson) -> list[CardRow]:
        """The card's rows; each label links to its field's glossary entry, each chip to its
        taxonomy page with its definition as a tooltip."""
        rows = [
            CardRow("Kind", self.term_links("kind", [lesson.kind])),
            CardRow("Date", [Link(lesson.date_text)]),
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

    def follow_up_standing(self, lesson: Lesson) -> str:
        """How a lesson's follow-ups stand in words: "1 done, 6 open (2 overdue)"."""
        statuses = [f.status for f in lesson.follow_ups]
        parts = [f"{statuses.count(s)} {s}" for s in FOLLOW_UP_STATUSES if s in statuses]
        late = sum(self.follow_up_is_overdue(f.due, f.status) for f in lesson.follow_ups)
        return ", ".join(parts) + (f" ({late} overdue)" if late else "")

    def minutes(self, value: float | None) -> str:
        return format_minutes(value)

    # --- index pages -----------------------------------------------------------------------
    def most_used(self, terms: list[TermPage], count: int) -> list[TermPage]:
        """The values carried by the most lessons (ties alphabetical), for the overview."""
        return sorted(terms, key=lambda t: (-len(t.lessons), t.value.lower()))[:count]

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
        """Lessons, checklists not included (they are kept, not lived through)."""
        return sum(1 for x in self.kb.lessons if _counts_as_lesson(x))

    def checklist_count(self) -> int:
        return sum(1 for x in self.kb.lessons if not _counts_as_lesson(x))

    def count_phrase(self, checklists: bool = False) -> str:
        """The one way every page states how many lessons there are: "22 lessons", and with
        checklists (pages that list them too) "22 lessons and 3 checklists"."""
        n = self.count()
        text = f"{n:,} lesson{'' if n == 1 else 's'}"
        c = self.checklist_count()
        if checklists and c:
            text += f" and {c:,} checklist{'' if c == 1 else 's'}"
        return text


CARD_FIELD_OF_LABEL = {label: name for name, label in CARD_LABELS.items()}


def _counts_as_lesson(lesson: Lesson) -> bool:
    """Checklists are reference material, not lessons: not counted or listed with them."""
    kind = get_kind(lesson.kind)
    return kind.counts_as_lesson if kind else True
