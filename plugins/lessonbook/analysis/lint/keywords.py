"""The keyword engine: one regex pass tells which of many words occur in a text."""

from __future__ import annotations

import re
from collections.abc import Iterable


class _Keywords:
    """One pass over a text tells which of many keywords occur in it as whole words, any case.

    A keyword is the run of word characters a phrase starts with ("failed" for "<person>
    failed to", "human" for "human error", "didn" for "didn't follow the process"): no text
    without it can match the phrase. One pattern of all the keywords, factored like a trie,
    finds them; the phrases' own patterns then run only on the few texts that have one. (A
    combined pattern of the full phrases costs ~50 times more: the person subjects of "failed
    to" are tried at every word.) ASCII text is lowered and matched case-sensitively, the
    fastest way through Python's regex engine; other text goes through the same pattern with
    IGNORECASE, as the phrases' own patterns would."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(w.lower() for w in words)
        trie = _trie_pattern(sorted(self.words)) if self.words else "(?!)"
        # A keyword run ends where the phrase has a space, '-', "'"... hence (?!\w) after it.
        self._ascii = re.compile(rf"(?<![\w-])(?:{trie})(?!\w)")
        self._any_case = re.compile(self._ascii.pattern, re.IGNORECASE)
        self._all_ascii = all(w.isascii() for w in self.words)

    def found(self, text: str) -> set[str] | None:
        """The keywords in ``text``, lowered; None when a keyword matched non-ASCII letters
        (e.g. 'ſ' matches 's'; which keyword it was is not worth working out), and the caller
        then tries every phrase."""
        if self._all_ascii and text.isascii():
            return set(self._ascii.findall(text.lower()))
        words = self._any_case.findall(text)
        if self._all_ascii and all(w.isascii() for w in words):
            return {w.lower() for w in words}
        return None if words else set()


def _keyword(phrase: str) -> str | None:
    """The word characters a phrase starts with; None if it starts with another character."""
    run = re.match(r"\w+", phrase.strip())
    return run.group(0).lower() if run else None


def _trie_pattern(words: list[str]) -> str:
    """An alternation of distinct words factored by common prefixes ("blame|blamed" becomes
    "blame(?:d)?"), so the engine reads each letter once instead of once per word."""
    branches: dict[str, list[str]] = {}
    for word in words:
        branches.setdefault(word[:1], []).append(word[1:])
    optional = "" in branches
    alternatives = [re.escape(first) + _trie_pattern(rests)
                    for first, rests in sorted(branches.items()) if first]
    if not alternatives:
        return ""
    body = "|".join(alternatives)
    if optional:
        return f"(?:{body})?"
    return body if len(alternatives) == 1 else f"(?:{body})"
