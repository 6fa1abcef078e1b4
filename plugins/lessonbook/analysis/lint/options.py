"""What a site configures about the blameless lint, and the default blame-language list."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...model.options import Options
from ...model.problems import Problem

# phrase -> (why it hurts, what to write instead). Phrases are matched case-insensitively on
# word boundaries; "blame" does not match "blameless".
DEFAULT_BLAME_WORDS: dict[str, tuple[str, str]] = {
    "should have known": (
        "hindsight: it judges a decision by an outcome nobody knew at the time",
        "describe what the person knew and saw then, and why the action made sense",
    ),
    "should have noticed": (
        "hindsight: it judges a decision by an outcome nobody knew at the time",
        "describe what the signal looked like among everything else on screen",
    ),
    "failed to": (
        "it makes a person's omission the cause",
        "say what the system or process did not provide, e.g. 'the runbook had no step for X'",
    ),
    "negligent": ("it assigns fault to a person", "describe the conditions that allowed it"),
    "negligence": ("it assigns fault to a person", "describe the conditions that allowed it"),
    "careless": ("it assigns fault to a person", "describe what made the mistake easy to make"),
    "carelessness": ("it assigns fault to a person",
                     "describe what made the mistake easy to make"),
    "sloppy": ("it assigns fault to a person", "describe what made the mistake easy to make"),
    "incompetent": ("it assigns fault to a person",
                    "describe the training, tooling or context that was missing"),
    "blame": ("a blameless review looks for conditions, not culprits",
              "describe the conditions that made the outcome possible"),
    "blamed": ("a blameless review looks for conditions, not culprits",
               "describe the conditions that made the outcome possible"),
}


@dataclass(frozen=True)
class LintOptions:
    """What a site configures about the blameless lint (plugin options of the same names)."""

    enabled: bool = True
    blame_words: tuple[str, ...] | None = None
    """Phrases warned about in the narrative; None means DEFAULT_BLAME_WORDS."""
    allowed_names: tuple[str, ...] = ()
    """Owner values that look like names but are fine (a role called 'Release Captain')."""
    checklist_max_items: int = Options.checklist_max_items
    """Task items per checklist section before a warning; research suggests 5-9 get read."""
    known_teams: frozenset[str] = field(default_factory=frozenset)

    def phrases(self) -> dict[str, tuple[str, str]]:
        if self.blame_words is None:
            return DEFAULT_BLAME_WORDS
        generic = ("it reads as blaming a person", "describe the conditions, not the culprit")
        return {w.lower(): DEFAULT_BLAME_WORDS.get(w.lower(), generic)
                for w in self.blame_words if w.strip()}


EarlyLint = tuple[list[Problem], frozenset[str]]
"""A lesson linted before the other lessons' teams are known: its findings, and the names
the lint asked about that the names allowed then did not hold."""
