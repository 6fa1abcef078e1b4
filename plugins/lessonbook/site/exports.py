"""Machine-readable exports written next to the site (``api/*.json``). Keep fields stable."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ..model.lesson import Lesson

LESSON_FIELDS_VERSION = 1


def lesson_record(lesson: Lesson, url: str) -> dict[str, Any]:
    """One entry of api/lessons.json; documented in docs/exports.md."""
    return {
        "id": lesson.id,
        "title": lesson.title,
        "type": lesson.kind,
        "date": lesson.date.isoformat(),
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
    }


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
