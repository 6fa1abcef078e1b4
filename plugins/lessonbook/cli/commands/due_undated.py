"""`lessonbook due --done-without-date`: the follow-ups marked done without a ``done_on``.

Such a follow-up counts as done, but no time-based figure can use it (closure time, overdue
over time, the digests' "done"): this list is the to-do for whoever fills the dates in.
"""

from __future__ import annotations

import datetime as dt
import os

from ...analysis.registry.records import FollowUpEntry
from ...model.text import for_json, for_terminal, github_data, github_property
from ..project import Project


def undated(entries: list[FollowUpEntry]) -> list[FollowUpEntry]:
    """Done follow-ups without a date, by owner then lesson (oldest first)."""
    found = [e for e in entries if e.follow_up.done_undated]
    return sorted(found, key=lambda e: (e.owner.casefold(), e.lesson.date, e.lesson.id,
                                        e.follow_up.line or 0))


def _path(project: Project, entry: FollowUpEntry) -> str:
    return os.path.relpath(project.docs_dir / entry.lesson.path).replace(os.sep, "/")


def _where(project: Project, entry: FollowUpEntry) -> str:
    line = entry.follow_up.line
    return f"{_path(project, entry)}{':' + str(line) if line else ''}"


def _summary(entries: list[FollowUpEntry], today: dt.date) -> str:
    n = len(entries)
    return (f"{n} follow-up{'' if n == 1 else 's'} done without a done_on date as of "
            f"{today.isoformat()}" + (": add done_on: YYYY-MM-DD to each" if n else ""))


def format_undated(entries: list[FollowUpEntry], today: dt.date, project: Project,
                   style: str) -> str:
    if style == "json":
        return for_json({"version": 1, "date": today.isoformat(), "total": len(entries),
                           "follow_ups": [{
                               "action": e.follow_up.action, "owner": e.owner,
                               "due": e.follow_up.due.isoformat() if e.follow_up.due else None,
                               "lesson": e.lesson.id, "lesson_title": e.lesson.title,
                               "path": _path(project, e), "line": e.follow_up.line}
                               for e in entries]})
    lines = []
    for e in entries:
        text = f"done, date unknown: {e.follow_up.action} (from {e.lesson.id}, {e.owner})"
        if style == "github":
            props = [f"file={github_property(_path(project, e))}"]
            if e.follow_up.line:
                props.append(f"line={e.follow_up.line}")
            props.append("title=Follow-up done without done_on")
            lines.append(f"::notice {','.join(props)}::{github_data(text)}")
        else:
            lines.append(for_terminal(f"{_where(project, e)}: {text}"))
    lines.append(_summary(entries, today))
    return "\n".join(lines)
