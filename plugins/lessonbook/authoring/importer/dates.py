"""The day an incident began, read from the title, the timeline, a 'Date:' line, the
summary or the opening, and last the file name."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from .document import Section, find_section, plain

_ISO_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d])")
_MONTHS = {m: i for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"), start=1)}
_MONTH = "(" + "|".join(_MONTHS) + r")"
_WRITTEN_DATE = re.compile(
    rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:,?\s+(\d{{4}}))?\b"
    rf"|\b(\d{{1,2}})(?:st|nd|rd|th|\.)?\s+(?:of\s+)?{_MONTH}(?:,?\s+(\d{{4}}))?\b", re.I)
_TIMELINE = r"\b(timeline|chronology|sequence of events)\b"
_TYPO_DATE = re.compile(r"(?<![\d-])(\d{5})-(\d{2})-(\d{2})(?!\d)")
_PRECURSOR = re.compile(r"\b(released|published|committed|merged|created|applied|went live|"
                        r"rolled out|introduced|scal(?:ed|ing) up|proactively)\b", re.I)
_IMPACT = re.compile(r"\b(break|broke|breaking|fail|failed|failing|fails|down|error|errors|"
                     r"outage|crash\w*|unable|not|no|stops?|stopped|alert\w*|report\w*|"
                     r"detect\w*|incident|unhealthy|notready|timeouts?|impact\w*)\b", re.I)
_DATE_LINE = re.compile(r"^\W*date\W*:", re.I)


def lesson_date(stem: str, title: str, found: list[Section], preamble: list[str],
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
    timeline = find_section(found, _TIMELINE)
    if timeline:
        day, how = _timeline_start(timeline.lines, id_year)
        if day:
            return day, how
    year = id_year or (str(name_day.year) if name_day else None) or _year_in(title)
    summary = find_section(found, r"\bsummary\b")
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
