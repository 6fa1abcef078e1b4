"""Per-phase build timings: a site owner can see which part of a slow build is slow."""

from __future__ import annotations

import logging
import re
import time

import pytest

from conftest import lesson_text
from lessonbook.speed.timing import PhaseTimer

PHASES = ("parsing", "validation", "registry", "lint", "similarity", "page rendering",
          "exports")


def two_lessons() -> dict[str, str]:
    files = {}
    for n in (1, 2):
        front = {"id": f"pm-{n}", "title": f"Checkout timeouts {n}", "type": "postmortem",
                 "date": f"2025-03-0{n}", "tags": ["checkout"],
                 "follow_ups": [{"action": "Add a canary stage", "owner": "platform",
                                 "due": "2025-04-01"}]}
        files[f"2025/pm-{n}.md"] = lesson_text(front)
    return files


def timing_tables(caplog: pytest.LogCaptureFixture) -> dict[int, dict[str, str]]:
    """Log level -> {phase: the rest of its row} for each timings table the build logged."""
    tables = {}
    for record in caplog.records:
        message = record.getMessage()
        if "lessonbook timings" not in message:
            continue
        rows = {}
        for line in message.splitlines()[1:]:
            found = re.match(r"\s+(\S.*?)\s+\d+\.\d+ s(.*)$", line)
            if found:
                rows[found.group(1)] = found.group(2).strip()
        tables[record.levelno] = rows
    return tables


def test_timings_true_logs_every_phase_with_the_lessons_it_touched(make_site, caplog):
    caplog.set_level(logging.DEBUG, logger="mkdocs")
    site = make_site(two_lessons(), {"timings": True, "search": {"pagefind": False}})
    assert site.ok, site.log
    rows = timing_tables(caplog)[logging.INFO]
    for phase in PHASES:
        assert rows.get(phase) == "2 lessons", (phase, rows)
    assert "total" in rows


def test_without_the_option_the_timings_are_logged_at_debug_only(make_site, caplog):
    caplog.set_level(logging.DEBUG, logger="mkdocs")
    site = make_site(two_lessons(), {"search": {"pagefind": False}})
    assert site.ok, site.log
    tables = timing_tables(caplog)
    assert list(tables) == [logging.DEBUG]
    assert set(PHASES) <= set(tables[logging.DEBUG])


def test_a_phase_run_in_pieces_adds_its_seconds_and_lessons():
    timer = PhaseTimer()
    for _ in range(3):
        with timer.phase("search indexing", 1):
            time.sleep(0.01)
    timer.add("search indexing", 1.0)
    [row] = timer.rows()
    assert row.lessons == 3
    assert 1.03 <= row.seconds < 1.5


def test_phases_are_listed_in_the_order_they_first_started_and_running_ones_are_not():
    timer = PhaseTimer()
    timer.start("lint")
    timer.stop("lint", 5)
    timer.start("page rendering")
    timer.add("parsing", 0.5, 5)
    timer.start("lint")
    timer.stop("lint")
    assert [row.phase for row in timer.rows()] == ["lint", "parsing"]
    assert "page rendering" not in timer.table()
