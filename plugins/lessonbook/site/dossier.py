"""The service dossier: what an engineer paged about a service opens first.

Each service page (``services/<service>/``) opens with the service's past incidents —
postmortems and near misses, newest first, each a card with its date, severity, time to
recover and one line of summary — then its open and overdue follow-ups, the rules and
checklists that cite it or came from its lessons, its other lessons (experiments, pre-mortems,
reviews: counted apart, not incidents), and last the teams involved, its commonest failure
types and categories, and Explore links filtered on it. Everything comes from the audience's
analysis.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..analysis.analyse import Analysis
from ..analysis.registry.records import Checklist, FollowUpEntry, Rule
from ..analysis.taxonomy import TermPage
from ..model.kinds import get_kind
from ..model.lesson import Lesson
from .pages import GeneratedPage, term_page

SERVICE = "service"
INCIDENT_KINDS = ("postmortem", "near-miss")
"""What a responder means by a past incident; other kinds are listed apart."""
ONE_LINE = 160
"""Characters of summary a card shows."""


@dataclass
class ServiceDossier:
    service: str
    incidents: list[Lesson]
    """Postmortems and near misses that name the service, newest first."""
    follow_ups: list[FollowUpEntry]
    """Open and overdue follow-ups of those lessons: overdue first, then by due date."""
    rules: list[tuple[Rule, str]]
    """Rules that cite the service or came from (or were applied in) its lessons, with why."""
    checklists: list[tuple[Checklist, str]]
    teams: list[tuple[str, int]]
    """Every team that wrote about the service, most lessons first."""
    failure_types: list[tuple[str, int]]
    categories: list[tuple[str, int]]
    explore_filters: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    """(label, facet → value) for links to Explore pre-filtered on the service."""
    others: list[Lesson] = field(default_factory=list)
    """Its other lessons (experiments, pre-mortems, after-action reviews), newest first."""

    @staticmethod
    def one_line(lesson: Lesson) -> str:
        return one_line(lesson)

    @property
    def others_counted(self) -> list[str]:
        """'2 pre-mortems', '1 experiment': how the other lessons are counted in the lead."""
        out = []
        for label, n in _ranked(Counter(x.kind_label for x in self.others)):
            noun = re.sub(r"\s*\(.*?\)", "", label).lower()
            out.append(f"{n} {noun}{'' if n == 1 else 's'}")
        return out

    @property
    def overdue(self) -> int:
        return sum(e.state == "overdue" for e in self.follow_ups)


def _is_lesson(lesson: Lesson) -> bool:
    """Checklists are reference material, not incidents."""
    kind = get_kind(lesson.kind)
    return kind.counts_as_lesson if kind else True


def _mentions(text: str, service: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(service)}(?![\w-])", text, re.I) is not None


def service_dossier(analysis: Analysis, term: TermPage) -> ServiceDossier:
    service = term.value
    lessons = term.lessons
    incidents = [x for x in lessons if x.kind in INCIDENT_KINDS]
    others = [x for x in lessons if _is_lesson(x) and x.kind not in INCIDENT_KINDS]
    ids = {x.id for x in lessons}
    registry = analysis.registry
    follow_ups = sorted(
        (e for e in registry.follow_ups if e.lesson.id in ids and e.state in ("open", "overdue")),
        key=lambda e: (e.state != "overdue", e.follow_up.due is None,
                       e.follow_up.due or e.lesson.date, e.lesson.id))
    rules: list[tuple[Rule, str]] = []
    for rule in registry.rules:
        if rule.source.id in ids:
            why = f"came from {rule.source.id}"
        elif any(x.id in ids for x in rule.sources):
            why = "produced by a follow-up of one of its lessons"
        elif any(x.id in ids for x in rule.applied_in):
            why = "applied in one of its incidents"
        elif any(x.id in ids for x in rule.amended_in):
            why = "amended after one of its incidents"
        elif _mentions(f"{rule.if_} {rule.then}", service):
            why = "names the service"
        else:
            continue
        rules.append((rule, why))
    rules.sort(key=lambda rw: (rw[1] == "names the service", rw[0].id))
    checklists: list[tuple[Checklist, str]] = []
    for checklist in registry.checklists:
        if checklist.id in ids:
            why = "filed under the service"
        elif any(x.id in ids for x in checklist.shaped_by):
            why = "shaped by one of its lessons"
        elif _mentions(f"{checklist.title} {checklist.trigger or ''}", service):
            why = "names the service"
        else:
            continue
        checklists.append((checklist, why))
    teams = Counter(t for x in lessons for t in x.teams)
    counted = [*incidents, *others]
    failure_types = Counter(x.failure_type for x in counted if x.failure_type)
    categories = Counter(c for x in counted for c in x.categories)
    filters = [("Every lesson on this service", {SERVICE: service})]
    filters.extend((f"{ft.capitalize()} failures on this service",
                    {SERVICE: service, "failure_type": ft}) for ft, _ in
                   failure_types.most_common())
    return ServiceDossier(service, incidents, follow_ups, rules, checklists,
                          _ranked(teams), _ranked(failure_types), _ranked(categories), filters,
                          others)


def one_line(lesson: Lesson) -> str:
    """The first sentence of the summary, cut at a word near ONE_LINE characters."""
    text = " ".join(lesson.summary.split())
    if not text:
        return ""
    sentence = re.match(r"(.+?[.!?])(?:\s|$)", text)
    text = sentence.group(1) if sentence else text
    if len(text) <= ONE_LINE:
        return text
    return text[:ONE_LINE].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _ranked(counts: Counter[str]) -> list[tuple[str, int]]:
    """Most common first; ties alphabetical, so pages do not change between builds."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold(), kv[0]))


def dossier_page(analysis: Analysis, term: TermPage) -> GeneratedPage:
    """A service's term page, with its dossier in the template's data."""
    page = term_page(term)
    page.data["dossier"] = service_dossier(analysis, term)
    return page


def services_by_incidents(analysis: Analysis) -> list[tuple[str, int]]:
    """Services, most incidents first (the home page's "In an incident?" box)."""
    counts = Counter(s for x in analysis.kb.lessons if x.kind in INCIDENT_KINDS
                     for s in x.services)
    return _ranked(counts)
