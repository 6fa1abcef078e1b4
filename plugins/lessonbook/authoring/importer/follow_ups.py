"""Follow-ups from the sections that list what will change, with done status from the text."""

from __future__ import annotations

import datetime as dt
import re

from .action_headings import (
    ACTION_HEADING,
    DONE_HEADING,
    FUTURE_HEADING,
    NOT_ACTIONS,
    is_action_heading,
)
from .announced import announced_lists
from .document import Section, code_lines, plain
from .marks import DONE_ASIDE, DONE_MARK, DONE_NOTE, OPEN, TICK, item_state, nested_state, status
from .tables import table_actions

_PAST_VERBS = frozenset(["sent", "made", "built", "ran", "wrote", "began", "took", "gave",
                         "held", "kept", "got", "found", "told", "brought", "caught", "chose",
                         "drove", "broke", "froze", "forgot", "led", "met", "left", "lost",
                         "paid", "said", "sold", "spent", "stood", "understood", "won", "sought",
                         "taught", "spoke", "rewrote", "undid", "withdrew", "rebuilt"])
"""Irregular past forms ('Got guidance from AWS support', 'Rebuilt the image'); forms that
are also the base verb of an imperative ('set', 'put', 'read', 'shut') are left out."""
_COUNTERFACTUAL = re.compile(r"^(?:(?:however|but|still|yet|and),?\s+)?"
                             r"(?:if\b[^.;?!]{0,120}?\bhad\b|had we\b)[^.;?!]*?"
                             r"\b(?:could|would|might)(?:n't| not)? have\b", re.I)
"""'If we had picked up on this, we could have recycled the node': what might have been, a
reflection rather than an action (lists and prose alike)."""
_ADVERBS = frozenset(["already", "now", "also", "just", "since", "meanwhile"])
"""Adverbs between 'we have' and its participle ('We have already taken steps')."""
_REFLECTION = re.compile(r"\b(?:should|could|would|might|must)(?:n't| not)? have "
                         r"(?:been|had|happened|occurred)\b", re.I)
"""'It should not have been possible for a single user to ...': what ought not to have happened,
a reflection rather than an action."""
_CONSEQUENCE = re.compile(r"^(?:this|that|these|which)\s+(?:\w+ed|made|meant|led|gave|"
                          r"kept|let|brought|took)\b", re.I)
"""'This released the timelords from the edge-case state', 'This ensured that ...': what the
sentence before did, told after it; not a second action."""
_POINTER = re.compile(r"\bcan be (?:found|seen|read|viewed)\b|^(?:for more (?:information|"
                      r"details)|more details|see also)\b", re.I)
"""'The commit fixing the issue can be found here: <url>': where to read more, not an action."""
_UNCHANGED = re.compile(r"\b(?:will|would|can|could) still\b|\bstill (?:be|work|show)\b",
                        re.I)
"""'Any links that do exist will still be displayed': what stays as it was, beside the change."""
_PERFECT = re.compile(r"^\W*we(?:['’]ve| have)\s+(?:\w+ly\s+|already\s+|now\s+)?"
                      r"(?!start|begun|began|initiat|been\b|to\b)\w", re.I)
"""'We have disabled ...', 'We've remedied ...': done even under a heading of plans ('What are
we changing?'); 'We have started ...' and 'We have to ...' are not."""
_NOT_NEEDED = re.compile(r"^no\b[^.;]{0,80}?\b(?:was|were|is|are)\s+(?:needed|required|"
                         r"necessary)\b", re.I)
"""'No code changes were needed to the software': what the fix did not need, not an action."""
_REMEDY_IN_PLACE = re.compile(
    r"^(?:the|this|our)\s+(?:(?:immediate|first|final|short[- ]term|actual)\s+)?"
    r"(?:resolution|fix|mitigation|workaround|remedy)\b(?:\s+[\w-]+){0,4}?\s+"
    r"(?!will\b|would\b|should\b|needs?\b|is\s+(?:planned|scheduled)\b)"
    r"(?:was|is|allows|makes|ensures|prevents|adds|removes|caps|changes)\b", re.I)
"""'The immediate resolution was to ensure ...', 'The fix in the codebase allows ...': the
remedy told as in place, so done (not 'The fix will ...')."""
_RELEASED_REMEDY = re.compile(
    r"^(?:[\w.-]+\s+){0,2}?(?:version|release|v)\s*\d[\w.]*\b(?:\s+[\w.-]+){0,6}?\s+"
    r"(?:contains|contained|includes|included|adds|added|ships|shipped|brings|brought)\s+"
    r"(?:(?:a|an|the|several|two|three|\w+ing)\s+){0,2}"
    r"(?:fix(?:es)?|workarounds?|patch(?:es)?|mitigations?|changes)\b", re.I)
"""'Version 2.5.1 of the software contains a workaround that caps ...', 'v2.5.2 included
fixes that ...': a release that carries the remedy, so the remedy is in place."""
_REMEDY_CLAUSE = re.compile(
    r"(?:;|,?\s+(?:and|so|then)\s+)(?:[\w/'.-]+\s+){0,6}?(?:was|were|has been|have been)\s+"
    r"(?:\w+ly\s+)?(?:restarted|rebooted|fixed|patched|rolled back|reverted|redeployed|"
    r"deployed|replaced|removed|restored|cleared|resolved|rotated|revoked|recreated|rebuilt|"
    r"migrated|mitigated|scaled (?:up|out|down)|increased|disabled|re-?enabled|upgraded|"
    r"updated|released)\b", re.I)
"""'... was the only entity running them at the time and those timelords were restarted via
automation': a remedy told as done in a later clause of a long sentence (the passive rule
reads only the sentence's opening words)."""
_NO_LONGER = re.compile(r"\bno longer\b", re.I)
_FUTURE = re.compile(r"\b(?:will|should|must|need(?:s)? to|plan(?:s|ned)? to|going to|"
                     r"we'll|we’ll)\b", re.I)
_TO_THE_READER = re.compile(r"^(?:if you\b|you\b|please\b)", re.I)
"""'If you feel that a policy is problematic, the correct place ... is an RFC': advice to the
reader, not an action of the team."""
_HEDGED = re.compile(r"^(?:maybe|perhaps|possibly|ideally|we could)\b", re.I)
"""'Maybe create a concourse job', 'Ideally, it would ping Discord', 'We could have a policy of
...': a passing idea or a wish beside the action it qualifies, not one."""
_PARTICIPLES = frozenset(["taken", "given", "written", "rewritten", "done", "undone", "seen",
                          "chosen", "driven", "frozen", "shown", "known", "drawn", "grown",
                          "thrown", "broken", "spoken", "stolen", "gotten", "undertaken",
                          "set", "put", "run", "cut", "shut", "split", "sent", "built", "made",
                          "kept", "found", "brought", "caught", "left", "paid", "told", "led",
                          "spent", "bought", "taught", "won"])
"""Participles of irregular verbs: 'We have already taken steps to ...' tells a done action."""
_NOT_PAST = frozenset(["need", "speed", "feed", "embed", "seed", "proceed", "exceed", "succeed",
                       "based", "compared", "related"])  # "Based on what we saw, we are ..."
_LIST_ITEM = re.compile(r"^([ \t]*)([-*+•]|\d+[.)])[ \t]+(.*)$")
_TICKET = re.compile(r"^(?:we\s+)?(?:created|raised|opened|filed|logged)\s+(?:a|an)\s+\W?"
                     r"(?:ticket|issue|card|story|jira|pr|pull request|github issue)\b", re.I)
"""'Created a ticket to ...': the action is tracked, not done."""
_BRACES = re.compile(r"\{\{\s*(.*?)\s*\}\}")
_BLANK_ITEM = re.compile(r"^(?:\{\{\s*(?:[^\s{}\d]+\s*){0,3}\}\}|\[[^\]]*\]|\s)+$")
_LINK_BLANK = re.compile(r"\s*\[(?:link|url|ticket|issue)\b[^\]]*\]\s*$", re.I)
"""A template's blank left in a list ('{{ summary }} [link to github issue]'): only placeholders
of a few words in braces and unfilled brackets. Braces kept around a written action ('{{ Start
writing after action reports }}') and a blank '[link to github issue]' after it are dropped and
the action kept."""
_NOTHING = re.compile(r"^(?:n/?a|none|nothing|tbd|tbc|-+|—)\.?$", re.I)
"""'N/A' under Review actions: no action."""
_IRREGULAR_PARTICIPLES = ("set", "put", "run", "rerun", "built", "rebuilt", "made", "sent",
                          "kept", "held", "found", "brought", "caught", "left", "paid", "split",
                          "shut", "cut", "told", "led", "spent", "bought", "taught", "won")
_WAS_DONE = re.compile(r"^(?:[\w/'.,*-]+\s+){1,14}?(?:was|were)\s+(?:\w+ly\s+)?"
                       r"(?!not\b|being\b|going\b|unable\b|scheduled\b|planned\b|"
                       r"proposed\b|requested\b|discussed\b|expected\b|supposed\b|"
                       r"intended\b|asked\b)(?:\w+(?:ed|en|wn)|"
                       + "|".join(_IRREGULAR_PARTICIPLES) + r")\b", re.I)
"""'The ingress-nginx update was rolled back', 'The default requests were set to the maximum':
a remediation told as done, in the passive (irregular participles too)."""
_DONE_ON = re.compile(r"\b(?:done|completed?|fixed|closed|finished|shipped|resolved)\b"
                      r"(?:\s+on)?[\s:,(]{0,3}(\d{4}-\d{2}-\d{2})\b", re.I)
"""'done 2024-03-12', 'completed on 2024-03-12': the day a done item gives for itself."""
_HAS_BEEN = re.compile(r"^(?:[\w/'-]+\s+){1,8}(?:has|have) been (?!scheduled|planned|created|"
                       r"raised|opened|filed|discussed|proposed|requested)\w+(?:ed|en)\b", re.I)


def follow_ups_from(found: list[Section], preamble: list[str] | None = None
                    ) -> tuple[list[dict[str, str]], list[str]]:
    """Follow-ups from every section whose heading says it lists actions (Action Items,
    Remediation, Short-term Improvements, Planned actions, How are we preventing it...), with
    their subsections; done when ticked (✅, [x]), marked '(done)', told in the past ('we've
    tightened') or listed under a completed heading ('Immediate Actions (Completed)').
    Labels that are not headings ('- **Review actions**:', 'Action Items:') open a block
    too; a section of prose gives one action per sentence that states one."""
    found = [*found, *labelled_blocks(found, preamble or [])]
    items: list[dict[str, str]] = []
    headings: list[str] = []
    index = 1 if found and found[0].level == 1 else 0  # the document's title
    while index < len(found):
        section = found[index]
        if not (is_action_heading(section.title) or section.level == 7
                and _PAIRED.match(section.title.removesuffix(" (done)"))):
            index += 1
            continue
        stop = index + 1
        while stop < len(found) and found[stop].level > section.level:
            stop += 1
        _read_range(found[index:stop], items, headings)
        index = stop
    if not items:
        listed, where = announced_lists(found, preamble or [])
        for text in listed:
            done = _told_as_done(plain(text)) or bool(DONE_MARK.search(plain(text)))
            items.append({"action": plain(text), "status": status(done, OPEN.search(text))})
        if listed:
            headings.append(where)
    return items, headings


def _read_range(subs: list[Section], items: list[dict[str, str]], headings: list[str]
                ) -> None:
    """Read an action section and its subsections: their lists; prose where a subsection
    has none ('### Repo2docker' then one sentence), and the section's own prose only when
    no part of it has a list (an introduction above the lists repeats them)."""
    chain: list[Section] = []  # the section and the headings above a subsection
    read: list[tuple[Section, bool, bool]] = []
    for sub in subs:
        while chain and chain[-1].level >= sub.level:
            chain.pop()
        chain.append(sub)
        if sub is not subs[0] and NOT_ACTIONS.search(sub.title):
            continue
        titles = " / ".join(x.title for x in chain)
        read.append((sub, bool(DONE_HEADING.search(titles)),
                     not FUTURE_HEADING.search(titles)))
    listed = {}
    for sub, done, past in read:
        prose, leads = _beside_lists(sub.lines)
        told_done = past and bool(leads) and all(_told_as_done(lead) for lead in leads)
        listed[id(sub)] = _list_items(sub.lines, done or told_done, past) or [
            {"action": text, "status": status(done or ticked, said_open)}
            for text, ticked, said_open in table_actions(sub.lines)]
        if listed[id(sub)] and past:  # a remedy told as in place in prose beside the list
            listed[id(sub)][:0] = [x for x in prose_actions(prose, done, past)
                                   if _remedy_in_place(x["action"])]
    for sub, done, past in read:
        if _report_checklist(sub.lines):
            continue
        found_here = listed[id(sub)]
        if not found_here and (sub is not subs[0] or not any(listed.values())):
            found_here = prose_actions(sub.lines, done, past)
        if found_here:
            items += found_here
            headings.append(plain(sub.title))


def _beside_lists(lines: list[str]) -> tuple[list[str], list[str]]:
    """The prose of a section that also has a list, apart from each list's lead-in (the
    paragraph right above its first item, or one ending with ':'), and those lead-ins.
    'Version 2.5.2 included fixes that ...' leads into its list and says how its items
    stand; a paragraph further up ('Version 2.5.1 contains a workaround ...') is one more."""
    blocks: list[list[str]] = [[]]
    for line, code in zip(lines, code_lines(lines), strict=True):
        if code or not line.strip():
            blocks.append([])
        else:
            blocks[-1].append(line)
    blocks = [b for b in blocks if b]
    prose: list[str] = []
    leads: list[str] = []
    for index, block in enumerate(blocks):
        first_item = next((i for i, x in enumerate(block)
                           if _LIST_ITEM.match(x.expandtabs(4))), None)
        if block[0].startswith((" ", "\t")):
            continue  # a list item's own later paragraph
        if first_item is not None:
            if first_item:
                leads.append(plain(" ".join(x.strip() for x in block[:first_item])))
            continue
        text = " ".join(x.strip() for x in block)
        if text.endswith(":") and index + 1 < len(blocks) and \
                _LIST_ITEM.match(blocks[index + 1][0].expandtabs(4)):
            leads.append(plain(text))
        else:
            prose += [*block, ""]
    return prose, leads


_ABOUT_THE_REPORT = re.compile(
    r"\b(?:above|below|sections?|(?:this|the) (?:report|document|page|write-?up)|"
    r"(?:after|post)[- ]action report|post-?mortem|write-?up|incident (?:title|report))\b", re.I)


def _report_checklist(lines: list[str]) -> bool:
    """A template's checklist about the write-up itself ('- [x] Sections above are filled out',
    '- [ ] All actionable items above have linked GitHub Issues'): every item a task box, and
    most of them state how the report or its sections stand. Steps of writing the postmortem,
    not follow-ups of the incident; an imperative ('- [ ] Write an incident report') is an
    action all the same."""
    items = [m.group(3) for line in lines if (m := _LIST_ITEM.match(line.expandtabs(4)))]
    boxes = [TICK.sub("", x) for x in items if TICK.match(x)]
    about = [x for x in boxes if _ABOUT_THE_REPORT.search(x) and not _imperative(plain(x))]
    return bool(items) and len(boxes) == len(items) and 2 * len(about) > len(boxes)


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
    last_blank = True
    for line, code in zip(lines, code_lines(lines), strict=True):
        if code:
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
                details[-1].append(plain(text))
            continue
        text, state = item_state(text)
        action = plain(text)
        if not action or _NOTHING.match(action) or _COUNTERFACTUAL.search(action) or \
                _BLANK_ITEM.match(action):
            continue
        action = _LINK_BLANK.sub("", _BRACES.sub(r"\1", action))
        ticked = state is True
        done = done_section or ticked or bool(DONE_MARK.search(action)) or (
            past_means_done and _told_as_done(action)) or _ends_with_done_note(action) or \
            (bool(_PERFECT.match(action)) and _told_as_done(action)) or \
            bool(DONE_ASIDE.search(action))
        unticked = state is False
        out.append({"action": action, "status": status(done, unticked or OPEN.search(action))})
        when = _DONE_ON.search(action) if done else None
        if when:
            out[-1]["done_on"] = when.group(1)
        details.append([])
    for item, extra in zip(out, details, strict=True):
        item["status"], extra = nested_state(item["status"], item["action"], extra)
        if extra:
            item["action"] += " (detail: " + "; ".join(extra) + ")"
    return out


def _ends_with_done_note(action: str) -> bool:
    """'Smooth the request rate in the metrics. _done in grafana_.': a closing note, after the
    action, that says it is done (as a nested 'This has been done' does)."""
    sentences = re.split(r"(?<=[.!?])\s+", action.strip())
    return len(sentences) > 1 and bool(DONE_NOTE.match(sentences[-1].strip("_* ")))


def _told_as_done(action: str) -> bool:
    """'Switched to pnpm 10', 'We've tightened ...', 'We tweaked ...', 'The runbook has been
    documented': an action reported as done. 'We need to ...', 'We've been exploring ...',
    'should have been communicated' are not."""
    words = [w.lower().strip(",.:;") for w in action.split()[:4]
             if not w.endswith("ly") and w.lower() not in _ADVERBS]
    if not words or "should" in action.lower().split()[:12] or _TICKET.match(action):
        return False
    if words[0] in ("we've", "we’ve") or words[:2] == ["we", "have"]:
        verb = words[1] if words[0] != "we" else (words[2] if len(words) > 2 else "")
        return verb not in ("been", "begun", "to") and (_past(verb) or verb in _PARTICIPLES)
    if words[0] == "we":
        return len(words) > 1 and _past(words[1])
    return _past(words[0]) or bool(_HAS_BEEN.search(action) or _WAS_DONE.search(action)
                                   or _REMEDY_IN_PLACE.match(action)
                                   or _RELEASED_REMEDY.match(action)
                                   or _no_longer(action)
                                   or (bool(_REMEDY_CLAUSE.search(action))
                                       and not _FUTURE.search(action)
                                       and not _imperative(action)))


def _remedy_in_place(sentence: str) -> bool:
    """'Version 2.5.1 contains a workaround ...', 'The fix in the codebase caps ...': prose
    that tells a remedy as in place, which beside a list is one more follow-up ('We've grown
    a lot', told in the past too, is not a remedy)."""
    return bool(_RELEASED_REMEDY.match(sentence) or _REMEDY_IN_PLACE.match(sentence))


def _no_longer(action: str) -> bool:
    """'Starting in version 2.3.0, the wallet no longer allows links ...': a change told as in
    place; not an imperative or a purpose ('Work on X, so the proxy is no longer a single
    point of failure') and not a plan ('will no longer')."""
    return bool(_NO_LONGER.search(action)) and not _FUTURE.search(action) and \
        not _imperative(action) and not re.search(r"\bso\b(?: that)?[^.;]*\bno longer\b",
                                                  action, re.I)


def _past(word: str) -> bool:
    return (word.endswith("ed") and word not in _NOT_PAST) or word in _PAST_VERBS


_LABEL = re.compile(r"^([ \t]*)(?:[-*+][ \t]+)?(?:(?:\*\*|__)([^*_\n]{3,60}?)[ \t]*:?[ \t]*"
                    r"(?:\*\*|__)|([A-Za-z][\w /&'-]{2,60}?)[ \t]*:)[ \t]*:?[ \t]*(.*)$")
"""'- **Review actions**: ...', '**Action Items**', 'Action items:' (label, then the rest)."""


def labelled_blocks(found: list[Section], preamble: list[str]) -> list[Section]:
    """'- **Review actions**:' with nested bullets, or a line 'Action Items:' followed by a
    list, read as a section of its own (a level below any heading)."""
    out: list[Section] = []
    own = found[1:] if found and found[0].level == 1 else found  # the title's lines are
    plain_sections: list[tuple[list[str], bool]] = []  # (lines, only explicit labels)
    chain: list[Section] = []
    for section in own:  # not inside an action section (read already); inside a lessons
        while chain and chain[-1].level >= section.level:  # one, only 'Actions planned:'
            chain.pop()
        chain.append(section)
        if not any(ACTION_HEADING.search(s.title) for s in chain):
            plain_sections.append((section.lines,
                                   any(NOT_ACTIONS.search(s.title) for s in chain)))
    lines_all = [x for lines, _ in [(preamble, False), *plain_sections] for x in lines]
    paired = any((m := _LABEL.match(x)) and _PAIRED.match(m.group(2) or m.group(3) or "")
                 and "plan" in (m.group(2) or m.group(3)).lower() for x in lines_all)
    for lines, explicit_only in [(preamble, False), *plain_sections]:
        index = 0
        while index < len(lines):
            line = lines[index]
            if _bare_action_label(lines, index):
                line = line.rstrip() + ":"  # 'Action items' alone above its list
            label = _LABEL.match(line.expandtabs(4))
            bold = "**" in line or "__" in line
            name = (label.group(2) or label.group(3)) if label else ""
            pair = paired and bool(_PAIRED.match(name.strip()))
            if not (label and (bold or line.rstrip().endswith(":"))
                    and (pair or not explicit_only and is_action_heading(name))
                    and (bold or len(name.split()) <= 4)):
                index += 1
                continue
            indent, bullet = len(label.group(1)), _LIST_ITEM.match(line.expandtabs(4)) is not None
            block = [f"- {label.group(4)}"] if label.group(4).strip(" *:") else []
            index += 1
            # nested lines seen; list items seen; '**Remediation plan:**' alone: a heading
            deeper, listed, heading = False, False, bold and not bullet and not block
            while index < len(lines):
                nxt = lines[index].expandtabs(4)
                depth = len(nxt) - len(nxt.lstrip())
                item = _LIST_ITEM.match(nxt) is not None
                if nxt.strip() and (_LABEL_ONLY.match(nxt.strip())
                                    or depth <= indent and bullet and deeper
                                    or depth <= indent and listed and not item and not heading):
                    break
                deeper = deeper or (depth > indent and bool(nxt.strip()))
                listed = listed or item
                block.append(nxt[indent:] if depth >= indent else nxt)
                index += 1
            out.append(Section(name.strip() + (" (done)" if pair and "tak" in name.lower()
                                               else ""), 7, block))
    return out


_PAIRED = re.compile(r"^actions?\s+(?:planned|taken)$", re.I)
"""'**Actions planned:**' and '**Actions taken:**' labels paired in one report (under each
lesson learned): what will change and what already has, follow-ups even under 'Lessons
learned'; one 'Action taken' alone is the response to the incident, not a follow-up."""


def _bare_action_label(lines: list[str], index: int) -> bool:
    """'Action items' on a line of its own, without a colon, right above a list: a heading
    written as plain text."""
    text = lines[index].strip()
    after = next((x for x in lines[index + 1:] if x.strip()), "")
    return bool(re.fullmatch(r"[A-Za-z][\w /&'-]{2,40}", text)) and len(text.split()) <= 4 \
        and bool(ACTION_HEADING.match(text)) and is_action_heading(text) and \
        (index == 0 or not lines[index - 1].strip()) and bool(_LIST_ITEM.match(after))


_LABEL_ONLY = re.compile(r"^(?:[-*+][ \t]+)?(?:\*\*|__)[^*_]+(?:\*\*|__)\s*:?")
_ACTION_SENTENCE = re.compile(
    r"\b(?:will|should|must|need(?:s)? to|plan(?:s|ned)? to|going to|we'll|we’ll|"
    r"add(?:ed|ing)?|implement\w*|introduc\w*|improv\w*|migrat\w*|monitor\w*|alert\w*|"
    r"document\w*|automat\w*|upgrad\w*|increas\w*|creat\w*|set up|ensur\w*|"
    r"investigat\w*|replac\w*|remov\w*|chang\w*|fix\w*|updat\w*|limit\w*|"
    r"test\w*|rotat\w*|consider\w*|enabl\w*|disabl\w*|switch\w*|looking into|"
    r"intends? to|we(?:['’]re| are)\s+(?:also\s+|now\s+|currently\s+|actively\s+)?\w+ing)\b",
    re.I)


_IMPERATIVE_VERBS = frozenset((
    "add", "ask", "audit", "agree", "block", "build", "check", "communicate", "configure",
    "create", "define", "delete", "deploy", "document", "enable", "disable", "escalate",
    "establish", "evaluate", "find", "fix", "introduce", "investigate", "look", "make",
    "measure", "migrate", "monitor", "move", "publish", "raise", "reduce", "remove", "rename",
    "replace", "require", "restrict", "review", "rewrite", "rotate", "run", "schedule",
    "share", "spike", "start", "stop", "switch", "test", "train", "tune", "update", "upgrade",
    "use", "validate", "verify", "write"))


def _imperative(sentence: str) -> bool:
    """'Write some comms ...', 'Look into this, make multi-az the default': a sentence that
    opens with a verb in its base form tells someone to do something."""
    return sentence.split()[0].lower() in _IMPERATIVE_VERBS


def prose_actions(lines: list[str], done_heading: bool, past_means_done: bool
                  ) -> list[dict[str, str]]:
    """One action per sentence of prose that states one ('We will add an alert on ...'):
    for remediation written as paragraphs instead of a list."""
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        stripped = line.strip()
        if not stripped:
            paragraphs.append([])
        elif not stripped.startswith(("|", "```", "!", ">", "<")):
            paragraphs[-1].append(stripped)
    out = []
    for sentence in (part for para in paragraphs if para  # a paragraph ends a sentence
                     for part in re.split(r"(?<=[.!?])\s+(?=[A-Z])", plain(" ".join(para)))):
        sentence = sentence.strip()
        if len(sentence.split()) < 4 or sentence.endswith("?") or \
                _HEDGED.match(sentence) or _COUNTERFACTUAL.search(sentence) or \
                _REFLECTION.search(sentence) or _TO_THE_READER.match(sentence) or \
                _CONSEQUENCE.match(sentence) or _POINTER.search(sentence) or \
                _UNCHANGED.search(sentence) or _NOT_NEEDED.search(sentence) or \
                not (_ACTION_SENTENCE.search(sentence) or _imperative(sentence)
                     or _NO_LONGER.search(sentence)):
            continue
        done = done_heading or (past_means_done and _told_as_done(sentence)) or \
            bool(DONE_ASIDE.search(sentence))
        out.append({"action": sentence, "status": status(done, OPEN.search(sentence))})
    return out
