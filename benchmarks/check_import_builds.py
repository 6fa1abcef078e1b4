"""Does an imported collection build with `mkdocs build --strict`, as a user would run it?

    python benchmarks/check_import_builds.py SOURCE... [--keep DIR]

Imports each SOURCE (a folder of postmortems, or files) with `lessonbook import` into a fresh
site (a minimal mkdocs.yml: the lessonbook plugin, `search: {pagefind: false}`), builds it
with --strict, and prints: lessons written, links the import wrote as plain text, lessons
dated the day of the import or `date: unknown`, the strict build's verdict and its warnings.
Collections live outside the repository (held-out data is never committed); docs/import.md
reports the runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
import tempfile
from pathlib import Path

import yaml

from lessonbook.authoring.importer import import_files

MKDOCS_YML = """site_name: Imported
theme: {name: material}
plugins:
  - lessonbook:
      search: {pagefind: false}
"""


def strict_build(root: Path) -> list[str]:
    """The warnings of a strict build of the site at ``root`` (empty when it passes)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING:
                records.append(record.getMessage())

    handler = Collect()
    logging.getLogger("mkdocs").addHandler(handler)
    try:
        build(load_config(str(root / "mkdocs.yml"), strict=True))
    except Abort as exc:
        records.append(f"aborted: {exc}")
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
    return records


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("sources", nargs="+")
    parser.add_argument("--keep", help="build here instead of a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(args.keep or tmp)
        (root / "docs").mkdir(parents=True, exist_ok=True)
        (root / "docs" / "index.md").write_text("# Imported\n", encoding="utf-8")
        (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
        reports = import_files(args.sources, root / "docs" / "lessons", force=True)
        written = [r for r in reports if r.target and r.action in ("written", "unchanged")]
        today = dt.date.today().isoformat()
        dated_today, unknown, plain = [], [], []
        for report in written:
            meta = yaml.safe_load(Path(report.target).read_text("utf-8").split("---\n")[1])
            if str(meta.get("date")) == today:
                dated_today.append(report.target)
            if meta.get("date") == "unknown":
                unknown.append(report.target)
            plain += [m for m in report.missing if "nothing the import has" in m]
        print(f"{len(written)} lessons written from {len(args.sources)} source(s), "
              f"e.g. {args.sources[0]}")
        print(f"dated the day of the import: {len(dated_today)}; date unknown: {len(unknown)}")
        print(f"lessons with links written as plain text: {len(plain)}")
        for line in plain:
            print(f"  {line}")
        warnings = strict_build(root)
        print("mkdocs build --strict:", "passes" if not warnings else "FAILS")
        for line in warnings:
            print(f"  {line}")
    return 1 if warnings else 0


if __name__ == "__main__":
    sys.exit(main())
