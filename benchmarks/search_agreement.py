"""The search index written in parts against a single index: do they answer the same?

The build joins its parts into one index (site/pagefind_merge.py), so the answers should be the
single index's but for the order of lessons of equal score; should the parts stay separate
(searched together with Pagefind's mergeIndex) each part ranks with its own word weights.
Issue #25's bar: for at least 100 queries, the same top-5 set for at least 90 % of them, and
the same counts. Used by bench_search.py, which builds both sites from the same synthetic lessons.

The queries come from the synthetic generator's vocabulary (synthetic.py): every incident word
(the words of titles), services, two- and three-word phrases of a lesson topic, two words of
different topics, and filler words of every frequency. The generator writes no error messages;
its rare made-up filler words stand in for the identifiers and error strings responders paste
(a word found in a handful of lessons).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from synthetic import TOPICS, WORDS, Corpus


def queries(seed: int) -> list[tuple[str, str]]:
    """(kind, query) pairs, the same for a seed."""
    rng = random.Random(seed + 1)
    filler = Corpus(random.Random(seed)).filler  # the same words the lessons were written in
    out = [("title word", w) for w in WORDS]
    out += [("service", s) for s in ["payments", *(f"service-{i:02d}" for i in range(0, 40, 3))]]
    out += [("topic phrase", " ".join(t[:2])) for t in TOPICS[:15]]
    out += [("topic string", " ".join(t)) for t in TOPICS[15:25]]
    out += [("two topics", f"{rng.choice(WORDS)} {rng.choice(WORDS)}") for _ in range(15)]
    out += [("filler word", filler[rng.randrange(len(filler))]) for _ in range(25)]
    return out


RUN = """async ([root, queries]) => {
  const pf = await window.lessonbookSearch.load(root);
  await pf.filters();  // every filter index loaded: the counts are complete
  const out = [];
  for (const q of queries) {
    const found = await window.lessonbookSearch.text(pf, q);
    const top = await Promise.all(found.results.slice(0, 5).map((r) => r.data()));
    const filters = { ...(found.filters || {}) };
    delete filters.lessonbook_part;  // which part a hit is in: differs by design
    out.push({ count: found.results.length, top: top.map((d) => d.url),
               scores: found.results.slice(0, 6).map((r) => r.score), filters });
  }
  return out;
}"""


def answers(browser: Any, base: str, asked: list[str]) -> list[dict[str, Any]]:
    """Each query's result count, top-5 URLs and facet counts, on the site served at base."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(base)
    page.wait_for_function("() => window.lessonbookSearch", timeout=60_000)
    out = page.evaluate(RUN, [base, asked])
    context.close()
    return out


@dataclass
class Agreement:
    """Per query: same top-5 set, same count, same facet counts; the ones that differ."""

    total: int = 0
    same_top5: int = 0
    same_top5_ties: int = 0
    same_top1: int = 0
    overlap: float = 0.0
    same_counts: int = 0
    same_facets: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)
    differing: list[str] = field(default_factory=list)

    def report(self) -> None:
        pct = lambda k: f"{k}/{self.total} ({100 * k / max(1, self.total):.0f} %)"  # noqa: E731
        print(f"\nParted index against a single index, {self.total} queries:")
        print(f"  same top-5 set        {pct(self.same_top5)}  (target >= 90 %)")
        print(f"  same, up to ties      {pct(self.same_top5_ties)}  (lessons of equal score at "
              "the fifth place are interchangeable)")
        print(f"  same first result     {pct(self.same_top1)}")
        print(f"  top-5 overlap, mean   {self.overlap / max(1, self.total):.3f}")
        print(f"  same result count     {pct(self.same_counts)}")
        print(f"  same facet counts     {pct(self.same_facets)}  (target: all)")
        for kind, (same, n) in self.by_kind.items():
            print(f"    {kind:14} same top-5 {same}/{n}")
        for line in self.differing[:12]:
            print(f"  differs: {line}")


def same_up_to_ties(x: dict[str, Any], y: dict[str, Any]) -> bool:
    """The top fives differ only among lessons scored as the fifth is (either order is right)."""
    if len(x["top"]) != len(y["top"]) or not y["top"]:
        return False
    fifth = y["scores"][len(y["top"]) - 1]
    close = lambda s: abs(s - fifth) <= 1e-6 * max(1.0, abs(fifth))  # noqa: E731
    if not close(x["scores"][len(x["top"]) - 1]):
        return False
    above = [{u for u, s in zip(r["top"], r["scores"], strict=False) if not close(s)}
             for r in (x, y)]
    return above[0] == above[1]


def agreement(browser: Any, parted: str, single: str, asked: list[tuple[str, str]]
              ) -> Agreement:
    words = [q for _, q in asked]
    a, b = answers(browser, parted, words), answers(browser, single, words)
    result = Agreement(total=len(asked))
    for (kind, query), x, y in zip(asked, a, b, strict=True):
        same = set(x["top"]) == set(y["top"])
        result.same_top5 += same
        result.same_top5_ties += same or same_up_to_ties(x, y)
        result.same_top1 += x["top"][:1] == y["top"][:1]
        result.overlap += len(set(x["top"]) & set(y["top"])) / max(1, len(y["top"]))
        result.same_counts += x["count"] == y["count"]
        result.same_facets += x["filters"] == y["filters"]
        tally = result.by_kind.setdefault(kind, [0, 0])
        tally[0] += same
        tally[1] += 1
        if not same or x["count"] != y["count"] or x["filters"] != y["filters"]:
            result.differing.append(
                f"{query!r}: top-5 {'same' if same else 'differs'}, "
                f"counts {x['count']}/{y['count']}, facets "
                f"{'same' if x['filters'] == y['filters'] else 'differ'}; scores parted "
                f"{[round(s, 2) for s in x['scores']]} single "
                f"{[round(s, 2) for s in y['scores']]}")
    return result
