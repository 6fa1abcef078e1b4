"""Files a postmortem links to (images, attachments: ``img/x.png``, ``../_static/y.svg``),
copied beside the lesson with the links pointed at the copies, so the imported site builds
with ``mkdocs build --strict``.

Only regular files with an asset's extension are carried, read through
``import_sources.read_regular`` (no links, FIFOs or devices, within the size limit), and only
from inside the source's folder or the folder above it (Sphinx and MkDocs keep images in a
sibling like ``../_static``); a link to anything else is left as written and reported."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from ..import_sources import read_regular

ASSET_EXTENSIONS = frozenset({
    ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp", ".ico", ".pdf",
    ".txt", ".log", ".csv", ".json", ".yaml", ".yml", ".mp4", ".webm", ".drawio"})
_TARGETS = (re.compile(rb"(\]\()(<[^>\n]*>|[^)\s]+)"),
            re.compile(rb"^([ \t]{0,3}\[[^\]\n]+\]:[ \t]*)(<[^>\n]*>|\S+)", re.M),
            re.compile(rb"(<(?:img|source|a)\b[^>]*?\b(?:src|href)=[\"'])([^\"'\s>]+)", re.I))


@dataclass
class Assets:
    """What one lesson's links need: copies to make (target → bytes) and what was left."""

    copies: dict[Path, bytes] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


def carry_assets(body: bytes, source: Path, allowed: Path, target: Path, max_size: int,
                 taken: dict[Path, bytes]) -> tuple[bytes, Assets]:
    """The body with links to local assets pointed at their copies beside ``target``, and the
    copies to write. ``taken``: copies other lessons of this import already claimed (one
    folder's lessons share their images; a different file under the same name gets the
    lesson's file name as a prefix)."""
    found = Assets()
    folder = allowed.resolve()

    def new_target(link: bytes) -> bytes | None:
        text = link.decode("utf-8", "replace").strip("<>")
        address, _, fragment = text.partition("#")
        address = address.split("?", 1)[0]
        if not address or "://" in address or address.startswith(("/", "mailto:", "data:")):
            return None
        if Path(unquote(address)).suffix.lower() not in ASSET_EXTENSIONS:
            return None
        path = (source.parent / unquote(address)).resolve()
        data = read_regular(path, max_size) if path.is_relative_to(folder) else None
        if data is None:
            found.missing.append(address)
            return None
        name = path.name
        copy = target.parent / name
        for claimed in (taken, found.copies):
            if claimed.get(copy, data) != data:
                copy = target.parent / f"{target.stem}-{name}"
        found.copies[copy] = data
        return (os.path.relpath(copy, target.parent).replace(os.sep, "/")
                + (f"#{fragment}" if fragment else "")).encode()

    def swap(match: re.Match[bytes]) -> bytes:
        replacement = new_target(match.group(2))
        return match.group(0) if replacement is None else match.group(1) + replacement

    for pattern in _TARGETS:
        body = pattern.sub(swap, body)
    return body, found
