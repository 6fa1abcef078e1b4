"""How the CLI writes files: atomically, with the mode the umask gives, and never replacing a
file unless asked.

Readers (an editor, `mkdocs serve`, git) must never see half a file, so content goes to a
temporary file in the target's folder first. ``tempfile`` creates that file with mode 0600;
left as is, every lesson written by `new` or `import` would be unreadable by the group and
others whatever the user's umask, so the mode is set as ``open()`` would have set it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


def default_mode() -> int:
    """The mode a new file gets from ``open()``: 0666 less the umask."""
    return 0o666 & ~_umask()


def _umask() -> int:
    try:  # Linux: read it without changing it (changing it races with other threads)
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_file(target: Path, content: bytes, *, replace: bool = False) -> None:
    """Write ``content`` to ``target`` atomically with the umask's mode.

    With ``replace=False`` the write is exclusive: a file that exists when the content lands,
    however recently it appeared, is left alone and ``FileExistsError`` is raised. The temp
    file is hard-linked into place (a link never replaces a name); where hard links are not
    supported (some network and FAT file systems) an exclusive create writes it instead.
    With ``replace=True`` the temp file replaces the target in one rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name[:40]}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            if hasattr(os, "fchmod"):
                os.fchmod(handle.fileno(), default_mode())
        if replace:
            os.replace(tmp, target)
            return
        try:
            os.link(tmp, target)
        except FileExistsError:
            raise
        except OSError:  # no hard links here
            with open(target, "xb") as handle:
                handle.write(content)
    finally:
        Path(tmp).unlink(missing_ok=True)


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on a folder while choosing a name in it and writing the file,
    so two `lessonbook new` runs at once cannot both take the next id. A lock on the folder
    itself leaves no lock file behind; where folders cannot be locked (Windows), no lock."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
