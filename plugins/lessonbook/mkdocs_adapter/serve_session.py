"""What `mkdocs serve` keeps between its builds that only MkDocs knows of: compiled templates,
and the digest of the generator's environment a replayed page's key covers.

MkDocs keeps a plugin instance across the rebuilds of a serve session when it defines
``on_startup``. The core's part of what a session keeps (reads, pages, the search index) is
``lessonbook.pipeline.Session``.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files


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
    """A digest of what a lesson page depends on outside the lessons: the configuration file,
    the theme's custom_dir and every other file of the docs folder (their size and time)."""
    digest = hashlib.blake2b(digest_size=16)
    if config.config_file_path and os.path.isfile(config.config_file_path):
        digest.update(Path(config.config_file_path).read_bytes())
    lesson_uris = {f.src_uri for f in lessons}
    stats = [(f.src_uri, f.abs_src_path) for f in files
             if f.generated_by is None and f.abs_src_path and f.src_uri not in lesson_uris]
    custom_dir = config.theme.custom_dir
    if custom_dir and os.path.isdir(custom_dir):
        stats += [(os.path.join(root, name), os.path.join(root, name))
                  for root, _dirs, names in os.walk(custom_dir) for name in names]
    for name, path in sorted(stats):
        try:
            info = os.stat(path)
        except OSError:
            continue
        digest.update(f"{name}\0{info.st_size}\0{info.st_mtime_ns}\n".encode("utf-8",
                                                                         "surrogatepass"))
    return digest.hexdigest()
