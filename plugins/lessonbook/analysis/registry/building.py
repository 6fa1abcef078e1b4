"""Lessons → registry: rules declared and replayed through their updates, checklists, follow-ups,
and the cross-document problems found on the way."""

from __future__ import annotations

import datetime as dt

from ...load.knowledge_base import KnowledgeBase
from ...model.lesson import Lesson, RuleDeclaration, RuleUpdate
from ...model.problems import Problem, Severity, did_you_mean, sort_problems
from .checklists import build_checklists
from .records import Checklist, FollowUpEntry, Registry, Rule, RuleEvent, RuleText


def build_registry(kb: KnowledgeBase, build_date: dt.date | None = None) -> Registry:
    """Rules, checklists and follow-ups of a knowledge base, with their cross-document problems.

    ``build_date`` decides which open follow-ups are overdue (due strictly before it); it is
    injected so builds and tests are reproducible, and defaults to today."""
    build_date = build_date or dt.date.today()
    problems: list[Problem] = []
    lessons = sorted(kb.lessons, key=lambda x: (x.date, x.id))
    rules = _declare_rules(lessons, problems)
    checklists = build_checklists(kb, lessons, problems)
    _apply_updates(lessons, rules, problems)
    follow_ups = _collect_follow_ups(lessons, rules, checklists, build_date, problems)
    return Registry(sorted(rules.values(), key=lambda r: r.id),
                    sorted(checklists.values(), key=lambda c: c.title.lower()),
                    follow_ups, build_date, sort_problems(problems))


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
        review_by=decl.review_by, declared_title=decl.title,
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


def _collect_follow_ups(lessons: list[Lesson], rules: dict[str, Rule],
                        checklists: dict[str, Checklist], build_date: dt.date,
                        problems: list[Problem]) -> list[FollowUpEntry]:
    entries = []
    targets = sorted([*rules, *checklists])
    # A follow-up cannot be done after today. The build date may be set in the past to
    # reproduce a build; a done_on between it and today is a fact, not an error (figures
    # judged on the build date count such a follow-up as still open then).
    latest = max(build_date, dt.date.today())
    for lesson in lessons:
        for index, follow_up in enumerate(lesson.follow_ups):
            overdue = (follow_up.status == "open" and follow_up.due is not None
                       and follow_up.due < build_date)
            entries.append(FollowUpEntry(lesson, follow_up, overdue))
            if follow_up.done_on is not None and follow_up.done_on > latest:
                problems.append(Problem(
                    lesson.path, lesson.line_of("follow_ups", index, "done_on"),
                    Severity.ERROR,
                    f"follow_ups[{index + 1}].done_on {follow_up.done_on.isoformat()} is in the "
                    f"future (after {latest.isoformat()})",
                    "write the day it was done; a follow-up not done yet stays status: open",
                    code="done-on-future"))
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


def _at(line: int | None) -> str:
    return f":{line}" if line else ""
