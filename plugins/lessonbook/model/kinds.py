"""The kinds of lesson, one declaration each: adding a kind is one entry here plus its templates.

A :class:`Kind` says what ``type:`` value it is, how it is labelled and numbered, which
front-matter block it owns (and that block's fields), the heading of that block on the lesson
page, the theme template that renders it, and the Markdown template ``lessonbook new`` starts
from. Validation, the JSON Schema, the lint, the scaffold, the taxonomy and the lesson page all
read this table; none of them names a kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .fields import LESSON_FIELDS, FieldSpec, _f

AAR_FIELDS = (
    _f("intended", "text", "What was supposed to happen?"),
    _f("happened", "text", "What actually happened?"),
    _f("why_different", "text", "Why was there a difference?"),
    _f("what_changes", "text", "What will we sustain or change next time?"),
)

NEAR_MISS_FIELDS = (
    _f("trigger", "text", "What set it off."),
    _f("first_signal", "text", "The first thing anyone noticed."),
    _f("detection", "text", "How it was caught: alert, review, customer, luck."),
    _f("potential_impact", "text", "What would have happened had it not been caught."),
    _f("saved_by", "text", "The barrier that held."),
)

RISK_FIELDS = (
    _f("risk", "text", "How the plan could fail.", required=True),
    _f("likelihood", "choice", "low, medium or high.", vocabulary="levels"),
    _f("impact", "choice", "low, medium or high.", vocabulary="levels"),
    _f("owner", "text", "The role or team watching this risk."),
    _f("trigger", "text", "The signal that the risk is happening."),
    _f("countermeasure", "text", "What we do now, or when the trigger fires."),
)

PREMORTEM_FIELDS = (
    _f("project", "text", "What is being planned."),
    _f("horizon", "date", "When the plan is due to be judged."),
    _f("risks", "mappings", "Ways the plan could fail, each with an owner and countermeasure.",
       fields=RISK_FIELDS),
)

EXPERIMENT_FIELDS = (
    _f("hypothesis", "text", "Plan: what we believe.", required=True),
    _f("prediction", "text", "What we expect to observe if it holds."),
    _f("measure", "text", "How we will know."),
    _f("stop_condition", "text", "When we stop early."),
    _f("result", "text", "Study: what we observed."),
    _f("outcome", "choice", "Act: adopt, adapt or abandon.", vocabulary="outcomes"),
)

CHECKLIST_CHANGE_FIELDS = (
    _f("date", "date", "When the checklist changed.", required=True),
    _f("lesson", "id", "The lesson that caused the change."),
    _f("change", "text", "What changed.", required=True),
)

CHECKLIST_FIELDS = (
    _f("trigger", "text", "When to use it."),
    _f("owner", "text", "The role or team that keeps it."),
    _f("sources", "ids", "The lessons that created it."),
    _f("pause_points", "texts", "Where to stop and confirm."),
    _f("changes", "mappings", "Change log, each naming the lesson that caused it.",
       fields=CHECKLIST_CHANGE_FIELDS),
)


@dataclass(frozen=True)
class Kind:
    key: str
    """The ``type:`` value (``near-miss``)."""
    label: str
    """How pages name it (``Near miss``)."""
    id_prefix: str
    """Ids from ``lessonbook new``: ``<prefix>-<year>-<NNN>``."""
    description: str
    """One line on what this kind of lesson is for."""
    scaffold: str
    """The file in templates/ that ``lessonbook new`` starts from."""
    block: str | None = None
    """The front-matter key of the kind's own block (``near_miss:``); None when the kind's
    fields sit at the top level (checklists)."""
    fields: tuple[FieldSpec, ...] = ()
    """The block's fields, or the top-level fields only this kind accepts."""
    block_template: str | None = None
    """Theme template that renders the block on the lesson page."""
    section_id: str | None = None
    section_title: str | None = None
    """The heading of the block on the lesson page (and in its table of contents)."""
    aliases: tuple[str, ...] = ()
    """Other spellings ``lessonbook new`` accepts (``pre-mortem``)."""
    counts_as_lesson: bool = True
    """False for reference material (checklists): not counted or listed among lessons."""
    expects_follow_ups: bool = False
    """The lint warns when a lesson of this kind has no follow-ups."""
    narrative_block: bool = False
    """The block's text is narrative the blameless lint reads (AAR answers, near-miss story)."""
    recommended: tuple[tuple[str, str, str], ...] = ()
    """(field, why, suggestion): a warning when the field is missing."""
    body_headings: tuple[str, ...] = ()
    """Body headings (lower case, prefixes) that tell the block's story: when the body has one,
    the block is folded to a summary instead of said twice."""
    similar_title: str = "Related lessons"
    """What the lesson page calls the lessons like it ("Similar incidents" for incidents)."""
    items_first: bool = False
    """The body's task list is the page (checklists): the block and card follow it, and the
    items can be ticked."""


KIND_TABLE: list[Kind] = [
    Kind("postmortem", "Postmortem", "pm",
         "What happened in an incident, why it made sense at the time, and what changed.",
         "postmortem.md", aliases=("post-mortem",), expects_follow_ups=True,
         similar_title="Similar incidents"),
    Kind("aar", "After-action review", "aar",
         "The four questions after a planned event: intended, happened, why, what changes.",
         "aar.md", block="aar", fields=AAR_FIELDS, block_template="lessonbook/kinds/aar.html",
         section_id="the-four-questions", section_title="The four questions",
         narrative_block=True,
         body_headings=("what was supposed to happen", "what actually happened", "why there was a",
                        "why it was different", "what we sustain", "what we change",
                        "what we keep and what we change")),
    Kind("near-miss", "Near miss", "nm",
         "Something that nearly went wrong, and the barrier that held.",
         "near-miss.md", block="near_miss", fields=NEAR_MISS_FIELDS,
         block_template="lessonbook/kinds/near-miss.html",
         section_id="how-it-nearly-happened", section_title="How it nearly happened",
         aliases=("near_miss", "nearmiss"), narrative_block=True,
         body_headings=("what held", "what would have happened", "where we got lucky",
                        "why it would have been serious"), similar_title="Similar incidents"),
    Kind("premortem", "Pre-mortem", "pre",
         "A plan imagined as already failed, and the risks that would explain it.",
         "premortem.md", block="premortem", fields=PREMORTEM_FIELDS,
         block_template="lessonbook/kinds/premortem.html",
         section_id="the-plan-and-its-risks", section_title="The plan and its risks",
         aliases=("pre-mortem",), body_headings=("the risks",)),
    Kind("experiment", "Experiment (PDSA)", "exp",
         "A Plan-Do-Study-Act cycle: a hypothesis tested, and what was adopted.",
         "experiment.md", block="experiment", fields=EXPERIMENT_FIELDS,
         block_template="lessonbook/kinds/experiment.html",
         section_id="pdsa-cycle", section_title="Plan · Do · Study · Act", aliases=("pdsa",),
         body_headings=("plan", "do", "study", "act")),
    Kind("checklist", "Checklist", "cl",
         "Steps to confirm at pause points, shaped by the lessons that changed it.",
         "checklist.md", fields=CHECKLIST_FIELDS,
         block_template="lessonbook/kinds/checklist.html", counts_as_lesson=False,
         items_first=True,
         recommended=(("trigger", "say when to use it", "add trigger: 'Before ...'"),)),
]
"""Every kind, in the order pages list them. Tests may extend it (see test_kinds.py)."""


def all_kinds() -> list[Kind]:
    return list(KIND_TABLE)


def kind_keys() -> tuple[str, ...]:
    return tuple(k.key for k in KIND_TABLE)


def get_kind(key: str) -> Kind | None:
    return next((k for k in KIND_TABLE if k.key == key), None)


def kind_label(key: str) -> str:
    kind = get_kind(key)
    return kind.label if kind else key


def lesson_fields() -> tuple[FieldSpec, ...]:
    """Every front-matter field: the common ones, then each kind's block (or its own top-level
    fields), accepted only on lessons of that kind."""
    global _fields_of_table
    known = _fields_of_table
    if known is None or len(known[0]) != len(KIND_TABLE) or any(
            a is not b for a, b in zip(known[0], KIND_TABLE, strict=True)):
        table = tuple(KIND_TABLE)
        known = _fields_of_table = table, _lesson_fields(table)
    return known[1]


_fields_of_table: tuple[tuple[Kind, ...], tuple[FieldSpec, ...]] | None = None
"""The table lesson_fields last saw and its fields: asked once a lesson, so the table is
compared by identity, not hashed (hashing every kind's fields cost ~40 µs a lesson)."""


@cache
def _lesson_fields(table: tuple[Kind, ...]) -> tuple[FieldSpec, ...]:
    out = list(LESSON_FIELDS)
    for kind in table:
        if kind.block:
            out.append(_f(kind.block, "mapping", f"{kind.label}: {kind.description}",
                          fields=kind.fields, kinds=(kind.key,)))
        else:
            out.extend(FieldSpec(f.name, f.type, f"{kind.label}: {f.doc}", f.required,
                                 f.vocabulary, f.fields, (kind.key,), f.default)
                       for f in kind.fields)
    return tuple(out)
