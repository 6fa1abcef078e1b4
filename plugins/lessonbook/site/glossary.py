"""The glossary (``glossary/``): every word the site files lessons under, defined once.

Kinds read their label and description from the kinds table; failure types, defense layers,
severities and categories come from the configured vocabularies with built-in descriptions for
the defaults; the card's fields from the front-matter model. The ``glossary`` option replaces
or adds descriptions (keyed by value, or by field name for a card field). Card labels, chips
and taxonomy pages link to their entry, and each taxonomy value page opens with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..load.validation import page_slug
from ..model.fields import LESSON_FIELDS
from ..model.kinds import all_kinds
from ..model.options import Options
from ..model.vocabulary import FAILURE_TYPE_HELP, FAILURE_TYPES
from .pages import GeneratedPage

GLOSSARY = "glossary.md"

DEFENSE_LAYER_HELP = {
    "people": "What people notice, know and decide: training, on-call, review, a second pair of "
              "eyes.",
    "process": "The agreed ways of working: runbooks, checklists, change approval, rehearsals.",
    "technology": "What the systems do on their own: alerts, tests, guards, automatic rollback.",
}
SEVERITY_HELP = {
    "SEV1": "Most severe: a critical service down or data at risk for many customers.",
    "SEV2": "Major: a key feature broken or badly degraded for many customers.",
    "SEV3": "Minor: a feature degraded, a workaround exists, or few customers affected.",
    "SEV4": "Least severe: little or no customer impact; worth learning from anyway.",
}
CATEGORY_HELP = {
    "design-flaw": "The system worked as designed; the design allowed the failure.",
    "data-gap": "Someone lacked a signal, a metric or a fact they needed in time.",
    "process-deviation": "Work departed from the agreed process (often for reasons that made "
                         "sense at the time).",
    "external-shock": "Something outside our control changed: a vendor, traffic, the weather.",
    "dependency": "A service or component we rely on failed or behaved unexpectedly.",
    "capacity": "Load outgrew a limit: connections, memory, quota, people.",
    "configuration": "A setting, flag or secret was wrong, missing or changed.",
    "communication": "Information did not reach the people who needed it, or was misread.",
}
CARD_FIELDS = ("type", "date", "severity", "failure_type", "categories", "defense_layers",
               "services", "teams", "tags", "time_to_detect", "time_to_recover", "status",
               "visibility", "review_by")
"""The card's fields, in card order (``type`` is the card's Kind)."""
CARD_LABELS = {"type": "Kind", "date": "Date", "severity": "Severity",
               "failure_type": "Failure type", "categories": "Categories",
               "defense_layers": "Defense layers with holes", "services": "Services",
               "teams": "Teams", "tags": "Tags", "time_to_detect": "Time to detect",
               "time_to_recover": "Time to recover", "status": "Status",
               "visibility": "Visibility", "review_by": "Review by"}
FIELD_HELP = {
    "type": "What sort of lesson it is; see the kinds above.",
    "date": "The day of the incident, the review or the start of the experiment.",
    "severity": "How bad the impact was, on the site's scale; see the severities above.",
    "failure_type": "Preventable, complexity or intelligent (Edmondson): which kind of "
                    "failure it was decides what learning from it looks like.",
    "categories": "What kind of conditions combined to allow it; see the categories above.",
    "defense_layers": "The layers of defense that had holes this time (the Swiss-cheese "
                      "model); see the defense layers above.",
    "services": "The services involved: each has a page with its past incidents, open "
                "follow-ups, rules and checklists.",
    "teams": "The teams who lived it and wrote it up.",
    "tags": "Free words the authors chose, to find lessons across categories.",
    "time_to_detect": "From the start of the problem to the moment someone knew.",
    "time_to_recover": "From the start of the problem to service restored.",
    "status": "Draft while the review is under way; reviewed once the team agreed it.",
    "visibility": "Who may read it: public, internal or restricted. A site built for an "
                  "audience leaves out what is above it.",
    "review_by": "When to read the lesson again and check it still holds.",
}

@dataclass
class GlossaryEntry:
    anchor: str
    term: str
    description: str
    dimension: str | None = None
    """The taxonomy dimension the term is a value of (None for card fields)."""
    value: str | None = None


@dataclass
class GlossaryGroup:
    id: str
    title: str
    entries: list[GlossaryEntry] = field(default_factory=list)


@dataclass
class Glossary:
    groups: list[GlossaryGroup]

    def __post_init__(self) -> None:
        self._by_value = {(e.dimension, e.value): e for g in self.groups for e in g.entries
                          if e.dimension is not None}
        self._by_field = {e.anchor: e for g in self.groups for e in g.entries
                          if e.dimension is None}

    def entry(self, dimension: str, value: str) -> GlossaryEntry | None:
        return self._by_value.get((dimension, value))

    def field_entry(self, name: str) -> GlossaryEntry | None:
        return self._by_field.get(field_anchor(name))


def value_anchor(dimension: str, value: str) -> str:
    return f"{dimension.replace('_', '-')}-{page_slug(value) or 'value'}"


def field_anchor(name: str) -> str:
    return f"field-{name.replace('_', '-')}"


def build_glossary(options: Options) -> Glossary:
    """The glossary for a site's vocabularies, with the ``glossary`` option's descriptions
    winning over the built-in ones."""
    custom = options.glossary or {}

    def values(dimension: str, items: list[tuple[str, str, str]]) -> list[GlossaryEntry]:
        return [GlossaryEntry(value_anchor(dimension, value), term,
                              custom.get(value, builtin), dimension, value)
                for value, term, builtin in items]

    docs = {spec.name: spec.doc for spec in LESSON_FIELDS}
    groups = [
        GlossaryGroup("kinds", "Kinds of lesson", values(
            "kind", [(k.key, k.label, k.description) for k in all_kinds()])),
        GlossaryGroup("failure-types", "Failure types", values(
            "failure_type", [(v, v.capitalize(), FAILURE_TYPE_HELP.get(v, ""))
                             for v in FAILURE_TYPES])),
        GlossaryGroup("defense-layers", "Defense layers", values(
            "defense_layer", [(v, v.capitalize(), DEFENSE_LAYER_HELP.get(v, ""))
                              for v in options.defense_layers])),
        GlossaryGroup("severities", "Severities", values(
            "severity", [(v, v, SEVERITY_HELP.get(v, "")) for v in options.severities])),
        GlossaryGroup("categories", "Categories", values(
            "category", [(v, v, CATEGORY_HELP.get(v, "")) for v in options.categories])),
        GlossaryGroup("card-fields", "The fields of a lesson's card", [
            GlossaryEntry(field_anchor(name), CARD_LABELS[name],
                          custom.get(name, FIELD_HELP.get(name) or docs.get(name, "")))
            for name in CARD_FIELDS]),
    ]
    return Glossary(groups)


def glossary_page(options: Options) -> GeneratedPage:
    return GeneratedPage(GLOSSARY, "Glossary", "lessonbook/glossary.html",
                         {"page_kind": "glossary", "glossary": build_glossary(options)})
