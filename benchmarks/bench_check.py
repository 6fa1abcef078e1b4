"""`lessonbook check` on N synthetic lessons: is it the couple of seconds authors were promised?

    python benchmarks/bench_check.py [--lessons 1000] [--repeat 3]

Writes N realistic postmortems (full front-matter: impact, contributing factors, follow-ups, a
rule, related ids; a body of ~40 lines with a timeline) into a temporary folder with an
mkdocs.yml, then times the real command in a fresh process (`python -m lessonbook.cli.main check`,
interpreter start-up and imports included) and, separately, in-process.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lessonbook import cli

WORDS = ("pool", "retry", "timeout", "canary", "deploy", "cache", "queue", "replica", "failover",
         "certificate", "dns", "config", "flag", "rollout", "latency", "checkout", "payment",
         "search", "index", "shard")


def lesson(i: int, rng: random.Random) -> str:
    year = 2020 + i % 6
    words = " ".join(rng.choice(WORDS) for _ in range(6))
    related = f"related: [pm-{2020 + (i - 1) % 6}-{i - 1:04d}]\n" if i > 1 else ""
    timeline = "".join(f"| 14:{m:02d} | On-call SRE sees {rng.choice(WORDS)} alerts. |\n"
                       for m in range(12))
    body = ("## Summary\n\n" + f"The {words} change slowed checkout.\n" * 8
            + "\n## Timeline\n\n| Time | Event |\n|---|---|\n" + timeline
            + "\n## Contributing factors\n\n" + "- The canary did not cover configuration.\n" * 5
            + "\n## What we changed\n\n" + "We added a canary stage for configuration.\n" * 6)
    return f"""---
id: pm-{year}-{i:04d}
title: "Checkout slowed after {words}"
type: postmortem
date: {year}-0{1 + i % 9}-1{i % 10}
summary: >-
  A {words} change cut the pool before the replicas shipped; retries multiplied demand and
  14% of checkouts failed for 47 minutes.
severity: SEV{1 + i % 4}
status: reviewed
tags: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]
services: [checkout, postgres]
teams: [checkout-team, platform]
failure_type: complexity
categories: [configuration, capacity]
defense_layers: [technology, process]
time_to_detect: 9m
time_to_recover: 47 minutes
impact:
  potential: All checkouts failing.
  actual: 14% of checkout attempts failed.
  customers_affected: 3900
contributing_factors:
  - The pool change and the replica change shipped separately.
  - Configuration skipped the canary stage.
  - Retries tripled demand on the pool.
follow_ups:
  - action: Add a canary stage to the values pipeline.
    owner: platform
    due: {year}-12-01
    status: done
  - action: Add pool wait panels to the dashboard.
    owner: checkout-team
    due: {year}-12-15
rules:
  - id: rule-{i:04d}
    if: A change alters pool, timeout or retry settings.
    then: Roll it out to one canary region first.
{related}---
{body}"""


def _children_cpu() -> float:
    """User + system seconds of the finished child processes (and the workers they waited for):
    steadier than wall time on a shared, loaded machine."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="cProfile the in-process run")
    args = parser.parse_args()
    rng = random.Random(6)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "mkdocs.yml").write_text("site_name: Bench\ndocs_dir: lessons\n"
                                         "plugins:\n  - lessonbook\n", encoding="utf-8")
        for i in range(1, args.lessons + 1):
            target = root / "lessons" / str(2020 + i % 6) / f"pm-{i:04d}.md"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(lesson(i, rng), encoding="utf-8")
        times, cpus = [], []
        for _ in range(args.repeat):
            before = _children_cpu()
            start = time.perf_counter()
            result = subprocess.run([sys.executable, "-m", "lessonbook.cli.main", "check",
                                     "--format", "json"], cwd=root, capture_output=True,
                                    text=True)
            times.append(time.perf_counter() - start)
            cpus.append(_children_cpu() - before)
        summary = result.stdout[result.stdout.find('"summary"'):].split("}")[0]
        print(f"lessonbook check, {args.lessons} lessons, fresh process: "
              f"wall best {min(times):.2f} s, worst {max(times):.2f} s; "
              f"CPU (user+system, workers included) best {min(cpus):.2f} s, worst "
              f"{max(cpus):.2f} s (exit {result.returncode}; {' '.join(summary.split())}}})")
        import contextlib
        import io
        import os
        os.chdir(root)
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            if args.profile:
                import cProfile
                import pstats
                profiler = cProfile.Profile()
                profiler.runcall(cli.main, ["check"])
            else:
                cli.main(["check"])
        if args.profile:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        print(f"in-process: {time.perf_counter() - start:.2f} s")
        os.chdir("/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
