"""Options that name nothing (a lesson_dirs folder, an exclude that leaves no lesson, a
start_here id) warn in the build and in `check` alike, and fail --strict; whatever they select,
a file with lesson front-matter is never published as a plain page."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import build, lesson_text, write_site
from lessonbook import cli

SECRET = "SECRETMARK-7f3a"
LESSONS = {
    "incidents/pm-1.md": lesson_text({"id": "pm-2025-001", "title": "Open", "type": "postmortem",
                                      "date": "2025-01-02"}),
    "incidents/pm-2.md": lesson_text({"id": "pm-2025-002", "title": "Secret",
                                      "type": "postmortem", "date": "2025-01-03",
                                      "visibility": "restricted"},
                                     f"## Summary\n\n{SECRET}\n"),
    "index.md": "# Home\n\nWelcome.\n",
}
SELECTS_NOTHING = {
    "missing-folder": ({"lesson_dirs": ["incident"]}, "there is no folder 'incident'"),
    "exclude-everything": ({"exclude": ["index.md", "incidents/*"]},
                           "option 'exclude' leaves no lessons"),
    "unknown-start-here": ({"start_here": {"pm-2025-01": "why"}},
                           "no lesson has the id 'pm-2025-01'"),
}


def _site(root: Path, options: dict) -> Path:
    return write_site(root, LESSONS, {"audience": "public", "search": {"pagefind": False},
                                      **options})


def _output(site: Path) -> bytes:
    return b"".join(p.read_bytes() for p in site.rglob("*") if p.is_file())


@pytest.mark.parametrize("case", SELECTS_NOTHING)
def test_an_option_that_names_nothing_warns_in_build_and_check_and_fails_strict(
        tmp_path, monkeypatch, capsys, case):
    options, message = SELECTS_NOTHING[case]
    config = _site(tmp_path, options)
    normal = build(config)
    assert normal.ok and "WARNING: lessonbook: " in normal.log and message in normal.log
    assert not build(config, strict=True).ok
    monkeypatch.chdir(tmp_path)
    status = cli.main(["check", "--audience", "public"])
    out = capsys.readouterr().out
    assert message in out and "mkdocs.yml: warning:" in out, out
    assert cli.main(["check", "--strict"]) == 1
    assert status == (1 if case != "unknown-start-here" else 0)  # + the stray lessons' errors


@pytest.mark.parametrize("case", ["missing-folder", "exclude-everything"])
def test_when_the_selection_misses_the_lessons_none_is_published_as_a_plain_page(
        tmp_path, case):
    """Before: every lesson, restricted ones included, became a plain page of a public build."""
    built = build(_site(tmp_path, SELECTS_NOTHING[case][0]))
    assert SECRET.encode() not in _output(built.site)
    assert not (built.site / "incidents" / "pm-1" / "index.html").exists()
    assert ("incidents/pm-1.md: error: its front-matter has lesson fields (type: 'postmortem')"
            in built.log)
    assert (built.site / "index.html").exists()  # the ordinary page is still published


def test_an_excluded_file_with_lesson_front_matter_is_an_error_in_check_too(tmp_path,
                                                                          monkeypatch, capsys):
    _site(tmp_path, {"exclude": ["index.md", "incidents/pm-2.md"]})
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check"]) == 1
    out = capsys.readouterr().out
    assert ("docs/incidents/pm-2.md: error: its front-matter has lesson fields (visibility: "
            "'restricted') but it matches the exclude pattern 'incidents/pm-2.md'") in out, out


def test_a_front_matter_too_broken_to_parse_still_keeps_a_restricted_file_out(tmp_path):
    files = {"notes/x.md": f"---\nvisibility: restricted\ntitle: [unclosed\n---\n{SECRET}\n"}
    built = build(write_site(tmp_path, files, {"lesson_dirs": ["incidents"],
                                               "search": {"pagefind": False}}))
    assert SECRET.encode() not in _output(built.site)


@st.composite
def selections(draw: st.DrawFn) -> dict:
    folders = st.sampled_from([".", "incidents", "incident", "docs", "incidents/", "x/y"])
    patterns = st.sampled_from(["index.md", "incidents/*", "*.md", "**", "incidents/pm-2.md",
                                "nothing/*", "*/pm-*"])
    return {"lesson_dirs": draw(st.lists(folders, min_size=1, max_size=2)),
            "exclude": draw(st.lists(patterns, max_size=3))}


@settings(max_examples=5, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(options=selections())
def test_whatever_the_selection_no_restricted_marker_reaches_a_public_build(tmp_path_factory,
                                                                           options):
    """The invariant behind the cases: lesson_dirs and exclude decide which files are lessons,
    never whether a restricted one is published."""
    root = tmp_path_factory.mktemp("sel")
    built = build(_site(root, options))
    assert "Traceback" not in built.log
    assert SECRET.encode() not in _output(built.site), options
