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
        {"action": "Document the process of creating KIAM certificates",
             "status": "unknown"},
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
    assert len(lessons) == sum(r.action == "written" for r in reports)
    assert any(x["similar"] and x["similar"][0]["reasons"] for x in lessons)
    assert "Similar incidents" in site.html("PM2020-002/")


def convert_one(tmp_path: Path, name: str, text: str, **kwargs) -> dict:
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / name).write_text(text, encoding="utf-8")
    reports = import_files([src / name], tmp_path / "out", **kwargs)
    assert reports[0].action == "written", reports[0].format()
    return front(Path(reports[0].target))


def test_a_date_in_the_title_beats_the_date_in_the_file_name(tmp_path):
    meta = convert_one(tmp_path, "2025-11-26-attack.md",
                       "# Post-mortem of the attack on November 24th, 2025\n\nText.\n")
    assert meta["date"] == "2025-11-24"


def test_precursor_rows_before_the_impact_do_not_date_the_incident(tmp_path):
    text = ("# Bad AMI\n\n## Timeline\n\n| Time | Event |\n| --- | --- |\n"
            "| 2022-10-29 01:02 | AMI v20221027 released |\n"
            "| 2022-10-31 07:30 | Nodes replaced with the new AMI; pods fail to start |\n")
    assert convert_one(tmp_path, "PM2022-009 - Bad AMI.md", text)["date"] == "2022-10-31"


def test_a_first_row_that_already_breaks_something_is_the_start(tmp_path):
    text = ("# KIAM\n\n## Timeline\n\n| Time | Event |\n| --- | --- |\n"
            "| 2020-11-17 10:45 | KIAM upgraded, breaking support for PowerShell |\n"
            "| 2020-11-23 14:11 | KIAM fully down |\n")
    assert convert_one(tmp_path, "PM2020-009 - KIAM.md", text)["date"] == "2020-11-17"


def test_a_typod_year_is_recovered_and_reported(tmp_path, capsys):
    text = ("# ADSync\n\n## Timeline\n\n| Time | Event |\n| --- | --- |\n"
            "| 20202-01-16 12:00 | Pipeline broke |\n")
    src = tmp_path / "PM2020-003 - ADSync.md"
    src.write_text(text)
    run(tmp_path, str(src), "--out", str(tmp_path / "out"))
    assert front(tmp_path / "out" / "PM2020-003.md")["date"] == "2020-01-16"
    assert "year '20202' read as 2020" in capsys.readouterr().out


def test_the_summary_is_never_a_meta_line_or_a_bare_link(tmp_path):
    text = ("# Flags down\n\nInternal post-mortem: <https://example.com/pull/58>\n\n"
            "On 28th February, flags went down for three hours.\n")
    assert convert_one(tmp_path, "2024-02-28-decide.md", text)["summary"] == \
        "On 28th February, flags went down for three hours."
    text = ("# 504s\n\n## Summary\n\n**Traefik versions confirmed affected**: 1.7\n\n"
            "An ingress object broke forwarding.\n")
    assert convert_one(tmp_path, "PM2021-010 - 504.md", text)["summary"] == \
        "An ingress object broke forwarding."


REMEDIATION = """\
# Flags outage

## Remediation

### Immediate Actions (Completed)

- Timeouts moved to runtime configuration

### Short-term Improvements

- **Circuit breakers**: add them with backoff
- ✅ Reverted the incompatible change
- [x] Added an alert on exception spikes
- Improve probe coverage
    - Reach out to teams
    - Create a dashboard

## How are we preventing it from happening again?

- Switched to pnpm 10
- We need a release review

## Lessons Learned

- ✅ Rapid detection
"""


def test_follow_ups_come_from_every_remediation_like_section_with_their_status(tmp_path):
    follow_ups = convert_one(tmp_path, "flags.md", REMEDIATION)["follow_ups"]
    assert [(f["action"], f["status"]) for f in follow_ups] == [
        ("Timeouts moved to runtime configuration", "done"),
        ("Circuit breakers: add them with backoff", "unknown"),
        ("Reverted the incompatible change", "done"),
        ("Added an alert on exception spikes", "done"),
        ("Improve probe coverage (detail: Reach out to teams; Create a dashboard)", "unknown"),
        ("Switched to pnpm 10", "done"),
        ("We need a release review", "unknown"),
    ]


def test_services_the_knowledge_base_knows_are_inferred_when_named(tmp_path):
    text = "# Checkout down\n\n## Summary\n\nThe warehouse sync job stalled checkout.\n"
    meta = convert_one(tmp_path, "down.md", text,
                       known_services=["checkout", "warehouse-sync", "payments"])
    assert meta["services"] == ["checkout", "warehouse-sync"]


def test_services_already_used_by_lessons_in_the_output_folder_are_known(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.md").write_text("---\ntitle: Old\ntype: postmortem\ndate: 2024-01-01\n"
                                "services: [payments]\n---\nBody\n")
    text = "# Payments timeouts\n\nPayments timed out.\n"
    assert convert_one(tmp_path, "new.md", text)["services"] == ["payments"]


def test_links_between_imported_files_point_at_their_new_paths(tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "PM2019-009 - IP starvation.md").write_text("# IP starvation\n\nText.\n")
    (folder / "PM2019-010 - Node deletion.md").write_text(
        "# Node deletion\n\nSee [PM2019-009][x] and [the web copy](https://github.com/o/r/blob/"
        "master/PM2019-009%20-%20IP%20starvation.md) and [elsewhere](other.md).\n\n"
        "[x]: PM2019-009%20-%20IP%20starvation.md\n")
    import_files([folder], tmp_path / "out")
    body = (tmp_path / "out" / "PM2019-010.md").read_text()
    assert "[x]: PM2019-009.md" in body
    assert "[the web copy](PM2019-009.md)" in body
    assert "elsewhere (`other.md`)" in body  # not imported: plain text, so --strict builds


def test_imported_lessons_record_where_they_came_from(tmp_path, source):
    import_files([source], tmp_path / "out", today=__import__("datetime").date(2026, 1, 5))
    assert front(tmp_path / "out" / "PM2020-002.md")["imported_from"] == {
        "source": "src/PM2020-002 - KIAM service disruption.md", "date": "2026-01-05"}


def test_importing_again_another_day_changes_nothing(tmp_path, source):
    import datetime as dt
    import_files([source], tmp_path / "out", today=dt.date(2026, 1, 5))
    again = import_files([source], tmp_path / "out", today=dt.date(2026, 2, 1))
    assert [r.action for r in again] == ["unchanged"]


def test_a_file_that_appears_while_importing_is_not_overwritten(tmp_path, monkeypatch):
    import os
    target = tmp_path / "out" / "x.md"
    real_link = os.link

    def racing_link(src: str, dst: object) -> None:
        Path(dst).write_text("written by someone else\n")
        real_link(src, dst)

    monkeypatch.setattr(os, "link", racing_link)
    src = tmp_path / "x.md"
    src.write_text("# X\n\nText.\n")
    reports = import_files([src], tmp_path / "out")
    assert reports[0].action == "skipped"
    assert target.read_text() == "written by someone else\n"
    assert not [p for p in target.parent.iterdir() if p.name.endswith(".tmp")]
