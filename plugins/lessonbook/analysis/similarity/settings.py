"""What a site configures for similar incidents, and the defaults behind it.

Kept apart from the computation so that the options layer, the review command and the forked
child can name the settings without importing numpy or scipy code paths.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ...model.options import SimilarOptions, SimilarWeights

DEFAULT_WEIGHTS: dict[str, float] = SimilarWeights().as_dict()
"""The ``similar.weights`` option's defaults (declared in model/options.py)."""


_SYNONYM_GROUPS = {
    "expire": "expired expires expiry expiring expiration",
    "certificate": "cert certs",
    "oom": "oomkilled oom-killed oom-killer",
    "rollback": "roll-back rolled-back revert reverted",
    "notready": "nodenotready not-ready",
    "crashloop": "crashloopbackoff crash-loop crash-looping crashlooping",
}
DEFAULT_SYNONYMS: dict[str, str] = {
    word: canonical for canonical, words in _SYNONYM_GROUPS.items() for word in words.split()}
"""A few ways postmortems name the same failure; a site can replace them (`synonyms:`)."""

REASON_RARITY = 0.25
"""A shared term or field value is given as a reason only when it is this rare (fields.rarity): on
at most N^0.75 lessons, e.g. 17 of 46 or 1,000 of 10,000."""


@dataclass(frozen=True)
class SimilarSettings:
    """What a site configures (``similar:`` in the plugin config)."""

    count: int = SimilarOptions.count
    min_score: float = SimilarOptions.min_score
    """A link scores at least this (0..1); calibrated on real postmortems (docs/similarity.md)."""
    min_relative: float = SimilarOptions.min_relative
    """... and at least this share of the lesson's best link: a lesson with one strong match
    and a tail of generic ones shows the match alone."""
    mutual: bool = SimilarOptions.mutual
    """... and each lesson is among the other's `count` best: a lesson that is everybody's
    second choice (long, generic) is nobody's link."""
    max_drop: float = SimilarOptions.max_drop
    """... and the list stops before its steepest drop when the next link scores less than
    this share of the one before it (a gap between the close matches and the rest); 0: off."""
    neighbour_weight: float = SimilarOptions.neighbour_weight
    """Neighbour support: a pair's score gains this times Σ s(a,c)·s(b,c) over the lessons c
    among both's `neighbours` best (two lessons close to the same third are closer; shared
    nearest neighbours); it re-orders each lesson's `candidates` best. 0: off."""
    possible: bool = SimilarOptions.possible
    """Below the confident links, the rest of the `count` best above min_score as a folded
    "possibly related" tier (their tier is "possible"): recall on collections the bars were
    not tuned on, without putting noise at the top. False: the confident links only."""
    possible_min_score: float = 0.05
    """The own score a "possibly related" link needs at least (the confident ones need
    min_score). 0.05 since issue #23's round-5 tuning (0.1 before): with the margin bar most
    links are in this tier, and on the held-out sets of rounds 1-4 pooled its recall@5 rose
    from 0.80 to 0.82 (plain TF-IDF's: 0.82), with no collection's falling
    (docs/similarity.md)."""
    neighbours: int = 3
    candidates: int = 10
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    title_weight: float = 3.0
    summary_weight: float = 2.0
    bigrams: bool = False
    """Adjacent word pairs as terms too: off by default, they lowered precision on real
    postmortems (docs/similarity.md) and double the terms."""
    stem: bool = True
    synonyms: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_SYNONYMS))
    """Term → the term it counts as (after plural folding): one failure told in other words."""
    template_words: int = 8
    """Runs of this many words that the collection repeats across lessons are its template
    or boilerplate, and are not counted (boilerplate.py); 0: off."""
    template_docs: int = 3
    """... repeated in at least this many lessons (and √N / 2 in a large collection)."""
    collection_quantile: float = SimilarOptions.collection_quantile
    """A confident link's own score is at least this quantile of all the collection's
    candidate scores (each lesson's `count` best), as well as min_score: a bar learned from
    the collection's own scores (issue #23). Off by default: on the held-out collection 0.8
    raised the confident tier's precision@3 from 0.38 to 0.61 but cut its recall@5 from 0.50
    to 0.37 (0.68 to 0.28 on the shared corpus), about one confident link per lesson
    (docs/similarity.md). A focused index scores every lesson when it is on. 0: off."""
    margin: float = SimilarOptions.margin
    """A confident link's own score is at least this many times the best score either of its
    two lessons has with any other lesson: the pair stands apart from both lessons' other
    neighbours (issue #23's round-5 tuning: on the held-out sets of rounds 1-4 pooled, 1.25 took
    the confident tier's precision@3 from 0.37 to 0.77, at about one confident link in three
    lessons; docs/similarity.md). Links it demotes stay in the "possibly related" tier. 0: off."""
    reason_terms: int = 5
    max_terms: int = 150
    """Terms kept per lesson (the highest tf-idf): bounds memory and time at 10k lessons."""


