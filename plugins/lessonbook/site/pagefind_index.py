"""Run Pagefind over a built site. Optional: without the `pagefind` package the caller gets a
clear message and the site is built without the Explore page's index."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

OUTPUT_SUBDIR = "pagefind"
EXCLUDE_SELECTORS = ("[data-lessonbook-lesson]", ".lb-similar", ".lb-eyebrow")
"""Parts of a lesson page that are about other lessons (related and similar lists) or repeat
its metadata: indexing them would make a query match the lessons that merely link to a hit."""


@dataclass
class IndexResult:
    ok: bool
    message: str
    seconds: float = 0.0


def pagefind_available() -> bool:
    return importlib.util.find_spec("pagefind") is not None


def build_index(site_dir: str | Path, timeout: float = 1800) -> IndexResult:
    """Index the lesson pages of a built site (only elements marked ``data-pagefind-body`` are
    indexed, so generated list pages stay out) into ``<site>/pagefind/``.

    Runs the binary shipped by ``pagefind[extended]`` through ``python -m pagefind`` so it uses
    the same environment as MkDocs, and never raises: failures come back as a message."""
    if not pagefind_available():
        return IndexResult(False, "the `pagefind` package is not installed "
                                  "(pip install 'pagefind[extended]'); the Explore page will "
                                  "have no search index")
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir),
               "--output-subdir", OUTPUT_SUBDIR, "--quiet"]
    for selector in EXCLUDE_SELECTORS:
        command += ["--exclude-selectors", selector]
    started = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return IndexResult(False, f"pagefind could not run: {exc}")
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-5:])
        return IndexResult(False, f"pagefind failed (exit {done.returncode}): {tail}", seconds)
    return IndexResult(True, f"pagefind indexed the site in {seconds:.1f} s", seconds)
