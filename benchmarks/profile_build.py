"""Where a Lessonbook build spends its CPU: cProfile of one in-process `mkdocs build`.

    python benchmarks/profile_build.py [--lessons 2000] [--out FILE] [--top 40]

Builds the same synthetic project as bench_build.py (benchmarks/out/build/<N>/, written once)
with the Lessonbook configuration, in this process, under cProfile; prints the CPU seconds and
the functions with the most cumulative and own time, and keeps the raw profile (`--out`) for
`python -m pstats` or snakeviz. The Pagefind service runs in its own process and is not in the
profile (bench_build.py counts its CPU). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

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
    parser.add_argument("--top", type=int, default=40, help="functions listed per table")
    args = parser.parse_args()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    root = write_project(args.lessons, args.seed, args.words)
    out = Path(args.out).resolve()
    os.chdir(root)
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(root / "mkdocs-lessonbook.yml"))
    config.plugins.on_startup(command="build", dirty=False)
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


if __name__ == "__main__":
    sys.exit(main())
