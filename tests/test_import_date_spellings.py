"""Dates written in forms the tuning sets did not show (#23): day-first with dots
(04.03.2021), year first with slashes or dots (2021/03/04, 2021.03.04), in a 'Date:' line or a
timeline row; a file name's day without dashes (20210304-..., 2021_03_04_...); a front-matter
date written in words; and none invented: a version number is not a day, and with no day in
the text the lesson is 'date: unknown' and the report says so. All text here is synthetic."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lessonbook.authoring.importer import import_files


def imported(folder: Path, text: str, name: str = "postmortem.md") -> dict[str, Any]:
    source = folder / "src" / name
    source.parent.mkdir(parents=True, exist_ok=True)
    for old in source.parent.iterdir():
        old.unlink()
    source.write_text(text, encoding="utf-8")
    [report] = import_files([source], folder / "out", force=True)
    assert report.target, report.format()
    meta = yaml.safe_load(Path(report.target).read_text(encoding="utf-8").split("---\n")[1])
    meta["report"] = report.format()
    return meta


def numeric(day: dt.date, style: int) -> str:
    return [f"{day.day:02d}.{day.month:02d}.{day.year}", f"{day.day}.{day.month}.{day.year}",
            f"{day.year}/{day.month:02d}/{day.day:02d}", f"{day.year}/{day.month}/{day.day}",
            f"{day.year}.{day.month:02d}.{day.day:02d}"][style]


_DAYS = st.dates(dt.date(2000, 1, 1), dt.date(2025, 12, 31))
_BODY = "\n\nThe order queue stalled and orders waited two hours.\n"


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=_DAYS, style=st.integers(0, 4),
       where=st.sampled_from(["date line", "bold date line", "timeline"]))
def test_a_numeric_day_in_european_or_year_first_spelling(tmp_path_factory, day, style, where):
    spelled = numeric(day, style)
    text = {"date line": f"# Queue stall\n\nDate: {spelled}{_BODY}",
            "bold date line": f"# Queue stall\n\n**Date:** {spelled}{_BODY}",
            "timeline": f"# Queue stall{_BODY}\n## Timeline\n\n- {spelled} 10:02 the queue "
                        "stops draining\n- 10:40 workers restarted\n"}[where]
    assert str(imported(tmp_path_factory.mktemp("d"), text)["date"]) == day.isoformat()


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=_DAYS, separator=st.sampled_from(["", "_", ".", "-"]))
def test_the_day_in_a_file_name_with_any_separator(tmp_path_factory, day, separator):
    stamp = separator.join([f"{day.year}", f"{day.month:02d}", f"{day.day:02d}"])
    meta = imported(tmp_path_factory.mktemp("f"), f"Orders waited two hours.{_BODY}",
                    f"{stamp}_queue-stall.md")
    assert str(meta["date"]) == day.isoformat()
    assert meta["title"] == "Queue stall"


def test_a_front_matter_date_written_in_words(tmp_path):
    for written in ("March 4, 2021", "4 March 2021", "2021/03/04", "Thu, 04 Mar 2021"):
        text = f"---\ntitle: Queue stall\ndate: {written}\n---{_BODY}"
        assert str(imported(tmp_path, text)["date"]) == "2021-03-04", written


def test_a_version_number_is_not_a_day_and_nothing_is_invented(tmp_path):
    text = ("# Queue stall\n\nAfter the upgrade to v2023.10.01, version 2024.01.15 and "
            "1.2.2021-rc the queue stalled; release 4.3.2021 is unaffected.\n")
    meta = imported(tmp_path, text, "queue-stall.md")
    assert str(meta["date"]) == "unknown"
    assert "date: none in the title" in meta["report"]


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(page=st.sampled_from(["index.md", "_index.md", "README.md", "index.markdown"]))
def test_a_page_bundle_is_named_and_dated_by_its_folder(tmp_path_factory, page):
    root = tmp_path_factory.mktemp("b")
    for folder, body in (("2021-03-04-queue-stall", f"Orders waited two hours.{_BODY}"),
                         ("2021-05-06-db-failover", "---\ntitle: DB failover\n---\nThe "
                                                    "primary database failed over.\n")):
        (root / "src" / folder).mkdir(parents=True)
        (root / "src" / folder / page).write_text(body, encoding="utf-8")
    reports = import_files([root / "src"], root / "out")
    metas = {}
    for report in reports:
        assert report.target, report.format()
        meta = yaml.safe_load(Path(report.target).read_text(encoding="utf-8").split("---\n")[1])
        metas[meta["id"]] = meta
    assert sorted(metas) == ["2021-03-04-queue-stall", "2021-05-06-db-failover"]
    assert (metas["2021-03-04-queue-stall"]["title"], str(metas["2021-03-04-queue-stall"]["date"])
            ) == ("Queue stall", "2021-03-04")
    assert (metas["2021-05-06-db-failover"]["title"], str(metas["2021-05-06-db-failover"]["date"])
            ) == ("DB failover", "2021-05-06")


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.sampled_from(["incident_date", "date", "pubDate", "published_at", "publish_date",
                            "created", "created_at", "publishDate"]),
       day=_DAYS, stamp=st.sampled_from(["", "T10:00:00Z", " 10:00:00 +0000"]))
def test_a_front_matter_day_under_any_generators_key(tmp_path_factory, key, day, stamp):
    value = f"'{day.isoformat()}{stamp}'" if stamp else day.isoformat()
    text = f"---\ntitle: Queue stall\n{key}: {value}\nlayout: post\n---{_BODY}"
    meta = imported(tmp_path_factory.mktemp("k"), text, "queue.md")
    assert str(meta["date"]) == day.isoformat()


def test_a_last_edited_day_is_not_the_incidents(tmp_path):
    text = f"---\ntitle: Queue stall\nlastmod: 2021-05-04\nupdated: 2021-05-05\n---{_BODY}"
    meta = imported(tmp_path, text, "queue.md")
    assert str(meta["date"]) == "unknown"


def test_a_front_matter_title_that_names_only_the_kind_of_document(tmp_path):
    generic = ("---\ntitle: Incident report\ndate: 2021-03-04\n---\n\n# Queue stall on orders"
               + _BODY)
    meta = imported(tmp_path, generic)
    assert meta["title"] == "Queue stall on orders"
    assert "names only the kind of document" in meta["report"]
    named = f"---\nlinkTitle: Queue stall on orders\ndate: 2021-03-04\n---{_BODY}"
    assert imported(tmp_path, named)["title"] == "Queue stall on orders"


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=_DAYS, bundle=st.booleans(), padded=st.booleans())
def test_a_blogs_year_month_day_folders_date_a_post_that_names_no_day(
        tmp_path_factory, day, bundle, padded):
    root = tmp_path_factory.mktemp("p")
    parts = [f"{day.year}", f"{day.month:02d}" if padded else f"{day.month}",
             f"{day.day:02d}" if padded else f"{day.day}"]
    folder = root / "src" / "_posts" / Path(*parts)
    page = folder / "queue-stall" / "index.md" if bundle else folder / "queue-stall.md"
    page.parent.mkdir(parents=True)
    page.write_text(f"# Queue stall{_BODY}", encoding="utf-8")
    (root / "src" / "drafts" / "1999" / "07").mkdir(parents=True)  # a month: no day
    (root / "src" / "drafts" / "1999" / "07" / "notes.md").write_text(f"# Notes{_BODY}", "utf-8")
    metas = {}
    for report in import_files([root / "src"], root / "out"):
        assert report.target, report.format()
        meta = yaml.safe_load(Path(report.target).read_text(encoding="utf-8").split("---\n")[1])
        metas[meta["title"]] = meta
    assert str(metas["Queue stall"]["date"]) == day.isoformat()
    assert str(metas["Notes"]["date"]) == "unknown"
