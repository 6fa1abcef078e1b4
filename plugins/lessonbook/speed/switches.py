"""Every speed mechanism's switch, in one place.

Each mechanism is an optimisation with a plain reference path that must give the same output
(docs/performance.md lists the mechanisms, the invariant each relies on and the test that
guards it). A switch turns one off, so the tests compare fast path and reference through this
public object — never by patching private names — and a user who suspects a mechanism can turn
it off without editing code.

Every field is read from an environment variable named after it (``LESSONBOOK_WORKERS=1``,
``LESSONBOOK_SIMILARITY_ALONGSIDE=0``...); ``LESSONBOOK_REFERENCE=1`` turns every mechanism
off at once.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace

_OFF = {"0", "false", "no", "off"}
_ON = {"1", "true", "yes", "on"}


@dataclass
class SpeedReport:
    """What the mechanisms did in a run: counted, so tests and benchmarks can see that a fast
    path really ran (or did not) without reaching into private code."""

    forked_maps: int = 0
    """Per-file maps that ran over several processes."""
    forked_chunks: int = 0
    """Chunks those maps were cut into."""
    similarity_alongside: int = 0
    """Builds whose similar links a forked child computed."""
    files_read: int = 0
    """Files parsed and validated afresh (not taken from a serve session's cache)."""
    lessons_linted: int = 0
    """Lessons linted afresh (not taken from the cache, nor linted where they were read)."""


@dataclass(frozen=True)
class Speed:
    """The switches. Defaults are the fast paths; :meth:`reference` is every one off."""

    workers: int = 0
    """Processes for per-file work (reading, validating, linting); 0: one per usable core,
    1: this process only."""
    parallel_min: int = 1000
    """Fewest files worth forking workers for (below, one process is faster)."""
    similarity_alongside: bool = True
    """`mkdocs build`: similar links computed by a forked child while MkDocs converts
    Markdown (200+ lessons, 2+ cores, ``fork`` available)."""
    lint_where_read: bool = True
    """`lessonbook check`: each lesson linted by the process that read it, not afterwards."""
    lint_prefilter: bool = True
    """The lint reads only the body lines a keyword shows its rules can find something in."""
    reuse_reads: bool = True
    """`mkdocs serve`: a file whose bytes did not change is not parsed, validated, linted or
    scanned for similarity again."""
    replay_pages: bool = True
    """`mkdocs serve`: a lesson page whose inputs did not change is replayed, not rendered."""
    nav_cache: bool = True
    """Material's sidebar rendered once per set of links for pages outside the nav."""
    search_worker: bool = True
    """`mkdocs build`/`serve`: the search index's parts fed to Pagefind and written by a
    worker process, not by a thread of MkDocs' own process (site/pagefind_worker.py)."""
    report: SpeedReport = field(default_factory=SpeedReport, compare=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Speed:
        """The switches as the environment sets them (unset or unreadable: the default)."""
        environ = os.environ if environ is None else environ
        speed = cls.reference() if _flag(environ.get("LESSONBOOK_REFERENCE"), False) else cls()
        changes: dict[str, object] = {}
        for spec in fields(cls):
            if spec.name == "report":
                continue
            value = environ.get(f"LESSONBOOK_{spec.name.upper()}")
            if value is None:
                continue
            current = getattr(speed, spec.name)
            if isinstance(current, bool):
                changes[spec.name] = _flag(value, current)
            else:
                changes[spec.name] = _count(value, current)
        return replace(speed, **changes) if changes else speed

    @classmethod
    def reference(cls) -> Speed:
        """Every mechanism off: one process, everything computed where and when it is used."""
        return cls(workers=1, similarity_alongside=False, lint_where_read=False,
                   lint_prefilter=False, reuse_reads=False, replay_pages=False,
                   nav_cache=False)

    def processes(self) -> int:
        """How many processes a large map uses: ``workers``, else the usable cores."""
        if self.workers > 0:
            return self.workers
        try:
            return len(os.sched_getaffinity(0))
        except AttributeError:  # not on Linux
            return os.cpu_count() or 1


def _flag(value: str | None, default: bool) -> bool:
    if value is None:
        return default
    value = value.strip().lower()
    return True if value in _ON else False if value in _OFF else default


def _count(value: str, default: int) -> int:
    value = value.strip()
    return int(value) if value.isdigit() else default
