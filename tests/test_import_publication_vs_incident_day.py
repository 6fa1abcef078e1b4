"""`lessonbook import`: a blog post's metadata date is the day it was published; when its
opening tells an earlier day of the incident, that day is the lesson's, and the report says
which it chose and why. Nothing is invented: a day without a year takes the publication's
year, and a day after the publication never wins."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lessonbook import cli
from lessonbook.load.knowledge_base import KnowledgeBase

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _import(folder: Path, text: str, capsys):
    (folder / "post.md").write_text(text, encoding="utf-8")
    capsys.readouterr()
    cli.main(["import", str(folder / "post.md"), "--out", str(folder / "out")])
    return KnowledgeBase.load(folder / "out").lessons[0], capsys.readouterr().out


def _front(published: dt.date, fenced: bool) -> str:
    fields = f"title: Queue stall\ndate: '{published.isoformat()}T10:00:00+00:00'\nlayout: post\n"
    return f"---\n{fields}---\n\n" if fenced else fields + "\n"


_SPELLINGS = st.sampled_from([
    lambda d: f"During the afternoon of {_MONTHS[d.month - 1]} {_ordinal(d.day)} the build queue",
    lambda d: f"On {d.strftime('%A')} {_MONTHS[d.month - 1]} {_ordinal(d.day)} the build queue",
    lambda d: f"On {d.isoformat()} the build queue",
    lambda d: f"On {d.day} {_MONTHS[d.month - 1]} {d.year}, the build queue"])
_HTML = st.sampled_from(["{}", "<p>{}</p>", "<p><b>{published}</b></p>\n<p>{}</p>"])


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(published=st.dates(dt.date(2005, 2, 1), dt.date(2030, 12, 31)),
       back=st.integers(1, 25), spell=_SPELLINGS, fenced=st.booleans(), wrap=_HTML)
def test_the_openings_earlier_day_wins_over_the_publication_date(published, back, spell,
                                                                 fenced, wrap, capsys):
    day = published - dt.timedelta(days=back)
    if day.year != published.year:  # a day written without a year takes the page's year
        day = published.replace(month=1, day=1)
    opening = spell(day) + " stalled because a runner kept its lock."
    text = _front(published, fenced) + wrap.format(
        opening, published=published.strftime("%B %d, %Y")) + "\n"
    with tempfile.TemporaryDirectory() as tmp:
        lesson, out = _import(Path(tmp), text, capsys)
    if day == published:
        assert lesson.date == published
        return
    assert lesson.date == day
    assert f"date {published.isoformat()} is {(published - day).days} day(s) later" in out


def test_a_day_after_the_publication_never_wins(tmp_path, capsys):
    text = _front(dt.date(2022, 1, 3), False) + (
        "On December 28th the build queue stalled because a runner kept its lock.\n")
    lesson, _out = _import(tmp_path, text, capsys)
    assert lesson.date == dt.date(2022, 1, 3)  # 2022-12-28 would be after publication


def test_a_weekday_alone_is_the_last_one_before_the_publication(tmp_path, capsys):
    text = _front(dt.date(2014, 9, 11), False) + (  # a Thursday
        "Hello everyone,\n\nSo Tuesday morning we got a report that nobody could deploy.\n")
    lesson, out = _import(tmp_path, text, capsys)
    assert lesson.date == dt.date(2014, 9, 9)
    assert "'Tuesday'" in out and "the text names no day" in out
    assert lesson.summary.startswith("So Tuesday morning")  # the greeting is not a summary


def test_an_opening_under_a_first_heading_dates_the_post(tmp_path, capsys):
    text = _front(dt.date(2026, 3, 20), True) + (
        "### A supply-chain incident\nA scanner we use was compromised on March 19, 2026, "
        "its maintainers said.\n")
    lesson, _out = _import(tmp_path, text, capsys)
    assert lesson.date == dt.date(2026, 3, 19)
