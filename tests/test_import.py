"""`lessonbook import`: every inference rule, safe writing, reporting and exit status."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import CORPUS, build, write_site
from lessonbook.authoring.importer import import_files
from lessonbook.cli.main import main

POSTMORTEM = """\
# KIAM Service disruption

## Summary

In the afternoon of January 21st, the **server certificate** for [KIAM](https://x.io) expired.

This in turn broke pods.

## Timeline

| Time             | Event                        |
| :--------------- | ---------------------------- |
| 2020-01-21 15:36 | Certificate for KIAM expires |

## Action Items

- Document the process of creating KIAM certificates
- [x] Replace KIAM with IRSA

# Stats

- Category: Kubernetes
- Category: capacity
- Time to detection: 54 minutes
- Time to recovery: ?
"""


def front(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


def run(tmp_path: Path, *args: str) -> int:
    return main(["import", *args, "--config", str(tmp_path / "none.yml")])


@pytest.fixture
def source(tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "PM2020-002 - KIAM service disruption.md").write_text(POSTMORTEM)
    return folder


def test_fields_are_inferred_from_heading_name_timeline_stats_and_sections(tmp_path, source):
    assert run(tmp_path, str(source), "--out", str(tmp_path / "out")) == 0
    meta = front(tmp_path / "out" / "PM2020-002.md")
    assert meta["title"] == "KIAM Service disruption"
    assert meta["id"] == "PM2020-002"
    assert meta["type"] == "postmortem"
    assert meta["date"] == "2020-01-21"
    assert meta["summary"] == ("In the afternoon of January 21st, the server certificate for "
                               "KIAM expired.")
    assert meta["tags"] == ["Kubernetes"] and meta["categories"] == ["capacity"]
    assert meta["time_to_detect"] == "54 minutes" and "time_to_recover" not in meta
    assert meta["follow_ups"] == [
        {"action": "Document the process of creating KIAM certificates", "status": "open"},
        {"action": "Replace KIAM with IRSA", "status": "done"}]


def test_the_body_is_kept_byte_for_byte(tmp_path, source):
    run(tmp_path, str(source), "--out", str(tmp_path / "out"))
    raw = (source / "PM2020-002 - KIAM service disruption.md").read_bytes()
    assert (tmp_path / "out" / "PM2020-002.md").read_bytes().endswith(b"---\n" + raw)


def test_date_comes_from_the_file_name_and_id_from_a_plain_name(tmp_path):
    src = tmp_path / "2024-02-28-decide is down.md"
    src.write_text("On 28th February flags went down.\n\nMore text.\n")
    run(tmp_path, str(src), "--out", str(tmp_path / "out"))
    meta = front(tmp_path / "out" / "2024-02-28-decide-is-down.md")
    assert meta["date"] == "2024-02-28" and meta["id"] == "2024-02-28-decide-is-down"
    assert meta["summary"] == "On 28th February flags went down."


def test_date_comes_from_a_written_date_in_the_summary(tmp_path):
    src = tmp_path / "outage.md"
    src.write_text("# Outage\n\n## Summary\n\nOn September 29, 2025, flags failed.\n")
    run(tmp_path, str(src), "--out", str(tmp_path / "out"))
    assert front(tmp_path / "out" / "outage.md")["date"] == "2025-09-29"


def test_a_file_without_extension_in_a_folder_is_imported_and_a_license_is_not(tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "PM2022-009 - Bad AMI").write_text(POSTMORTEM.replace("KIAM Service", "Bad"))
    (folder / "LICENSE").write_text("MIT License\n\nCopyright ...\n")
    run(tmp_path, str(folder), "--out", str(tmp_path / "out"))
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["PM2022-009.md"]


def test_the_report_says_what_was_inferred_and_what_is_missing(tmp_path, capsys):
    src = tmp_path / "thin.md"
    src.write_text("# Thin\n\nNo sections here, on March 3rd 2023.\n")
    run(tmp_path, str(src), "--out", str(tmp_path / "out"))
    out = capsys.readouterr().out
    assert "inferred title from the first heading" in out
    assert "missing follow_ups: no Action Items, Remediation or similar section" in out


def test_an_existing_file_is_not_overwritten_without_force(tmp_path, source, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "PM2020-002.md").write_text("mine, edited by hand\n")
    assert run(tmp_path, str(source), "--out", str(out)) == 0
    assert (out / "PM2020-002.md").read_text() == "mine, edited by hand\n"
    assert "skipped" in capsys.readouterr().out
    assert run(tmp_path, str(source), "--out", str(out), "--force") == 0
    assert front(out / "PM2020-002.md")["id"] == "PM2020-002"


def test_dry_run_writes_nothing_but_reports(tmp_path, source, capsys):
    assert run(tmp_path, str(source), "--out", str(tmp_path / "out"), "--dry-run") == 0
    assert not (tmp_path / "out").exists()
    assert "would write" in capsys.readouterr().out


def test_importing_twice_changes_nothing(tmp_path, source):
    reports = import_files([source], tmp_path / "out")
    first = (tmp_path / "out" / "PM2020-002.md").read_bytes()
    again = import_files([source], tmp_path / "out")
    assert [r.action for r in reports] == ["written"]
    assert [r.action for r in again] == ["unchanged"]
    assert (tmp_path / "out" / "PM2020-002.md").read_bytes() == first


def test_a_bad_file_does_not_stop_the_others_and_sets_the_exit_status(tmp_path, source):
    (source / "broken.md").write_bytes(b"# Bad\n\xff\xfe not utf-8\n")
    assert run(tmp_path, str(source), "--out", str(tmp_path / "out")) == 1
    assert (tmp_path / "out" / "PM2020-002.md").exists()
    assert not (tmp_path / "out" / "broken.md").exists()


def test_yaml_special_characters_in_values_are_escaped(tmp_path):
    src = tmp_path / "odd.md"
    src.write_text('# Deploy: "quoted" & #hash @at\n\n## Summary\n\n- item: yes\n')
    run(tmp_path, str(src), "--out", str(tmp_path / "out"))
    assert front(tmp_path / "out" / "odd.md")["title"] == 'Deploy: "quoted" & #hash @at'


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not available")
def test_both_real_corpora_import_and_build_with_similar_incidents(tmp_path):
    sources = [str(p) for p in sorted(CORPUS.iterdir()) if p.is_dir()]
    reports = import_files(sources, tmp_path / "docs")
    assert not [r.format() for r in reports if r.failed]
    config = write_site(tmp_path, {}, {"search": {"pagefind": False}},
                        {"markdown_extensions": ["tables", "footnotes"]})
    site = build(config)
    assert site.ok, site.log
    assert "ERROR" not in site.log
    lessons = site.json("api/lessons.json")["lessons"]
    assert len(lessons) == len(reports)
    assert any(x["similar"] and x["similar"][0]["reasons"] for x in lessons)
    assert "Similar incidents" in site.html("PM2020-002/")
