"""`lessonbook review` of one new lesson against N synthetic lessons: the 5-second promise.

    python benchmarks/bench_review.py [--lessons 10000] [--repeat 3]

Writes N lessons (benchmarks/synthetic.py, the build benchmark's ~600-word lessons) and one new
lesson into a temporary git repository, commits the N on `main` and the new one on a branch,
then times the real command in a fresh process, as a pull request runs it:
`lessonbook review --changed-from main --format markdown`, first with an empty review cache
(what a CI job without a cached folder pays), then warm (an author's second run, or CI with
the cache folder kept), then warm after the new lesson was edited (a later push to the pull
request: the cache was written for another state of the branch), and with --no-cache.
Each run's wall and CPU (user + system) seconds, and the machine's load.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import synthetic

GIT = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.invalid",
       "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.invalid"}


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True,
                   env={**os.environ, **GIT})


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _time(root: Path, *extra: str) -> tuple[float, float, str]:
    before = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "lessonbook.cli.main", "review",
                           "--changed-from", "main", "--format", "markdown", *extra],
                          cwd=root, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(done.stderr)
    return wall, _children_cpu() - before, done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "mkdocs.yml").write_text("site_name: Bench\ndocs_dir: docs\n"
                                         "site_url: https://lessons.example.com/\n"
                                         "plugins:\n  - lessonbook\n", encoding="utf-8")
        synthetic.write_lessons(root / "docs", args.lessons, minimal=True)
        _git(root, "init", "-q", "-b", "main")
        _git(root, "add", ".")
        _git(root, "commit", "-q", "-m", "base")
        _git(root, "switch", "-q", "-c", "lesson")
        rel, text = synthetic.minimal_lesson(args.lessons, random.Random(99),
                                             synthetic.Corpus(random.Random(7)))
        target = root / "docs" / rel.replace("syn-", "new-")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text.replace(f"syn-{args.lessons:05d}", "new-00001"),
                          encoding="utf-8")
        _git(root, "add", ".")
        _git(root, "commit", "-q", "-m", "new lesson")
        cache = root / "cache"
        results: dict[str, list[tuple[float, float]]] = {
            "cold cache": [], "warm cache": [], "warm, lesson edited since": [], "no cache": []}
        original = target.read_text(encoding="utf-8")
        for round_ in range(args.repeat):
            for path in cache.glob("review-*"):
                path.unlink()
            wall, cpu, out = _time(root, "--cache-dir", str(cache))
            results["cold cache"].append((wall, cpu))
            wall, cpu, _ = _time(root, "--cache-dir", str(cache))
            results["warm cache"].append((wall, cpu))
            target.write_text(f"{original}\nA later note, round {round_}.\n", encoding="utf-8")
            wall, cpu, _ = _time(root, "--cache-dir", str(cache))
            results["warm, lesson edited since"].append((wall, cpu))
            target.write_text(original, encoding="utf-8")
            wall, cpu, _ = _time(root, "--no-cache")
            results["no cache"].append((wall, cpu))
        size = sum(p.stat().st_size for p in cache.glob("review-*"))
        print(f"lessonbook review --changed-from main, 1 new lesson against {args.lessons} "
              f"(fresh process; load average {os.getloadavg()[0]:.1f}):")
        for name, runs in results.items():
            walls, cpus = [w for w, _ in runs], [c for _, c in runs]
            print(f"  {name}: wall best {min(walls):.2f} s, worst {max(walls):.2f} s; CPU "
                  f"best {min(cpus):.2f} s, worst {max(cpus):.2f} s")
        print(f"  cache file: {size / 1e6:.1f} MB")
        print(f"  similar incidents found: {out.count(' — ')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
