"""The record model: what a validated lesson is."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .kinds import kind_label

UNKNOWN_DAY = dt.date.min
"""The date of a lesson whose front-matter says ``date: unknown``."""


@dataclass
class FollowUp:
    action: str
    owner: str | None = None
    due: dt.date | None = None
    status: str = "open"
    produces: str | None = None
    line: int | None = None
    done_on: dt.date | None = None
    """When it was done (``status: done``); None when not recorded."""

    @property
    def done_undated(self) -> bool:
        """Done without a ``done_on``: shown as "done, date unknown" and left out of every
        figure that needs the day it was done."""
        return self.status == "done" and self.done_on is None


@dataclass
class RuleDeclaration:
    """A rule as a lesson states it; the registry turns these into rules with history."""

    id: str
    if_: str
    then: str
    status: str = "proposed"
    owner: str | None = None
    date: dt.date | None = None
    categories: list[str] = field(default_factory=list)
    line: int | None = None
    review_by: dt.date | None = None
    title: str | None = None
    """The rule's human name as written; None: derived from the id (rule_title)."""

    @property
    def name(self) -> str:
        return self.title or rule_title(self.id)


def rule_title(rule_id: str) -> str:
    """A readable name for a rule without ``title:``, from its id:
    rule-failover-game-day-quarterly becomes "Failover game day quarterly"."""
    words = rule_id.removeprefix("rule-").replace("-", " ").replace("_", " ").strip()
    return (words[:1].upper() + words[1:]) if words else rule_id


@dataclass
class RuleUpdate:
    rule: str
    change: str
    note: str | None = None
    if_: str | None = None
    then: str | None = None
    by: str | None = None
    date: dt.date | None = None
    line: int | None = None


@dataclass
class Lesson:
    id: str
    title: str
    kind: str
    date: dt.date
    path: str
    body: str
    summary: str = ""
    severity: str | None = None
    status: str = "draft"
    visibility: str = "internal"
    tags: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    teams: list[str] = field(default_factory=list)
    failure_type: str | None = None
    categories: list[str] = field(default_factory=list)
    defense_layers: list[str] = field(default_factory=list)
    time_to_detect: float | None = None
    time_to_recover: float | None = None
    impact: dict[str, Any] = field(default_factory=dict)
    contributing_factors: list[str] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    rules: list[RuleDeclaration] = field(default_factory=list)
    rule_updates: list[RuleUpdate] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    unrelated: list[str] = field(default_factory=list)
    review_by: dt.date | None = None
    """When to read it again and check it still holds (`lessonbook due`)."""
    details: dict[str, Any] = field(default_factory=dict)
    """The kind-specific block (aar, near_miss, premortem, experiment) or checklist fields."""
    meta: dict[str, Any] = field(default_factory=dict)
    """The front-matter as written, for templates and page meta."""
    lines: dict[tuple[str | int, ...], int] = field(default_factory=dict)
    body_line: int = 1

    @property
    def imported_from(self) -> dict[str, Any] | None:
        """``imported_from:`` as written: set on lessons `lessonbook import` wrote, whose
        follow-ups record what another organisation did, not actions to chase."""
        value = self.meta.get("imported_from")
        return value if isinstance(value, dict) else None

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def date_known(self) -> bool:
        """False for ``date: unknown`` (an import found no date; the date is ``date.min``, so
        the lesson sorts last): pages say "date unknown", exports null, and date-based
        series, digests and the feed leave it out and say how many they left out."""
        return self.date != UNKNOWN_DAY

    @property
    def date_text(self) -> str:
        """The date as every page shows it: ISO, or "date unknown"."""
        return self.date.isoformat() if self.date_known else "date unknown"

    def line_of(self, *path: str | int) -> int | None:
        key = tuple(path)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return None
