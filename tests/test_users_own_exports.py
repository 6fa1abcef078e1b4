"""A user's own file at a path Lessonbook exports to (feed.xml, api/*.json) is theirs: it is
published as written, the generated one is not written over it, and the log says so."""

from __future__ import annotations

import logging

import pytest

from conftest import build, lesson_text, write_site
from lessonbook.cli.main import main as lessonbook
from lessonbook.model.options import parse_options
from lessonbook.site.build import output_names

OWN_FEED = '<?xml version="1.0"?><feed>our own feed zqfeed</feed>\n'
OWN_LESSONS = '{"ours": "zqjson"}\n'


def _files() -> dict[str, str | bytes]:
    return {"feed.xml": OWN_FEED, "api/lessons.json": OWN_LESSONS,
            "lessons/ok.md": lesson_text({"title": "Fine", "type": "postmortem",
                                          "date": "2025-03-05"})}


def test_a_users_feed_and_export_files_are_published_not_overwritten(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="mkdocs")
    site = build(write_site(tmp_path, _files(), {"export": True,
                                                 "search": {"pagefind": False}}), strict=True)
    assert site.ok, site.log
    assert (site.site / "feed.xml").read_text(encoding="utf-8") == OWN_FEED
    assert (site.site / "api/lessons.json").read_text(encoding="utf-8") == OWN_LESSONS
    assert "Fine" in (site.site / "api/checklists.json").read_text(encoding="utf-8") or \
        (site.site / "api/follow-ups.json").is_file()  # the rest are still written
    said = "\n".join(caplog.messages)
    assert "feed.xml is your own file: it is published instead of the generated one" in said
    assert "api/lessons.json is your own file" in said


def test_generate_keeps_a_users_feed_and_export_files(tmp_path):
    config = write_site(tmp_path / "src", _files(), {"export": True,
                                                      "search": {"pagefind": False}})
    out = tmp_path / "out"
    assert lessonbook(["generate", str(out), "-f", str(config)]) == 0
    assert (out / "docs/feed.xml").read_text(encoding="utf-8") == OWN_FEED
    assert (out / "docs/api/lessons.json").read_text(encoding="utf-8") == OWN_LESSONS
    assert (out / "docs/api/follow-ups.json").is_file()


@pytest.mark.parametrize("insights", [True, False])
def test_the_names_said_in_advance_are_the_files_written(tmp_path, insights):
    """output_names (known before analysis, used to spot a user's own file) is exactly what
    the build writes beside its pages."""
    files = {"lessons/ok.md": _files()["lessons/ok.md"]}
    site = build(write_site(tmp_path, files, {"export": True, "insights": {"enabled": insights},
                                              "search": {"pagefind": False}}))
    assert site.ok, site.log
    options, _ = parse_options({"export": True, "insights": {"enabled": insights}})
    written = {p.relative_to(site.site).as_posix() for p in site.site.rglob("*")
               if p.suffix in {".json", ".xml"} and p.name != "sitemap.xml"
               and p.parent.name != "search"}  # Material's search plugin's, not ours
    assert written == set(output_names(options))
