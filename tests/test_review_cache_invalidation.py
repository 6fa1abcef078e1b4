"""The review cache is used for what did not change and for nothing else: a lesson edited,
added or deleted since it was written, a configuration that reads files differently, another
Lessonbook's cache or damaged word ids all give the review an uncached run gives. And the
review names the similar incidents the built site shows for the same lesson."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from conftest import REPO, build
from lessonbook.analysis.change_review import cache as review_cache
from lessonbook.model.lesson import Lesson
from test_review import NEW_LESSON, NEW_PATH, _git, run

REVIEW = ("review", NEW_PATH, "--format", "json", "--date", "2026-12-20")
EARLIER = "lessons/2025/pm-2025-001-payments-pool-exhaustion-during-campaign.md"
"""An earlier pool-exhaustion lesson the new one is similar to."""
POISON = "Title only the cache file says"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(REPO / "lessons", root / "lessons")
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("      rule_review_days: 730\n",
                        "      rule_review_days: 730\n      search: {pagefind: false}\n")
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    shutil.copy(NEW_LESSON, root / NEW_PATH)
    return root


def _review(project: Path, cache: Path | None) -> dict:
    extra = ("--no-cache",) if cache is None else ("--cache-dir", str(cache))
    status, out, err = run(project, *REVIEW, *extra)
    assert status in (0, 1), err
    return json.loads(out)


def _similar(review: dict) -> list[tuple[str, str]]:
    return [(x["id"], x["title"]) for x in review["lessons"][0]["similar"]]


def _cache_file(cache: Path) -> Path:
    (path,) = cache.glob("review-*.sqlite")
    return path


def _sql(cache: Path, statement: str, *values: object) -> list[tuple]:
    with contextlib.closing(sqlite3.connect(_cache_file(cache))) as db, db:
        return db.execute(statement, values).fetchall()


def _poison_title(cache: Path, path: str) -> None:
    """Change what the cache says one lesson's title is (its file is unchanged; the cache
    names files from the docs folder, `lessons/`)."""
    path = path.removeprefix("lessons/")
    ((text,),) = _sql(cache, "SELECT lesson FROM files WHERE path = ?", path)
    lesson = json.loads(text)
    lesson["$Lesson"][[f.name for f in dataclasses.fields(Lesson)].index("title")] = POISON
    _sql(cache, "UPDATE files SET lesson = ? WHERE path = ?", json.dumps(lesson), path)


def _filled(project: Path, tmp_path: Path) -> Path:
    cache = tmp_path / "cache"
    _review(project, cache)
    _poison_title(cache, EARLIER)
    return cache


def test_a_warm_review_takes_unchanged_files_from_the_cache(project, tmp_path):
    cache = _filled(project, tmp_path)
    assert POISON in dict(_similar(_review(project, cache))).values()


def test_a_lesson_edited_since_the_cache_was_written_is_read_again(project, tmp_path):
    cache = _filled(project, tmp_path)
    lesson = project / EARLIER
    lesson.write_text(lesson.read_text(encoding="utf-8").replace(
        "pool", "connection pool", 3), encoding="utf-8")
    warm = _review(project, cache)
    assert POISON not in dict(_similar(warm)).values()
    assert warm == _review(project, None)


def test_a_lesson_added_since_the_cache_was_written_is_compared_with(project, tmp_path):
    cache = tmp_path / "cache"
    _review(project, cache)
    twin = project / "lessons/2026/pm-2026-009-twin.md"
    twin.write_text(NEW_LESSON.read_text(encoding="utf-8").replace(
        "id: pm-2026-004", "id: pm-2026-009"), encoding="utf-8")
    warm = _review(project, cache)
    assert "pm-2026-009" in dict(_similar(warm))
    assert warm == _review(project, None)


def test_a_lesson_deleted_since_the_cache_was_written_is_no_longer_named(project, tmp_path):
    cache = tmp_path / "cache"
    assert "pm-2025-001" in dict(_similar(_review(project, cache)))
    (project / EARLIER).unlink()
    warm = _review(project, cache)
    assert "pm-2025-001" not in dict(_similar(warm))
    assert warm == _review(project, None)
    files = {path for (path,) in _sql(cache, "SELECT path FROM files")}
    assert EARLIER.removeprefix("lessons/") not in files and len(files) > 10


def test_a_configuration_that_reads_lessons_differently_empties_the_cache(project, tmp_path):
    cache = _filled(project, tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "      rule_review_days: 730\n",
        "      rule_review_days: 730\n      extra_keys: [reviewed_by]\n"), encoding="utf-8")
    warm = _review(project, cache)
    assert POISON not in dict(_similar(warm)).values()
    assert warm == _review(project, None)


def test_a_cache_written_by_other_lessonbook_code_is_ignored(project, tmp_path):
    cache = _filled(project, tmp_path)
    # another version, other reading code or other settings
    _sql(cache, "UPDATE meta SET value = ? WHERE key = 'fingerprint'", "0" * 40)
    warm = _review(project, cache)
    assert POISON not in dict(_similar(warm)).values()
    assert warm == _review(project, None)
    assert _sql(cache, "SELECT value FROM meta WHERE key = 'fingerprint'") != [("0" * 40,)]


def test_every_module_that_decides_what_a_file_reads_as_is_in_the_fingerprint():
    package = Path(review_cache.__file__).resolve().parents[2]
    covered = {p for pattern in review_cache.READING_CODE for p in package.glob(pattern)}
    for pattern in review_cache.READING_CODE:
        assert any(package.glob(pattern)), f"{pattern} names no file"
    for folder in ("load", "model", "analysis/similarity"):
        for module in (package / folder).rglob("*.py"):
            assert module in covered, module


@pytest.mark.parametrize("damage", [
    "UPDATE files SET ids = x'0100'",  # not a whole number of ids
    "UPDATE files SET ids = x'ffffff7f' || substr(ids, 5)",  # an id the word list lacks
    "UPDATE files SET body = body + 1",  # texts that do not add up to the ids
    "DELETE FROM words WHERE id = 3",  # a word list with a hole
    "UPDATE files SET lesson = '{\"$Path\": \"/etc\"}'",
    "UPDATE files SET lesson = '[' || replace(hex(zeroblob(100000)), '00', '[') || ']'",
    "DROP TABLE words",
])
def test_damaged_rows_are_ignored(project, tmp_path, damage):
    cache = tmp_path / "cache"
    _review(project, cache)
    _sql(cache, damage)
    assert _review(project, cache) == _review(project, None)
    assert _review(project, cache) == _review(project, None)  # and it was written again


def test_words_cached_in_another_order_give_the_same_review(project, tmp_path):
    """The cache's word numbering is the order of the run that wrote it; a lesson with new
    words anywhere in the id order must still give the uncached review."""
    cache = tmp_path / "cache"
    (project / NEW_PATH).unlink()
    status, _, err = run(project, "review", EARLIER, "--cache-dir", str(cache))
    assert status in (0, 1), err
    shutil.copy(NEW_LESSON, project / NEW_PATH)
    first = project / "lessons/2023/pm-2023-001-friday-catalog-deploy-broke-product-images.md"
    first.write_text(first.read_text(encoding="utf-8") + "\nZyxwv quuxfrobnicator.\n",
                     encoding="utf-8")
    assert _review(project, cache) == _review(project, None)


def test_the_review_names_the_similar_incidents_the_site_shows(project, tmp_path):
    _git(project, "init", "-q", "-b", "main")
    reviewed = {NEW_PATH: "pm-2026-004", EARLIER: "pm-2025-001",
                "lessons/2023/pm-2023-002-checkout-timeouts-after-pool-change.md": "pm-2023-002"}
    cache = tmp_path / "cache"
    by_review = {}
    for path, lesson_id in reviewed.items():
        status, out, err = run(project, "review", path, "--format", "json", "--cache-dir",
                               str(cache))
        assert status in (0, 1), err
        by_review[lesson_id] = [(x["id"], x["score"], x["reasons"], x["tier"]) for x in
                                json.loads(out)["lessons"][0]["similar"]]
    site = build(project / "mkdocs.yml")
    assert site.ok, site.log
    exported = json.loads((site.site / "api" / "lessons.json").read_text(encoding="utf-8"))
    by_site = {x["id"]: [(s["id"], s["score"], s["reasons"], s["tier"]) for s in x["similar"]]
               for x in exported["lessons"] if x["id"] in by_review}
    assert by_review == by_site
    assert all(by_site.values())
