"""Blameless review, automated: warnings a reviewer would otherwise have to write by hand.

Validation says whether a lesson is well-formed; this module says whether it reads blameless and
is actionable. Every finding is a warning with a reason and a suggested rewrite, because the
author decides. Rules (codes):

- ``blame-cause``: "human error", "operator error", "carelessness" ... given as a contributing
  factor or under a root-cause / contributing-factors heading. Human error is where an
  investigation starts, not where it ends.
- ``blame-language``: a phrase from the configurable ``blame_words`` list anywhere in the
  narrative ("should have known", "negligent", "blame"); "failed to" only when a person is the
  subject ("she failed to", "the on-call engineer failed to"), so "the job failed to start" and
  "a failed deploy" pass.
- ``person-named``: an e-mail address or @handle in a follow-up/rule/risk/checklist owner or in
  the body's timeline, or an owner that looks like a person's name (two or three capitalised
  words with no role word, not a known team, not in ``allowed_names``).
- ``person-named`` also: people named in the narrative, cautiously: a capitalised name as the
  subject of what people do ("Emil notified the team", "Audun evaluated ...", "Ross was
  assigned") or a full name in brackets ("(Lloyd Middleton)"); tools, roles, teams and
  ``allowed_names`` are not names. One warning per lesson, naming them all.
- ``no-follow-ups``: a postmortem without follow-ups.
- ``follow-up-incomplete``: an open follow-up without an owner or a due date; for an imported
  lesson (``imported_from``), whose follow-ups are history, one warning for all of them.
- ``checklist-long``: a checklist section with far more than the 5-9 items that get read.

A rule without both "if" and "then" is already a validation error, so it is not repeated here.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import accumulate
from typing import cast

from ..model.kinds import get_kind
from ..model.lesson import Lesson
from ..model.options import Options
from ..model.problems import Problem, Severity
from ..speed.work import Work
from ..speed.workers import map_in_order

# phrase -> (why it hurts, what to write instead). Phrases are matched case-insensitively on
# word boundaries; "blame" does not match "blameless".
DEFAULT_BLAME_WORDS: dict[str, tuple[str, str]] = {
    "should have known": (
        "hindsight: it judges a decision by an outcome nobody knew at the time",
        "describe what the person knew and saw then, and why the action made sense",
    ),
    "should have noticed": (
        "hindsight: it judges a decision by an outcome nobody knew at the time",
        "describe what the signal looked like among everything else on screen",
    ),
    "failed to": (
        "it makes a person's omission the cause",
        "say what the system or process did not provide, e.g. 'the runbook had no step for X'",
    ),
    "negligent": ("it assigns fault to a person", "describe the conditions that allowed it"),
    "negligence": ("it assigns fault to a person", "describe the conditions that allowed it"),
    "careless": ("it assigns fault to a person", "describe what made the mistake easy to make"),
    "carelessness": ("it assigns fault to a person",
                     "describe what made the mistake easy to make"),
    "sloppy": ("it assigns fault to a person", "describe what made the mistake easy to make"),
    "incompetent": ("it assigns fault to a person",
                    "describe the training, tooling or context that was missing"),
    "blame": ("a blameless review looks for conditions, not culprits",
              "describe the conditions that made the outcome possible"),
    "blamed": ("a blameless review looks for conditions, not culprits",
               "describe the conditions that made the outcome possible"),
}

# Given as a cause, these end an investigation where it should start.
BLAME_CAUSES: tuple[str, ...] = (
    "human error", "operator error", "user error", "pilot error", "engineer error",
    "carelessness", "careless", "negligence", "lack of attention", "inattention",
    "not paying attention", "did not follow the process", "didn't follow the process",
)

_CAUSES = re.compile("|".join(rf"(?<![\w-]){re.escape(c)}(?![\w-])" for c in BLAME_CAUSES),
                     re.IGNORECASE)

# Subjects that make "failed to" about a person rather than a system.
_PERSON_SUBJECTS = (
    r"i|we|he|she|they|you|someone|somebody|nobody|no one|everyone|"
    r"(?:the |an? |our |their )?(?:[\w-]+ )?(?:engineer|engineers|operator|operators|developer|"
    r"developers|dev|devs|on-?call|responder|responders|reviewer|reviewers|author|admin|"
    r"administrator|person|people|staff|employee|contractor|manager|lead|sre|sres|human|team)"
)
_FAILED_TO = re.compile(rf"\b(?:{_PERSON_SUBJECTS}|@[\w-]+)\s+(?:had\s+|has\s+|have\s+)?"
                        r"failed\s+to\b", re.IGNORECASE)

_FAILED_TO_TAIL = re.compile(r"failed\s+to\b", re.IGNORECASE)
"""What ``_FAILED_TO`` cannot match without: a search of it costs ~1 µs, of ``_FAILED_TO``
(its person subjects tried at every word) ~45 µs; "failed" alone is common."""

EMAIL = re.compile(r"\b[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
HANDLE = re.compile(r"(?<![\w.@/`])@[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?\b(?![.@]\w)")
_NAME = re.compile(r"^[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?(?:\s+[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?)"
                   r"{1,2}$")
_ROLE_TEXT = """
team teams squad group guild chapter tribe crew desk office council board committee rotation
lead leads captain manager management owner owners engineer engineers engineering commander
coordinator director head officer architect analyst admin administrator on-call oncall sre
platform ops operations support security reliability infrastructure infra data release
incident product service services network database storage payments billing checkout search
customer success legal finance marketing sales ux design qa quality vendor partner editor
"""
ROLE_WORDS = frozenset(_ROLE_TEXT.split())
"""Words that make an owner value a role or team rather than a person."""
TASK_ITEM = re.compile(r"^\s*[-*+]\s+\[[ xX]\]\s")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_CAUSE_HEADING = re.compile(r"root[- ]?causes?|contributing[- ]factors?|causes?|why\b",
                            re.IGNORECASE)
_INLINE_CODE = re.compile(r"`[^`]*`")
_TIMELINE_HEADING = re.compile(r"timeline|chronology|sequence of events", re.IGNORECASE)
_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = "a-zß-öø-ÿ"
_NAME_WORD = rf"[{_UPPER}][{_LOWER}]{{2,}}(?:[-'][{_UPPER}]?[{_LOWER}]+)?"
PERSON_VERBS: tuple[str, ...] = (
    "notified", "informed", "told", "asked", "emailed", "called", "pinged", "messaged",
    "contacted", "evaluated", "discussed", "decided", "agreed", "joined", "acknowledged",
    "noticed", "looked for", "looked into", "looked at", "escalated", "reached out",
    *(f"{be} {done}" for be in ("was", "were")
      for done in ("assigned", "notified", "paged", "informed", "asked")),
)
"""What a person does after their name in "Emil notified the team" (tried in this order)."""
_PERSON_VERBS = "|".join(re.escape(verb) for verb in PERSON_VERBS)
_NAME_DOING = re.compile(rf"(?<![\w.@/-])({_NAME_WORD}(?:\s+{_NAME_WORD})?)\s+"
                         rf"(?:and\s+({_NAME_WORD})\s+)?(?:{_PERSON_VERBS})\b")
_NAME_IN_BRACKETS = re.compile(rf"\(({_NAME_WORD}\s+{_NAME_WORD})\)")
_NOT_PEOPLE_TEXT = """
we they he she it this that there these those someone somebody everyone everybody nobody
developer developers user users customer customers member members colleague colleagues people
person client clients partner partners vendor everything nothing something anyone staff
none all both each either neither many most some few several others another
slack email mail teams pagerduty opsgenie datadog grafana prometheus alertmanager sentry github
gitlab jenkins jira statuspage aws azure google kubernetes terraform argocd flux okta cloudwatch
monitoring alerting automation pipeline bot nagios zabbix splunk honeycomb
"""
NOT_PEOPLE = frozenset(_NOT_PEOPLE_TEXT.split())
"""Capitalised subjects of 'X notified Y' that are not people: pronouns, roles, tools."""


Matcher = tuple[str, re.Pattern[str], str, str]
"""A blame-language phrase: (phrase, pattern, why it hurts, what to write instead)."""


@dataclass(frozen=True)
class LintOptions:
    """What a site configures about the blameless lint (plugin options of the same names)."""

    enabled: bool = True
    blame_words: tuple[str, ...] | None = None
    """Phrases warned about in the narrative; None means DEFAULT_BLAME_WORDS."""
    allowed_names: tuple[str, ...] = ()
    """Owner values that look like names but are fine (a role called 'Release Captain')."""
    checklist_max_items: int = Options.checklist_max_items
    """Task items per checklist section before a warning; research suggests 5-9 get read."""
    known_teams: frozenset[str] = field(default_factory=frozenset)

    def phrases(self) -> dict[str, tuple[str, str]]:
        if self.blame_words is None:
            return DEFAULT_BLAME_WORDS
        generic = ("it reads as blaming a person", "describe the conditions, not the culprit")
        return {w.lower(): DEFAULT_BLAME_WORDS.get(w.lower(), generic)
                for w in self.blame_words if w.strip()}


EarlyLint = tuple[list[Problem], frozenset[str]]
"""A lesson linted before the other lessons' teams are known: its findings, and the names
the lint asked about that the names allowed then did not hold."""


def lint_lessons(lessons: Iterable[Lesson], options: LintOptions | None = None,
                 known_teams: Iterable[str] = (), work: Work | None = None, *,
                 digests: dict[str, str] | None = None, context: object = None,
                 early: Mapping[str, object] | None = None) -> list[Problem]:
    """Warnings for each lesson; ``known_teams`` (every lesson's teams) are never names.

    With ``work``'s cache (path → content hash, context, findings; kept across `mkdocs serve`
    rebuilds) a lesson whose file hash (``digests``) and ``context`` (what else its lesson
    was built from) are unchanged, and the same names allowed, is not linted again.
    ``early`` (path → :func:`lint_early` with the same options) is taken as it is unless a
    name it asked about is allowed now, which the lesson is then linted again for."""
    options = options or LintOptions()
    if not options.enabled:
        return []
    work = work or Work()
    cache = work.cache.lint if work.cache is not None else None
    teams = {t.lower() for t in known_teams} | {t.lower() for t in options.known_teams}
    allowed = {a.lower() for a in options.allowed_names} | teams
    phrases = _PhraseFinder(_phrase_matchers(options.phrases()), work.speed.lint_prefilter)
    lessons = list(lessons)
    key = (context, options, frozenset(allowed))
    found: list[list[Problem] | None] = [None] * len(lessons)
    if cache is not None and digests is not None:
        for index, lesson in enumerate(lessons):
            entry = cache.get(lesson.path)
            if (entry is not None and lesson.path in digests
                    and entry[0] == digests[lesson.path] and entry[1] == key):
                found[index] = list(entry[2])
    if early:
        for index, lesson in enumerate(lessons):
            done = cast("EarlyLint | None", early.get(lesson.path))
            if found[index] is None and done is not None and allowed.isdisjoint(done[1]):
                found[index] = list(done[0])
    todo = [index for index, problems in enumerate(found) if problems is None]
    linted = map_in_order(lambda i: _Linter(lessons[i], options, phrases, allowed).run(), todo,
                          work.speed)
    work.speed.report.lessons_linted += len(todo)
    for index, problems in zip(todo, linted, strict=True):
        found[index] = problems
        path = lessons[index].path
        if cache is not None and digests is not None and path in digests:
            cache[path] = (digests[path], key, list(problems))
    return [problem for problems in found for problem in problems or ()]


def lint_early(lesson: Lesson, options: LintOptions, prefilter: bool = True) -> EarlyLint:
    """The lint of one lesson where it was read, before the other lessons are: with only the
    configured names allowed, noting every name the lint asked about and did not find. The
    names allowed later (those plus every lesson's teams) only add to these, so unless one of
    the noted names is among them, every answer, and so every finding, is the same."""
    phrases, allowed = _prepared(options, prefilter)
    asked = _Asking(allowed)
    return _Linter(lesson, options, phrases, asked).run(), frozenset(asked.missed)


@functools.lru_cache(maxsize=8)
def _prepared(options: LintOptions, prefilter: bool) -> tuple[_PhraseFinder, frozenset[str]]:
    """The phrase patterns and configured names of a site, built once per process."""
    return (_PhraseFinder(_phrase_matchers(options.phrases()), prefilter),
            frozenset({a.lower() for a in options.allowed_names}
                      | {t.lower() for t in options.known_teams}))


class _Asking(set[str]):
    """Names allowed, remembering each name asked about that is not among them."""

    def __init__(self, names: Iterable[str]) -> None:
        super().__init__(names)
        self.missed: set[str] = set()

    def __contains__(self, name: object) -> bool:
        if set.__contains__(self, name):
            return True
        self.missed.add(str(name))
        return False


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


_CAUSE_KEYWORDS = _Keywords(filter(None, map(_keyword, BLAME_CAUSES)))
"""BLAME_CAUSES all start with a word: no text without one of these is a cause."""

@functools.cache
def _causes_starting(keywords: frozenset[str]) -> re.Pattern[str]:
    """``_CAUSES`` with only the causes whose keyword is in ``keywords``, in the same order.

    It finds what ``_CAUSES`` finds in a text where ``keywords`` are the keywords found: a
    cause matches only where its keyword is a whole word, which the keyword pass finds, so
    the causes left out match nowhere (searching all thirteen cost ~15 µs a line)."""
    return re.compile("|".join(rf"(?<![\w-]){re.escape(c)}(?![\w-])" for c in BLAME_CAUSES
                               if _keyword(c) in keywords), re.IGNORECASE)


_FOLDS = {0x130: "i", 0x131: "i", 0x17F: "s"}
"""The only characters beyond ASCII that a case-insensitive pattern matches with an ASCII
letter other than their lower case ('İ', whose lower case is two characters, 'ı', 'ſ')."""


def _fold(text: str) -> str:
    """``text`` in lower case, of the same length, with every character a case-insensitive
    pattern matches with an ASCII letter turned into that letter."""
    return text.lower() if text.isascii() else text.translate(_FOLDS).lower()


class _BodyLines:
    """Which lines of a body the narrative rules can find something in, from substring
    searches of the whole body: a typical lesson's forty lines then cost a few dozen C
    searches instead of a dozen regular expressions and Python calls per line.

    Each rule has a literal it cannot match without, in the same line: a blame phrase its
    keyword (any case), a cause its keyword (any case), a named person a verb of
    ``PERSON_VERBS`` or '(' (``names``), an e-mail address or @handle '@' (``people``). Lines
    with a backtick are always read (removing inline code can join letters into a phrase), as
    are lines that may be a heading or a fence (they decide the section and the code blocks).
    A line without any of these yields no finding, so skipping it changes nothing."""

    def __init__(self, keywords: Iterable[str]) -> None:
        self.narrative_any_case = tuple(sorted(set(keywords)))
        self.causes_any_case = tuple(sorted(_CAUSE_KEYWORDS.words - set(keywords)))
        self.narrative_exact = (*PERSON_VERBS, "(", "@", "`")
        self.marks = ("\n#", "```", "~~~")

    def read(self, lesson: Lesson) -> Iterator[tuple[int, str, str | None, bool]]:
        """What :func:`_prose_lines` yields for the lines worth reading, each with whether
        only a cause's keyword is in it (nothing but ``cause`` can find anything there)."""
        body = lesson.body
        folded = _fold(body)
        narrative = _found_at(folded, self.narrative_any_case)
        narrative += _found_at(body, self.narrative_exact)
        causes = _found_at(folded, self.causes_any_case)
        marks = _found_at(body, self.marks)
        if not (narrative or causes or marks or body.startswith("#")):
            return
        lines = body.split("\n")
        ends = list(accumulate(len(line) + 1 for line in lines))
        """The position after each line's newline: position p is in line bisect(ends, p)."""
        for_narrative = {bisect_right(ends, position) for position in narrative}
        wanted = for_narrative | {bisect_right(ends, position) for position in causes}
        wanted.update(bisect_right(ends, position + 1) for position in marks)
        wanted.add(0)
        in_fence = False
        for offset in sorted(wanted):
            text = lines[offset]
            if _FENCE.match(text):
                in_fence = not in_fence
                continue
            if not in_fence:
                heading = _HEADING.match(text)
                yield (lesson.body_line + offset, text, heading.group(2) if heading else None,
                       offset not in for_narrative)


def _found_at(text: str, literals: Iterable[str]) -> list[int]:
    """Every position where one of ``literals`` starts in ``text``."""
    found: list[int] = []
    for literal in literals:
        position = text.find(literal)
        while position != -1:
            found.append(position)
            position = text.find(literal, position + 1)
    return found


class _Linter:
    def __init__(self, lesson: Lesson, options: LintOptions, phrases: _PhraseFinder,
                 allowed: set[str]):
        self.lesson = lesson
        self.options = options
        self.phrases = phrases
        self.allowed = allowed
        self.problems: list[Problem] = []
        self.named: dict[str, int | None] = {}
        """People named in the narrative → the first line naming them."""

    def warn(self, line: int | None, message: str, suggestion: str, code: str) -> None:
        self.problems.append(Problem(self.lesson.path, line, Severity.WARNING, message,
                                     suggestion, code))

    def run(self) -> list[Problem]:
        lesson = self.lesson
        for index, factor in enumerate(lesson.contributing_factors):
            line = lesson.line_of("contributing_factors", index)
            if not self.cause(factor, line, "contributing factor"):
                self.narrative(factor, line)
        for path, text in _front_texts(lesson):
            self.narrative(text, lesson.line_of(*path))
        self.body()
        self.people_in_narrative()
        self.owners()
        self.follow_ups()
        if lesson.kind == "checklist":
            self.checklist()
        return self.problems

    # --- blame ----------------------------------------------------------------------------
    def cause(self, text: str, line: int | None, where: str) -> bool:
        words = _CAUSE_KEYWORDS.found(text)
        if words == set():
            return False
        found = (_CAUSES if words is None else _causes_starting(frozenset(words))).search(text)
        if not found:
            return False
        self.warn(line, f"{found.group(0).lower()!r} given as a {where}: human error is where "
                  "an investigation starts, not where it ends",
                  "ask what made the action reasonable at the time and name those "
                  "conditions, e.g. 'the deploy tool accepted a production target "
                  "without confirmation'", "blame-cause")
        return True

    def narrative(self, text: str, line: int | None) -> None:
        for _phrase, pattern, reason, rewrite in self.phrases.candidates(text):
            found = pattern.search(text)
            if found:
                self.warn(line, f"blame language {found.group(0).strip()!r}: {reason}",
                          rewrite, "blame-language")

    def body(self) -> None:
        section, causes, timeline = "", False, False
        finder = self.phrases.body_lines
        lines = (finder.read(self.lesson) if finder is not None else
                 ((*line, False) for line in _prose_lines(self.lesson)))
        for line, text, heading, cause_only in lines:
            if heading is not None:
                section = heading
                causes = bool(_CAUSE_HEADING.search(section))  # once per section, not per line
                timeline = bool(_TIMELINE_HEADING.search(section))
                continue
            if causes and self.cause(text, line, f"cause under '{section}'"):
                continue
            if cause_only:
                continue
            self.narrative(_strip_code(text), line)
            self.names(_strip_code(text), line)
            if timeline:
                self.people(_strip_code(text), line, "the timeline")

    # --- people -----------------------------------------------------------------------------
    def people(self, text: str, line: int | None, where: str, whole_value: bool = False) -> None:
        for pattern, what in ((EMAIL, "an e-mail address"), (HANDLE, "an @handle")):
            found = pattern.search(text)
            if found:
                self.warn(line, f"{where} names a person ({what} {found.group(0)!r})",
                          "write the role instead, e.g. 'on-call SRE' or 'payments team'",
                          "person-named")
                return
        value = text.strip()
        if whole_value and _looks_like_name(value) and value.lower() not in self.allowed:
            self.warn(line, f"{where} {value!r} looks like a person's name",
                      "write the role or team instead (blameless, and it survives "
                      "reorganisations); add it to allowed_names if it is a role",
                      "person-named")

    def names(self, text: str, line: int | None) -> None:
        """Collect people the narrative names (cautiously; see the module doc)."""
        if (text.lower() == text) if text.isascii() else not any(c.isupper() for c in text):
            return  # in ASCII, lower() changes exactly the capitals: one C call, not a loop
        found = [m.group(1) for m in _NAME_IN_BRACKETS.finditer(text)]
        for match in _NAME_DOING.finditer(text):
            found += [g for g in (match.group(1), match.group(2)) if g]
        for name in found:
            words = name.lower().split()
            if name.lower() in self.allowed or any(
                    w in NOT_PEOPLE or w in ROLE_WORDS or w in self.allowed for w in words):
                continue
            self.named.setdefault(name, line)

    def people_in_narrative(self) -> None:
        if not self.named:
            return
        names = ", ".join(f"{name!r}" + (f" (line {line})" if line else "")
                          for name, line in self.named.items())
        first = next(iter(self.named.values()))
        self.warn(first, f"the narrative names people: {names}",
                  "write the role instead ('the on-call engineer notified the team'): a "
                  "blameless review is about what people knew and did, not who; add a word "
                  "to allowed_names if it is not a person", "person-named")

    def owners(self) -> None:
        lesson = self.lesson
        for i, follow_up in enumerate(lesson.follow_ups):
            if follow_up.owner:
                self.people(follow_up.owner, lesson.line_of("follow_ups", i, "owner"),
                            f"follow-up {i + 1} owner", whole_value=True)
        for i, rule in enumerate(lesson.rules):
            if rule.owner:
                self.people(rule.owner, lesson.line_of("rules", i, "owner"),
                            f"rule {i + 1} owner", whole_value=True)
        for i, risk in enumerate(lesson.details.get("risks", []) or []):
            if isinstance(risk, dict) and risk.get("owner"):
                self.people(str(risk["owner"]), lesson.line_of("premortem", "risks", i, "owner"),
                            f"risk {i + 1} owner", whole_value=True)
        if lesson.kind == "checklist" and lesson.details.get("owner"):
            self.people(str(lesson.details["owner"]), lesson.line_of("owner"),
                        "checklist owner", whole_value=True)

    # --- follow-ups and checklists ---------------------------------------------------------
    def follow_ups(self) -> None:
        lesson = self.lesson
        kind = get_kind(lesson.kind)
        if kind and kind.expects_follow_ups and not lesson.follow_ups:
            self.warn(lesson.line_of("type"), f"a {kind.label.lower()} with no follow-ups: "
                      "readers cannot tell what changed",
                      "add follow_ups: with action, owner and due; if nothing will change, "
                      "add one with status: dropped and say why",
                      "no-follow-ups")
        if lesson.imported_from:
            self.historical_follow_ups()
            return
        for i, follow_up in enumerate(lesson.follow_ups):
            if follow_up.status != "open":
                continue
            missing = [name for name, value in (("owner", follow_up.owner),
                                                ("due date", follow_up.due)) if not value]
            if missing:
                self.warn(follow_up.line or lesson.line_of("follow_ups", i),
                          f"follow-up {i + 1} has no {' and no '.join(missing)}: open actions "
                          "without both tend not to happen",
                          "add owner: <role or team> and due: YYYY-MM-DD",
                          "follow-up-incomplete")

    def historical_follow_ups(self) -> None:
        """An imported lesson's follow-ups record what another team decided, often without an
        owner or a date: one warning for them all, not one per item."""
        lesson = self.lesson
        lacking = [f for f in lesson.follow_ups if f.status == "open" and
                   not (f.owner and f.due)]
        if lacking:
            self.warn(lesson.line_of("follow_ups"),
                      f"{len(lacking)} of {len(lesson.follow_ups)} imported follow-ups are open "
                      "without an owner or a due date",
                      "give the ones still wanted an owner and a due date, and mark the rest "
                      "done or dropped", "follow-up-incomplete")

    def checklist(self) -> None:
        limit = self.options.checklist_max_items
        for title, first_line, count in _task_sections(self.lesson):
            if count > limit:
                where = f"section '{title}'" if title else "the checklist"
                self.warn(first_line, f"{where} has {count} items; checklists that get used "
                          f"have 5-9 per pause point (this site warns above {limit})",
                          "keep the killer items that are easy to miss, split the rest by "
                          "pause point, and move explanations into the text", "checklist-long")


def _looks_like_name(value: str) -> bool:
    if not _NAME.match(value):
        return False
    return not any(word.lower() in ROLE_WORDS for word in re.split(r"[\s-]+", value))


def _strip_code(text: str) -> str:
    return _INLINE_CODE.sub("", text) if "`" in text else text


def _front_texts(lesson: Lesson) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Narrative text in the front-matter, with the path of its line."""
    if lesson.summary:
        yield ("summary",), lesson.summary
    for key, value in lesson.impact.items():
        if isinstance(value, str):
            yield ("impact", key), value
    for i, follow_up in enumerate(lesson.follow_ups):
        yield ("follow_ups", i, "action"), follow_up.action
    kind = get_kind(lesson.kind)
    block = kind.block if kind and kind.narrative_block else None
    if block:
        for key, value in lesson.details.items():
            if isinstance(value, str):
                yield (block, key), value


def _prose_lines(lesson: Lesson) -> Iterator[tuple[int, str, str | None]]:
    """(file line, text, heading text or None) for each body line outside fenced code: the one
    walk the narrative and checklist rules share, so logs in code blocks are never linted."""
    in_fence = False
    for offset, text in enumerate(lesson.body.split("\n")):
        if _FENCE.match(text):
            in_fence = not in_fence
            continue
        if not in_fence:
            heading = _HEADING.match(text)
            yield lesson.body_line + offset, text, heading.group(2) if heading else None


def _task_sections(lesson: Lesson) -> Iterator[tuple[str, int, int]]:
    """(heading, line of the heading or first item, task items) per body section."""
    title, first, count = "", lesson.body_line, 0
    for line, text, heading in _prose_lines(lesson):
        if heading is not None:
            if count:
                yield title, first, count
            title, first, count = heading, line, 0
        elif TASK_ITEM.match(text):
            count += 1
    if count:
        yield title, first, count
