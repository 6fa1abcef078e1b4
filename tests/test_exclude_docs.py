"""mkdocs.yml's ``exclude_docs`` and ``draft_docs`` leave files out of a build; the CLI
(check, due, review, generate) leaves out exactly the same files, so the two never disagree."""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config
from mkdocs.structure.files import get_files

from conftest import build, lesson_text, write_site
from lessonbook import cli
from lessonbook.cli.project import load_project
from lessonbook.load.sources import published_files

NAMES = ["lessons/a.md", "lessons/drafts/b.md", "lessons/old/c.md", "notes/d.md", "e.md",
         "lessons/f.txt", "lessons/draft-g.md", "img/h.png"]
PATTERNS = ["drafts/", "/lessons/old/", "*.txt", "draft-*", "notes/", "!lessons/old/c.md",
            "**/b.md", "e.md", "/img"]


def _lesson(title: str) -> str:
    return lesson_text({"title": title, "type": "postmortem", "date": "2025-03-04"})


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(exclude=st.lists(st.sampled_from(PATTERNS), max_size=3),
       drafts=st.lists(st.sampled_from(PATTERNS), max_size=2))
def test_the_cli_publishes_exactly_the_files_mkdocs_does_under_exclude_and_draft_docs(
        exclude: list[str], drafts: list[str]):
    """The differential: MkDocs' get_files (a build: drafts left out) against the files the
    CLI's project settings select, for any exclude_docs and draft_docs."""
    extra = {}
    if exclude:
        extra["exclude_docs"] = "\n".join(exclude)
    if drafts:
        extra["draft_docs"] = "\n".join(drafts)
    with tempfile.TemporaryDirectory() as tmp:
        config = write_site(Path(tmp), {n: _lesson(n) if n.endswith(".md") else b"x"
                                        for n in NAMES}, {"search": {"pagefind": False}},
                            extra_config=extra)
        built = {f.src_uri for f in get_files(load_config(str(config)))
                 if f.inclusion.is_included()}
        project = load_project(config)
        assert set(published_files(project.docs_dir, project.settings)) == built


def test_a_broken_lesson_mkdocs_excludes_fails_neither_the_build_nor_check(tmp_path):
    broken = "---\ntitle: [unclosed\n---\nbody\n"
    config = write_site(tmp_path, {"lessons/ok.md": _lesson("Fine"),
                                   "lessons/wip/broken.md": broken},
                        {"search": {"pagefind": False}},
                        extra_config={"exclude_docs": "wip/\n"})
    site = build(config, strict=True)
    assert site.ok, site.log
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main(["check", "--config", str(config), "--format", "json"])
    assert code == 0, out.getvalue()
    assert not [p for p in json.loads(out.getvalue())["problems"]
                if p["path"].endswith("broken.md")]


def test_the_same_broken_lesson_fails_both_when_it_is_not_excluded(tmp_path):
    """The test above is not vacuous: without exclude_docs, both refuse the broken file."""
    config = write_site(tmp_path, {"lessons/ok.md": _lesson("Fine"),
                                   "lessons/wip/broken.md": "---\ntitle: [unclosed\n---\nx\n"},
                        {"search": {"pagefind": False}})
    assert not build(config, strict=True).ok
    with contextlib.redirect_stdout(io.StringIO()):
        assert cli.main(["check", "--config", str(config), "--format", "json"]) == 1
