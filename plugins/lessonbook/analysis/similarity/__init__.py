"""Similar incidents: for every lesson, the k most similar others, and why.

Score of a pair = a weighted mean of
  * text: cosine of TF-IDF vectors (sublinear tf; title and summary count more than the body;
    stop words, code blocks, URLs, HTML, roll calls and Markdown/table syntax removed; plural
    folding and a small synonym table; word pairs optional);
  * one overlap per structured field (tags, services, categories, failure type, defense layers):
    shared values weighted by their rarity, so a value most lessons carry adds almost nothing.
A field only counts in the mean when both lessons fill it in (it says nothing otherwise).
Each lesson's best candidates are ordered with neighbour support (two lessons close to the same
third lesson are closer). A link is shown when its own score clears min_score, it is within
min_relative of the lesson's best link, it is mutual (each lesson among the other's best), and
it comes before the list's steepest drop when that drop is steeper than max_drop: fewer links
rather than noise.

All pairs are scored with sparse matrix products (scipy) in row blocks, never a Python loop over
pairs; docs/similarity.md has the measurements behind that choice and the evaluation on real
postmortems. Reasons (distinctive shared fields and terms) are computed for the chosen links only.

Modules, one job each: settings (what a site configures), fields (structured fields and their
rarity), text (Markdown → words), terms (the tf-idf matrix), scoring (every pair's score),
selection (candidates → the links shown), reasons (why), links (what pages see), index (the
whole, SimilarityIndex).
"""

from __future__ import annotations

from .fields import FIELD_LABELS, FIELDS
from .index import SimilarityIndex
from .links import SimilarLink, SimilarLinksSource
from .settings import DEFAULT_SYNONYMS, DEFAULT_WEIGHTS, REASON_RARITY, SimilarSettings
from .text import STOP_WORDS, clean_text, raw_words, stem, tokens

__all__ = [
    "DEFAULT_SYNONYMS", "DEFAULT_WEIGHTS", "FIELDS", "FIELD_LABELS", "REASON_RARITY",
    "STOP_WORDS", "SimilarLink", "SimilarLinksSource", "SimilarSettings", "SimilarityIndex",
    "clean_text", "raw_words", "stem", "tokens",
]
