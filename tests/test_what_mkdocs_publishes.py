"""What MkDocs publishes decides what is a lesson: every file it would render or copy whose
front-matter has lesson fields is a lesson or refused with an error, whatever its name; a
build never writes one above its audience; check and the build agree."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.utils import markdown_extensions

from conftest import build, lesson_text, write_site
from lessonbook import cli
from lessonbook.load.sources import PAGE_EXTENSIONS, lesson_fields, read_sources
from lessonbook.model.vocabulary import Settings

LESSON_DIRS = ["lessons", "_drafts"]
EXCLUDE = ["index.md", "README.md", "lessons/plain-*"]
PLUGIN = {"audience": "public", "lesson_dirs": LESSON_DIRS, "exclude": EXCLUDE,
          "search": {"pagefind": False}, "lint": False}

EXTENSIONS = ["md", "markdown", "mdown", "mkdn", "mkd", "mdwn", "mdtxt", "text", "txt",
              "Rmd", "html", ""]
_stems = st.text(st.sampled_from("abzé日ü -_.0"), min_size=1, max_size=8).filter(
    lambda s: s.strip(" .") == s and "/" not in s)


@st.composite
def _ext_any_case(draw: st.DrawFn) -> str:
    ext = draw(st.sampled_from(EXTENSIONS))
    flips = draw(st.lists(st.booleans(), min_size=len(ext), max_size=len(ext)))
    return "".join(c.upper() if f else c for c, f in zip(ext, flips, strict=True))


@st.composite
def lesson_files(draw: st.DrawFn, max_files: int = 4) -> dict[str, str]:
    """Docs-relative name → visibility: names with MkDocs' page endings and others in any
    case, unicode, dots, spaces, dot-names, in lesson folders, excluded or outside them."""
    count = draw(st.integers(1, max_files))
    files: dict[str, str] = {}
    seen: set[str] = set()
    for _ in range(count):
        folder = draw(st.sampled_from(["lessons/", "lessons/plain-", "_drafts/", "notes/", "",
                                       "lessons/."]))
        stem = draw(_stems)
        ext = draw(_ext_any_case())
        name = f"{folder}{stem}" + (f".{ext}" if ext else "")
        # one file per folder and stem: two pages at one URL are MkDocs' own conflict (it
        # drops one with a warning), not this class
        if f"{folder}{stem}".casefold() in seen or stem.casefold() in {"index", "readme"}:
            continue
        seen.add(f"{folder}{stem}".casefold())
        files[name] = draw(st.sampled_from(["public", "internal", "restricted"]))
    return files


def _marker(index: int, visibility: str) -> str:
    return f"zqmk{index}{visibility[:3]}x"


def _write(files: dict[str, str]) -> dict[str, str | bytes]:
    """Each file a lesson of its visibility with a marker of its own in title and body."""
    return {name: lesson_text(
        {"title": f"Title {_marker(i, vis)}", "type": "postmortem", "date": "2025-03-04",
         "visibility": vis, "summary": f"summary {_marker(i, vis)}"},
        f"## Summary\n\nBody {_marker(i, vis)}.\n")
        for i, (name, vis) in enumerate(files.items())}


def _check_json(config_file: Path) -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        cli.main(["check", "--config", str(config_file), "--format", "json",
                  "--audience", "public"])
    return json.loads(out.getvalue())


def _output_bytes(site: Path) -> list[tuple[str, bytes]]:
    return [(str(p.relative_to(site)), p.read_bytes().lower())
            for p in site.rglob("*") if p.is_file()]


_SLOW = settings(max_examples=6, deadline=None, derandomize=True,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def test_the_cli_knows_the_page_endings_mkdocs_has():
    """`lessonbook check` has no MkDocs import: its copy of what MkDocs renders as a page is
    MkDocs' own."""
    assert tuple(markdown_extensions) == PAGE_EXTENSIONS


@_SLOW
@given(files=lesson_files())
def test_a_public_build_writes_no_byte_of_a_lesson_above_it_whatever_the_file_is_called(
        files: dict[str, str]):
    """Any name, extension (in any case) and folder: a restricted or internal lesson's marker
    is in no output byte; every file MkDocs would publish is a lesson or an error, and
    `lessonbook check` reaches the same verdict as the build."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        config = write_site(root, _write(files), PLUGIN)
        site = build(config)
        assert site.ok and "Traceback" not in site.log and "internal error" not in site.log, \
            site.log
        output = _output_bytes(site.site)
        for i, (name, vis) in enumerate(files.items()):
            if vis != "public":
                leaks = [path for path, data in output if _marker(i, vis).encode() in data]
                assert leaks == [], (name, leaks)
        check = _check_json(config)
        docs = (root / "docs").resolve()
        check_errors = {Path(p["path"]).resolve().relative_to(docs).as_posix()
                        for p in check["problems"] if p["severity"] == "error"}
        left_out = {Path(p).resolve().relative_to(docs).as_posix()
                    for p in check["audience"]["left_out"]}
        build_errors = {name for name in files if f"lessonbook: {name}: error" in site.log}
        assert check_errors == build_errors
        mkdocs_files = {f.src_uri: f for f in get_files(load_config(str(config)))}
        for i, (name, vis) in enumerate(files.items()):
            published = mkdocs_files.get(name)
            if published is None or not published.inclusion.is_included():
                continue  # MkDocs does not publish it (a dot-name): nothing to decide
            shown = any(_marker(i, vis).encode() in data for _, data in output)
            if vis == "public":
                assert (name in build_errors) != shown, (name, site.log)
            else:
                assert (name in build_errors) != (name in left_out), (name, check)
            if vis == "public" and shown:  # published as a lesson, not as a copied file
                assert published.is_documentation_page(), name
                assert (site.site / published.dest_uri).read_bytes()[:3] != b"---", name


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(files=lesson_files(max_files=6))
def test_lessonbook_reads_as_lessons_exactly_the_pages_mkdocs_renders_and_refuses_the_rest(
        files: dict[str, str]):
    """The differential: MkDocs' get_files says which files it renders as pages and which it
    copies; the CLI's reading (no MkDocs) takes as lessons only pages MkDocs renders, never a
    file MkDocs leaves out, and every other published file with lesson fields is refused."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        config = write_site(root, _write(files), PLUGIN)
        mkdocs_files = {f.src_uri: f for f in get_files(load_config(str(config)))
                        if f.inclusion.is_included()}
        sources = {s.path: s for s in read_sources(
            root / "docs", Settings(lesson_dirs=tuple(LESSON_DIRS), exclude=tuple(EXCLUDE)))}
        assert set(sources) <= set(mkdocs_files), "the CLI reads only what MkDocs publishes"
        for path, file in mkdocs_files.items():
            source = sources.get(path)
            assert source is not None, f"{path}: published by MkDocs, unseen by Lessonbook"
            if source.error is None:
                assert file.is_documentation_page(), f"{path}: a lesson MkDocs would copy"
            else:
                assert source.is_error and source.code == "not-a-lesson", (path, source)


def test_lesson_fields_are_found_in_front_matter_yaml_cannot_read():
    """A broken block still counts: its visibility line is read as text."""
    assert lesson_fields(b"---\nvisibility: restricted\ntitle: [unclosed\n---\nx") == \
        "visibility: 'restricted'"
    assert lesson_fields(b"---\ntitle: a page\nhide: [toc]\n---\nx") is None
    assert lesson_fields(b"\xef\xbb\xbf---\ntype: postmortm\n---\n") == "type: 'postmortm'"
    assert lesson_fields(b"# no front-matter\nvisibility: restricted\n") is None


def test_a_lesson_at_a_generated_pages_url_is_an_error_naming_both_in_build_and_check(
        tmp_path):
    """insights.md at the docs root, hidden for the audience: an error naming the lesson
    and the Insights page; the generated page keeps its URL, so the nav link is not dead."""
    files = {"insights.md": lesson_text({"title": "Secret zqins", "type": "postmortem",
                                         "date": "2025-03-04", "visibility": "restricted"}),
             "tags/db.md": lesson_text({"title": "Tag zqtag", "type": "postmortem",
                                        "date": "2025-03-04", "visibility": "public"}),
             "lessons/ok.md": lesson_text({"title": "Fine", "type": "postmortem",
                                           "date": "2025-03-05", "visibility": "public",
                                           "tags": ["db"]})}
    config = write_site(tmp_path, files, {"audience": "public", "search": {"pagefind": False}})
    site = build(config, strict=True)
    assert not site.ok
    for name, owner in (("insights.md", "Insights page (insights.md)"),
                        ("tags/db.md", "a tag's page (tags/db.md)")):
        assert f"{name}: error: this lesson would be published at" in site.log
        assert owner in site.log
    site = build(config)
    assert "lessonbook-insights" in site.html("insights/") or "Insights" in site.html(
        "insights/")
    assert b"zqins" not in b"".join(data for _, data in _output_bytes(site.site))
    problems = {(Path(p["path"]).resolve(), p["code"]) for p in _check_json(config)["problems"]}
    docs = (tmp_path / "docs").resolve()
    assert {(docs / "insights.md", "generated-url"), (docs / "tags/db.md", "generated-url")} \
        <= problems


def test_a_users_own_page_replacing_a_generated_one_is_kept_and_said_in_the_log(tmp_path,
                                                                               caplog):
    """A plain page named like a generated one is deliberate: it is published, the build
    passes --strict, and the log says which generated page it replaced."""
    caplog.set_level(logging.INFO, logger="mkdocs")
    files = {"glossary.md": "# Our own glossary zqown\n",
             "lessons/ok.md": lesson_text({"title": "Fine", "type": "postmortem",
                                           "date": "2025-03-05"})}
    site = build(write_site(tmp_path, files, {"exclude": ["glossary.md"],
                                              "search": {"pagefind": False}}), strict=True)
    assert site.ok, site.log
    assert "zqown" in site.html("glossary/")
    assert ("lessonbook: glossary.md is your own page: it is published instead of the "
            "generated 'Glossary' page") in caplog.messages


def test_attachments_only_left_out_lessons_use_are_left_out_with_them(tmp_path):
    """A public build leaves out the image and PDF only the restricted lesson refers to, and
    keeps the image a public lesson shows too; a restricted build keeps them all."""
    files: dict[str, str | bytes] = {
        "lessons/secret.md": lesson_text(
            {"title": "Secret", "type": "postmortem", "date": "2025-03-04",
             "visibility": "restricted"},
            "![graph](img/secret-graph.png)\n\n[report](../files/report%20v1.pdf)\n\n"
            '<img src="../img/shared.png">\n'),
        "lessons/open.md": lesson_text(
            {"title": "Open", "type": "postmortem", "date": "2025-03-05",
             "visibility": "public"}, "![shared](../img/shared.png)\n"),
        "lessons/img/secret-graph.png": b"\x89PNG secret",
        "img/shared.png": b"\x89PNG shared",
        "files/report v1.pdf": b"%PDF secret",
        "img/unreferenced.png": b"\x89PNG other",
    }
    for audience, absent in (("public", {"lessons/img/secret-graph.png", "files/report v1.pdf"}),
                             ("restricted", set())):
        config = write_site(tmp_path, files, {"audience": audience,
                                              "search": {"pagefind": False}},
                            {"site_dir": f"site-{audience}"})
        site = build(config, strict=True)
        assert site.ok, site.log
        out = tmp_path / f"site-{audience}"
        written = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
        every = {"lessons/img/secret-graph.png", "files/report v1.pdf", "img/shared.png",
                 "img/unreferenced.png"}
        assert every - written == absent, audience


def test_every_page_the_build_plans_has_its_url_owned():
    """model/site_urls.py is the table the file selection refuses lessons by: every page the
    site plans (all options on, every dimension, digests) is in it."""
    import shutil

    from conftest import REPO
    from lessonbook.analysis.analyse import analyse
    from lessonbook.model.options import Options
    from lessonbook.model.site_urls import generated_page_taken
    from lessonbook.site.build import plan_site_pages

    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(REPO / "lessons", Path(tmp) / "lessons")
        options = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8").replace(
            "!ENV [LESSONBOOK_AUDIENCE, internal]", "internal"))
        exclude = next(p["lessonbook"]["exclude"] for p in options["plugins"]
                       if isinstance(p, dict))
        analysis = analyse(read_sources(Path(tmp) / "lessons", Settings(exclude=tuple(
            exclude))), Options(exclude=tuple(exclude)))
        pages = plan_site_pages(analysis)
    assert len(pages) > 30
    assert [p.src_uri for p in pages if generated_page_taken(p.src_uri) is None] == []
