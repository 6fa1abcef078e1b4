"""Lesson ids in a page's text, found by their shape and looked up, so they can become links.

An id counts when it stands whole: not preceded by a word character, ``/``, ``.`` or ``-``,
and not followed by a word character, ``/`` or ``-`` (a following ``.`` ends a sentence, as in
"see pm-2024-001."). Where ids nest at a dot ("pm-1" and "pm-1.2"), the longest id that fits
wins, and the page's own id is never one.

This was one regular expression alternating every id. Python's engine tries each alternative
at each position of the text unless all of them share their first characters, so at 10,000
ids of mixed kinds (``pm-…``, ``nm-…``, ``aar-…``) a page took about 140 ms; the synthetic
benchmark, whose ids all began ``syn-``, never showed it. Now the page's words are looked up
in a set first (ids are ASCII, ``load/slugs.py``), at C speed, and only the few ids a page
holds go into the expression that links them: a page's time no longer depends on how many
lessons there are (tests/test_id_links.py checks the answers against the alternation of every
id, by hypothesis).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

_ID_BYTES = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")
_WORDS_ONLY = bytes(c if c in _ID_BYTES else 0x20 for c in range(256))
"""Every byte that cannot be in an id becomes a space."""


def _pattern(ids: Iterable[str]) -> re.Pattern[str]:
    """The ids as whole words, the longest first."""
    return re.compile(r"(?<![\w/.-])(" + "|".join(re.escape(i) for i in
                                                  sorted(ids, key=len, reverse=True))
                      + r")(?![\w/-])")


def _plain(lesson_id: str) -> bool:
    return lesson_id.isascii() and _ID_BYTES.issuperset(lesson_id.encode())


class IdLinker:
    """The lessons' ids, collected once per build, and the pages' text linked against them."""

    def __init__(self, ids: Iterable[str]) -> None:
        self.ids = frozenset(ids)
        self._encoded = frozenset(i.encode() for i in self.ids if _plain(i))
        self._other = [i for i in self.ids if not _plain(i)]
        """Ids with other characters (not a valid id, but never missed): looked for whole."""

    def held_in(self, text: str) -> set[str]:
        """Every id that may stand whole in ``text``: each word of it that is an id, and each
        part of a word before a dot that is one ("pm-1" in "pm-1.2"). More than the ids that
        do (a word next to a non-ASCII letter, say) is fine; none is missed."""
        words = set(text.encode("ascii", "replace").translate(_WORDS_ONLY).split())
        found = words & self._encoded
        for word in words:
            dot = word.rfind(b".")
            while dot > 0:
                if word[:dot] in self._encoded:
                    found.add(word[:dot])
                dot = word.rfind(b".", 0, dot)
        return {i.decode("ascii") for i in found} | {i for i in self._other if i in text}

    def link(self, text: str, own: str, link: Callable[[str], str]) -> str:
        """``text`` with every id that stands whole (other than ``own``) replaced by
        ``link(id)``; the rest unchanged."""
        held = self.held_in(text) - {own}
        if not held:
            return text
        return _pattern(held).sub(lambda m: link(m.group(1)), text)
