"""`lessonbook import`: plain Markdown postmortems → lessons with front-matter."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ...authoring.import_sources import DEFAULT_MAX_SIZE, parse_size, printable, size_text
from ...model.options import ImportingOptions
from ...model.text import for_json, for_terminal
from ...model.vocabulary import Settings
from ..project import ConfigError, load_project, project_settings

if TYPE_CHECKING:
    from ...authoring.importer import FileReport


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "import", help="import plain Markdown postmortems as lessons",
        description="Turn postmortems written without front-matter (files or folders: Markdown, "
        "Quarto, with or without an extension) into lessons in DIR. Title, id, date, summary, "
        "categories/tags, durations and follow-ups are inferred; the body is kept byte for "
        "byte. Only regular files inside a source are read: symbolic links are not followed, "
        "pipes and devices are never opened, hidden files and files over --max-size are "
        "skipped; every file not imported is listed with the reason. Existing files are never "
        "overwritten without --force. Exit status: 0 when no file failed (skipped files "
        "included), 1 when any failed, 2 bad usage.")
    parser.add_argument("sources", nargs="+", metavar="SOURCE", help="files or folders")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder to write lessons to")
    parser.add_argument("--dry-run", action="store_true",
                        help="show what would be inferred and written; write nothing")
    parser.add_argument("--force", action="store_true", help="overwrite existing files")
    parser.add_argument("--max-size", type=_size, default=DEFAULT_MAX_SIZE, metavar="SIZE",
                        help="skip files larger than this (e.g. 512KB, 20MB; default "
                        f"{size_text(DEFAULT_MAX_SIZE)})")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text (default) or json: one record per file, skipped ones "
                        "with the reason")
    parser.add_argument("--config", default="mkdocs.yml",
                        help="mkdocs.yml whose categories and `importing:` options to use "
                        "(default: ./mkdocs.yml if present, else the defaults)")
    parser.add_argument("--service-map", metavar="FILE",
                        help="YAML mapping each service to the words or /patterns/ that "
                        "name it (default: the `importing.service_map` option)")
    parser.add_argument("--no-infer-services", dest="infer_services", action="store_false",
                        default=None, help="give only the services the map or the knowledge "
                        "base names; infer none from the text")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ...authoring.importer import import_files  # loaded for this command only
    from ...authoring.importer.services import ServiceMapError, read_service_map

    try:
        settings, importing, root = _configuration(args.config)
        map_path = args.service_map or (importing.service_map and root / importing.service_map)
        service_map = read_service_map(map_path) if map_path else None
    except (ConfigError, ServiceMapError) as exc:
        print(for_terminal(f"lessonbook import: {exc}"), file=sys.stderr)
        return 2
    infer = importing.infer_services if args.infer_services is None else args.infer_services
    reports = import_files(args.sources, args.out, settings, dry_run=args.dry_run,
                           force=args.force, max_size=args.max_size, service_map=service_map,
                           infer_services=infer)
    counts: dict[str, int] = {}
    for report in reports:
        counts[report.action] = counts.get(report.action, 0) + 1
    if args.format == "json":
        print(for_json({"dry_run": args.dry_run, "counts": dict(sorted(counts.items())),
                        "files": [_record(r) for r in reports]}, indent=2))
    else:
        for report in reports:
            # Each part on one line of its own, whatever a source's name holds (model/text.py).
            print(replace(report, source=_shown(report.source),
                          target=report.target and _shown(report.target),
                          error=report.error and _shown(report.error),
                          inferred=[_shown(x) for x in report.inferred],
                          missing=[_shown(x) for x in report.missing]).format())
        summary = ", ".join(f"{n} {action}" for action, n in sorted(counts.items()))
        print(f"lessonbook import: {summary or 'nothing to import'}"
              + (" (dry run: nothing written)" if args.dry_run else ""))
    return 1 if any(r.failed for r in reports) else 0


def _configuration(config: str) -> tuple[Settings, ImportingOptions, Path]:
    """The taxonomy, the `importing:` options and the folder relative paths start from: those
    of mkdocs.yml when there is one, else the defaults and the current folder."""
    if not Path(config).is_file():
        return project_settings(config, optional=True), ImportingOptions(), Path.cwd()
    project = load_project(config)
    return project.settings, project.options.importing, project.root


def _shown(text: str) -> str:
    """A name or message on one line: bytes that are not UTF-8 as \\xNN, then every control,
    line break or CI command neutralised (model/text.py)."""
    return for_terminal(printable(text))


def _record(report: FileReport) -> dict[str, object]:
    """One file in the JSON report: what happened, and why when it was not imported."""
    def text(value: str | None) -> str | None:
        return None if value is None else printable(value)

    return {"source": text(report.source), "target": text(report.target),
            "action": report.action, "reason": text(report.error),
            "inferred": [printable(x) for x in report.inferred],
            "missing": [printable(x) for x in report.missing]}


def _size(text: str) -> int:
    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
