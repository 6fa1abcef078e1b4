"""Where a Lessonbook build spends its CPU: cProfile of one in-process `mkdocs build`.

    python benchmarks/profile_build.py [--lessons 2000] [--out FILE] [--top 40]
                                       [--config lessonbook-nopagefind] [--per-page]

Builds the same synthetic project as bench_build.py (benchmarks/out/build/<N>/, written once)
with the Lessonbook configuration, in this process, under cProfile; prints the CPU seconds and
the functions with the most cumulative and own time, and keeps the raw profile (`--out`) for
`python -m pstats` or snakeviz. `--per-page` instead builds without cProfile and prints the CPU
seconds of MkDocs' two per-page steps (Markdown conversion, template rendering) by kind of page
(lesson, generated, other) and of everything else, so the shares compare with a bare build's
(`--config bare`). The Pagefind service runs in its own process and is not in the
profile (bench_build.py counts its CPU). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
from bench_build import write_project  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--out", default=str(REPO / "benchmarks" / "out" / "build.prof"),
                        help="raw profile (default benchmarks/out/build.prof, git-ignored)")
    parser.add_argument("--config", default="lessonbook",
                        help="which configuration: lessonbook, lessonbook-nopagefind or bare")
    parser.add_argument("--per-page", action="store_true",
                        help="CPU per kind of page and step, without cProfile")
    parser.add_argument("--top", type=int, default=40, help="functions listed per table")
    args = parser.parse_args()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    root = write_project(args.lessons, args.seed, args.words)
    out = Path(args.out).resolve()
    os.chdir(root)
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(root / f"mkdocs-{args.config}.yml"))
    config.plugins.on_startup(command="build", dirty=False)
    if args.per_page:
        return per_page(config, args.lessons)
    profile = cProfile.Profile()
    cpu = time.process_time()
    profile.enable()
    build(config)
    profile.disable()
    print(f"{args.lessons:,} lessons: {time.process_time() - cpu:.1f} s CPU in this process "
          f"(under cProfile); profile in {out}")
    profile.dump_stats(out)
    stats = pstats.Stats(str(out))
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)
    return 0


def per_page(config: Any, lessons: int) -> int:
    """Build once, timing MkDocs' per-page steps by kind of page (process CPU seconds)."""
    import mkdocs.commands.build as mkdocs_build

    spent: dict[tuple[str, str], list[float]] = {}

    def kind(page: Any) -> str:
        if page.file.generated_by is not None:
            return "generated"
        return "lesson" if page.file.src_uri.startswith("lessons/") else "other"

    def timed(step: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(page: Any, *args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                return original(page, *args, **kwargs)
            finally:
                row = spent.setdefault((step, kind(page)), [0.0, 0])
                row[0] += time.process_time() - started
                row[1] += 1
        return wrapper

    populate, render = mkdocs_build._populate_page, mkdocs_build._build_page
    mkdocs_build._populate_page = timed("markdown", populate)  # type: ignore[assignment]
    mkdocs_build._build_page = timed("template", render)  # type: ignore[assignment]
    cpu = time.process_time()
    try:
        mkdocs_build.build(config)
    finally:
        mkdocs_build._populate_page, mkdocs_build._build_page = populate, render
    total = time.process_time() - cpu
    print(f"{lessons:,} lessons, {config.config_file_path}: {total:.1f} s CPU in this process")
    for (step, what), (seconds, pages) in sorted(spent.items()):
        print(f"  {step:9} {what:10} {pages:6,} pages {seconds:7.2f} s "
              f"({seconds / max(pages, 1) * 1000:5.1f} ms a page)")
    rest = total - sum(seconds for seconds, _ in spent.values())
    print(f"  everything else (plugins' build events, file copies) {rest:7.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
