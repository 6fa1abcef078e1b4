"""Synthetic lessons for the benchmarks: one generator, so build, search and lint figures are
measured on the same kind of text.

Each lesson has a topic (three incident words such as "certificate expiry tls") drawn from a
small incident vocabulary, written into a filler vocabulary of 4,000 made-up words whose
frequencies follow Zipf's law, as words in real prose do. A query then matches the share of
lessons it would in a real knowledge base, and similarity and search have real work to do:
lessons on the same topic share rare words, every lesson shares the common ones.

Two shapes of lesson:

* ``full_lesson``: most front-matter fields (taxonomy, a follow-up on postmortems) and a body of
  four short sections, one paragraph per line (the search benchmark's lessons).
* ``minimal_lesson``: id, title, type, date, summary, a few tags and services, and a body of
  about ``words`` words in five sections wrapped at ~90 characters like hand-written Markdown,
  with a timeline list (the build benchmark's lessons; the lint reads it line by line).
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import textwrap
from pathlib import Path
from typing import Any

import yaml

KINDS = ["postmortem", "aar", "near-miss", "premortem", "experiment"]
SEVERITIES = ["SEV1", "SEV2", "SEV3", "SEV4"]
FAILURE_TYPES = ["preventable", "complexity", "intelligent"]
CATEGORIES = ["design-flaw", "data-gap", "process-deviation", "external-shock", "dependency",
              "capacity", "configuration", "communication"]
LAYERS = ["people", "process", "technology"]
VOCABULARY = ("request timeout retry queue backlog certificate expiry ingress gateway database "
              "replica failover migration deploy rollback canary alert pager dashboard latency "
              "throughput cache eviction schema index lock deadlock partition network dns tls "
              "config flag toggle release window customer checkout payment refund invoice "
              "search catalog image upload storage bucket quota limit capacity scaling "
              "autoscaler node cluster pod memory leak garbage collector thread pool connection "
              "exhaustion vendor webhook partner contract runbook handover escalation review "
              "communication status page incident commander scribe timeline detection recovery "
              "mitigation")
WORDS = VOCABULARY.split()
QUERY_TOPIC = ("certificate", "expiry", "tls")
TOPICS = [QUERY_TOPIC] + [tuple(WORDS[i:i + 3]) for i in range(0, len(WORDS) - 2, 3)
                          if not set(WORDS[i:i + 3]) & set(QUERY_TOPIC)]
SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "pe", "sa", "do", "fu", "gi", "ha",
             "je", "bo"]
SECTIONS = ["What happened", "Detection", "Response", "What we learned"]
MINIMAL_SECTIONS = ["Summary", "What happened", "Contributing factors", "What we changed"]


class Corpus:
    """Lesson text: a topic (a few incident words, one topic per lesson) in a Zipf-distributed
    filler vocabulary of 4,000 words, so a query matches the share of lessons it would in a
    real knowledge base. With common=True every lesson uses every incident word instead (the
    worst case for a search engine: the query matches almost every lesson)."""

    def __init__(self, rng: random.Random, common: bool = False) -> None:
        self.rng, self.common = rng, common
        words: set[str] = set()
        while len(words) < 4000:
            words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
        self.filler = sorted(words)
        self.cumulative = list(itertools.accumulate(1 / (rank + 1)
                                                    for rank in range(len(self.filler))))

    def words(self, topic: tuple[str, ...], n: int) -> str:
        if self.common:
            return " ".join(self.rng.choice(WORDS) for _ in range(n))
        filler = self.rng.choices(self.filler, cum_weights=self.cumulative, k=n)
        return " ".join(self.rng.choice(topic) if self.rng.random() < 0.1 else w
                        for w in filler)


def _document(front: dict[str, Any], body: str) -> str:
    return "---\n" + yaml.safe_dump(front, sort_keys=False) + "---\n" + body + "\n"


def full_lesson(i: int, rng: random.Random, corpus: Corpus) -> tuple[str, str]:
    """(docs-relative path, file text) of a lesson with most front-matter fields."""
    kind = KINDS[i % len(KINDS)]
    date = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(7 * 365))
    services = ["payments" if rng.random() < 0.08 else f"service-{rng.randrange(40):02d}"
                for _ in range(rng.randint(1, 3))]
    topic = rng.choice(TOPICS)
    front: dict[str, Any] = {
        "id": f"syn-{i:05d}",
        "title": (" ".join(topic) + " " + corpus.words(topic, 3)).capitalize(),
        "type": kind,
        "date": date.isoformat(),
        "summary": corpus.words(topic, 30).capitalize() + ".",
        "severity": rng.choice(SEVERITIES),
        "status": "reviewed",
        "tags": sorted({f"tag-{rng.randrange(200):03d}" for _ in range(rng.randint(1, 4))}),
        "services": sorted(set(services)),
        "teams": [f"team-{rng.randrange(15):02d}"],
        "failure_type": rng.choice(FAILURE_TYPES),
        "categories": sorted({rng.choice(CATEGORIES) for _ in range(2)}),
        "defense_layers": sorted({rng.choice(LAYERS) for _ in range(2)}),
    }
    if kind == "postmortem":
        front["follow_ups"] = [{"action": "Add an alert on " + rng.choice(topic),
                                "owner": "platform", "status": "done"}]
    paragraphs = [corpus.words(topic, rng.randint(60, 120)) + "." for _ in range(4)]
    body = "\n\n".join(f"## {h}\n\n{p}" for h, p in zip(SECTIONS, paragraphs, strict=True))
    return f"lessons/{date.year}/{front['id']}.md", _document(front, body)


def _paragraph(corpus: Corpus, topic: tuple[str, ...], words: int) -> str:
    """Sentences of 8-20 words, wrapped at ~90 characters as authors wrap Markdown."""
    sentences, left = [], words
    while left > 0:
        n = min(left, corpus.rng.randint(8, 20))
        sentences.append(corpus.words(topic, n).capitalize() + ".")
        left -= n
    return textwrap.fill(" ".join(sentences), 90)


KIND_ID_PREFIXES = {"postmortem": "pm", "aar": "aar", "near-miss": "nm", "premortem": "pre",
                    "experiment": "pdsa"}
"""Ids as real knowledge bases spell them (``pm-2024-00012``): they do not all share their
first characters, which a page's id linking once depended on (site/id_links.py)."""


def minimal_lesson(i: int, rng: random.Random, corpus: Corpus, words: int = 600,
                   kind_ids: bool = False) -> tuple[str, str]:
    """(docs-relative path, file text) of a lesson with minimal front-matter and a body of
    about ``words`` words (summary and timeline included). ``kind_ids``: ids by kind and year
    (``nm-2021-00042``) instead of ``syn-00042``."""
    kind = KINDS[i % len(KINDS)]
    date = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(7 * 365))
    topic = rng.choice(TOPICS)
    front: dict[str, Any] = {
        "id": f"{KIND_ID_PREFIXES[kind]}-{date.year}-{i:05d}" if kind_ids else f"syn-{i:05d}",
        "title": (" ".join(topic) + " " + corpus.words(topic, 3)).capitalize(),
        "type": kind,
        "date": date.isoformat(),
        "summary": corpus.words(topic, 25).capitalize() + ".",
        "tags": sorted({f"tag-{rng.randrange(200):03d}" for _ in range(rng.randint(1, 3))}),
        "services": [f"service-{rng.randrange(40):02d}"],
    }
    if kind == "postmortem":
        front["follow_ups"] = [{"action": "Add an alert on " + rng.choice(topic),
                                "owner": "platform", "status": "done"}]
    timeline = "\n".join(f"- 10:{m * 7:02d} {corpus.words(topic, 8)}." for m in range(6))
    left = max(words - 25 - 48, 40)
    sizes = [left // 4] * 3 + [left - 3 * (left // 4)]
    sections = [f"## {h}\n\n{_paragraph(corpus, topic, n)}"
                for h, n in zip(MINIMAL_SECTIONS, sizes, strict=True)]
    sections.insert(1, f"## Timeline\n\n{timeline}")
    return f"lessons/{date.year}/{front['id']}.md", _document(front, "\n\n".join(sections))


def write_lessons(docs: Path, n: int, seed: int = 7, *, minimal: bool = False,
                  common: bool = False, words: int = 600, long_tail: bool = False,
                  kind_ids: bool = False) -> None:
    """Write n lessons under docs/ (lessons/<year>/<id>.md); the same seed gives the same
    files. long_tail: one minimal lesson in ten has about 4,000 words, as in real collections;
    kind_ids: see minimal_lesson."""
    rng = random.Random(seed)
    corpus = Corpus(rng, common)
    for i in range(n):
        if minimal:
            size = 4000 if long_tail and i % 10 == 0 else words
            rel, text = minimal_lesson(i, rng, corpus, size, kind_ids)
        else:
            rel, text = full_lesson(i, rng, corpus)
        target = docs / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def lesson_sources(n: int, seed: int = 7, *, words: int = 600) -> list[tuple[str, bytes]]:
    """The minimal lessons as (path, bytes) pairs, for benchmarks that skip the disk."""
    rng = random.Random(seed)
    corpus = Corpus(rng)
    return [(rel, text.encode()) for rel, text in
            (minimal_lesson(i, rng, corpus, words) for i in range(n))]
