"""A lesson page says each thing once: when the body already tells the summary or lists the
follow-up actions word for word (as every imported lesson's body does), the page's own copy
is left out; anything the front-matter says beyond the body keeps its block (issue #26).

Lessons are written by `lessonbook import` (the CLI) and built into real sites; the page's
visible text is read back (hidden search markup removed)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml

from conftest import CORPUS, build, write_site
from lessonbook.cli.main import main

POSTMORTEM = """\
# Queue consumers stalled after a broker upgrade

## Summary

After the broker upgrade on 3 March 2024 the **order consumers** stopped acknowledging
messages, and orders waited for 40 minutes.

The rollback took another ten minutes.

## Timeline

| Time             | Event                        |
| :--------------- | ---------------------------- |
| 2024-03-03 10:00 | Broker upgraded              |
| 2024-03-03 10:40 | Consumers restarted          |

## Action Items

- [x] Pin the client library to the broker's protocol version
- Add a consumer-lag alert for the order queue
  with a five-minute window
- **Upgrade runbook**
  gets a step to restart consumers one by one
"""


def _visible_text(page: str) -> str:
    """The lesson article's text as a reader sees it: hidden parts (search markup) removed."""
    article = page[page.index('<article class="lb-lesson"'):page.index("</article>")]
    article = re.sub(r"<(div|p)\b[^>]*\bhidden\b[^>]*>.*?</\1>", "", article, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", article)).split())


def _front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def _import(tmp_path: Path, *sources: Path) -> Path:
    docs = tmp_path / "docs"
    status = main(["import", *map(str, sources), "--out", str(docs / "lessons"),
                   "--config", str(tmp_path / "none.yml")])
    assert status == 0
    return docs


def _build(tmp_path: Path):
    site = build(write_site(tmp_path, {}, {"search": {"pagefind": False}},
                            {"markdown_extensions": ["tables", {"toc": {"permalink": True}}]}))
    assert site.ok, site.log
    return site


def _once(text: str, part: str) -> int:
    return text.count(" ".join(part.split()))


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    source = tmp_path / "src" / "PM2024-003 - Queue consumers stalled.md"
    source.parent.mkdir()
    source.write_text(POSTMORTEM, encoding="utf-8")
    return next((_import(tmp_path, source) / "lessons").glob("*.md"))


def test_an_imported_lesson_shows_its_summary_and_its_actions_once(tmp_path, imported):
    meta = _front(imported)
    assert meta["summary"] and len(meta["follow_ups"]) == 3  # what import lifted out
    site = _build(tmp_path)
    text = _visible_text(site.html("lessons/PM2024-003/"))
    assert _once(text, meta["summary"]) == 1
    for follow_up in meta["follow_ups"]:
        action = re.sub(r"\s*\(detail: .*\)$", "", follow_up["action"])
        assert _once(text, action.split(":")[0]) == 1, action
    assert "The rollback took another ten minutes." in text  # the body is whole


def test_the_follow_ups_table_gives_way_to_one_line_on_how_they_stand(tmp_path, imported):
    page = _build(tmp_path).html("lessons/PM2024-003/")
    assert 'id="follow-ups"' not in page and "<th>Action</th>" not in page
    text = _visible_text(page).replace(" :", ":")  # tags became spaces
    # The import gives no status the text does not (#23): two are "unknown", not "open".
    assert "tracked as 3 follow-ups: 1 done, 2 unknown." in text
    assert 'href="../../follow-ups/"' in page


def test_what_the_front_matter_says_beyond_the_body_keeps_its_block(tmp_path, imported):
    text = imported.read_text(encoding="utf-8")
    text = text.replace("summary: ", "summary: Edited. ", 1).replace(
        "follow_ups:\n", "follow_ups:\n- action: Review consumer timeouts across all queues\n"
        "  status: open\n", 1)
    imported.write_text(text, encoding="utf-8")
    page = _build(tmp_path).html("lessons/PM2024-003/")
    assert 'class="lb-summary"' in page  # an edited summary is not the body's paragraph
    assert 'id="follow-ups"' in page and "Review consumer timeouts across all queues" in page


def test_a_hand_written_lesson_is_unchanged(tmp_path):
    lesson = ("---\ntitle: Cache stampede\ntype: postmortem\ndate: 2024-05-01\n"
              "summary: The cache expired for every key at once.\n"
              "follow_ups:\n- action: Add jitter to cache expiry\n  owner: sre\n"
              "  due: 2024-06-01\n---\n## What happened\n\nEvery key expired at midnight; "
              "we will add jitter to cache expiry.\n")
    docs = tmp_path / "docs" / "lessons"
    docs.mkdir(parents=True)
    (docs / "pm-1.md").write_text(lesson, encoding="utf-8")
    page = _build(tmp_path).html("lessons/pm-1/")
    assert 'class="lb-summary"' in page and 'id="follow-ups"' in page


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not available")
def test_no_page_of_the_real_corpus_repeats_its_summary_or_an_action(tmp_path):
    docs = _import(tmp_path, *sorted(p for p in CORPUS.iterdir() if p.is_dir()))
    site = _build(tmp_path)
    checked = 0
    for path in sorted((docs / "lessons").rglob("*.md")):
        meta = _front(path)
        url = "lessons/" + path.relative_to(docs / "lessons").with_suffix("").as_posix() + "/"
        text = _visible_text(site.html(url))
        if meta.get("summary"):
            assert _once(text, meta["summary"]) <= 1, (url, meta["summary"][:60])
        for follow_up in meta.get("follow_ups", []):
            action = re.sub(r"\s*\(detail: .*\)$", "", follow_up["action"], flags=re.S)
            assert _once(text, action[:60]) <= 1, (url, action[:60])
        checked += 1
    assert checked >= 40
