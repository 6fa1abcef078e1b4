"""feed.xml: an Atom feed of new lessons and rule changes, newest first, so readers come back
when something is learned.

Written with xml.etree (every text and attribute escaped by the serializer), from the
audience's analysis. Entry ids are URNs made from the lesson or rule id, so they stay the same
when the site moves; links are absolute when ``site_url`` is set and relative to the site root
otherwise (most feed readers need absolute links, hence the build's note).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, urljoin

from ..analysis.analyse import Analysis
from ..load.slugs import page_slug
from ..model.kinds import get_kind
from ..model.lesson import Lesson

ATOM = "http://www.w3.org/2005/Atom"
FEED = "feed.xml"
RULE_CHANGES = ("adopted", "amended", "retired", "superseded")
"""Rule events a reader is told about (an application is news on the lesson's own entry)."""


@dataclass(frozen=True)
class FeedEntry:
    key: str
    """Stable part of the entry id: ``lesson:<id>`` or ``rule:<id>:<change>:<date>``."""
    title: str
    date: dt.date
    url: str | None
    """Site-relative."""
    summary: str
    category: str


def feed_entries(analysis: Analysis, url_of: Callable[[Lesson], str],
                 rule_url: Callable[[str], str | None], count: int) -> list[FeedEntry]:
    """New lessons (checklists are reference material) and rule changes, newest first."""
    entries: list[FeedEntry] = []
    for lesson in analysis.kb.lessons:
        kind = get_kind(lesson.kind)
        if (kind is not None and not kind.counts_as_lesson) or not lesson.date_known:
            continue
        summary = lesson.summary or f"A new {lesson.kind_label.lower()}."
        entries.append(FeedEntry(f"lesson:{lesson.id}", f"{lesson.kind_label}: {lesson.title}",
                                 lesson.date, url_of(lesson), summary, lesson.kind_label))
    for rule in analysis.registry.rules:
        for event in rule.history:
            if event.change not in RULE_CHANGES:
                continue
            if_, then = event.if_ or rule.if_, event.then or rule.then
            text = f"If {if_.rstrip('.')}, then {then}"
            if event.note:
                text += f" ({event.note})"
            entries.append(FeedEntry(
                f"rule:{rule.id}:{event.change}:{event.date.isoformat()}",
                f"Rule {event.change}: {rule.title}", event.date, rule_url(rule.id),
                f"{text} — recorded in {event.lesson.title}", "Rule change"))
    entries.sort(key=lambda e: (e.date, e.key.startswith("lesson:"), e.key), reverse=True)
    return entries[:count]


def undated(analysis: Analysis) -> int:
    """Lessons whose date is unknown: a feed entry needs a day, so they are left out (and the
    feed's subtitle says how many)."""
    return sum(not x.date_known for x in analysis.kb.lessons)


def atom_feed(entries: list[FeedEntry], *, site_name: str, site_url: str | None,
              updated: dt.date, undated: int = 0) -> str:
    """The Atom document. ``updated`` is the newest entry's day (or the build's, when empty),
    so an unchanged knowledge base gives a byte-identical feed."""
    ET.register_namespace("", ATOM)
    base = site_url.rstrip("/") + "/" if site_url else None
    site_key = page_slug(site_name) or "site"
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "title", site_name)
    _text(feed, "subtitle", "New lessons and rule changes" + (
        f" ({undated} lesson{' whose date is' if undated == 1 else 's whose dates are'} "
        "unknown not included)" if undated else ""))
    _text(feed, "id", urljoin(base, FEED) if base else f"urn:lessonbook:{quote(site_key)}")
    newest = max((e.date for e in entries), default=updated)
    _text(feed, "updated", _timestamp(newest))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", site_name)
    _text(feed, "generator", "Lessonbook")
    if base:
        ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", type="application/atom+xml",
                      href=urljoin(base, FEED))
        ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=base)
    for e in entries:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "title", e.title)
        _text(entry, "id", f"urn:lessonbook:{quote(site_key)}:{quote(e.key, safe=':')}")
        _text(entry, "updated", _timestamp(e.date))
        _text(entry, "published", _timestamp(e.date))
        if e.url is not None:
            ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html",
                          href=urljoin(base, e.url) if base else e.url)
        ET.SubElement(entry, f"{{{ATOM}}}category", term=_NOT_XML.sub("", e.category))
        _text(entry, "summary", e.summary)
    ET.indent(feed, space=" ")
    return ET.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"


def feed_href(page_url: str, site_url: str | None) -> str:
    """Where a page's <link rel="alternate"> points: absolute with site_url, else relative."""
    if site_url:
        return urljoin(site_url.rstrip("/") + "/", FEED)
    folder = posixpath.dirname(page_url) or "."
    return posixpath.relpath(FEED, folder)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters XML 1.0 cannot carry even escaped; the serializer would write them as they are."""


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    element.text = _NOT_XML.sub("", text)
    return element


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"
