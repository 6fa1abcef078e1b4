"""The glossary (``glossary/``): the site's own words (rule, follow-up, checklist, pause point,
recurring incident, near-miss ratio, Pareto chart, time to detect and recover, severity) and
every word it files lessons under, each defined once.

Kinds read their label and description from the kinds table; failure types, defense layers,
severities and categories come from the configured vocabularies with built-in descriptions for
the defaults; the card's fields from the front-matter model. The ``glossary`` option replaces
or adds descriptions (keyed by value, or by field name for a card field). Card labels, chips
and taxonomy pages link to their entry, and each taxonomy value page opens with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..load.slugs import page_slug
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

WORDS: tuple[tuple[str, str, str], ...] = (
    ("rule", "Rule",
     "An if-then habit the organisation adopted because of a lesson: \"If <a situation someone "
     "will recognise>, then <what we do>.\" Rules are proposed, adopted, amended, retired or "
     "superseded by later lessons; the Rules page shows each one's history."),
    ("follow_up", "Follow-up",
     "An action agreed in a review, with an owner (a role or team) and a due date. It is open "
     "until done (with the day it was done) or dropped; an open one past its due date is "
     "overdue."),
    ("closure_rate", "Closure rate",
     "Follow-ups done ÷ (done + open), open including overdue. Dropped ones are left out: "
     "deciding not to do something is neither closing it nor leaving it open."),
    ("checklist", "Checklist",
     "A short list of checks to run at a given moment (a failover, a certificate rotation), "
     "created and changed by lessons. Read it aloud and tick each item while you work."),
    ("pause_point", "Pause point",
     "A moment in a checklist where the work stops until everyone involved has checked the "
     "items above it, as a surgical team does before the first cut."),
    ("recurring", "Recurring incident",
     "A later incident or near miss that strongly resembles an earlier one (same services, "
     "failure type, categories and words) within a window of months: a sign the earlier "
     "lesson's changes did not cover this way of failing."),
    ("near_miss_ratio", "Near-miss ratio",
     "Near misses reported per incident in a year. A rising ratio is healthy: people report "
     "what nearly went wrong before it does."),
    ("pareto", "Pareto chart",
     "Values ranked by how many lessons name them, most first, with the running share: the "
     "few at the top usually account for most of the lessons (the 80/20 rule)."),
    ("time_to_detect", "Time to detect",
     "From the start of the problem to the moment someone knew. Shown as every incident with "
     "the median and 90th percentile, never a mean: a few long incidents would move a mean."),
    ("time_to_recover", "Time to recover",
     "From the start of the problem to service restored; like time to detect, read as a "
     "median and a 90th percentile."),
    ("severity", "Severity",
     "How bad the impact was, on the site's scale (SEV1 the worst by default); the levels are "
     "defined under Severities below."),
)
"""The product's own words: (key, term, definition). Pages link each word to its entry
(SiteView.word_url); the ``glossary`` option may replace a definition by its key. The last
three are also card fields, so their entries keep the card field's anchor."""
CARD_WORDS = frozenset({"time_to_detect", "time_to_recover", "severity"})


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

    def word_entry(self, key: str) -> GlossaryEntry | None:
        return self._by_field.get(word_anchor(key))

    def entry(self, dimension: str, value: str) -> GlossaryEntry | None:
        return self._by_value.get((dimension, value))

    def field_entry(self, name: str) -> GlossaryEntry | None:
        return self._by_field.get(field_anchor(name))


def value_anchor(dimension: str, value: str) -> str:
    return f"{dimension.replace('_', '-')}-{page_slug(value) or 'value'}"


def field_anchor(name: str) -> str:
    return f"field-{name.replace('_', '-')}"


def word_anchor(key: str) -> str:
    """A product word's entry: a card field's own anchor when it is one (time to detect)."""
    return field_anchor(key) if key in CARD_WORDS else f"word-{key.replace('_', '-')}"


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
        GlossaryGroup("words", "Words this site uses", [
            GlossaryEntry(word_anchor(key), term, custom.get(key, text))
            for key, term, text in WORDS]),
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
            for name in CARD_FIELDS if name not in CARD_WORDS]),
    ]
    return Glossary(groups)


def glossary_page(options: Options) -> GeneratedPage:
    return GeneratedPage(GLOSSARY, "Glossary", "lessonbook/glossary.html",
                         {"page_kind": "glossary", "glossary": build_glossary(options)})
