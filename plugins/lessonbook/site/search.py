"""Search: the facets a lesson is filed under, the text search engines should see, and the
Explore page's data. Plain Python: the adapter wires it into MkDocs, templates render it.

Pagefind (https://pagefind.app) builds a chunked static index of the lessons, so the browser
only downloads the index chunks a query touches. What Pagefind reads of a lesson is
``search_document``: built from the model and the body's HTML as soon as MkDocs has converted
the Markdown, so indexing can overlap the (longer) template rendering. The lesson page carries
the same filters and metadata (``lessonbook/lesson-search.html``, from ``pagefind_fields``) for
sites indexed by the Pagefind CLI after the build.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ..analysis.taxonomy import DIMENSIONS
from ..model.lesson import Lesson


@dataclass(frozen=True)
class Facet:
    """One filter dimension of the Explore page (a taxonomy dimension, or the year)."""

    key: str
    label: str
    values_of: Callable[[Lesson], list[str]]
    display: Callable[[str], str] = str


def _year(lesson: Lesson) -> list[str]:
    return [str(lesson.year) if lesson.date_known else "date unknown"]


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


def lesson_filters(lesson: Lesson) -> list[tuple[str, str]]:
    """(facet, value) pairs a lesson is filed under, in facet order, without duplicates."""
    pairs: list[tuple[str, str]] = []
    for facet in FACETS:
        for value in dict.fromkeys(facet.values_of(lesson)):
            if value:
                pairs.append((facet.key, value))
    return pairs


def pagefind_fields(lesson: Lesson, url: str) -> list[tuple[str, str, str]]:
    """(attribute, name, value) triples Pagefind records for a lesson, e.g.
    ("data-pagefind-filter", "service", "payments"): the result metadata Explore shows (title,
    date, kind label, severity, site-relative url), the date to sort by, and every filter."""
    date = lesson.date.isoformat()  # '0001-01-01' for `date: unknown`: sorts oldest
    fields = [("data-pagefind-meta", "title", lesson.title),
              ("data-pagefind-meta", "date", lesson.date_text),
              ("data-pagefind-sort", "date", date),
              ("data-pagefind-meta", "kind", lesson.kind_label)]
    if lesson.severity:
        fields.append(("data-pagefind-meta", "severity", lesson.severity))
    fields.append(("data-pagefind-meta", "url", url))
    fields.extend(("data-pagefind-filter", key, value) for key, value in lesson_filters(lesson))
    return fields


def _fields_html(lesson: Lesson, url: str) -> str:
    spans = "".join(f'<span {attribute}="{html.escape(name)}">{html.escape(value)}</span>'
                    for attribute, name, value in pagefind_fields(lesson, url))
    return f'<div hidden data-pagefind-ignore class="lb-pagefind">{spans}</div>'


def _strings(value: Any) -> Iterator[str]:
    """Every string inside a front-matter value (nested lists and mappings), in order."""
    if isinstance(value, str):
        if value.strip():
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


_PAGEFIND_ATTRIBUTE = re.compile("data-pagefind", re.IGNORECASE)


def neutralise_pagefind(body_html: str) -> str:
    """The body's HTML with every ``data-pagefind`` spelled ``data&#45;pagefind``.

    An author's raw HTML could otherwise set its own lesson's (or, with a second
    ``data-pagefind-body``, a made-up) search record: ``data-pagefind-meta="url:javascript:…"``
    would become the result link. The rewrite is blind on purpose (no HTML parsing to get
    wrong): in an attribute name the entity is not decoded, so the attribute is inert; in text
    and attribute values it is decoded, so readers see the same ``-``."""
    return _PAGEFIND_ATTRIBUTE.sub("data&#45;pagefind", body_html)


PART_FILTER = "lessonbook_part"
"""The hidden filter naming the part of the index a lesson is in (pagefind_parts.py): the
browser reads its counts to put a date-sorted list of several parts in date order."""

TITLE_ANCHOR = "lb-title"
"""The id of the search document's closing section (title, then tags, services and teams):
Pagefind gives it its own sub-result, which Explore never takes its excerpt from."""

_PERMALINK = re.compile(r'<a\b[^>]*\bclass="headerlink"[^>]*>.*?</a>', re.IGNORECASE | re.DOTALL)
_PERMALINK_OPEN = re.compile(r'<a class="headerlink"')


def unindexed_permalinks(body_html: str) -> str:
    """The body with each heading's permalink mark (the toc extension's ``<a
    class="headerlink">¶</a>``) kept out of the search index, for the Pagefind CLI that reads
    the built page: otherwise "Summary¶" is a word and "¶" shows in excerpts."""
    return _PERMALINK_OPEN.sub('<a data-pagefind-ignore class="headerlink"', body_html)


def search_document(lesson: Lesson, body_html: str, url: str, lang: str = "en",
                    part: int | None = None) -> str:
    """The HTML page Pagefind indexes for a lesson: its filters and metadata (hidden), then the
    words a reader would search for — summary, the body, impact, the kind-specific block,
    contributing factors, follow-up actions and rules, and last the title and the tags,
    services and teams. Pagefind's excerpt of a result with no matching words is the start of
    the document, and with matches the densest passage: the reader's own sentences lead, so an
    excerpt does not repeat the title or the metadata line the result already shows. The
    title keeps its weight as a heading, which would draw Pagefind's excerpt to it, so it and
    the terms form their own section (``TITLE_ANCHOR``) that explore.js passes over. Left
    out: heading permalink marks (¶), and the lists of other lessons, whose words would make a
    query match every lesson linking to a hit. Everything but ``body_html`` (the body as
    MkDocs converted it) is escaped here. ``part``: the lesson's part of the index (0 is the
    first), recorded as a hidden filter."""
    e = html.escape
    parts = [_fields_html(lesson, url)]
    if part is not None:
        parts.append(f'<div hidden data-pagefind-ignore><span data-pagefind-filter='
                     f'"{PART_FILTER}">{part + 1}</span></div>')
    if lesson.summary:
        parts.append(f"<p>{e(lesson.summary)}</p>")
    parts.append(_PERMALINK.sub("", neutralise_pagefind(body_html)))
    for text in (*_strings(lesson.impact), *_strings(lesson.details)):
        parts.append(f"<p>{e(text)}</p>")
    items = [*lesson.contributing_factors, *(f.action for f in lesson.follow_ups),
             *(f"{r.name}: if {r.if_}, then {r.then}" for r in lesson.rules)]
    if items:
        parts.append("<ul>" + "".join(f"<li>{e(item)}</li>" for item in items) + "</ul>")
    parts.append(f'<h1 id="{TITLE_ANCHOR}">{e(lesson.title)}</h1>')
    terms = [*lesson.tags, *lesson.services, *lesson.teams]
    if terms:
        parts.append(f"<p>{e(' · '.join(terms))}</p>")
    return (f'<!doctype html><html lang="{e(lang)}"><head><meta charset="utf-8"></head>'
            f'<body><article data-pagefind-body>{"".join(parts)}</article></body></html>')


def material_search_text(lesson: Lesson) -> str:
    """The front-matter words Material's header search should find a lesson by, written as
    the sentences a reader sees in a search snippet: the summary, then "Services: …. Teams: ….
    Tags: …." — not a run of bare keywords. Returned as HTML (escaped), hidden from readers
    and from Pagefind (whose document has these words already)."""
    sentences = [lesson.summary.strip()] if lesson.summary.strip() else []
    for label, values in (("Services", lesson.services), ("Teams", lesson.teams),
                          ("Tags", lesson.tags)):
        if values:
            sentences.append(f"{label}: {', '.join(values)}.")
    if not sentences:
        return ""
    text = html.escape(" ".join(sentences))
    return f'<p hidden data-pagefind-ignore class="lb-search-terms">{text}</p>\n'


@dataclass
class SearchView:
    """What lesson templates need to mark pages up for Pagefind
    (``lessonbook.search``)."""

    def fields(self, lesson: Lesson, url: str) -> list[tuple[str, str, str]]:
        return pagefind_fields(lesson, url)
