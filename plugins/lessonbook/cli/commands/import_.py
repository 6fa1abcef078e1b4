"""`lessonbook import`: plain Markdown postmortems → lessons with front-matter."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

from ...model.text import for_terminal
from ..project import ConfigError, project_settings


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "import", help="import plain Markdown postmortems as lessons",
        description="Turn postmortems written without front-matter (files or folders, with or "
        "without a .md extension) into lessons in DIR. Title, id, date, summary, "
        "categories/tags, durations and follow-ups are inferred; the body is kept byte for "
        "byte. Existing files are never overwritten without --force. Exit status: 0 when no "
        "file failed (skipped files included), 1 when any failed, 2 bad usage.")
    parser.add_argument("sources", nargs="+", metavar="SOURCE", help="files or folders")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder to write lessons to")
    parser.add_argument("--dry-run", action="store_true",
                        help="show what would be inferred and written; write nothing")
    parser.add_argument("--force", action="store_true", help="overwrite existing files")
    parser.add_argument("--config", default="mkdocs.yml",
                        help="mkdocs.yml whose categories to use (default: ./mkdocs.yml if "
                        "present, else the default taxonomy)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ...authoring.importer import import_files  # loaded for this command only

    try:
        settings = project_settings(args.config, optional=True)
    except ConfigError as exc:
        print(for_terminal(f"lessonbook import: {exc}"), file=sys.stderr)
        return 2
    reports = import_files(args.sources, args.out, settings, dry_run=args.dry_run,
                           force=args.force)
    for report in reports:
        # Each part on one line of its own, whatever a source's name holds (model/text.py).
        print(replace(report, source=for_terminal(report.source),
                      target=report.target and for_terminal(report.target),
                      error=report.error and for_terminal(report.error),
                      inferred=[for_terminal(x) for x in report.inferred],
                      missing=[for_terminal(x) for x in report.missing]).format())
    failed = sum(r.failed for r in reports)
    counts: dict[str, int] = {}
    for report in reports:
        counts[report.action] = counts.get(report.action, 0) + 1
    summary = ", ".join(f"{n} {action}" for action, n in sorted(counts.items()))
    print(f"lessonbook import: {summary or 'nothing to import'}"
          + (" (dry run: nothing written)" if args.dry_run else ""))
    return 1 if failed else 0
