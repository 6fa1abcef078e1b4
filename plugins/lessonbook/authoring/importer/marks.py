"""How a follow-up's own text says it stands: a tick or a check mark, a done mark ('(done)',
'fixed in #123'), a closing note, or an open mark ('(in progress)', 'TODO'). Without one, an
item of a past incident is ``unknown``, never guessed open or done."""

from __future__ import annotations

import re

TICK = re.compile(r"^(?:\[( |x|X)\]|(✅|☑️?|✔️?))\s*")
DONE_MARK = re.compile(r"(?i:\((?:done|completed?|fixed)[.!]*\)\s*[.!]?$)|\bDONE\b|"
                       r"\b(?i:done|completed?|fixed|implemented) (?i:in|via|by) (?:PR|#|\[)|"
                       r"(?i:\b(?:has|have) (?:already )?been (?:done|completed|implemented)\b)")
DONE_ASIDE = re.compile(r"\((?:fixed|added|done|resolved|implemented|completed|deployed)\b"
                        r"[^()]*\)\s*\.?\s*$", re.I)
"""'... which redirects to flutter.dev. (fixed by adding a separate monitoring entry)': a
closing note in brackets that says the action was carried out."""
OPEN = re.compile(r"\((?:open|to ?do|in progress|planned|not (?:yet )?done)\)|^(?:todo|tbd)\b|"
                  r"\bnot (?:yet )?(?:done|started|implemented)\b", re.I)
"""What says an item is still open. Without it or a sign of done, a historical item's status
is ``unknown``: neither counted as open nor as done."""
DONE_NOTE = re.compile(r"^(?:this |it |that )?(?:(?:has been|is|was|were) )?(?:now )?"
                       r"(?:done|completed?|fixed|implemented|resolved)\b", re.I)


def status(done: bool, said_open: object) -> str:
    """done, open (the text says so), or unknown (an item of a past incident whose fate the
    text does not tell)."""
    return "done" if done else "open" if said_open else "unknown"
