"""The day an incident began, read from the title, the timeline, a 'Date:' line, the
summary or the opening, and last the file name."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from .document import Section, code_lines, find_section, plain

_ISO_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d])")
_US_DATE = re.compile(r"(?<![\d/.-])(\d{1,2})([/-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/-])")
"""4/21/23, 04-21-2023, 9/27/2017: month first, as written in the US (a day first reading is
never tried: 04-05-2023 is April 5th)."""
_DOTTED_DATE = re.compile(r"(?<![\w.])(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2})(?![\d.]\d|\w|-\w)")
"""17.11.2021, 4.3.2021: day first, as written across Europe (never read as month first)."""
_YEAR_FIRST = re.compile(r"(?<![\w./-])((?:19|20)\d{2})(?:/(\d{1,2})/(\d{1,2})|\.(\d{2})\.(\d{2}))"
                         r"(?![\d./-]?\d|\w)")
"""2021/03/04 and 2021.03.04 (two digits each: 'v2023.10.1', a version, is not a day)."""
_VERSION_BEFORE = re.compile(r"\b(?:v|version|release|tag|build)\s*$", re.I)
_MONTHS = {m: i for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"), start=1)}
_ABBREVIATIONS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
                  "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}
_MONTH = "(" + "|".join([*_MONTHS, *(rf"{a}\.?" for a in _ABBREVIATIONS)]) + r")"
MONTH = "(?:" + _MONTH[1:]
"""A month's name or abbreviation, not captured (titles.py reads a leading date with it)."""
_WRITTEN_DATE = re.compile(
    rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:,?\s+(\d{{4}}))?\b"
    rf"|\b(\d{{1,2}})(?:st|nd|rd|th|\.)?\s+(?:of\s+)?{_MONTH}(?:,?\s+(\d{{4}}))?\b", re.I)
_TIMELINE = r"\b(timeline|chronology|sequence of events)\b"
_TYPO_DATE = re.compile(r"(?<![\d-])(\d{5})-(\d{2})-(\d{2})(?!\d)")
_PRECURSOR = re.compile(r"\b(released|published|committed|merged|creates?|created|applied|"
                        r"went live|rolled out|introduced|scal(?:ed|ing) up|proactively|"
                        r"pushed|opened|reduced|increased|changed|upgraded|established|"
                        r"set[- ]up|configured|installed|integrated|connected)\b", re.I)
_IMPACT = re.compile(r"\b(break|broke|breaking|fail|failed|failing|fails|down|error|errors|"
                     r"outage|crash\w*|unable|not|no|stops?|stopped|alert\w*|report\w*|"
                     r"detect\w*|incident|unhealthy|notready|timeouts?|impact\w*|malware|malicious|"
                     r"compromis\w*|leak\w*|exploit\w*|attack\w*|exfiltrat\w*|stolen)\b", re.I)
_ASIDE = re.compile(r"\bunrelated to (?:this|the) (?:report|incident|outage|issue)\b|"
                    r"\b(?:included|given|told|mentioned) (?:here )?for context\b|"
                    r"\bfor context(?: purposes)?\b", re.I)
"""A row that says it is not part of the incident ('images removed for reasons unrelated to
this report', 'the above information is included for context purposes'): background, skipped
like a precursor whatever words it holds."""
_NOTHING_HAPPENED = re.compile(r"\bno\b[^.;\n]{0,80}?\b(?:has|had|have)\s+(?:ever\s+)?"
                               r"(?:occurred|happened|taken place)\b", re.I)
"""'no access to the bank has occurred on the phone': says nothing happened, so its 'no' is
not an impact word."""
_DATE_LINE = re.compile(r"^\W*date\W*:", re.I)


def lesson_date(stem: str, title: str, found: list[Section], preamble: list[str],
                id_year: str | None, published: dt.date | None = None
                ) -> tuple[dt.date | None, str]:
    """The day the impact began, or None: a date is never guessed. A full date in the title
    comes first (file names are often the day of publication) unless a timeline contradicts
    it (no row on that day: a title copied from another report); then the timeline, skipping
    precursor rows (a release or change days before anything broke); then a 'Date:' line,
    the summary or the opening; then the file name. ``published``: the page's own date (a
    static site's front-matter), which gives rows written without a year theirs."""
    marked = _marked_start(found, preamble)
    if marked:
        return marked, "the timeline's start-of-outage mark"
    name_day = name_date(stem)
    titled = [day for day, explicit in dates_in(title, None) if explicit] or \
        compact_dates(title)
    timeline = find_section(found, _TIMELINE)
    reference = published or name_day
    days = _timeline_days(_timeline_lines(found, timeline), id_year, reference) \
        if timeline else []
    if titled and (not days or titled[0] in {day for day, _, _ in days}):
        return titled[0], "the title"
    if days:
        day, how = _timeline_start(days, id_year)
        if titled:
            how += f" (the title's {titled[0].isoformat()} is on no timeline row)"
        return day, how
    year = id_year or (str(name_day.year) if name_day else None) or \
        (str(published.year) if published else None) or _year_in(title)
    summary = find_section(found, r"\bsummary\b")
    date_lines = [line for line in preamble if _DATE_LINE.match(plain(line))]
    for label, lines in (("the Date line", date_lines),
                         ("the summary", summary.lines if summary else []),
                         ("the opening", preamble)):
        dates = dates_in(told("\n".join(lines)), year)
        if dates:
            day, explicit = dates[0]
            return day, label + ("" if explicit else " (year from the file name or identifier)")
    if name_day:
        return name_day, "the file name"
    return None, ""


_NAME_DATE = re.compile(r"(?<![\d])((?:19|20)\d{2})([-_.]?)(\d{2})\2(\d{2})(?!\d)")


def name_date(stem: str) -> dt.date | None:
    """The day in a file name: '2021-03-04-queue', '2021_03_04_queue', '20210304-queue'."""
    for match in _NAME_DATE.finditer(stem):
        if day := _valid(match.group(1), match.group(3), match.group(4)):
            return day
    return None


_URL = re.compile(r"<?\b(?:https?|ftp)://[^\s>)]+>?|\bwww\.\S+")


def told(text: str) -> str:
    """The text as a reader reads it: a link's words without its target, no bare address. A
    date in a link to another report ('similar to [an earlier incident](2017-02-24-proxy.md)')
    or in a URL names that page, not a day of this incident."""
    text = re.sub(r"(!?)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\([^)\n]*\)", r"\2", text)
    return _URL.sub("", text)


def _year_in(text: str) -> str | None:
    match = re.search(r"(?<!\d)(19|20)\d{2}(?!\d)", text)
    return match.group() if match else None


def dates_in(text: str, year: str | None) -> list[tuple[dt.date, bool]]:
    """Every date in a text, in order: ISO (2017-09-18), US numeric (9/18/17, 09-18-2017),
    European (18.09.2017), year first with slashes or dots (2017/09/18, 2017.09.18) and
    written ('Sept. 18th, 2017', '18 September 2017', '21st of June', '17. November');
    (date, whether the year was written). A date without a year takes ``year``."""
    found: list[tuple[int, dt.date, bool]] = []
    for m in _ISO_DATE.finditer(text):
        if day := _valid(*m.groups()):
            found.append((m.start(), day, True))
    for m in _US_DATE.finditer(text):
        digits = m.group(4)
        full = digits if len(digits) == 4 else f"20{digits}"
        if day := _valid(full, m.group(1), m.group(3)):
            found.append((m.start(), day, True))
    for m in _DOTTED_DATE.finditer(text):
        if _VERSION_BEFORE.search(text, 0, m.start()):
            continue  # 'release 1.2.2021': a version
        if day := _valid(m.group(3), m.group(2), m.group(1)):
            found.append((m.start(), day, True))
    for m in _YEAR_FIRST.finditer(text):
        if _VERSION_BEFORE.search(text, 0, m.start()):
            continue
        if day := _valid(m.group(1), m.group(2) or m.group(4), m.group(3) or m.group(5)):
            found.append((m.start(), day, True))
    for m in _WRITTEN_DATE.finditer(text):
        month = (m.group(1) or m.group(5)).lower().rstrip(".")
        day_s = m.group(2) or m.group(4)
        written = m.group(3) or m.group(6)
        if not written:
            after = re.match(r"(?:\s*[-–]\s*\d{1,2})?,?\s+((?:19|20)\d{2})\b", text[m.end():])
            written = after.group(1) if after else None
        chosen = written or year
        number = _MONTHS.get(month) or _ABBREVIATIONS[month]
        if chosen and (day := _valid(chosen, number, day_s)):
            found.append((m.start(), day, bool(written)))
    return [(day, explicit) for _, day, explicit in sorted(found, key=lambda f: f[0])]


_COMPACT = re.compile(r"(?<![\w#./:-])(\d{7,8})(?![\w./:-])")


def compact_dates(title: str) -> list[dt.date]:
    """Dates a title writes as digits run together ("incident report for 8282009",
    "... for 04092010", "outage 20210304"): year first when the digits start with one, else
    month, day, year (7 digits: a one-digit month). Only in a title, where a bare number of
    this length names the day; in the text such numbers are build ids and counts."""
    found = []
    for match in _COMPACT.finditer(title):
        digits = match.group(1)
        tries = [(digits[:4], digits[4:6], digits[6:])] if len(digits) == 8 else []
        tries.append((digits[-4:], digits[:-6], digits[-6:-4]))
        for year, month, day in tries:
            if 1990 <= int(year) <= 2099 and (valid := _valid(year, month, day)):
                found.append(valid)
                break
    return found


def _timeline_lines(found: list[Section], timeline: Section) -> list[str]:
    """A timeline's lines with its subsections, their headings included ('### 2022-06-02
    10:00 - Problem starts' is a row)."""
    start = found.index(timeline)
    lines = list(timeline.lines)
    for sub in found[start + 1:]:
        if sub.level <= timeline.level:
            break
        lines += [sub.title, *sub.lines]
    # a log line quoted in a code block is not a row
    return [line for line, code in zip(lines, code_lines(lines), strict=True) if not code]


_Row = tuple[dt.date, str, str | None]
_ROW_LEAD = re.compile(r"^[\s>|]*(?:[-*+•][ \t]+|\d+[.)][ \t]+)?[\s*_#\[(|]*"
                       r"(?:(?:date|on|from)\b[\s:*_]*)?"
                       r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?", re.I)
"""What may stand before a row's date: list marks, emphasis, heading marks, a table's pipe,
'Date:', 'On', a weekday. A row starts with its date; a date later in a line is not a row."""


def _timeline_days(lines: list[str], id_year: str | None,
                   reference: dt.date | None = None) -> list[_Row]:
    """(day, what the row tells, a mistyped year) for each row that starts with a date. What
    a row tells runs on to the next dated row ('### 2023-07-19' and the bullets under it), so
    a day whose events only prepare the incident can be told from one where it broke. A row
    without a year ('### March 18, 16:30', 'On September 5th') takes the year of
    ``reference`` (the page's date or the file name's) when that puts it on or before it."""
    rows: list[_Row] = []
    for line in map(told, lines):
        row = _row(line, id_year, reference)
        if row:
            rows.append(row)
        elif rows and line.strip():
            day, told_so_far, typo = rows[-1]
            rows[-1] = (day, f"{told_so_far}\n{line}", typo)
    return rows


def _row(line: str, id_year: str | None, reference: dt.date | None) -> _Row | None:
    lead = _ROW_LEAD.match(line)
    at = lead.end() if lead else 0
    if not (_ISO_DATE.match(line, at) or _US_DATE.match(line, at) or
            _WRITTEN_DATE.match(line, at) or _TYPO_DATE.match(line, at) or
            _DOTTED_DATE.match(line, at) or _YEAR_FIRST.match(line, at)):
        return None  # 'Unless otherwise noted all events happened on 2019-10-21': no row
    match = _ISO_DATE.search(line) or _US_DATE.search(line)
    typo = None
    day = None
    if match and match.re is _ISO_DATE:
        day = _valid(*match.groups())
    elif match:
        digits = match.group(4)
        day = _valid(digits if len(digits) == 4 else f"20{digits}", match.group(1),
                     match.group(3))
    if day is None and not match and (numeric := _DOTTED_DATE.match(line, at) or
                                      _YEAR_FIRST.match(line, at)):
        dated = dates_in(numeric.group(), None)
        day, match = (dated[0][0], numeric) if dated else (None, None)
    if day is None and not match and (written := _WRITTEN_DATE.search(line)):
        dated = dates_in(line, str(reference.year) if reference else None)
        if dated and (dated[0][1] or (reference and dated[0][0] <= reference)):
            day, match = dated[0][0], written  # 'Sep 27 2017 13:06', or 'On September 5th'
    if day is None and (bad := _TYPO_DATE.search(line)):
        year = _fix_year(bad.group(1), id_year)
        day = _valid(year, bad.group(2), bad.group(3)) if year else None
        match, typo = bad, bad.group(1)
    return (day, line[match.end():], typo) if day and match else None


def _timeline_start(rows: list[_Row], id_year: str | None) -> tuple[dt.date, str]:
    if id_year:
        rows = [r for r in rows if str(r[0].year) == id_year] or rows
    first = 0
    while first + 1 < len(rows) and rows[first][0] <= rows[first + 1][0] and \
            _only_prepares(rows[first][1]):
        first += 1
    day, _event, typo = rows[first]
    how = "the timeline"
    if first:
        how += f" (skipped {first} earlier row(s) that only prepare the incident)"
    if typo:
        how += f" (year {typo!r} read as {day.year}: check it)"
    return day, how


_START_MARK = re.compile(r"(?-i:START\s+OF\s+(?:THE\s+)?(?:OUTAGE|INCIDENT|IMPACT))\b")
"""'**<START OF OUTAGE>**' (Google's template): the writers' own mark of where impact began."""


def _marked_start(found: list[Section], preamble: list[str]) -> dt.date | None:
    """The day of the row marked '<START OF OUTAGE>': the date on that row or the day heading
    above it, or, for a mark on a line of its own, the next dated line. It beats the title
    ('Build breakage on 2016-11-08' began on the 7th) and earlier rows about other trouble."""
    lines = list(preamble)
    for section in found:
        lines += [f"{'#' * section.level} {section.title}", *section.lines]
    lines = [told(line) for line, code in zip(lines, code_lines(lines), strict=True)
             if not code]
    text = "\n".join(lines)
    mark = _START_MARK.search(text)
    if not mark:
        return None
    at = text.count("\n", 0, mark.start())
    before = re.sub(r"[\W_]|\b(?:lt|gt|br)\b", "", text[text.rfind("\n", 0, mark.start()) + 1:
                                                      mark.start()])
    order = range(at, len(lines)) if not before else range(at, -1, -1)
    for index in order:
        part = lines[index][:mark.start() - text.rfind("\n", 0, mark.start()) - 1] \
            if index == at else lines[index]
        dated = [day for day, explicit in dates_in(part, None) if explicit]
        if dated:
            return dated[0] if not before else dated[-1]
    return None


def _only_prepares(told: str) -> bool:
    """A row that only prepares the incident (a release, a set-up, a change) and says nothing
    broke, or one that says it is an aside (unrelated to the report, included for context)."""
    if _ASIDE.search(told):
        return True
    told = _NOTHING_HAPPENED.sub(" ", told)
    return bool(_PRECURSOR.search(told)) and not _IMPACT.search(told)


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
