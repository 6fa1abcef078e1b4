"""Search wiring in real builds: Pagefind markup on lesson pages only, the Explore page and its
hooks, front-matter words in Material's index, options, and a missing Pagefind."""

from __future__ import annotations

import html
import logging
import re
from typing import Any

from conftest import lesson_text
from lessonbook import pagefind_index, pagefind_live

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
    monkeypatch.setattr(pagefind_live.LiveIndex, "start", classmethod(
        lambda cls, site_dir: (None, "not today")))
    site = make_site(FILES)
    assert "pagefind indexed the site in" in caplog.text
    entry = site.json("pagefind/pagefind-entry.json")
    assert sum(x["page_count"] for x in entry["languages"].values()) == len(FILES)
