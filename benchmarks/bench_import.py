"""Import accuracy on real postmortems: per-field agreement with values written by reading them.

    python benchmarks/bench_import.py [--corpus ../shared/corpus] [--expected FILE] [-v]

Imports every folder of the corpus (lessonbook import) into a temporary folder and compares the
front-matter of the files listed in benchmarks/data/import-expected.yaml, field by field: title,
date (the day impact began; "none" when the text gives none, i.e. `date: unknown`), summary (how
it starts), follow-up count, how many are done, time_to_detect and time_to_recover. A key may
also judge what a right summary must mention (`summary_mentions`: groups of alternatives, every
group present) and the services (`services`: the imported lesson's first service is one of
them). Only the fields a key uses are scored. Prints the accuracy of each field and every
disagreement.

A held-out round whose key lives outside the repository (issue #23, round 4):

    python benchmarks/bench_import.py --corpus /work/heldout4 \
        --expected /work/heldout4/import-key.yaml
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from lessonbook.authoring.importer import import_files
from lessonbook.load.slugs import slugify

REPO = Path(__file__).resolve().parent.parent
EXPECTED = Path(__file__).resolve().parent / "data" / "import-expected.yaml"
FIELDS = ("title", "date", "summary", "summary_mentions", "follow_ups", "done", "services",
          "time_to_detect", "time_to_recover")


def front(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def actual(meta: dict[str, Any], name: str) -> Any:
    """The value of one compared field in imported front-matter."""
    follow_ups = meta.get("follow_ups") or []
    return {
        "title": meta.get("title"),
        "date": str(meta.get("date")),
        "summary": meta.get("summary") or "",
        "summary_mentions": meta.get("summary") or "",
        "follow_ups": len(follow_ups),
        "services": [str(x) for x in meta.get("services") or []],
        "done": sum(f.get("status") == "done" for f in follow_ups),
        "time_to_detect": meta.get("time_to_detect"),
        "time_to_recover": meta.get("time_to_recover"),
    }[name]


def same_service(want: str, got: str) -> bool:
    """A judged service and an imported one name the same component: equal slugs, or one is a
    hyphen-separated part of the other ("minotaur" and "minotaur-apache-org")."""
    a, b = slugify(want), slugify(got)
    return bool(a and b) and (f"-{a}-" in f"-{b}-" or f"-{b}-" in f"-{a}-")


def agrees(name: str, want: Any, got: Any) -> bool:
    if name == "summary":
        return bool(got) and got.startswith(str(want))
    if name == "summary_mentions":
        text = str(got).lower()
        return bool(text) and all(any(str(alt).lower() in text for alt in group)
                                  for group in want or [])
    if name == "services":
        if not want:
            return not got
        return bool(got) and any(same_service(str(w), got[0]) for w in want)
    if name == "date" and str(want) == "none":
        want = "unknown"  # the text gives no date: the lesson must carry the explicit marker
    if name == "date" and isinstance(want, dt.date):
        want = want.isoformat()
    if name.startswith("time_to") and want is not None:
        want = str(want)
    return want == got


def shown(path: Path) -> Path:
    return path.relative_to(REPO) if path.is_relative_to(REPO) else path


def print_set(expected: dict[str, dict[str, Any]], by_source: dict[str, dict[str, Any]],
           fields: list[str], verbose: bool, label: str) -> None:
    """Print the per-field accuracy of one set of judged files, then every disagreement."""
    right = dict.fromkeys(FIELDS, 0)
    misses: list[str] = []
    for source, want in expected.items():
        meta = by_source.get(source)
        if meta is None:
            misses.append(f"{source}: not imported")
            continue
        for name in fields:
            got = actual(meta, name)
            if agrees(name, want.get(name), got):
                right[name] += 1
                if verbose:
                    print(f"  ok   {source}: {name} = {got!r}")
            else:
                cut = got[:60] + "..." if isinstance(got, str) and len(got) > 60 else got
                misses.append(f"{source}: {name}: expected {str(want.get(name))!r}, "
                              f"got {cut!r}")
    n = len(expected)
    print(f"Import accuracy: {n} files of {label}")
    print(f"{'field':16} {'right':>5} {'of':>3} {'accuracy':>8}")
    for name in fields:
        print(f"{name:16} {right[name]:5} {n:3} {right[name] / n:8.0%}")
    total = sum(right.values())
    print(f"{'all fields':16} {total:5} {n * len(fields):3} {total / (n * len(fields)):8.0%}")
    if misses:
        print("\nDisagreements:")
        for line in misses:
            print("  " + line)
    print()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default=str(REPO.parent / "shared" / "corpus"))
    parser.add_argument("--expected", default=str(EXPECTED),
                        help="the judged values (default import-expected.yaml; the held-out "
                             "collections: benchmarks/data/import-heldout-expected.yaml; round "
                             "4's key lives beside its collections, outside the repository)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every agreement too")
    args = parser.parse_args()
    expected_file = Path(args.expected).resolve()
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        print(f"corpus not found at {corpus}; nothing to measure")
        return 0
    expected: dict[str, dict[str, Any]] = yaml.safe_load(
        expected_file.read_text("utf-8"))["files"]
    fields = [f for f in FIELDS if any(f in want for want in expected.values())]
    with tempfile.TemporaryDirectory() as tmp:
        judged = {source.split("/")[0] for source in expected}
        reports = import_files([p for p in sorted(corpus.iterdir())
                                if p.is_dir() and p.name in judged], tmp)
        by_source = {}
        for report in reports:
            if report.target:
                rel = Path(report.source).resolve().relative_to(corpus.resolve()).as_posix()
                by_source[rel] = front(Path(report.target))
    sets = sorted({want.get("set", "all") for want in expected.values()})
    for name_of_set in sets:
        chosen = {source: want for source, want in expected.items()
                  if want.get("set", "all") == name_of_set}
        print_set(chosen, by_source, fields, args.verbose,
               f"{corpus} ({shown(expected_file)}), set {name_of_set!r}" if len(sets) > 1
               else f"{corpus} ({shown(expected_file)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
