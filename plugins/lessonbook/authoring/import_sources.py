"""What `lessonbook import` reads: regular files inside the sources it is given, and nothing else.

An import source is often a folder nobody vetted (a clone of another team's repository). So:
- no symbolic link is followed, a named source included (a shell glob names every file of a
  folder, links too): ``SRC/passwd.md -> /etc/passwd`` is reported, never read. Links that stay
  inside the source are not followed either: their target is imported under its own name, and
  a link to a folder could import a file twice or loop;
- folders are walked through their file descriptors (``openat``), so a folder swapped for a
  link during the walk cannot lead outside; files are opened with ``O_NOFOLLOW`` and
  ``O_NONBLOCK`` and must still be regular files once open;
- FIFOs, sockets and devices are never opened (opening a FIFO waits for a writer forever);
- a file over the size limit is skipped before it is read, and never more than the limit is
  read (a file that grows meanwhile is skipped too);
- every file not imported is reported with the reason, in walk order.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

MARKDOWN_SUFFIXES = (".md", ".markdown", ".qmd")
"""Quarto documents (.qmd) are Markdown with YAML front-matter: read as Markdown."""
DEFAULT_MAX_SIZE = 5 * 1024 * 1024
"""Bytes; real postmortems are tens of KB, the largest we have seen is under 200 KB."""
_HEAD = 4096
_ATX = re.compile(r"^ {0,3}#{1,6}[ \t]+")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))
_OPEN_FILE = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | \
    getattr(os, "O_BINARY", 0)
_OPEN_DIR = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_DIRECTORY", 0)
_NOT_TEXT = "its name is not valid UTF-8 (a lesson's name becomes its URL); rename it"
_BY_FD = os.scandir in os.supports_fd and os.open in os.supports_dir_fd


@dataclass(frozen=True)
class SourceFile:
    """A file to import, read."""

    path: Path
    """Where it was found (the source as named, then the path inside it)."""
    rel: Path
    """Its path relative to the output folder."""
    name: str
    """What ``imported_from.source`` records: the folder's name and the path inside it, or the
    file's name; never a path on the importing machine."""
    data: bytes
    modified: float


@dataclass(frozen=True)
class Skipped:
    """A file (or folder) not imported, and why."""

    path: Path
    reason: str
    failed: bool = False
    """True when the user asked for something that cannot be done (a source that does not
    exist); a file the rules leave out is only skipped."""


def shown(text: str | os.PathLike[str]) -> str:
    """How a user-controlled name (a path, a reason quoting one) is printed. Plain for now, in
    this one place, so the log neutraliser (issue 21) applies to every line the import prints."""
    return printable(text)


def printable(text: str | os.PathLike[str]) -> str:
    """Text any UTF-8 output can carry: a name's undecodable bytes (which Python keeps as lone
    surrogates) are written as ``\\xff``, so printing or dumping it never fails."""
    text = os.fspath(text)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape" if _escaped_bytes(text) else
                           "backslashreplace").decode("utf-8", "backslashreplace")


def _escaped_bytes(text: str) -> bool:
    return all(not 0xD800 <= ord(c) <= 0xDFFF or 0xDC80 <= ord(c) <= 0xDCFF for c in text)


def size_text(size: int) -> str:
    """'107.0 MB', '512 KB', '900 bytes' (binary units, as the limit is given)."""
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            value = size / scale
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{size} bytes"


def parse_size(text: str) -> int:
    """'5MB', '512k', '2 GiB', '100000' → bytes (K/M/G are binary); ValueError otherwise."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(?:([kmg])i?b?|b|bytes?)?\s*", text, re.I)
    if not match:
        raise ValueError(f"{text!r} is not a size (e.g. 5MB, 512KB, 100000)")
    scale = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}.get((match.group(2) or "").lower(), 1)
    size = int(float(match.group(1)) * scale)
    if size <= 0:
        raise ValueError(f"{text!r}: the limit must be above 0 bytes")
    return size


def read_sources(sources: Iterable[str | os.PathLike[str]], max_size: int = DEFAULT_MAX_SIZE
                 ) -> list[SourceFile | Skipped]:
    """Every source's files in order (a folder's sorted by path): the Markdown ones read, the
    others as :class:`Skipped` with the reason. Named files are taken whatever their name;
    files in folders when they are Markdown (by extension, or extension-less starting with a
    heading); hidden files and folders are not."""
    out: list[SourceFile | Skipped] = []
    for source in sources:
        root = Path(source)
        try:
            info = os.lstat(root)
        except OSError:
            out.append(Skipped(root, "no such file or folder", failed=True))
            continue
        if not _is_text(Path(os.path.realpath(root)).name):
            out.append(Skipped(root, _NOT_TEXT))
            continue
        if stat.S_ISDIR(info.st_mode):
            name = Path(os.path.realpath(root)).name
            out.extend(_walk(root, name, max_size))
        else:
            out.append(_take(root, info, None, Path(root.name), root.name, max_size, True))
    return out


def read_regular(path: Path, max_size: int = DEFAULT_MAX_SIZE) -> bytes | None:
    """A regular file's bytes (not through a link, never a FIFO or device, at most
    ``max_size``), or None. For files the import looks at in the output folder."""
    try:
        fd = os.open(path, _OPEN_FILE)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > max_size:
            return None
        data = _read(fd, max_size + 1)
        return data if len(data) <= max_size else None
    except OSError:
        return None
    finally:
        os.close(fd)


def _walk(root: Path, name: str, max_size: int) -> Iterator[SourceFile | Skipped]:
    try:
        fd = os.open(root, _OPEN_DIR)
    except OSError as exc:
        yield Skipped(root, f"cannot open the folder: {exc.strerror}", failed=True)
        return
    try:
        yield from _folder(fd, root, Path(), name, max_size)
    finally:
        os.close(fd)


def _folder(fd: int, root: Path, rel: Path, name: str, max_size: int
            ) -> Iterator[SourceFile | Skipped]:
    where = root / rel
    try:
        with os.scandir(fd if _BY_FD else where) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        yield Skipped(where, f"cannot list the folder: {exc.strerror}")
        return
    for entry in entries:
        path, inner = where / entry.name, rel / entry.name
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError as exc:
            yield Skipped(path, f"cannot read: {exc.strerror}")
            continue
        if not _is_text(entry.name):
            yield Skipped(path, _NOT_TEXT)
        elif entry.name.startswith("."):
            kind = "folder, not searched" if stat.S_ISDIR(info.st_mode) else "file"
            yield Skipped(path, f"hidden {kind}")
        elif stat.S_ISDIR(info.st_mode):
            try:
                sub = os.open(entry.name, _OPEN_DIR, dir_fd=fd) if _BY_FD else \
                    os.open(path, _OPEN_DIR)
            except OSError as exc:
                yield Skipped(path, f"cannot open the folder: {exc.strerror}")
                continue
            try:
                yield from _folder(sub, root, inner, name, max_size)
            finally:
                os.close(sub)
        else:
            yield _take(path, info, fd if _BY_FD else None, inner,
                        (Path(name) / inner).as_posix(), max_size, False,
                        beside_others=any(_holds_posts(e) for e in entries if e is not entry))


_ASSET_FOLDERS = frozenset({"img", "imgs", "image", "images", "assets", "static", "_static",
                            "media", "attachments", "files", "figures"})


def _holds_posts(entry: os.DirEntry[str]) -> bool:
    """A Markdown file, or a folder other than one of images: what a landing page beside it
    may be the index of (a postmortem kept as `<incident>/README.md` has only its images)."""
    if entry.name.startswith("."):
        return False
    try:
        if entry.is_dir(follow_symlinks=False):
            return entry.name.lower() not in _ASSET_FOLDERS
        return _markdown_name(Path(entry.name))
    except OSError:
        return False


def _take(path: Path, info: os.stat_result, dir_fd: int | None, rel: Path, name: str,
          max_size: int, named: bool, beside_others: bool = False) -> SourceFile | Skipped:
    """One file: checked by its lstat before it is opened, then again once open."""
    refused = _refusal(path, info, max_size)
    if refused:
        return Skipped(path, refused)
    if not named and not _markdown_name(path) and has_extension(path):
        return Skipped(path, f"not Markdown (a {path.suffix} file)")
    try:
        fd = os.open(path.name if dir_fd is not None else path, _OPEN_FILE, dir_fd=dir_fd)
    except OSError as exc:
        return Skipped(path, f"cannot open: {exc.strerror}")
    try:
        opened = os.fstat(fd)
        refused = _refusal(path, opened, max_size)  # replaced since the listing
        if refused:
            return Skipped(path, refused)
        head = _read(fd, _HEAD)
        if not named and not _markdown_name(path) and not _starts_with_heading(head):
            return Skipped(path, "not Markdown (no extension, and no heading at the top)")
        data = head + _read(fd, max_size + 1 - len(head))
    except OSError as exc:
        return Skipped(path, f"cannot read: {exc.strerror}")
    finally:
        os.close(fd)
    if len(data) > max_size:
        return Skipped(path, f"grew past the size limit ({size_text(max_size)}) while read; "
                       "--max-size raises the limit")
    if not named and (reason := _not_a_postmortem(path, data, beside_others)):
        return Skipped(path, reason)
    return SourceFile(path, rel, name, data, opened.st_mtime)


_INDEX_NAMES = frozenset({"index", "_index", "readme"})
_LOCAL_MARKDOWN_LINK = re.compile(rb"\]\((?:\./)?([^)\s/:#]+\.(?:md|markdown))(?:#[^)\s]*)?\)",
                                  re.I)
_LISTED_FILE = re.compile(rb"(?<![\w/.-])([\w.-]+\.(?:md|markdown|qmd))(?![\w-])", re.I)
"""A file name written out, as a listing's `contents:` or a table of posts names them."""
_YEAR = re.compile(rb"(?<!\d)(?:19|20)\d{2}(?!\d)")
_TOCTREE = re.compile(rb"^(?:```+\s*\{toctree\}|\.\. toctree::)", re.M)
_PLACEHOLDER_HEADING = re.compile(rb"^#{1,6}[ \t].*\{\{[^}\n0-9]*\}\}", re.M)
"""A heading with a blank to fill in ('{{ incident date }}', '{{ hh:mm }}'); braces left around
what was filled in ('### {{ 2022-01-20 02:00 }}', '### {{ 06:10 }}') hold digits: a report."""


def _not_a_postmortem(path: Path, data: bytes, beside_others: bool = False) -> str | None:
    """Why a file found in a folder is the folder's index or a template rather than a
    postmortem: an index/README page that lists the others (two links to Markdown files
    beside it, two file names in a Quarto listing's `contents:`, or a Sphinx toctree), or a
    landing page that names no year while posts lie beside it (an MkDocs blog's `index.md`,
    whose list of posts the generator writes), or a file whose headings are template
    placeholders ('# {{ incident date }}, {{ incident name }}'; braces kept around filled-in
    times are not blanks). Imported, either would be a lesson without a date (and ``index``
    takes the URL of the generated lessons page). Naming the file on the command line imports
    it all the same."""
    if path.stem.lower() in _INDEX_NAMES and (
            len({m.lower() for m in _LOCAL_MARKDOWN_LINK.findall(data)}) >= 2
            or len({m.lower() for m in _LISTED_FILE.findall(data)}) >= 2
            or _TOCTREE.search(data)):
        return ("the folder's index page (it lists the other files), not a postmortem; "
                "name the file to import it")
    if path.stem.lower() in _INDEX_NAMES and beside_others and \
            not _YEAR.search(_LISTED_FILE.sub(b"", data)):
        return ("the folder's landing page (it names no date, and posts lie beside it), not "
                "a postmortem; name the file to import it")
    if len(_PLACEHOLDER_HEADING.findall(data)) >= 2:
        return "a template (its headings are placeholders like {{ ... }}), not a postmortem; " \
               "name the file to import it"
    return None


def _refusal(path: Path, info: os.stat_result, max_size: int) -> str | None:
    if stat.S_ISLNK(info.st_mode):
        return _link_reason(path)
    kind = next((label for test, label in _KINDS if test(info.st_mode)), None)
    if kind is not None or not stat.S_ISREG(info.st_mode):
        return f"{kind or 'an unknown kind of file'}, not a regular file; never opened"
    if info.st_size > max_size:
        return (f"{size_text(info.st_size)}, over the size limit of {size_text(max_size)}; "
                "--max-size raises the limit")
    return None


def _is_text(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _link_reason(path: Path) -> str:
    try:
        target = os.readlink(path)
    except OSError:
        return "symbolic link; not followed"
    return f"symbolic link to {target}; not followed (name its target to import it)"


def _read(fd: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    left = limit
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _markdown_name(path: Path) -> bool:
    return path.suffix.lower() in MARKDOWN_SUFFIXES


def has_extension(path: Path) -> bool:
    return bool(re.fullmatch(r"\.[A-Za-z0-9]{1,8}", path.suffix))


def _starts_with_heading(head: bytes) -> bool:
    lines = head.decode("utf-8", "replace").splitlines()
    return any(_ATX.match(line) for line in lines[:5]) or (
        len(lines) > 1 and bool(_SETEXT.match(lines[1])) and lines[0].strip() != "")
