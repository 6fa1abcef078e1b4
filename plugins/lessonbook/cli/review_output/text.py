"""`lessonbook review --format text` (the terminal) and `--format json` (tools)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from ...analysis.change_review.findings import (
    Applicable,
    ChangeReview,
    FollowUpState,
    LessonReview,
    RegistryChange,
    SimilarIncident,
)
from .wording import (
    change_line,
    follow_up_line,
    months_between,
    repeat_headline,
    summary_line,
)


def _similar(x: SimilarIncident, item: LessonReview) -> str:
    months = (months_between(x.lesson.date, item.lesson.date)
              if item.lesson and x.lesson.date_known else None)
    when = f", {x.lesson.date_text}" + (f", {months}" if months else "")
    return (f"    - {_plain(x.lesson.id)}: {_plain(x.lesson.title)} "
            f"({x.lesson.kind_label}{when}) — {_plain(x.why)}")


def _plain(text: object) -> str:
    """One line of user text for a terminal: control characters (escape sequences that
    could rewrite the screen) and line breaks shown as spaces."""
    return "".join(ch if ch.isprintable() else " " for ch in str(text))


def format_text(review: ChangeReview) -> str:
    lines: list[str] = []
    for item in review.lessons:
        lines.extend(_lesson_text(item, review))
        lines.append("")
    for path in review.removed:
        lines.append(f"removed: {_plain(path)}")
    lines.append(summary_line(review))
    return "\n".join(lines)


def _lesson_text(item: LessonReview, review: ChangeReview) -> list[str]:
    status = f", {item.git_status}" if item.git_status else ""
    lines = [f"{_plain(item.display_path)}{status}: {_plain(item.title)}"]
    if item.note:
        lines.append(f"  {item.note}")
    for repeat in item.repeats:
        lines.append(f"  {_plain(repeat_headline(repeat))}")
        lines.append(f"    {_plain(repeat.verdict)}")
        for state in repeat.follow_ups:
            lines.append(f"    - {_plain(follow_up_line(state, review.date))}")
    if item.rules:
        lines.append("  Rules already adopted that apply:")
        lines.extend(f"    - {_plain(_applicable(a))}" for a in item.rules)
    if item.checklists:
        lines.append("  Checklists that apply:")
        lines.extend(f"    - {_plain(_applicable(a))}" for a in item.checklists)
    confident = [x for x in item.similar if x.link.tier != "possible"]
    possible = [x for x in item.similar if x.link.tier == "possible"]
    if confident:
        lines.append("  Similar incidents:")
        lines.extend(_similar(x, item) for x in confident)
    elif item.lesson is not None:
        lines.append("  Similar incidents: none close enough")
    if possible:  # as the site shows them: apart, under "Possibly related"
        lines.append("  Possibly related:")
        lines.extend(_similar(x, item) for x in possible)
    if item.changes:
        lines.append("  What it changes in the registry:")
        lines.extend(f"    - {_plain(change_line(c))}" for c in item.changes)
    if item.problems:
        lines.append(f"  Problems ({item.errors} error(s), {item.warnings} warning(s)):")
        lines.extend(f"    {_plain(p.format())}" for p in item.problems)
    else:
        lines.append("  Problems: none")
    return lines


def _applicable(a: Applicable) -> str:
    done = f" [this lesson {a.addressed} it]" if a.addressed else ""
    return f"{a.id}: {a.text}{done} ({'; '.join(a.reasons)})"


# --- json -----------------------------------------------------------------------------------
def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _state(state: FollowUpState) -> dict[str, Any]:
    return {"action": state.action, "owner": state.owner, "due": _date(state.due),
            "state": state.state}


def _change(change: RegistryChange) -> dict[str, Any]:
    return {"kind": change.kind, "change": change.change, "id": change.id, "text": change.text,
            "owner": change.owner, "due": _date(change.due), "status": change.status,
            "note": change.note, "line": change.line}


def _fits(items: list[Applicable]) -> list[dict[str, Any]]:
    return [{"id": a.id, "text": a.text, "reasons": a.reasons, "addressed": a.addressed}
            for a in items]


def format_json(review: ChangeReview) -> str:
    document = {
        "version": 1,
        "date": review.date.isoformat(),
        "audience": review.audience,
        "base": review.base,
        "recurring_window_months": review.window_months,
        "summary": {"lessons": len(review.lessons),
                    "repeats": sum(bool(x.repeats) for x in review.lessons),
                    "errors": review.errors, "warnings": review.warnings},
        "lessons": [{
            "path": x.display_path, "git_status": x.git_status,
            "id": x.lesson.id if x.lesson else None, "title": x.title, "note": x.note,
            "similar": [{"id": s.lesson.id, "title": s.lesson.title, "kind": s.lesson.kind,
                         "date": s.lesson.date.isoformat() if s.lesson.date_known else None,
                         "score": round(s.link.score, 4),
                         "why": s.why, "reasons": s.link.reasons, "tier": s.link.tier}
                        for s in x.similar],
            "repeats": [{"earlier": r.earlier.id, "title": r.earlier.title,
                         "date": r.earlier.date.isoformat(), "days": r.days,
                         "score": round(r.score, 4), "why": r.why, "verdict": r.verdict,
                         "follow_ups": [_state(f) for f in r.follow_ups],
                         "rules_between": r.rules_between} for r in x.repeats],
            "rules": _fits(x.rules), "checklists": _fits(x.checklists),
            "changes": [_change(c) for c in x.changes],
            "problems": [{"path": p.path, "line": p.line, "severity": p.severity.value,
                          "code": p.code, "message": p.message, "suggestion": p.suggestion}
                         for p in x.problems],
        } for x in review.lessons],
        "removed": review.removed,
    }
    # `<`, `>` and `&` as \u escapes, as the site's exports do: safe to inline in HTML.
    text = json.dumps(document, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
