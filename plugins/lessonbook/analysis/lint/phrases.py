"""The blame-language phrases of a site, found with one keyword pass per text."""

from __future__ import annotations

import re

from .body import _BodyLines
from .keywords import _keyword, _Keywords
from .vocabulary import _FAILED_TO, _FAILED_TO_TAIL

Matcher = tuple[str, re.Pattern[str], str, str]
"""A blame-language phrase: (phrase, pattern, why it hurts, what to write instead)."""


def _phrase_matchers(phrases: dict[str, tuple[str, str]]) -> list[Matcher]:
    out = []
    for phrase, (reason, rewrite) in phrases.items():
        if phrase == "failed to":
            pattern = _FAILED_TO
        else:
            words = r"\s+".join(re.escape(w) for w in phrase.split())
            pattern = re.compile(rf"(?<![\w-])(?<!git ){words}(?![\w-])", re.IGNORECASE)
        out.append((phrase, pattern, reason, rewrite))
    return out


class _PhraseFinder:
    """The blame-language phrases, found with one keyword pass per text (see _Keywords)."""

    def __init__(self, matchers: list[Matcher], prefilter: bool = True) -> None:
        """``prefilter`` (``Speed.lint_prefilter``): read only the body lines a keyword
        shows the rules can find something in."""
        self.matchers = matchers
        self.by_keyword: dict[str, list[int]] = {}
        self.always: list[int] = []
        """Phrases that start with punctuation (a site's own list may have them)."""
        for index, (phrase, *_rest) in enumerate(matchers):
            keyword = _keyword(phrase)
            if keyword is None:
                self.always.append(index)
            else:
                self.by_keyword.setdefault(keyword, []).append(index)
        self.keywords = _Keywords(self.by_keyword)
        self.body_lines = (_BodyLines(self.keywords.words) if prefilter and not self.always
                           and self.keywords._all_ascii else None)
        """Which body lines the rules can find something in; None: read them all."""

    def candidates(self, text: str) -> list[Matcher]:
        """The phrases that may match ``text``, in list order; usually none."""
        found = self.keywords.found(text)
        if found is None:
            return self.matchers
        if not found and not self.always:
            return []
        indexes = sorted([*self.always, *(i for word in found for i in self.by_keyword[word])])
        return [self.matchers[i] for i in indexes
                if self.matchers[i][1] is not _FAILED_TO or _FAILED_TO_TAIL.search(text)]
