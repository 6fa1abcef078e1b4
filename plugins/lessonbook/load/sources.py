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

import pathspec

from ..model.kinds import kind_keys
from ..model.problems import did_you_mean
from ..model.site_urls import generated_page_taken
from ..model.vocabulary import Settings
from .parsing import MAX_FRONT_MATTER_BYTES, parse_source

PAGE_EXTENSIONS: tuple[str, ...] = (".markdown", ".mdown", ".mkdn", ".mkd", ".md")
"""The endings of the files MkDocs renders as pages (``mkdocs.utils.markdown_extensions``),
matched as MkDocs matches them: case-sensitively, at the end of the name (``x.MD`` is copied
as a static file). The adapter passes MkDocs' own tuple; this copy is for the CLI, which has
no MkDocs import, and a test proves the two equal."""


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


def is_lesson_path(path: str, settings: Settings,
                   extensions: tuple[str, ...] = PAGE_EXTENSIONS) -> bool:
    """Whether a docs-relative path is a lesson: a page (``extensions``, what the site
    generator renders) under the configured folders and not excluded."""
    if not path.endswith(extensions):
        return False
    if settings.exclude and excluder(tuple(settings.exclude))(path):
        return False
    for folder in settings.lesson_dirs:
        folder = folder.strip("/")
        if folder in ("", ".") or path.startswith(folder + "/"):
            return True
    return False


@functools.lru_cache(maxsize=16)
def excluder(patterns: tuple[str, ...]) -> Callable[[str], bool]:
    """Whether a path matches one of the patterns, as ``fnmatch.fnmatch`` with each would
    say: one compiled pattern for all of them (``fnmatch`` per pattern and path was a sixth of
    finding 10,000 lessons)."""
    if os.path.normcase("A") != "A":  # a case-insensitive platform: as fnmatch does it
        return lambda path: any(fnmatch.fnmatch(path, pattern) for pattern in patterns)
    match = re.compile("|".join(fnmatch.translate(p) for p in patterns)).match
    return lambda path: match(path) is not None


def find_lesson_files(docs_dir: str | os.PathLike[str], settings: Settings) -> list[str]:
    """Docs-relative POSIX paths of lesson files, sorted (what MkDocs leaves out by default
    is skipped: see :func:`_walk`)."""
    return [path for path in _walk(docs_dir, settings)[0] if is_lesson_path(path, settings)]


def published_files(docs_dir: str | os.PathLike[str], settings: Settings) -> list[str]:
    """Docs-relative POSIX paths of every file MkDocs publishes by default (see
    :func:`_walk`), sorted: what a copy of the docs folder must hold."""
    return _walk(docs_dir, settings)[0]


def _walk(docs_dir: str | os.PathLike[str], settings: Settings) -> tuple[list[str], list[str]]:
    """Every file under docs_dir that MkDocs publishes by default, following symbolic links
    as MkDocs does, and the folder links that lead back to a folder they are in (not
    followed). MkDocs' default ``exclude_docs`` leaves out every file or folder whose name
    starts with '.' and the top-level ``templates/`` folder; anything else (``_drafts/``
    included) it publishes, so it is read here too."""
    root = Path(docs_dir)
    files: list[str] = []
    loops: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        here = Path(dirpath)
        ancestors = _real_ancestors(root, here)
        keep = []
        top = here == root
        for name in sorted(d for d in dirnames
                           if not d.startswith(".") and not (top and d == "templates")):
            if os.path.realpath(here / name) in ancestors:
                loops.append((here / name).relative_to(root).as_posix())
            else:
                keep.append(name)
        dirnames[:] = keep
        folder = here.relative_to(root).as_posix()
        files.extend(name if folder == "." else f"{folder}/{name}" for name in filenames
                     if not name.startswith("."))
    if settings.docs_exclude:
        excluded = _docs_exclude(settings.docs_exclude)
        files = [f for f in files if not excluded.match_file(f)]
    return sorted(files), loops


@functools.lru_cache(maxsize=8)
def _docs_exclude(lines: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    """MkDocs' own matcher for ``exclude_docs`` (pathspec's gitignore rules, as MkDocs uses
    them), so the CLI leaves out exactly the files the build does."""
    return pathspec.GitIgnoreSpec.from_lines(lines)


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
    if not inside(real, real_root):
        return Source(path, None, f"symbolic link to {real!r}, outside docs_dir: not read",
                      "symlink-outside", "move the lesson into docs_dir instead of linking it")
    return None


def inside(real: str, real_root: str) -> bool:
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
    point outside docs_dir come back as sources with the same problems as in the build, and
    so do the files the build refuses (:func:`refusal`). ``later``: the lessons' bytes are
    not read here but by whoever parses them (:attr:`Source.pending`)."""
    root = Path(docs_dir)
    top = os.fspath(root)
    files, loops = _walk(root, settings)
    marked = [(path, is_lesson_path(path, settings)) for path in files]
    bad, skip = _check_links(root, marked)
    sources = [*bad, *(_loop_source(root, link) for link in loops)]
    lessons = []
    for path, lesson in marked:
        if path in skip:
            continue
        refused = refusal(top, path, lesson, settings)
        if refused is not None:
            sources.append(refused)
        elif lesson:
            lessons.append(path)
    if later:
        sources.extend(Source(path, None, file=os.path.join(top, path)) for path in lessons)
    else:
        sources.extend(read_source(path, os.path.join(top, path)) for path in lessons)
    return sources


# --- what the site generator would publish, that is not a lesson --------------------------
def refusal(docs_dir: str | os.PathLike[str], path: str, lesson: bool, settings: Settings,
            extensions: tuple[str, ...] = PAGE_EXTENSIONS) -> Source | None:
    """The error that keeps a file the site generator would publish out of the site, or None.

    A lesson (``lesson``: :func:`is_lesson_path`) is refused when it would take the URL of a
    generated page (model/site_urls.py). Any other file — a page outside the lesson folders
    or excluded, or a file the generator copies as it is (``x.MD``, ``x.mdwn``, ``x.txt``:
    whatever does not end in one of ``extensions``) — is refused when its bytes open with
    front-matter carrying lesson fields (:func:`lesson_fields`): published, it would show a
    lesson's text, whatever its visibility, outside everything that decides who may read it.
    """
    if lesson:
        taken = generated_page_taken(path)
        if taken is None:
            return None
        url, owner = taken
        return Source(path, None, f"this lesson would be published at {url!r}, the URL of "
                      f"{owner}: it is left out, and the generated page keeps its URL",
                      "generated-url", "rename the file or move it into a folder (lessons/, "
                      "for example): Lessonbook's generated pages own their URLs")
    fields = lesson_fields(_head(os.path.join(os.fspath(docs_dir), path)))
    if fields is None:
        return None
    reason, suggestion = _not_a_lesson(path, settings, extensions)
    return Source(path, None, f"its front-matter has lesson fields ({fields}) but {reason}; "
                  "it is left out of the site", "not-a-lesson", suggestion)


def _not_a_lesson(path: str, settings: Settings, extensions: tuple[str, ...]
                  ) -> tuple[str, str]:
    """Why a file with lesson fields is not a lesson, and what to do about it."""
    name = path.rpartition("/")[2]
    if not path.endswith(extensions):
        stem, dot, ext = name.rpartition(".")
        lowered = f"{stem}.{ext.lower()}" if dot and stem else name
        fix = (f"rename it to {lowered!r}" if lowered.endswith(extensions)
               else "save it as a '.md' file if it is a lesson, or remove its front-matter")
        what = f"'.{ext}' files" if dot and stem else "files without an extension"
        return (f"MkDocs does not render {what} as pages: it would copy this one, front-matter "
                "and all, into the site", fix)
    pattern = next((p for p in settings.exclude if excluder((p,))(path)), None)
    if pattern is not None:
        return (f"it matches the exclude pattern {pattern!r}, so MkDocs would publish it as a "
                "plain page", "take it out of `exclude` to make it a lesson, or remove the "
                "lesson fields if it is an ordinary page")
    folders = ", ".join(settings.lesson_dirs) or "none"
    return (f"it is outside the lesson folders ({folders}), so MkDocs would publish it as a "
            "plain page", "move it into a lesson folder, or remove the lesson fields if it is "
            "an ordinary page")


_HEAD_BYTES = MAX_FRONT_MATTER_BYTES + 4096
"""How much of a file is read to see its front-matter: the parser accepts no more."""
_OPENING = (b"---", b"\xef\xbb\xbf---")
_KEY_LINE = re.compile(r"""^(["']?)(visibility|type)\1[ \t]*:[ \t]*(.*?)[ \t]*$""",
                       re.MULTILINE)
_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


def _head(file: str) -> bytes:
    """The start of a file when it opens with a front-matter fence (enough to hold the
    longest front-matter the parser accepts), else b'' (one small read for most files)."""
    try:
        with open(file, "rb") as stream:
            start = stream.read(6)
            if not start.startswith(_OPENING):
                return b""
            return start + stream.read(_HEAD_BYTES - len(start))
    except OSError:  # unreadable: the generator cannot publish it either
        return b""


def lesson_fields(raw: bytes) -> str | None:
    """The lesson field a file's leading front-matter carries (``visibility: restricted``,
    ``type: postmortem``), or None. Read by the one parse path; when that cannot read it (not
    YAML, not closed, not UTF-8), by its ``visibility:`` and ``type:`` lines, so a broken
    block still counts. ``type`` counts when it names a kind of lesson or nearly does."""
    if not raw.startswith(_OPENING):
        return None
    meta = parse_source(raw[:_HEAD_BYTES], "").meta
    if meta is None:
        text = raw[:_HEAD_BYTES].decode("utf-8", "replace").replace("\r\n", "\n")
        block = text.split("\n", 1)[1] if "\n" in text else ""
        end = _CLOSING.search(block)
        block = block[: end.start()] if end else block
        meta = {m.group(2): m.group(3).strip("'\"") for m in _KEY_LINE.finditer(block)}
    if "visibility" in meta:
        return f"visibility: {_shown(meta['visibility'])}"
    kind = meta.get("type")
    if isinstance(kind, str) and kind.strip() and (
            kind.strip().lower() in kind_keys() or did_you_mean(kind.strip(), kind_keys())):
        return f"type: {_shown(kind)}"
    return None


def _shown(value: object) -> str:
    text = str(value)
    return repr(text[:40] + "…" if len(text) > 40 else text)
