"""What `mkdocs serve` keeps between its builds that only MkDocs knows of: compiled templates,
and the digest of the generator's environment (configuration, theme folders, versions) that a
replayed page's key covers.

MkDocs keeps a plugin instance across the rebuilds of a serve session when it defines
``on_startup``. The core's part of what a session keeps (reads, pages, the search index) is
``lessonbook.pipeline.Session``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from importlib import metadata
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from .. import __version__ as lessonbook_version


class CompiledTemplates(jinja2.BytecodeCache):
    """Every template's compiled code, kept across `mkdocs serve` rebuilds (in memory, by
    name and source checksum: an edited template is compiled again). MkDocs creates a new
    Jinja environment for each build, which compiled Material's and our templates every time."""

    def __init__(self) -> None:
        self._code: dict[str, tuple[str | None, Any]] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        known = self._code.get(bucket.key)
        if known is not None and known[0] == bucket.checksum:
            bucket.code = known[1]

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = (bucket.checksum, bucket.code)


def environment(config: MkDocsConfig, files: Files, lessons: list[File]) -> str:
    """A digest of what a lesson page depends on outside the lessons, taken once per build:
    the configuration file; every file of every theme folder (the user's custom_dir,
    Lessonbook's own templates and assets, any other plugin's), by size and time; every other
    file of the docs folder; and the versions of Lessonbook, MkDocs and Material, which stand
    for the templates installed with them (Material's hold some 14,000 icons: walking them
    would cost a fifth of a second per rebuild). So an edited package template, or an upgrade
    during `mkdocs serve`, renders the pages again."""
    digest = hashlib.blake2b(digest_size=16)
    if config.config_file_path and os.path.isfile(config.config_file_path):
        digest.update(Path(config.config_file_path).read_bytes())
    digest.update(repr(versions()).encode("utf-8"))
    lesson_uris = {f.src_uri for f in lessons}
    stats = [(f.src_uri, f.abs_src_path) for f in files
             if f.generated_by is None and f.abs_src_path and f.src_uri not in lesson_uris]
    versioned = _versioned_folders()
    for folder in dict.fromkeys(config.theme.dirs):
        if os.path.isdir(folder) and not _inside(folder, versioned):
            stats += [(os.path.join(root, name), os.path.join(root, name))
                      for root, _dirs, names in os.walk(folder) for name in names]
    for name, path in sorted(stats):
        try:
            info = os.stat(path)
        except OSError:
            continue
        digest.update(f"{name}\0{info.st_size}\0{info.st_mtime_ns}\n".encode("utf-8",
                                                                         "surrogatepass"))
    return digest.hexdigest()


VERSIONED = {"lessonbook": "lessonbook", "mkdocs": "mkdocs", "material": "mkdocs-material"}
"""Package → distribution, for the packages whose version is in the replay key."""


def versions() -> dict[str, str | None]:
    """The installed version of each package in :data:`VERSIONED`, read from its metadata now
    (an upgrade during the session is seen), and the version of the Lessonbook code running."""
    found: dict[str, str | None] = {"lessonbook (running)": lessonbook_version}
    for distribution in VERSIONED.values():
        try:
            found[distribution] = metadata.version(distribution)
        except metadata.PackageNotFoundError:
            found[distribution] = None
    return found


def _versioned_folders() -> list[str]:
    """The folders of MkDocs and Material, whose templates their versions stand for.
    Lessonbook's own folder is not one: its templates are edited in place in a checkout."""
    folders = []
    for package in ("mkdocs", "material"):
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.origin is not None:
            folders.append(os.path.realpath(os.path.dirname(spec.origin)))
    return folders


def _inside(folder: str, parents: list[str]) -> bool:
    real = os.path.realpath(folder)
    return any(real == parent or real.startswith(parent + os.sep) for parent in parents)
