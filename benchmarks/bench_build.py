"""The whole build at scale: Lessonbook against the theme it sits on, on the same files.

    python benchmarks/bench_build.py [--sizes 1000,5000,10000] [--runs 1] [--lint-lessons 2000]
                                     [--long-tail] [--builds bare,lessonbook-nopagefind,...]

For each size, writes N synthetic lessons (benchmarks/synthetic.py: minimal front-matter, about
600 words, ids by kind and year as real bases spell them, out of the nav) under
benchmarks/out/build/<N>/ (kept between runs: the same seed gives the same files), then builds
them with

* bare: MkDocs + Material + its search plugin, the lessons kept out of the nav (`not_in_nav`);
* lessonbook: the lessonbook plugin with its defaults (lint, registry, similar incidents,
  Explore and the header box on Pagefind, exports) and without Material's search plugin, as the
  example site is configured (issue #25), with `timings: true` when the plugin has it;

--long-tail: one lesson in ten has about 4,000 words (real collections have such a tail),
written under benchmarks/out/build/<N>-long-tail/.

Besides the whole tree, it prints the search indexer's peak alone: the `pagefind` processes in
the tree (the parts are indexed one process at a time) and the child that joins their parts
into one index (`python -m lessonbook.site.pagefind_merge`, after the last part), each
process's own peak (VmHWM, so a peak between two samples is not missed), summed over those
alive at once; and the two kinds apart.

alternating the two in one session (bare first on odd runs, Lessonbook first on even ones), each
`mkdocs build` in a fresh process. It prints, per build, the wall time and the peak resident
memory of the whole process tree — MkDocs plus children such as the Pagefind service — found by
summing VmRSS over the tree every 0.1 s (GNU time's %M and getrusage's ru_maxrss give the largest
single process instead), the CPU time (user + system) of MkDocs and the children it waited for
(steadier than wall time on a shared machine), the size of the output, the ratios
Lessonbook/bare and Lessonbook's own time per phase as the plugin logs it. With --lint-lessons it
also times the blameless lint alone, in this process, on that many lessons (best of three).

The machine may be shared: alternate runs and compare ratios rather than absolute seconds.
--builds picks the builds and their environment, `[label@]config[:VAR=value[+VAR=value]]`
(config: bare, lessonbook, lessonbook-nopagefind), to compare a switch or another checkout in
the same alternating session; each build also reports the tree's peak PSS (shared pages
counted once). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
from synthetic import lesson_sources, write_lessons  # noqa: E402

OUT = REPO / "benchmarks" / "out" / "build"
PAGE = os.sysconf("SC_PAGE_SIZE")
TIMING_ROW = re.compile(r"^\s*(?P<phase>\S.*?)\s+(?P<seconds>\d+\.\d+) s"
                        r"\s+(?P<count>\d+) lessons?\s*$")


@dataclass
class Build:
    """One `mkdocs build`: what it cost and what Lessonbook said about its phases."""

    name: str
    seconds: float
    peak_tree: int
    """Largest sum of resident memory over the process and its descendants, in bytes."""
    peak_main: int
    """Largest resident memory of the MkDocs process alone, in bytes."""
    peak_indexer: int
    """The search indexer's peak, in bytes: the largest sum of peak resident memory (VmHWM)
    over the tree's indexer processes alive at once — the `pagefind` processes and the child
    joining their parts (`python -m lessonbook.site.pagefind_merge`)."""
    peak_pss: int
    """Largest sum of proportional set size over the tree: memory shared between processes
    (a forked worker's inherited pages) counted once, not once per process as RSS counts it."""
    output: int
    cpu: float
    """User + system CPU seconds of the process and the children it waited for (Pagefind)."""
    phases: dict[str, tuple[float, int]] = field(default_factory=dict)
    peak_pagefind: int = 0
    """The indexer's peak over the `pagefind` processes alone."""
    peak_join: int = 0
    """The indexer's peak over the joining child alone."""
    load: float = 0.0
    """The 1-minute load average when the build ended."""


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                text = stat.read()
        except OSError:
            continue
        # the command name (field 2) may contain spaces and parentheses: split after the last ')'
        ppid = int(text[text.rindex(b")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


JOIN_MODULE = b"lessonbook.site.pagefind_merge"
"""The module the build runs in a child process to join the index's parts into one index
(site/pagefind_merge.py): part of the search indexer, though its command name is Python's."""


def indexer_kind(pid: int) -> str | None:
    """"pagefind" for a Pagefind process, "join" for the child joining the index's parts, None
    for anything else. Not cached: a child forked to run the join reads as its parent (MkDocs)
    until it executes the join."""
    try:
        with open(f"/proc/{pid}/comm", "rb") as comm:
            if b"pagefind" in comm.read():
                return "pagefind"
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            if JOIN_MODULE in cmdline.read().split(b"\0"):
                return "join"
    except OSError:
        pass
    return None


def _high_water(pid: int) -> int:
    """The process's own peak resident memory so far (VmHWM), in bytes: catches a peak that
    falls between two samples."""
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


def tree_rss(root: int, indexer: dict[str, int] | None = None, pss: list[int] | None = None
             ) -> tuple[int, int]:
    """(resident bytes of root and all its descendants, of root alone), now. With a dict for
    indexer, sets in it the peak resident bytes (VmHWM) of the tree's search-indexer processes
    alive now, summed by kind ("pagefind", "join") and in all ("all"); the build runs them one
    after the other, so the sum is the one running's own peak. With a list for pss, appends the
    tree's proportional set size."""
    children = _children_map()
    total, shared, stack = 0, 0, [root]
    found = {"pagefind": 0, "join": 0, "all": 0}
    while stack:
        pid = stack.pop()
        rss = _rss(pid)
        total += rss
        if pss is not None:
            shared += _pss(pid)
        if indexer is not None and pid != root and (kind := indexer_kind(pid)) is not None:
            peak = max(rss, _high_water(pid))
            found[kind] += peak
            found["all"] += peak
        stack.extend(children.get(pid, ()))
    if indexer is not None:
        indexer.update(found)
    if pss is not None:
        pss.append(shared)
    return total, _rss(root)


class Sampler(threading.Thread):
    """Polls a process tree's resident memory until stopped; keeps the peaks."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_tree = self.peak_main = self.peak_indexer = self.peak_pss = 0
        self.peak_pagefind = self.peak_join = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            indexer: dict[str, int] = {}
            pss: list[int] = []
            tree, main = tree_rss(self.pid, indexer, pss)
            self.peak_pss = max(self.peak_pss, pss[0])
            self.peak_tree = max(self.peak_tree, tree)
            self.peak_main = max(self.peak_main, main)
            self.peak_indexer = max(self.peak_indexer, indexer["all"])
            self.peak_pagefind = max(self.peak_pagefind, indexer["pagefind"])
            self.peak_join = max(self.peak_join, indexer["join"])
            self.done.wait(self.interval)


def folder_bytes(path: Path) -> int:
    total = 0
    for dirpath, _dirs, files in os.walk(path):
        total += sum(os.path.getsize(os.path.join(dirpath, f)) for f in files)
    return total


def plugin_has_timings() -> bool:
    """Whether the lessonbook on the path knows `timings:` (older checkouts do not)."""
    try:  # options are declared once, in the core (model/options.py)
        import dataclasses

        from lessonbook.model.options import Options
    except ImportError:
        try:  # older checkouts declared them on the MkDocs config class
            from lessonbook.mkdocs_adapter.config import LessonbookConfig
        except ImportError:
            return False
        return any(name == "timings" for name, _ in LessonbookConfig._schema)
    return any(f.name == "timings" for f in dataclasses.fields(Options))


def write_project(n: int, seed: int, words: int, long_tail: bool = False) -> Path:
    """The lessons and both configurations under OUT/<n>[-long-tail]/, written once per
    (n, seed, words, long_tail)."""
    root = OUT / (f"{n}-long-tail" if long_tail else str(n))
    stamp = root / "generated.txt"
    wanted = f"n={n} seed={seed} words={words} long_tail={long_tail} ids=kind\n"
    if not (stamp.exists() and stamp.read_text() == wanted):
        shutil.rmtree(root, ignore_errors=True)
        docs = root / "docs"
        write_lessons(docs, n, seed, minimal=True, words=words, long_tail=long_tail,
                      kind_ids=True)
        (docs / "index.md").write_text("# Build benchmark\n\nSynthetic lessons.\n",
                                       encoding="utf-8")
        stamp.write_text(wanted)
    theme = {"name": "material", "font": False, "features": ["navigation.instant"]}
    lessonbook: dict[str, Any] = {"lesson_dirs": ["lessons"], "build_date": "2026-01-01"}
    if plugin_has_timings():
        lessonbook["timings"] = True
    quiet = dict(lessonbook, search={"pagefind": False})
    for name, plugins in (("bare", ["search"]),
                          ("lessonbook", [{"lessonbook": lessonbook}]),
                          ("lessonbook-nopagefind", [{"lessonbook": quiet}])):
        config = {"site_name": f"Build benchmark ({name})", "docs_dir": "docs",
                  "site_dir": f"site-{name}", "not_in_nav": "/lessons/", "theme": theme,
                  "plugins": plugins}
        (root / f"mkdocs-{name}.yml").write_text(yaml.safe_dump(config, sort_keys=False),
                                                 encoding="utf-8")
    return root


def parse_phases(log: str) -> dict[str, tuple[float, int]]:
    """Rows of the table the plugin logs after 'lessonbook timings'."""
    phases: dict[str, tuple[float, int]] = {}
    lines = log.splitlines()
    starts = [i for i, line in enumerate(lines) if "lessonbook timings" in line]
    if not starts:
        return phases
    for line in lines[starts[-1] + 1:]:
        row = TIMING_ROW.match(line)
        if row is None:
            break
        phases[row["phase"]] = (float(row["seconds"]), int(row["count"]))
    return phases


def build(root: Path, name: str, env_extra: dict[str, str] | None = None,
          label: str | None = None) -> Build:
    """One `mkdocs build -f mkdocs-<name>.yml` in a fresh process, with ``env_extra`` added to
    the environment (e.g. a speed switch turned off); reported under ``label``."""
    label = label or name
    site = root / f"site-{name}"
    shutil.rmtree(site, ignore_errors=True)  # not part of the timed build
    log_path = root / f"build-{name}.log"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **(env_extra or {}))
    with open(log_path, "w", encoding="utf-8") as log:
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "-f",
                                    f"mkdocs-{name}.yml"], cwd=root, env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
        sampler = Sampler(process.pid)
        sampler.start()
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = code = os.waitstatus_to_exitcode(status)
        sampler.done.set()
        sampler.join()
    text = log_path.read_text(encoding="utf-8")
    if code != 0:
        raise SystemExit(f"{name} build failed (exit {code}); see {log_path}:\n{text[-3000:]}")
    return Build(label, seconds, sampler.peak_tree, sampler.peak_main, sampler.peak_indexer,
                 sampler.peak_pss, folder_bytes(site),
                 usage.ru_utime + usage.ru_stime, parse_phases(text), sampler.peak_pagefind,
                 sampler.peak_join, os.getloadavg()[0])


def parse_builds(spec: str) -> list[tuple[str, str, dict[str, str]]]:
    """``--builds``: comma-separated ``[label@]config[:VAR=value[+VAR=value]]`` → (label,
    config, environment). The config is one of the project's mkdocs-<config>.yml (bare,
    lessonbook, lessonbook-nopagefind); the label is the item itself unless given.
    ``before@lessonbook:PYTHONPATH=/tmp/old/plugins`` builds with another checkout."""
    builds = []
    for item in (x.strip() for x in spec.split(",") if x.strip()):
        label, _, rest = item.rpartition("@")
        config, _, assignments = rest.partition(":")
        env = dict(a.split("=", 1) for a in assignments.split("+") if "=" in a)
        builds.append((label or item, config, env))
    return builds


def lint_alone(n: int, seed: int, words: int, repeat: int = 3) -> tuple[float, float, int]:
    """Best wall and CPU time of the blameless lint over n lessons, in this process (CPU time
    moves less on a shared machine); and its findings."""
    from lessonbook.analysis.lint import LintOptions, lint_lessons
    from lessonbook.load.knowledge_base import KnowledgeBase

    kb = KnowledgeBase.from_sources(lesson_sources(n, seed, words=words))
    teams = {team for lesson in kb.lessons for team in lesson.teams}
    best = best_cpu = float("inf")
    found = 0
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        found = len(lint_lessons(kb.lessons, LintOptions(), teams))
        best = min(best, time.perf_counter() - started)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return best, best_cpu, found


def mb(n: float) -> str:
    return f"{n / 1024 / 1024:,.0f} MB"


def report(n: int, builds: list[Build], long_tail: bool = False) -> None:
    labels = list(dict.fromkeys(b.name for b in builds))
    bare = [b for b in builds if b.name == "bare"]
    shape = " (long tail: one in ten ~4,000 words)" if long_tail else ""
    print(f"\n{n:,} lessons{shape}, {len(bare) or 1} run(s) each (median where several):")
    print(f"  {'build':12} {'wall':>9} {'CPU':>9} {'peak RSS, tree':>15} {'(MkDocs alone)':>15} "
          f"{'output':>9}")
    for name in labels:
        group = [b for b in builds if b.name == name]
        print(f"  {name:12} {statistics.median(b.seconds for b in group):8.1f}s "
              f"{statistics.median(b.cpu for b in group):8.1f}s "
              f"{mb(statistics.median(b.peak_tree for b in group)):>15} "
              f"{mb(statistics.median(b.peak_main for b in group)):>15} "
              f"{mb(statistics.median(b.output for b in group)):>9}")
        print(f"  {'':12} peak PSS, tree (shared pages counted once): "
              f"{mb(statistics.median(b.peak_pss for b in group))}")
        if name != "bare":
            print(f"  {'':12} search indexer alone (pagefind processes and the join child): "
                  f"peak {mb(statistics.median(b.peak_indexer for b in group))} (pagefind "
                  f"{mb(statistics.median(b.peak_pagefind for b in group))}, join "
                  f"{mb(statistics.median(b.peak_join for b in group))})")
        if len(group) > 1:
            print(f"  {'':12} runs: " + ", ".join(
                f"{b.seconds:.1f} s, CPU {b.cpu:.1f} s, {mb(b.peak_tree)}" for b in group))
    for name in labels:
        ours = [b for b in builds if b.name == name]
        if name == "bare" or len(ours) != len(bare) or not bare:
            continue
        pairs = list(zip(ours, bare, strict=True))  # the runs of one round, side by side
        ratio_time = statistics.median(o.seconds / b.seconds for o, b in pairs)
        ratio_rss = statistics.median(o.peak_tree / b.peak_tree for o, b in pairs)
        ratio_main = statistics.median(o.peak_main / b.peak_main for o, b in pairs)
        ratio_cpu = statistics.median(o.cpu / b.cpu for o, b in pairs)
        ratio_pss = statistics.median(o.peak_pss / max(b.peak_pss, 1) for o, b in pairs)
        print(f"  ratio {name}/bare: wall {ratio_time:.2f}x, CPU {ratio_cpu:.2f}x, "
              f"peak RSS {ratio_rss:.2f}x (MkDocs alone {ratio_main:.2f}x, tree PSS "
              f"{ratio_pss:.2f}x)")
    for name in labels:
        ours = [b for b in builds if b.name == name]
        phases = ours[-1].phases if ours else {}
        if name == "bare" or not phases:
            continue
        print(f"  {name}: phases (last run; from its `timings: true` log):")
        for phase, (seconds, count) in phases.items():
            share = (" in another process " if phase.endswith(", alongside") else
                     f"{seconds / ours[-1].seconds * 100:5.1f} % of the build")
            print(f"    {phase:21} {seconds:8.2f} s {share} {count:7,} lessons")
    sys.stdout.flush()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,10000",
                        help="comma-separated numbers of lessons (default 1000,5000,10000)")
    parser.add_argument("--runs", type=int, default=1, help="alternating runs per size")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--words", type=int, default=600, help="words per lesson body")
    parser.add_argument("--builds", default="bare,lessonbook",
                        help="comma-separated builds, each "
                             "[label@]config[:VAR=value[+VAR=value]] with "
                             "config bare, lessonbook or lessonbook-nopagefind (Pagefind off) "
                             "and environment variables set for it, e.g. "
                             "lessonbook-nopagefind:LESSONBOOK_REFERENCE=1")
    parser.add_argument("--long-tail", action="store_true",
                        help="one lesson in ten about 4,000 words")
    parser.add_argument("--lint-lessons", type=int, default=2000,
                        help="time the lint alone on this many lessons (0: skip)")
    args = parser.parse_args()
    import lessonbook

    print(f"lessonbook from {Path(lessonbook.__file__).parent}; "
          f"load average {os.getloadavg()[0]:.2f} at start", flush=True)
    if args.lint_lessons:
        seconds, cpu, found = lint_alone(args.lint_lessons, args.seed, args.words)
        print(f"lint alone, {args.lint_lessons:,} lessons: {seconds:.3f} s, CPU {cpu:.3f} s "
              f"(best of 3, {found} findings)", flush=True)
    for n in (int(x) for x in args.sizes.split(",") if x.strip()):
        root = write_project(n, args.seed, args.words, args.long_tail)
        print(f"\n{n:,} lessons under {root} ...", flush=True)
        builds = []
        wanted = parse_builds(args.builds)
        for run in range(args.runs):  # the order reversed every other run
            for label, config, env in (wanted if run % 2 == 0 else wanted[::-1]):
                result = build(root, config, env, label)
                builds.append(result)
                print(f"  run {run + 1} {label:10} {result.seconds:7.1f} s  CPU {result.cpu:7.1f} s"
                      f"  {mb(result.peak_tree)} (MkDocs {mb(result.peak_main)}, PSS "
                      f"{mb(result.peak_pss)}, indexer {mb(result.peak_indexer)}: pagefind "
                      f"{mb(result.peak_pagefind)}, join {mb(result.peak_join)}; load "
                      f"{os.getloadavg()[0]:.2f})", flush=True)
        report(n, builds, args.long_tail)
    return 0


if __name__ == "__main__":
    sys.exit(main())
