"""Which files are lessons, and their bytes: the one reading policy for the build and the CLI.

The MkDocs adapter finds files through MkDocs (its ``Files``) and the CLI walks docs_dir, but
both turn each file into a :class:`Source` here and hand the list to the analysis, so a file
that cannot be read is the same clear error in both, never an abort.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..model.vocabulary import Settings


@dataclass(frozen=True)
class Source:
    """A lesson file: its docs-relative POSIX path and bytes, or why it could not be read."""

    path: str
    raw: bytes | None
    error: str | None = None


def is_lesson_path(path: str, settings: Settings) -> bool:
    """Whether a docs-relative Markdown path is a lesson under the configured folders."""
    posix = PurePosixPath(path)
    if posix.suffix.lower() not in (".md", ".markdown"):
        return False
    if any(fnmatch.fnmatch(path, pattern) for pattern in settings.exclude):
        return False
    for folder in settings.lesson_dirs:
        folder = folder.strip("/")
        if folder in ("", ".") or path.startswith(folder + "/"):
            return True
    return False


def find_lesson_files(docs_dir: str | os.PathLike[str], settings: Settings) -> list[str]:
    """Docs-relative POSIX paths of lesson files, sorted; hidden folders are skipped."""
    root = Path(docs_dir)
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
        for name in filenames:
            rel = (Path(dirpath) / name).relative_to(root).as_posix()
            if is_lesson_path(rel, settings):
                found.append(rel)
    return sorted(found)


def read_source(path: str, file: str | os.PathLike[str]) -> Source:
    """The bytes of one file, or the reason it cannot be read (a problem, not an exception)."""
    try:
        return Source(path, Path(file).read_bytes())
    except OSError as exc:
        return Source(path, None, exc.strerror or str(exc))


def read_sources(docs_dir: str | os.PathLike[str], settings: Settings) -> list[Source]:
    """Every lesson file under docs_dir, read."""
    return [read_source(rel, Path(docs_dir) / rel) for rel in find_lesson_files(docs_dir, settings)]
