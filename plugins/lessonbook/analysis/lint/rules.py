"""The lint rules, applied to one lesson (the codes are listed in the package's docstring)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...model.kinds import get_kind
from ...model.lesson import Lesson
from ...model.problems import Problem, Severity
from .body import _prose_lines, _task_sections
from .options import LintOptions
from .phrases import _PhraseFinder
from .vocabulary import (
    _CAUSE_HEADING,
    _CAUSE_KEYWORDS,
    _CAUSES,
    _CHAT_HEADING,
    _INLINE_CODE,
    _NAME,
    _NAME_DOING,
    _NAME_IN_BRACKETS,
    _TIMELINE_HEADING,
    CHAT_SPEAKER,
    COMMON_WORDS,
    EMAIL,
    HANDLE,
    NOT_PEOPLE,
    ROLE_WORDS,
    _causes_starting,
    is_role_address,
)

_LOWER_WORD = re.compile(r"(?<![\w@])[a-z][a-z'-]+")
_NOT_WORDS = re.compile(r"\S+://\S+|[\w.+-]+@[\w.-]+|@[\w-]+|`[^`]*`")
"""Addresses, handles, URLs and code: 'tim.smith@example.com' does not make 'Tim' a word."""
_FEW = 5
"""How many handles or names a summary warning lists before 'and N more'."""


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
        self.handled: dict[str, tuple[str, list[int | None]]] = {}
        """Handles, addresses and chat speakers in the timeline and chat logs, by who they
        are ('@Katharine' and the speaker 'Katharine' are one) → (as first written, lines)."""
        self._lower: set[str] | None = None

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
                timeline = bool(_TIMELINE_HEADING.search(section) or
                                _CHAT_HEADING.search(section))
                continue
            if causes and self.cause(text, line, f"cause under '{section}'"):
                continue
            if cause_only:
                continue
            self.narrative(_strip_code(text), line)
            self.names(_strip_code(text), line)
            if timeline:
                self.handles(_strip_code(text), line)

    # --- people -----------------------------------------------------------------------------
    def handles(self, text: str, line: int | None) -> None:
        """Collect every @handle, personal address and chat speaker ('Katharine [8:27 AM]')
        of a timeline or chat-log line; they are reported together
        (``people_in_narrative``), not one warning per line."""
        speaker = CHAT_SPEAKER.match(text)
        if speaker and speaker.group(1).lower() not in NOT_PEOPLE | ROLE_WORDS | self.allowed:
            self._mention(speaker.group(1), line)
        if "@" not in text:
            return
        found = [m.group(0) for m in EMAIL.finditer(text) if not is_role_address(m.group(0))]
        found += [m.group(0) for m in HANDLE.finditer(text)
                  if not is_role_address(m.group(0)[1:] + "@")]
        for value in found:
            if value.lower().lstrip("@") not in self.allowed:
                self._mention(value, line)

    def _mention(self, value: str, line: int | None) -> None:
        self.handled.setdefault(value.lower().lstrip("@"), (value, []))[1].append(line)

    def common(self, word: str) -> bool:
        """A capitalised word that is an ordinary word: in COMMON_WORDS, or written in lower
        case somewhere in this lesson ('Cluster' where the text says 'the cluster')."""
        word = word.lower()
        if word in COMMON_WORDS:
            return True
        if self._lower is None:
            lesson = self.lesson
            texts = [_NOT_WORDS.sub(" ", t) for t in (lesson.body, lesson.summary or "",
                                                          lesson.title or "")]
            self._lower = {w.strip("'-") for t in texts for w in _LOWER_WORD.findall(t)}
        return word in self._lower

    def people(self, text: str, line: int | None, where: str, whole_value: bool = False) -> None:
        for pattern, what in ((EMAIL, "an e-mail address"), (HANDLE, "an @handle")):
            found = pattern.search(text)
            if found and not is_role_address(found.group(0).lstrip("@") +
                                             ("" if "@" in found.group(0)[1:] else "@")):
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
        """Collect people the narrative names (cautiously; see the package doc)."""
        if (text.lower() == text) if text.isascii() else not any(c.isupper() for c in text):
            return  # in ASCII, lower() changes exactly the capitals: one C call, not a loop
        found = [m.group(1) for m in _NAME_IN_BRACKETS.finditer(text)]
        for match in _NAME_DOING.finditer(text):
            found += [g for g in (match.group(1), match.group(2)) if g]
        for name in found:
            words = name.lower().split()
            if name.lower() in self.allowed or any(
                    w in NOT_PEOPLE or w in ROLE_WORDS or w in self.allowed or self.common(w)
                    for w in words):
                continue
            self.named.setdefault(name, line)

    def people_in_narrative(self) -> None:
        """One warning per lesson for every person its text names: handles and addresses in
        the timeline and chat logs (the most frequent few, then how many more) and names in
        the narrative. An imported chat export names people on every line; one warning
        says so once."""
        parts: list[str] = []
        firsts: list[int] = []
        if self.handled:
            ranked = sorted(self.handled.values(), key=lambda item: -len(item[1]))
            listed = ", ".join(f"{value!r}" + (f" ({len(lines)} times)" if len(lines) > 1
                                               else "") for value, lines in ranked[:_FEW])
            more = f" and {len(ranked) - _FEW} more" if len(ranked) > _FEW else ""
            mentions = sum(len(lines) for _, lines in self.handled.values())
            parts.append(f"the timeline and chat logs name people (handles, addresses, "
                         f"speakers) "
                         f"{mentions} time(s): {listed}{more}")
            firsts += [line for _, lines in self.handled.values() for line in lines if line]
        if self.named:
            names = list(self.named.items())
            listed = ", ".join(f"{name!r}" + (f" (line {line})" if line else "")
                               for name, line in names[:_FEW])
            more = f" and {len(names) - _FEW} more" if len(names) > _FEW else ""
            parts.append(f"the narrative names people: {listed}{more}")
            firsts += [line for _, line in names if line]
        if not parts:
            return
        self.warn(min(firsts) if firsts else None, "; ".join(parts),
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
