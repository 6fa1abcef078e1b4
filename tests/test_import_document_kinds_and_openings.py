"""Titles and summaries on collections written in forms the tuning sets did not show (#23):
a heading that names the kind of document ('Post-incident review', 'Root cause analysis') is
not the title; a title in HTML or in bold is one; an opening of boilerplate (a byline, a
'last updated' note, a table of contents, a note on time zones, an admonition, a statement
that the report is blameless) is never the summary, and a summary under 'TL;DR' or written as
a list is found. All text here is synthetic."""

from __future__ import annotations

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


_QUALIFIER = st.sampled_from(["", "Blameless ", "Internal ", "Final ", "Public "])
_KIND = st.sampled_from(["", "Post-incident ", "Post incident ", "Incident ", "Outage ",
                         "Service disruption ", "Security incident ", "Postmortem "])
_NOUN = st.sampled_from(["report", "review", "analysis", "retrospective", "postmortem",
                         "post-mortem", "RCA", "root cause analysis", "write-up", "document"])


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(qualifier=_QUALIFIER, kind=_KIND, noun=_NOUN, level=st.sampled_from(["#", "##"]))
def test_a_heading_naming_the_kind_of_document_is_not_the_title(
        tmp_path_factory, qualifier, kind, noun, level):
    generic = f"{qualifier}{kind}{noun}"
    generic = generic[:1].upper() + generic[1:]
    text = (f"# {generic}\n\n{level}# Queue stall on the orders service\n\nOn 2021-03-04 the "
            "queue stalled and orders waited two hours.\n")
    meta = imported(tmp_path_factory.mktemp("t"), text)
    assert meta["title"] == "Queue stall on the orders service"


def test_a_document_kind_alone_gives_the_file_name_and_says_so(tmp_path):
    meta = imported(tmp_path, "# Post-incident review\n\nThe queue stalled on 2021-03-04.\n",
                    "queue-stall.md")
    assert meta["title"] == "Queue stall"
    assert "no heading names the incident" in meta["report"]


def test_a_title_written_as_an_html_heading(tmp_path):
    meta = imported(tmp_path, "<h1>Queue stall on the orders service</h1>\n\nThe queue "
                              "stalled on 2021-03-04.\n")
    assert meta["title"] == "Queue stall on the orders service"


def test_a_title_set_in_bold_on_the_first_line(tmp_path):
    meta = imported(tmp_path, "**Queue stall on the orders service**\n\nThe queue stalled "
                              "on 2021-03-04.\n")
    assert meta["title"] == "Queue stall on the orders service"
    for not_a_title in ("**Status:** resolved", "**Postmortem**", "**[Incident title]**"):
        meta = imported(tmp_path, f"{not_a_title}\n\nThe queue stalled on 2021-03-04.\n",
                        "queue-stall.md")
        assert meta["title"] == "Queue stall", not_a_title
