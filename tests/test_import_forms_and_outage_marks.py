"""Classes of misses on the held-out Flutter / conda-forge / cloud.gov.au / Homebrew set (#23),
fixed after measuring it, on synthetic text: a Summary written as a form ('Description: X<br>
Component: Y') gives the Description's text; a report whose title is an H2 heading, or whose
opening is only meta lines before '## Background', takes its summary from there; a leading
date is kept in a title when what follows it names nothing ('February 11, 2016 incident
report'); headings of template parts ('Timeline (all times in PST)', 'What worked' under
'Lessons learned') and a day heading are never titles; '<START OF OUTAGE>' dates the lesson."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from lessonbook.authoring.importer import import_files


def imported(folder: Path, text: str, name: str = "postmortem.md") -> dict[str, Any]:
    source = folder / "src" / name
    source.parent.mkdir(parents=True, exist_ok=True)
    for old in source.parent.iterdir():
        old.unlink()
    source.write_text(text, encoding="utf-8")
    [report] = import_files([source], folder / "out", force=True)
    assert report.target, report.format()
    return yaml.safe_load(Path(report.target).read_text(encoding="utf-8").split("---\n")[1])


def test_a_summary_written_as_a_form_gives_the_description_text(tmp_path):
    lines = ("# Build breakage\n\n## Summary\n\nDescription: CI reported failures on every "
             "build<br>\nComponent: the main repository<br>\nDate/time: 2016-11-07 21:30<br>\n"
             "Duration: 16h\n")
    assert imported(tmp_path, lines)["summary"] == "CI reported failures on every build"
    paragraphs = lines.replace("<br>\n", "\n\n")
    assert imported(tmp_path, paragraphs)["summary"] == "CI reported failures on every build"
    prose = ("# Build breakage\n\n## Summary\n\nThe cause: a bad config pushed on Friday "
             "broke every build of the main repository.\n\nWe rolled it back on Monday.\n")
    assert imported(tmp_path, prose)["summary"].startswith("The cause: a bad config pushed")


def test_the_summary_of_a_report_opening_under_an_h2_title_or_a_background_section(tmp_path):
    h2 = ("## February 11, 2016 incident report\n\nYesterday the booking service was "
          "unavailable for 14 minutes.\n\n### What happened\n\n- 10.42: it failed\n")
    meta = imported(tmp_path, h2)
    assert meta["summary"].startswith("Yesterday the booking service was unavailable")
    assert meta["title"] == "February 11, 2016 incident report"
    assert str(meta["date"]) == "2016-02-11"
    background = ("# Release 3.2 postmortem\n\n**Author**: @someone\n\n**Status**: Final\n\n"
                  "## Background\n\nThe 3.2 hotfix release uploaded unsigned binaries.\n")
    assert imported(tmp_path, background)["summary"].startswith("The 3.2 hotfix release")


def test_a_leading_date_stays_when_the_rest_of_the_title_names_nothing(tmp_path):
    named = "# January 23rd, 2019 Prow Outage\n\nProw was down on 2019-01-23.\n"
    meta = imported(tmp_path, named)
    assert (meta["title"], str(meta["date"])) == ("Prow Outage", "2019-01-23")
    generic = "# June 5, 2016 incident report\n\nSites were down for two hours.\n"
    meta = imported(tmp_path, generic)
    assert (meta["title"], str(meta["date"])) == ("June 5, 2016 incident report", "2016-06-05")


def test_template_parts_and_day_headings_are_never_titles(tmp_path):
    text = ("Status: final<br> Owners: @someone\n\n## Summary\n\nDescription: the site was "
            "offline for most users.\n\n## Timeline (all times in PST/PDT)\n\n### 2023-08-25\n\n"
            "21:14 - DNS changes take effect.\n\n## Lessons learned\n\n### What worked\n\n"
            "The DNS server did what it was told.\n\n## Follow-up\n\nWe will page more people.\n")
    meta = imported(tmp_path, text, "Postmortem-site-outage-on-August-26-2023.md")
    assert meta["title"] == "Postmortem site outage on August 26 2023"
    timed = "# 2017-11-30 4:23PM PST, Proxy out of memory\n\n### 16:59 PST\n\nrestarted\n"
    assert imported(tmp_path, timed)["title"] == "Proxy out of memory"


def test_the_start_of_outage_mark_dates_the_lesson(tmp_path):
    on_a_row = ("# Build Breakage on 2016-11-08\n\n## Timeline\n\n### 2016-10-24\n\nA bug is "
                "committed upstream.\n\n### 2016-11-07\n\n**16:27** the tag is pushed "
                "**&lt;START OF OUTAGE&gt;**<br>\n**21:36** all PRs are failing\n\n"
                "### 2016-11-08\n\n**14:15** Fix lands. **&lt;END OF OUTAGE&gt;**\n")
    assert str(imported(tmp_path, on_a_row)["date"]) == "2016-11-07"
    alone = ("# Platform views regression\n\nComponent: Android Date/time: 2024-05-28\n\n"
             "2023-07-11 17:11 - a commit lands upstream\n\n<START OF OUTAGE>\n2023\n"
             "2023-11-27\n00:00 - first issue filed: views show white\n")
    assert str(imported(tmp_path, alone)["date"]) == "2023-11-27"
    earlier_trouble = ("# Gradle failures\n\n## Timeline\n\n### 2019-09-01\n\nApps using "
                       "such plugins are failing to build.\n\n### 2019-12-11\n\n06:15pm - "
                       "hotfix released **\\<START OF OUTAGE>**\n")
    assert str(imported(tmp_path, earlier_trouble)["date"]) == "2019-12-11"
