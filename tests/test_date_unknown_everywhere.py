"""A lesson with `date: unknown` (an import that found no date) says "date unknown" wherever a
date shows — pages, lists, the feed, the JSON exports, Insights — sorts last, and is left out
of date-based charts, digests and the feed with the count said (#23). Proven on a real build:
no file the build writes may show the sentinel day 0001-01-01."""

from __future__ import annotations

import re

import feedparser

from conftest import lesson_text

DATED = {
    f"pm-{i}.md": lesson_text({"id": f"pm-{i}", "title": f"Queue stalled {i}",
                               "type": "postmortem", "date": f"2025-0{i}-10",
                               "services": ["orders"], "summary": "The queue stalled.",
                               "follow_ups": [{"action": "Alert on lag", "owner": "sre",
                                               "due": "2025-12-01", "status": "open"}]})
    for i in range(1, 4)}
UNKNOWN = lesson_text({"id": "pm-undated", "title": "Imported outage with no date",
                       "type": "postmortem", "date": "unknown", "services": ["orders"],
                       "summary": "The queue stalled; nobody wrote down when.",
                       "follow_ups": [{"action": "Page on queue lag", "status": "open"}],
                       "imported_from": {"source": "old/pm.md", "date": "2026-11-01"}})
SENTINEL = re.compile(r"0001-01-01|\b0001\b|Q1 1\b|\b1-q1\b")
SORT_KEY = '<span data-pagefind-sort="date">0001-01-01</span>'
"""Pagefind's hidden sort key (never shown): the unknown day sorts as the oldest."""


def test_no_page_feed_or_export_shows_the_sentinel_day_and_each_says_date_unknown(make_site):
    site = make_site({**DATED, "pm-undated.md": UNKNOWN},
                     {"build_date": "2026-11-20", "search": {"pagefind": False}},
                     extra_config={"site_url": "https://example.org/kb/"})
    assert site.ok, site.log
    shown = []
    for path in site.site.rglob("*"):
        if path.suffix in (".html", ".json", ".xml") and path.is_file():
            text = path.read_text(encoding="utf-8").replace(SORT_KEY, "")
            shown += [f"{path.relative_to(site.site)}: {m.group()}"
                      for m in SENTINEL.finditer(text)]
    assert shown == []
    assert not (site.site / "digests" / "1-q1").exists()

    page = site.html("pm-undated/")
    assert 'class="lb-date-unknown">date unknown</span>' in page
    listing = site.html("lessons/")
    assert listing.index("pm-undated") > max(listing.index(f"pm-{i}") for i in range(1, 4))
    assert "date unknown: 1" in site.html("services/orders/")

    record = next(x for x in site.json("api/lessons.json")["lessons"] if x["id"] == "pm-undated")
    assert record["date"] is None

    feed = feedparser.parse((site.site / "feed.xml").read_text(encoding="utf-8"))
    assert "1 lesson whose date is unknown not included" in feed.feed.subtitle
    assert not any("no date" in e.title for e in feed.entries)

    assert "(1 more whose date is unknown, left out of every chart)" in site.html("insights/")
    assert site.json("api/insights.json")["undated_lessons"] == 1
    assert "1 lesson whose date is unknown is in no digest" in site.html("digests/")
