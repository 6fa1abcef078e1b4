"""Similar incidents: quality on real postmortems and time at 1k / 10k synthetic lessons.

    python benchmarks/bench_similarity.py [--corpus ../shared/corpus] [--sizes 1000 10000]

Quality: the corpus is imported (lessonbook import) into a temporary knowledge base and the links
are scored against benchmarks/data/similarity-judgments.yaml (pairs judged by reading both
postmortems): precision@3 and recall@5 for the method and for two baselines, plain TF-IDF with a
title boost and ranking by shared tags.
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
from dataclasses import replace
from pathlib import Path

import numpy as np
import yaml
from scipy import sparse
from scipy.sparse.linalg import svds

from lessonbook.analysis.similarity import FIELDS, SimilarityIndex, SimilarSettings
from lessonbook.authoring.importer import import_files
from lessonbook.load.knowledge_base import KnowledgeBase
from lessonbook.model.lesson import Lesson
from similarity_eval import report as collections_report
from similarity_eval import tuning

REPO = Path(__file__).resolve().parent.parent
JUDGMENTS = Path(__file__).resolve().parent / "data" / "similarity-judgments.yaml"


def load_corpus(corpus: Path, dump: Path | None = None) -> KnowledgeBase:
    """The corpus imported as a user would (lessonbook import); with `dump`, the imported files
    are also written there, to be read when judging pairs."""
    with tempfile.TemporaryDirectory() as tmp:
        sources = [p for p in sorted(corpus.iterdir()) if p.is_dir()]
        import_files(sources, tmp)
        files = [(p.relative_to(tmp).as_posix(), p.read_bytes())
                 for p in sorted(Path(tmp).rglob("*.md"))]
    if dump is not None:
        for name, data in files:
            target = dump / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        print(f"imported files written to {dump}")
    return KnowledgeBase.from_sources(files)


def load_judgments(path: Path = JUDGMENTS, pooled: bool = True
                   ) -> tuple[set[str], dict[str, set[str]]]:
    """(lessons judged, lesson → the lessons judged relevant to it); judgments are symmetric.
    `pooled=False`: only the judgments written before pooling (the set as it was)."""
    pairs = yaml.safe_load(path.read_text(encoding="utf-8"))["pairs"]
    if not pooled:
        pairs = [p for p in pairs if not p.get("pooled")]
    judged: set[str] = set()
    relevant: dict[str, set[str]] = defaultdict(set)
    for pair in pairs:
        judged.update((pair["a"], pair["b"]))
        if pair["relevant"]:
            relevant[pair["a"]].add(pair["b"])
            relevant[pair["b"]].add(pair["a"])
    return judged, relevant


def tag_baseline(lessons: list[Lesson], k: int) -> dict[str, list[str]]:
    """Rank by the number of shared tags (ties by id), as a tag page would."""
    out = {}
    for me in lessons:
        mine = {t.casefold() for t in me.tags}
        scored = [(-len(mine & {t.casefold() for t in o.tags}), o.id)
                  for o in lessons if o.id != me.id]
        out[me.id] = [i for s, i in sorted(scored) if s < 0][:k]
    return out


def ranked(lessons: list[Lesson], settings: SimilarSettings) -> dict[str, list[str]]:
    index = SimilarityIndex(lessons, settings)
    return {x.id: [link.id for link in index.similar(x.id)] for x in lessons}


NO_CUT_OFF = {"min_score": 0.0, "min_relative": 0.0, "mutual": False, "max_drop": 0.0,
              "margin": 0.0}
PLAIN_TFIDF = SimilarSettings(
    weights={"text": 1.0, **{name: 0.0 for name in FIELDS}}, bigrams=False, stem=False,
    synonyms={}, summary_weight=1.0, title_weight=3.0, neighbour_weight=0.0, **NO_CUT_OFF)
"""Baseline: word TF-IDF cosine with the title counted 3x; no fields, pairs, stems, synonyms,
neighbour support or cut-off (the same text cleaning as the method)."""
BEFORE = SimilarSettings(min_relative=0.7, max_drop=0.0, neighbour_weight=0.0)
"""The method as it was before neighbour support and max_drop (issue #13 follow-up)."""


def fuse(runs: list[dict[str, list[str]]], k: int = 5, constant: int = 60
         ) -> dict[str, list[str]]:
    """Reciprocal rank fusion: Σ 1 / (constant + rank) over the rankings (full lists), ties by
    id; the first k."""
    out = {}
    for lesson_id in runs[0]:
        score: dict[str, float] = defaultdict(float)
        for run in runs:
            for rank, other in enumerate(run.get(lesson_id, []), start=1):
                score[other] += 1.0 / (constant + rank)
        out[lesson_id] = sorted(score, key=lambda x: (-score[x], x))[:k]
    return out


def candidates(kb: KnowledgeBase) -> dict[str, dict[str, list[str]]]:
    """Rankings tried for issue #13 besides the method's own (five links, no cut-offs): their
    first five links are in the judged pool. (BM25-style tf and section weights were pooled and
    measured too, at commit 281c56b, and left out: docs/similarity.md.)"""
    before = replace(BEFORE, **NO_CUT_OFF)
    every = len(kb.lessons) - 1
    full_before = ranked(kb.lessons, replace(before, count=every))
    full_now = ranked(kb.lessons, replace(SimilarSettings(), **NO_CUT_OFF, count=every))
    full_plain = ranked(kb.lessons, replace(PLAIN_TFIDF, count=every))
    return {
        "fusion: before + plain TF-IDF": fuse([full_before, full_plain]),
        "fusion: method + plain TF-IDF": fuse([full_now, full_plain]),
    }


def pool(kb: KnowledgeBase, runs: dict[str, dict[str, list[str]]], k: int = 5) -> None:
    """Print the pairs in any ranking's first k links that nobody has judged yet."""
    pairs = yaml.safe_load(JUDGMENTS.read_text(encoding="utf-8"))["pairs"]
    judged_pairs = {frozenset((p["a"], p["b"])) for p in pairs}
    found: dict[frozenset[str], list[str]] = defaultdict(list)
    for name, links in runs.items():
        for lesson_id, shown in links.items():
            for other in shown[:k]:
                pair = frozenset((lesson_id, other))
                if pair not in judged_pairs and name not in found[pair]:
                    found[pair].append(name)
    print(f"\nPool: {len(found)} pairs in some ranking's first {k} links not yet judged")
    for pair in sorted(found, key=sorted):
        a, b = sorted(pair)
        print(f"  {a} | {b} | {', '.join(found[pair])}")


def evaluate(links: dict[str, list[str]], judged: set[str], relevant: dict[str, set[str]]
             ) -> dict[str, float]:
    """precision@3: of the first (up to) 3 links shown for judged lessons, the share judged
    relevant (a link not judged relevant counts as wrong); recall@5: of the relevant pairs, the
    share found in the first 5; shown: links shown in the first 3, summed."""
    hits3 = shown3 = hits5 = wanted = lessons_right_first = with_links = 0
    for lesson_id in sorted(judged):
        mine = relevant.get(lesson_id, set())
        shown = links.get(lesson_id, [])
        hits3 += sum(1 for x in shown[:3] if x in mine)
        shown3 += len(shown[:3])
        hits5 += sum(1 for x in shown[:5] if x in mine)
        wanted += len(mine)
        if shown:
            with_links += 1
            lessons_right_first += shown[0] in mine
    return {"p@3": hits3 / shown3 if shown3 else 0.0, "r@5": hits5 / wanted if wanted else 0.0,
            "shown": shown3, "first": lessons_right_first / with_links if with_links else 0.0}


def score_matrix(lessons: list[Lesson], settings: SimilarSettings
                 ) -> tuple[list[str], np.ndarray, SimilarityIndex]:
    """(ids, every pair's score with no cut-off, the index): the ranking before any bar."""
    index = SimilarityIndex(lessons, replace(settings, count=max(len(lessons) - 1, 1),
                                             **NO_CUT_OFF))
    ids = [x.id for x in index.lessons]
    pos = {x: i for i, x in enumerate(ids)}
    scores = np.full((len(ids), len(ids)), -1.0)
    for i, lesson_id in enumerate(ids):
        for link in index.similar(lesson_id):
            scores[i, pos[link.id]] = link.score
    return ids, scores, index


def latent_scores(ids: list[str], index: SimilarityIndex, k: int) -> np.ndarray:
    """Cosine of the lessons' k-dimensional truncated-SVD vectors (of the tf-idf matrix)."""
    vectors = [index.vector(x) for x in ids]
    terms = {t: c for c, t in enumerate(sorted({t for v in vectors for t in v}))}
    rows = [r for r, v in enumerate(vectors) for _ in v]
    cols = [terms[t] for v in vectors for t in v]
    data = [w for v in vectors for w in v.values()]
    matrix = sparse.csr_matrix((data, (rows, cols)), shape=(len(ids), len(terms)))
    u, sv, _ = svds(matrix, k=k, random_state=0)
    latent = u * sv
    latent /= np.maximum(np.linalg.norm(latent, axis=1, keepdims=True), 1e-12)
    out = latent @ latent.T
    np.fill_diagonal(out, -1.0)
    return out


def cut(ids: list[str], scores: np.ndarray, k: int = 5, min_score: float = 0.0,
        min_relative: float = 0.0, window: int = 0) -> dict[str, list[str]]:
    """The method's three bars on any score matrix; `window` > 0: a link must be among the
    other lesson's `window` best (mutual is window = k)."""
    order = np.lexsort((np.broadcast_to(np.arange(len(ids)), scores.shape), -scores), axis=1)
    kth = -np.sort(-scores, axis=1)[:, window - 1] if window else None
    out = {}
    for i, lesson_id in enumerate(ids):
        top = order[i, :k]
        bar = max(min_score, scores[i, top[0]] * min_relative, 1e-9)
        out[lesson_id] = [ids[j] for j in top if scores[i, j] >= bar
                          and (kth is None or scores[i, j] >= kth[j])]
    return out


def two_tier(ids: list[str], confident: dict[str, list[str]], scores: np.ndarray, k: int = 5,
             floor: float = 0.0, after: int = 0) -> dict[str, list[str]]:
    """Confident links first, then "possibly related" ones by `scores` above `floor` up to k;
    with `after` > 0 the second tier is only shown below at least that many confident links."""
    order = np.lexsort((np.broadcast_to(np.arange(len(ids)), scores.shape), -scores), axis=1)
    out = {}
    for i, lesson_id in enumerate(ids):
        shown = list(confident.get(lesson_id, []))
        if len(shown) >= after:
            for j in order[i]:
                if len(shown) >= k or scores[i, j] < max(floor, 1e-9):
                    break
                if ids[j] not in shown and j != i:
                    shown.append(ids[j])
        out[lesson_id] = shown
    return out


def split_check(ids: list[str], scores: np.ndarray, index: SimilarityIndex, judged: set[str],
                relevant: dict[str, set[str]], trials: int = 10) -> None:
    """SVD blend with bars chosen on half of the judged lessons (the best recall@5 with
    precision@3 >= 0.8 there), scored on the other half; both ways, `trials` random halvings."""
    grid = [(m, r) for m in (0.2, 0.25, 0.3, 0.35) for r in (0.5, 0.6, 0.7, 0.8)]
    print("\nSplit check of the SVD blend (bars chosen on one half, scored on the other):")
    for k in (7, 10, 11):
        blend = 0.7 * scores + 0.3 * latent_scores(ids, index, k)
        np.fill_diagonal(blend, -1.0)
        links = {g: cut(ids, blend, min_score=g[0], min_relative=g[1]) for g in grid}
        rng = random.Random(3)
        held: list[dict[str, float]] = []
        for _ in range(trials):
            shuffled = sorted(judged)
            rng.shuffle(shuffled)
            half = len(shuffled) // 2
            a, b = set(shuffled[:half]), set(shuffled[half:])
            for train, test in ((a, b), (b, a)):
                ok = [g for g in grid if evaluate(links[g], train, relevant)["p@3"] >= 0.8]
                if ok:
                    best = max(ok, key=lambda g: evaluate(links[g], train, relevant)["r@5"])
                    held.append(evaluate(links[best], test, relevant))
        print(f"  k={k:2}: {len(held)} held-out halves, mean precision@3 "
              f"{np.mean([h['p@3'] for h in held]):.2f} (worst {min(h['p@3'] for h in held):.2f})"
              f", mean recall@5 {np.mean([h['r@5'] for h in held]):.2f}")


def variants(kb: KnowledgeBase, judged: set[str], relevant: dict[str, set[str]]) -> None:
    """Issue #13 follow-up: every variant tried to beat plain TF-IDF on recall@5 while keeping
    precision@3 >= 0.8 (docs/similarity.md reports them, kept or not)."""
    method = BEFORE
    ids, scores, index = score_matrix(kb.lessons, method)
    confident = ranked(kb.lessons, method)
    runs: dict[str, dict[str, list[str]]] = {}
    for floor in (0.0, 0.1, 0.12):
        runs[f"two tiers, method's tail above {floor}"] = two_tier(ids, confident, scores,
                                                                  floor=floor)
    for after in (2, 3):
        runs[f"two tiers, tail only under >= {after} confident"] = two_tier(
            ids, confident, scores, after=after)
    for window in (0, 3, 7, 10):
        for rel in (0.5, 0.6, 0.7):
            runs[f"window {window or 'off'}, min_relative {rel}"] = cut(
                ids, scores, min_score=method.min_score, min_relative=rel, window=window)
    base_weights = dict(method.weights)
    for tags in (0.0, 0.15, 0.5):
        tuned = replace(method, weights={**base_weights, "tags": tags})
        runs[f"tags weight {tags} (+ cut-offs)"] = ranked(kb.lessons, tuned)
        runs[f"tags weight {tags}, ranking only"] = ranked(kb.lessons, replace(tuned,
                                                                               **NO_CUT_OFF))
    for k in (5, 8, 10, 12, 15, 20):
        blend = 0.7 * scores + 0.3 * latent_scores(ids, index, k)
        np.fill_diagonal(blend, -1.0)
        runs[f"SVD k={k} 30 %, ranking only"] = cut(ids, blend)
        runs[f"SVD k={k} 30 %, min_score 0.3, rel 0.7"] = cut(ids, blend, min_score=0.3,
                                                              min_relative=0.7)
        runs[f"two tiers, SVD k={k} tail"] = two_tier(ids, confident, blend)
        runs[f"two tiers, SVD k={k} tail under >= 3"] = two_tier(ids, confident, blend,
                                                                 after=3)
    split_check(ids, scores, index, judged, relevant)
    print(f"\nVariants (issue #13 follow-up)\n{'variant':42} {'p@3':>5} {'r@5':>5} "
          f"{'first':>5} {'top 3':>5}")
    for name, links in runs.items():
        r = evaluate(links, judged, relevant)
        print(f"{name:42} {r['p@3']:5.2f} {r['r@5']:5.2f} {r['first']:5.2f} {r['shown']:5}")


def held_out(kb: KnowledgeBase, judged: set[str], relevant: dict[str, set[str]],
             trials: int = 25) -> None:
    """Split check of what was tuned: for each family of settings, the one with the best
    recall@5 at precision@3 >= 0.8 on a random half of the judged lessons, scored on the other
    half; both ways, `trials` halvings. "before": min_score x min_relative x mutual;
    "now": neighbour_weight x min_score x max_drop x min_relative (mutual on)."""
    families = {
        "before (bars only)": [
            replace(BEFORE, min_score=m, min_relative=r, mutual=u)
            for m in (0.1, 0.13, 0.16, 0.2) for r in (0.5, 0.6, 0.7, 0.8) for u in (True, False)],
        "now (neighbour support + max_drop)": [
            SimilarSettings(neighbour_weight=w, min_score=m, max_drop=d, min_relative=r)
            for w in (0.25, 0.5, 1.0) for m in (0.1, 0.13, 0.16) for d in (0.6, 0.7, 0.8)
            for r in (0.0, 0.5)],
    }
    rng = random.Random(3)
    halves = []
    for _ in range(trials):
        shuffled = sorted(judged)
        rng.shuffle(shuffled)
        a, b = set(shuffled[:len(shuffled) // 2]), set(shuffled[len(shuffled) // 2:])
        halves += [(a, b), (b, a)]
    print(f"\nHeld-out check ({len(halves)} halves: settings chosen on one half of the judged "
          "lessons, best recall@5 with precision@3 >= 0.8 there, scored on the other):")
    for name, grid in families.items():
        runs = [ranked(kb.lessons, settings) for settings in grid]
        scores = []
        for train, test in halves:
            fit = [evaluate(links, train, relevant) for links in runs]
            ok = [i for i, r in enumerate(fit) if r["p@3"] >= 0.8]
            if ok:
                best = max(ok, key=lambda i: (fit[i]["r@5"], fit[i]["p@3"]))
                scores.append(evaluate(runs[best], test, relevant))
        p3 = [r["p@3"] for r in scores]
        r5 = [r["r@5"] for r in scores]
        print(f"  {name:36} precision@3 mean {np.mean(p3):.2f} (worst {min(p3):.2f}, under "
              f"0.8 in {sum(p < 0.8 for p in p3)}), recall@5 mean {np.mean(r5):.2f} "
              f"(worst {min(r5):.2f})")


def quality(kb: KnowledgeBase, k: int = 5, show_variants: bool = False,
            show_pool: bool = False, show_held_out: bool = False) -> None:
    method = SimilarSettings(count=k)
    cut_offs = {"min_score": method.min_score, "min_relative": method.min_relative,
                "mutual": method.mutual, "max_drop": method.max_drop}
    runs = {
        "method (defaults)": ranked(kb.lessons, method),
        "method, no cut-offs": ranked(kb.lessons, replace(method, **NO_CUT_OFF)),
        "method, no neighbour support": ranked(kb.lessons, replace(method,
                                                                   neighbour_weight=0.0)),
        "method, no max_drop": ranked(kb.lessons, replace(method, max_drop=0.0)),
        "method, no synonyms": ranked(kb.lessons, replace(method, synonyms={})),
        "before (min_relative 0.7 only)": ranked(kb.lessons, BEFORE),
        "  same, no cut-offs": ranked(kb.lessons, replace(BEFORE, **NO_CUT_OFF)),
        "plain TF-IDF + title boost": ranked(kb.lessons, PLAIN_TFIDF),
        "  same, method's cut-offs": ranked(kb.lessons, replace(PLAIN_TFIDF, **cut_offs)),
        "  same, the cut-offs before": ranked(kb.lessons, replace(
            PLAIN_TFIDF, min_score=BEFORE.min_score, min_relative=BEFORE.min_relative,
            mutual=BEFORE.mutual)),
        "shared tags only": tag_baseline(kb.lessons, k),
        **candidates(kb),
    }
    for pooled in (False, True):
        judged, relevant = load_judgments(pooled=pooled)
        judged &= set(kb.by_id)
        n_pairs = sum(len(v) for v in relevant.values()) // 2
        which = "all judgments, pooled ones too" if pooled else "judgments before pooling"
        print(f"\nQuality, {which}: {len(kb.lessons)} imported lessons; {len(judged)} judged, "
              f"{n_pairs} relevant pairs ({JUDGMENTS.relative_to(REPO)})")
        print(f"{'ranking':34} {'precision@3':>11} {'recall@5':>9} {'first right':>11} "
              f"{'links in top 3':>14}")
        for name, links in runs.items():
            r = evaluate(links, judged, relevant)
            print(f"{name:34} {r['p@3']:11.2f} {r['r@5']:9.2f} {r['first']:11.2f} "
                  f"{r['shown']:14}")
    if show_pool:
        pool(kb, {name: links for name, links in runs.items() if name != "shared tags only"})
    if show_held_out:
        held_out(kb, judged, relevant)
    if show_variants:
        variants(kb, judged, relevant)


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
    parser.add_argument("--no-quality", action="store_true", help="time only")
    parser.add_argument("--pool", action="store_true", help="list the pairs in any ranking's "
                        "first five links that are not judged yet")
    parser.add_argument("--held-out", action="store_true", help="split check of the tuned "
                        "settings (chosen on half the judged lessons, scored on the other)")
    parser.add_argument("--dump", type=Path, help="also write the imported corpus to this "
                        "folder (to read the postmortems when judging pairs)")
    parser.add_argument("--collections", help="folder of postmortem collections, one "
                        "sub-folder each, judged in benchmarks/data/similarity-judgments-"
                        "<name>.yaml (default: $LESSONBOOK_SIMILARITY_COLLECTIONS)")
    parser.add_argument("--held-out-collection", action="store_true", help="also show the "
                        "held-out collection (never while tuning)")
    parser.add_argument("--collections-only", action="store_true", help="only the "
                        "per-collection table (and the timing)")
    parser.add_argument("--variants", action="store_true",
                        help="also score the variants tried for issue #13 (two tiers, rank "
                             "windows, tag weight, SVD)")
    args = parser.parse_args()
    corpus = Path(args.corpus)
    if args.no_quality:
        pass
    elif corpus.is_dir():
        kb = load_corpus(corpus, args.dump)
        if not args.collections_only:
            quality(kb, show_variants=args.variants, show_pool=args.pool,
                    show_held_out=args.held_out)
        collections_report(args.collections, args.held_out_collection, kb, JUDGMENTS,
                           extra=tuning() if args.variants else None)
    else:
        print(f"corpus not found at {corpus}; skipping the quality table")
        collections_report(args.collections, args.held_out_collection)
    timing(args.sizes, args.python_max)
    return 0


if __name__ == "__main__":
    sys.exit(main())
