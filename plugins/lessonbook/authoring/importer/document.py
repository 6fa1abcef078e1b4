"""Reading one postmortem's Markdown: its headings and sections, plain text for one-line
fields, and which lines label rather than tell (never a summary)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_HTML_HEADING = re.compile(r"^ {0,3}<h([1-6])(?:\s[^>]*)?>(.*?)</h\1>\s*$", re.I)
"""'<h1>Queue stall</h1>' on a line of its own: a heading written in HTML, as exported pages
and some static-site posts keep them."""
_ITEM = re.compile(r"^( {0,3})(?:[-*+]|\d+[.)])[ \t]+(?:\[( |x|X)\][ \t]+)?(.*)$")


@dataclass
class Section:
    title: str
    level: int
    lines: list[str]



_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})(.*)$")


def code_lines(lines: list[str]) -> list[bool]:
    """For each line, whether it is fenced code (its fence lines included), read as CommonMark
    reads fences: a backtick fence's info string holds no backtick ('```ERROR: ...```' on one
    line is inline code, not a fence), and a fence closes only on a line of its own character,
    at least as long, with nothing after it ('```bash' inside a block is text of the block);
    an unclosed fence runs to the end. Indentation is not limited (fences in list items)."""
    out: list[bool] = []
    fence: str | None = None
    for line in lines:
        match = _FENCE.match(line)
        if fence is not None:
            out.append(True)
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence) \
                    and not match.group(2).strip():
                fence = None
        elif match and not (match.group(1)[0] == "`" and "`" in match.group(2)):
            fence = match.group(1)
            out.append(True)
        else:
            out.append(False)
    return out


def sections(text: str) -> tuple[str | None, list[str], list[Section]]:
    """(first heading, lines before it, sections) with ATX, setext and HTML (``<h2>...</h2>``
    on a line of its own) headings; fenced code is never read as headings."""
    lines = text.split("\n")
    code = code_lines(lines)
    title: str | None = None
    preamble: list[str] = []
    out: list[Section] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        heading: tuple[int, str] | None = None
        if not code[index]:
            atx = _ATX.match(line)
            nxt = lines[index + 1] if index + 1 < len(lines) else ""
            html = _HTML_HEADING.match(line)
            if atx:
                heading = (len(atx.group(1)), atx.group(2).strip())
            elif html and html.group(2).strip():
                heading = (int(html.group(1)), html.group(2).strip())
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


def find_section(found: list[Section], pattern: str) -> Section | None:
    regex = re.compile(pattern, re.I)
    return next((s for s in found if regex.search(s.title)), None)



def plain(text: str) -> str:
    """Markdown inline syntax → plain text for a one-line field."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>\n]+>", "", text)
    text = re.sub(r"(\*\*|__|`|~~)", "", text)
    text = re.sub(r"(?<!\w)[*_](\S[^*_]*?)[*_](?!\w)", r"\1", text)
    return " ".join(text.split())


_META_LINE = re.compile(r"^\**[A-Za-z][\w /()&.-]{0,40}?\**\s*:\s*\**\s*(.*)$")
_URL_ONLY = re.compile(r"^<?(?:https?://|www\.)\S+>?$")
_VERSIONS = re.compile(r"^[vV]?[\d.x*]+(?:\s*(?:,|and|or|-)\s*[vV]?[\d.x*]+)*\.?$")


_META_WORDS = (r"(?:incident\s+)?(?:date|time|start(?:ed)?|end(?:ed)?|severity|sev|priority|"
               r"status|duration|owners?|authors?|participants|(?:incident\s+)?commander|"
               r"incident\s+id|id|ticket|reporter|reported\s+by|reviewers?|reviewed\s+by|"
               r"team|on-?call|lead|editors?|last\s+updated|document\s+status|"
               r"affected\s+services?|detected|resolved|tags|category|level)")
_META_LABEL_START = re.compile(
    r"^(?:owners?|authors?|participants|reviewers?|reviewed by|editors?|attendees|"
    r"people involved|(?:incident )?commander|document status|last updated|status)\s*:", re.I)
"""'Authors: ...', 'Participants: @a, @b, ...', 'Status: Complete, reviewed by ...': who wrote
or took part, and how the document stands — metadata however long the line."""
_META_LABELS_IN = re.compile(rf"(?:^|[\s|·•;,])(?i:{_META_WORDS})\s*:", re.I)
_ANY_LABEL_IN = re.compile(r"(?:^|[|·•;]\s*|\s)([A-Z][A-Za-z]+(?:\s[A-Za-z]+){0,2})\s*:\s")
_STORY_LABEL = re.compile(r"^(?:(?:root\s+)?causes?|impact|resolution|fix|summary|description|"
                          r"what happened|detection|trigger|mitigation|symptoms?|problem|"
                          r"issue|lesson|outcome|result)$", re.I)
"""Labels that tell the story ('Impact: ... Cause: ... Fix: ...'): a paragraph of them is a
summary in brief, not a block of fields."""
"""'Date: 2021-03-04 | Severity: SEV2 | Duration: 2h': two metadata labels, or three labels
of any kind, in one paragraph make a block of fields, not a story."""


def is_meta_line(text: str) -> bool:
    """A line that labels rather than tells: 'Internal post-mortem: <url>', '**Date:** ...',
    'Traefik versions confirmed affected: 1.7', or a bare link. Never a summary."""
    text = text.strip()
    flat = plain(text)
    if _URL_ONLY.match(flat) or (("://" in text or "www." in text) and len(flat.split()) <= 6):
        return True
    if _META_LABEL_START.match(flat) or len(_META_LABELS_IN.findall(flat)) >= 2 or \
            sum(not _STORY_LABEL.match(x) for x in _ANY_LABEL_IN.findall(flat)) >= 3:
        return True
    meta = _META_LINE.match(text)
    if not meta:
        return False
    value = plain(meta.group(1)).strip()
    return (len(flat.split()) <= 8 or bool(_VERSIONS.match(value))
            or bool(_URL_ONLY.match(value)))


_BYLINE = re.compile(r"^(?:(?:posted|written|published|authored|reported|submitted)\s+"
                     r"(?:by|on|in)\b|by\s+(?:@\w|(?-i:[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+)+))|"
                     r"(?:last\s+)?(?:updated|edited|"
                     r"modified|revised|reviewed)\b|originally\s+(?:posted|published)\b|"
                     r"(?:estimated\s+)?reading time\b|\d+\s*min(?:ute)?s?\s+read\b|"
                     r"(?:table of )?contents$)", re.I)
_ABOUT_THE_PAGE = re.compile(
    r"^(?:note:?\s*)?all (?:times|timestamps|dates)\b|"
    r"^this (?:post|page|article|document|report|write-?up|post-?mortem)\s+(?:is|was|has "
    r"been)\s+(?:also\s+)?(?:available|translated|cross-?posted|mirrored|a (?:copy|"
    r"mirror|draft|translation)|originally)\b|"
    r"^this (?:is|was) (?:a|an|our) (?:blameless|public|internal)\b|"
    r"^this (?:post|page|document|report|post-?mortem) (?:follows|uses|is based on)\b[^.]*"
    r"\btemplate\b|\bblameless (?:post-?mortem|culture|format|process)\b[^.]*\.?$", re.I)
"""'All times are in UTC', 'This post is also available in Spanish', 'This is a blameless
postmortem', 'This document follows our postmortem template': a sentence about the page, not
the incident."""


def is_boilerplate(text: str) -> bool:
    """A paragraph that frames the page rather than tells the incident: a byline ('Posted by
    ...', 'By Jane Doe'), a 'last updated' or reading-time note, 'Table of contents', a note
    on time zones or translations, or a statement that the report is blameless. Short only
    (at most 25 words): a real opening that happens to start 'By 10:00 the queue ...' is
    longer or is told differently."""
    flat = plain(text).strip(" _*")
    if not flat or len(flat.split()) > 25:
        return False
    sentences = [x for x in re.split(r"(?<=[.!?])\s+", flat) if x]
    return bool(_BYLINE.match(flat)) and len(flat.split()) <= 15 or \
        all(_ABOUT_THE_PAGE.search(x.strip(" _*")) for x in sentences)


_SKIPPED_LINE = re.compile(r"^(?:\[\[?_?toc_?\]?\]|\{[%{][^\n]*[%}]\}|<!--.*-->|<br\s*/?>)$",
                           re.I)
"""'[TOC]', '[[_TOC_]]', '{% include toc.html %}', '{{< figure ... >}}', '<!-- more -->': a
generator's markup, never prose."""


def first_paragraph(lines: list[str]) -> str:
    """The first paragraph of prose: not a table, image, quote, heading, list, meta line,
    admonition ('!!! note', ':::info'), comment, generator markup or boilerplate."""
    para: list[str] = []
    skipping: str | None = None  # the end of a block being passed over: '-->', ':::', indent
    for line in lines:
        stripped = line.strip()
        if skipping == "indent":
            if not stripped or line.startswith((" ", "\t")):
                continue
            skipping = None
        elif skipping:
            if stripped.endswith(skipping) or (skipping == ":::" and stripped == ":::"):
                skipping = None
            continue
        if stripped.startswith("<!--") and "-->" not in stripped:
            skipping = "-->"
        elif stripped.startswith(":::") and stripped != ":::":
            skipping = ":::"
        elif stripped.startswith(("!!!", "???")):
            skipping = "indent"
        if not stripped or skipping or _SKIPPED_LINE.match(stripped):
            if para:
                if not _framing(para):
                    break
                para = []
            continue
        if stripped.startswith(("|", "```", "<img", "!", ">")) or _ATX.match(line) or \
                _ITEM.match(line):
            if para and not _framing(para):
                break
            para = []
            continue
        para.append(stripped)
    if para and _framing(para):
        return ""
    return plain(" ".join(_without_fields(para)))


def _framing(para: list[str]) -> bool:
    """Whether a paragraph frames the page rather than tells the incident: metadata,
    boilerplate, a heading written as a line of plain text ('Overview', 'What Happened',
    'OWNER OF REVIEW PROCESS': exported documents lose their heading marks), a title with
    its fields under it ('Hub login failing with 500 errors' then 'Status: Draft'), or an
    aside of one or two words ('Remain calm.')."""
    text = " ".join(para)
    if is_meta_line(text) or is_boilerplate(text) or _GREETING.match(plain(text)) or \
            _EDITORS_NOTE.match(text) or _BOLD_LABEL.fullmatch(text.strip()):
        return True
    story = _without_fields(para)
    flat = plain(" ".join(story))
    if len(story) == 1 and re.fullmatch(r"[A-Za-z'’]+(?: [A-Za-z'’]+)?[.!]", flat):
        return True  # 'Remain calm.', 'Sorry!': an aside before the story, not its summary
    if len(story) != 1 or re.search(r"[.!?:;,]$", flat):
        return False
    words = flat.split()
    heading = (len(words) <= 3 and all(w[:1].isupper() or not w[:1].isalpha() for w in words)
               ) or (flat.isupper() and len(words) <= 8)
    return heading or (len(story) < len(para) and len(words) <= 12)


_GREETING = re.compile(r"^\W*(?:hi|hello|hey|dear|greetings|good (?:morning|afternoon|evening))"
                       r"\b[\w ,@.'-]{0,40}[,:!]?\W*$", re.I)
"""'HI All,', 'Hello everyone!', 'Dear committers,': a greeting, not the story."""


_EDITORS_NOTE = re.compile(r"^\W{0,3}(?:\*\*|__)(?:note|update[ds]?|edit(?:ed)?|correction|"
                           r"addendum|p\.?s\.?)(?![A-Za-z])[^*_]{0,60}(?:\*\*|__)", re.I)
"""'**Note** March 12, 2026: the issue below is resolved ...', '**Update (2015-06-30):**': an
editor's note put above the story later, never its summary."""
_BOLD_LABEL = re.compile(r"(\*\*|__)[^*_\n]{1,80}:\s*\1|(\*\*|__)[^*_\n]{1,80}\2\s*:")
"""'**What happened:**' alone: a label above the text, not the text."""


def _without_fields(para: list[str]) -> list[str]:
    """A paragraph without the field lines ('Status: Draft') that close it."""
    story = list(para)
    while len(story) > 1 and _FIELD.match(story[-1]) and is_meta_line(story[-1]):
        story.pop()
    return story


_FIELD = re.compile(r"^(?:\*\*|__)?[A-Z][A-Za-z]*(?:[ /-][A-Za-z]+){0,2}(?:\*\*|__)?\s*:"
                    r"(?:\*\*|__)?\s*\S")
"""A field line: a capitalised label of up to three words, a colon, a value ('Status:
Draft'); never the end of a sentence broken over lines ('decided that:')."""


def first_item(lines: list[str]) -> str:
    """The first top-level list item that tells something (four words or more, not a meta
    line): a Summary written as a list."""
    for line in lines:
        match = _ITEM.match(line)
        if match:
            text = plain(match.group(3))
            if len(text.split()) >= 4 and not is_meta_line(text):
                return text
    return ""


_LABELLED = re.compile(r"^([ \t]*)(?:[-*+][ \t]+)?(?:\*\*|__)([A-Za-z][A-Za-z ]{2,30}?)[ \t]*:?"
                       r"[ \t]*(?:\*\*|__)[ \t]*:?[ \t]*(.*)$")
SUMMARY_LABELS = ("summary", "overview", "description", "what happened", "impact",
                  "identified")
"""Labels whose text tells what happened, in the order they are preferred."""


def labelled_text(lines: list[str]) -> tuple[str, str]:
    """(label, text) of the first '**Summary**: ...' / '- **Impact**:' line (with its nested
    items when the line itself has none) among ``SUMMARY_LABELS``; ('', '') when none."""
    found: dict[str, str] = {}
    for index, line in enumerate(lines):
        match = _LABELLED.match(line.expandtabs(4))
        if not match or match.group(2).strip().lower() not in SUMMARY_LABELS:
            continue
        label, text = match.group(2).strip().lower(), plain(match.group(3))
        if not text:
            indent = len(match.group(1))
            parts = []
            child: int | None = None  # the depth of the label's own items; deeper is detail
            for nxt in lines[index + 1:]:
                depth = len(nxt.expandtabs(4)) - len(nxt.expandtabs(4).lstrip())
                if not parts and child is None and nxt.strip() and depth <= indent and \
                        not _ITEM.match(nxt) and not _LABELLED.match(nxt):
                    parts.append(plain(nxt).rstrip("."))  # the text on the next line
                    break
                if nxt.strip() and depth <= indent:
                    break
                child = depth if child is None and nxt.strip() else child
                if depth != child:
                    continue
                item = _ITEM.match(nxt.strip())
                value = plain(item.group(3) if item else nxt.strip())
                if value and not value.endswith(":"):
                    parts.append(value.rstrip("."))
            text = ". ".join(parts[:3]) + ("." if parts else "")
        if text and not is_meta_line(text):
            found.setdefault(label, text)
    label = next((x for x in SUMMARY_LABELS if x in found), "")
    return label, found.get(label, "")


_BREAK = re.compile(r"<br\s*/?>|\n", re.I)
_RUN_LABEL = re.compile(r"^\s*(?:\*\*|__)?([A-Za-z][A-Za-z /]{1,30}?)(?:\*\*|__)?\s*:"
                        r"(?:\*\*|__)?\s+(\S.*)$")


def label_run_text(lines: list[str]) -> str:
    """'Description: Travis reported failures<br> Component: repo<br> Date/time: ...': a
    paragraph of label lines (two or more, split by line breaks or <br>) is a form, and its
    summary is the text of its Description / Summary / What happened label, not the run."""
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            paragraphs[-1].append(line.strip())
        elif paragraphs[-1]:
            paragraphs.append([])
    segments = [x for para in paragraphs for x in _BREAK.split(" ".join(para)) if x.strip()]
    labelled = [m for x in segments if (m := _RUN_LABEL.match(x))]
    if len(labelled) < 2 or not segments or not _RUN_LABEL.match(segments[0]):
        return ""  # a form starts with its first label (one label per paragraph is one too)
    found = {m.group(1).strip().lower(): plain(m.group(2)) for m in labelled}
    return next((found[x] for x in SUMMARY_LABELS if found.get(x)), "")
