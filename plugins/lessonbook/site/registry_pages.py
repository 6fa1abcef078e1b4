"""The Rules, Checklists and Follow-ups pages: their plan and what their templates read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..analysis.registry import Registry
from ..model.lesson import Lesson
from .pages import GeneratedPage

RULES_PAGE = "rules.md"
CHECKLISTS_PAGE = "checklists.md"
FOLLOW_UPS_PAGE = "follow-ups.md"


def plan_registry_pages() -> list[GeneratedPage]:
    """The Rules, Checklists and Follow-ups pages; the adapter adds them like site.plan_pages."""
    return [
        GeneratedPage(RULES_PAGE, "Rules", "lessonbook/rules.html", {"page_kind": "rules"}),
        GeneratedPage(CHECKLISTS_PAGE, "Checklists", "lessonbook/checklists.html",
                      {"page_kind": "checklists"}),
        GeneratedPage(FOLLOW_UPS_PAGE, "Follow-ups", "lessonbook/follow-ups.html",
                      {"page_kind": "follow-ups"}),
    ]


@dataclass
class RegistryView:
    """What the registry templates need: the registry plus URLs of lessons and pages."""

    registry: Registry
    url_of: Callable[[Lesson], str]
    page_urls: dict[str, str] = field(default_factory=dict)
    """src_uri of a generated registry page → its URL (absent when a user page replaced it)."""

    def rule_url(self, rule_id: str) -> str | None:
        page = self.page_urls.get(RULES_PAGE)
        return f"{page}#rule-{rule_id}" if page is not None else None

    def checklist_url(self, checklist_id: str) -> str | None:
        checklist = self.registry.checklist_by_id.get(checklist_id)
        return self.url_of(checklist.lesson) if checklist else None

    def produces_url(self, target: str | None) -> str | None:
        if target is None:
            return None
        if target in self.registry.rule_by_id:
            return self.rule_url(target)
        return self.checklist_url(target)

    def page_url(self, src_uri: str) -> str | None:
        return self.page_urls.get(src_uri)
