"""A similar link as pages, exports and the review command see it, and the protocol of whatever
computes them (in this process or in a forked child)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from ...model.lesson import Lesson
from .fields import FIELD_LABELS, FIELDS


@dataclass
class SimilarLink:
    """One link shown under "Similar incidents"."""

    id: str
    score: float
    shared: dict[str, list[str]] = field(default_factory=dict)
    """Field name → values both lessons have."""
    terms: list[str] = field(default_factory=list)
    """Distinctive words both texts use, most telling first, as written."""
    by_author: bool = False
    """Named in this lesson's `related:`."""
    links_here: bool = False
    """The other lesson names this one in its `related:` ("Referenced by")."""
    tier: str = "confident"
    """"confident" (above the bars), or "possible": the rest of the first few, shown folded
    as "possibly related" (author links and lessons linking here are always confident)."""

    @property
    def reasons(self) -> list[str]:
        """Why, in words a reader can judge at a glance."""
        out = []
        if self.by_author:
            out.append("linked by the author")
        if self.links_here:
            out.append("links to this lesson")
        for name in FIELDS:
            if self.shared.get(name):
                out.append(f"same {FIELD_LABELS[name]}: {', '.join(self.shared[name])}")
        if self.terms:
            out.append("both mention: " + ", ".join(self.terms))
        return out

    @property
    def why(self) -> str:
        """One line of why (the folded reasons' summary): at most two shared fields, then the
        words both use when fewer than three reasons are given."""
        bits = []
        if self.by_author:
            bits.append("linked by the author")
        if self.links_here:
            bits.append("links to this lesson")
        for name, values in list(self.shared.items())[:2]:
            bits.append(f"same {name.replace('_', ' ')}: {', '.join(values[:3])}")
        if self.terms and len(bits) < 3:
            bits.append("both mention " + ", ".join(self.terms[:3]))
        text = "; ".join(bits)
        return text[:1].upper() + text[1:]

    def as_record(self) -> dict[str, object]:
        return {"id": self.id, "score": round(self.score, 4), "reasons": self.reasons,
                "tier": self.tier}


class SimilarLinksSource(Protocol):
    """What pages, exports and the recurring finder ask of similarity: computed here
    (SimilarityIndex) or alongside the build (similarity_alongside.py)."""

    def similar(self, lesson_id: str) -> list[SimilarLink]: ...

    def record(self, lesson: Lesson) -> dict[str, object]: ...


