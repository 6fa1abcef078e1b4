"""`lessonbook import` recognises files that already have front-matter (Hugo's TOML, Jekyll's
and Hugo's YAML, JSON): what their front-matter says is kept, the body is not touched, and a
hostile front-matter is a clear failure for that file."""

from __future__ import annotations

import time
from pathlib import Path

from lessonbook import cli
from lessonbook.load.knowledge_base import KnowledgeBase

HUGO = """+++
title = "Cache stampede after deploy"
date = 2024-03-05T10:00:00Z
tags = ["redis", "cache"]
categories = ["capacity", "Infra"]
draft = true
weight = 3
+++

## Summary

The cache emptied on deploy and every request went to the database.

## Action items

- [x] Warm the cache before switching traffic
- [ ] Add jitter to expiry
"""

JEKYLL = """---
layout: post
title: "DNS outage <script>"
date: 2023-07-01
description: Resolvers timed out for 40 minutes.
---
Resolvers timed out. Nobody could log in.
"""

JSON = '{\n "title": "Queue backlog",\n "date": "2022-01-02"\n}\n\nThe queue grew.\n'


def _import(tmp_path: Path, capsys, **files: str) -> tuple[int, str]:
    for name, text in files.items():
        (tmp_path / f"{name}.md").write_text(text, encoding="utf-8")
    status = cli.main(["import", *(str(tmp_path / f"{n}.md") for n in files), "--out",
                       str(tmp_path / "out")])
    return status, capsys.readouterr().out


def test_hugo_toml_front_matter_is_kept_and_the_body_is_untouched(tmp_path, capsys):
    status, out = _import(tmp_path, capsys, hugo=HUGO)
    assert status == 0 and "TOML front-matter read" in out and "not kept: weight" in out
    lesson = KnowledgeBase.load(tmp_path / "out").lessons[0]
    assert (lesson.title, lesson.date.isoformat(), lesson.status) == (
        "Cache stampede after deploy", "2024-03-05", "draft")
    assert lesson.tags == ["redis", "cache", "Infra"] and lesson.categories == ["capacity"]
    assert [f.status for f in lesson.follow_ups] == ["done", "open"]
    assert lesson.body == HUGO.split("+++\n", 2)[2].lstrip("\n")


def test_jekyll_yaml_and_json_front_matter_are_recognised(tmp_path, capsys):
    status, out = _import(tmp_path, capsys, jekyll=JEKYLL, queue=JSON)
    assert status == 0
    lessons = {x.id: x for x in KnowledgeBase.load(tmp_path / "out").lessons}
    assert lessons["jekyll"].title == "DNS outage <script>"
    assert lessons["jekyll"].summary == "Resolvers timed out for 40 minutes."
    assert lessons["queue"].date.isoformat() == "2022-01-02"


def test_a_file_that_is_already_a_lesson_is_skipped(tmp_path, capsys):
    status, out = _import(tmp_path, capsys, done="---\ntitle: T\ntype: postmortem\n"
                          "date: 2024-01-01\n---\nBody\n")
    assert status == 0 and "already a lesson" in out
    assert not (tmp_path / "out" / "done.md").exists()


def test_an_alias_bomb_in_front_matter_fails_that_file_quickly(tmp_path, capsys):
    levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcde", "bcdef", strict=True):
        levels.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    started = time.perf_counter()
    status, out = _import(tmp_path, capsys, bomb="---\n" + "\n".join(levels) + "\n---\nx\n",
                          good=JSON)
    assert time.perf_counter() - started < 10
    assert status == 1 and "failed:" in out and "aliases" in out
    assert (tmp_path / "out" / "good.md").exists()


def test_unreadable_toml_front_matter_is_a_clear_failure(tmp_path, capsys):
    status, out = _import(tmp_path, capsys, broken='+++\ntitle = "unterminated\n+++\nx\n')
    assert status == 1 and "TOML front-matter cannot be read" in out
