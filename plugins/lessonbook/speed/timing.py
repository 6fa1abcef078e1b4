"""How long each phase of a build took, and how many lessons it touched.

A large knowledge base makes a slow build, and a slow build's owner needs to know which part is
slow before turning features off. The MkDocs adapter starts and stops the phases (parsing,
validation, lint, registry, similarity, search indexing, page rendering, exports) and logs the
table; the CLI may do the same. Plain Python: no MkDocs import.

A phase may run in pieces (search documents are handed over page by page, then the index is
written at the end): its seconds and lesson counts add up. Phases print in the order they first
started.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

TABLE_TITLE = "lessonbook timings (wall-clock seconds, lessons touched):"
"""The first line of :meth:`PhaseTimer.table`, the one message the build logs on several lines
(it holds no text from lessons)."""


@dataclass
class PhaseTime:
    """One row of the table: the seconds spent in a phase and the lessons it touched."""

    phase: str
    seconds: float = 0.0
    lessons: int = 0
    alongside: bool = False
    """Work another process did while the build went on: shown, not added to the total."""


class PhaseTimer:
    """Wall-clock time per phase, summed over every piece of the phase."""

    def __init__(self) -> None:
        self._rows: dict[str, PhaseTime] = {}
        self._started: dict[str, float] = {}

    def start(self, phase: str) -> None:
        """Begin (or resume) a phase; a phase already running is left as it is."""
        self._rows.setdefault(phase, PhaseTime(phase))
        self._started.setdefault(phase, time.perf_counter())

    def stop(self, phase: str, lessons: int = 0) -> None:
        """End a running phase and count the lessons it touched; a phase not running (an event
        that did not fire, e.g. in a build that failed early) only gets the lessons."""
        started = self._started.pop(phase, None)
        row = self._rows.setdefault(phase, PhaseTime(phase))
        if started is not None:
            row.seconds += time.perf_counter() - started
        row.lessons += lessons

    def add(self, phase: str, seconds: float, lessons: int = 0, *,
            alongside: bool = False) -> None:
        """Record a piece timed elsewhere (e.g. inside a loop that interleaves two phases);
        ``alongside``: done by another process while the build went on."""
        row = self._rows.setdefault(phase, PhaseTime(phase, alongside=alongside))
        row.seconds += seconds
        row.lessons += lessons

    @contextmanager
    def phase(self, phase: str, lessons: int = 0) -> Iterator[None]:
        """Time the block as (a piece of) ``phase``."""
        self.start(phase)
        try:
            yield
        finally:
            self.stop(phase, lessons)

    def rows(self) -> list[PhaseTime]:
        """Finished phases, in the order they first started."""
        return [row for name, row in self._rows.items() if name not in self._started]

    def table(self) -> str:
        """A plain-text table for the build log: one phase per line, seconds and lessons."""
        rows = self.rows()
        width = max((len(row.phase) for row in rows), default=5)
        lines = [TABLE_TITLE]
        lines += [f"  {row.phase:<{width}}  {row.seconds:8.3f} s  {row.lessons:7d} lessons"
                  for row in rows]
        total = sum(r.seconds for r in rows if not r.alongside)
        lines.append(f"  {'total':<{width}}  {total:8.3f} s")
        if any(r.alongside for r in rows):
            lines.append("  (the total leaves out work done alongside, in another process)")
        return "\n".join(lines)
