"""Whether the configuration's choice of lessons chose anything, and what it left out.

``lesson_dirs`` and ``exclude`` decide which Markdown files are lessons; every other file is
published by MkDocs as a plain page, for any audience. So a selection that names nothing (a
folder that does not exist, an ``exclude`` that matches every lesson) is not a harmless no-op:
it turns every lesson, restricted ones included, into a plain page. The build and `lessonbook
check` ask the same two questions here:

- :func:`selection_problems`: does each thing the options name exist and select something?
  A warning (MkDocs logs it as one, so ``--strict`` fails; `check --strict` fails too).

Files outside the selection whose front-matter has lesson fields are refused one by one
(:func:`.sources.refusal`): an error each, left out of the site, never a plain page.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from dataclasses import replace
from pathlib import Path

from ..model.problems import Problem, Severity, did_you_mean
from ..model.vocabulary import Settings
from .sources import is_lesson_path

SELECTS_NOTHING = "config-selects-nothing"
DEFAULT_EXCLUDE = Settings().exclude
"""The default ``exclude`` patterns: a site without index.md or README.md is no mistake."""



def has_lesson_suffix(path: str) -> bool:
    """Whether the file would be a lesson if the options selected it (``.md``, ``.markdown``)."""
    return is_lesson_path(path, replace(Settings(), lesson_dirs=(".",), exclude=()))


def selection_problems(config_file: str, docs_dir: str | os.PathLike[str], settings: Settings,
                       markdown: Collection[str], lessons: Collection[str]) -> list[Problem]:
    """Warnings for ``lesson_dirs`` folders that are missing or hold no lesson, and for an
    ``exclude`` that leaves none. ``markdown``: the docs-relative paths with a lesson suffix;
    ``lessons``: those the options select."""
    problems = []
    root = Path(docs_dir)
    for folder in settings.lesson_dirs:
        name = folder.strip("/")
        if name in ("", "."):
            continue
        if not (root / name).is_dir():
            hint = did_you_mean(name, _folders(root)) or "folders are relative to docs_dir"
            problems.append(_warning(config_file, f"option 'lesson_dirs': there is no folder "
                                     f"{name!r} in {root}, so no lesson is read from it", hint))
        elif not any(p.startswith(name + "/") for p in lessons):
            inside = [p for p in markdown if p.startswith(name + "/")]
            why = (f"each of its {len(inside)} Markdown file(s) matches `exclude`" if inside
                   else "it has no Markdown file")
            problems.append(_warning(config_file, f"option 'lesson_dirs': folder {name!r} "
                                     f"selects no lesson: {why}", "check lesson_dirs and "
                                     "exclude in mkdocs.yml"))
    if not lessons:
        matched = {p: _patterns(p, settings) for p in markdown}
        excluded = {p: found for p, found in matched.items()
                    if found and not set(found) <= set(DEFAULT_EXCLUDE)}
        if excluded:
            patterns = sorted({x for found in excluded.values() for x in found},
                              key=settings.exclude.index)
            problems.append(_warning(config_file, "option 'exclude' leaves no lessons: all "
                                     f"{len(excluded)} Markdown file(s) under lesson_dirs "
                                     f"match {', '.join(map(repr, patterns))}",
                                     "exclude names ordinary pages, not lessons; narrow the "
                                     "pattern"))
    return problems


def _patterns(path: str, settings: Settings) -> list[str]:
    """The ``exclude`` patterns that keep a file under lesson_dirs from being a lesson."""
    if not is_lesson_path(path, replace(settings, exclude=())):
        return []
    return [p for p in settings.exclude if not is_lesson_path(path, replace(settings,
                                                                           exclude=(p,)))]


def _folders(root: Path) -> list[str]:
    try:
        return sorted(p.name for p in root.iterdir() if p.is_dir())
    except OSError:
        return []


def _warning(config_file: str, message: str, suggestion: str | None) -> Problem:
    return Problem(config_file, None, Severity.WARNING, message, suggestion,
                   code=SELECTS_NOTHING)
