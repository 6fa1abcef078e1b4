"""What Pagefind's excerpts are made of: the lesson's own sentences, never the title, the
metadata line or a heading's permalink mark (issue #26: Explore's excerpts repeated the title
or the tags line, and showed a stray "¶").

A real site is built with the toc extension's permalinks on (as the example's mkdocs.yml has
them) and the Pagefind record of each lesson is read back from the index."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from conftest import lesson_text

FRONT: dict[str, Any] = {
    "id": "pm-1", "title": "Ledger replay doubled the nightly totals", "type": "postmortem",
    "date": "2025-03-14", "summary": "A replayed ledger batch was counted twice overnight.",
    "services": ["ledger"], "teams": ["finance-platform"], "tags": ["replay", "batch-jobs"],
}
BODY = ("## What happened\n\nThe replay job ran after the nightly close and posted every entry "
        "again.\n\n## What we changed\n\nReplays now carry the batch id and are refused twice.\n")
PERMALINKS = {"markdown_extensions": ["admonition", "tables", "attr_list", "md_in_html",
                                      {"toc": {"permalink": True}}]}


def _records(site_dir: Path) -> dict[str, dict[str, Any]]:
    records = {}
    for path in (site_dir / "pagefind" / "fragment").iterdir():
        raw = gzip.decompress(path.read_bytes())
        record = json.loads(raw[raw.index(b"{"):])
        records[record["url"]] = record
    return records


def _record(make_site) -> tuple[Any, dict[str, Any]]:
    site = make_site({"lessons/pm-1.md": lesson_text(FRONT, BODY)},
                     extra_config=PERMALINKS)
    assert site.ok, site.log
    (record,) = _records(site.site).values()
    return site, record


def test_a_lessons_search_record_opens_with_its_summary_then_its_body(make_site) -> None:
    _, record = _record(make_site)
    content = record["content"]
    assert content.startswith(FRONT["summary"])
    assert content.index("The replay job ran") < content.index(FRONT["title"])


def test_the_title_and_the_metadata_words_stay_searchable_after_the_body(make_site) -> None:
    _, record = _record(make_site)
    content = record["content"]
    for word in (FRONT["title"], "batch-jobs", "finance-platform", "ledger"):
        assert word in content, word
    body_end = content.index("refused twice")
    assert content.index(FRONT["title"]) > body_end
    assert record["meta"]["title"] == FRONT["title"]


def test_heading_permalinks_are_not_indexed(make_site) -> None:
    site, record = _record(make_site)
    assert "¶" not in record["content"]
    assert all("¶" not in a["text"] for a in record["anchors"])
    page = site.html("lessons/pm-1/")
    assert 'class="headerlink"' in page  # the page keeps its permalinks for readers ...
    assert page.count('<a class="headerlink"') == 0  # ... each marked data-pagefind-ignore
    assert page.count('<a data-pagefind-ignore class="headerlink"') == 2
