"""`lessonbook import` reads a date a title writes as digits run together ("incident report for
8282009", "... for 04092010", "outage 20210304") — in a heading and in a front-matter title,
where it beats the page's later publication date — and never takes such a number from the
text, where it is a build id or a count."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lessonbook.cli.main import main


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def run_import(tmp_path: Path, text: str) -> tuple[dict, str]:
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / "report.md").write_text(text, encoding="utf-8")
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        status = main(["import", str(src), "--out", str(tmp_path / "out"), "--force",
                       "--config", str(tmp_path / "none.yml")])
    assert status == 0
    return front(tmp_path / "out" / "report.md"), buffer.getvalue()


_DAYS = st.dates(min_value=dt.date(1995, 1, 1), max_value=dt.date(2035, 12, 31))
_SPELLINGS = st.sampled_from(["{d.month}{d.day:02d}{d.year}", "{d.month:02d}{d.day:02d}{d.year}",
                              "{d.year}{d.month:02d}{d.day:02d}"])
_BODY = "\n\nThe queue stalled and was restarted.\n\n## What changes we are making\n\n- Alerts\n"


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=_DAYS, spelling=_SPELLINGS)
def test_a_date_run_together_in_the_heading_dates_the_lesson(tmp_path, day, spelling):
    meta, _ = run_import(tmp_path, f"# acme.example incident report for "
                                   f"{spelling.format(d=day)}{_BODY}")
    assert str(meta["date"]) == day.isoformat()


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=_DAYS, spelling=_SPELLINGS, later=st.integers(min_value=1, max_value=20))
def test_a_front_matter_title_s_date_beats_the_later_publication_day(tmp_path, day, spelling,
                                                                     later):
    page = day + dt.timedelta(days=later)
    text = (f"---\ntitle: acme.example incident report for {spelling.format(d=day)}\n"
            f"date: {page.isoformat()}\n---\n{_BODY}")
    meta, out = run_import(tmp_path, text)
    assert str(meta["date"]) == day.isoformat()
    assert "the front-matter's title" in out


def test_a_number_run_together_in_the_text_is_not_a_date(tmp_path):
    meta, out = run_import(tmp_path, "# Queue stall\n\nBuild 20210304 and job 8282009 failed; "
                                     "order 04092010 was lost.\n")
    assert str(meta["date"]) == "unknown"
    assert "date: none" in out
