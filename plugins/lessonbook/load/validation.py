"""Front-matter → :class:`Lesson`, collecting every problem with its line and a suggestion."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..model.kinds import get_kind, lesson_fields
from ..model.lesson import FollowUp, Lesson, RuleDeclaration, RuleUpdate
from ..model.problems import Problem, Severity
from ..model.vocabulary import Settings
from .field_checks import _Checker, _name
from .parsing import SourceDocument
from .slugs import default_id
from .text_fields import text_problems


def build_lesson(doc: SourceDocument, settings: Settings, *, stand_in: bool = False
                 ) -> tuple[Lesson | None, list[Problem]]:
    """Validate one parsed file. A lesson comes back only when it has no errors of its own —
    unless ``stand_in`` is asked for: then a file whose front-matter could be read comes back
    as a lesson made of the fields that were valid (placeholders for the others), for the
    checks across lessons and the lint, so one run reports every problem. The caller knows
    it from the errors among the problems, and must never publish it."""
    if doc.meta is None:
        return None, list(doc.problems)
    checker = _Checker(doc, settings)
    checker.problems.extend(doc.problems)
    for path, problem in text_problems(doc):
        checker.problems.append(problem)
        checker.quiet.add(path)
    raw_kind = doc.meta.get("type")
    kind = None
    if isinstance(raw_kind, str):
        kind = next((k for k in settings.vocabulary("kinds")
                     if k.lower() == raw_kind.strip().lower()), None)
    clean = checker.mapping(doc.meta, lesson_fields(), (), kind)
    _check_kind_blocks(checker, clean, kind)
    _check_done_on(checker, clean)
    if any(p.is_error for p in checker.problems):
        if not stand_in or () in checker.quiet:
            return None, checker.problems
        clean = _stand_in(clean, kind)
    lesson_id = clean.get("id") or default_id(doc.path)
    lesson = Lesson(
        id=lesson_id,
        title=clean["title"],
        kind=clean["type"],
        date=clean["date"],
        path=doc.path,
        body=doc.body,
        summary=clean.get("summary", ""),
        severity=clean.get("severity"),
        status=clean.get("status", "draft"),
        visibility=clean.get("visibility", "internal"),
        tags=clean.get("tags", []),
        services=clean.get("services", []),
        teams=clean.get("teams", []),
        failure_type=clean.get("failure_type"),
        categories=clean.get("categories", []),
        defense_layers=clean.get("defense_layers", []),
        time_to_detect=clean.get("time_to_detect"),
        time_to_recover=clean.get("time_to_recover"),
        impact=clean.get("impact", {}),
        contributing_factors=clean.get("contributing_factors", []),
        follow_ups=[FollowUp(action=f["action"], owner=f.get("owner"), due=f.get("due"),
                             status=f.get("status", "open"), produces=f.get("produces"),
                             line=f.get("_line"),
                             done_on=f.get("done_on") if f.get("status") == "done" else None)
                    for f in clean.get("follow_ups", [])],
        rules=[RuleDeclaration(id=r.get("id") or f"{lesson_id}-rule-{i + 1}", if_=r["if"],
                               then=r["then"], status=r.get("status", "proposed"),
                               owner=r.get("owner"), date=r.get("date"),
                               categories=r.get("categories", []), line=r.get("_line"),
                               review_by=r.get("review_by"), title=r.get("title"))
               for i, r in enumerate(clean.get("rules", []))],
        rule_updates=[RuleUpdate(rule=u["rule"], change=u["change"], note=u.get("note"),
                                 if_=u.get("if"), then=u.get("then"), by=u.get("by"),
                                 date=u.get("date"), line=u.get("_line"))
                      for u in clean.get("rule_updates", [])],
        related=clean.get("related", []),
        unrelated=clean.get("unrelated", []),
        review_by=clean.get("review_by"),
        details=_details(clean, kind),
        meta=dict(doc.meta),
        lines=dict(doc.lines),
        body_line=doc.body_line,
    )
    return lesson, checker.problems


def _stand_in(clean: dict[str, Any], kind: str | None) -> dict[str, Any]:
    """The valid fields of a lesson with errors, with a placeholder for each required one that
    is not valid (an empty title, no type, the earliest date; an empty action, rule or
    change), so a :class:`Lesson` can be made of it for checks and the lint, never a page."""
    clean = {**clean, "title": clean.get("title", ""), "type": kind or "",
             "date": clean.get("date", dt.date.min)}
    for name, required in (("follow_ups", ("action",)), ("rules", ("if", "then")),
                           ("rule_updates", ("rule", "change"))):
        if name in clean:
            clean[name] = [{key: "" for key in required} | item for item in clean[name]]
    return clean


def _check_kind_blocks(checker: _Checker, clean: dict[str, Any], key: str | None) -> None:
    """Fields a kind recommends (kinds.Kind.recommended): a warning when one is missing."""
    kind = get_kind(key) if key else None
    for name, why, suggestion in kind.recommended if kind else ():
        if name not in clean:
            checker.report((), f"a {kind.label.lower()} has no {name!r}: {why}", suggestion,
                           Severity.WARNING, code=f"{kind.key}-{name}")


def _check_done_on(checker: _Checker, clean: dict[str, Any]) -> None:
    """A follow-up's ``done_on`` cannot come before the lesson that agreed it, and only means
    something on a done follow-up. (Not after the build date: analysis/registry/building.py,
    which knows the day.)"""
    day = clean.get("date")
    for i, item in enumerate(clean.get("follow_ups", [])):
        done_on = item.get("done_on")
        if done_on is None:
            continue
        path = ("follow_ups", i, "done_on")
        if day is not None and done_on < day:
            checker.report(path, f"{_name(path)} {done_on.isoformat()} is before the lesson's "
                           f"date {day.isoformat()}: a follow-up is done after it is agreed",
                           "check the year and month", code="done-on")
        if item.get("status", "open") != "done":
            checker.report(path, f"{_name(path)} is set but the follow-up's status is "
                           f"{item.get('status', 'open')!r}; it is ignored",
                           "add status: done, or remove done_on", Severity.WARNING,
                           code="done-on-not-done")


def _details(clean: dict[str, Any], key: str | None) -> dict[str, Any]:
    """The kind's own fields: its block, or its top-level fields (checklists)."""
    kind = get_kind(key) if key else None
    if kind is None:
        return {}
    if kind.block:
        return dict(clean.get(kind.block, {}))
    return {f.name: clean[f.name] for f in kind.fields if f.name in clean}
