"""What a review says about each lesson a change adds or edits: plain records, no formatting.

The formats (text, Markdown for a pull-request comment, JSON) read these records only, so
what the three say cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ...model.lesson import Lesson
from ...model.problems import Problem
from ..registry import Checklist, Rule
from ..similarity import SimilarLink

FOLLOW_UP_STATES = ("overdue", "open", "dropped", "done", "unknown")
"""A follow-up's state now, most pressing first. ``unknown``: the lesson was imported from
elsewhere (``imported_from:``), so its follow-ups record another organisation's history."""


@dataclass
class SimilarIncident:
    """A past lesson like the reviewed one, as the site links it (same ranking, same why)."""

    lesson: Lesson
    link: SimilarLink

    @property
    def why(self) -> str:
        return self.link.why


@dataclass
class FollowUpState:
    action: str
    owner: str | None
    due: dt.date | None
    state: str
    """One of FOLLOW_UP_STATES."""


@dataclass
class RepeatFinding:
    """An earlier incident within the recurring window that the reviewed lesson resembles."""

    earlier: Lesson
    score: float
    why: str
    days: int
    """Days from the earlier incident to the reviewed one."""
    verdict: str
    """The Recurring incidents page's one sentence on it."""
    follow_ups: list[FollowUpState]
    rules_between: list[str]
    """Ids of rules adopted in between that belong to this story."""

    @property
    def unfinished(self) -> list[FollowUpState]:
        return [f for f in self.follow_ups if f.state in ("open", "overdue", "dropped")]


@dataclass
class Applicable:
    """An adopted rule or checklist in force that fits the reviewed lesson, and why."""

    kind: str
    """'rule' or 'checklist'."""
    id: str
    text: str
    """A rule's "If …, then …"; a checklist's title."""
    reasons: list[str]
    weight: int
    """How strongly it fits (a similar incident's rule first): the order shown."""
    addressed: str | None = None
    """What the reviewed lesson itself does with it ('applies', 'amends', …), if anything."""
    rule: Rule | None = None
    checklist: Checklist | None = None


@dataclass
class RegistryChange:
    """One thing the reviewed lesson changes in the registry."""

    kind: str
    """'rule', 'checklist' or 'follow-up'."""
    change: str
    """adopts | proposes | retires | supersedes | applies | amends | creates | changes | adds"""
    id: str | None
    text: str
    owner: str | None = None
    due: dt.date | None = None
    note: str | None = None
    status: str | None = None
    """A follow-up's own status as written (open, done, dropped)."""
    line: int | None = None


@dataclass
class LessonReview:
    path: str
    """Docs-relative path."""
    display_path: str
    """The path as the user (and the pull request) shows it."""
    git_status: str | None
    """'added' or 'modified' when taken from git; None for files named on the command line."""
    lesson: Lesson | None
    """None when the file was left out (errors) or is above the review's audience."""
    problems: list[Problem] = field(default_factory=list)
    """As `lessonbook check` gives them for this file (paths as the user sees them)."""
    note: str | None = None
    """Why there is nothing but problems to show, when that is the case."""
    similar: list[SimilarIncident] = field(default_factory=list)
    repeats: list[RepeatFinding] = field(default_factory=list)
    rules: list[Applicable] = field(default_factory=list)
    checklists: list[Applicable] = field(default_factory=list)
    changes: list[RegistryChange] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.lesson.title if self.lesson is not None else self.display_path

    @property
    def errors(self) -> int:
        return sum(p.is_error for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(not p.is_error for p in self.problems)


@dataclass
class ChangeReview:
    """The review of a whole change: one LessonReview per lesson it adds or edits."""

    lessons: list[LessonReview]
    date: dt.date
    """The day follow-ups are judged overdue on."""
    audience: str
    window_months: int
    site_url: str | None = None
    use_directory_urls: bool = True
    base: str | None = None
    """The git ref the change was taken from (`--changed-from`)."""
    removed: list[str] = field(default_factory=list)
    """Lessons the change deletes (display paths)."""

    @property
    def errors(self) -> int:
        return sum(x.errors for x in self.lessons)

    @property
    def warnings(self) -> int:
        return sum(x.warnings for x in self.lessons)
