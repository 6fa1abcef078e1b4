"""Turn plain Markdown postmortems (no front-matter) into lessons.

The body is kept byte for byte; only a front-matter block is put in front of it, written with
yaml.safe_dump so every value is escaped. Each file gets a report of what was inferred and what
could not be; one bad file never stops the others. Writes are atomic and never overwrite an
existing file unless asked (``force``); running twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..load.validation import ID_PATTERN, slugify
from ..model.durations import DurationError, parse_duration
from ..model.vocabulary import Settings
from .safe_write import write_file

MARKDOWN_SUFFIXES = (".md", ".markdown")
_IDENT = re.compile(r"^([A-Za-z]{1,8}-?\d{2,4}[-_.]\d{1,6})(?![A-Za-z0-9])")
_ISO_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d])")
_MONTHS = {m: i for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"), start=1)}
_MONTH = "(" + "|".join(_MONTHS) + r")"
_WRITTEN_DATE = re.compile(
    rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b"
    rf"|\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+(\d{{4}}))?\b", re.I)
_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_ITEM = re.compile(r"^( {0,3})(?:[-*+]|\d+[.)])[ \t]+(?:\[( |x|X)\][ \t]+)?(.*)$")
_STAT = re.compile(r"^\s*(?:[-*+][ \t]+)?\**([A-Za-z][A-Za-z ]+?)\**\s*:\s*\**(.*?)\**\s*$")


@dataclass
class Section:
    title: str
    level: int
    lines: list[str]


@dataclass
class FileReport:
    source: str
    target: str | None = None
    action: str = ""
    """written | would write | unchanged | skipped | failed"""
    inferred: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def failed(self) -> bool:
        return self.action == "failed"

    def format(self) -> str:
        head = f"{self.action}: {self.source}"
        if self.target:
            head += f" -> {self.target}"
        lines = [head]
        if self.error:
            lines.append(f"  error: {self.error}")
        lines += [f"  inferred {item}" for item in self.inferred]
        lines += [f"  missing {item}" for item in self.missing]
        return "\n".join(lines)


@dataclass
class Converted:
    meta: dict[str, Any]
    inferred: list[str]
    missing: list[str]


# --- finding files ---------------------------------------------------------------------------
def collect_sources(sources: Iterable[str | os.PathLike[str]]
                    ) -> tuple[list[tuple[Path, Path]], list[FileReport]]:
    """(file, path relative to the output folder) pairs; named files are always taken, files in
    folders when they are Markdown (by extension, or extension-less starting with a heading)."""
    found: list[tuple[Path, Path]] = []
    reports: list[FileReport] = []
    for source in sources:
        root = Path(source)
        if root.is_file():
            found.append((root, Path(root.name)))
        elif root.is_dir():
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                rel = path.relative_to(root)
                if any(part.startswith(".") for part in rel.parts):
                    continue
                if _looks_like_markdown(path):
                    found.append((path, rel))
        else:
            reports.append(FileReport(str(source), action="failed",
                                      error="no such file or folder"))
    return found, reports


def _has_extension(path: Path) -> bool:
    return bool(re.fullmatch(r"\.[A-Za-z0-9]{1,8}", path.suffix))


def _looks_like_markdown(path: Path) -> bool:
    if path.suffix.lower() in MARKDOWN_SUFFIXES:
        return True
    if _has_extension(path):
        return False
    try:
        head = path.read_bytes()[:4096].decode("utf-8", "replace").splitlines()
    except OSError:
        return False
    return any(_ATX.match(line) for line in head[:5]) or (
        len(head) > 1 and bool(_SETEXT.match(head[1])) and head[0].strip() != "")


# --- reading one postmortem ------------------------------------------------------------------
def sections(text: str) -> tuple[str | None, list[str], list[Section]]:
    """(first heading, lines before it, sections) with ATX and setext headings; fenced code
    is never read as headings."""
    lines = text.split("\n")
    title: str | None = None
    preamble: list[str] = []
    out: list[Section] = []
    fence: str | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        if fence:
            if stripped.startswith(fence):
                fence = None
        elif stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
        heading: tuple[int, str] | None = None
        if fence is None and not stripped.startswith(("```", "~~~")):
            atx = _ATX.match(line)
            nxt = lines[index + 1] if index + 1 < len(lines) else ""
            if atx:
                heading = (len(atx.group(1)), atx.group(2).strip())
            elif stripped and _SETEXT.match(nxt) and not _ITEM.match(line) and "|" not in line:
                heading = (1 if nxt.strip().startswith("=") else 2, stripped)
                index += 1
        if heading:
            if title is None:
                title = heading[1]
            out.append(Section(heading[1], heading[0], []))
        elif out:
            out[-1].lines.append(line)
        else:
            preamble.append(line)
        index += 1
    return title, preamble, out


def _find(found: list[Section], pattern: str) -> Section | None:
    regex = re.compile(pattern, re.I)
    return next((s for s in found if regex.search(s.title)), None)


def _with_subsections(found: list[Section], section: Section) -> list[str]:
    lines = list(section.lines)
    start = found.index(section)
    for sub in found[start + 1:]:
        if sub.level <= section.level:
            break
        lines += sub.lines
    return lines


def plain(text: str) -> str:
    """Markdown inline syntax → plain text for a one-line field."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>\n]+>", "", text)
    text = re.sub(r"(\*\*|__|`)", "", text)
    text = re.sub(r"(?<!\w)[*_](\S[^*_]*?)[*_](?!\w)", r"\1", text)
    return " ".join(text.split())


def first_paragraph(lines: list[str]) -> str:
    para: list[str] = []
    for line in lines:
        stripped = line.strip()
        if not stripped:
            if para:
                break
            continue
        if stripped.startswith(("|", "```", "<img", "!", ">")) or _ATX.match(line):
            if para:
                break
            continue
        para.append(stripped)
    return plain(" ".join(para))


def convert(text: str, name: str, settings: Settings, modified: dt.date | None = None
            ) -> Converted:
    """Front-matter inferred from a plain Markdown postmortem named ``name`` (file name).
    A lesson needs a date to build, so when none is written the best guess is used and
    reported as missing."""
    inferred: list[str] = []
    missing: list[str] = []
    meta: dict[str, Any] = {}
    title, preamble, found = sections(text)
    stem = Path(name).stem if _has_extension(Path(name)) else name
    if title:
        meta["title"] = plain(title)
        inferred.append(f"title from the first heading: {meta['title']!r}")
    else:
        meta["title"] = re.sub(r"^\d{4}-\d{2}-\d{2}[-_ ]*", "", stem).replace("-", " ").strip()
        meta["title"] = (meta["title"] or stem)[:1].upper() + (meta["title"] or stem)[1:]
        missing.append(f"title: no heading; used the file name ({meta['title']!r})")
    ident = _IDENT.match(stem)
    if ident:
        meta["id"] = ident.group(1)
        inferred.append(f"id from the identifier in the file name: {meta['id']}")
    else:
        meta["id"] = stem if ID_PATTERN.match(stem) else (slugify(stem) or "lesson")
        inferred.append(f"id from the file name: {meta['id']}")
    meta["type"] = "postmortem"
    id_year = re.search(r"(?<!\d)(19|20)\d{2}(?!\d)", ident.group(1)) if ident else None
    date, how = _date(stem, found, preamble, id_year.group() if id_year else None)
    if date:
        meta["date"] = date.isoformat()
        inferred.append(f"date from {how}: {meta['date']}")
    elif id_year:
        meta["date"] = f"{id_year.group()}-01-01"
        missing.append(f"date: none in the file name, timeline or summary; wrote "
                       f"{meta['date']} from the year in the identifier: correct it")
    else:
        meta["date"] = (modified or dt.date.today()).isoformat()
        missing.append(f"date: none in the file name, timeline or summary; wrote the file's "
                       f"modification date {meta['date']}: correct it")
    summary_section = _find(found, r"\bsummary\b")
    summary = first_paragraph(summary_section.lines) if summary_section else ""
    if summary:
        inferred.append("summary from the Summary section")
    else:
        summary = first_paragraph(preamble)
        if summary:
            inferred.append("summary from the opening paragraph (no Summary section)")
        else:
            missing.append("summary: no Summary section")
    if summary:
        meta["summary"] = summary
    _stats(found, meta, inferred, missing, settings)
    actions = _find(found, r"\baction items?\b")
    if actions:
        follow_ups = _follow_ups(_with_subsections(found, actions))
        if follow_ups:
            meta["follow_ups"] = follow_ups
            inferred.append(f"{len(follow_ups)} follow-up(s) from Action Items "
                            "(status open unless ticked, owner unknown)")
    else:
        missing.append("follow_ups: no Action Items section")
    return Converted(meta, inferred, missing)


def _date(stem: str, found: list[Section], preamble: list[str], id_year: str | None
          ) -> tuple[dt.date | None, str]:
    match = _ISO_DATE.search(stem)
    if match and (day := _valid(*match.groups())):
        return day, "the file name"
    timeline = _find(found, r"\btimeline\b")
    if timeline:
        days = [d for m in _ISO_DATE.finditer("\n".join(timeline.lines))
                if (d := _valid(*m.groups()))]
        if id_year:
            days = [d for d in days if str(d.year) == id_year] or days
        if days:
            return days[0], "the timeline"
    summary = _find(found, r"\bsummary\b")
    texts = [("the summary", summary.lines if summary else []), ("the opening", preamble)]
    for label, lines in texts:
        text = "\n".join(lines)
        for m in _WRITTEN_DATE.finditer(text):
            month = m.group(1) or m.group(5)
            day_s = m.group(2) or m.group(4)
            year = m.group(3) or m.group(6) or id_year
            if year and (day := _valid(year, _MONTHS[month.lower()], day_s)):
                return day, label + ("" if (m.group(3) or m.group(6)) else
                                     " (year from the identifier)")
    return None, ""


def _valid(year: str | int, month: str | int, day: str | int) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _stats(found: list[Section], meta: dict[str, Any], inferred: list[str], missing: list[str],
           settings: Settings) -> None:
    stats = _find(found, r"^(stats|statistics|metrics|key stats)\b")
    if not stats:
        missing.append("categories/tags, time_to_detect, time_to_recover: no Stats section")
        return
    for line in stats.lines:
        match = _STAT.match(line)
        if not match:
            continue
        key, value = match.group(1).strip().lower(), plain(match.group(2))
        value = re.sub(r"\[\^[^\]]*\]", "", value).strip().rstrip(".").strip()
        if key in ("category", "categories"):
            for item in [v.strip() for v in re.split(r",|;", value) if v.strip()]:
                slug = slugify(item)
                if slug in settings.categories:
                    meta.setdefault("categories", []).append(slug)
                    inferred.append(f"category {slug!r} from Stats")
                else:
                    meta.setdefault("tags", []).append(item)
                    inferred.append(f"tag {item!r} from Stats (not a configured category)")
        elif key.startswith("time to"):
            name = ("time_to_detect" if re.search(r"detect", key) else
                    "time_to_recover" if re.search(r"recover|resol|mitigat", key) else None)
            if name is None:
                continue
            try:
                parse_duration(value)
            except DurationError:
                missing.append(f"{name}: {value!r} in Stats is not a duration")
                continue
            meta[name] = value
            inferred.append(f"{name} from Stats: {value}")


def _follow_ups(lines: list[str]) -> list[dict[str, str]]:
    items: list[dict[str, str]] = []
    fence = False
    for line in lines:
        if line.strip().startswith(("```", "~~~")):
            fence = not fence
        if fence:
            continue
        match = _ITEM.match(line)
        if match and len(match.group(1)) == 0:
            action = plain(match.group(3))
            if action:
                items.append({"action": action,
                              "status": "done" if (match.group(2) or "").lower() == "x"
                              else "open"})
        elif items and line.strip() and line.startswith((" ", "\t")) and not _ITEM.match(line):
            items[-1]["action"] += " " + plain(line)
    return items


def render(meta: dict[str, Any]) -> bytes:
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100)
    return f"---\n{front}---\n".encode()


# --- writing ---------------------------------------------------------------------------------
def import_files(sources: Iterable[str | os.PathLike[str]], out: str | os.PathLike[str],
                 settings: Settings | None = None, dry_run: bool = False, force: bool = False
                 ) -> list[FileReport]:
    """Import every source; returns one report per file (in order)."""
    settings = settings or Settings()
    files, reports = collect_sources(sources)
    out_dir = Path(out)
    planned: dict[Path, str] = {}
    for path, rel in files:
        report = FileReport(str(path))
        reports.append(report)
        try:
            raw = path.read_bytes()
            text = raw.decode("utf-8-sig").replace("\r\n", "\n")
        except (OSError, UnicodeDecodeError) as exc:
            report.action = "failed"
            report.error = (f"cannot read as UTF-8 text: {exc}" if isinstance(
                exc, UnicodeDecodeError) else f"cannot read: {exc.strerror}")
            continue
        if text.startswith("---\n") or text.startswith("---\r"):
            report.action = "skipped"
            report.error = "already has front-matter; nothing to import"
            continue
        if not text.strip():
            report.action = "failed"
            report.error = "file is empty"
            continue
        modified = dt.date.fromtimestamp(path.stat().st_mtime)
        converted = convert(text, path.name, settings, modified)
        report.inferred, report.missing = converted.inferred, converted.missing
        target = out_dir / rel.parent / f"{converted.meta['id']}.md"
        report.target = str(target)
        if target in planned:
            report.action = "failed"
            report.error = f"id {converted.meta['id']!r} is also produced by {planned[target]}"
            continue
        planned[target] = str(path)
        content = render(converted.meta) + raw
        if target.exists():
            try:
                same = target.read_bytes() == content
            except OSError:
                same = False
            if same:
                report.action = "unchanged"
                continue
            if not force:
                report.action = "skipped"
                report.error = "target exists and differs; use --force to overwrite"
                continue
        if dry_run:
            report.action = "would write"
            continue
        try:
            write_file(target, content, replace=force)
            report.action = "written"
        except FileExistsError:
            report.action = "skipped"
            report.error = "target appeared while importing; not overwriting it (--force does)"
        except OSError as exc:
            report.action = "failed"
            report.error = f"cannot write: {exc.strerror or exc}"
    return reports
