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
    for not_a_title in ("**Status:** resolved", "**Postmortem**", "**[Incident title]**",
                        "**Warning**", "**Update 2 March: the fix is out**",
                        "**Draft - do not share**"):
        meta = imported(tmp_path, f"{not_a_title}\n\nThe queue stalled on 2021-03-04.\n",
                        "queue-stall.md")
        assert meta["title"] == "Queue stall", not_a_title


_STORY = "On 2021-03-04 the queue stalled and orders waited two hours."
_FRAMING = st.sampled_from([
    "This is a blameless postmortem.", "This document follows our postmortem template.",
    "_Last updated: 2021-03-10_", "Posted by Jane Doe on March 10, 2021",
    "By Jane Doe, platform team", "Reading time: 5 minutes", "7 min read", "[TOC]",
    "<!-- more -->", "{% include toc.html %}", "Table of contents",
    "*This post is also available in Spanish.*", "All times in UTC.",
    "All timestamps are Pacific time.", "!!! note\n    Times are UTC.",
    ":::info\nTimes are UTC.\n:::", "<!--\nreviewers: a, b\n-->",
    "Originally published on the company wiki."])


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(framing=st.lists(_FRAMING, min_size=1, max_size=3),
       under=st.sampled_from(["", "## Summary\n\n", "## TL;DR\n\n", "## Synopsis\n\n"]))
def test_a_framing_opening_is_never_the_summary(tmp_path_factory, framing, under):
    text = f"# Queue stall on orders\n\n{under}" + "\n\n".join(framing) + f"\n\n{_STORY}\n"
    meta = imported(tmp_path_factory.mktemp("s"), text)
    assert meta["summary"] == _STORY


def test_a_summary_under_tldr_or_written_as_a_list(tmp_path):
    for heading in ("TL;DR", "Synopsis", "Abstract", "In brief"):
        text = (f"# Queue stall on orders\n\n**Owner:** @jdoe\n\n## {heading}\n\n{_STORY}\n\n"
                "## Timeline\n\n- 2021-03-04 10:00 the queue stalls\n")
        assert imported(tmp_path, text)["summary"] == _STORY, heading
    listed = ("# Queue stall on orders\n\n## Summary\n\n- Status: resolved\n"
              f"- {_STORY}\n- Two hours of delayed orders.\n")
    assert imported(tmp_path, listed)["summary"] == _STORY


def test_a_story_that_opens_like_a_byline_is_still_the_summary(tmp_path):
    for story in ("By 10:00 on 2021-03-04 the order queue had stopped draining, and for the "
                  "next two hours every checkout on the shop waited for a worker.",
                  "By the time we noticed, the order queue had stalled for two hours.",
                  "By Monday, orders were two days late."):
        meta = imported(tmp_path, f"# Queue stall on orders\n\n{story}\n")
        assert meta["summary"] == story


def test_no_summary_is_left_empty_and_reported(tmp_path):
    meta = imported(tmp_path, "# Queue stall on orders\n\n_Last updated: 2021-03-10_\n\n"
                              "[TOC]\n\n## Timeline\n\n- 2021-03-04 10:00 stall\n")
    assert "summary" not in meta
    assert "summary: no Summary section" in meta["report"]


def _import_folder(root: Path, files: dict[str, str]) -> dict[str, dict[str, Any]]:
    (root / "src").mkdir(parents=True)
    for name, text in files.items():
        (root / "src" / name).write_text(text, encoding="utf-8")
    out = {}
    for report in import_files([root / "src"], root / "out"):
        assert report.target, report.format()
        meta = yaml.safe_load(Path(report.target).read_text(encoding="utf-8").split("---\n")[1])
        out[Path(report.source).name] = meta | {"report": report.format()}
    return out


_INCIDENTS = ["Queue stall on orders", "Login outage", "Slow search", "Expired certificate",
              "Disk full on the build host"]


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(site=st.sampled_from(["Acme engineering", "Platform team wiki", "Status notes"]),
       count=st.integers(3, 5), nameless=st.booleans())
def test_a_heading_most_files_share_is_the_sites_title_not_the_incidents(
        tmp_path_factory, site, count, nameless):
    files = {}
    for index, incident in enumerate(_INCIDENTS[:count]):
        name = f"{incident.lower().replace(' ', '-')}.md"
        second = "" if nameless and index == 0 else f"## {incident}\n\n"
        files[name] = f"# {site}\n\n{second}It happened on 2021-03-0{index + 1}.\n"
    metas = _import_folder(tmp_path_factory.mktemp("site"), files)
    for incident in _INCIDENTS[:count]:
        meta = metas[f"{incident.lower().replace(' ', '-')}.md"]
        assert meta["title"].lower() == incident.lower()
        assert "a site's title" in meta["report"]


def test_a_title_a_few_reports_share_is_still_their_title(tmp_path):
    files = {f"pm-{n}.md": f"# Outage number {n}\n\nIt happened on 2021-03-0{n}.\n"
             for n in range(1, 8)}
    for n in (7, 8, 9):
        files[f"pm-{n}.md"] = (f"# All services returning 503\n\n## Summary\n\nIt happened on "
                               f"2021-04-0{n - 6}.\n")
    metas = _import_folder(tmp_path, files)
    assert [metas[f"pm-{n}.md"]["title"] for n in (7, 8, 9)] == \
        ["All services returning 503"] * 3


_FIELDS = st.lists(st.sampled_from([
    ("Date", "2021-03-04"), ("Severity", "SEV-2 (customer facing, all regions)"),
    ("Duration", "2 hours 10 minutes"), ("Authors", "Jane Doe (SRE) and John Roe (Payments)"),
    ("Status", "Complete, reviewed by the platform team"), ("Incident ID", "INC-1234"),
    ("Owner", "the platform on-call team"), ("Participants", "@jane, @john, @sam, @alex")]),
    min_size=1, max_size=5, unique_by=lambda f: f[0])


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=_FIELDS, separator=st.sampled_from([" | ", " · ", "\n", "  \n", " "]),
       bold=st.booleans())
def test_a_block_of_metadata_fields_of_any_length_is_never_the_summary(
        tmp_path_factory, fields, separator, bold):
    if len(fields) == 1 and fields[0][0] in ("Date", "Severity", "Duration", "Incident ID",
                                             "Owner"):
        fields = [*fields, ("Authors", "Jane Doe")]  # one short field: covered elsewhere
    mark = "**" if bold else ""
    block = separator.join(f"{mark}{label}:{mark} {value}" for label, value in fields)
    text = f"# Queue stall on orders\n\n{block}\n\n{_STORY}\n"
    assert imported(tmp_path_factory.mktemp("m"), text)["summary"] == _STORY


def test_a_story_with_a_colon_in_it_is_still_the_summary(tmp_path):
    for story in ("The cause: a configuration pushed on Friday stopped every worker of the "
                  "order queue, and checkouts waited until Monday.",
                  "Impact: checkouts failed for two hours. Cause: a bad worker config. "
                  "Fix: a rollback at 10:40."):
        meta = imported(tmp_path, f"# Queue stall on orders\n\n{story}\n")
        assert meta["summary"] == story


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title_line=st.sampled_from(["Queue stall on the orders service", "Orders: queue stall"]),
       field=st.sampled_from(["Status: Draft", "Status: Reviewed", "Severity: SEV2"]),
       plain_heading=st.sampled_from(["Overview", "What Happened", "Summary Of Events",
                                      "OWNER OF REVIEW PROCESS"]))
def test_an_exported_document_without_heading_marks_gives_its_story_as_the_summary(
        tmp_path_factory, title_line, field, plain_heading):
    text = (f"# queue stall\n\n{title_line}\n{field}\n\n{plain_heading}\n\n"
            f"{_STORY.replace(' and ', chr(10) + 'and ')}\n\nJane Doe\n")
    meta = imported(tmp_path_factory.mktemp("x"), text)
    assert meta["summary"] == _STORY


def test_a_sentence_broken_before_a_colon_or_a_short_plain_summary_is_kept(tmp_path):
    broken = ("# Queue stall\n\n## Summary\n\nThe queue stalled and checkouts failed. It was\n"
              "decided that:\n\n1. the workers restart\n")
    assert imported(tmp_path, broken)["summary"].startswith("The queue stalled and checkouts")
    short = "# Queue stall\n\n## Summary\n\nOrders were lost\n"
    assert imported(tmp_path, short)["summary"] == "Orders were lost"


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(heading=st.sampled_from([
    "Impact", "Customer impact", "What happened?", "Incident description",
    "Description of the incident", "Background and context", "Context", "Problem",
    "Problem description", "The incident", "Incident overview", "Issue", "Incident details"]))
def test_a_report_that_opens_with_a_section_takes_its_summary_from_it(tmp_path_factory, heading):
    text = (f"# Queue stall on orders\n\n## {heading}\n\n{_STORY}\n\n## Timeline\n\n"
            "- 2021-03-04 10:02 the queue stops draining\n")
    assert imported(tmp_path_factory.mktemp("o"), text)["summary"] == _STORY


def test_an_introduction_is_preferred_to_the_impact(tmp_path):
    text = (f"# Queue stall on orders\n\n## Impact\n\nTwo hours of failed checkouts.\n\n"
            f"## Background\n\n{_STORY}\n")
    assert imported(tmp_path, text)["summary"] == _STORY
