"""`lessonbook check`: the build's validation plus lint, exit statuses and output formats."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import lesson_text
from lessonbook import cli
from lessonbook.cli.checking import CheckResult, format_github
from lessonbook.model.problems import Problem, Severity

GOOD = {"title": "Checkout timeouts", "type": "postmortem", "date": "2025-03-04",
        "follow_ups": [{"action": "Add a canary", "owner": "platform", "due": "2025-04-01"}]}


@pytest.fixture
def site(tmp_path, monkeypatch):
    """write(files) -> the project folder: mkdocs.yml with docs_dir 'docs' and those files."""
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: T\ndocs_dir: docs\nplugins:\n  - search\n  - lessonbook:\n"
        "      exclude: [index.md, guide/*]\n      severities: [P1, P2]\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "extra:\n  analytics: !ENV [ANALYTICS_KEY, none]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    def write(files: dict[str, str | bytes]) -> Path:
        for rel, content in files.items():
            target = tmp_path / "docs" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        return tmp_path

    return write


def line_of(root: Path, rel: str, needle: str) -> int:
    """Line of the first line of docs/rel containing needle."""
    lines = (root / "docs" / rel).read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def check(capsys, *args: str) -> tuple[int, str, str]:
    status = cli.main(["check", *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_a_clean_knowledge_base_exits_0(site, capsys):
    site({"2025/pm-1.md": lesson_text(GOOD)})
    status, out, _ = check(capsys)
    assert status == 0
    assert out.strip() == "0 error(s), 0 warning(s) in 1 lesson(s)"


def test_warnings_exit_0_and_1_with_strict(site, capsys):
    site({"2025/pm-1.md": lesson_text(dict(GOOD, follow_ups=[]))})
    assert check(capsys)[0] == 0
    status, out, _ = check(capsys, "--strict")
    assert status == 1 and "no follow-ups" in out


def test_errors_exit_1_with_path_and_line(site, capsys):
    root = site({"2025/pm-1.md": lesson_text(dict(GOOD, severity="SEV1"))})
    status, out, _ = check(capsys)
    line = line_of(root, "2025/pm-1.md", "severity:")
    assert status == 1
    assert f"docs/2025/pm-1.md:{line}: error: severity 'SEV1' is not one of P1, P2" in out


def test_cross_document_errors_are_found_when_checking_one_file(site, capsys):
    root = site({"a.md": lesson_text(dict(GOOD, id="pm-1")),
                 "b.md": lesson_text(dict(GOOD, id="pm-1")),
                 "c.md": lesson_text(dict(GOOD, related=["pm-9"]))})
    status, out, _ = check(capsys, "docs/b.md", "docs/c.md")
    line = line_of(root, "b.md", "id:")
    assert status == 1
    assert f"docs/b.md:{line}: error: id 'pm-1' is already used by a.md" in out
    assert "docs/c.md" in out and "unknown lesson id 'pm-9'" in out
    assert "docs/a.md" not in out


def test_problems_in_other_files_are_not_reported_for_a_given_path(site, capsys):
    site({"good.md": lesson_text(GOOD), "bad.md": lesson_text(dict(GOOD, date="soon"))})
    status, out, _ = check(capsys, "docs/good.md")
    assert status == 0 and "bad.md" not in out


def test_a_folder_checks_the_lessons_under_it(site, capsys):
    site({"2024/bad.md": lesson_text(dict(GOOD, date="soon")), "2025/ok.md": lesson_text(GOOD)})
    assert check(capsys, "docs/2025")[0] == 0
    assert check(capsys, "docs/2024")[0] == 1


def test_lint_warnings_are_reported(site, capsys):
    site({"pm.md": lesson_text(GOOD, "## Summary\n\nThe operator should have known.\n")})
    _, out, _ = check(capsys)
    assert "warning: blame language 'should have known'" in out


def test_a_missing_path_is_bad_usage_in_one_line(site, capsys):
    site({"pm.md": lesson_text(GOOD)})
    status, out, err = check(capsys, "docs/nope.md")
    assert status == 2 and out == ""
    assert err.strip() == "lessonbook check: docs/nope.md: no such file or directory"


def test_an_unreadable_path_is_bad_usage(site, capsys, monkeypatch):
    site({"pm.md": lesson_text(GOOD)})
    monkeypatch.setattr(os, "access", lambda path, mode: False)  # root reads anything
    status, _, err = check(capsys, "docs/pm.md")
    assert status == 2 and "cannot read" in err


def test_a_missing_config_is_bad_usage(site, capsys):
    status, _, err = check(capsys, "--config", "other.yml")
    assert status == 2 and "other.yml: no such file" in err


def test_a_non_utf8_file_is_one_clear_error(site, capsys):
    site({"pm.md": lesson_text(GOOD).encode() + b"\n\xff\xfe caf\xe9\n"})
    status, out, _ = check(capsys)
    assert status == 1
    assert "docs/pm.md:" in out and "not valid UTF-8" in out


def test_files_that_are_not_lessons_are_skipped_with_a_note(site, capsys):
    root = site({"pm.md": lesson_text(GOOD), "guide/how.md": "# How\n"})
    (root / "README.md").write_text("# Readme\n", encoding="utf-8")
    status, _, err = check(capsys, "README.md", "docs/guide/how.md")
    assert status == 0
    assert "skipped README.md" in err and "skipped docs/guide/how.md" in err


def test_json_format_lists_problems_for_tools(site, capsys):
    root = site({"pm.md": lesson_text(dict(GOOD, date="soon"))})
    status, out, _ = check(capsys, "--format", "json")
    document = json.loads(out)
    assert status == 1
    assert document["summary"] == {"errors": 1, "warnings": 0, "lessons": 1}
    assert document["problems"][0] | {"message": None} == {
        "path": "docs/pm.md", "line": line_of(root, "pm.md", "date:"), "severity": "error",
        "code": "date", "message": None, "suggestion": None}


def test_github_format_prints_annotations(site, capsys):
    root = site({"pm.md": lesson_text(dict(GOOD, follow_ups=[]))})
    _, out, _ = check(capsys, "--format", "github")
    line = line_of(root, "pm.md", "type:")
    assert out.splitlines()[0].startswith(
        f"::warning file=docs/pm.md,line={line},title=Lessonbook no-follow-ups::")


def test_github_annotations_escape_properties_and_data():
    problem = Problem("docs/a,b:c%.md", 3, Severity.ERROR, "100% bad\nreally: yes, truly",
                      code="x")
    line = format_github(CheckResult([problem], 1, [])).splitlines()[0]
    assert line == ("::error file=docs/a%2Cb%3Ac%25.md,line=3,title=Lessonbook x::"
                    "100%25 bad%0Areally: yes, truly")


def test_the_installed_command_runs_without_a_traceback(site):
    root = site({"pm.md": b"---\ntitle: [unclosed\n---\n"})
    result = subprocess.run([sys.executable, "-m", "lessonbook.cli.main", "check"], cwd=root,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "front-matter is not valid YAML" in result.stdout
