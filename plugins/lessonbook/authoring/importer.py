"""Turn plain Markdown postmortems (no front-matter) into lessons.

The body is kept byte for byte, except links to other imported files, which are pointed at their
new paths; a front-matter block is put in front of it, written with yaml.safe_dump so every value
is escaped, and records where the lesson came from (``imported_from``). Each file gets a report
of what was inferred and what could not be; one bad file never stops the others. Writes are
atomic and exclusive: never an overwrite unless asked (``force``); running twice changes
nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import frontmatter
import yaml

from ..load.parsing import parse_source
from ..load.validation import default_id, slugify
from ..model.durations import DurationError, parse_duration
from ..model.vocabulary import Settings
from .import_sources import (
    DEFAULT_MAX_SIZE,
    Skipped,
    has_extension,
    read_regular,
    read_sources,
    shown,
)
from .safe_write import write_file

_IDENT = re.compile(r"^([A-Za-z]{1,8}-?\d{2,4}[-_.]\d{1,6})(?![A-Za-z0-9])")
_ISO_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d])")
_MONTHS = {m: i for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"), start=1)}
_MONTH = "(" + "|".join(_MONTHS) + r")"
_WRITTEN_DATE = re.compile(
    rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:,?\s+(\d{{4}}))?\b"
    rf"|\b(\d{{1,2}})(?:st|nd|rd|th|\.)?\s+(?:of\s+)?{_MONTH}(?:,?\s+(\d{{4}}))?\b", re.I)
_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_ITEM = re.compile(r"^( {0,3})(?:[-*+]|\d+[.)])[ \t]+(?:\[( |x|X)\][ \t]+)?(.*)$")
_STAT = re.compile(r"^\s*(?:[-*+][ \t]+)?\**([A-Za-z][A-Za-z ]+?)\**\s*:\s*\**(.*?)\**\s*$")


@dataclass
class Section:
    title: str
    level: int
    lines: list[str]


@dataclass
class FileReport:
    source: str
    target: str | None = None
    action: str = ""
    """written | would write | unchanged | skipped | failed"""
    inferred: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def failed(self) -> bool:
        return self.action == "failed"

    def format(self) -> str:
        head = f"{self.action}: {shown(self.source)}"
        if self.target:
            head += f" -> {shown(self.target)}"
        lines = [head]
        if self.error:
            label = "reason" if self.action == "skipped" else "error"
            lines.append(f"  {label}: {shown(self.error)}")
        lines += [f"  inferred {shown(item)}" for item in self.inferred]
        lines += [f"  missing {shown(item)}" for item in self.missing]
        return "\n".join(lines)


@dataclass
class Converted:
    meta: dict[str, Any]
    inferred: list[str]
    missing: list[str]


# --- reading one postmortem ------------------------------------------------------------------
def sections(text: str) -> tuple[str | None, list[str], list[Section]]:
    """(first heading, lines before it, sections) with ATX and setext headings; fenced code
    is never read as headings."""
    lines = text.split("\n")
    title: str | None = None
    preamble: list[str] = []
    out: list[Section] = []
    fence: str | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        if fence:
            if stripped.startswith(fence):
                fence = None
        elif stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
        heading: tuple[int, str] | None = None
        if fence is None and not stripped.startswith(("```", "~~~")):
            atx = _ATX.match(line)
            nxt = lines[index + 1] if index + 1 < len(lines) else ""
            if atx:
                heading = (len(atx.group(1)), atx.group(2).strip())
            elif stripped and _SETEXT.match(nxt) and not _ITEM.match(line) and "|" not in line:
                heading = (1 if nxt.strip().startswith("=") else 2, stripped)
                index += 1
        if heading:
            if title is None:
                title = heading[1]
            out.append(Section(heading[1], heading[0], []))
        elif out:
            out[-1].lines.append(line)
        else:
            preamble.append(line)
        index += 1
    return title, preamble, out


def _find(found: list[Section], pattern: str) -> Section | None:
    regex = re.compile(pattern, re.I)
    return next((s for s in found if regex.search(s.title)), None)


def _with_subsections(found: list[Section], section: Section) -> list[str]:
    lines = list(section.lines)
    start = found.index(section)
    for sub in found[start + 1:]:
        if sub.level <= section.level:
            break
        lines += sub.lines
    return lines


def plain(text: str) -> str:
    """Markdown inline syntax → plain text for a one-line field."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>\n]+>", "", text)
    text = re.sub(r"(\*\*|__|`)", "", text)
    text = re.sub(r"(?<!\w)[*_](\S[^*_]*?)[*_](?!\w)", r"\1", text)
    return " ".join(text.split())


_META_LINE = re.compile(r"^\**[A-Za-z][\w /()&.-]{0,40}?\**\s*:\s*\**\s*(.*)$")
_URL_ONLY = re.compile(r"^<?(?:https?://|www\.)\S+>?$")
_VERSIONS = re.compile(r"^[vV]?[\d.x*]+(?:\s*(?:,|and|or|-)\s*[vV]?[\d.x*]+)*\.?$")


def is_meta_line(text: str) -> bool:
    """A line that labels rather than tells: 'Internal post-mortem: <url>', '**Date:** ...',
    'Traefik versions confirmed affected: 1.7', or a bare link. Never a summary."""
    text = text.strip()
    flat = plain(text)
    if _URL_ONLY.match(flat) or (("://" in text or "www." in text) and len(flat.split()) <= 6):
        return True
    meta = _META_LINE.match(text)
    if not meta:
        return False
    value = plain(meta.group(1)).strip()
    return (len(flat.split()) <= 8 or bool(_VERSIONS.match(value))
            or bool(_URL_ONLY.match(value)))


def first_paragraph(lines: list[str]) -> str:
    """The first paragraph of prose: not a table, image, quote, heading, list or meta line."""
    para: list[str] = []
    for line in lines:
        stripped = line.strip()
        if not stripped:
            if para:
                if not is_meta_line(" ".join(para)):
                    break
                para = []
            continue
        if stripped.startswith(("|", "```", "<img", "!", ">")) or _ATX.match(line) or \
                _ITEM.match(line):
            if para and not is_meta_line(" ".join(para)):
                break
            para = []
            continue
        para.append(stripped)
    if para and is_meta_line(" ".join(para)):
        return ""
    return plain(" ".join(para))


def convert(text: str, name: str, settings: Settings, modified: dt.date | None = None,
            known_services: Iterable[str] = ()) -> Converted:
    """Front-matter inferred from a plain Markdown postmortem named ``name`` (file name).
    A lesson needs a date to build, so when none is written the best guess is used and
    reported as missing. ``known_services``: services the knowledge base already uses; the
    ones the title or summary names are added."""
    inferred: list[str] = []
    missing: list[str] = []
    meta: dict[str, Any] = {}
    title, preamble, found = sections(text)
    if found and found[0].level == 1 and found[0].title == title:
        preamble = preamble + found[0].lines  # the opening: before the first section proper
    stem = Path(name).stem if has_extension(Path(name)) else name
    if title:
        meta["title"] = plain(title)
        inferred.append(f"title from the first heading: {meta['title']!r}")
    else:
        meta["title"] = re.sub(r"^\d{4}-\d{2}-\d{2}[-_ ]*", "", stem).replace("-", " ").strip()
        meta["title"] = (meta["title"] or stem)[:1].upper() + (meta["title"] or stem)[1:]
        missing.append(f"title: no heading; used the file name ({meta['title']!r})")
    ident = _IDENT.match(stem)
    if ident:
        meta["id"] = ident.group(1)
        inferred.append(f"id from the identifier in the file name: {meta['id']}")
    else:
        meta["id"] = default_id(f"{stem}.md")  # the build's default: never a shared fallback
        inferred.append(f"id from the file name: {meta['id']}")
    meta["type"] = "postmortem"
    id_year = re.search(r"(?<!\d)(19|20)\d{2}(?!\d)", ident.group(1)) if ident else None
    date, how = _date(stem, title or "", found, preamble, id_year.group() if id_year else None)
    if date:
        meta["date"] = date.isoformat()
        inferred.append(f"date from {how}: {meta['date']}")
    elif id_year:
        meta["date"] = f"{id_year.group()}-01-01"
        missing.append(f"date: none in the file name, timeline or summary; wrote "
                       f"{meta['date']} from the year in the identifier: correct it")
    else:
        meta["date"] = (modified or dt.date.today()).isoformat()
        missing.append(f"date: none in the file name, timeline or summary; wrote the file's "
                       f"modification date {meta['date']}: correct it")
    summary_section = _find(found, r"\bsummary\b")
    summary = first_paragraph(summary_section.lines) if summary_section else ""
    if summary:
        inferred.append(f"summary from the {summary_section.title!r} section")
    else:
        summary = first_paragraph(preamble)
        if summary:
            inferred.append("summary from the opening paragraph (no Summary section)")
        else:
            missing.append("summary: no Summary section or opening paragraph")
    if summary:
        meta["summary"] = summary
    services = _services(meta["title"] + "\n" + summary, known_services)
    if services:
        meta["services"] = services
        inferred.append(f"services the knowledge base knows, named in the title or summary: "
                        f"{', '.join(services)}")
    _stats(found, meta, inferred, missing, settings)
    follow_ups, headings = _follow_ups_from(found)
    if follow_ups:
        meta["follow_ups"] = follow_ups
        _keep_plausible_done_on(follow_ups, str(meta.get("date", "")))
        done = sum(f["status"] == "done" for f in follow_ups)
        inferred.append(f"{len(follow_ups)} follow-up(s), {done} done, from "
                        f"{', '.join(repr(h) for h in headings)} (historical: owner and due "
                        "unknown)")
    else:
        missing.append("follow_ups: no Action Items, Remediation or similar section")
    return Converted(meta, inferred, missing)


# --- dates -----------------------------------------------------------------------------------
_TIMELINE = r"\b(timeline|chronology|sequence of events)\b"
_TYPO_DATE = re.compile(r"(?<![\d-])(\d{5})-(\d{2})-(\d{2})(?!\d)")
_PRECURSOR = re.compile(r"\b(released|published|committed|merged|created|applied|went live|"
                        r"rolled out|introduced|scal(?:ed|ing) up|proactively)\b", re.I)
_IMPACT = re.compile(r"\b(break|broke|breaking|fail|failed|failing|fails|down|error|errors|"
                     r"outage|crash\w*|unable|not|no|stops?|stopped|alert\w*|report\w*|"
                     r"detect\w*|incident|unhealthy|notready|timeouts?|impact\w*)\b", re.I)
_DATE_LINE = re.compile(r"^\W*date\W*:", re.I)


def _date(stem: str, title: str, found: list[Section], preamble: list[str],
          id_year: str | None) -> tuple[dt.date | None, str]:
    """The day the impact began. A full date in the title comes first (file names are often
    the day of publication); then the timeline, skipping precursor rows (a release or change
    days before anything broke); then a 'Date:' line, the summary or the opening; then the
    file name."""
    titled = _written_dates(title, None)
    if titled and titled[0][1]:
        return titled[0][0], "the title"
    name_match = _ISO_DATE.search(stem)
    name_day = _valid(*name_match.groups()) if name_match else None
    timeline = _find(found, _TIMELINE)
    if timeline:
        day, how = _timeline_start(timeline.lines, id_year)
        if day:
            return day, how
    year = id_year or (str(name_day.year) if name_day else None) or _year_in(title)
    summary = _find(found, r"\bsummary\b")
    date_lines = [line for line in preamble if _DATE_LINE.match(plain(line))]
    for label, lines in (("the Date line", date_lines),
                         ("the summary", summary.lines if summary else []),
                         ("the opening", preamble)):
        dates = _written_dates("\n".join(lines), year)
        if dates:
            day, explicit = dates[0]
            return day, label + ("" if explicit else " (year from the file name or identifier)")
    if name_day:
        return name_day, "the file name"
    return None, ""


def _year_in(text: str) -> str | None:
    match = re.search(r"(?<!\d)(19|20)\d{2}(?!\d)", text)
    return match.group() if match else None


def _written_dates(text: str, year: str | None) -> list[tuple[dt.date, bool]]:
    """Dates written in words ('September 29, 2025', '21st of June', '17. November'), in order;
    (date, whether the year was written)."""
    out = []
    for m in _WRITTEN_DATE.finditer(text):
        month = m.group(1) or m.group(5)
        day_s = m.group(2) or m.group(4)
        written = m.group(3) or m.group(6)
        if not written:
            after = re.match(r"(?:\s*[-–]\s*\d{1,2})?,?\s+((?:19|20)\d{2})\b", text[m.end():])
            written = after.group(1) if after else None
        chosen = written or year
        if chosen and (day := _valid(chosen, _MONTHS[month.lower()], day_s)):
            out.append((day, bool(written)))
    return out


def _timeline_start(lines: list[str], id_year: str | None) -> tuple[dt.date | None, str]:
    rows: list[tuple[dt.date, str, str | None]] = []
    for line in lines:
        match = _ISO_DATE.search(line)
        typo = None
        day = _valid(*match.groups()) if match else None
        if day is None and (bad := _TYPO_DATE.search(line)):
            year = _fix_year(bad.group(1), id_year)
            day = _valid(year, bad.group(2), bad.group(3)) if year else None
            match, typo = bad, bad.group(1)
        if day and match:
            rows.append((day, line[match.end():], typo))
    if not rows:
        return None, ""
    if id_year:
        rows = [r for r in rows if str(r[0].year) == id_year] or rows
    first = 0
    while first + 1 < len(rows) and rows[first][0] < rows[first + 1][0] and \
            _PRECURSOR.search(rows[first][1]) and not _IMPACT.search(rows[first][1]):
        first += 1
    day, _event, typo = rows[first]
    how = "the timeline"
    if first:
        how += f" (skipped {first} earlier row(s) that only prepare the incident)"
    if typo:
        how += f" (year {typo!r} read as {day.year}: check it)"
    return day, how


def _fix_year(digits: str, id_year: str | None) -> str | None:
    """'20202' → '2020': drop one digit to get a plausible year, preferring the identifier's
    year, then the reading most deletions agree on."""
    readings = Counter(digits[:i] + digits[i + 1:] for i in range(len(digits)))
    plausible = {y: n for y, n in readings.items() if 1990 <= int(y) <= dt.date.today().year + 1}
    if not plausible:
        return None
    if id_year in plausible:
        return id_year
    return max(sorted(plausible), key=lambda y: plausible[y])


def _valid(year: str | int, month: str | int, day: str | int) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _stats(found: list[Section], meta: dict[str, Any], inferred: list[str], missing: list[str],
           settings: Settings) -> None:
    stats = _find(found, r"^(stats|statistics|metrics|key stats)\b")
    if not stats:
        missing.append("categories/tags, time_to_detect, time_to_recover: no Stats section")
        return
    for line in stats.lines:
        match = _STAT.match(line)
        if not match:
            continue
        key, value = match.group(1).strip().lower(), plain(match.group(2))
        value = re.sub(r"\[\^[^\]]*\]", "", value).strip().rstrip(".").strip()
        if key in ("category", "categories"):
            for item in [v.strip() for v in re.split(r",|;", value) if v.strip()]:
                slug = slugify(item)
                if slug in settings.categories:
                    meta.setdefault("categories", []).append(slug)
                    inferred.append(f"category {slug!r} from Stats")
                else:
                    meta.setdefault("tags", []).append(item)
                    inferred.append(f"tag {item!r} from Stats (not a configured category)")
        elif key.startswith("time to"):
            name = ("time_to_detect" if re.search(r"detect", key) else
                    "time_to_recover" if re.search(r"recover|resol|mitigat", key) else None)
            if name is None:
                continue
            try:
                parse_duration(value)
            except DurationError:
                missing.append(f"{name}: {value!r} in Stats is not a duration")
                continue
            meta[name] = value
            inferred.append(f"{name} from Stats: {value}")


# --- follow-ups ------------------------------------------------------------------------------
_ACTION_HEADING = re.compile(
    r"\baction|remediat|follow[- ]?ups?\b|improvements?\b|prevention|preventive|"
    r"\bprevent\w*\b.*\b(?:again|recur\w*|happen\w*|future)\b|next steps|corrective|"
    r"\bplanned\b|\bto-?dos?\b|what we(?:'re| are| will be) doing|\bfixes\b", re.I)
"""Headings of sections that list what will change, whatever a team calls them."""
_NOT_ACTIONS = re.compile(r"lessons?|learn|went (?:well|poorly|wrong)|takeaway|insight|"
                          r"what should you do|impact|timeline", re.I)
_DONE_HEADING = re.compile(r"\b(completed?|done|finished|implemented)\b", re.I)
_FUTURE_HEADING = re.compile(r"plan|progress|term\b|future|next|will|to do|todo|consider",
                             re.I)
_PAST_VERBS = frozenset(["sent", "made", "built", "ran", "wrote", "began", "took", "gave",
                         "held", "kept"])
_NOT_PAST = frozenset(["need", "speed", "feed", "embed", "seed", "proceed", "exceed", "succeed"])
_LIST_ITEM = re.compile(r"^([ \t]*)([-*+•]|\d+[.)])[ \t]+(.*)$")
_TICK = re.compile(r"^(?:\[( |x|X)\]|(✅|☑️?|✔️?))\s*")
_DONE_MARK = re.compile(r"\((?:done|completed?|fixed)\)\s*\.?$", re.I)
_DONE_ON = re.compile(r"\b(?:done|completed?|fixed|closed|finished|shipped|resolved)\b"
                      r"(?:\s+on)?[\s:,(]{0,3}(\d{4}-\d{2}-\d{2})\b", re.I)
"""'done 2024-03-12', 'completed on 2024-03-12': the day a done item gives for itself."""
_HAS_BEEN = re.compile(r"^(?:[\w/'-]+\s+){1,8}(?:has|have) been (?!scheduled|planned|created|"
                       r"raised|opened|filed|discussed|proposed|requested)\w+(?:ed|en)\b", re.I)


def _follow_ups_from(found: list[Section]) -> tuple[list[dict[str, str]], list[str]]:
    """Follow-ups from every section whose heading says it lists actions (Action Items,
    Remediation, Short-term Improvements, Planned actions, How are we preventing it...), with
    their subsections; done when ticked (✅, [x]), marked '(done)', told in the past ('we've
    tightened') or listed under a completed heading ('Immediate Actions (Completed)')."""
    items: list[dict[str, str]] = []
    headings: list[str] = []
    index = 1 if found and found[0].level == 1 else 0  # the document's title
    while index < len(found):
        section = found[index]
        if not (_ACTION_HEADING.search(section.title) and
                not _NOT_ACTIONS.search(section.title)):
            index += 1
            continue
        stop = index + 1
        while stop < len(found) and found[stop].level > section.level:
            stop += 1
        chain: list[Section] = []  # the section and the headings above a subsection
        for sub in found[index:stop]:
            while chain and chain[-1].level >= sub.level:
                chain.pop()
            chain.append(sub)
            if sub is not section and _NOT_ACTIONS.search(sub.title):
                continue
            titles = " / ".join(x.title for x in chain)
            found_here = _list_items(sub.lines, bool(_DONE_HEADING.search(titles)),
                                     not _FUTURE_HEADING.search(titles))
            if found_here:
                items += found_here
                headings.append(plain(sub.title))
        index = stop
    return items, headings


def _keep_plausible_done_on(follow_ups: list[dict[str, str]], lesson_date: str) -> None:
    """A done date the text gives is kept only when it is a real day from the lesson's date to
    today, so an import never writes a ``done_on`` that `lessonbook check` refuses."""
    for item in follow_ups:
        text = item.get("done_on")
        if text is None:
            continue
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            day = None
        if day is None or day > dt.date.today() or (lesson_date and text < lesson_date):
            del item["done_on"]


def _list_items(lines: list[str], done_section: bool, past_means_done: bool
                ) -> list[dict[str, str]]:
    """Top-level list items as actions; nested items (or bullets under numbered items) are
    kept with their parent as its detail, never as actions of their own. ``past_means_done``:
    under a heading that is not about plans, 'Switched to pnpm 10' reports a done action."""
    parsed: list[tuple[int, bool, str]] = []  # (indent, numbered, text) or continuation
    fence = False
    last_blank = True
    for line in lines:
        if line.strip().startswith(("```", "~~~")):
            fence = not fence
            continue
        if fence:
            continue
        match = _LIST_ITEM.match(line.expandtabs(4))
        if match:
            parsed.append((len(match.group(1)), match.group(2)[0].isdigit(), match.group(3)))
        elif line.strip() and parsed and (not last_blank or line.startswith((" ", "\t"))):
            indent, numbered, text = parsed[-1]
            joint = ": " if re.fullmatch(r"\*\*[^*]+\*\*", text.strip()) else " "
            parsed[-1] = (indent, numbered, text + joint + line.strip())
        last_blank = not line.strip()
    if not parsed:
        return []
    top = min(indent for indent, _, _ in parsed)
    numbered_parents = any(n for i, n, _ in parsed if i == top) and \
        any(not n for i, n, _ in parsed if i == top)
    out: list[dict[str, str]] = []
    details: list[list[str]] = []
    for indent, numbered, text in parsed:
        is_parent = indent == top and (numbered or not numbered_parents)
        if not is_parent:
            if out:
                details[-1].append(plain(_TICK.sub("", text)))
            continue
        tick = _TICK.match(text)
        action = plain(_TICK.sub("", text))
        if not action:
            continue
        ticked = bool(tick and (tick.group(2) or (tick.group(1) or "").lower() == "x"))
        done = done_section or ticked or bool(_DONE_MARK.search(action)) or (
            past_means_done and _told_as_done(action))
        out.append({"action": action, "status": "done" if done else "open"})
        when = _DONE_ON.search(action) if done else None
        if when:
            out[-1]["done_on"] = when.group(1)
        details.append([])
    for item, extra in zip(out, details, strict=True):
        extra = [d for d in extra if d]
        if extra:
            item["action"] += " (detail: " + "; ".join(extra) + ")"
    return out


def _told_as_done(action: str) -> bool:
    """'Switched to pnpm 10', 'We've tightened ...', 'We tweaked ...', 'The runbook has been
    documented': an action reported as done. 'We need to ...', 'We've been exploring ...',
    'should have been communicated' are not."""
    words = [w.lower().strip(",.:;") for w in action.split()[:4] if not w.endswith("ly")]
    if not words or "should" in action.lower().split()[:12]:
        return False
    if words[0] in ("we've", "we’ve") or words[:2] == ["we", "have"]:
        verb = words[1] if words[0] != "we" else (words[2] if len(words) > 2 else "")
        return verb not in ("been", "begun", "to") and _past(verb)
    if words[0] == "we":
        return len(words) > 1 and _past(words[1])
    return _past(words[0]) or bool(_HAS_BEEN.search(action))


def _past(word: str) -> bool:
    return (word.endswith("ed") and word not in _NOT_PAST) or word in _PAST_VERBS


def _services(text: str, known: Iterable[str]) -> list[str]:
    """Known services the text names as words ('warehouse-sync' also as 'warehouse sync')."""
    out = []
    for service in sorted(set(known)):
        words = [re.escape(w) for w in re.split(r"[-_ ]+", service) if w]
        if words and re.search(r"(?<![\w-])" + r"[-_ ]".join(words) + r"(?![\w-])", text,
                               re.I):
            out.append(service)
    return out


# --- writing ---------------------------------------------------------------------------------
def import_files(sources: Iterable[str | os.PathLike[str]], out: str | os.PathLike[str],
                 settings: Settings | None = None, dry_run: bool = False, force: bool = False,
                 known_services: Iterable[str] | None = None, today: dt.date | None = None,
                 max_size: int = DEFAULT_MAX_SIZE) -> list[FileReport]:
    """Import every source; returns one report per file (in order), skipped files included
    with the reason (import_sources decides what is read). ``known_services``: the services
    the knowledge base uses (default: those of the lessons already in ``out``)."""
    settings = settings or Settings()
    today = today or dt.date.today()
    out_dir = Path(out)
    services = set(known_services) if known_services is not None else _services_in(out_dir)
    reports: list[FileReport] = []
    planned: dict[Path, str] = {}
    jobs: list[tuple[FileReport, Path, bytes, Converted, Path]] = []
    for item in read_sources(sources, max_size):
        report = FileReport(str(item.path))
        reports.append(report)
        if isinstance(item, Skipped):
            report.action = "failed" if item.failed else "skipped"
            report.error = item.reason
            continue
        path, rel, source_name, raw = item.path, item.rel, item.name, item.data
        try:
            text = raw.decode("utf-8-sig").replace("\r\n", "\n")
        except UnicodeDecodeError as exc:
            report.action = "failed"
            report.error = f"cannot read as UTF-8 text: {exc}"
            continue
        try:
            found = existing_front_matter(text, path.name)
        except ForeignFrontMatterError as exc:
            report.action, report.error = "failed", str(exc)
            continue
        if found is not None:
            if _is_lesson(found.meta):
                report.action = "skipped"
                report.error = "already a lesson (its front-matter has title, type and date)"
                continue
            text, raw = found.body, found.body.encode("utf-8")
        if not text.strip():
            report.action = "failed"
            report.error = "file is empty"
            continue
        modified = dt.date.fromtimestamp(item.modified)
        converted = convert(text, path.name, settings, modified, services)
        if found is not None:
            adopt_front_matter(converted, found, settings)
        report.inferred, report.missing = converted.inferred, converted.missing
        target = out_dir / rel.parent / f"{converted.meta['id']}.md"
        report.target = str(target)
        if target in planned:
            report.action = "failed"
            report.error = f"id {converted.meta['id']!r} is also produced by {planned[target]}"
            continue
        planned[target] = str(path)
        converted.meta["imported_from"] = {"source": source_name, "date": today.isoformat()}
        jobs.append((report, path, raw, converted, target))
    new_paths = {path.resolve(): target for _, path, _, _, target in jobs}
    by_name: dict[str, list[Path]] = {}
    for _, path, _, _, _ in jobs:
        by_name.setdefault(path.name, []).append(path.resolve())
    for report, path, raw, converted, target in jobs:
        body, rewritten = rewrite_links(raw, path, target, new_paths, by_name)
        if rewritten:
            report.inferred.append(f"rewrote {rewritten} link(s) to other imported files")
        _write(report, target, converted.meta, body, dry_run, force)
    return reports


def _write(report: FileReport, target: Path, meta: dict[str, Any], body: bytes, dry_run: bool,
           force: bool) -> None:
    existing = _existing_import(target)
    if existing and existing.get("source") == meta["imported_from"]["source"]:
        meta["imported_from"]["date"] = existing.get("date", meta["imported_from"]["date"])
    content = render(meta) + body
    if os.path.lexists(target):
        if read_regular(target, len(content)) == content:
            report.action = "unchanged"
            return
        if not force:
            report.action = "skipped"
            report.error = "target exists and differs; use --force to overwrite"
            return
    if dry_run:
        report.action = "would write"
        return
    try:
        write_file(target, content, replace=force)
        report.action = "written"
    except FileExistsError:
        report.action = "skipped"
        report.error = "target appeared while importing; not overwriting it (--force does)"
    except OSError as exc:
        report.action = "failed"
        report.error = f"cannot write: {exc.strerror or exc}"


def _front_matter(path: Path) -> dict[str, Any]:
    """The front-matter of a Markdown file, or {} (unreadable, none, not a mapping)."""
    try:
        text = (read_regular(path) or b"").decode("utf-8-sig")
    except UnicodeDecodeError:
        return {}
    if not text.startswith("---\n"):
        return {}
    end = text.find("\n---", 4)
    try:
        data = yaml.safe_load(text[4:end]) if end > 0 else None
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def _existing_import(target: Path) -> dict[str, Any] | None:
    if not target.is_file():
        return None
    value = _front_matter(target).get("imported_from")
    return value if isinstance(value, dict) else None


def _services_in(folder: Path) -> set[str]:
    """Services named by the lessons already in a folder (the knowledge base being added to)."""
    found: set[str] = set()
    if not folder.is_dir():
        return found
    for path in folder.rglob("*.md"):
        value = _front_matter(path).get("services")
        if isinstance(value, list):
            found.update(str(v) for v in value if isinstance(v, str) and v.strip())
    return found


_INLINE_TARGET = re.compile(rb"(\]\()(<[^>\n]*>|[^)\s]+)")
_REF_TARGET = re.compile(rb"^([ \t]{0,3}\[[^\]\n]+\]:[ \t]*)(<[^>\n]*>|\S+)", re.M)


def rewrite_links(raw: bytes, source: Path, target: Path, new_paths: dict[Path, Path],
                  by_name: dict[str, list[Path]]) -> tuple[bytes, int]:
    """Links from one imported file to another now point at the other's new path (relative
    to this one's); every other byte of the body is kept. A link to the other file's copy on a
    web page (e.g. its GitHub URL) counts when its file name names exactly one imported file."""
    count = 0

    def new_target(link: bytes) -> bytes | None:
        text = link.decode("utf-8", "replace").strip("<>")
        address, _, fragment = text.partition("#")
        name = unquote(address.rsplit("/", 1)[-1])
        if "://" in address:
            matches = by_name.get(name, [])
            other = matches[0] if len(matches) == 1 else None
        elif address and not address.startswith("/"):
            other = (source.parent / unquote(address)).resolve()
        else:
            return None
        if other is None or other not in new_paths or other == source.resolve():
            return None
        relative = Path(os.path.relpath(new_paths[other], target.parent)).as_posix()
        return (relative + (f"#{fragment}" if fragment else "")).encode()

    def swap(match: re.Match[bytes]) -> bytes:
        nonlocal count
        replacement = new_target(match.group(2))
        if replacement is None:
            return match.group(0)
        count += 1
        return match.group(1) + replacement

    body = _INLINE_TARGET.sub(swap, raw)
    body = _REF_TARGET.sub(swap, body)
    return body, count


def render(meta: dict[str, Any]) -> bytes:
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100)
    return f"---\n{front}---\n".encode()


# --- files that already have front-matter (Hugo, Jekyll, other static-site generators) ---------
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


def existing_front_matter(text: str, name: str) -> ForeignFrontMatter | None:
    """The front-matter a Markdown file already has — YAML (`---`, Jekyll, Hugo), TOML (`+++`,
    Hugo) or JSON (`{`) — found and split by python-frontmatter; None when there is none.

    YAML is read by Lessonbook's own parser, which holds it to the build's limits (aliases,
    depth, size); TOML and JSON cannot expand aliases. Raises ForeignFrontMatterError."""
    handler = frontmatter.detect_format(text, [h for _, h in _HANDLERS])
    if handler is None:
        return None
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


def _is_lesson(meta: dict[str, Any]) -> bool:
    return all(meta.get(key) not in (None, "") for key in ("title", "type", "date"))


_SUMMARY_KEYS = ("summary", "description", "excerpt")
_DATE_KEYS = ("date", "publishDate", "published")


def adopt_front_matter(converted: Converted, found: ForeignFrontMatter,
                       settings: Settings) -> None:
    """What the file's own front-matter says wins over what the text suggests: title, date,
    summary, tags and categories (a category outside the configured taxonomy becomes a tag),
    services, teams, and `draft: true`. Other keys are named in the report, not kept."""
    meta, given = converted.meta, found.meta
    used: list[str] = []
    if isinstance(given.get("title"), str) and given["title"].strip():
        meta["title"] = given["title"].strip()
        used.append("title")
    for key in _DATE_KEYS:
        day = _as_date(given.get(key))
        if day is not None:
            meta["date"] = day.isoformat()
            used.append(key)
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
    settled = {"title" if k == "title" else "date" if k in _DATE_KEYS else
               "summary" if k in _SUMMARY_KEYS else k for k in used}
    converted.inferred[:] = [x for x in converted.inferred if x.split()[0] not in settled]
    converted.missing[:] = [x for x in converted.missing if x.split(":")[0] not in settled]
    read = ", ".join(used) or "no field Lessonbook uses"
    converted.inferred.insert(0, f"{found.format} front-matter read: {read}")
    dropped = sorted(str(k) for k in given if k not in used)
    if dropped:
        converted.missing.append(f"front-matter keys not kept: {', '.join(dropped)}")


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
        except ValueError:
            return None
    return None
