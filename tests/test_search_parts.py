"""The search index written in parts (bounded indexer memory) is the index one Pagefind run
would write: the same words at the same places of the same lessons, the same filters, the same
date order. Ranking, result counts and facet counts follow from those, so they are the single
index's too (tests/browser/test_header_search.py checks the answers in a browser; the
benchmark benchmarks/bench_search.py measures them at scale).

Differential: the same lessons built with one part and with parts of several sizes (a part
size that divides the lessons and one that leaves a short last part), compared by content —
page numbers differ between the two indexes, so every posting is read back to its lesson's URL.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import random
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import build, lesson_text, write_site
from lessonbook.site.pagefind_files import Compressed, read
from lessonbook.site.pagefind_parts import PartedIndex
from lessonbook.site.search_indexing import start_parts

WORDS = ["certificate", "certificates", "certify", "expiry", "expired", "gateway", "ingress",
         "timeout", "retry", "queue", "backlog", "database", "replica", "failover", "canary"]
FILLER = ["Köln", "Zürich", "koln", "the", "team", "saw", "an", "alert", "and", "paged", "on",
          "call", "who", "rolled", "back", "within", "minutes", "because", "of", "a", "change"]
COUNT = 13


def _lessons() -> dict[str, str]:
    rng = random.Random(25)
    files = {}
    for i in range(COUNT):
        topic = rng.sample(WORDS, 3)
        words = [rng.choice(topic) if rng.random() < 0.2 else rng.choice(FILLER)
                 for _ in range(rng.randint(30, 120))]
        front = {"id": f"pm-{i:02d}", "title": f"{topic[0].capitalize()} {topic[1]} {i}",
                 "type": ["postmortem", "aar", "near-miss"][i % 3],
                 "date": f"2025-{1 + i % 12:02d}-{1 + i:02d}",
                 "summary": " ".join(words[:12]) + ".",
                 "severity": f"SEV{1 + i % 4}",
                 "services": sorted({rng.choice(["payments", "ingress", "search"])
                                     for _ in range(2)}),
                 "tags": [f"tag-{i % 4}", "shared"], "status": "reviewed"}
        body = "## What happened\n\n" + " ".join(words) + ".\n"
        files[f"lessons/{front['id']}.md"] = lesson_text(front, body)
    return files


def _built(root: Path, pages_per_part: int) -> Path:
    config = write_site(root, _lessons(), {"lesson_dirs": ["lessons"],
                                           "search": {"pages_per_part": pages_per_part}})
    built = build(config, log_level=logging.INFO)
    assert built.ok, built.log
    # The parts, not the CLI's index of the whole site (a fallback is no answer here)
    assert "pagefind CLI" not in built.log, built.log
    return built.site / "pagefind"


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _built(tmp_path_factory.mktemp("one-part"), COUNT + 1)


def _index(bundle: Path) -> dict[str, Any]:
    """The index by content: word -> {lesson URL: its postings}, filter -> value -> URLs, the
    date order as URLs, and each URL's word count."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    (info,) = entry["languages"].values()
    _version, pages, chunks, filters, sorts, fields = read(
        bundle / f"pagefind.{info['hash']}.pf_meta")
    urls = []
    for name, _count in pages:
        raw = gzip.decompress((bundle / "fragment" / f"{name}.pf_fragment").read_bytes())
        urls.append(json.loads(raw[len(b"pagefind_dcd"):])["url"])
    words: dict[str, dict[str, Any]] = {}
    for _first, _last, name in chunks:
        (entries,) = read(bundle / "index" / f"{name}.pf_index")
        for word, postings, spellings in entries:  # spellings: with diacritics ("köln")
            for key, found in [(word, postings), *((f"{word}>{v}", p) for v, p in spellings)]:
                page = 0
                words.setdefault(key, {})
                for delta, locations, meta in found:
                    page += delta
                    words[key][urls[page]] = (locations, meta)
    by_filter = {}
    for name, hashed in filters:
        if name != "lessonbook_part":  # which part a lesson was indexed in
            _name, values = read(bundle / "filter" / f"{hashed}.pf_filter")
            by_filter[name] = {value: sorted(urls[n] for n in numbers)
                               for value, numbers in values}
    return {"count": info["page_count"], "words": words, "filters": by_filter, "fields": fields,
            "sorts": {name: [urls[n] for n in order] for name, order in sorts},
            "lengths": {url: count for url, (_name, count) in zip(urls, pages, strict=True)}}


@pytest.mark.parametrize("pages_per_part", [4, 5])
def test_an_index_written_in_parts_is_the_single_index_word_for_word(
        tmp_path: Path, single: Path, pages_per_part: int) -> None:
    parted = _built(tmp_path, pages_per_part)
    expected, got = _index(single), _index(parted)
    assert got["count"] == expected["count"] == COUNT
    assert got["lengths"] == expected["lengths"]
    assert got["words"].keys() == expected["words"].keys()
    assert got["words"] == expected["words"]
    assert got["filters"] == expected["filters"]
    assert got["sorts"] == expected["sorts"]
    assert got["fields"] == expected["fields"]


def test_the_joined_index_is_one_bundle_without_parts(tmp_path: Path) -> None:
    bundle = _built(tmp_path, 4)
    assert json.loads((bundle / "lessonbook-parts.json").read_text())["parts"] == []
    assert not list(bundle.glob("part-*"))
    assert len(list(bundle.glob("*.pf_meta"))) == 1
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    assert [x["page_count"] for x in entry["languages"].values()] == [COUNT]


def _many_words() -> dict[str, str]:
    """Lessons with enough distinct words for the index to need several word chunks: made-up
    words from a few syllables, so many share their first letters or extend one another."""
    rng = random.Random(7)
    syllables = ["ka", "lo", "mi", "ne", "ru", "ta", "do", "bo"]
    vocabulary = sorted({"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
                         for _ in range(3000)})
    files = {}
    for i in range(40):
        front = {"id": f"w-{i:02d}", "title": f"Words {i}", "type": "postmortem",
                 "date": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}", "summary": "Words.",
                 "status": "reviewed"}
        body = "## What happened\n\n" + " ".join(rng.sample(vocabulary, 400)) + ".\n"
        files[f"lessons/{front['id']}.md"] = lesson_text(front, body)
    return files


def _looked_up(term: str, chunks: list[list[str]]) -> str | None:
    """The chunk Pagefind loads for a query word: the first whose bounds hold it; failing
    that, the first whose bounds, cut to the word's length, hold it (chunk bounds are
    shortened to the letters that tell neighbouring chunks apart)."""
    for first, last, name in chunks:
        if first <= term <= last:
            return name
    for first, last, name in chunks:
        if first[:len(term)] <= term[:len(first)] and term[:len(last)] <= last[:len(term)]:
            return name
    return None


def test_a_query_word_finds_every_word_it_starts_in_the_one_chunk_it_is_looked_up_in(
        tmp_path: Path) -> None:
    # Pagefind loads, for a query word, the one chunk whose bounds hold it, and extends the
    # word only with the words in that chunk.
    config = write_site(tmp_path, _many_words(), {"lesson_dirs": ["lessons"],
                                                  "search": {"pages_per_part": 15}})
    built = build(config)
    assert built.ok, built.log
    bundle = built.site / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    (info,) = entry["languages"].values()
    chunks = read(bundle / f"pagefind.{info['hash']}.pf_meta")[2]
    assert len(chunks) > 3
    words = {name: [w[0] for w in read(bundle / "index" / f"{name}.pf_index")[0]]
             for _first, _last, name in chunks}
    everything = sorted(w for ws in words.values() for w in ws)
    for word in everything:
        if len(word) < 4:
            continue
        holding = _looked_up(word, chunks)
        assert holding, word
        found = {w for w in words[holding] if w.startswith(word)}
        assert found == {w for w in everything if w.startswith(word)}, word


@settings(max_examples=40, deadline=None)
@given(st.lists(st.binary(max_size=3000), max_size=12),
       st.lists(st.integers(1, 5000), min_size=1, max_size=6))
def test_an_index_file_compressed_piece_by_piece_is_the_file_compressed_whole(
        tmp_path_factory: pytest.TempPathFactory, pieces: list[bytes], blocks: list[int]
) -> None:
    # The join writes its word chunks and meta file as they come (bounded memory); Pagefind
    # names each file by the hash of its compressed bytes, so they must be the bytes that
    # compressing the whole at once gives, however the data arrives.
    path = tmp_path_factory.mktemp("compressed") / "file"
    out = Compressed(path)
    whole = b"".join(pieces)
    at = 0
    for size in blocks * (len(whole) // sum(blocks) + 1):
        out.write(memoryview(whole)[at:at + size])
        at += size
    digest = out.close()
    expected = gzip.compress(whole, 6, mtime=0)
    assert path.read_bytes() == expected
    assert digest == hashlib.sha256(expected).hexdigest()


# --- parts indexed while MkDocs is still converting --------------------------------------------

def _documents(count: int) -> list[tuple[str, str, str]]:
    """(lesson path, URL, search document) of made-up lessons, a few words each."""
    rng = random.Random(3)
    out = []
    for i in range(count):
        words = " ".join(rng.choice(WORDS + FILLER) for _ in range(40))
        out.append((f"lessons/l-{i:02d}.md", f"/l-{i:02d}/",
                    f'<html lang="en"><body><h1>Lesson {i}</h1><p>{words}</p></body></html>'))
    return out


def _indexed(folder: Path, plan: dict[str, int], arrival: list[tuple[str, str, str]],
             worker: bool = True) -> PartedIndex:
    index, why = start_parts(folder.parent, folder, plan, worker=worker)
    assert index is not None, why
    for path, url, document in arrival:
        index.add(document, url, index.part_of(path))
    result = index.finish()
    assert result.ok, result.message
    return index


def _files(bundle: Path) -> dict[str, bytes]:
    return {str(p.relative_to(bundle)): p.read_bytes() for p in sorted(bundle.rglob("*"))
            if p.is_file()}


def test_a_worker_process_writes_the_bundle_the_build_would_write_in_its_own_process(
        tmp_path: Path) -> None:
    docs = _documents(10)
    plan = {path: n // 3 for n, (path, _url, _doc) in enumerate(docs)}  # four parts, joined
    worker = _indexed(tmp_path / "worker" / "pagefind", plan, docs)
    here = _indexed(tmp_path / "here" / "pagefind", plan, docs, worker=False)
    assert worker.in_worker and not here.in_worker
    assert worker.part_count == here.part_count == 4
    assert _files(tmp_path / "worker" / "pagefind") == _files(tmp_path / "here" / "pagefind")
    assert not list((tmp_path / "worker").glob(".pagefind-*"))  # no staging or result left


def test_an_aborted_index_leaves_no_worker_or_pagefind_process(tmp_path: Path) -> None:
    docs = _documents(200)
    index, why = start_parts(tmp_path, tmp_path / "pagefind",
                             {path: n // 50 for n, (path, _u, _d) in enumerate(docs)})
    assert index is not None, why
    for path, url, document in docs:
        index.add(document, url, index.part_of(path))
    index.write()
    group = index.worker_pid
    assert group is not None
    index.abort()
    deadline = time.monotonic() + 20  # killed at once; the reaping of its children may lag
    alive = True
    while alive and time.monotonic() < deadline:
        try:
            os.killpg(group, 0)  # the worker's group: it, its Pagefind service, the join
            time.sleep(0.05)
        except ProcessLookupError:
            alive = False
    assert not alive
    assert not (tmp_path / "pagefind").exists()


def test_a_lesson_nobody_planned_for_is_indexed_too(tmp_path: Path) -> None:
    docs = _documents(4)
    plan = {path: 0 for path, _url, _doc in docs[:3]}  # the fourth was not planned
    _indexed(tmp_path / "pagefind", plan, docs)
    assert set(_index(tmp_path / "pagefind")["lengths"]) == {url for _p, url, _d in docs}


@pytest.fixture(scope="module")
def _one_part(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Ten made-up lessons in one part: the reference for the order test."""
    docs = _documents(10)
    folder = tmp_path_factory.mktemp("one") / "pagefind"
    _indexed(folder, {path: 0 for path, _url, _doc in docs}, docs)
    return _index(folder)


@pytest.mark.parametrize("order", ["planned", "reversed", "shuffled"])
def test_the_index_does_not_depend_on_the_order_lessons_arrive_in(
        tmp_path: Path, _one_part: dict[str, Any], order: str) -> None:
    docs = _documents(10)
    plan = {path: n // 3 for n, (path, _url, _doc) in enumerate(docs)}  # four parts
    arrival = {"planned": docs, "reversed": docs[::-1],
               "shuffled": random.Random(5).sample(docs, len(docs))}[order]
    _indexed(tmp_path / "pagefind", plan, arrival)
    got = _index(tmp_path / "pagefind")
    assert got["count"] == _one_part["count"] == len(docs)
    assert got["lengths"] == _one_part["lengths"]
    assert got["words"] == _one_part["words"]
