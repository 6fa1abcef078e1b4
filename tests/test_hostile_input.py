"""No input can crash or stall the build: a site holding one of each hostile file next to good
lessons. `--strict` fails with one clear message per file and no traceback; a normal build
still builds every valid lesson, and nothing a body's HTML says reaches the search index."""

from __future__ import annotations

import gzip
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from conftest import BuiltSite, build, lesson_text, write_site
from lessonbook.site import pagefind_index

HEAD = "title: Hostile\ntype: postmortem\ndate: 2025-03-04\n"
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi",
                                                                 strict=True))
MERGE = "m0: &m0 {k: 1, j: 2}\n" + "".join(
    f"m{i + 1}: &m{i + 1}\n  <<: [{', '.join([f'*m{i}'] * 9)}]\n" for i in range(10))
HOSTILE = {
    "alias-bomb.md": (BOMB, "once YAML aliases"),
    "merge-bomb.md": (MERGE, "once YAML aliases"),
    "deep.md": ("x: " + "[" * 1000 + "]" * 1000 + "\n", "levels deep"),
    "big-int.md": ("x: " + "9" * 5000 + "\n", "a number of 5,000 characters"),
    "feb-30.md": ("when: !!timestamp 2025-02-30\n", "is not a real date"),
    "not-a-date.md": ("when: !!timestamp not-a-date\n", "is not a real date"),
    "python-tag.md": ("x: !!python/object/apply:os.system ['id']\n", "is not accepted"),
    "template-nope.md": ("template: nope.html\n", "template 'nope.html' is not accepted"),
    "template-passwd.md": ("template: ../../etc/passwd\n", "template '../../etc/passwd'"),
    "long-id.md": ("id: " + "i" * 300 + "\n", "an id has at most 100"),
}
LONG = "x" * 300
GOOD = {
    "lessons/good.md": lesson_text({"id": "good", "title": "A good lesson", "type": "aar",
                                    "date": "2025-01-02"}),
    "lessons/long-values.md": lesson_text({"id": "long-values", "title": "Long values",
                                           "type": "postmortem", "date": "2025-01-03",
                                           "tags": [LONG], "services": [LONG + "s"],
                                           "teams": [LONG + "t"]}),
    "lessons/障害報告.md": lesson_text({"title": "決済の障害", "type": "postmortem",
                                       "date": "2025-01-04", "tags": ["決済"]}),
    "lessons/障害対応.md": lesson_text({"title": "検索の障害", "type": "postmortem",
                                       "date": "2025-01-05", "tags": ["検索"]}),
    "lessons/body-html.md": lesson_text(
        {"id": "body-html", "title": "Body HTML", "type": "postmortem", "date": "2025-01-06"},
        '## Summary\n\n<span data-pagefind-meta="url:javascript:alert(1)">x</span>\n'
        '<span DATA-PAGEFIND-META="title:Owned">y</span>\n'
        '<div data-pagefind-body><p>Fake record</p></div>\n'),
}


def hostile_files() -> dict[str, str]:
    files = dict(GOOD)
    for name, (front, _) in HOSTILE.items():
        files[f"lessons/{name}"] = f"---\n{HEAD}{front}---\nBody\n"
    return files


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> tuple[BuiltSite, BuiltSite]:
    strict_root = tmp_path_factory.mktemp("strict")
    normal_root = tmp_path_factory.mktemp("normal")
    strict = build(write_site(strict_root, hostile_files()), strict=True)
    normal = build(write_site(normal_root, hostile_files()))
    return strict, normal


def test_a_strict_build_fails_with_one_clear_message_per_hostile_file(sites):
    strict, _ = sites
    assert not strict.ok and "Traceback" not in strict.log
    for name, (_, message) in HOSTILE.items():
        lines = [line for line in strict.log.splitlines() if f"lessons/{name}:" in line]
        assert len(lines) == 1 and message in lines[0] and "ERROR" in lines[0], (name, lines)
        assert re.search(rf"lessons/{re.escape(name)}:\d+: error", lines[0]), lines[0]


def test_a_normal_build_builds_every_valid_lesson_and_leaves_the_hostile_ones_out(sites):
    _, normal = sites
    assert normal.ok and "Traceback" not in normal.log
    built = {Path(p).parent.name for p in normal.site.glob("lessons/*/index.html")}
    assert {"good", "long-values", "障害報告", "障害対応", "body-html"} <= built
    assert not built & {Path(name).stem for name in HOSTILE}
    ids = {lesson["id"] for lesson in normal.json("api/lessons.json")["lessons"]}
    assert len(ids) == 5 and "lesson" not in ids


def test_values_of_300_characters_get_taxonomy_pages_with_bounded_names(sites):
    _, normal = sites
    for folder in ("tags", "services", "teams"):
        pages = [p for p in (normal.site / folder).iterdir() if p.is_dir()]
        assert pages and all(len(p.name.encode()) <= 160 for p in pages)
        assert any(LONG in (p / "index.html").read_text(encoding="utf-8") for p in pages)


def test_non_latin_tags_get_their_own_readable_pages(sites):
    _, normal = sites
    assert (normal.site / "tags" / "決済" / "index.html").is_file()
    assert (normal.site / "tags" / "検索" / "index.html").is_file()


class _PagefindAttributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [(k, v) for k, v in attrs if k.startswith("data-pagefind")]


def test_body_html_cannot_set_pagefind_attributes_on_the_lesson_page(sites):
    _, normal = sites
    parser = _PagefindAttributes()
    parser.feed(normal.html("lessons/body-html/"))
    metas = [v for k, v in parser.found if k == "data-pagefind-meta"]
    assert "url" in metas and "title" in metas
    assert not [v for v in metas if v and ":" in v]
    assert [k for k, _ in parser.found].count("data-pagefind-body") == 1


@pytest.mark.skipif(not pagefind_index.pagefind_available(), reason="pagefind not installed")
def test_body_html_cannot_change_its_search_record_url_or_title(sites):
    _, normal = sites
    records: dict[str, Any] = {}
    for path in (normal.site / "pagefind" / "fragment").iterdir():
        raw = gzip.decompress(path.read_bytes())
        record = json.loads(raw[raw.index(b"{"):])
        records[record["meta"].get("title", "")] = record
    record = records["Body HTML"]
    assert record["meta"]["url"].endswith("lessons/body-html/")
    assert "Owned" not in records and "javascript" not in json.dumps(records)
