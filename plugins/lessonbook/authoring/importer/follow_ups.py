"""Follow-ups from the sections that list what will change, with done status from the text."""

from __future__ import annotations

import datetime as dt
import re

from .document import Section, plain

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


def follow_ups_from(found: list[Section]) -> tuple[list[dict[str, str]], list[str]]:
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


def keep_plausible_done_on(follow_ups: list[dict[str, str]], lesson_date: str) -> None:
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
