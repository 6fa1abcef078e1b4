"""Importing a set of files: one report per file, atomic exclusive writes, never an overwrite
unless asked, and running twice changes nothing."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ...model.vocabulary import Settings
from ..import_sources import DEFAULT_MAX_SIZE, Skipped, read_regular, read_sources, shown
from ..safe_write import write_file
from .assets import carry_assets
from .convert import Converted, bundle_name, convert
from .foreign import (
    ForeignFrontMatterError,
    adopt_front_matter,
    existing_front_matter,
    is_lesson,
    published_on,
)
from .html_reading import readable
from .links import rewrite_links
from .services import ImportedText, ServiceMap, assign_services
from .titles import shared_headings
from .unresolved import plain_unresolved, resolver


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
        head = f"{self.action}: {shown(self.source)}"
        if self.target:
            head += f" -> {shown(self.target)}"
        lines = [head]
        if self.error:
            label = "reason" if self.action == "skipped" else "error"
            lines.append(f"  {label}: {shown(self.error)}")
        lines += [f"  inferred {shown(item)}" for item in self.inferred]
        lines += [f"  missing {shown(item)}" for item in self.missing]
        return "\n".join(lines)



def import_files(sources: Iterable[str | os.PathLike[str]], out: str | os.PathLike[str],
                 settings: Settings | None = None, dry_run: bool = False, force: bool = False,
                 known_services: Iterable[str] | None = None, today: dt.date | None = None,
                 max_size: int = DEFAULT_MAX_SIZE, service_map: ServiceMap | None = None,
                 infer_services: bool = True) -> list[FileReport]:
    """Import every source; returns one report per file (in order), skipped files included
    with the reason (import_sources decides what is read). ``known_services``: the services
    the knowledge base uses (default: those of the lessons already in ``out``);
    ``service_map`` and ``infer_services``: where else services come from (services.py)."""
    settings = settings or Settings()
    today = today or dt.date.today()
    out_dir = Path(out)
    services = set(known_services) if known_services is not None else _services_in(out_dir)
    reports: list[FileReport] = []
    planned: dict[Path, str] = {}
    jobs: list[tuple[FileReport, Path, bytes, Converted, Path]] = []
    roots: dict[Path, Path] = {}  # source file → the folder its assets may come from
    texts: list[ImportedText] = []  # what the services are found in, one per job
    items = list(read_sources(sources, max_size))
    shared = shared_headings([x.data.decode("utf-8", "replace") for x in items
                              if not isinstance(x, Skipped)])
    for item in items:
        report = FileReport(str(item.path))
        reports.append(report)
        if isinstance(item, Skipped):
            report.action = "failed" if item.failed else "skipped"
            report.error = item.reason
            continue
        path, rel, source_name, raw = item.path, item.rel, item.name, item.data
        try:
            text = raw.decode("utf-8-sig").replace("\r\n", "\n")
        except UnicodeDecodeError as exc:
            report.action = "failed"
            report.error = f"cannot read as UTF-8 text: {exc}"
            continue
        try:
            found = existing_front_matter(text, path.name)
        except ForeignFrontMatterError as exc:
            report.action, report.error = "failed", str(exc)
            continue
        if found is not None:
            if is_lesson(found.meta):
                report.action = "skipped"
                report.error = "already a lesson (its front-matter has title, type and date)"
                continue
            text, raw = found.body, found.body.encode("utf-8")
        if not text.strip():
            report.action = "failed"
            report.error = "file is empty"
            continue
        named = bundle_name(path)
        folders = rel.parent.parent if named != path.name else rel.parent
        converted = convert(text, (folders / named).as_posix(), settings, services,
                            published_on(found) if found is not None else None, shared)
        if found is not None:
            adopt_front_matter(converted, found, settings)
        report.inferred, report.missing = converted.inferred, converted.missing
        target = out_dir / rel.parent / f"{converted.meta['id']}.md"
        report.target = str(target)
        if target in planned:
            report.action = "failed"
            report.error = f"id {converted.meta['id']!r} is also produced by {planned[target]}"
            continue
        planned[target] = str(path)
        converted.meta["imported_from"] = {"source": source_name, "date": today.isoformat()}
        jobs.append((report, path, raw, converted, target))
        roots[path] = _source_root(path, rel).parent
        texts.append(ImportedText(converted.meta["title"], converted.meta.get("summary", ""),
                                  readable(text), str(_source_root(path, rel))))
    assign_services(texts, service_map, infer_services, services)
    for (_, _, _, converted, _), found in zip(jobs, texts, strict=True):
        _add_services(converted, found)
    new_paths = {path.resolve(): target for _, path, _, _, target in jobs}
    taken: dict[Path, bytes] = {}
    by_name: dict[str, list[Path]] = {}
    for _, path, _, _, _ in jobs:
        by_name.setdefault(path.name, []).append(path.resolve())
    for report, path, raw, converted, target in jobs:
        body, rewritten = rewrite_links(raw, path, target, new_paths, by_name)
        if rewritten:
            report.inferred.append(f"rewrote {rewritten} link(s) to other imported files")
        body, assets = carry_assets(body, path, roots[path], target, max_size, taken)
        known = {p.resolve() for p in [*new_paths.values(), *assets.copies]}
        body, unresolved = plain_unresolved(body, resolver(target, known))
        if unresolved:
            report.missing.append(
                f"targets of {len(unresolved)} link(s), nothing the import has: written as "
                f"plain text so the site builds with --strict (link the right file to restore "
                f"them): {', '.join(unresolved)}")
        if rest := [a for a in assets.missing if a not in unresolved]:
            report.missing.append("linked files not found inside the source (HTML links left "
                                  f"as written): {', '.join(rest)}")
        _write(report, target, converted.meta, body, dry_run, force)
        if assets.copies and report.action in ("written", "would write", "unchanged"):
            _copy_assets(report, assets.copies, dry_run, force)
            taken.update(assets.copies)
    return reports


def _add_services(converted: Converted, found: ImportedText) -> None:
    """The mapped and inferred services after those the title or summary named, right after
    the summary in the front-matter; the reasons in the report."""
    meta = converted.meta
    services = list(dict.fromkeys([*meta.get("services", []), *found.services]))
    converted.inferred.extend(found.notes)
    if not services:
        converted.missing.append("services: the title or summary names no component the text "
                                 "repeats (a service map names them: --service-map)")
        return
    items = [(k, v) for k, v in meta.items() if k != "services"]
    keys = [k for k, _ in items]
    after = "summary" if "summary" in keys else "date" if "date" in keys else None
    at = keys.index(after) + 1 if after else len(items)
    meta.clear()
    meta.update(items[:at] + [("services", services)] + items[at:])


def _source_root(path: Path, rel: Path) -> Path:
    """The folder an import was asked to read (``rel`` is the file's path inside it)."""
    root = path
    for _ in rel.parts:
        root = root.parent
    return root


def _copy_assets(report: FileReport, copies: dict[Path, bytes], dry_run: bool,
                 force: bool) -> None:
    """Write the files a lesson links to beside it: never over a different file unless
    ``force``; an identical one is left alone."""
    copied, kept = [], []
    for copy, data in copies.items():
        if os.path.lexists(copy):
            if read_regular(copy, len(data)) == data:
                continue
            if not force:
                kept.append(copy.name)
                continue
        copied.append(copy.name)
        if dry_run:
            continue
        try:
            write_file(copy, data, replace=force)
        except (FileExistsError, OSError) as exc:
            copied.pop()
            report.missing.append(f"cannot copy {copy.name}: {getattr(exc, 'strerror', exc)}")
    verb = "would copy" if dry_run else "copied"
    if copied:
        report.inferred.append(f"{verb} {len(copied)} linked file(s) beside it: "
                               f"{', '.join(copied)}")
    if kept:
        report.missing.append(f"linked files not copied, a different file is there (--force "
                              f"replaces it): {', '.join(kept)}")


def _write(report: FileReport, target: Path, meta: dict[str, Any], body: bytes, dry_run: bool,
           force: bool) -> None:
    existing = _existing_import(target)
    if existing and existing.get("source") == meta["imported_from"]["source"]:
        meta["imported_from"]["date"] = existing.get("date", meta["imported_from"]["date"])
    content = render(meta) + body
    if os.path.lexists(target):
        if read_regular(target, len(content)) == content:
            report.action = "unchanged"
            return
        if not force:
            report.action = "skipped"
            report.error = "target exists and differs; use --force to overwrite"
            return
    if dry_run:
        report.action = "would write"
        return
    try:
        write_file(target, content, replace=force)
        report.action = "written"
    except FileExistsError:
        report.action = "skipped"
        report.error = "target appeared while importing; not overwriting it (--force does)"
    except OSError as exc:
        report.action = "failed"
        report.error = f"cannot write: {exc.strerror or exc}"


def _front_matter(path: Path) -> dict[str, Any]:
    """The front-matter of a Markdown file, or {} (unreadable, none, not a mapping)."""
    try:
        text = (read_regular(path) or b"").decode("utf-8-sig")
    except UnicodeDecodeError:
        return {}
    if not text.startswith("---\n"):
        return {}
    end = text.find("\n---", 4)
    try:
        data = yaml.safe_load(text[4:end]) if end > 0 else None
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def _existing_import(target: Path) -> dict[str, Any] | None:
    if not target.is_file():
        return None
    value = _front_matter(target).get("imported_from")
    return value if isinstance(value, dict) else None


def _services_in(folder: Path) -> set[str]:
    """Services named by the lessons already in a folder (the knowledge base being added to)."""
    found: set[str] = set()
    if not folder.is_dir():
        return found
    for path in folder.rglob("*.md"):
        value = _front_matter(path).get("services")
        if isinstance(value, list):
            found.update(str(v) for v in value if isinstance(v, str) and v.strip())
    return found



def render(meta: dict[str, Any]) -> bytes:
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100)
    return f"---\n{front}---\n".encode()
