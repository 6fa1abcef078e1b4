"""Similar incidents judged per collection, against plain TF-IDF and BM25 (issue #23).

Each collection is a folder of postmortems imported as a user would (`lessonbook import`) and a
judgments file `benchmarks/data/similarity-judgments-<name>.yaml` (pairs judged by reading both
documents). The documents are public but not ours, so they are never committed: give the folder
holding one sub-folder per collection with `--collections DIR` or the environment variable
LESSONBOOK_SIMILARITY_COLLECTIONS; a collection that is absent is skipped, saying so.

The HELD OUT collections (`HELD_OUT`) were chosen and judged before any ranking ran on them;
their figures are printed only with `--held-out-collection`, so tuning runs never show them.
Several small collections are pooled (`pooled`): each stays its own similarity space.

    LESSONBOOK_SIMILARITY_COLLECTIONS=/work/heldout python benchmarks/bench_similarity.py \
        --sizes --collections-only [--held-out-collection]

A later held-out round keeps its judgments beside its collections, outside the repository, so
that nobody tuning can read them (`KEY_FILES`: `similar-key.yaml` or
`similarity-judgments-<name>.yaml` in the collections folder, naming its collection with
`collection:` and marked `role: held out`). Issue #23's fourth round:

    LESSONBOOK_SIMILARITY_COLLECTIONS=/work/heldout4 python benchmarks/bench_similarity.py \
        --sizes --collections-only --held-out-collection
"""

from __future__ import annotations

import math
import os
import tempfile
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np
import yaml
from scipy import sparse

from lessonbook.analysis.similarity import FIELDS, SimilarityIndex, SimilarSettings, tokens
from lessonbook.authoring.importer import import_files
from lessonbook.load.knowledge_base import KnowledgeBase
from lessonbook.model.lesson import Lesson

DATA = Path(__file__).resolve().parent / "data"
HELD_OUT = frozenset({"k8s-test-infra", "edgi-web-monitoring-ops", "univaf", "berkeley-datahub"})
"""Issue #23's third round: four small collections nobody here tuned similarity on, each its own
similarity space (pairs judged within a collection), pooled into one held-out set; judged before
any ranking ran on them. The first round held out MoJ's Cloud Platform log, the second 2i2c's
reports; their figures were read, so they are tuning collections now, like mybinder and the
shared corpus."""
KEY_FILES = ("similar-key.yaml", "similarity-judgments-*.yaml")
"""Judgment files read from the collections folder itself (a round whose key is not committed)."""
_HELD_OUT_FOUND: set[str] = set()
"""Collections whose judgments beside them say `role: held out` (filled by `collections`)."""
ENV = "LESSONBOOK_SIMILARITY_COLLECTIONS"
NO_CUT_OFF = {"min_score": 0.0, "min_relative": 0.0, "mutual": False, "max_drop": 0.0,
              "margin": 0.0}
PLAIN_TFIDF = SimilarSettings(
    weights={"text": 1.0, **{name: 0.0 for name in FIELDS}}, bigrams=False, stem=False,
    synonyms={}, summary_weight=1.0, title_weight=3.0, neighbour_weight=0.0, **NO_CUT_OFF)
"""Baseline: word TF-IDF cosine, title 3x, always five links (same text cleaning)."""


def tuning() -> dict[str, SimilarSettings]:
    """Settings tried for issue #23 on the tuning collections (--variants)."""
    return {
        "confident tier only": SimilarSettings(possible=False),
        **{f"possible tier floor {f}": SimilarSettings(possible_min_score=f) for f in (0.0, 0.1)},
        "no cut-offs (ranking only)": SimilarSettings(**NO_CUT_OFF),
        "no template removal": SimilarSettings(template_words=0),
        "template runs of 5 words": SimilarSettings(template_words=5),
        "template runs of 8 words": SimilarSettings(template_words=8),
        **{f"collection bar, quantile {q}": SimilarSettings(collection_quantile=q)
           for q in (0.5, 0.7, 0.8, 0.9)},
    }


def import_collection(folder: Path) -> KnowledgeBase:
    """A folder of postmortems imported as a user would, read back as a knowledge base."""
    with tempfile.TemporaryDirectory() as tmp:
        import_files([folder], tmp)
        files = [(p.relative_to(tmp).as_posix(), p.read_bytes())
                 for p in sorted(Path(tmp).rglob("*.md"))]
    return KnowledgeBase.from_sources(files)


def judgments(path: Path) -> tuple[set[str], dict[str, set[str]]]:
    """(lessons judged, lesson → the lessons judged relevant to it); symmetric."""
    pairs = yaml.safe_load(path.read_text(encoding="utf-8"))["pairs"]
    judged: set[str] = set()
    relevant: dict[str, set[str]] = defaultdict(set)
    for pair in pairs:
        a, b = str(pair["a"]), str(pair["b"])
        judged.update((a, b))
        if pair["relevant"]:
            relevant[a].add(b)
            relevant[b].add(a)
    return judged, relevant


def bm25(lessons: list[Lesson], k: int = 5, k1: float = 1.2, b: float = 0.75
         ) -> dict[str, list[str]]:
    """Baseline: each lesson's distinct words as the query, every other lesson scored with
    Okapi BM25 (idf = ln(1 + (N - df + 0.5) / (df + 0.5))); the k best, ties by id."""
    plain = replace(PLAIN_TFIDF)
    docs = [tokens(f"{x.title}\n{x.summary or ''}\n{x.body}", plain)[0] for x in lessons]
    vocab: dict[str, int] = {}
    rows, cols = [], []
    for row, words in enumerate(docs):
        for word in words:
            rows.append(row)
            cols.append(vocab.setdefault(word, len(vocab)))
    n = len(lessons)
    tf = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, max(len(vocab), 1)))
    tf.sum_duplicates()
    lengths = np.asarray(tf.sum(axis=1)).ravel()
    df = np.bincount(tf.indices, minlength=tf.shape[1])
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
    norm = k1 * (1 - b + b * lengths / max(lengths.mean(), 1.0))
    weight = tf.tocoo()
    data = weight.data * (k1 + 1) / (weight.data + norm[weight.row])
    doc_side = sparse.csr_matrix((data * idf[weight.col], (weight.row, weight.col)),
                                 shape=tf.shape)
    query = (tf > 0).astype(float)
    scores = (query @ doc_side.T).toarray()
    np.fill_diagonal(scores, -math.inf)
    ids = [x.id for x in lessons]
    out = {}
    for i, lesson_id in enumerate(ids):
        order = sorted(range(n), key=lambda j: (-scores[i, j], ids[j]))
        out[lesson_id] = [ids[j] for j in order[:k] if scores[i, j] > 0]
    return out


def plain_tfidf(lessons: list[Lesson], k: int = 5) -> dict[str, list[str]]:
    index = SimilarityIndex(lessons, replace(PLAIN_TFIDF, count=k))
    return {x.id: [link.id for link in index.similar(x.id)][:k] for x in lessons}


def lessonbook(lessons: list[Lesson], settings: SimilarSettings | None = None
               ) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(every list as a page shows it, first tier then "possibly related"; the first tier)."""
    index = SimilarityIndex(lessons, settings)
    shown, confident = {}, {}
    for x in lessons:
        links = index.similar(x.id)
        shown[x.id] = [link.id for link in links]
        confident[x.id] = [link.id for link in links
                           if getattr(link, "tier", "confident") == "confident"]
    return shown, confident


def evaluate(links: dict[str, list[str]], judged: set[str], relevant: dict[str, set[str]]
             ) -> dict[str, float]:
    """precision@3 over the first (up to) three links of judged lessons (an unjudged link
    counts as wrong); recall@5 over the relevant pairs; mean links shown per lesson (all
    lessons of the collection, at most five)."""
    hits3 = shown3 = hits5 = wanted = 0
    for lesson_id in sorted(judged):
        mine = relevant.get(lesson_id, set())
        shown = links.get(lesson_id, [])
        hits3 += sum(1 for x in shown[:3] if x in mine)
        shown3 += len(shown[:3])
        hits5 += sum(1 for x in shown[:5] if x in mine)
        wanted += len(mine)
    lengths = [min(len(v), 5) for v in links.values()]
    return {"p@3": hits3 / shown3 if shown3 else 0.0, "r@5": hits5 / wanted if wanted else 0.0,
            "length": float(np.mean(lengths)) if lengths else 0.0,
            "hits3": hits3, "shown3": shown3, "hits5": hits5, "wanted": wanted,
            "links": float(sum(lengths)), "lessons": len(lengths)}


def pooled(results: list[dict[str, float]]) -> dict[str, float]:
    """Several collections' figures as one set: precision@3 over every link shown in a first
    three, recall@5 over every relevant pair, mean links over every lesson (each collection
    stays its own similarity space: links never cross collections)."""
    total = {key: sum(r[key] for r in results)
             for key in ("hits3", "shown3", "hits5", "wanted", "links", "lessons")}
    return {"p@3": total["hits3"] / total["shown3"] if total["shown3"] else 0.0,
            "r@5": total["hits5"] / total["wanted"] if total["wanted"] else 0.0,
            "length": total["links"] / total["lessons"] if total["lessons"] else 0.0, **total}


def is_held_out(name: str) -> bool:
    """A held-out collection: one of the committed rounds' or one whose key beside it says so."""
    return name in HELD_OUT or name in _HELD_OUT_FOUND


def keys_beside(folder: Path) -> list[tuple[str, Path]]:
    """(collection, judgments file) for each key kept in the collections folder itself; a key
    marked `role: held out` makes its collection held out."""
    found = []
    for path in sorted({p for pattern in KEY_FILES for p in folder.glob(pattern)}):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        name = str(data.get("collection") or path.stem.removeprefix("similarity-judgments-"))
        if str(data.get("role", "")).lower().replace("-", " ").startswith("held out"):
            _HELD_OUT_FOUND.add(name)
        found.append((name, path))
    return found


def collections(root: str | None, held_out: bool) -> list[tuple[str, Path, Path]]:
    """(name, folder, judgments) of each collection present; the held-out ones only when
    asked for. Keys kept beside the collections win over committed ones of the same name."""
    folder = Path(root or os.environ.get(ENV, "")) if (root or os.environ.get(ENV)) else None
    if folder is None or not folder.is_dir():
        print(f"\nNo collections folder (--collections or {ENV}); skipping the per-collection "
              "table")
        return []
    beside = dict(keys_beside(folder))
    committed = {path.stem.removeprefix("similarity-judgments-"): path
                 for path in sorted(DATA.glob("similarity-judgments-*.yaml"))}
    found = []
    for name, path in sorted({**committed, **beside}.items()):
        if is_held_out(name) and not held_out:
            print(f"  {name}: held out, not shown (--held-out-collection shows it)")
            continue
        if (folder / name).is_dir():
            found.append((name, folder / name, path))
        else:
            print(f"  {name}: not found under {folder}; skipped")
    return found


def report(root: str | None, held_out: bool, shared: KnowledgeBase | None = None,
           shared_judgments: Path | None = None,
           extra: dict[str, SimilarSettings] | None = None) -> None:
    """The per-collection table: Lessonbook (its tiers), plain TF-IDF top 5, BM25 top 5; the
    shared corpus first when given (its judgments file covers both of its organisations)."""
    print("\nPer collection (precision@3 / recall@5 / mean links per lesson):")
    todo: list[tuple[str, KnowledgeBase | Path, Path]] = []
    if shared is not None and shared_judgments is not None:
        todo.append(("shared corpus (dfds + PostHog)", shared, shared_judgments))
    todo += collections(root, held_out)
    groups: dict[str, dict[str, list[dict[str, float]]]] = {"tuning": {}, "held out": {}}
    for name, source, path in todo:
        kb = source if isinstance(source, KnowledgeBase) else import_collection(source)
        judged, relevant = judgments(path)
        missing = judged - set(kb.by_id)
        judged &= set(kb.by_id)
        pairs = sum(len(v) for v in relevant.values()) // 2
        mark = " [HELD OUT]" if is_held_out(name) else ""
        print(f"\n  {name}{mark}: {len(kb.lessons)} lessons, {len(judged)} judged, {pairs} "
              f"relevant pairs" + (f"; judged ids not found: {sorted(missing)}" if missing
                                   else ""))
        shown, confident = lessonbook(kb.lessons)
        runs = {"Lessonbook, both tiers": shown, "Lessonbook, first tier only": confident,
                "plain TF-IDF, top 5": plain_tfidf(kb.lessons), "BM25, top 5": bm25(kb.lessons)}
        for label, settings in (extra or {}).items():
            runs[label] = lessonbook(kb.lessons, settings)[0]
        group = groups["held out" if is_held_out(name) else "tuning"]
        for label, links in runs.items():
            r = evaluate(links, judged, relevant)
            group.setdefault(label, []).append(r)
            print(f"    {label:40} {r['p@3']:5.2f} / {r['r@5']:4.2f} / {r['length']:4.2f}")
    for role, group in groups.items():
        sizes = {len(results) for results in group.values()}
        if sizes and max(sizes) > 1:
            print(f"\n  pooled, {role} ({max(sizes)} collections, each its own similarity space):")
            for label, results in group.items():
                r = pooled(results)
                print(f"    {label:40} {r['p@3']:5.2f} / {r['r@5']:4.2f} / {r['length']:4.2f}")
