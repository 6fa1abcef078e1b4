"""CLI writes: the umask's mode, never replacing a file nobody asked to replace, and no two
concurrent `lessonbook new` runs taking the same id."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from lessonbook.authoring.importer import import_files, writing
from lessonbook.cli.main import main
from lessonbook.load.knowledge_base import KnowledgeBase

REPO = Path(__file__).resolve().parent.parent
SOURCE = "# Checkout went down\n\n## Summary\n\nThe pool ran dry on 2025-03-04.\n"


@pytest.fixture
def umask_002():
    previous = os.umask(0o002)
    yield
    os.umask(previous)


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "mkdocs.yml").write_text("site_name: T\ndocs_dir: lessons\nplugins:\n"
                                         "  - lessonbook\n", encoding="utf-8")
    (tmp_path / "lessons").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_writes_a_lesson_with_the_mode_the_umask_gives(project, umask_002, capsys):
    assert main(["new", "pm", "Checkout timeouts", "--date", "2026-01-02"]) == 0
    [written] = (project / "lessons" / "2026").glob("*.md")
    assert mode(written) == 0o664


def test_import_writes_files_with_the_mode_the_umask_gives(tmp_path, umask_002):
    (tmp_path / "in.md").write_text(SOURCE, encoding="utf-8")
    [report] = import_files([tmp_path / "in.md"], tmp_path / "out")
    assert report.action == "written" and mode(Path(report.target)) == 0o664


def test_import_never_replaces_a_file_that_appeared_after_its_check(tmp_path, monkeypatch):
    (tmp_path / "in.md").write_text(SOURCE, encoding="utf-8")
    real_write = writing.write_file

    def someone_writes_first(target: Path, content: bytes, **kw: bool) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("theirs\n", encoding="utf-8")
        real_write(target, content, **kw)

    monkeypatch.setattr(writing, "write_file", someone_writes_first)
    [report] = import_files([tmp_path / "in.md"], tmp_path / "out")
    assert report.action == "skipped" and "not overwriting" in report.error
    assert Path(report.target).read_text(encoding="utf-8") == "theirs\n"


def test_import_with_force_replaces_an_existing_different_file(tmp_path):
    (tmp_path / "in.md").write_text(SOURCE, encoding="utf-8")
    [first] = import_files([tmp_path / "in.md"], tmp_path / "out")
    Path(first.target).write_text("edited\n", encoding="utf-8")
    [again] = import_files([tmp_path / "in.md"], tmp_path / "out", force=True)
    assert again.action == "written"
    assert Path(again.target).read_bytes().endswith(SOURCE.encode())


def test_concurrent_new_runs_never_take_the_same_id(project):
    env = {**os.environ, "PYTHONPATH": str(REPO / "plugins")}
    runs = [subprocess.Popen([sys.executable, "-m", "lessonbook.cli.main", "new", "pm",
                              f"Concurrent lesson {n}", "--date", "2026-05-06"],
                             cwd=project, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE) for n in range(4)]
    assert [run.wait(timeout=60) for run in runs] == [0, 0, 0, 0]
    kb = KnowledgeBase.load(project / "lessons")
    assert kb.problems == []
    assert sorted(x.id for x in kb.lessons) == [f"pm-2026-00{n}" for n in range(1, 5)]
