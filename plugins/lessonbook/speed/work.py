"""How a run does its work, as the layers below the pipeline see it.

The pipeline (``lessonbook.pipeline.Run``) owns one :class:`Work` per run and hands it to the
loader and the analysis: the speed switches, the phase timer and, under `mkdocs serve`, the
caches kept between rebuilds. What a run computes never depends on it; how fast it does does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .switches import Speed
from .timing import PhaseTimer

if TYPE_CHECKING:  # a type only: the cache belongs to the loader, one layer up
    from ..load.knowledge_base import ReadCache


@dataclass
class Work:
    speed: Speed = field(default_factory=Speed.from_env)
    timer: PhaseTimer = field(default_factory=PhaseTimer)
    cache: ReadCache | None = None
    """Each file's parse, lesson and lint findings, kept across `mkdocs serve` rebuilds."""
