"""The `mkdocs serve` case: how long a rebuild takes after one lesson is edited, Lessonbook
against bare MkDocs + Material + search on the same files.

    python benchmarks/bench_rebuild.py [--lessons 1000] [--edits 2]

Uses the build benchmark's project (benchmarks/out/build/<N>/, written if missing). For each of
bare and Lessonbook, in one process: the configuration is loaded once and built once through
MkDocs' own build API (the first build of a serve session), then one lesson is edited and the
site built again with the same configuration and plugin instances, as `mkdocs serve` does, and
that rebuild is timed (wall and CPU seconds of this process; Pagefind's service is a child
process, counted once it has exited). Under `mkdocs serve` Lessonbook serves a rebuild before
its search index is written (the previous index stays until the new one is in place), so two
figures are given for it: the rebuild (until the site is served, which is what the author
waits for) and the rebuild with its search index in place (the background work included).
The two sides run in separate processes, bare first. The edited lesson is restored at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import write_project  # noqa: E402

EDITED = "docs/lessons/0000/lesson-00001.md"


def _one_side(root: Path, name: str, edits: int) -> dict[str, object]:
    """Build, then edit-and-rebuild ``edits`` times; runs in a child process."""
    import logging
    import resource

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    os.chdir(root)
    config = load_config(f"mkdocs-{name}.yml")
    for plugin in config.plugins.values():
        if hasattr(plugin, "on_startup"):
            plugin.on_startup(command="serve", dirty=False)
    lesson = root / _edited(root)
    original = lesson.read_bytes()

    def cpu() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    start, used = time.perf_counter(), cpu()
    build(config, serve_url=None)
    first = (time.perf_counter() - start, cpu() - used)
    rebuilds = []
    try:
        for edit in range(edits):
            lesson.write_bytes(original.replace(b"## What happened",
                                                f"## What happened\n\nEdit {edit}.\n".encode(),
                                                1))
            start, used = time.perf_counter(), cpu()
            build(config, serve_url=None)
            served = (time.perf_counter() - start, cpu() - used)
            session = getattr(config.plugins.get("lessonbook"), "session", None)
            if session is not None and session.search is not None:
                session.search.wait()
            rebuilds.append((*served, time.perf_counter() - start, cpu() - used))
    finally:
        lesson.write_bytes(original)
        for plugin in config.plugins.values():
            if hasattr(plugin, "on_shutdown"):
                plugin.on_shutdown()
    return {"first": first, "rebuilds": rebuilds}


def _edited(root: Path) -> str:
    if (root / EDITED).exists():
        return EDITED
    return sorted(p.relative_to(root).as_posix() for p in (root / "docs").rglob("*.md")
                  if "lessons" in p.parts)[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=2)
    parser.add_argument("--side", help=argparse.SUPPRESS)
    parser.add_argument("--root", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.side:
        print(json.dumps(_one_side(Path(args.root), args.side, args.edits)))
        return 0
    root = write_project(args.lessons, 1, 600)
    results = {}
    for name in ("bare", "lessonbook"):
        done = subprocess.run([sys.executable, __file__, "--side", name, "--root", str(root),
                               "--edits", str(args.edits)], capture_output=True, text=True,
                              env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        if done.returncode:
            print(done.stderr[-3000:], file=sys.stderr)
            return 1
        results[name] = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"{args.lessons} lessons; one lesson edited between builds, same plugin instances")
    print(f"{'':12} {'first build':>18}   rebuilds after one edit, wall / CPU: until served "
          "(with the search index in place)")
    for name, result in results.items():
        wall, cpu = result["first"]
        rebuilds = ", ".join(f"{w:.1f} s / {c:.1f} s ({w2:.1f} s / {c2:.1f} s)"
                             for w, c, w2, c2 in result["rebuilds"])
        print(f"{name:12} {wall:6.1f} s / {cpu:6.1f} s   {rebuilds}")

    def best(name: str, column: int) -> float:
        return min(r[column] for r in results[name]["rebuilds"])

    print(f"rebuild ratio Lessonbook/bare (best of each): until served: CPU "
          f"{best('lessonbook', 1) / best('bare', 1):.2f}x, wall "
          f"{best('lessonbook', 0) / best('bare', 0):.2f}x; with the search index: CPU "
          f"{best('lessonbook', 3) / best('bare', 3):.2f}x, wall "
          f"{best('lessonbook', 2) / best('bare', 2):.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
