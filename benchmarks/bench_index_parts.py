"""The search indexer's peak memory alone (the Pagefind processes and the process joining their
parts into one index, not MkDocs): the synthetic lessons' search documents through the build's
parted index (site/pagefind_parts.py, site/pagefind_merge.py).

    python benchmarks/bench_index_parts.py --lessons 10000 --pages-per-part 1000 [--long-tail]

--long-tail: one lesson in ten has about 4,000 words, as in real collections. The time printed
includes converting the Markdown here; the peak is the figure to compare across sizes.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import threading
import time
from pathlib import Path

import markdown

import synthetic
from bench_build import tree_rss
from lessonbook.load.knowledge_base import KnowledgeBase
from lessonbook.model.vocabulary import Settings
from lessonbook.site.pagefind_parts import plan_parts
from lessonbook.site.search import search_document
from lessonbook.site.search_indexing import start_parts


class ChildPeak(threading.Thread):
    """The indexer's peak among this process's descendants, sampled every 50 ms: the Pagefind
    processes and the join child, each by its own high-water mark (bench_build.tree_rss)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = self.pagefind = self.join = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            found: dict[str, int] = {}
            tree_rss(os.getpid(), found)
            self.peak = max(self.peak, found["all"])
            self.pagefind = max(self.pagefind, found["pagefind"])
            self.join = max(self.join, found["join"])
            time.sleep(0.05)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", type=int, default=1000)
    parser.add_argument("--pages-per-part", type=int, default=1000)
    parser.add_argument("--long-tail", action="store_true")
    args = parser.parse_args()
    rng = random.Random(7)
    corpus = synthetic.Corpus(rng)
    sources = []
    for i in range(args.lessons):
        words = 4000 if args.long_tail and i % 10 == 0 else 600
        path, text = synthetic.minimal_lesson(i, rng, corpus, words)
        sources.append((path, text.encode()))
    kb = KnowledgeBase.from_sources(sources, Settings())
    output = Path(tempfile.mkdtemp(prefix="bench-index-")) / "pagefind"
    index, why = start_parts(output.parent, output, plan_parts(kb.lessons, args.pages_per_part))
    if index is None:
        print(f"pagefind unavailable: {why}")
        return 1
    watch = ChildPeak()
    watch.start()
    started = time.perf_counter()
    for lesson in kb.lessons:
        part = index.part_of(lesson.path)
        document = search_document(lesson, markdown.markdown(lesson.body), lesson.path, "en",
                                   part)
        index.add(document, "/" + lesson.path, part)
    result = index.finish()
    watch.done.set()
    shape = " (long tail)" if args.long_tail else ""
    print(f"{args.lessons} lessons{shape}, {args.pages_per_part} per part: {result.message}")
    print(f"indexer peak {watch.peak / 2**20:.0f} MB (pagefind {watch.pagefind / 2**20:.0f} MB, "
          f"join {watch.join / 2**20:.0f} MB); {time.perf_counter() - started:.1f} s")
    return 0 if result.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
