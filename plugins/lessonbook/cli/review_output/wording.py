"""Sentences every format shares (plain text; each format escapes them its own way)."""

from __future__ import annotations

import datetime as dt

from ...analysis.change_review.findings import (
    ChangeReview,
    FollowUpState,
    RegistryChange,
    RepeatFinding,
)

STATE_LABELS = {"overdue": "OVERDUE", "open": "open", "dropped": "dropped", "done": "done",
                "unknown": "state unknown (imported)"}


def months_between(earlier: dt.date, later: dt.date) -> str:
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    if months < 0:
        return ""
    if months == 0:
        days = (later - earlier).days
        return f"{days} day{'' if days == 1 else 's'} earlier"
    return f"{months} month{'' if months == 1 else 's'} earlier"


def repeat_headline(repeat: RepeatFinding) -> str:
    earlier = repeat.earlier
    when = months_between(earlier.date, earlier.date + dt.timedelta(days=repeat.days))
    return (f"Looks like a repeat of {earlier.id}: {earlier.title} "
            f"({earlier.date.isoformat()}, {when})")


def follow_up_line(state: FollowUpState, today: dt.date) -> str:
    owner = state.owner or "no owner"
    due = f"due {state.due.isoformat()}" if state.due else "no due date"
    if state.state == "overdue" and state.due:
        days = (today - state.due).days
        due += f", {days} day{'' if days == 1 else 's'} overdue"
    return f"[{STATE_LABELS.get(state.state, state.state)}] {state.action} ({owner}; {due})"


def change_line(change: RegistryChange) -> str:
    subject = {"rule": "rule", "checklist": "checklist", "follow-up": "follow-up"}[change.kind]
    head = f"{change.change} {subject}"
    if change.kind == "follow-up":
        owner = change.owner or "NO OWNER"
        due = change.due.isoformat() if change.due else "NO DUE DATE"
        status = f", {change.status}" if change.status and change.status != "open" else ""
        produces = f"; produces {change.id}" if change.id else ""
        return f"{head}: {change.text} (owner: {owner}; due: {due}{status}{produces})"
    text = f"{head} {change.id}: {change.text}" if change.id else f"{head}: {change.text}"
    if change.owner:
        text += f" (owner: {change.owner})"
    if change.note:
        text += f" — {change.note}"
    return text


def summary_line(review: ChangeReview) -> str:
    n = len(review.lessons)
    if not n:
        return "No lesson added or edited" + (f" since {review.base}" if review.base else "")
    repeats = sum(bool(x.repeats) for x in review.lessons)
    return (f"{n} lesson{'' if n == 1 else 's'} reviewed, {repeats} looking like a repeat; "
            f"{review.errors} error(s), {review.warnings} warning(s)")
