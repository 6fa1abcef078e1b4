"""The vocabularies a knowledge base validates against; configurable, plain Python."""

from __future__ import annotations

from dataclasses import dataclass, field

from .kinds import kind_keys

FAILURE_TYPES: tuple[str, ...] = ("preventable", "complexity", "intelligent")
FAILURE_TYPE_HELP = {
    "preventable": "A deviation from known practice.",
    "complexity": "An unpredictable interaction in a complex system.",
    "intelligent": "A well-designed experiment that did not go as hoped.",
}
STATUSES: tuple[str, ...] = ("draft", "reviewed")
VISIBILITIES: tuple[str, ...] = ("public", "internal", "restricted")
FOLLOW_UP_STATUSES: tuple[str, ...] = ("open", "done", "dropped", "unknown")
"""``unknown``: an item of a past incident whose fate nobody recorded (``lessonbook import``
writes it when the text does not say): neither open (never overdue) nor done."""
RULE_STATUSES: tuple[str, ...] = ("proposed", "adopted", "retired", "superseded")
RULE_CHANGES: tuple[str, ...] = ("adopted", "applied", "amended", "retired", "superseded")
LEVELS: tuple[str, ...] = ("low", "medium", "high")
OUTCOMES: tuple[str, ...] = ("adopt", "adapt", "abandon")

DEFAULT_SEVERITIES: tuple[str, ...] = ("SEV1", "SEV2", "SEV3", "SEV4")
DEFAULT_CATEGORIES: tuple[str, ...] = (
    "design-flaw", "data-gap", "process-deviation", "external-shock",
    "dependency", "capacity", "configuration", "communication",
)
DEFAULT_DEFENSE_LAYERS: tuple[str, ...] = ("people", "process", "technology")


@dataclass(frozen=True)
class Settings:
    """What a site configures; everything else about a lesson is fixed by the model."""

    severities: tuple[str, ...] = DEFAULT_SEVERITIES
    categories: tuple[str, ...] = DEFAULT_CATEGORIES
    defense_layers: tuple[str, ...] = DEFAULT_DEFENSE_LAYERS
    lesson_dirs: tuple[str, ...] = (".",)
    exclude: tuple[str, ...] = ("index.md", "README.md")
    extra_keys: tuple[str, ...] = field(default=())
    docs_exclude: tuple[str, ...] = ()
    """mkdocs.yml's ``exclude_docs`` and ``draft_docs`` lines (gitignore patterns): files a
    `mkdocs build` leaves out, which the CLI must leave out too (the plugin gets MkDocs' own
    answer from its ``Files``)."""

    def vocabulary(self, name: str) -> tuple[str, ...]:
        """The values a field of this vocabulary accepts (validation asks ~10 times a
        lesson, so no table is built per call)."""
        if name in _FIXED:
            return _FIXED[name]
        if name == "kinds":
            return kind_keys()  # read each time: tests add kinds to the table
        return {"severities": self.severities, "categories": self.categories,
                "defense_layers": self.defense_layers}[name]


_FIXED: dict[str, tuple[str, ...]] = {
    "failure_types": FAILURE_TYPES, "statuses": STATUSES, "visibilities": VISIBILITIES,
    "follow_up_statuses": FOLLOW_UP_STATUSES, "rule_statuses": RULE_STATUSES,
    "rule_changes": RULE_CHANGES, "levels": LEVELS, "outcomes": OUTCOMES,
}
"""The vocabularies no site configures."""
