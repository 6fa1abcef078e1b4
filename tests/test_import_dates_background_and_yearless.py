"""Classes of date misses on blog posts (#23, after the Rust and PyPI posts): a timeline whose
first days only prepare the incident (a pull request opened and merged, releases before the
one with the malware), told in the bullets under a day's heading as well as on its line; rows
written without a year ('On September 5th'), which take the year of the page's own date or
file name when that puts them on or before it; and a timeline that starts long before the
page (a token in public images a year before it was reported), where the opening's day wins."""

from __future__ import annotations

from pathlib import Path

import yaml

from lessonbook.authoring.importer import import_files


def imported_date(folder: Path, text: str, name: str = "postmortem.md") -> str:
    source = folder / "src" / name
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(text, encoding="utf-8")
    [report] = import_files([source], folder / "out", force=True)
    assert report.target, report.format()
    meta = yaml.safe_load(Path(report.target).read_text(encoding="utf-8").split("---\n")[1])
    return str(meta["date"])


def test_a_day_whose_bullets_only_prepare_the_incident_is_not_its_start(tmp_path):
    text = ("# Broken downloads\n\n## Timeline\n\n### 2023-07-19\n\n- 12:32 a pull request "
            "(move the storage code) was opened\n- 17:41 it was merged and deployed to "
            "staging\n\n### 2023-07-20\n\n- 12:17 downloads started failing\n")
    assert imported_date(tmp_path, text) == "2023-07-20"
    broke_that_day = text.replace("deployed to staging", "deployed; downloads failed at once")
    assert imported_date(tmp_path, broke_that_day) == "2023-07-19"


def test_release_rows_before_the_first_malicious_one_are_background(tmp_path):
    text = ("---\ntitle: Malware package\ndate: 2024-11-25\n---\n\nA package shipped malware."
            "\n\n## Timeline\n\n* 2024-09-01 01:04 - user creates project `pkg`\n"
            "* 2024-09-01 01:04 - pkg-0.1.0 released\n* 2024-10-12 14:52 - pkg-0.1.6 released\n"
            "* 2024-11-20 18:04 - pkg-0.1.13 released, the first version with malware\n"
            "* 2024-11-21 16:18 - inbound report\n")
    assert imported_date(tmp_path, text) == "2024-11-20"


def test_a_row_without_a_year_takes_the_year_of_the_pages_date_or_file_name(tmp_path):
    body = ("## Summary\n\nAttackers changed workflows to steal tokens.\n\n## Timeline and "
            "Response\n\nOn September 5th, a researcher reported a malicious workflow.\n\n"
            "Later, on September 10th, we invalidated the tokens.\n")
    named = "# Token theft\n\n" + body
    assert imported_date(tmp_path, named, "2025-09-16-tokens.md") == "2025-09-05"
    fronted = "---\ntitle: Token theft\ndate: 2025-09-16\n---\n\n" + body
    assert imported_date(tmp_path, fronted, "tokens.md") == "2025-09-05"
    after_the_page = fronted.replace("September 5th", "December 28th").replace(
        "September 10th", "December 30th")
    assert imported_date(tmp_path, after_the_page, "tokens.md") == "2025-09-16"


def test_the_openings_day_wins_when_the_timeline_starts_long_before_the_page(tmp_path):
    text = ("---\ntitle: Leaked token\ndate: 2024-07-08\n---\n\nOn June 28, 2024 we were "
            "notified of a leaked token.\n\n## Timeline of events\n\n- 2023-03-03: an image "
            "with the leaked token was pushed\n- 2024-06-28: a researcher reports the token\n"
            "- 2024-06-28: the token is revoked\n")
    assert imported_date(tmp_path, text) == "2024-06-28"
    no_day_in_the_opening = text.replace("On June 28, 2024 we", "We")
    assert imported_date(tmp_path, no_day_in_the_opening) == "2024-07-08"
