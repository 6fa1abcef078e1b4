"""The folder `lessonbook generate` writes: claimed before anything is written, never taken
from someone else unasked.

A folder is ours when it is missing, empty, or carries :data:`MARKER` (written last, listing
every file of the previous run; those files are removed first, so a lesson removed since
then does not linger). Any other folder is refused unless ``force``; with it, only what a
run writes (mkdocs.yml, docs/, overrides/) is replaced, and nothing else in it is touched.
The source project itself (the folder of its mkdocs.yml, or its docs folder, or any folder
holding either) is refused even with ``force``.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

MARKER = ".lessonbook-generated"
OWNED = ("mkdocs.yml", "docs", "overrides")
"""What a run writes at the top of the folder."""


class OutputRefused(Exception):
    """The folder cannot be written: the message says why and what to do."""


@dataclass
class Output:
    root: Path
    written: list[str] = field(default_factory=list)
    """Paths relative to root, in the order written."""

    def write_text(self, relative: str, text: str) -> None:
        self.write_bytes(relative, text.encode("utf-8"))

    def write_bytes(self, relative: str, data: bytes) -> None:
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.written.append(relative)

    def copy(self, relative: str, source: Path) -> None:
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        self.written.append(relative)

    def seal(self, summary: dict[str, int]) -> None:
        """The marker, last: a run that failed half-way leaves a folder that is still ours
        (the earlier marker was kept until now) or obviously incomplete."""
        (self.root / MARKER).write_text(json.dumps(
            {"generator": "lessonbook generate", "summary": summary,
             "files": sorted(self.written)}, indent=1), encoding="utf-8")


def claim(root: Path, *, force: bool, protected: list[Path]) -> Output:
    """The folder, made ready to write into; raises OutputRefused."""
    real = root.resolve()
    for path in protected:
        p = path.resolve()
        if real == p or real in p.parents:
            raise OutputRefused(f"{root}: this folder holds the source project ({path}); "
                                "generate into a folder of its own, e.g. `generated/`")
    if root.exists() and not root.is_dir():
        raise OutputRefused(f"{root}: exists and is not a folder")
    marker = root / MARKER
    if marker.is_file():
        _remove_previous(root, marker)
    elif root.is_dir() and any(root.iterdir()):
        if not force:
            raise OutputRefused(f"{root}: the folder is not empty and was not written by "
                                "`lessonbook generate` (it has no "
                                f"{MARKER} file); choose another folder, or pass --force to "
                                f"replace {', '.join(OWNED)} in it")
        for name in OWNED:
            _remove(root / name)
    root.mkdir(parents=True, exist_ok=True)
    return Output(root)


def _remove_previous(root: Path, marker: Path) -> None:
    try:
        listed = json.loads(marker.read_text(encoding="utf-8")).get("files", [])
    except (OSError, ValueError, AttributeError):
        listed = None
    if not isinstance(listed, list):
        raise OutputRefused(f"{marker}: cannot be read; remove the folder's generated files "
                            "by hand, or the marker to start afresh with --force")
    real_root = root.resolve()
    folders = set()
    for name in listed:
        path = (root / str(name))
        if real_root not in path.resolve().parents:
            continue  # a marker is no licence to remove anything outside the folder
        if path.is_file() or path.is_symlink():
            path.unlink()
        folders.update(p for p in path.parents if real_root in p.resolve().parents)
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    marker.unlink()


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        os.unlink(path)
