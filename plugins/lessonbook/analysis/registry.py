"""The registry of changed behaviour: if-then rules, checklists and follow-ups across lessons.

A lesson is worth something when it changes an artifact that shapes the next decision. This
module follows that chain across the whole knowledge base: the rule a lesson adopted and every
later lesson that applied, amended, retired or superseded it; the checklists lessons created or
changed; and every follow-up with whether it is overdue on the build date. It also finds the
cross-document problems no single file can show (unknown rule ids, duplicate rule ids, checklists
without items). Plain Python: the MkDocs adapter and the CLI both call :func:`build_registry`
or :func:`registry_problems`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..load.knowledge_base import KnowledgeBase
from ..model.lesson import FollowUp, Lesson, RuleDeclaration, RuleUpdate
from ..model.problems import Problem, Severity, did_you_mean, sort_problems
from ..site.pages import GeneratedPage

RULES_PAGE = "rules.md"
CHECKLISTS_PAGE = "checklists.md"
FOLLOW_UPS_PAGE = "follow-ups.md"

REGISTRY_FIELDS_VERSION = 1

RULE_STATUS_ORDER = ("adopted", "proposed", "retired", "superseded")
FOLLOW_UP_STATES = ("overdue", "open", "done", "dropped")
NO_CATEGORY = "uncategorised"
NO_OWNER = "no owner"

_TASK = re.compile(r"^(?P<indent>[ \t]*)[-*+][ \t]+\[(?P<mark>[ xX])\][ \t]+(?P<text>\S.*?)\s*$")
_FENCE = re.compile(r"^[ \t]*(```|~~~)")
_PAUSE_HEADING = re.compile(r"^#{2,6}[ \t]+pause[ \t]+point\b[ \t]*[:\-–—]?[ \t]*(?P<text>.*?)"
                            r"[ \t#]*$", re.IGNORECASE)
# Words that open a noun phrase, never an instruction: "The rollback plan", "A second approver".
_NOT_ACTION_OPENERS = frozenset({
    "a", "an", "the", "this", "that", "these", "those", "our", "your", "their", "its", "my",
})


# --- the records ------------------------------------------------------------------------------
@dataclass
class RuleEvent:
    """One dated change in a rule's life, and the lesson that caused or recorded it."""

    change: str
    """proposed | adopted | applied | amended | retired | superseded"""
    lesson: Lesson
    date: dt.date
    note: str | None = None
    if_: str | None = None
    then: str | None = None
    by: str | None = None
    line: int | None = None


@dataclass
class RuleText:
    """A wording the rule had, from a date on; the last one is the current text."""

    if_: str
    then: str
    since: dt.date
    lesson: Lesson


@dataclass
class Rule:
    id: str
    if_: str
    then: str
    status: str
    owner: str | None
    source: Lesson
    line: int | None
    categories: list[str] = field(default_factory=list)
    teams: list[str] = field(default_factory=list)
    history: list[RuleEvent] = field(default_factory=list)
    texts: list[RuleText] = field(default_factory=list)
    superseded_by: str | None = None
    supersedes: list[str] = field(default_factory=list)
    produced_by: list[tuple[Lesson, FollowUp]] = field(default_factory=list)

    @property
    def sources(self) -> list[Lesson]:
        """The lesson that adopted the rule, then those whose follow-ups produced it."""
        return _unique_lessons([self.source, *(lesson for lesson, _ in self.produced_by)])

    @property
    def applied_in(self) -> list[Lesson]:
        return _unique_lessons([e.lesson for e in self.history if e.change == "applied"])

    @property
    def amended_in(self) -> list[Lesson]:
        return _unique_lessons([e.lesson for e in self.history if e.change == "amended"])

    @property
    def status_date(self) -> dt.date:
        """When the rule reached its current status."""
        for event in reversed(self.history):
            if event.change in ("proposed", "adopted", "retired", "superseded"):
                return event.date
        return self.history[0].date

    @property
    def primary_category(self) -> str:
        return self.categories[0] if self.categories else NO_CATEGORY


@dataclass
class ChecklistItem:
    text: str
    checked: bool
    line: int
    depth: int = 0


@dataclass
class ChecklistChange:
    date: dt.date
    change: str
    lesson: Lesson | None
    lesson_id: str | None
    line: int | None


@dataclass
class Checklist:
    lesson: Lesson
    trigger: str | None
    owner: str | None
    items: list[ChecklistItem]
    pause_points: list[str]
    sources: list[Lesson]
    changes: list[ChecklistChange]
    produced_by: list[tuple[Lesson, FollowUp]] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.lesson.id

    @property
    def title(self) -> str:
        return self.lesson.title

    @property
    def item_count(self) -> int:
        return len(self.items)

    @property
    def shaped_by(self) -> list[Lesson]:
        """Every lesson that created or changed the checklist, oldest first."""
        lessons = [*self.sources, *(c.lesson for c in self.changes if c.lesson),
                   *(lesson for lesson, _ in self.produced_by)]
        return sorted(_unique_lessons(lessons), key=lambda x: (x.date, x.id))

    @property
    def last_changed(self) -> dt.date:
        dates = [c.date for c in self.changes] or [self.lesson.date]
        return max(dates)


@dataclass
class FollowUpEntry:
    lesson: Lesson
    follow_up: FollowUp
    overdue: bool

    @property
    def state(self) -> str:
        """overdue | open | done | dropped: overdue is an open follow-up past its due date."""
        return "overdue" if self.overdue else self.follow_up.status

    @property
    def owner(self) -> str:
        return self.follow_up.owner or NO_OWNER


@dataclass
class Closure:
    """Counts of follow-ups by state, and the closure rate done / (done + open).

    Open includes overdue. Dropped follow-ups are left out of the rate: a decision not to do
    something is neither a success nor a failure to close."""

    open: int = 0
    overdue: int = 0
    done: int = 0
    dropped: int = 0

    def add(self, entry: FollowUpEntry) -> None:
        setattr(self, entry.state, getattr(self, entry.state) + 1)

    @property
    def total(self) -> int:
        return self.open + self.overdue + self.done + self.dropped

    @property
    def rate(self) -> float | None:
        denominator = self.done + self.open + self.overdue
        return self.done / denominator if denominator else None

    @property
    def percent(self) -> str:
        return "—" if self.rate is None else f"{round(self.rate * 100)}%"


@dataclass
class Registry:
    rules: list[Rule]
    checklists: list[Checklist]
    follow_ups: list[FollowUpEntry]
    build_date: dt.date
    problems: list[Problem]

    def __post_init__(self) -> None:
        self.rule_by_id = {rule.id: rule for rule in self.rules}
        self.checklist_by_id = {c.id: c for c in self.checklists}
        # Indexed once so each lesson page's lookups cost O(its own entries), not O(registry).
        self._events_by_lesson: dict[str, list[tuple[Rule, RuleEvent]]] = {}
        for rule in self.rules:
            for event in rule.history:
                if event.lesson.id != rule.source.id:
                    self._events_by_lesson.setdefault(event.lesson.id, []).append((rule, event))
        self._checklists_by_lesson: dict[str, list[Checklist]] = {}
        for checklist in self.checklists:
            touched = {x.id for x in checklist.sources}
            touched.update(c.lesson.id for c in checklist.changes if c.lesson is not None)
            touched.update(source.id for source, _ in checklist.produced_by)
            for lesson_id in sorted(touched - {checklist.id}):
                self._checklists_by_lesson.setdefault(lesson_id, []).append(checklist)

    # --- per lesson -------------------------------------------------------------------------
    def rule_events_of(self, lesson: Lesson) -> list[tuple[Rule, RuleEvent]]:
        """What this lesson did to rules declared elsewhere (applied, amended, ...)."""
        return list(self._events_by_lesson.get(lesson.id, []))

    def checklists_of(self, lesson: Lesson) -> list[tuple[Checklist, list[str]]]:
        """Checklists this lesson created or changed, each with how: 'created from this
        lesson', the change-log entries it caused, the follow-ups that produced it."""
        out: list[tuple[Checklist, list[str]]] = []
        for checklist in self._checklists_by_lesson.get(lesson.id, []):
            how = []
            if any(x.id == lesson.id for x in checklist.sources):
                how.append("Created from this lesson.")
            how.extend(f"Changed on {c.date.isoformat()}: {c.change}" for c in checklist.changes
                       if c.lesson is not None and c.lesson.id == lesson.id)
            how.extend(f"Follow-up: {f.action}" for source, f in checklist.produced_by
                       if source.id == lesson.id)
            if how:
                out.append((checklist, how))
        return out

    # --- groupings for the pages ------------------------------------------------------------
    def rules_by_category(self) -> list[tuple[str, list[Rule]]]:
        groups: dict[str, list[Rule]] = {}
        for rule in self.rules:
            groups.setdefault(rule.primary_category, []).append(rule)
        order = sorted(groups, key=lambda c: (c == NO_CATEGORY, c))
        return [(c, sorted(groups[c], key=_rule_order)) for c in order]

    def rules_by_owner(self) -> list[tuple[str, list[Rule]]]:
        groups: dict[str, list[Rule]] = {}
        for rule in self.rules:
            groups.setdefault(rule.owner or NO_OWNER, []).append(rule)
        order = sorted(groups, key=lambda o: (o == NO_OWNER, o.lower()))
        return [(o, sorted(groups[o], key=_rule_order)) for o in order]

    def status_counts(self) -> list[tuple[str, int]]:
        return [(s, sum(r.status == s for r in self.rules)) for s in RULE_STATUS_ORDER]

    def follow_ups_in(self, state: str) -> list[tuple[str, list[FollowUpEntry]]]:
        """Follow-ups in one state grouped by owner (role or team)."""
        groups: dict[str, list[FollowUpEntry]] = {}
        for entry in self.follow_ups:
            if entry.state == state:
                groups.setdefault(entry.owner, []).append(entry)
        order = sorted(groups, key=lambda o: (o == NO_OWNER, o.lower()))
        return [(o, sorted(groups[o], key=_follow_up_order)) for o in order]

    def closure(self) -> Closure:
        total = Closure()
        for entry in self.follow_ups:
            total.add(entry)
        return total

    def closure_by_owner(self) -> list[tuple[str, Closure]]:
        groups: dict[str, Closure] = {}
        for entry in self.follow_ups:
            groups.setdefault(entry.owner, Closure()).add(entry)
        order = sorted(groups, key=lambda o: (o == NO_OWNER, o.lower()))
        return [(o, groups[o]) for o in order]


# --- building ---------------------------------------------------------------------------------
def build_registry(kb: KnowledgeBase, build_date: dt.date | None = None) -> Registry:
    """Rules, checklists and follow-ups of a knowledge base, with their cross-document problems.

    ``build_date`` decides which open follow-ups are overdue (due strictly before it); it is
    injected so builds and tests are reproducible, and defaults to today."""
    build_date = build_date or dt.date.today()
    problems: list[Problem] = []
    lessons = sorted(kb.lessons, key=lambda x: (x.date, x.id))
    rules = _declare_rules(lessons, problems)
    checklists = _build_checklists(kb, lessons, problems)
    _apply_updates(lessons, rules, problems)
    follow_ups = _collect_follow_ups(lessons, rules, checklists, build_date, problems)
    return Registry(sorted(rules.values(), key=lambda r: r.id),
                    sorted(checklists.values(), key=lambda c: c.title.lower()),
                    follow_ups, build_date, sort_problems(problems))


def registry_problems(kb: KnowledgeBase) -> list[Problem]:
    """Cross-document problems of rules, checklists and follow-ups; what `lessonbook check`
    reports next to kb.problems. None of them depends on the build date."""
    return build_registry(kb).problems


def _declare_rules(lessons: list[Lesson], problems: list[Problem]) -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for lesson in lessons:
        for decl in lesson.rules:
            if decl.id in rules:
                other = rules[decl.id]
                problems.append(Problem(
                    lesson.path, decl.line or lesson.line_of("rules"), Severity.ERROR,
                    f"rule id {decl.id!r} is already declared in {other.source.path}"
                    f"{_at(other.line)}; this declaration is ignored",
                    "give this rule its own id:, or refer to the existing rule under "
                    "rule_updates: with change: applied or amended", code="duplicate-rule"))
                continue
            rules[decl.id] = _new_rule(lesson, decl)
            if decl.status == "superseded":
                problems.append(Problem(
                    lesson.path, lesson.line_of("rules", lesson.rules.index(decl), "status"),
                    Severity.WARNING,
                    f"rule {decl.id!r} is declared superseded without saying by which rule",
                    f"record it under rule_updates: with rule: {decl.id}, change: superseded, "
                    "by: <id of the new rule>", code="superseded-without-by"))
    return rules


def _new_rule(lesson: Lesson, decl: RuleDeclaration) -> Rule:
    date = decl.date or lesson.date
    change = decl.status if decl.status in ("proposed", "adopted", "retired") else "adopted"
    rule = Rule(
        id=decl.id, if_=decl.if_, then=decl.then, status=decl.status, owner=decl.owner,
        source=lesson, line=decl.line,
        categories=list(decl.categories or lesson.categories), teams=list(lesson.teams),
    )
    rule.history.append(RuleEvent(change, lesson, date, None, decl.if_, decl.then,
                                  line=decl.line))
    if decl.status == "superseded":
        rule.history.append(RuleEvent("superseded", lesson, date, line=decl.line))
    rule.texts.append(RuleText(decl.if_, decl.then, date, lesson))
    return rule


def _apply_updates(lessons: list[Lesson], rules: dict[str, Rule],
                   problems: list[Problem]) -> None:
    """Replay every rule_updates event in date order (ties: lesson date, id, position).

    An update dated before the rule's declaration is accepted and shown where its date puts it;
    the status is still decided by the latest lifecycle event."""
    events: list[tuple[dt.date, dt.date, str, int, Lesson, RuleUpdate]] = []
    for lesson in lessons:
        for index, update in enumerate(lesson.rule_updates):
            rule = rules.get(update.rule)
            if rule is None:
                problems.append(Problem(
                    lesson.path, lesson.line_of("rule_updates", index, "rule"), Severity.ERROR,
                    f"rule_updates names unknown rule id {update.rule!r}",
                    did_you_mean(update.rule, rules) or "use the id: of a rule declared under "
                    "rules: in another lesson", code="unknown-rule"))
                continue
            if update.change == "superseded":
                if not update.by:
                    problems.append(Problem(
                        lesson.path, lesson.line_of("rule_updates", index), Severity.ERROR,
                        f"rule {update.rule!r} is marked superseded without 'by'",
                        "add by: <id of the rule that replaces it>", code="superseded-without-by"))
                    continue
                if update.by not in rules:
                    problems.append(Problem(
                        lesson.path, lesson.line_of("rule_updates", index, "by"), Severity.ERROR,
                        f"rule {update.rule!r} is superseded by unknown rule id {update.by!r}",
                        did_you_mean(update.by, rules) or "declare the new rule under rules: "
                        "first, and name its id here", code="unknown-rule"))
                    continue
                if update.by == update.rule:
                    problems.append(Problem(
                        lesson.path, lesson.line_of("rule_updates", index, "by"), Severity.ERROR,
                        f"rule {update.rule!r} cannot supersede itself",
                        "name the rule that replaces it, or use change: amended",
                        code="superseded-by-itself"))
                    continue
            elif update.by:
                problems.append(Problem(
                    lesson.path, lesson.line_of("rule_updates", index, "by"), Severity.WARNING,
                    f"'by' only means something with change: superseded (this is "
                    f"{update.change!r}); it is ignored", "remove by:, or use change: superseded",
                    code="by-without-superseded"))
            if update.change == "amended" and not (update.if_ or update.then):
                problems.append(Problem(
                    lesson.path, lesson.line_of("rule_updates", index), Severity.WARNING,
                    f"rule {update.rule!r} is marked amended without new 'if' or 'then' text",
                    "add then: (or if:) with the new wording, or use change: applied",
                    code="amended-without-text"))
            date = update.date or lesson.date
            events.append((date, lesson.date, lesson.id, index, lesson, update))
    for date, _, _, _, lesson, update in sorted(events, key=lambda e: e[:4]):
        rule = rules[update.rule]
        by = update.by if update.change == "superseded" else None
        rule.history.append(RuleEvent(update.change, lesson, date, update.note, update.if_,
                                      update.then, by, update.line))
        if update.change == "amended" and (update.if_ or update.then):
            rule.if_ = update.if_ or rule.if_
            rule.then = update.then or rule.then
            rule.texts.append(RuleText(rule.if_, rule.then, date, lesson))
        elif update.change in ("adopted", "retired"):
            rule.status = update.change
        elif update.change == "superseded" and by:
            rule.status = "superseded"
            rule.superseded_by = by
            if rule.id not in rules[by].supersedes:
                rules[by].supersedes.append(rule.id)
        if update.change in ("adopted", "retired"):
            rule.superseded_by = None
    for rule in rules.values():
        # History reads in date order; the declaration stays first on equal dates.
        first, rest = rule.history[0], rule.history[1:]
        rule.history = [first, *sorted(rest, key=lambda e: e.date)]


def parse_items(lesson: Lesson) -> list[ChecklistItem]:
    """Markdown task-list items (`- [ ]`, `- [x]`) of a body, outside fenced code blocks."""
    items: list[ChecklistItem] = []
    fence: str | None = None
    for offset, text in enumerate(lesson.body.split("\n")):
        opened = _FENCE.match(text)
        if opened:
            if fence is None:
                fence = opened.group(1)
            elif opened.group(1) == fence:
                fence = None
            continue
        if fence is not None:
            continue
        match = _TASK.match(text)
        if match:
            depth = len(match.group("indent").expandtabs(4)) // 2
            items.append(ChecklistItem(match.group("text"), match.group("mark") != " ",
                                       lesson.body_line + offset, depth))
    return items


def parse_pause_headings(lesson: Lesson) -> list[str]:
    """`### Pause point: before the cutover` headings in the body, as pause point texts."""
    out = []
    fence: str | None = None
    for text in lesson.body.split("\n"):
        opened = _FENCE.match(text)
        if opened:
            fence = opened.group(1) if fence is None else (None if opened.group(1) == fence
                                                             else fence)
            continue
        match = _PAUSE_HEADING.match(text) if fence is None else None
        if match:
            out.append(match.group("text") or "Pause point")
    return out


def not_an_action(text: str) -> str | None:
    """Why an item does not read as an action, or None. Deliberately conservative: only a
    question, or a phrase opening with an article or possessive ("The backup", "Our runbook"),
    is flagged; anything else might be an imperative we do not recognise."""
    words = re.sub(r"^[*_`\s]+", "", text).split()
    if not words:
        return "it is empty"
    if text.rstrip("*_` ").endswith("?"):
        return "it is a question"
    if words[0].lower().strip(",.:;") in _NOT_ACTION_OPENERS:
        return f"it starts with {words[0]!r}, a noun phrase rather than an instruction"
    return None


def _build_checklists(kb: KnowledgeBase, lessons: list[Lesson],
                      problems: list[Problem]) -> dict[str, Checklist]:
    ids = {x.id for x in lessons}
    checklists: dict[str, Checklist] = {}
    for lesson in lessons:
        if lesson.kind != "checklist":
            continue
        d = lesson.details
        sources = []
        for index, source_id in enumerate(d.get("sources", [])):
            source = kb.get(source_id)
            if source is None:
                problems.append(Problem(
                    lesson.path, lesson.line_of("sources", index), Severity.ERROR,
                    f"checklist source {source_id!r} is not a known lesson id",
                    did_you_mean(source_id, ids) or "check the id: of the lesson that "
                    "created this checklist", code="unknown-id"))
            elif source.id != lesson.id:
                sources.append(source)
        changes = []
        for index, raw in enumerate(d.get("changes", [])):
            target = raw.get("lesson")
            found = kb.get(target) if target else None
            if target and found is None:
                problems.append(Problem(
                    lesson.path, lesson.line_of("changes", index, "lesson"), Severity.ERROR,
                    f"checklist change names unknown lesson id {target!r}",
                    did_you_mean(target, ids) or "check the id: of the lesson that caused "
                    "the change", code="unknown-id"))
            changes.append(ChecklistChange(raw["date"], raw["change"], found, target,
                                           raw.get("_line")))
        changes.sort(key=lambda c: c.date)
        items = parse_items(lesson)
        pause_points = _merge_pause_points(d.get("pause_points", []),
                                           parse_pause_headings(lesson))
        checklists[lesson.id] = Checklist(lesson, d.get("trigger"), d.get("owner"), items,
                                          pause_points, sources, changes)
        problems.extend(_checklist_quality(lesson, items))
    return checklists


def _merge_pause_points(declared: list[str], headings: list[str]) -> list[str]:
    """Front-matter pause points first, then headings that do not repeat one of them
    ('### Pause point: Before promotion' repeats 'Before promotion: lag under 1 s')."""
    out = list(declared)
    for heading in headings:
        key = heading.casefold().rstrip(".:")
        if not any(p.casefold().startswith(key) or key.startswith(p.casefold().rstrip(".:"))
                   for p in out):
            out.append(heading)
    return out


def _checklist_quality(lesson: Lesson, items: list[ChecklistItem]) -> list[Problem]:
    """The checks a usable checklist needs. A missing trigger is already reported by
    validation (code checklist-trigger), so it is not repeated here."""
    if not items:
        return [Problem(lesson.path, lesson.body_line, Severity.ERROR,
                        "checklist has no items: write them as a Markdown task list",
                        "add lines like '- [ ] Confirm the rollback command works'",
                        code="checklist-empty")]
    problems = []
    # Length (7±2 items per pause point) is the lint's `checklist-long` rule, not repeated here.
    for item in items:
        why = not_an_action(item.text)
        if why:
            problems.append(Problem(
                lesson.path, item.line, Severity.WARNING,
                f"checklist item {item.text!r} is not an action: {why}",
                "start it with a verb: 'Confirm ...', 'Check ...', 'Page ...'",
                code="checklist-item"))
    return problems


def _collect_follow_ups(lessons: list[Lesson], rules: dict[str, Rule],
                        checklists: dict[str, Checklist], build_date: dt.date,
                        problems: list[Problem]) -> list[FollowUpEntry]:
    entries = []
    targets = sorted([*rules, *checklists])
    for lesson in lessons:
        for index, follow_up in enumerate(lesson.follow_ups):
            overdue = (follow_up.status == "open" and follow_up.due is not None
                       and follow_up.due < build_date)
            entries.append(FollowUpEntry(lesson, follow_up, overdue))
            if follow_up.produces is None:
                continue
            if follow_up.produces in rules:
                rules[follow_up.produces].produced_by.append((lesson, follow_up))
            elif follow_up.produces in checklists:
                checklists[follow_up.produces].produced_by.append((lesson, follow_up))
            else:
                problems.append(Problem(
                    lesson.path, lesson.line_of("follow_ups", index, "produces"),
                    Severity.ERROR,
                    f"follow-up produces {follow_up.produces!r}, which is neither a rule id nor "
                    "a checklist id", did_you_mean(follow_up.produces, targets)
                    or "name the id of a rule (rules:) or a checklist lesson",
                    code="unknown-produces"))
    return entries


# --- generated pages --------------------------------------------------------------------------
def plan_registry_pages() -> list[GeneratedPage]:
    """The Rules, Checklists and Follow-ups pages; the adapter adds them like site.plan_pages."""
    return [
        GeneratedPage(RULES_PAGE, "Rules", "lessonbook/rules.html", {"page_kind": "rules"}),
        GeneratedPage(CHECKLISTS_PAGE, "Checklists", "lessonbook/checklists.html",
                      {"page_kind": "checklists"}),
        GeneratedPage(FOLLOW_UPS_PAGE, "Follow-ups", "lessonbook/follow-ups.html",
                      {"page_kind": "follow-ups"}),
    ]


@dataclass
class RegistryView:
    """What the registry templates need: the registry plus URLs of lessons and pages."""

    registry: Registry
    url_of: Callable[[Lesson], str]
    page_urls: dict[str, str] = field(default_factory=dict)
    """src_uri of a generated registry page → its URL (absent when a user page replaced it)."""

    def rule_url(self, rule_id: str) -> str | None:
        page = self.page_urls.get(RULES_PAGE)
        return f"{page}#rule-{rule_id}" if page is not None else None

    def checklist_url(self, checklist_id: str) -> str | None:
        checklist = self.registry.checklist_by_id.get(checklist_id)
        return self.url_of(checklist.lesson) if checklist else None

    def produces_url(self, target: str | None) -> str | None:
        if target is None:
            return None
        if target in self.registry.rule_by_id:
            return self.rule_url(target)
        return self.checklist_url(target)

    def page_url(self, src_uri: str) -> str | None:
        return self.page_urls.get(src_uri)


# --- exports ----------------------------------------------------------------------------------
def rules_document(registry: Registry, url_of: Callable[[Lesson], str]) -> dict[str, Any]:
    """api/rules.json; fields documented in docs/exports.md."""
    return {"version": REGISTRY_FIELDS_VERSION, "rules": [{
        "id": rule.id,
        "if": rule.if_,
        "then": rule.then,
        "status": rule.status,
        "status_date": rule.status_date.isoformat(),
        "owner": rule.owner,
        "categories": rule.categories,
        "teams": rule.teams,
        "sources": [x.id for x in rule.sources],
        "applied_in": [x.id for x in rule.applied_in],
        "amended_in": [x.id for x in rule.amended_in],
        "superseded_by": rule.superseded_by,
        "supersedes": rule.supersedes,
        "history": [{
            "date": e.date.isoformat(), "change": e.change, "lesson": e.lesson.id,
            "lesson_url": url_of(e.lesson), "note": e.note, "if": e.if_, "then": e.then,
            "by": e.by,
        } for e in rule.history],
    } for rule in registry.rules]}


def checklists_document(registry: Registry, url_of: Callable[[Lesson], str]) -> dict[str, Any]:
    """api/checklists.json; fields documented in docs/exports.md."""
    return {"version": REGISTRY_FIELDS_VERSION, "checklists": [{
        "id": c.id,
        "title": c.title,
        "url": url_of(c.lesson),
        "trigger": c.trigger,
        "owner": c.owner,
        "items": [item.text for item in c.items],
        "item_count": c.item_count,
        "pause_points": c.pause_points,
        "sources": [x.id for x in c.sources],
        "changes": [{"date": ch.date.isoformat(), "lesson": ch.lesson_id, "change": ch.change}
                    for ch in c.changes],
    } for c in registry.checklists]}


def follow_ups_document(registry: Registry, url_of: Callable[[Lesson], str]) -> dict[str, Any]:
    """api/follow-ups.json; fields documented in docs/exports.md."""
    closure = registry.closure()
    return {
        "version": REGISTRY_FIELDS_VERSION,
        "build_date": registry.build_date.isoformat(),
        "closure_rate": closure.rate,
        "follow_ups": [{
            "lesson": e.lesson.id,
            "lesson_url": url_of(e.lesson),
            "action": e.follow_up.action,
            "owner": e.follow_up.owner,
            "due": e.follow_up.due.isoformat() if e.follow_up.due else None,
            "status": e.follow_up.status,
            "overdue": e.overdue,
            "produces": e.follow_up.produces,
        } for e in registry.follow_ups],
    }


# --- helpers ----------------------------------------------------------------------------------
def _rule_order(rule: Rule) -> tuple[int, str]:
    return RULE_STATUS_ORDER.index(rule.status), rule.id


def _follow_up_order(entry: FollowUpEntry) -> tuple[dt.date, str]:
    return entry.follow_up.due or dt.date.max, entry.lesson.id


def _unique_lessons(lessons: list[Lesson]) -> list[Lesson]:
    seen: set[str] = set()
    return [x for x in lessons if not (x.id in seen or seen.add(x.id))]


def _at(line: int | None) -> str:
    return f":{line}" if line else ""
