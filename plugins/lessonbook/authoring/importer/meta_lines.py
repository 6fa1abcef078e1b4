"""Metadata written as plain ``Key: value`` lines at the top of a file, with no ``---`` fences:
Pelican's Markdown reader, MultiMarkdown and Python-Markdown's ``meta`` extension all read
such a block as the page's fields, never as its text. The importer reads it the same way, so
the lines become the page's title, date, tags and summary rather than its first paragraph."""

from __future__ import annotations

import re
from typing import Any

_KNOWN = frozenset({
    "title", "date", "author", "authors", "category", "categories", "tags", "tag", "keywords",
    "slug", "summary", "description", "status", "permalink", "layout", "modified", "lang",
    "translation", "template", "save_as", "url", "subtitle", "series", "excerpt", "published",
    "updated", "lastmod", "draft", "image", "cover", "thumbnail", "comments", "css", "js",
    "base_header_level", "base_url", "copyright", "type", "id", "redirect_from", "aliases"})
"""Keys that static-site generators and MultiMarkdown read from such a block."""
_GENERATOR = frozenset({"title", "slug", "permalink", "layout", "template", "save_as", "url",
                        "category", "tags", "lang", "modified", "base_header_level"})
"""Keys only a page's metadata has: a block without one of them is the report's own field
lines ('Date: ... / Severity: ... / Authors: ...'), which the text keeps."""
_KEY = re.compile(r"^([A-Za-z][A-Za-z0-9_-]{0,30}(?: [A-Za-z][A-Za-z0-9_-]*){0,2})[ \t]*:"
                  r"(?:[ \t]+(.*?)|)[ \t]*$")
_CONTINUATION = re.compile(r"^(?: {4,}|\t)\S")
_MAX_LINES = 40


def _key(label: str) -> str:
    return label.strip().lower().replace(" ", "_")


def _run_together(key: str, value: str) -> list[tuple[str, str]]:
    """'permalink: slug layout: post': two known keys on one line, split where the second
    starts (only a known key after a single word, so 'title: Outage: a note' stays whole)."""
    match = re.match(r"^(\S+)\s+([A-Za-z_]+):\s*(.*)$", value)
    if match and _key(match.group(2)) in _KNOWN:
        return [(key, match.group(1)), *_run_together(_key(match.group(2)), match.group(3))]
    return [(key, value)]


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def unfenced_metadata(text: str) -> tuple[dict[str, Any], str] | None:
    """(fields, body) when the file opens with a metadata block: every line from the first up
    to the first blank line is a ``key: value`` line (or a Python-Markdown continuation line,
    indented four spaces) whose key is short and known-looking, at least two are known keys
    and one is a key only page metadata has (title, slug, permalink, layout, category, tags
    ...). Anything else — a story sentence with a colon ('Note: the queue stalled'), a
    report's own 'Date: / Severity:' lines, a single label — is None: the text is the body.
    Tags and keywords written 'a, b' become a list; a category becomes ``categories``."""
    lines = text.split("\n")
    pairs: list[tuple[str, str]] = []
    end = 0
    for end, line in enumerate(lines):  # noqa: B007 (the index is where the block ends)
        if not line.strip():
            break
        if end >= _MAX_LINES:
            return None
        if pairs and _CONTINUATION.match(line):
            key, value = pairs[-1]
            pairs[-1] = (key, f"{value} {line.strip()}".strip())
            continue
        match = _KEY.match(line)
        if not match:
            return None
        pairs.extend(_run_together(_key(match.group(1)), match.group(2) or ""))
    else:
        end = len(lines)
    keys = [key for key, _ in pairs]
    known = [key for key in keys if key in _KNOWN]
    if len(known) < 2 or not _GENERATOR.intersection(keys) or len(known) * 2 < len(keys):
        return None
    meta: dict[str, Any] = {}
    for key, raw in pairs:
        value = _unquote(raw)
        if key in ("tags", "tag", "keywords"):
            words = [_unquote(x) for x in re.split(r"[,;]", value) if x.strip()]
            meta.setdefault("tags", []).extend(words)
        elif key in ("category", "categories"):
            meta.setdefault("categories", []).extend(
                _unquote(x) for x in value.split(",") if x.strip())
        elif key == "status" and value.lower() in ("draft", "hidden"):
            meta["draft"] = True
            meta["status"] = value
        else:
            meta.setdefault(key, value)
    body = "\n".join(lines[end:]).lstrip("\n")
    return meta, body
