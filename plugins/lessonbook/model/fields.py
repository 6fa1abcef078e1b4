"""The front-matter model, declared once.

The validator walks these specs, and ``lessonbook schema`` turns the same specs into JSON Schema,
so what editors complete and what the build accepts cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FieldType = Literal[
    "text", "date", "choice", "choices", "texts", "duration", "count", "id", "ids",
    "mapping", "mappings",
]


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: FieldType
    doc: str
    required: bool = False
    vocabulary: str | None = None
    fields: tuple[FieldSpec, ...] = ()
    kinds: tuple[str, ...] | None = None
    default: str | None = None


def _f(name: str, type: FieldType, doc: str, **kw: object) -> FieldSpec:
    return FieldSpec(name, type, doc, **kw)  # type: ignore[arg-type]


FOLLOW_UP_FIELDS = (
    _f("action", "text", "What will be done, starting with a verb.", required=True),
    _f("owner", "text", "A role or team (blameless: not a person's name)."),
    _f("due", "date", "ISO date the action is due."),
    _f("status", "choice", "open, done or dropped.", vocabulary="follow_up_statuses",
       default="open"),
    _f("done_on", "date", "ISO date the follow-up was done (with status: done): closure times, "
       "overdue-over-time and digests count from it; not before the lesson's date."),
    _f("produces", "id", "Id of the rule or checklist this follow-up created or changed."),
)

RULE_FIELDS = (
    _f("id", "id", "Stable id of the rule; derived from the lesson id when absent."),
    _f("title", "text", "A short human name for the rule, shown wherever it is named; "
       "derived from the id when absent."),
    _f("if", "text", "The situation: 'If <situation>'.", required=True),
    _f("then", "text", "The action: 'then <action>'.", required=True),
    _f("status", "choice", "proposed, adopted, retired or superseded.",
       vocabulary="rule_statuses", default="proposed"),
    _f("owner", "text", "The role or team that keeps the rule."),
    _f("date", "date", "When it reached its status, if not the lesson's date."),
    _f("categories", "choices", "Taxonomy categories the rule touches.", vocabulary="categories"),
    _f("review_by", "date", "When to check the rule still holds (`lessonbook due`)."),
)

RULE_UPDATE_FIELDS = (
    _f("rule", "id", "Id of an existing rule.", required=True),
    _f("change", "choice", "adopted, applied, amended, retired or superseded.",
       vocabulary="rule_changes", required=True),
    _f("note", "text", "What happened: how the rule mattered, or why it changed."),
    _f("if", "text", "New 'if' text, for an amendment."),
    _f("then", "text", "New 'then' text, for an amendment."),
    _f("by", "id", "Id of the rule that supersedes this one."),
    _f("date", "date", "When, if not the lesson's date."),
)

IMPACT_FIELDS = (
    _f("potential", "text", "What could have happened."),
    _f("actual", "text", "What did happen."),
    _f("customers_affected", "count", "How many customers were affected."),
    _f("users_affected", "count", "How many users were affected."),
)

IMPORTED_FROM_FIELDS = (
    _f("source", "text", "The file the lesson was imported from.", required=True),
    _f("date", "date", "When it was imported."),
)

LESSON_FIELDS: tuple[FieldSpec, ...] = (
    # Fields every kind has; each kind adds its own (model/kinds.py, lesson_fields()).
    _f("title", "text", "What happened, in a line a reader can scan.", required=True),
    _f("type", "choice", "The kind of lesson.", vocabulary="kinds", required=True),
    _f("date", "date", "Day of the incident, review or experiment start (ISO).", required=True),
    _f("id", "id", "Stable identifier; default: the file name without .md."),
    _f("summary", "text", "Two or three sentences for index pages and search results."),
    _f("severity", "choice", "Severity level (configurable).", vocabulary="severities"),
    _f("status", "choice", "draft or reviewed.", vocabulary="statuses", default="draft"),
    _f("visibility", "choice", "public, internal or restricted.", vocabulary="visibilities",
       default="internal"),
    _f("tags", "texts", "Free-form tags."),
    _f("services", "texts", "Services involved."),
    _f("teams", "texts", "Teams involved."),
    _f("failure_type", "choice",
       "Edmondson: preventable, complexity or intelligent.", vocabulary="failure_types"),
    _f("categories", "choices", "Categories from the configured taxonomy.",
       vocabulary="categories"),
    _f("defense_layers", "choices", "Layers that had holes (Swiss-cheese model).",
       vocabulary="defense_layers"),
    _f("time_to_detect", "duration", "From start to detection: '8m', '2h 30m', 'PT25M'."),
    _f("time_to_recover", "duration", "From start to recovery: '25m', '1h 10m'."),
    _f("impact", "mapping", "Potential and actual impact.", fields=IMPACT_FIELDS),
    _f("contributing_factors", "texts", "Conditions that combined to allow the outcome."),
    _f("follow_ups", "mappings", "Actions agreed in review.", fields=FOLLOW_UP_FIELDS),
    _f("rules", "mappings", "If-then rules adopted because of this lesson.", fields=RULE_FIELDS),
    _f("rule_updates", "mappings", "What this lesson did to existing rules.",
       fields=RULE_UPDATE_FIELDS),
    _f("related", "ids", "Ids of lessons the author links explicitly."),
    _f("unrelated", "ids", "Ids never to show as similar to this lesson."),
    _f("imported_from", "mapping", "Set by `lessonbook import`: where the lesson came from; its "
       "follow-ups are historical.", fields=IMPORTED_FROM_FIELDS),
    _f("review_by", "date", "When to read the lesson again and check it still holds "
       "(`lessonbook due`)."),
)

# Keys MkDocs and Material read from page meta; accepted on lessons without a warning, and
# checked (load/validation.py) because MkDocs and Material use them unchecked: a template
# path, a list to look names up in, an icon path.
PASSTHROUGH_KEYS = frozenset({"template", "hide", "search", "description", "icon", "comments"})
LESSON_TEMPLATE = "lessonbook/lesson.html"
"""The one template a lesson page renders with; a theme's custom_dir may override the file."""
HIDE_VALUES = ("navigation", "toc", "footer", "path", "tags", "feedback")
"""What Material's `hide:` accepts."""
