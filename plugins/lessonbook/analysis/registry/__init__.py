"""The registry of changed behaviour: if-then rules, checklists and follow-ups across lessons.

A lesson is worth something when it changes an artifact that shapes the next decision. The
registry follows that chain across the whole knowledge base: the rule a lesson adopted and every
later lesson that applied, amended, retired or superseded it; the checklists lessons created or
changed; and every follow-up with whether it is overdue on the build date. It also finds the
cross-document problems no single file can show (unknown rule ids, duplicate rule ids,
checklists without items).

- ``records.py``: what the registry holds (Rule, Checklist, FollowUpEntry, Registry).
- ``building.py``: lessons → registry, with its problems (:func:`build_registry`).
- ``checklists.py``: a checklist's items and pause points read from its body, and their checks.

Pages and exports of the registry live in the site layer (site/registry_pages.py,
site/exports.py).
"""

from .building import build_registry
from .records import Checklist, FollowUpEntry, Registry, Rule, RuleEvent

__all__ = ["Checklist", "FollowUpEntry", "Registry", "Rule", "RuleEvent", "build_registry"]
