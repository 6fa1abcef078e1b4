"""`lessonbook generate` on small sites: what it writes, what it never overwrites, and what a
lower-audience project leaves out; `lessonbook index` on a built generated site."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import build, lesson_text, write_site
from lessonbook.cli.main import main as lessonbook
from lessonbook.generate import MARKER

SECRET = "ZEBRA-CANARY-4471"
SECRET_FILE = "secret-zebra-notes"


def _lesson(title: str, visibility: str, body: str = "## Summary\n\nWhat happened.\n",
            **more: object) -> str:
    return lesson_text({"title": title, "type": "postmortem", "date": "2025-03-04",
                        "services": ["checkout"], "visibility": visibility, **more}, body)


def _source(tmp_path: Path) -> Path:
    return write_site(tmp_path / "src", {
        "lessons/public-one.md": _lesson("Checkout pool ran dry", "public",
                                         "## Summary\n\nThe pool ran dry. See [notes](x.png)."
                                         "\n", id="pm-2025-001"),
        "lessons/x.png": b"\x89PNG public attachment",
        f"lessons/{SECRET_FILE}.md": _lesson(f"Restricted {SECRET}", "restricted",
                                             f"## Summary\n\n{SECRET} leaked. "
                                             f"![diagram](secret-{SECRET}.png)\n",
                                             id="pm-2025-002"),
        f"lessons/secret-{SECRET}.png": f"PNG {SECRET}".encode(),
        "about.md": f"# About\n\nSee [the secret one](lessons/{SECRET_FILE}.md).\n",
    }, {"lesson_dirs": ["lessons"], "search": {"pagefind": False}},
        extra_config={"nav": ["index.md", "lessons.md", "about.md",
                              {f"Secret {SECRET}": f"lessons/{SECRET_FILE}.md"}]})


def _every_byte(folder: Path) -> bytes:
    return b"".join(p.name.encode() + p.read_bytes() for p in sorted(folder.rglob("*"))
                    if p.is_file()) + b"".join(str(p).encode() for p in folder.rglob("*"))


def test_a_public_project_holds_no_byte_of_a_restricted_lesson_nor_does_its_site(tmp_path):
    config = _source(tmp_path)
    out = tmp_path / "out"
    assert lessonbook(["generate", str(out), "-f", str(config), "--audience", "public"]) == 0
    assert SECRET.encode() not in _every_byte(out)
    assert SECRET_FILE.encode() not in _every_byte(out)
    site = build(out / "mkdocs.yml", strict=True)
    assert site.ok, site.log
    assert SECRET.encode() not in _every_byte(site.site)
    assert "The pool ran dry" in site.html("lessons/public-one/")
    assert (site.site / "lessons/x.png").is_file()


def test_the_internal_audience_keeps_what_the_public_one_leaves_out(tmp_path):
    """The same project for an audience that may read it (the test above is not vacuous)."""
    config = _source(tmp_path)
    out = tmp_path / "out"
    assert lessonbook(["generate", str(out), "-f", str(config), "--audience",
                       "restricted"]) == 0
    assert SECRET.encode() in _every_byte(out)


def test_it_says_what_it_wrote_and_how_to_build_it(tmp_path, capsys):
    config = _source(tmp_path)
    out = tmp_path / "out"
    assert lessonbook(["generate", str(out), "-f", str(config), "--audience", "public"]) == 0
    said = capsys.readouterr().out
    assert f"Wrote {out}/mkdocs.yml" in said and "1 lesson page(s)" in said
    assert "mkdocs build --strict" in said
    assert (out / MARKER).is_file()


def test_a_folder_it_did_not_write_is_refused_and_left_untouched(tmp_path, capsys):
    config = _source(tmp_path)
    out = tmp_path / "theirs"
    out.mkdir()
    (out / "mkdocs.yml").write_text("site_name: theirs\n")
    assert lessonbook(["generate", str(out), "-f", str(config)]) == 2
    assert "--force" in capsys.readouterr().err
    assert (out / "mkdocs.yml").read_text() == "site_name: theirs\n"
    assert sorted(p.name for p in out.iterdir()) == ["mkdocs.yml"]


def test_force_replaces_only_what_a_run_writes(tmp_path):
    config = _source(tmp_path)
    out = tmp_path / "theirs"
    (out / "docs").mkdir(parents=True)
    (out / "docs" / "stale.md").write_text("# stale\n")
    (out / "keep.txt").write_text("mine")
    assert lessonbook(["generate", str(out), "-f", str(config), "--force"]) == 0
    assert not (out / "docs" / "stale.md").exists()
    assert (out / "keep.txt").read_text() == "mine"


def test_its_own_earlier_output_is_replaced_without_leftovers(tmp_path):
    config = _source(tmp_path)
    out = tmp_path / "out"
    assert lessonbook(["generate", str(out), "-f", str(config), "--audience",
                       "restricted"]) == 0
    assert lessonbook(["generate", str(out), "-f", str(config), "--audience", "public"]) == 0
    assert SECRET.encode() not in _every_byte(out)


def test_the_source_project_is_never_an_output_folder(tmp_path, capsys):
    config = _source(tmp_path)
    for target in (config.parent, config.parent / "docs"):
        assert lessonbook(["generate", str(target), "-f", str(config), "--force"]) == 2
    assert "source project" in capsys.readouterr().err
    assert not (config.parent / MARKER).exists()


def test_index_gives_the_generated_site_a_search_index(tmp_path):
    pytest.importorskip("pagefind")
    config = _source(tmp_path)
    out = tmp_path / "out"
    assert lessonbook(["generate", str(out), "-f", str(config), "--audience", "public"]) == 0
    site = build(out / "mkdocs.yml", strict=True)
    assert site.ok, site.log
    assert lessonbook(["index", str(site.site)]) == 0
    assert (site.site / "pagefind" / "pagefind.js").is_file()
    assert list((site.site / "pagefind").glob("fragment/*"))


def test_index_refuses_a_folder_that_is_not_a_built_site(tmp_path, capsys):
    assert lessonbook(["index", str(tmp_path)]) == 2
    assert "index.html" in capsys.readouterr().err
