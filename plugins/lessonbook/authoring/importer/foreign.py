"""Files that already have front-matter (Hugo, Jekyll, other static-site generators): read it
and let what it says win over what the text suggests — except a date the text puts earlier (a
page's date is the day it was written up)."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from typing import Any

import frontmatter

from ...load.field_checks import UNKNOWN_DATE
from ...load.parsing import parse_source
from ...load.slugs import slugify
from ...model.vocabulary import Settings
from .convert import Converted
from .dates import compact_dates, dates_in, lesson_date
from .document import find_section, sections
from .html_reading import readable
from .meta_lines import unfenced_metadata
from .opening_day import PUBLISHED_WITHIN, day_told_before, opening_lines
from .titles import is_generic_title


class ForeignFrontMatterError(Exception):
    """Front-matter that cannot be read: a one-line reason for the report."""


@dataclass
class ForeignFrontMatter:
    format: str
    meta: dict[str, Any]
    body: str


class _TomlHandler(frontmatter.default_handlers.BaseHandler):
    """Hugo's `+++` TOML front-matter, read with the standard library's tomllib (the
    python-frontmatter TOML handler needs the third-party `toml` package)."""

    FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)

    def load(self, fm: str) -> dict[str, Any]:
        return tomllib.loads(fm)


_HANDLERS = (("YAML", frontmatter.default_handlers.YAMLHandler()),
             ("TOML", _TomlHandler()), ("JSON", frontmatter.default_handlers.JSONHandler()))
_FRONT_MAX = 64 * 1024
UNFENCED = "Metadata lines (Pelican/MultiMarkdown, no fences)"


def existing_front_matter(text: str, name: str) -> ForeignFrontMatter | None:
    """The front-matter a Markdown file already has — YAML (`---`, Jekyll, Hugo), TOML (`+++`,
    Hugo) or JSON (`{`) — found and split by python-frontmatter, else a block of plain
    ``key: value`` lines with no fences (Pelican, MultiMarkdown: meta_lines.py); None when
    there is none.

    YAML is read by Lessonbook's own parser, which holds it to the build's limits (aliases,
    depth, size); TOML and JSON cannot expand aliases. Raises ForeignFrontMatterError."""
    handler = frontmatter.detect_format(text, [h for _, h in _HANDLERS])
    if handler is None:
        lines = unfenced_metadata(text)
        return ForeignFrontMatter(UNFENCED, *lines) if lines else None
    kind = next(label for label, h in _HANDLERS if h is handler)
    try:
        front, body = handler.split(text)
    except ValueError:
        raise ForeignFrontMatterError(f"{kind} front-matter is never closed") from None
    if len(front.encode()) > _FRONT_MAX:
        raise ForeignFrontMatterError(f"{kind} front-matter is over 64 KB")
    if kind == "YAML":
        doc = parse_source(f"---\n{front.strip(chr(10))}\n---\n".encode(), name)
        if doc.meta is None:
            reason = doc.problems[0].message if doc.problems else "not a mapping"
            raise ForeignFrontMatterError(f"YAML front-matter cannot be read: {reason}")
        meta: Any = doc.meta
    else:
        try:
            meta = handler.load(front)
        except Exception as exc:  # tomllib/json errors, or nesting past the recursion limit
            raise ForeignFrontMatterError(f"{kind} front-matter cannot be read: "
                                          f"{str(exc).splitlines()[0][:200]}") from None
    if not isinstance(meta, dict):
        raise ForeignFrontMatterError(f"{kind} front-matter is not a mapping of fields")
    return ForeignFrontMatter(kind, meta, body.lstrip("\n"))


def is_lesson(meta: dict[str, Any]) -> bool:
    return all(meta.get(key) not in (None, "") for key in ("title", "type", "date"))


_SUMMARY_KEYS = ("summary", "description", "excerpt")
_DATE_KEYS = ("incident_date", "incidentDate", "date_of_incident", "date", "publishDate",
              "published", "pubDate", "pubdate", "published_at", "publish_date", "created",
              "created_at", "creation_date")
"""Where a page's front-matter gives its day: the incident's own first, then the generators'
spellings of the day it was published or created (Hugo, Jekyll, Astro, Ghost, Notion
exports); never 'lastmod' or 'updated', the day it was last edited."""
_TITLE_KEYS = ("title", "linkTitle", "heading")


def adopt_front_matter(converted: Converted, found: ForeignFrontMatter,
                       settings: Settings) -> None:
    """What the file's own front-matter says wins over what the text suggests: title, date
    (unless the text puts the start up to a month before it: ``_earlier_start``), summary,
    tags and categories (a category outside the configured taxonomy becomes a tag), services,
    teams, and `draft: true`. Other keys are named in the report, not kept."""
    meta, given = converted.meta, found.meta
    used: list[str] = []
    for key in _TITLE_KEYS:
        value = given.get(key)
        if not isinstance(value, str) or not value.strip():
            continue
        used.append(key)
        if is_generic_title(value) and any(x.startswith("title from") for x in
                                            converted.inferred):
            converted.inferred.append(f"title: the front-matter's {key} {value.strip()!r} names "
                                      "only the kind of document; kept the heading's")
            used[-1:] = []
            break
        meta["title"] = value.strip()
        break
    earlier = _earlier_start(converted) or _title_day(meta.get("title"))
    date_note = ""
    if not any(_as_date(given.get(key)) for key in _DATE_KEYS) and \
            meta.get("date") == UNKNOWN_DATE:
        date_note = _date_without_a_date_field(converted, found)
    for key in _DATE_KEYS:
        day = _as_date(given.get(key))
        if day is not None:
            used.append(key)
            if earlier and (day - earlier[0]).days > _PUBLISHED_WITHIN:
                earlier = _opening_date(found, day) or earlier
            elif not earlier or earlier[0] >= day:  # none, a dateline's or a later update's
                opening = _opening_date(found, day)
                earlier = opening if opening and opening[0] < day else earlier
            if earlier and 0 < (day - earlier[0]).days <= _PUBLISHED_WITHIN:
                meta["date"] = earlier[0].isoformat()
                date_note = (f"date from {earlier[1]}: {earlier[0].isoformat()}; the "
                             f"front-matter's {key} {day.isoformat()} is "
                             f"{(day - earlier[0]).days} day(s) later (when the page was "
                             "written up): check")
            else:
                meta["date"] = day.isoformat()
            break
    for key in _SUMMARY_KEYS:
        if isinstance(given.get(key), str) and given[key].strip():
            meta["summary"] = " ".join(given[key].split())
            used.append(key)
            break
    for key in ("tags", "categories", "services", "teams"):
        values = given.get(key)
        values = [values] if isinstance(values, str) else values
        if not isinstance(values, list):
            continue
        for value in (str(v).strip() for v in values if isinstance(v, str | int)):
            slug = slugify(value)
            field = key
            if key == "categories":
                field = "categories" if slug in settings.categories else "tags"
                value = slug if field == "categories" else value
            if value and value not in meta.setdefault(field, []):
                meta[field].append(value)
        used.append(key)
    if given.get("draft") is True:
        meta["status"] = "draft"
        used.append("draft")
    settled = {"title" if k in _TITLE_KEYS else "date" if k in _DATE_KEYS else
               "summary" if k in _SUMMARY_KEYS else k for k in used}
    converted.inferred[:] = [x for x in converted.inferred if x.split()[0] not in settled]
    converted.missing[:] = [x for x in converted.missing if x.split(":")[0] not in settled]
    read = ", ".join(used) or "no field Lessonbook uses"
    converted.inferred.insert(0, f"{found.format} front-matter read: {read}")
    if date_note:
        converted.inferred.insert(1, date_note)
        if meta["date"] != UNKNOWN_DATE:
            converted.missing[:] = [x for x in converted.missing if not x.startswith("date:")]
    dropped = sorted(str(k) for k in given if k not in used)
    if dropped:
        converted.missing.append(f"front-matter keys not kept: {', '.join(dropped)}")


_PUBLISHED_WITHIN = PUBLISHED_WITHIN
_FROM_TEXT = re.compile(r"^date from (.+): (\d{4}-\d{2}-\d{2})$")


def _earlier_start(converted: Converted) -> tuple[dt.date, str] | None:
    """The day the text itself says the impact began (its timeline, summary, a Date line;
    never the file name), with where it was read. A static-site generator's ``date`` is the
    day the page was published, so when the text puts the start up to a month before it,
    the text's day is the lesson's date."""
    for line in converted.inferred:
        match = _FROM_TEXT.match(line)
        if match and not match.group(1).startswith("the file name"):
            return dt.date.fromisoformat(match.group(2)), match.group(1)
    return None


def _title_day(title: object) -> tuple[dt.date, str] | None:
    """The day a front-matter title names ("apache.org incident report for 8282009",
    "Outage on 2021-03-04"), when the text gave none: a page's date is the day it was
    written up, its title may say the incident's."""
    if not isinstance(title, str):
        return None
    days = [day for day, explicit in dates_in(title, None) if explicit] or compact_dates(title)
    return (days[0], "the front-matter's title") if days else None


def published_on(found: ForeignFrontMatter) -> dt.date | None:
    """The page's own date (``date``, ``publishDate``, ``published``), if its front-matter
    gives one: the day it was written up."""
    return next((day for key in _DATE_KEYS if (day := _as_date(found.meta.get(key)))), None)


def _opening_date(found: ForeignFrontMatter, published: dt.date) -> tuple[dt.date, str] | None:
    """A day in the write-up's opening or summary up to a month before the page's date
    (opening_day.py: datelines skipped; a weekday alone is the last one before the page).
    When the text's first dated row lies long before the page (a token in public images a
    year before it was reported, releases months before the malware), the timeline tells a
    background and the opening ('On June 28, 2024 we were notified ...') tells the incident;
    without such a day the page's date stands (a far earlier row may be a typo)."""
    _heading, preamble, parts = sections(readable(found.body))
    summary = find_section(parts, r"\bsummary\b")
    lines = opening_lines(preamble, parts) + (summary.lines if summary else [])
    return day_told_before(lines, published)


_PAGE_KEYS = ("path", "url", "permalink", "slug", "aliases", "canonical_url", "canonical",
              "canonicalURL", "original_url", "redirect_from")
_PAGE_DAY = re.compile(r"(?<!\d)((?:19|20)\d{2})[/-](\d{2})[/-](\d{2})(?!\d)")


def _date_without_a_date_field(converted: Converted, found: ForeignFrontMatter) -> str:
    """A page with no date field whose text gave no day either (Zola's `path =
    "inside-rust/2023/09/01/..."`, a Hugo `url`, a Jekyll `permalink`): read the text again
    with the front-matter's title ('Update on the October 15, 2018 incident') and the page's
    year (for 'On August 16'); else the day in the page's address, the day it was published
    ('Today the team discovered ...'), for the author to check. Sets the date; the report line."""
    given, meta = found.meta, converted.meta
    page: dt.date | None = None
    for key in _PAGE_KEYS:
        values = given.get(key)
        for value in values if isinstance(values, list) else [values]:
            match = _PAGE_DAY.search(value) if isinstance(value, str) else None
            if match and page is None:
                try:
                    page = dt.date(*map(int, match.groups()))
                except ValueError:
                    page = None
    title = given.get("title") if isinstance(given.get("title"), str) else ""
    heading, preamble, parts = sections(readable(found.body))
    day, how = lesson_date("", title or heading or "", parts, preamble,
                           str(page.year) if page else None)
    if day:
        meta["date"] = day.isoformat()
        return f"date from {how}" + (" (year from the page's address)" if page else "") + \
            f": {meta['date']}"
    if page:
        meta["date"] = page.isoformat()
        return (f"date from the page's address: {meta['date']} (the day it was published; "
                "the text names no day: check)")
    return ""


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
        except ValueError:  # 'March 4, 2021', '04/03/2021 10:00', '2021/03/04'
            dated = [day for day, explicit in dates_in(value, None) if explicit]
            return dated[0] if dated else None
    return None
