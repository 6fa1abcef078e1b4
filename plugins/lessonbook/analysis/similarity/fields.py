"""The structured fields two lessons can share, and what sharing a value says (its rarity)."""

from __future__ import annotations

import math

from ...model.lesson import Lesson

FIELDS: tuple[str, ...] = ("tags", "services", "categories", "failure_type", "defense_layers")
FIELD_LABELS = {
    "tags": "tags", "services": "services", "categories": "categories",
    "failure_type": "failure type", "defense_layers": "defense layers",
}


def rarity(df: int, n: int) -> float:
    """What sharing a field value says, 0..1: ln(N/df) / ln(N). A value every lesson carries
    says nothing (0); one that two lessons of a hundred share says nearly as much as a value
    could (0.85). A value on one lesson links nothing anyway."""
    if n < 2 or df < 2:
        return 0.0
    return max(math.log(n / df), 0.0) / math.log(n)


def values(lesson: Lesson, name: str) -> list[str]:
    """A field's values as a list (a single value, e.g. failure type, becomes one item)."""
    value = getattr(lesson, name)
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)
