"""Links from one imported file to another, pointed at the other's new path."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote

_INLINE_TARGET = re.compile(rb"(\]\()(<[^>\n]*>|[^)\s]+)")
_REF_TARGET = re.compile(rb"^([ \t]{0,3}\[[^\]\n]+\]:[ \t]*)(<[^>\n]*>|\S+)", re.M)


def rewrite_links(raw: bytes, source: Path, target: Path, new_paths: dict[Path, Path],
                  by_name: dict[str, list[Path]]) -> tuple[bytes, int]:
    """Links from one imported file to another now point at the other's new path (relative
    to this one's); every other byte of the body is kept. A link to the other file's copy on a
    web page (e.g. its GitHub URL) counts when its file name names exactly one imported file."""
    count = 0

    def new_target(link: bytes) -> bytes | None:
        text = link.decode("utf-8", "replace").strip("<>")
        address, _, fragment = text.partition("#")
        name = unquote(address.rsplit("/", 1)[-1])
        if "://" in address:
            matches = by_name.get(name, [])
            other = matches[0] if len(matches) == 1 else None
        elif address and not address.startswith("/"):
            other = (source.parent / unquote(address)).resolve()
        else:
            return None
        if other is None or other not in new_paths or other == source.resolve():
            return None
        relative = Path(os.path.relpath(new_paths[other], target.parent)).as_posix()
        return (relative + (f"#{fragment}" if fragment else "")).encode()

    def swap(match: re.Match[bytes]) -> bytes:
        nonlocal count
        replacement = new_target(match.group(2))
        if replacement is None:
            return match.group(0)
        count += 1
        return match.group(1) + replacement

    body = _INLINE_TARGET.sub(swap, raw)
    body = _REF_TARGET.sub(swap, body)
    return body, count
