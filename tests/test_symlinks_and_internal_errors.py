"""Symbolic links and unexpected failures: the build and `lessonbook check` agree on every case,
a bad link is one clear problem, and everything else still builds."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import build, lesson_text, write_site
from lessonbook import cli
from lessonbook.load import knowledge_base

GOOD = lesson_text({"title": "Good lesson", "type": "postmortem", "date": "2025-01-02",
                    "follow_ups": [{"action": "Fix it", "owner": "SRE", "due": "2025-02-01"}]})


def _site_with_links(root: Path) -> Path:
    config = write_site(root, {"2025/good.md": GOOD})
    docs = root / "docs"
    outside = root / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("SECRET-MARKER\n", encoding="utf-8")
    os.symlink("nowhere.md", docs / "2025" / "dangling.md")
    os.symlink(".", docs / "loop")
    os.symlink(outside / "secret.md", docs / "2025" / "linked-out.md")
    os.symlink(outside, docs / "external")
    return config


def _check_codes(config: Path, capsys) -> tuple[int, set[tuple[str, str]]]:
    status = cli.main(["check", "--format", "json", "--config", str(config)])
    report = json.loads(capsys.readouterr().out)
    return status, {(p["path"].removeprefix("docs/"), p["code"])
                    for p in report["problems"] if p["code"].startswith("symlink")}


def test_build_and_check_report_the_same_link_problems(tmp_path, capsys, monkeypatch):
    config = _site_with_links(tmp_path)
    site = build(config)
    assert site.ok, site.log
    monkeypatch.chdir(tmp_path)
    status, found = _check_codes(config, capsys)
    assert status == 1
    expected = {("2025/dangling.md", "symlink-broken"), ("loop", "symlink-loop"),
                ("2025/linked-out.md", "symlink-outside"),
                ("external/secret.md", "symlink-outside")}
    assert found == expected
    for path, _ in expected:
        assert f"lessonbook: {path}:" in site.log or f"lessonbook: {path} " in site.log, path


def test_bad_links_leave_the_rest_of_the_site_built_and_nothing_outside_published(tmp_path):
    site = build(_site_with_links(tmp_path))
    assert site.ok and (site.site / "2025" / "good" / "index.html").is_file()
    for path in site.site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".md"):
            assert "SECRET-MARKER" not in path.read_text(encoding="utf-8", errors="ignore")
    assert not (site.site / "loop").exists()


def test_strict_build_fails_on_a_bad_link_without_a_traceback(tmp_path):
    site = build(_site_with_links(tmp_path), strict=True)
    assert not site.ok and "Traceback" not in site.log


@pytest.fixture
def failing_validation(monkeypatch):
    real = knowledge_base.build_lesson

    def build_lesson(doc, settings, **options):
        if doc.path.endswith("boom.md"):
            raise RuntimeError("simulated bug")
        return real(doc, settings, **options)

    monkeypatch.setattr(knowledge_base, "build_lesson", build_lesson)


def test_check_exits_2_naming_the_file_when_lessonbook_itself_fails(tmp_path, capsys,
                                                                   failing_validation):
    config = write_site(tmp_path, {"2025/good.md": GOOD, "2025/boom.md": GOOD.replace(
        "Good lesson", "Boom")})
    assert cli.main(["check", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "internal error in" in err and "boom.md" in err and "simulated bug" in err


def test_the_build_leaves_out_only_the_file_lessonbook_failed_on(tmp_path, failing_validation):
    config = write_site(tmp_path, {"2025/good.md": GOOD, "2025/boom.md": GOOD.replace(
        "Good lesson", "Boom")})
    site = build(config)
    assert site.ok and "internal error while reading this file" in site.log
    assert (site.site / "2025" / "good" / "index.html").is_file()
    assert not (site.site / "2025" / "boom").exists()
