"""Bytes → text (UTF-8, any newlines) → front-matter text and body, split at the '---' fences."""

from __future__ import annotations

import re

from ...model.problems import Problem, Severity

_OPEN = re.compile(r"^---[ \t]*$")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")


def decode(raw: bytes, path: str) -> tuple[str | None, Problem | None]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, Problem(
            path, line, Severity.ERROR,
            f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
            "save the file as UTF-8", code="encoding",
        )
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front-matter text or None, body, line where the body starts)."""
    lines = text.split("\n")
    if not lines or not _OPEN.match(lines[0]):
        return None, text, 1
    for index in range(1, len(lines)):
        if _CLOSE.match(lines[index]):
            return "\n".join(lines[1:index]) + "\n", "\n".join(lines[index + 1 :]), index + 2
    raise _Unclosed()


class _Unclosed(Exception):
    pass
