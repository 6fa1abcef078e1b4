"""How a follow-up's own text says it stands: a tick or a check mark, a done mark ('(done)',
'fixed in #123'), a closing note, or an open mark ('(in progress)', 'TODO'). Without one, an
item of a past incident is ``unknown``, never guessed open or done."""

from __future__ import annotations

import re

CHECK = (r"(?:✅|☑️?|✔️?|✓|:white_check_mark:|:heavy_check_mark:|:ballot_box_with_check:|"
         r":check:)")
"""A check mark, as a character or as a GitHub emoji short code."""
TICK = re.compile(rf"^(?:\[( |x|X)\]|({CHECK}))\s*")
DONE_MARK = re.compile(
    r"(?i:\((?:done|completed?|fixed)[.!]*\)\s*[.!]?$)|\bDONE\b|"
    r"(?i:\b(?:done|completed?|fixed|implemented|merged|landed|shipped|resolved|addressed)"
    r" (?:in|via|by|with|as of) (?:PR\b|pull request|#|\[|https?://|commit\b|v?\d+\.\d))|"
    r"(?i:\b(?:has|have) (?:already )?been (?:done|completed|implemented)\b)|"
    r"(?i:[\[(](?:done|completed?|fixed|resolved|merged|shipped|implemented|finished)"
    r"(?:[.!]?[\])]|[\s:,-]+(?:in|by|via|on|with|as of|at|\d|#|PR\b|pull|https?:)"
    r"[^\])\n]{0,40}[\])]))|(?i:\[closed\]|\(closed\))|"
    r"(?i:[-–—:,]\s*(?:done|completed|fixed|resolved|merged|shipped|implemented)\s*[.!]?\s*$)|"
    r"(?i:\bstatus\s*[:=]\s*(?:done|complete|completed|closed|resolved|fixed|shipped|merged|"
    r"finished)\b)")
"""'(done)', 'DONE', '[done]', '— done', 'fixed in #123', 'merged in PR 45', 'done via
https://...', '(merged)', 'Status: complete': the item says it was carried out."""
_LEAD_STATE = re.compile(
    r"^\[?(done|completed?|fixed|resolved|shipped|merged|implemented|to ?do|open|in progress|"
    r"wip|planned|pending|not started)\]?\s*(?:[:–—-]\s*|(?<=\])\s*)(?=\S)", re.I)
"""'Done: add an alert', '[DONE] raise the limit', 'TODO - write a runbook': a state written
in front of the action (bold or not)."""
_STRUCK = re.compile(r"^~~(?=\S)(.+?)~~\s*[.;]?$")
_TRAILING_CHECK = re.compile(rf"\s*{CHECK}\s*$")
_OPEN_MARK = re.compile(r"^(?:⬜|:white_large_square:|🚧|⏳|:construction:|:hourglass:)\s*")
DONE_ASIDE = re.compile(r"\((?:fixed|added|done|resolved|implemented|completed|deployed)\b"
                        r"[^()]*\)\s*\.?\s*$", re.I)
"""'... which redirects to flutter.dev. (fixed by adding a separate monitoring entry)': a
closing note in brackets that says the action was carried out."""
OPEN = re.compile(r"\((?:open|to ?do|in progress|planned|not (?:yet )?done|wip|pending|"
                  r"ongoing|blocked)\)|\((?:in[- ]progress|ongoing|wip|not (?:yet )?started)\b"
                  r"[^()]*\)|^(?:todo|tbd)\b|"
                  r"\bnot (?:yet )?(?:done|started|implemented)\b|"
                  r"\bstatus\s*[:=]\s*(?:open|in progress|to ?do|planned|not started|pending|"
                  r"blocked|wip|ongoing)\b|"
                  r"[–—:]\s*(?:open|in progress|to ?do|planned|pending|not started)\s*[.!]?\s*$",
                  re.I)
"""What says an item is still open. Without it or a sign of done, a historical item's status
is ``unknown``: neither counted as open nor as done."""
DONE_NOTE = re.compile(r"^(?:this |it |that )?(?:(?:has been|is|was|were) )?(?:now )?"
                       r"(?:done|completed?|fixed|implemented|resolved)\b", re.I)


def status(done: bool, said_open: object) -> str:
    """done, open (the text says so), or unknown (an item of a past incident whose fate the
    text does not tell)."""
    return "done" if done else "open" if said_open else "unknown"


def item_state(text: str) -> tuple[str, bool | None]:
    """(the item without its marks, True when a mark says it is done, False when one says it
    is open, None when none says): a leading tick or check mark (``[x]``, ✅,
    ``:white_check_mark:``), one at the end, an item struck through as a whole (``~~Add an
    alert~~``, a list's way of crossing off), a state written in front ('Done: ...',
    '[TODO] ...'), or an open mark (``[ ]``, ⬜, 🚧). Marks inside the text ('(done)',
    'fixed in #123') are read from the text itself by ``DONE_MARK`` and ``OPEN``."""
    text = text.strip()
    state: bool | None = None
    tick = TICK.match(text)
    if tick:
        state = bool(tick.group(2)) or tick.group(1).lower() == "x"
        text = text[tick.end():]
    elif opened := _OPEN_MARK.match(text):
        state, text = False, text[opened.end():]
    if (check := _TRAILING_CHECK.search(text)) and check.start() > 0:
        state, text = True, text[:check.start()]
    if struck := _STRUCK.match(text):
        state, text = True if state is None else state, struck.group(1)
    flat = re.sub(r"^(\*\*|__)(.+?)\1", r"\2", text)  # '**Done**: ...', '**[DONE]** ...'
    if lead := _LEAD_STATE.match(flat):
        word = lead.group(1).lower()
        said = word in {"done", "complete", "completed", "fixed", "resolved", "shipped",
                        "merged", "implemented"}
        state = said if state is None else state
        text = flat[lead.end():]
    return text, state


def note_state(note: str) -> bool | None:
    """How a short note nested under an item says it stands ('Status: Done', '✅ merged in
    #12', 'This has been done', 'Status: in progress'): True done, False open, None when it
    does not say (a note of more than ten words is detail, not a status)."""
    if DONE_NOTE.match(note):  # 'This has been done', 'Implemented ...': at any length
        return True
    text, state = item_state(note)
    if len(note.split()) > 10:
        return None
    if state is not None:
        return state
    if DONE_MARK.search(text):
        return True
    return False if OPEN.search(text) else None


_REPORTED_DONE = re.compile(
    r"^(?:[\w/'.-]+\s+){1,8}(?<!could )(?<!would )(?<!should )(?<!might )(?<!must )(?<!n't )"
    r"(?:has|have) (?:now |already |since )?been (?!scheduled|planned|"
    r"created|raised|opened|filed|discussed|proposed|requested|considered|suggested|asked)"
    r"(?:[\w-]+(?:ed|en)|(?:re)?built|(?:re)?set|sent|shut|cut|put|(?:re)?run|kept|taken|"
    r"(?:re)?written|done)\b", re.I)


def nested_state(state: str, action: str, details: list[str]) -> tuple[str, list[str]]:
    """An item's status after its nested details (a short note such as 'This has been done'
    or 'Status: in progress' says it; so does a detail or a later sentence that reports the
    work done: :func:`reported_done_later`), and the details that are not such notes."""
    details = [d for d in details if d]
    notes = [note_state(d) for d in details]
    rest = [TICK.sub("", d) for d, note in zip(details, notes, strict=True) if note is None]
    if True in notes or state == "unknown" and reported_done_later(action, rest):
        return "done", rest
    return ("open" if False in notes and state == "unknown" else state), rest


def reported_done_later(action: str, details: list[str]) -> bool:
    """A sentence after the item's first, or a nested detail, that says its work has been
    done ('Recreating SSH keys for backups.' with 'New keys have been generated for all
    hosts'; '... remains powered down. The site has been re-deployed on a new VM'): the
    item is done, even under a heading of plans. 'A ticket has been raised', 'has been
    scheduled' or 'could have been alerted' is not."""
    later = re.split(r"(?<=[.!?])\s+", action.strip())[1:] + details
    return any(_REPORTED_DONE.match(sentence.strip("_* ")) for sentence in later)
