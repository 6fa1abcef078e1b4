"""Which files are lessons, and their bytes: the one reading policy for the build and the CLI.

The MkDocs adapter finds files through MkDocs (its ``Files``) and the CLI walks docs_dir, but
both turn each file into a :class:`Source` here and hand the list to the analysis, so a file
that cannot be read is the same clear error in both, never an abort.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..model.vocabulary import Settings


@dataclass(frozen=True)
class Source:
    """A lesson file: its docs-relative POSIX path and bytes, or why it could not be read."""

    path: str
    raw: bytes | None
    error: str | None = None
    code: str = "unreadable"
    suggestion: str = "check that the file exists and is readable"
    is_error: bool = True
    file: str | None = None
    """Where to read the bytes, when they are read later (``raw`` None, ``error`` None): by
    the process that parses the file, so 10,000 files are read by several processes at once
    instead of by this one before they start."""

    @property
    def pending(self) -> bool:
        """Whether the bytes are still to be read (see :meth:`read`)."""
        return self.raw is None and self.error is None and self.file is not None

    def read(self) -> Source:
        """This source with its bytes read, or with the reason they cannot be."""
        return read_source(self.path, self.file) if self.pending else self  # type: ignore[arg-type]


def is_lesson_path(path: str, settings: Settings) -> bool:
    """Whether a docs-relative Markdown path is a lesson under the configured folders."""
    if _suffix(path).lower() not in (".md", ".markdown"):
        return False
    if settings.exclude and _excluder(tuple(settings.exclude))(path):
        return False
    for folder in settings.lesson_dirs:
        folder = folder.strip("/")
        if folder in ("", ".") or path.startswith(folder + "/"):
            return True
    return False


@functools.lru_cache(maxsize=16)
def _excluder(patterns: tuple[str, ...]) -> Callable[[str], bool]:
    """Whether a path matches one of the patterns, as ``fnmatch.fnmatch`` with each would
    say: one compiled pattern for all of them (``fnmatch`` per pattern and path was a sixth of
    finding 10,000 lessons)."""
    if os.path.normcase("A") != "A":  # a case-insensitive platform: as fnmatch does it
        return lambda path: any(fnmatch.fnmatch(path, pattern) for pattern in patterns)
    match = re.compile("|".join(fnmatch.translate(p) for p in patterns)).match
    return lambda path: match(path) is not None


def _suffix(path: str) -> str:
    """``PurePosixPath(path).suffix``, by string operations when the path is already in the
    form PurePosixPath would give it (the walk's and MkDocs' paths are): a fifth of reading
    10,000 lessons went into building path objects."""
    if (not path or "//" in path or path.endswith(("/", "/.")) or "/./" in path
            or path.startswith("./") or path == "."):
        return PurePosixPath(path).suffix
    name = path.rpartition("/")[2]
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def find_lesson_files(docs_dir: str | os.PathLike[str], settings: Settings) -> list[str]:
    """Docs-relative POSIX paths of lesson files, sorted; hidden folders are skipped."""
    return [path for path in _walk(docs_dir, settings)[0] if is_lesson_path(path, settings)]


def _walk(docs_dir: str | os.PathLike[str], settings: Settings) -> tuple[list[str], list[str]]:
    """Every file under docs_dir, following symbolic links as MkDocs does, and the folder
    links that lead back to a folder they are in (not followed)."""
    root = Path(docs_dir)
    files: list[str] = []
    loops: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        here = Path(dirpath)
        ancestors = _real_ancestors(root, here)
        keep = []
        for name in sorted(d for d in dirnames if not d.startswith((".", "_"))):
            if os.path.realpath(here / name) in ancestors:
                loops.append((here / name).relative_to(root).as_posix())
            else:
                keep.append(name)
        dirnames[:] = keep
        folder = here.relative_to(root).as_posix()
        files.extend(name if folder == "." else f"{folder}/{name}" for name in filenames)
    return sorted(files), loops


def _real_ancestors(root: Path, folder: Path) -> set[str]:
    rel = folder.relative_to(root).parts
    return {os.path.realpath(root.joinpath(*rel[:i])) for i in range(len(rel) + 1)}


def _loop_link(root: Path, path: str) -> str | None:
    """The first folder on ``path`` that is a link back to one of its own ancestors."""
    parts = PurePosixPath(path).parts[:-1]
    seen = {os.path.realpath(root)}
    for i in range(len(parts)):
        real = os.path.realpath(root.joinpath(*parts[: i + 1]))
        if real in seen:
            return "/".join(parts[: i + 1])
        seen.add(real)
    return None


def _loop_source(root: Path, link: str) -> Source:
    target = os.readlink(root / link) if (root / link).is_symlink() else "?"
    return Source(link, None, f"symbolic link to {target!r} leads back to a folder it is in: "
                  "nothing under it is read", "symlink-loop",
                  "remove the link, or point it at a folder outside its own path")


def check_links(docs_dir: str | os.PathLike[str], paths: Iterable[str], settings: Settings
                ) -> tuple[list[Source], set[str]]:
    """For the paths a site generator found under docs_dir (following symbolic links): the
    problems with links as sources that cannot be read, and the paths to leave out — anything
    under a folder link that loops, a link to nothing, a lesson that is a link to outside
    docs_dir (it would publish a file that is not in the knowledge base)."""
    return _check_links(docs_dir, [(path, is_lesson_path(path, settings)) for path in paths])


def _check_links(docs_dir: str | os.PathLike[str], paths: Iterable[tuple[str, bool]]
                 ) -> tuple[list[Source], set[str]]:
    """:func:`check_links` for (path, whether it is a lesson) pairs."""
    root = Path(docs_dir)
    top = os.fspath(root)
    real_root = os.path.realpath(root)
    problems: dict[str, Source] = {}
    skip: set[str] = set()
    folders: dict[str, str | None] = {}
    """Folder → its loop link: thousands of lessons share a few folders."""
    real_folders: dict[str, str] = {}
    """Folder → its real path, for the files in it that are not links themselves."""
    for path, lesson in paths:
        folder = path.rpartition("/")[0]
        if folder not in folders:
            folders[folder] = _loop_link(root, path)
        link = folders[folder]
        if link is not None:
            problems.setdefault(link, _loop_source(root, link))
            skip.add(path)
            continue
        problem = _file_link_problem(top, real_root, path, lesson, real_folders)
        if problem is not None:
            problems[path] = problem
            skip.add(path)
    return sorted(problems.values(), key=lambda s: s.path), skip


def _file_link_problem(top: str, real_root: str, path: str, lesson: bool,
                       real_folders: dict[str, str]) -> Source | None:
    file = os.path.join(top, path)
    link = os.path.islink(file)
    if link and not os.path.exists(file):
        return Source(path, None, f"broken symbolic link to {os.readlink(file)!r}",
                      "symlink-broken", "remove the link or point it at an existing file",
                      is_error=lesson)
    if not lesson:
        return None
    if link:
        real = os.path.realpath(file)
    else:  # a file that is not a link is where its folder really is: one lstat, not one a part
        folder, _, name = path.rpartition("/")
        if folder not in real_folders:
            real_folders[folder] = os.path.realpath(os.path.join(top, folder))
        real = os.path.join(real_folders[folder], name)
    if not _inside(real, real_root):
        return Source(path, None, f"symbolic link to {real!r}, outside docs_dir: not read",
                      "symlink-outside", "move the lesson into docs_dir instead of linking it")
    return None


def _inside(real: str, real_root: str) -> bool:
    """``os.path.commonpath([real, real_root]) == real_root`` for real (normalised, absolute)
    paths, by comparing text where the separator is '/' (a tenth of finding 10,000 lessons
    went into commonpath)."""
    if os.sep != "/" or os.altsep:
        return os.path.commonpath([real, real_root]) == real_root
    return (real == real_root or real.startswith(real_root)
            and (real_root.endswith("/") or real[len(real_root)] == "/"))


def read_source(path: str, file: str | os.PathLike[str]) -> Source:
    """The bytes of one file, or the reason it cannot be read (a problem, not an exception)."""
    try:
        with open(file, "rb") as stream:
            return Source(path, stream.read())
    except OSError as exc:
        return Source(path, None, exc.strerror or str(exc))


def read_sources(docs_dir: str | os.PathLike[str], settings: Settings, *,
                 later: bool = False) -> list[Source]:
    """Every lesson file under docs_dir, read; links that loop, point nowhere or (for lessons)
    point outside docs_dir come back as sources with the same problems as in the build.
    ``later``: the lessons' bytes are not read here but by whoever parses them
    (:attr:`Source.pending`)."""
    root = Path(docs_dir)
    top = os.fspath(root)
    files, loops = _walk(root, settings)
    marked = [(path, is_lesson_path(path, settings)) for path in files]
    bad, skip = _check_links(root, marked)
    sources = [*bad, *(_loop_source(root, link) for link in loops)]
    lessons = (path for path, lesson in marked if lesson and path not in skip)
    if later:
        sources.extend(Source(path, None, file=os.path.join(top, path)) for path in lessons)
    else:
        sources.extend(read_source(path, os.path.join(top, path)) for path in lessons)
    return sources
