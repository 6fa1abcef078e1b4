"""`lessonbook review`: the example knowledge base with a new checkout pool-exhaustion
postmortem on a branch, reviewed as a pull request would review it (--changed-from)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from lessonbook import cli

NAME = "pm-2026-004-checkout-pool-exhausted-by-inventory-retries.md"
NEW_LESSON = Path(__file__).parent / "data" / NAME
NEW_PATH = f"lessons/2026/{NAME}"


def _git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env,
                          text=True).stdout


def run(root: Path, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(root)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = cli.main(list(argv))
    finally:
        os.chdir(cwd)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the example project in git: `main` as it is, the branch adds the lesson."""
    root = tmp_path_factory.mktemp("example")
    shutil.copytree(REPO / "lessons", root / "lessons")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "example")
    _git(root, "switch", "-q", "-c", "lesson/checkout-pool")
    shutil.copy(NEW_LESSON, root / NEW_PATH)
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "Lesson: checkout pool exhausted by retries")
    return root


@pytest.fixture(scope="module")
def reviewed(project: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    cache = tmp_path_factory.mktemp("cache")
    status, out, err = run(project, "review", "--changed-from", "main", "--format", "json",
                           "--date", "2026-12-20", "--cache-dir", str(cache))
    assert status == 0, err
    document = json.loads(out)
    assert [x["path"] for x in document["lessons"]] == [NEW_PATH]
    return document["lessons"][0]


def test_the_new_pool_postmortem_names_the_earlier_pool_exhaustion_lessons(reviewed):
    similar = [x["id"] for x in reviewed["similar"]]
    assert {"pm-2026-003", "pm-2025-001"} <= set(similar)
    assert all(x["why"] for x in reviewed["similar"])


def test_the_new_pool_postmortem_is_a_repeat_with_the_earlier_follow_up_still_open(reviewed):
    repeats = {r["earlier"]: r for r in reviewed["repeats"]}
    assert "pm-2026-003" in repeats
    states = {f["action"]: f["state"] for f in repeats["pm-2026-003"]["follow_ups"]}
    static_check = ("Ship the static check for external calls inside transactional blocks and "
                    "run it in CI for checkout and payments.")
    assert states[static_check] == "overdue"  # due 2026-12-18, judged on 2026-12-20
    assert "open" in states.values() and "done" in states.values()


def test_the_new_pool_postmortem_names_the_connection_pool_rules_already_adopted(reviewed):
    rules = {r["id"]: r for r in reviewed["rules"]}
    assert "rule-no-external-calls-in-transactions" in rules
    assert "rule-canary-config-changes" in rules  # "A change alters connection-pool … settings"
    assert rules["rule-no-external-calls-in-transactions"]["addressed"] == "applies"
    assert any("similar incident" in reason
               for reason in rules["rule-no-external-calls-in-transactions"]["reasons"])


def test_the_review_lists_what_the_lesson_changes_and_what_its_follow_ups_lack(reviewed):
    changes = [(c["kind"], c["change"], c["owner"], c["due"]) for c in reviewed["changes"]]
    assert ("rule", "applies", None, None) in changes
    assert ("follow-up", "adds", "sre", None) in changes  # no due date: shown as missing
    assert ("follow-up", "adds", "checkout-team", "2026-12-18") in changes


def test_the_review_gives_the_check_problems_of_the_lesson(project, reviewed):
    status, out, _ = run(project, "check", NEW_PATH, "--format", "json")
    expected = [(p["code"], p["line"]) for p in json.loads(out)["problems"]]
    assert [(p["code"], p["line"]) for p in reviewed["problems"]] == expected
    assert expected  # a follow-up without a due date is a warning


def test_the_markdown_comment_is_marked_and_links_the_published_site(project, tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text((project / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "docs_dir: lessons", f"docs_dir: {project / 'lessons'}\nsite_url: https://lessons.example.com/"),
        encoding="utf-8")
    status, out, err = run(project, "review", NEW_PATH, "--format", "markdown", "--config",
                           str(config), "--date", "2026-12-20", "--no-cache")
    assert status == 0, err
    assert out.startswith("<!-- lessonbook-review -->\n")
    assert "**Looks like a repeat**" in out
    assert ("(https://lessons.example.com/2025/pm-2025-001-payments-pool-exhaustion-during-"
            "campaign/)") in out
    assert "(https://lessons.example.com/rules/#rule-rule-no-external-calls-in-transactions)" in out


def test_the_cache_changes_nothing_but_the_time(project, tmp_path):
    args = ("review", NEW_PATH, "--format", "json", "--date", "2026-12-20")
    uncached = run(project, *args, "--no-cache")
    cold = run(project, *args, "--cache-dir", str(tmp_path))
    warm = run(project, *args, "--cache-dir", str(tmp_path))
    assert uncached == cold == warm
    (cache_file,) = tmp_path.glob("review-*.sqlite")
    cache_file.write_bytes(cache_file.read_bytes()[:5000])  # damaged
    assert run(project, *args, "--cache-dir", str(tmp_path)) == uncached


def test_changed_from_outside_a_git_repository_is_a_clear_error(tmp_path):
    shutil.copytree(REPO / "lessons", tmp_path / "lessons")
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    status, out, err = run(tmp_path, "review", "--changed-from", "main")
    assert status == 2 and not out
    assert "not in a git repository" in err and "Traceback" not in err


def test_an_unknown_ref_is_a_clear_error(project):
    status, _, err = run(project, "review", "--changed-from", "no-such-branch")
    assert status == 2
    assert "unknown git ref 'no-such-branch'" in err and "fetch" in err


def test_a_change_without_lessons_says_so(project):
    status, out, _ = run(project, "review", "--changed-from", "HEAD", "--format", "markdown")
    assert status == 0
    assert "No lesson added or edited since" in out.replace("&#32;", " ")


def test_an_uncommitted_lesson_counts_as_part_of_the_change(project):
    extra = project / "lessons" / "2026" / "pm-2026-099-draft.md"
    extra.write_text("---\ntitle: Draft\ntype: postmortem\ndate: 2026-12-01\n---\nText\n",
                     encoding="utf-8")
    try:
        status, out, _ = run(project, "review", "--changed-from", "main", "--format", "json",
                             "--no-cache")
    finally:
        extra.unlink()
    paths = {x["path"]: x["git_status"] for x in json.loads(out)["lessons"]}
    assert paths == {NEW_PATH: "added", "lessons/2026/pm-2026-099-draft.md": "added"}


def test_the_review_command_offers_every_format_it_can_write():
    from lessonbook.cli.commands.review import FORMAT_NAMES
    from lessonbook.cli.review_output import FORMATS

    assert sorted(FORMATS) == FORMAT_NAMES


def test_a_review_in_its_own_process_gives_the_in_process_review(project):
    """Run as its own process, review turns numpy's huge pages off and keeps freed memory for
    the next array (speed/pages.py): nothing it prints may change."""
    args = ["review", NEW_PATH, "--format", "json", "--date", "2026-12-20", "--no-cache"]
    env = {k: v for k, v in os.environ.items()
           if k not in ("NUMPY_MADVISE_HUGEPAGE", "MALLOC_MMAP_MAX_", "MALLOC_TRIM_THRESHOLD_")}
    alone = subprocess.run([sys.executable, "-c", "import sys; from lessonbook import cli; "
                            "sys.exit(cli.main(sys.argv[1:]))", *args],
                           cwd=project, env=env, capture_output=True, text=True)
    status, out, _ = run(project, *args)
    assert (alone.returncode, alone.stdout) == (status, out), alone.stderr


def test_the_program_leaving_without_teardown_loses_no_output_and_no_cache_row(project,
                                                                              tmp_path):
    """`lessonbook review` as a program leaves at once (cli.main.program): what it printed
    to a pipe, the file it wrote and the cache it wrote are whole, the same as in-process."""
    args = ["review", NEW_PATH, "--format", "json", "--date", "2026-12-20"]
    program = [sys.executable, "-m", "lessonbook.cli.main", *args]
    alone = tmp_path / "alone"
    printed = subprocess.run([*program, "--cache-dir", str(alone)], cwd=project,
                             capture_output=True, text=True)
    written = subprocess.run([*program, "--no-cache", "--output", str(tmp_path / "out.json")],
                             cwd=project, capture_output=True, text=True)
    inside = tmp_path / "inside"
    status, out, _ = run(project, *args, "--cache-dir", str(inside))
    assert (printed.returncode, printed.stdout) == (status, out), printed.stderr
    assert written.returncode == status, written.stderr
    assert (tmp_path / "out.json").read_text(encoding="utf-8") == out
    tables = []
    for cache in (alone, inside):
        (database,) = cache.glob("review-*.sqlite")
        with contextlib.closing(sqlite3.connect(database)) as db:
            tables.append([db.execute(f"SELECT * FROM {name} ORDER BY 1").fetchall()
                           for name in ("meta", "words", "files")])
    assert tables[0] == tables[1] and len(tables[0][2]) > 10


def test_possibly_related_incidents_are_shown_apart_and_folded_as_the_site_shows_them(
        project, reviewed):
    tiers = [x["tier"] for x in reviewed["similar"]]
    assert "possible" in tiers and "confident" in tiers
    status, out, err = run(project, "review", NEW_PATH, "--format", "markdown", "--date",
                           "2026-12-20", "--no-cache")
    assert status == 0, err
    shown, _, folded = out.partition("<summary>Possibly related")
    similar = shown.split("**Similar incidents**\n", 1)[1].split("\n\n", 1)[0]
    assert len(similar.splitlines()) == tiers.count("confident")
    assert f"({tiers.count('possible')})</summary>" in folded
    possible = folded.split("</summary>\n\n", 1)[1].split("\n\n</details>", 1)[0]
    assert len(possible.splitlines()) == tiers.count("possible")
    _, out, _ = run(project, "review", NEW_PATH, "--date", "2026-12-20", "--no-cache")
    assert "  Possibly related:\n" in out
