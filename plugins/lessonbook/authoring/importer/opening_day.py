"""The incident's day told in a blog post's opening, against the day the post was published:
a post is written up days or weeks after what it tells ('During the afternoon of May 6th ...'
published on the 28th; 'So Tuesday morning ...' published on Thursday)."""

from __future__ import annotations

import datetime as dt
import re

from .dates import dates_in, told
from .document import Section, first_paragraph, plain

PUBLISHED_WITHIN = 31
"""Days a page's date may trail the day its text tells and still be read as the day the page
was written up rather than the day of the incident."""
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(r"\b(?:on|last|this|so|early|late)?\s*(" + "|".join(_WEEKDAYS) +
                      r")(?:\s+(?:morning|afternoon|evening|night))?\b(?!\s*,?\s*"
                      r"(?:\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))", re.I)
_WEEKDAY_WITHIN = 400
"""Characters of the opening a weekday is looked for in: where the story starts."""
_DATELINE_WORDS = re.compile(
    r"\b(?:update[ds]?|posted|published|written|edited|original(?:ly)?|post|as of|on|at|"
    r"utc|gmt|[ap]\.?m\.?|[a-z]{3,9}day|\d+(?:st|nd|rd|th)?)\b", re.I)


def is_dateline(line: str) -> bool:
    """'**July 13, 2022**', 'Update (2015-06-30 ~12.00 UTC):', 'Posted on March 4, 2021': a
    line that dates the post itself, never the incident's day."""
    flat = plain(line).strip()
    if not flat or not dates_in(flat, "2000"):
        return False
    rest = re.sub(r"\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}", " ", flat)
    rest = _DATELINE_WORDS.sub(" ", rest)
    rest = re.sub(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?", " ",
                  rest, flags=re.I)
    return not re.search(r"[A-Za-z]", rest)


def opening_lines(preamble: list[str], found: list[Section]) -> list[str]:
    """The post's opening: the lines before its first heading, without datelines; when those
    hold no paragraph of prose ('### A security incident' opens the post), the first
    section's lines."""
    lines = [line for line in preamble if not is_dateline(line)]
    if not first_paragraph(lines) and found:
        lines = [line for line in found[0].lines if not is_dateline(line)]
    return lines


def day_told_before(lines: list[str], published: dt.date) -> tuple[dt.date, str] | None:
    """A day the lines tell up to a month before ``published`` (a day without a year takes
    the publication's; never a day after it), else the last weekday of that name before it
    when the opening names only a weekday ('So Tuesday morning we got a report'); with how
    it was read."""
    text = told("\n".join(lines))
    dated = dates_in(text, str(published.year))
    for day, _explicit in dated:
        if 0 <= (published - day).days <= PUBLISHED_WITHIN:
            return day, "the opening"
    if dated:
        return None
    match = _WEEKDAY.search(" ".join(text.split())[:_WEEKDAY_WITHIN])
    if not match:
        return None
    back = (published.weekday() - _WEEKDAYS.index(match.group(1).lower())) % 7
    day = published - dt.timedelta(days=back)
    return day, (f"the opening's {match.group(1).strip()!r}, the last one on or before the "
                 "page's date (the text names no day)")
