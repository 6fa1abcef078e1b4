"""Is a later incident the same incident again? Same service and same symptom.

Two postmortems can share many words and be about different failures ("sdk, extension,
customer, introduced, exceptions" of two unrelated SDK bugs); the same outage that comes back
("All services returning 503", three times in ten days) may be told with few shared words.
So a repeat needs more than a similar-incident score:

* **the same service**: the two lessons' ``services`` share one. When either lists none, the
  service cannot be judged, and the similar-incident link must be twice as strong.
* **the same symptom**: what was observed, read from the title and summary (where a
  postmortem says what users saw). An HTTP status (503, 5xx) or a kind of failure from
  :data:`SYMPTOM_CLASSES` (timeouts, certificate expiry, resources running out, telemetry not
  arriving...). When both lessons state such symptoms, they must share one: a 404 outage is
  not a 503 outage again. When either states none, the two titles must say the same thing:
  at least :data:`SAME_TITLE` of their words (stop and generic words aside) in common, as
  when a team files the same failure under the same title again. Words the two merely share
  elsewhere, however rare, are not a symptom ("worker", "availability", "initial").

Plain Python, no MkDocs; used by ``recurring.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..model.lesson import Lesson
from .similarity.text import STOP_WORDS

SYMPTOM_CLASSES: dict[str, str] = {
    "timeouts": r"time[sd]? ?-?outs?\b|timing out|timed out|deadline exceeded",
    "connections refused or reset": r"connections? (?:was |were )?(?:refused|reset)",
    "an expired certificate": r"certificates?\b.{0,60}\bexpir|expired certificates?",
    "DNS resolution": r"dns\b|name resolution|nxdomain",
    "memory running out": r"out of memory|(?<![a-z])oom(?:killed)?\b|"
                          r"memory (?:leak|exhaust|pressure)",
    "disk full": r"disk (?:full|space)|no space left",
    "a resource running out": r"exhaust|starvation|starved|limit (?:was )?reached|quota",
    "crash loops": r"crash ?-?loop|restart(?:ing)? loop|kept restarting|"
                   r"restarted (?:several|many|multiple|repeatedly|\d+ times)",
    "unavailable": r"(?:is|was|were|went|are|being|goes) down\b|unavailable|not available|"
                   r"unreachable|inaccessible|not responding|unresponsive",
    "nodes not ready or down": r"not ?ready\b|nodes? (?:were |was |went |are )?down\b|"
                               r"unhealthy nodes?|node failure",
    "logs or metrics not arriving": r"not (?:being )?shipped|missing from|metrics missing|"
                                    r"stopped being exported|not (?:being )?exported|"
                                    r"logs? (?:were |was )?lost",
    "slowness": r"latency|slowness|slow\b|processing delays?",
    "sign-in failing": r"unable to (?:sign|log) ?in|authenticat\w* (?:fail|error|broke)|"
                       r"cannot (?:sign|log) ?in",
    "a compromise": r"compromis|malicious|vulnerab|attack|worm\b|cve-\d",
    "something deleted": r"deleted\b|deletion\b|teardown\b|torn down\b|wiped\b",
}
"""Kinds of failure a responder would call the same symptom, whatever the words. Matched in
the lower-cased title and summary; no pattern starts with a word boundary (a pattern that
starts with a literal is found fast), so 'coredns' counts as DNS."""
_CLASSES = [(label, re.compile(pattern)) for label, pattern in SYMPTOM_CLASSES.items()]
_STATUS = re.compile(r"(?<![\w.:/-])([45](?:\d\d|xx))(?![\w.:/-])(?!\s*(?:ms|milli|seconds?|"
                     r"minutes?|hours?|days?|%|percent|[kmgt]b|teams?|customers?|users?|"
                     r"nodes?|pods?|requests? per)\b)", re.I)
_WORD = re.compile(r"[^\W_][\w'-]*[^\W_]|[^\W_]")
SAME_TITLE = 0.6
"""Share of the two titles' words (Jaccard) that makes them the same title."""


def headline(lesson: Lesson) -> str:
    return f"{lesson.title}\n{lesson.summary}"


def stated_symptoms(lesson: Lesson) -> set[str]:
    """HTTP statuses and kinds of failure the title and summary state."""
    text = headline(lesson).lower()
    found = {f"HTTP {m.group(1)}" for m in _STATUS.finditer(text)}
    found.update(label for label, pattern in _CLASSES if pattern.search(text))
    return found


def title_words(lesson: Lesson) -> set[str]:
    """The title's words that can say what failed: no stop or generic word, no number or
    date ("Incident on 2022-11-15 - ...")."""
    return {w for w in (m.group().casefold() for m in _WORD.finditer(lesson.title))
            if w not in STOP_WORDS and not re.fullmatch(r"[\d\W_]+", w)}


@dataclass
class SameIncident:
    """Judges pairs; what it reads of a lesson is read once, when a pair first needs it (most
    pairs are settled by their services, and reading every lesson's symptoms up front cost a
    second at 10,000 lessons)."""

    _titles: dict[str, set[str]] = field(default_factory=dict)
    _symptoms: dict[str, set[str]] = field(default_factory=dict)

    def services(self, a: Lesson, b: Lesson) -> list[str] | None:
        """The services both name; None when either names none (it cannot be judged)."""
        if not a.services or not b.services:
            return None
        return sorted(set(a.services) & set(b.services))

    def symptom(self, a: Lesson, b: Lesson) -> list[str]:
        """What both say was observed: shared stated symptoms, else the same title; [] when
        they do not agree (stated symptoms that differ, or neither)."""
        mine = _kept(self._symptoms, a, stated_symptoms)
        theirs = _kept(self._symptoms, b, stated_symptoms)
        status = ({x for x in mine if x.startswith("HTTP")},
                  {x for x in theirs if x.startswith("HTTP")})
        if all(status):  # statuses decide: a 404 outage is not a 503 one, whatever else
            return sorted(status[0] & status[1])
        if mine and theirs:
            return sorted(mine & theirs)
        mine_t = _kept(self._titles, a, title_words)
        theirs_t = _kept(self._titles, b, title_words)
        union = mine_t | theirs_t
        if union and len(mine_t & theirs_t) >= SAME_TITLE * len(union):
            return [f"the same title ({a.title!r})" if a.title == b.title
                    else "titles that say the same: " + ", ".join(sorted(mine_t & theirs_t))]
        return []


def _kept(cache: dict[str, set[str]], lesson: Lesson,
          read: Callable[[Lesson], set[str]]) -> set[str]:
    if lesson.id not in cache:
        cache[lesson.id] = read(lesson)
    return cache[lesson.id]
