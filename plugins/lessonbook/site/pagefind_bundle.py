"""A Pagefind bundle on disk: written from the files the service hands back, and checked whole.

Every part of the search index passes through here twice: ``write_bundle`` puts the service's
files in a folder (the entry file last, so a folder with an entry was finished), and
``incomplete`` reads everything back before the part is used — the entry, each language's
metadata, every gzip file to its checksum, and (when the metadata has the shape this version
knows) each fragment, word chunk and filter the metadata names. A part that fails is never
served: the build falls back to the Pagefind CLI and says why.
"""

from __future__ import annotations

import base64
import gzip
import json
import zlib
from pathlib import Path, PurePosixPath
from typing import Any

from .pagefind_files import SIGNATURE, read

ENTRY = "pagefind-entry.json"
RUNTIME = ("pagefind.js", "pagefind-worker.js")
"""Files the browser loads before any index file: a bundle without them searches nothing."""

COMPRESSED = (".pf_meta", ".pf_index", ".pf_filter", ".pf_fragment")


def write_bundle(files: Any, output: Path) -> None:
    """Write ``files`` (the service's ``GetFiles`` answer: ``[{"path", "content"}]``, content
    in base64) under ``output``. Raises ValueError for a path that would leave ``output``."""
    if not isinstance(files, list) or not files:
        raise ValueError("the pagefind service returned no files")
    entry: bytes | None = None
    output.mkdir(parents=True, exist_ok=True)
    made: set[Path] = {output}
    for file in files:
        relative = PurePosixPath(str(file["path"]))
        if relative.is_absolute() or not relative.parts or ".." in relative.parts:
            raise ValueError(f"the pagefind service named a file outside the bundle: {relative}")
        content = base64.b64decode(file["content"], validate=True)
        if relative.as_posix() == ENTRY:
            entry = content
            continue
        target = output.joinpath(*relative.parts)
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(content)
    if entry is None:
        raise ValueError(f"the pagefind service returned no {ENTRY}")
    (output / ENTRY).write_bytes(entry)


def incomplete(folder: Path) -> str | None:
    """None when the bundle at ``folder`` is whole, else what is missing or cut short."""
    try:
        entry = json.loads((folder / ENTRY).read_text(encoding="utf-8"))
        languages = entry["languages"]
        if not isinstance(languages, dict) or not languages:
            return f"{ENTRY} names no language"
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return f"{ENTRY} is missing or unreadable ({exc})"
    for name in RUNTIME:
        path = folder / name
        if not path.is_file() or path.stat().st_size == 0:
            return f"{name} is missing or empty"
    for path in sorted(folder.rglob("*")):
        if path.suffix in COMPRESSED and (why := _cut_short(path)):
            return f"{path.relative_to(folder)} {why}"
    for info in languages.values():
        try:
            meta = read(folder / f"pagefind.{info['hash']}.pf_meta")
        except (OSError, ValueError, KeyError, TypeError, AttributeError, EOFError,
                zlib.error) as exc:
            return f"the metadata of language {info!r} is unreadable ({exc})"
        if (why := _missing_named(folder, meta)) is not None:
            return why
    return None


def _cut_short(path: Path) -> str | None:
    """Why a compressed index file is not whole (gzip checks its length and checksum)."""
    try:
        data = path.read_bytes()
        if not data.startswith(SIGNATURE):
            data = gzip.decompress(data)
    except (OSError, EOFError, gzip.BadGzipFile, zlib.error) as exc:
        return f"is cut short or damaged ({exc})"
    return None if data.startswith(SIGNATURE) else "is not a Pagefind file"


def _missing_named(folder: Path, meta: Any) -> str | None:
    """A fragment, word chunk or filter the metadata names but the folder lacks. Metadata of
    a shape this version does not know is not held against the bundle (its files were
    checked whole above; the format is Pagefind's, not a public interface)."""
    try:
        _version, pages, chunks, filters = meta[:4]
        wanted = ([Path("fragment") / f"{page[0]}.pf_fragment" for page in pages]
                  + [Path("index") / f"{chunk[2]}.pf_index" for chunk in chunks]
                  + [Path("filter") / f"{hashed}.pf_filter" for _name, hashed in filters])
    except (TypeError, ValueError, IndexError):
        return None
    for relative in wanted:
        if not (folder / relative).is_file():
            return f"{relative} is named by the metadata but missing"
    return None
