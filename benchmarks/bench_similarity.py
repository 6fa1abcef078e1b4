"""Similar incidents: quality on real postmortems and time at 1k / 10k synthetic lessons.

    python benchmarks/bench_similarity.py [--corpus ../shared/corpus] [--sizes 1000 10000]

Quality: the corpus is imported (lessonbook import) into a temporary knowledge base; for each
group of incidents judged related by reading them, it prints how many of each member's
group-mates appear in its top 5, for the full method and for a baseline that ranks only by the
number of shared tags (ties by id, as the method breaks ties).
Time: SimilarityIndex on synthetic lessons (topic words drawn over a Zipf-distributed shared
vocabulary, varied lengths, tags/services from pools), and, for comparison, a pure-Python
inverted-index scorer over the same vectors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from lessonbook.analysis.similarity import SimilarityIndex, SimilarSettings
from lessonbook.authoring.importer import import_files
from lessonbook.load.knowledge_base import KnowledgeBase
from lessonbook.model.lesson import Lesson

REPO = Path(__file__).resolve().parent.parent
GROUPS: dict[str, list[str]] = {
    "KIAM": ["PM2020-002", "PM2020-009"],
    "503 series": ["PM2021-005", "PM2021-006", "PM2021-007"],
    "Flux bumps": ["PM2021-002", "PM2021-003"],
    "CloudWatch logs": ["PM2021-001", "PM2022-002", "PM2023-002"],
    "Kafka metrics": ["PM2022-004", "PM2022-007"],
    "Flags outages": ["2025-09-29-flags-is-down", "2025-10-21-feature-flags-recurring-outages",
                      "2024-02-28-decide-is-down"],
    "Nodes NotReady": ["PM2020-007", "PM2022-003", "PM2024-001", "PM2025-001"],
    "ADSync": ["PM2020-003", "PM2020-006"],
    "Supply chain/security": ["PM2021-011", "PM2022-005", "2025-11-26-shai-hulud-attack"],
    "EKS AMI": ["PM2022-009", "PM2024-002"],
    "Ingress/Traefik": ["PM2021-008", "PM2021-009", "PM2021-010", "PM2025-002"],
    "ALB": ["PM2020-005", "PM2022-006"],
    "Hellman 2019": ["PM2019-010", "PM2019-011"],
}


def load_corpus(corpus: Path) -> KnowledgeBase:
    with tempfile.TemporaryDirectory() as tmp:
        sources = [p for p in sorted(corpus.iterdir()) if p.is_dir()]
        import_files(sources, tmp)
        files = [(p.relative_to(tmp).as_posix(), p.read_bytes())
                 for p in sorted(Path(tmp).rglob("*.md"))]
    return KnowledgeBase.from_sources(files)


def tag_baseline(lessons: list[Lesson], k: int) -> dict[str, list[str]]:
    out = {}
    for me in lessons:
        mine = {t.casefold() for t in me.tags}
        scored = [(-len(mine & {t.casefold() for t in o.tags}), o.id)
                  for o in lessons if o.id != me.id]
        out[me.id] = [i for s, i in sorted(scored) if s < 0][:k]
    return out


def quality(kb: KnowledgeBase, k: int = 5) -> None:
    index = SimilarityIndex(kb.lessons, SimilarSettings(count=k))
    method = {x.id: [link.id for link in index.similar(x.id)] for x in kb.lessons}
    base = tag_baseline(kb.lessons, k)
    print(f"Quality: {len(kb.lessons)} imported lessons, top {k}; "
          "'found' = group-mates in a member's top k, summed over members")
    print(f"{'group':24} {'pairs':>5} {'method':>7} {'tags only':>9} {'ratio':>6}")
    total_m = total_b = total = 0
    for name, members in GROUPS.items():
        members = [m for m in members if m in kb.by_id]
        pairs = len(members) * (len(members) - 1)
        found_m = sum(len(set(method[m]) & (set(members) - {m})) for m in members)
        found_b = sum(len(set(base[m]) & (set(members) - {m})) for m in members)
        total_m, total_b, total = total_m + found_m, total_b + found_b, total + pairs
        ratio = f"{found_m / found_b:.2f}" if found_b else ("inf" if found_m else "-")
        print(f"{name:24} {pairs:5} {found_m:7} {found_b:9} {ratio:>6}")
    print(f"{'all groups':24} {total:5} {total_m:7} {total_b:9} "
          f"{(total_m / total_b if total_b else float('inf')):6.2f}")
    print(f"recall@{k}: method {total_m / total:.2f}, tags only {total_b / total:.2f}")


# --- synthetic scale -------------------------------------------------------------------------
def synthetic(n: int, seed: int = 7) -> list[Lesson]:
    rng = random.Random(seed)
    syll = ["ka", "lo", "mi", "ne", "ra", "ti", "su", "ve", "do", "pe", "zu", "qa", "fi", "ho",
            "gen", "tor", "lan", "mer", "dis", "cor", "bal", "sen", "tri", "pol"]

    def word() -> str:
        return "".join(rng.choice(syll) for _ in range(rng.randint(2, 4)))

    common = list(dict.fromkeys(word() for _ in range(6000)))
    zipf = [1 / (r + 1) for r in range(len(common))]
    topics = [[word() for _ in range(40)] for _ in range(300)]
    tags = [word() for _ in range(80)]
    services = [word() for _ in range(150)]
    lessons = []
    for i in range(n):
        topic = topics[rng.randrange(len(topics))]
        body_len = rng.randint(150, 900)
        words = rng.choices(common, weights=zipf, k=body_len)
        words += rng.choices(topic, k=body_len // 8)
        rng.shuffle(words)
        lines = [" ".join(words[j:j + 14]) + "." for j in range(0, len(words), 14)]
        body = "## Summary\n\n" + "\n".join(lines[:3]) + "\n\n## Timeline\n\n| Time | Event |\n" \
            "| --- | --- |\n" + "\n".join(f"| 10:{m:02} | {line} |" for m, line in
                                        enumerate(lines[3:8])) + "\n\n" + "\n\n".join(lines[8:])
        lessons.append(Lesson(
            id=f"syn-{i:05}", title=" ".join(rng.choices(topic, k=3) + rng.choices(common[:300],
                                                                                   k=3)),
            kind="postmortem", date=dt.date(2020, 1, 1) + dt.timedelta(days=i % 2000),
            path=f"syn-{i:05}.md", body=body, summary=" ".join(lines[:2]),
            tags=rng.sample(tags, rng.randint(0, 4)),
            services=rng.sample(services, rng.randint(0, 2)),
            categories=rng.sample(["capacity", "configuration", "dependency"], rng.randint(0, 2)),
            failure_type=rng.choice([None, "preventable", "complexity"]),
        ))
    return lessons


def pure_python_scores(vectors: list[dict[str, float]], k: int) -> float:
    """All pairs by an inverted index in plain Python (the alternative to scipy); seconds."""
    start = time.perf_counter()
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for doc, vec in enumerate(vectors):
        for term, w in vec.items():
            postings[term].append((doc, w))
    for doc, vec in enumerate(vectors):
        acc: dict[int, float] = defaultdict(float)
        for term, w in vec.items():
            for other, w2 in postings[term]:
                acc[other] += w * w2
        acc.pop(doc, None)
        sorted(acc.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
    return time.perf_counter() - start


def timing(sizes: list[int], python_max: int) -> None:
    print("\nTime (SimilarityIndex: tokenize + tf-idf + scipy sparse products + top-k; "
          "reasons for every link):")
    for n in sizes:
        lessons = synthetic(n)
        start, cpu = time.perf_counter(), time.process_time()
        index = SimilarityIndex(lessons)
        built, built_cpu = time.perf_counter() - start, time.process_time() - cpu
        for lesson in lessons:
            index.similar(lesson.id)
        total, total_cpu = time.perf_counter() - start, time.process_time() - cpu
        line = (f"  {n:6} lessons: index {built:6.2f} s (CPU {built_cpu:5.2f} s), "
                f"with all reasons {total:6.2f} s (CPU {total_cpu:5.2f} s)")
        if n <= python_max:
            seconds = pure_python_scores([index.vector(x.id) for x in lessons], 5)
            line += f"; pure-Python inverted index (scores only) {seconds:6.2f} s"
        print(line)
        sys.stdout.flush()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default=str(REPO.parent / "shared" / "corpus"))
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--python-max", type=int, default=0,
                        help="largest size to time the pure-Python scorer at (slow: ~30 s "
                             "at 1,000)")
    args = parser.parse_args()
    corpus = Path(args.corpus)
    if corpus.is_dir():
        quality(load_corpus(corpus))
    else:
        print(f"corpus not found at {corpus}; skipping the quality table")
    timing(args.sizes, args.python_max)
    return 0


if __name__ == "__main__":
    sys.exit(main())
