"""`lessonbook new`: a new lesson from a template, with a fresh id, written without overwriting.

Template placeholders (``{{id}}``, ``{{title}}``, ``{{date}}``, ``{{team}}``, ``{{service}}``,
``{{type}}``) are never pasted into YAML as text: the front-matter fields are set by replacing
each top-level ``key:`` entry with a safely dumped value (or adding it), so a title with quotes,
colons or ``<script>`` stays data. In the body, values are HTML-escaped because Markdown passes
raw HTML through.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..load.parsing import parse_source, split_front_matter
from ..load.slugs import default_id, page_slug
from ..load.sources import find_lesson_files
from ..model.kinds import all_kinds, get_kind, kind_keys
from ..model.problems import did_you_mean
from ..model.vocabulary import Settings
from .safe_write import folder_lock, write_file

_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")

BUILTIN_TEMPLATE = """---
id: {{id}}
title: {{title}}
type: {{type}}
date: {{date}}
status: draft
summary:
teams: []
services: []
---

## Summary

What happened, in two or three sentences.
"""


class ScaffoldError(Exception):
    """Bad input for `lessonbook new`: a one-line message."""


@dataclass
class NewLesson:
    path: Path
    id: str
    template: str
    """Where the template came from: a file path or 'built-in'."""


def resolve_kind(value: str) -> str:
    """A kind's key from its key, id prefix or another spelling (kinds.Kind.aliases)."""
    text = value.strip().lower()
    aliases = {name: kind.key for kind in all_kinds()
               for name in (kind.key, kind.id_prefix, *kind.aliases)}
    if text in aliases:
        return aliases[text]
    hint = did_you_mean(text, [*kind_keys(), *(k.id_prefix for k in all_kinds())])
    if hint:
        for alias, key in aliases.items():
            if alias != key:
                hint = hint.replace(repr(alias), repr(key))
    raise ScaffoldError(f"unknown kind {value!r}; kinds: {', '.join(kind_keys())}"
                        + (f" ({hint})" if hint else ""))


def make_slug(title: str) -> str:
    """The file-name part made from a title: words in any script (a Japanese title keeps its
    characters), bounded like every page slug (a long title is cut at a word and ends with a
    short digest)."""
    slug = page_slug(title)
    if not slug:
        raise ScaffoldError(f"title {title!r} has no letters or digits to make a file name "
                            "from; use a title with words in it")
    return slug


def existing_ids(lesson_dir: Path) -> set[str]:
    """Ids used in lesson_dir, read through the one parse path (ids of invalid files count)."""
    ids: set[str] = set()
    every_md = Settings(lesson_dirs=(".",), exclude=())
    for rel in find_lesson_files(lesson_dir, every_md):
        try:
            raw = (lesson_dir / rel).read_bytes()
        except OSError:
            continue
        doc = parse_source(raw, rel)
        declared = doc.meta.get("id") if doc.meta else None
        ids.add(str(declared).strip() if declared not in (None, "") else default_id(rel))
    return ids


def next_id(kind: str, year: int, used: set[str]) -> str:
    found = get_kind(kind)
    prefix = f"{found.id_prefix if found else kind}-{year}-"
    numbers = [int(m.group(1)) for i in used
               if (m := re.fullmatch(re.escape(prefix) + r"(\d+)", i))]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def render(template: str, values: dict[str, Any]) -> str:
    """The template with front-matter fields set safely and body placeholders filled."""
    try:
        front, body, _ = split_front_matter(template.replace("\r\n", "\n"))
    except Exception:  # unclosed front-matter: treat the whole file as body
        front, body = None, template
    if front is None:
        front, body = "", template
    front = _set_fields(front, {k: v for k, v in values.items()
                                if k in ("id", "title", "type", "date", "teams", "services")})
    scalars = {k: v for k, v in values.items() if isinstance(v, str)}
    body = _PLACEHOLDER.sub(lambda m: html.escape(scalars.get(m.group(1), ""), quote=False),
                            body)
    return f"---\n{front}---\n{body}"


def _dump(key: str, value: Any) -> str:
    if key == "date":  # already checked to be ISO; unquoted reads better
        return f"date: {value}\n"
    if isinstance(value, list):
        items = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**6)
        return f"{key}: {items.strip()}\n"
    return yaml.safe_dump({key: value}, default_flow_style=False, allow_unicode=True,
                          width=10**6, sort_keys=False)


def _set_fields(front: str, fields: dict[str, Any]) -> str:
    lines = front.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    missing = []
    for key, value in fields.items():
        if value is None:
            continue
        start = next((i for i, line in enumerate(lines)
                      if re.match(rf"{re.escape(key)}\s*:(\s|$)", line)), None)
        if start is None and value == []:
            continue
        if start is None:
            missing.append(_dump(key, value).rstrip("\n"))
            continue
        end = start + 1
        while end < len(lines) and (lines[end][:1] in (" ", "\t") or lines[end].startswith("-")
                                    or (lines[end].strip() == "" and end + 1 < len(lines)
                                        and lines[end + 1][:1] in (" ", "\t", "-"))):
            end += 1
        lines[start:end] = [_dump(key, value).rstrip("\n")]
    # Placeholders left elsewhere in the front-matter (comments, nested values) are dropped
    # rather than pasted as YAML text.
    text = "\n".join(missing + lines)
    text = _PLACEHOLDER.sub("", text)
    return text + "\n"


def create_lesson(kind: str, title: str, lesson_dir: Path, *, template_dir: Path | None,
                  date: str | None = None, team: str | None = None,
                  service: str | None = None) -> NewLesson:
    kind = resolve_kind(kind)
    title = " ".join(title.split())
    slug = make_slug(title)
    try:
        day = dt.date.fromisoformat(date) if date else dt.date.today()
    except ValueError:
        raise ScaffoldError(f"--date {date!r} is not an ISO date like 2026-03-14") from None
    if lesson_dir.exists() and not lesson_dir.is_dir():
        raise ScaffoldError(f"{lesson_dir}: not a directory")
    scaffold = get_kind(kind).scaffold  # type: ignore[union-attr]  # resolved above
    template_path = template_dir / scaffold if template_dir else None
    if template_path and template_path.is_file():
        try:
            template = template_path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ScaffoldError(f"{template_path}: cannot read template: {exc}") from None
        origin = str(template_path)
    else:
        template, origin = BUILTIN_TEMPLATE, "built-in"
    lesson_dir.mkdir(parents=True, exist_ok=True)
    with folder_lock(lesson_dir):  # no other `new` picks an id until this file is written
        used = existing_ids(lesson_dir)
        year_dir = lesson_dir / str(day.year)
        while True:
            lesson_id = next_id(kind, day.year, used)
            target = year_dir / f"{lesson_id}-{slug}.md"
            if not target.exists():
                break
            used.add(lesson_id)
        values = {"id": lesson_id, "title": title, "type": kind, "date": day.isoformat(),
                  "team": team or "", "service": service or "",
                  "teams": [team] if team else [], "services": [service] if service else []}
        text = render(template, values)
        _verify(text, values, origin)
        try:
            write_file(target, text.encode("utf-8"))
        except FileExistsError:
            raise ScaffoldError(f"{target} already exists; not overwriting it") from None
    return NewLesson(target, lesson_id, origin)


def _verify(text: str, values: dict[str, Any], origin: str) -> None:
    """The written file must parse and say what was asked, whatever the template held."""
    doc = parse_source(text.encode("utf-8"), "new.md")
    meta = doc.meta or {}
    for key in ("id", "title", "type", "date"):
        if str(meta.get(key)) != values[key]:
            reason = doc.problems[0].message if doc.problems else f"{key} came out wrong"
            raise ScaffoldError(f"template {origin} does not produce a valid lesson: {reason}")
