"""A postmortem's title: the first heading that names the incident. Headings that name a part
of a template (Summary, Overview, Metadata, Issue summary), metadata written as a heading
('Owner: @x') and a template's placeholders (ISSUE NAME, [Incident title]) are passed over;
a 'Title: ...' line gives the title outright."""

from __future__ import annotations

import re

from .dates import MONTH
from .document import Section, plain, sections

_GENERIC = re.compile(
    r"^(?:(?:issue|incident|executive|event|problem)\s+)?(?:summary|overview|title|metadata|"
    r"description|details|background|introduction|abstract|report|post[- ]?mortem|"
    r"incident(?:\s+report)?|tl;?\s?dr|contents|table of contents|context|status|timeline|"
    r"impact|root causes?|lessons learned|action items|follow[- ]?ups?|data|appendix)$"
    r"|^(?:(?:blameless|public|internal|final|draft|full|detailed)\s+)?"
    r"(?:(?:post\s?incident|incident|outage|security\s+incident|production\s+incident|"
    r"service\s+(?:disruption|outage|interruption|incident)|post\s?mortem)\s+)?"
    r"(?:report|review|analysis|retrospective|retro|post\s?mortem|rca|root\s+cause\s+analysis|"
    r"write\s?up|document|doc)$", re.I)
"""What names a part of a template or the kind of document ('Post-incident review', 'Root
cause analysis', 'Blameless postmortem', 'Outage report'), not the incident (matched on the
heading without punctuation: 'Post-incident' reads 'Postincident')."""
_LABEL = re.compile(r"^([A-Za-z][A-Za-z ]{0,30}?)\s*:\s*(.*)$")
_TITLE_LABELS = frozenset({"title", "incident", "incident title", "name", "subject",
                           "incident name", "issue"})
_META_LABELS = frozenset({"owner", "owners", "author", "authors", "date", "status", "severity",
                          "reporter", "reported by", "created", "updated", "last updated",
                          "reviewers", "reviewed by", "participants", "lead", "people",
                          "incident commander", "team", "version", "priority"})
_LINE_LABELS = frozenset({"title", "incident title", "incident name"})
_PLACEHOLDER_WORDS = frozenset({"issue", "incident", "name", "title", "date", "service",
                                "summary", "short", "description", "here", "your", "the", "of",
                                "x", "yyyy", "mm", "dd", "team", "todo", "tbd", "insert"})
_DAY_WRITTEN = (rf"(?:{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
                rf"|\d{{1,2}}(?:st|nd|rd|th|\.)?\s+(?:of\s+)?{MONTH},?\s+\d{{4}}"
                r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/(?:\d{4}|\d{2}))")
_LEADING_DATE = re.compile(
    rf"^(?:(?:incident )?date\s*:\s*)?(?:the\s+)?{_DAY_WRITTEN}"
    r"(?:,?[ T]\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AaPp][Mm])?(?:\s+(?-i:[A-Z]{2,4}))?)?"
    r"\s*[,:;–—-]?\s+(?=\S)", re.I)
"""'2017-09-27, Hub 403', 'incident date: 2019-02-20, kubectl logs unavailable', 'January
23rd, 2019 Prow Outage', 'February 8th, 2019 - Prow responding slow', '9/27/2017: 504': a
full date in any spelling the dates are read in, leading the heading, is the lesson's
``date``; the title is what follows."""
_CLASSIFICATION = re.compile(
    r"^\s*[\[(](?:public|internal|confidential|restricted|external|sensitive|"
    r"(?:company|strictly)\s+confidential|internal\s+only|tlp\s*:\s*\w+)[\])]\s*[-:–—|]?\s*",
    re.I)
"""'[Public] ...', '(Internal) ...', '[TLP:CLEAR] ...': a document's classification marker
in front of its title, not part of it."""
_SHORT_DAY = re.compile(r"^\d{1,2}/\d{1,2}\s*[-:–—]?\s+(?=[A-Za-z])")
"""'4/26 Transaction delays' after a marker: a day without a year leading the title (the
text's own dates date the lesson)."""
_BRACKETED = re.compile(r"^[\[{<(].*[\]}>)]$")
_ASIDE = re.compile(r"\s*\([^()]*\)\s*$")
"""'Timeline (all times in PST/PDT)': a note in brackets after a template part's name."""
_DAY_ONLY = re.compile(rf"^(?:{_DAY_WRITTEN})(?:[ T,]+\d{{1,2}}:\d{{2}}(?::\d{{2}})?\s*"
                       r"(?:[AaPp][Mm])?(?:\s+(?-i:[A-Z]{2,4}))?)?\s*$", re.I)
"""'2023-08-25', 'Sep 27, 2017 13:06': a timeline's day heading, not a title."""


def is_generic_title(text: str) -> bool:
    """'Incident report', 'Postmortem', 'Post-incident review', '[Title]': a title that names
    only the kind of document, or a template's blank."""
    bare = re.sub(r"[^\w\s;]", "", _ASIDE.sub("", plain(text))).strip()
    return bool(_GENERIC.match(bare)) or is_placeholder(text)


def is_placeholder(text: str) -> bool:
    """A template's blank: '[Incident title]', '{{ title }}', '<name>', or all capitals made
    only of template words ('ISSUE NAME', 'INCIDENT TITLE - DATE')."""
    text = text.strip()
    if _BRACKETED.match(text):
        return True
    words = re.findall(r"[A-Za-z]+", text)
    return bool(words) and text == text.upper() and \
        all(w.lower() in _PLACEHOLDER_WORDS for w in words)


def _from_label(text: str) -> str | None:
    """'Title: Database outage' → 'Database outage'; '' for a metadata label ('Owner: @x');
    None for anything else ('Deploy: a bad config' is a heading like any other)."""
    match = _LABEL.match(plain(text).strip("* "))
    if not match:
        return None
    label, value = match.group(1).strip().lower(), match.group(2).strip(" *")
    if label in _TITLE_LABELS:
        return "" if is_placeholder(value) else value
    return "" if label in _META_LABELS else None


_FRONT = re.compile(r"\A(?:---|\+\+\+)[ \t]*\n.*?\n(?:---|\+\+\+|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def shared_headings(texts: list[str]) -> frozenset[str]:
    """The first heading that most files of one import share (three files or more, and at
    least 60 % of them): a site's or a wiki's own title ('# Acme engineering'), exported
    with every page, not the name of any one incident. A heading a few reports share (three
    outages with one symptom among twenty reports) is not one."""
    firsts: dict[str, int] = {}
    for text in texts:
        title, _, _ = sections(_FRONT.sub("", text, count=1))
        if title:
            firsts[plain(title).strip()] = firsts.get(plain(title).strip(), 0) + 1
    return frozenset(h for h, n in firsts.items() if n >= 3 and n >= 0.6 * len(texts))


def choose_title(found: list[Section], preamble: list[str],
                 shared: frozenset[str] = frozenset()) -> tuple[str | None, str, str]:
    """(title, where it came from, the text as written: a date in it dates the lesson), or
    (None, '', '') when nothing names the incident. ``shared``: headings most files of the
    import share (a site's title), never a title."""
    opening = preamble + (found[0].lines if found else [])
    for line in opening:
        match = _LABEL.match(plain(line).strip("-*+ "))
        if match and match.group(1).strip().lower() in _LINE_LABELS:
            value = match.group(2).strip(" *")
            if value and not is_placeholder(value):
                return value, "the 'Title:' line", value
    passed: list[int] = []  # levels of the template parts passed over above this heading
    for section in found:
        heading = plain(section.title).strip()
        while passed and passed[-1] >= section.level:
            passed.pop()
        if passed:  # 'What worked' under 'Lessons learned': a part of the template too
            continue
        if heading in shared:
            continue
        labelled = _from_label(heading)
        if labelled is not None:
            if labelled:
                return labelled, "a 'Title:' heading", labelled
            continue
        bare = re.sub(r"[^\w\s;]", "", _ASIDE.sub("", heading)).strip()
        if not heading or _GENERIC.match(bare) or is_placeholder(heading):
            if section.level > 1:  # under '# Postmortem' the title may still follow
                passed.append(section.level)
            continue
        if _DAY_ONLY.match(heading):
            continue
        unmarked = _CLASSIFICATION.sub("", heading)
        if unmarked != heading and unmarked:
            unmarked = _SHORT_DAY.sub("", unmarked) or unmarked
            heading = unmarked[:1].upper() + unmarked[1:]
            if _LEADING_DATE.sub("", heading) == heading:
                return heading, "the first heading (without its classification marker)", \
                    section.title
        rest = _LEADING_DATE.sub("", heading)
        if rest != heading and not _GENERIC.match(re.sub(r"[^\w\s;]", "", rest).strip()):
            return (rest[:1].upper() + rest[1:],
                    "the first heading (its leading date is the date)", heading)
        return heading, "the first heading", heading
    return _bold_line(opening)


_NOTICE = re.compile(r"^(?:note|warning|update[ds]?|important|disclaimer|edit(?:ed)?|caution|"
                     r"info|heads up|attention|draft|work in progress|wip)\b", re.I)
"""'**Update 2 March**', '**Note** ...', '**Draft - do not share**': a notice in bold, not a
title."""
_BOLD_LINE = re.compile(r"^(\*\*|__)([^*_:\n]+?)\1\s*$")


def _bold_line(opening: list[str]) -> tuple[str | None, str, str]:
    """'**Queue stall on the orders service**' as the first line of a file without a heading
    that names the incident: a title set in bold rather than as a heading. Only the first line
    of text, short, not a label ('**Status:** ...'), a template's part or a placeholder."""
    first = next((line.strip() for line in opening if line.strip()), "")
    match = _BOLD_LINE.match(first)
    if not match:
        return None, "", ""
    text = plain(match.group(2)).strip()
    bare = re.sub(r"[^\w\s;]", "", _ASIDE.sub("", text)).strip()
    if not 2 <= len(text.split()) <= 15 or _GENERIC.match(bare) or is_placeholder(text) or \
            _DAY_ONLY.match(text) or _NOTICE.match(text):
        return None, "", ""
    return text, "the bold first line", text
