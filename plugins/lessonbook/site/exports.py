"""Machine-readable exports written next to the site (``api/*.json``). Keep fields stable."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ..analysis.analyse import Analysis
from ..analysis.registry import Registry
from ..model.lesson import Lesson
from ..model.options import Options

LESSON_FIELDS_VERSION = 1
REGISTRY_FIELDS_VERSION = 1


def lesson_record(lesson: Lesson, url: str) -> dict[str, Any]:
    """One entry of api/lessons.json; documented in docs/exports.md."""
    return {
        "id": lesson.id,
        "title": lesson.title,
        "type": lesson.kind,
        "date": lesson.date.isoformat() if lesson.date_known else None,  # `date: unknown`
        "url": url,
        "summary": lesson.summary,
        "tags": lesson.tags,
        "services": lesson.services,
        "teams": lesson.teams,
        "failure_type": lesson.failure_type,
        "categories": lesson.categories,
        "defense_layers": lesson.defense_layers,
        "severity": lesson.severity,
        "status": lesson.status,
        "visibility": lesson.visibility,
        "time_to_detect_minutes": lesson.time_to_detect,
        "time_to_recover_minutes": lesson.time_to_recover,
        "related": lesson.related,
        "path": lesson.path,
        "imported_from": _imported_from(lesson),
    }


def _imported_from(lesson: Lesson) -> dict[str, str] | None:
    """``{"source", "date"}`` as text, for a lesson `lessonbook import` wrote; else None."""
    given = lesson.imported_from
    if given is None:
        return None
    return {key: str(given[key]) for key in ("source", "date") if given.get(key) is not None}


def lessons_document(lessons: list[Lesson], url_of: Callable[[Lesson], str],
                     extra: Callable[[Lesson], dict[str, Any]] | None = None) -> dict[str, Any]:
    records = []
    for lesson in lessons:
        record = lesson_record(lesson, url_of(lesson))
        if extra:
            record.update(extra(lesson))
        records.append(record)
    return {"version": LESSON_FIELDS_VERSION, "lessons": records}


def dumps(document: dict[str, Any]) -> str:
    """JSON with every '<', '>' and '&' escaped, so an export is safe to inline in a page."""
    text = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def rules_document(registry: Registry, url_of: Callable[[Lesson], str]) -> dict[str, Any]:
    """api/rules.json; fields documented in docs/exports.md."""
    return {"version": REGISTRY_FIELDS_VERSION, "rules": [{
        "id": rule.id,
        "title": rule.title,
        "title_declared": rule.declared_title is not None,
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
            "done_on": e.follow_up.done_on.isoformat() if e.follow_up.done_on else None,
            "overdue": e.overdue,
            "produces": e.follow_up.produces,
        } for e in registry.follow_ups],
    }


def export_names(options: Options) -> list[str]:
    """The site-relative paths :func:`export_files` writes, known before anything is analysed:
    a user's own file at one of them is published instead (SiteBuild.plan says so)."""
    names = ["api/lessons.json", "api/rules.json", "api/checklists.json", "api/follow-ups.json"]
    return [*names, "api/insights.json"] if options.insights.enabled else names


def export_files(analysis: Analysis, url_of: Callable[[Lesson], str]) -> dict[str, str]:
    """Every export, by site-relative path: api/lessons.json (with similar links when they were
    computed), the registry's rules, checklists and follow-ups, and the Insights series."""
    similar = analysis.similar
    files = {
        "api/lessons.json": dumps(lessons_document(
            analysis.kb.lessons, url_of, extra=similar.record if similar else None)),
        "api/rules.json": dumps(rules_document(analysis.registry, url_of)),
        "api/checklists.json": dumps(checklists_document(analysis.registry, url_of)),
        "api/follow-ups.json": dumps(follow_ups_document(analysis.registry, url_of)),
    }
    if analysis.options.insights.enabled:
        files["api/insights.json"] = dumps(analysis.insights.document())
    return files
