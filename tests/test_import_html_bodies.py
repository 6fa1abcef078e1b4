"""`lessonbook import` reads a postmortem whose body is HTML inside Markdown (a blog's export)
as the Markdown it stands for: `<hN>` headings, `<p>` paragraphs for the summary, `<ul>/<ol>`
items for the follow-ups, `<strike>/<del>/<s>` for done, entities decoded; the lesson keeps
the body exactly as written."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lessonbook import cli
from lessonbook.load.knowledge_base import KnowledgeBase


def _import(folder: Path, text: str):
    (folder / "post.md").write_text(text, encoding="utf-8")
    status = cli.main(["import", str(folder / "post.md"), "--out", str(folder / "out")])
    return status, KnowledgeBase.load(folder / "out").lessons[0]


_STRIKE = st.sampled_from(["strike", "del", "s"])
_LIST = st.sampled_from(["ul", "ol"])
_HEADING = st.sampled_from(["<h2>{}</h2>", "<h3 class='x'>{}</h3>", "<h4>{}</h4>",
                            "<p><b>{}</b></p>", "<p><strong>{}:</strong></p>"])
_NAME = st.sampled_from(["Action items", "To Do", "What are we changing?", "Remediation"])
_WRAP = st.sampled_from(["{}", '<span style="color: #222; font-family: arial;">{}</span>'])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strike=_STRIKE, kind=_LIST, heading=_HEADING, name=_NAME, wrap=_WRAP)
def test_an_html_body_reads_as_its_headings_paragraphs_and_lists(strike, kind, heading, name,
                                                                 wrap):
    opening = wrap.format("The build queue &amp; its runners stalled&nbsp;for an hour on "
                          "2021-03-04.")
    first = wrap.format("Expire runner locks after ten minutes")
    body = ("<h1>Build queue stall</h1>\n"
            f"<p>{opening}</p>\n"
            "<p>A runner kept its lock after a crash.</p>\n"
            + heading.format(name) + "\n"
            f"<{kind}>\n  <li>{first}</li>\n"
            f"  <li><{strike}>Alert on a queue older than an hour</{strike}></li>\n"
            f"  <li>Document how to release a lock by hand</li>\n</{kind}>\n")
    with tempfile.TemporaryDirectory() as tmp:
        status, lesson = _import(Path(tmp), body)
    assert status == 0 and lesson.title == "Build queue stall"
    assert lesson.summary.startswith("The build queue & its runners stalled for an hour")
    assert [f.status for f in lesson.follow_ups] == ["unknown", "done", "unknown"]
    assert lesson.follow_ups[0].action == "Expire runner locks after ten minutes"
    assert lesson.body == body  # only the reading is new


def test_a_bold_label_above_a_line_break_is_a_label_not_the_summary(tmp_path):
    body = ("<p><span><b>Overview:</b></span><br /><span>During the night the build queue "
            "stalled because a runner kept its lock.</span></p>\n"
            "<p><b>What happened:</b><br />A runner crashed while holding the lock.</p>\n")
    _status, lesson = _import(tmp_path, "title: Queue stall\ndate: 2021-03-04\n"
                              "layout: post\n\n" + body)
    assert lesson.summary.startswith("During the night the build queue stalled")
    assert lesson.body == body


def test_paragraphs_split_by_two_line_breaks_are_paragraphs(tmp_path):
    body = ("&nbsp;On 2021-03-04 the build queue stalled.<br /><br />A runner kept its lock "
            "after it crashed.<br />Nobody could merge.<br /><br />")
    _status, lesson = _import(tmp_path, body)
    assert lesson.summary == "On 2021-03-04 the build queue stalled."
