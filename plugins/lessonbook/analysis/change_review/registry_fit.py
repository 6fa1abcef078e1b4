"""The registry as a review sees it: which adopted rules and checklists fit a lesson (so the
review can ask why they did not catch it), and what the lesson itself changes in the registry.

Both read the registry the site shows (analysis/registry); nothing here decides anew what a
rule or a checklist is.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable

from ...model.lesson import Lesson
from ..registry import Registry, Rule
from ..registry.records import Checklist
from .findings import Applicable, RegistryChange

WEIGHT_SIMILAR = 8
"""A rule or checklist that came out of (or was used by) a similar incident fits best."""
WEIGHT_SERVICE = 3
WEIGHT_CATEGORY = 2
WEIGHT_FAILURE_TYPE = 1
ENOUGH = WEIGHT_SERVICE + WEIGHT_FAILURE_TYPE
"""One shared service, category or failure type alone is too common to be worth a reviewer's
time: it takes a similar incident, or two pieces of evidence (two services, a service and a
category, two categories, a service and the failure type)."""

DECLARED = {"adopted": "adopts", "proposed": "proposes", "retired": "retires",
            "superseded": "supersedes"}
UPDATED = {"applied": "applies", "amended": "amends", "retired": "retires",
           "superseded": "supersedes", "adopted": "adopts", "proposed": "proposes"}


def applicable_rules(lesson: Lesson, registry: Registry, similar: Collection[str]
                     ) -> list[Applicable]:
    """Rules in force (adopted) that share the lesson's services, categories or failure type,
    or that a similar incident adopted, produced, applied or amended; best fit first. Rules the
    lesson declares itself are changes, not context."""
    addressed = {u.rule: UPDATED.get(u.change, u.change) for u in lesson.rule_updates}
    out = []
    for rule in registry.rules:
        if rule.status != "adopted" or rule.source.id == lesson.id:
            continue
        used_by = [e.lesson for e in rule.history if e.change in ("applied", "amended")]
        reasons, weight = _fit(lesson, [*rule.sources, *used_by], rule.categories,
                               rule.source.failure_type, similar, _rule_similar_reason(rule))
        if reasons:
            out.append(Applicable("rule", rule.id, f"If {_clause(rule.if_)}, then "
                                  f"{_clause(rule.then)}", reasons, weight,
                                  addressed.get(rule.id), rule=rule))
    return sorted(out, key=lambda a: (-a.weight, a.id))


def applicable_checklists(lesson: Lesson, registry: Registry, similar: Collection[str]
                          ) -> list[Applicable]:
    """Checklists (their own services, categories and failure type, and those of the lessons
    that shaped them) that fit the lesson; best fit first."""
    touched = {c.id for c, _ in registry.checklists_of(lesson)}
    out = []
    for checklist in registry.checklists:
        if checklist.id == lesson.id:
            continue
        own = checklist.lesson
        reasons, weight = _fit(lesson, [own, *checklist.shaped_by], own.categories,
                               own.failure_type, similar, _checklist_similar_reason(checklist))
        if reasons:
            out.append(Applicable("checklist", checklist.id, checklist.title, reasons, weight,
                                  "changes" if checklist.id in touched else None,
                                  checklist=checklist))
    return sorted(out, key=lambda a: (-a.weight, a.id))


def _fit(lesson: Lesson, related: Iterable[Lesson], categories: Iterable[str],
         failure_type: str | None, similar: Collection[str],
         similar_reason: Callable[[list[str]], str]) -> tuple[list[str], int]:
    related = [x for x in related if x.id != lesson.id]
    reasons: list[str] = []
    weight = 0
    from_similar = sorted({x.id for x in related if x.id in similar and x.id != lesson.id})
    if from_similar:
        reasons.append(similar_reason(from_similar))
        weight += WEIGHT_SIMILAR
    services = _shared(lesson.services, (s for x in related for s in x.services))
    if services:
        reasons.append("same services: " + ", ".join(services))
        weight += WEIGHT_SERVICE * len(services)
    shared_categories = _shared(lesson.categories, categories)
    if shared_categories:
        reasons.append("same categories: " + ", ".join(shared_categories))
        weight += WEIGHT_CATEGORY * len(shared_categories)
    if failure_type and lesson.failure_type == failure_type:
        reasons.append(f"same failure type: {failure_type}")
        weight += WEIGHT_FAILURE_TYPE
    return (reasons, weight) if weight >= ENOUGH else ([], 0)


def _rule_similar_reason(rule: Rule) -> Callable[[list[str]], str]:
    def reason(ids: list[str]) -> str:
        sources = {x.id for x in rule.sources}
        adopted = [x for x in ids if x in sources]
        if adopted:
            return f"adopted after the {_incidents(adopted)}"
        return f"used in the {_incidents(ids)}"
    return reason


def _checklist_similar_reason(checklist: Checklist) -> Callable[[list[str]], str]:
    def reason(ids: list[str]) -> str:
        return f"shaped by the {_incidents(ids)}"
    return reason


def _incidents(ids: list[str]) -> str:
    return f"similar incident{'' if len(ids) == 1 else 's'} {', '.join(ids)}"


def _shared(mine: Iterable[str], theirs: Iterable[str]) -> list[str]:
    folded = {v.casefold() for v in theirs}
    return list(dict.fromkeys(v for v in mine if v.casefold() in folded))


def _clause(text: str) -> str:
    """A rule's part to follow "If" or "then": one line, no final full stop, its first letter
    lower-cased unless the first word is an acronym or a name with capitals (SEV1, PostgreSQL)."""
    text = " ".join(text.split()).rstrip(".")
    first = text.split(" ", 1)[0] if text else ""
    if first[1:] != first[1:].lower() or any(ch.isdigit() for ch in first):
        return text
    return text[:1].lower() + text[1:]


def registry_changes(lesson: Lesson, registry: Registry) -> list[RegistryChange]:
    """Rules the lesson adopts, amends, retires or applies; checklists it creates or changes;
    the follow-ups it adds, with their owners and due dates (or their absence)."""
    out: list[RegistryChange] = []
    for decl in lesson.rules:
        out.append(RegistryChange("rule", DECLARED.get(decl.status, decl.status), decl.id,
                                  f"If {_clause(decl.if_)}, then {_clause(decl.then)}",
                                  owner=decl.owner, line=decl.line))
    for update in lesson.rule_updates:
        rule = registry.rule_by_id.get(update.rule)
        text = update.then or update.if_ or ""
        if update.change == "amended":
            text = _amended_text(update.if_, update.then)
        elif rule is not None and not text:
            text = f"If {_clause(rule.if_)}, then {_clause(rule.then)}"
        note = update.note
        if update.change == "superseded" and update.by:
            note = f"superseded by {update.by}" + (f": {note}" if note else "")
        out.append(RegistryChange("rule", UPDATED.get(update.change, update.change),
                                  update.rule, text, note=note, line=update.line))
    if lesson.kind == "checklist":
        checklist = registry.checklist_by_id.get(lesson.id)
        count = f" ({checklist.item_count} items)" if checklist is not None else ""
        out.append(RegistryChange("checklist", "creates", lesson.id, lesson.title + count,
                                  owner=lesson.details.get("owner")))
    for checklist, how in registry.checklists_of(lesson):
        change = "creates" if any(x.id == lesson.id for x in checklist.sources) else "changes"
        out.append(RegistryChange("checklist", change, checklist.id, checklist.title,
                                  note="; ".join(how)))
    for follow_up in lesson.follow_ups:
        out.append(RegistryChange("follow-up", "adds", follow_up.produces, follow_up.action,
                                  owner=follow_up.owner, due=follow_up.due,
                                  status=follow_up.status, line=follow_up.line))
    return out


def _amended_text(if_: str | None, then: str | None) -> str:
    parts = []
    if if_:
        parts.append(f"if now reads: {' '.join(if_.split())}")
    if then:
        parts.append(f"then now reads: {' '.join(then.split())}")
    return "; ".join(parts) or "(wording unchanged)"
