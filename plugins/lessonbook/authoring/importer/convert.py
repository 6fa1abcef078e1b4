"""One postmortem's text → the front-matter inferred from it, with what was inferred and
what could not be."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...load.field_checks import UNKNOWN_DATE
from ...load.slugs import default_id
from ...model.vocabulary import Settings
from ..import_sources import has_extension
from .dates import lesson_date, name_date
from .document import (
    Section,
    find_section,
    first_item,
    first_paragraph,
    label_run_text,
    labelled_text,
    plain,
    sections,
)
from .follow_ups import follow_ups_from, keep_plausible_done_on
from .html_reading import readable
from .stats import read_stats, services_named
from .titles import choose_title

SUMMARY_HEADING = r"\bsummary\b|\btl;?\s?dr\b|\bsynopsis\b|\babstract\b|^in (?:brief|short)$"
"""Headings of the section that sums the incident up ('Summary', 'TL;DR', 'Synopsis')."""
_IDENT = re.compile(r"^([A-Za-z]{1,8}-?\d{2,4}[-_.]\d{1,6})(?![A-Za-z0-9])")


@dataclass
class Converted:
    meta: dict[str, Any]
    inferred: list[str]
    missing: list[str]



_PAGE_BREAK = re.compile(r"[\f\v\u2028\u2029\x85]")
"""Page breaks and Unicode line separators that documents exported from a word processor or
a PDF keep ('\fAction Items'): read as line breaks, so the line after one is read as any."""
_BUNDLE_PAGES = frozenset({"index", "_index", "readme"})


def bundle_name(path: Path) -> str:
    """The name a lesson is known by: the file's, except for a page bundle's page
    (Hugo's ``2021-03-04-queue-stall/index.md``, ``<incident>/README.md``), which its folder
    names — every such page is called index, and the folder carries the day and the slug."""
    if path.stem.lower() in _BUNDLE_PAGES and path.parent.name not in ("", ".", ".."):
        return path.parent.name + path.suffix
    return path.name


_FOLDER_DAY = re.compile(r"(?:^|/)((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})(?:/|$)")


def folder_date(folders: Path) -> dt.date | None:
    """The day in a blog's folders ('_posts/2021/03/04/queue-stall.md'), if its path has one."""
    match = _FOLDER_DAY.search(folders.as_posix())
    if not match:
        return None
    try:
        return dt.date(*map(int, match.groups()))
    except ValueError:
        return None


def convert(text: str, name: str, settings: Settings,
            known_services: Iterable[str] = (), published: dt.date | None = None,
            shared: frozenset[str] = frozenset()) -> Converted:
    """Front-matter inferred from a plain Markdown postmortem named ``name`` (its file name,
    or its path in the source: a blog's 'YYYY/MM/DD/' folders date it when nothing else does).
    A date is never guessed: when the text gives none, ``date: unknown`` is written and
    reported as missing, for the author to resolve. ``known_services``: services the
    knowledge base already uses; the ones the title or summary names are added.
    ``published``: the day the page was published, when its own front-matter says (rows of a
    timeline written without a year take its year). ``shared``: headings most files of the
    import share (a site's title), never the lesson's title."""
    inferred: list[str] = []
    missing: list[str] = []
    meta: dict[str, Any] = {}
    text = readable(_PAGE_BREAK.sub("\n", text))  # read only: the lesson keeps the text
    title, preamble, found = sections(text)
    if found and found[0].level == 1 and found[0].title == title:
        preamble = preamble + found[0].lines  # the opening: before the first section proper
    stem = Path(name).stem if has_extension(Path(name)) else Path(name).name
    folder_day = None if name_date(stem) else folder_date(Path(name).parent)
    dated_stem = f"{folder_day.isoformat()} {stem}" if folder_day else stem
    named, where, as_written = choose_title(found, preamble, shared)
    inferred += [f"title: passed over {h!r}, the heading most files of this import share "
                 "(a site's title)" for h in dict.fromkeys(plain(s.title).strip() for s in found)
                 if h in shared]
    if named:
        meta["title"] = named
        inferred.append(f"title from {where}: {meta['title']!r}")
    else:
        meta["title"] = re.sub(r"^\d{4}([-_.]?)\d{2}\1\d{2}[-_ ]*", "", stem
                               ).replace("-", " ").replace("_", " ").strip()
        meta["title"] = (meta["title"] or stem)[:1].upper() + (meta["title"] or stem)[1:]
        missing.append(f"title: no heading names the incident; used the file name "
                       f"({meta['title']!r})")
    ident = _IDENT.match(stem)
    if ident:
        meta["id"] = ident.group(1)
        inferred.append(f"id from the identifier in the file name: {meta['id']}")
    else:
        meta["id"] = default_id(f"{stem}.md")  # the build's default: never a shared fallback
        inferred.append(f"id from the file name: {meta['id']}")
    meta["type"] = "postmortem"
    id_year = re.search(r"(?<!\d)(19|20)\d{2}(?!\d)", ident.group(1)) if ident else None
    date, how = lesson_date(dated_stem, as_written or title or "", found, preamble,
                            id_year.group() if id_year else None, published)
    if folder_day and how == "the file name":
        how = "the folders of its path (a blog's year/month/day)"
    if date:
        meta["date"] = date.isoformat()
        inferred.append(f"date from {how}: {meta['date']}")
    else:
        meta["date"] = UNKNOWN_DATE
        hint = f" (the identifier says {id_year.group()})" if id_year else ""
        missing.append(f"date: none in the title, timeline, text or file name{hint}; wrote "
                       f"'date: {UNKNOWN_DATE}': write the day the incident began (check "
                       "warns until then, and fails with --strict)")
    summary_section = find_section(found, SUMMARY_HEADING)
    summary = (label_run_text(summary_section.lines) or first_paragraph(summary_section.lines)
               or first_item(summary_section.lines)) if summary_section else ""
    if summary:
        inferred.append(f"summary from the {summary_section.title!r} section")
    else:
        label, summary = labelled_text(preamble)
        if summary:
            inferred.append(f"summary from the {label!r} line (no Summary section)")
        elif summary := first_paragraph(preamble):
            inferred.append("summary from the opening paragraph (no Summary section)")
        elif (opening := _opening_paragraph(found, named))[1]:
            where, summary = opening
            inferred.append(f"summary from the first paragraph under {where!r} "
                            "(no Summary section)")
        else:
            missing.append("summary: no Summary section, Summary/Impact line or opening "
                           "paragraph")
    if summary:
        meta["summary"] = summary
    services = services_named(meta["title"] + "\n" + summary, known_services)
    if services:
        meta["services"] = services
        inferred.append(f"services the knowledge base knows, named in the title or summary: "
                        f"{', '.join(services)}")
    read_stats(found, meta, inferred, missing, settings)
    follow_ups, headings = follow_ups_from(found, preamble)
    if follow_ups:
        meta["follow_ups"] = follow_ups
        known = "" if meta["date"] == UNKNOWN_DATE else meta["date"]
        keep_plausible_done_on(follow_ups, known)
        done = sum(f["status"] == "done" for f in follow_ups)
        inferred.append(f"{len(follow_ups)} follow-up(s), {done} done, from "
                        f"{', '.join(repr(h) for h in headings)} (historical: owner and due "
                        "unknown)")
    else:
        missing.append("follow_ups: no Action Items, Remediation or similar section")
    return Converted(meta, inferred, missing)


_INTRODUCTION = re.compile(
    r"^(?:(?:incident|event|issue|problem|outage)\s+)?(?:background|overview|introduction|"
    r"description|context|details)\b|^what happened\b|^description of\b|"
    r"^(?:the\s+)?(?:incident|issue|problem|outage)(?:\s+(?:description|details))?\W*$",
    re.I)
"""Sections that open a report by telling it: 'Background', 'Incident description',
'Description of the incident', 'What happened?', 'Context', 'The incident', 'Problem'."""
_IMPACT = re.compile(r"^(?:(?:customer|user|business)\s+)?impact\b", re.I)
"""'Impact', 'Customer impact': what the incident did, the summary when nothing tells more."""


def _opening_paragraph(found: list[Section], title: str | None) -> tuple[str, str]:
    """(heading, paragraph) where the report opens when nothing precedes its first section:
    under the heading that gave the title ('## February 11, 2016 incident report' then its
    first paragraph), else under 'Background' / 'Overview' / 'Incident description' and the
    like, else under 'Impact'; ('', '') when none has one."""
    candidates = [s for s in found if title and title in plain(s.title)]
    candidates += [s for s in found if _INTRODUCTION.match(plain(s.title).strip())]
    candidates += [s for s in found if _IMPACT.match(plain(s.title).strip())]
    for section in candidates:
        if paragraph := first_paragraph(section.lines):
            return section.title, paragraph
    return "", ""
