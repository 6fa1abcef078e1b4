"""Search wiring in real builds: Pagefind markup on lesson pages only, the Explore page and its
hooks, front-matter words in Material's index, options, and a missing Pagefind."""

from __future__ import annotations

import gzip
import html
import json
import logging
import os
import re
import signal
import time
from pathlib import Path
from typing import Any

from conftest import lesson_text
from lessonbook.load.knowledge_base import KnowledgeBase
from lessonbook.model.vocabulary import Settings
from lessonbook.site import pagefind_index, pagefind_live, search_indexing
from lessonbook.site.search import pagefind_fields, search_document

FRONT: dict[str, Any] = {
    "title": "Ingress certificate expired & <webhooks> failed",
    "type": "postmortem",
    "date": "2025-03-14",
    "summary": "The wildcard certificate on the edge lapsed overnight.",
    "severity": "SEV2",
    "services": ["edge, eu: west", "payments"],
    "teams": ["platform"],
    "tags": ["tls:expiry", "zebrafish"],
    "failure_type": "preventable",
    "categories": ["dependency"],
    "defense_layers": ["technology"],
}
FILES = {"lessons/pm-1.md": lesson_text(FRONT)}

DETAILED = {**FRONT, "id": "pm-2", "title": "Queue backlog <script>alert(1)</script>",
            "contributing_factors": ["Retry storm from the quorumwave client"],
            "follow_ups": [{"action": "Cap retries in the heliotrope SDK", "owner": "sre",
                            "status": "open"}],
            "rules": [{"id": "r-1", "if": "a queue grows past its alarm",
                       "then": "page the marmalade rota"}],
            "related": ["pm-1"]}
BODY = "## What happened\n\nThe consumer group stalled on a poison message.\n"


def _fragments(site_dir: Path) -> dict[str, dict[str, Any]]:
    """Pagefind's per-page records (gzip, a 12-byte signature, then JSON), by URL."""
    records = {}
    for path in (site_dir / "pagefind" / "fragment").iterdir():
        raw = gzip.decompress(path.read_bytes())
        record = json.loads(raw[raw.index(b"{"):])
        records[record["url"]] = record
    return records


def _filters(page: str) -> list[tuple[str, str]]:
    return [(k, html.unescape(v)) for k, v in
            re.findall(r'data-pagefind-filter="([^"]+)">([^<]*)<', page)]


def test_lesson_pages_carry_pagefind_filters_with_awkward_values_intact(make_site) -> None:
    site = make_site(FILES)
    page = site.html("lessons/pm-1/")
    assert "data-pagefind-body" in page
    filters = _filters(page)
    for value in FRONT["services"]:
        assert ("service", value) in filters
    for value in FRONT["tags"]:
        assert ("tag", value) in filters
    assert ("year", "2025") in filters and ("kind", "postmortem") in filters


def test_generated_list_pages_are_not_indexed(make_site) -> None:
    site = make_site(FILES)
    for url in ("", "lessons/", "taxonomy/", "explore/"):
        assert "data-pagefind-body" not in site.html(url), url


def test_pagefind_indexes_only_the_lessons(make_site) -> None:
    site = make_site(FILES)
    entry = site.json("pagefind/pagefind-entry.json")
    assert sum(x["page_count"] for x in entry["languages"].values()) == len(FILES)


def test_explore_page_has_the_documented_hooks(make_site) -> None:
    site = make_site(FILES)
    page = site.html("explore/")
    assert "data-lessonbook-search" in page
    boxes = re.findall(r'value="([^"]*)" data-lessonbook-facet="([^"]+)"', page)
    assert (html.escape("edge, eu: west"), "service") in boxes
    assert ("SEV2", "severity") in boxes and ("2025", "year") in boxes


def test_material_search_finds_front_matter_words(make_site) -> None:
    site = make_site(FILES)
    docs = site.json("search/search_index.json")["docs"]
    text = " ".join(d["text"] for d in docs if d["location"].startswith("lessons/pm-1/"))
    for word in ("zebrafish", "payments", "platform", "wildcard certificate"):
        assert word in text


def test_search_can_be_turned_off(make_site) -> None:
    site = make_site(FILES, {"search": {"enabled": False}})
    assert not (site.site / "explore").exists()
    assert not (site.site / "pagefind").exists()
    assert "data-pagefind-filter" not in site.html("lessons/pm-1/")


def test_a_missing_pagefind_is_a_warning_not_a_crash(make_site, monkeypatch) -> None:
    monkeypatch.setattr(pagefind_index, "pagefind_available", lambda: False)
    site = make_site(FILES)
    assert site.ok
    assert "WARNING: lessonbook: search: the `pagefind` package is not installed" in site.log
    assert (site.site / "explore" / "index.html").exists()


def test_lessons_are_indexed_alongside_the_build(make_site, caplog) -> None:
    caplog.set_level(logging.INFO, logger="mkdocs")
    make_site(FILES)
    assert "pagefind indexed 1 lessons alongside the build" in caplog.text


def test_without_the_live_service_the_cli_indexes_after_the_build(make_site, monkeypatch,
                                                                  caplog) -> None:
    caplog.set_level(logging.INFO, logger="mkdocs")
    monkeypatch.setattr(search_indexing, "start_parts",
                        lambda *_args, **_kwargs: (None, "not today"))
    site = make_site(FILES)
    assert "pagefind indexed the site in" in caplog.text
    entry = site.json("pagefind/pagefind-entry.json")
    assert sum(x["page_count"] for x in entry["languages"].values()) == len(FILES)


def test_search_document_has_every_searchable_part_escaped() -> None:
    kb = KnowledgeBase.from_sources([("pm-2.md", lesson_text(DETAILED, BODY).encode())],
                                    Settings())
    document = search_document(kb.lessons[0], "<p>body words</p>", "lessons/pm-2/")
    assert "<script>" not in document and "&lt;script&gt;" in document
    for words in ("quorumwave", "heliotrope", "marmalade", "zebrafish", "payments",
                  "wildcard certificate", "<p>body words</p>"):
        assert words in document, words
    assert document.count("data-pagefind-body") == 1


def test_the_index_holds_follow_ups_and_rules_but_not_the_similar_lists(make_site) -> None:
    site = make_site({**FILES, "lessons/pm-2.md": lesson_text(DETAILED, BODY)})
    records = _fragments(site.site)
    mine = next(r for url, r in records.items() if "pm-2" in url)
    for words in ("poison message", "quorumwave", "heliotrope", "marmalade", "zebrafish"):
        assert words in mine["content"], words
    assert "Ingress certificate expired" not in mine["content"]  # pm-1 is only linked
    assert mine["filters"]["service"] == sorted(FRONT["services"])
    assert mine["meta"]["title"] == DETAILED["title"]


def test_the_page_markup_and_the_live_index_share_one_list_of_fields(make_site) -> None:
    site = make_site(FILES)
    page = site.html("lessons/pm-1/")
    block = page[page.index('class="lb-pagefind"'):]
    block = block[:block.index("</div>")]
    on_page = [(a, n, html.unescape(v)) for a, n, v in
               re.findall(r'<span (data-pagefind-\w+)="([^"]+)">([^<]*)</span>', block)]
    kb = KnowledgeBase.from_sources([("lessons/pm-1.md", FILES["lessons/pm-1.md"].encode())],
                                    Settings())
    assert on_page == pagefind_fields(kb.lessons[0], "lessons/pm-1/")


def test_a_pagefind_service_that_dies_mid_build_hands_over_to_the_cli(tmp_path) -> None:
    live, why = pagefind_live.LiveIndex.start(tmp_path)
    assert live is not None, why
    os.kill(live.pid, signal.SIGKILL)
    stat = Path(f"/proc/{live.pid}/stat")
    for _ in range(500):  # until it is dead (a zombie, or gone)
        if not stat.exists() or stat.read_text().split(") ")[-1].startswith(("Z", "X")):
            break
        time.sleep(0.01)
    for i in range(50):  # enough to fill the pipe, were anything still reading it
        live.add("<html><body><article data-pagefind-body>x" * 2000, f"/p{i}/")
    result = live.finish(timeout=5)
    assert not result.ok and "pagefind" in result.message
