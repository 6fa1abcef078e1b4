"""Classes of import misses found on a held-out collection (#23, Berkeley DataHub): fences
read as CommonMark reads them, so a one-line ```code``` or a '```bash' line inside a block does
not swallow the rest of the file; a filled-in template keeps braces around its values and is
still a report; the template's blanks, its 'After-action report' heading, 'Where we got lucky'
and its checklist about the write-up are not follow-ups; '(Done!)' is done; a front-matter date
is the page's date, and a start the text gives up to a month before it wins; a date in a link
to another report is not a day of this one."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lessonbook.authoring.importer import import_files

ACTIONS = "## Action items\n\n1. Back up the database every night\n2. Page on pending pods\n"


def imported(folder: Path, text: str, name: str = "postmortem.md") -> dict:
    source = folder / "src" / name
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(text, encoding="utf-8")
    [report] = import_files([source], folder / "out", force=True)
    assert report.target, report.format()
    return yaml.safe_load(Path(report.target).read_text(encoding="utf-8").split("---\n")[1])


def actions(meta: dict) -> list[str]:
    return [f["action"] for f in meta.get("follow_ups") or []]


_WORDS = st.sampled_from(["kubectl get pods", "## Not a heading", "SELECT * FROM users;",
                          "1. not an action", "", "log line 12:00"])
_CODE_BLOCK = st.builds(
    lambda mark, info, body, inner: "\n".join(
        [mark + info, *body[:1], inner, *body[1:], mark + mark[0] * 0]),
    st.sampled_from(["```", "````", "~~~"]), st.sampled_from(["", "bash", "sql", " text"]),
    st.lists(_WORDS, max_size=3),
    st.sampled_from(["```bash", "~~~sql", "``", "   ```python", "text"]))
"""A fenced block whose body holds lines that look like fences but cannot close it (an info
string after the backticks, a fence of the other character or too short)."""
_BLOCK = st.one_of(
    _CODE_BLOCK,
    st.sampled_from(["```ERROR: (gcloud) no external IP yet```", "Some prose with `code`.",
                     "### 10:05 ###", "The hub restarted.", "``` inline ``` and more"]))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_BLOCK, max_size=6))
def test_fenced_code_never_swallows_the_action_items_after_it(tmp_path, blocks):
    text = "# Outage\n\n## Timeline\n\n" + "\n\n".join(blocks) + "\n\n" + ACTIONS
    meta = imported(tmp_path, text)
    assert actions(meta) == ["Back up the database every night", "Page on pending pods"]


def test_headings_and_items_inside_a_fence_with_lookalike_lines_are_code(tmp_path):
    text = ("# Outage\n\n```\n```bash\n## Action items\n1. Not a follow-up\n```\n\n"
            "The disk filled.\n")
    assert "follow_ups" not in imported(tmp_path, text)


def test_a_done_note_with_its_own_punctuation_marks_the_item_done(tmp_path):
    text = ("# Outage\n\n## Action Items ##\n\n1. Delete the old nodes. (Done!)\n"
            "2. Alert on pending pods (done.)\n3. Track the upstream bug\n")
    assert [f["status"] for f in imported(tmp_path, text)["follow_ups"]] == [
        "done", "done", "unknown"]


FILLED_TEMPLATE = """---
title: Hubs throwing errors
date: 2022-01-20
---

## Summary

[PR 1](https://example.org/pull/1) was merged to prod and broke the image.

## Timeline (if relevant)

### {{ 2022-01-20 Between 02:00 and 02.30 PM }}
The PR was merged.

### {{ 06:10 }}
An instructor reported the outage.

---

# After-action report

## What went wrong

- Nobody was alerted.

## Where we got lucky

- Someone was awake and fixed it.

## Action items

These are only sample subheadings.

### Documentation improvements

1. {{ Start writing after-action reports for future outages }} [link to github issue]
2. {{ summary }} [link to github issue]

### Technical improvements

1. {{ Enable logging across all hubs }}

## Actions

- [x] Incident has been dealt with or is over
- [x] Sections above are filled out
- [x] Incident title and after-action report is cleaned up
- [ ] All actionable items above have linked GitHub Issues
"""


def test_a_filled_in_template_is_a_report_and_only_its_written_actions_are_follow_ups(
        tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "2022-01-20-hubs.md").write_text(FILLED_TEMPLATE, encoding="utf-8")
    blank = FILLED_TEMPLATE.replace("2022-01-20 Between 02:00 and 02.30 PM", "yyyy-mm-dd hh:mm")
    (tmp_path / "src" / "template.md").write_text(blank.replace("06:10", "hh:mm"), "utf-8")
    reports = {Path(r.source).name: r for r in import_files([tmp_path / "src"],
                                                            tmp_path / "out")}
    assert reports["template.md"].target is None  # blanks in its headings: still a template
    meta = yaml.safe_load(Path(reports["2022-01-20-hubs.md"].target).read_text("utf-8")
                          .split("---\n")[1])
    assert actions(meta) == ["Start writing after-action reports for future outages",
                             "Enable logging across all hubs"]
    assert meta["summary"].startswith("PR 1 was merged to prod")


def test_an_imperative_checklist_item_about_the_report_is_still_an_action(tmp_path):
    text = "# Outage\n\n## Action Items\n- [ ] write an incident report\n"
    assert actions(imported(tmp_path, text)) == ["write an incident report"]


def _dated(front: str, summary: str, timeline: str = "") -> str:
    return (f"---\ntitle: Proxy evicted\ndate: {front}\n---\n\n## Summary ##\n\n{summary}\n\n"
            f"## Timeline ##\n\n{timeline or '### 21:10 ###' + chr(10) + 'The proxy died.'}\n")


def test_a_start_the_text_gives_before_the_front_matter_date_is_the_lessons_date(tmp_path):
    meta = imported(tmp_path, _dated("2017-02-24", "On the evening of Feb 23, students saw "
                                     "errors."), "2017-02-24-proxy.md")
    assert str(meta["date"]) == "2017-02-23"
    meta = imported(tmp_path, _dated("2017-10-19", "The subscription was cancelled.",
                                     "### 2017-10-10 9:06a\nThe vendor wrote."))
    assert str(meta["date"]) == "2017-10-10"


def test_the_front_matter_date_stands_against_a_later_or_far_earlier_text_date(tmp_path):
    later = _dated("2019-02-25", "The API server went down.",
                   "### 2019-02-25 11:21a\nDown.\n\n### 2019-03-15\nThe vendor replied.")
    assert str(imported(tmp_path, later)["date"]) == "2019-02-25"
    typo = _dated("2017-10-10", "Pods hung.", "### 2017-05-09 10:45a\nA report came in.")
    assert str(imported(tmp_path, typo)["date"]) == "2017-10-10"  # five months: not a lag
    named = _dated("2018-02-06", "A volume would not detach.")
    assert str(imported(tmp_path, named, "2018-02-05-volume.md")["date"]) == "2018-02-06"


def test_a_date_in_a_link_to_another_report_is_not_a_day_of_this_incident(tmp_path):
    text = ("# Too many volumes\n\n## Summary\n\nFrom early March 20 2017 servers were stuck."
            "\n\n## Timeline\n\n### 14:23\nRestarted, as in [an earlier incident]"
            "(2017-02-24-proxy-death.md) and https://example.org/2016-01-01/log.\n")
    assert str(imported(tmp_path, text, "2017-03-20-volumes.md")["date"]) == "2017-03-20"


# Classes found on the blog posts of two more teams (Rust, PyPI), measured after the fixes above.

def _zola(path: str, title: str, body: str) -> str:
    return f'+++\npath = "{path}"\ntitle = "{title}"\nauthors = ["A"]\n+++\n\n{body}'


def test_a_page_without_a_date_field_is_dated_from_its_title_text_or_address(tmp_path):
    titled = _zola("2018/10/19/update", "Update on the October 15, 2018 incident", "It broke.\n")
    assert str(imported(tmp_path, titled, "update.md")["date"]) == "2018-10-15"
    yearless = _zola("inside-rust/2023/09/01/malware", "Malware",
                     "## Summary\n\nOn August 16, the team was notified of nine crates.\n")
    assert str(imported(tmp_path, yearless, "malware.md")["date"]) == "2023-08-16"
    today = _zola("2025/04/11/cookies", "Cookies stored", "Today the team discovered it.\n")
    assert str(imported(tmp_path, today, "cookies.md")["date"]) == "2025-04-11"
    nothing = _zola("about/cookies", "Cookies stored", "Today the team discovered it.\n")
    assert imported(tmp_path, nothing, "cookies.md")["date"] == "unknown"


def test_a_date_later_in_a_timeline_line_is_not_a_row(tmp_path):
    text = ("# docs.rs outage\n\n## Timeline of events\n\nUnless otherwise noted all events "
            "happened on 2019-10-21, and all times are in UTC.\n\n- **2019-10-20 00:55: builds "
            "started failing**\n- **01:38: the site went down**\n")
    assert str(imported(tmp_path, text)["date"]) == "2019-10-20"


def test_future_measures_in_prose_are_actions_and_response_or_reader_advice_are_not(tmp_path):
    text = ("# Outage\n\n## Action Taken\n\nThe user's address was blocked immediately.\n\n"
            "## Future measures\n\nIt should not have been possible for one user to upload "
            "that many packages. We will be introducing rate limiting on this endpoint. We are "
            "also looking into disallowing names that impersonate the team. If you feel that a "
            "policy is wrong, the place to propose a change is an RFC.\n\n"
            "## Call to action\n\n- Enable 2FA on your account\n- Remove a dormant account\n")
    assert actions(imported(tmp_path, text)) == [
        "We will be introducing rate limiting on this endpoint.",
        "We are also looking into disallowing names that impersonate the team."]


def test_a_present_perfect_with_an_irregular_participle_tells_a_done_action(tmp_path):
    text = ("# Takeover\n\n## Improvements\n\nWe have already taken steps to limit logins "
            "without 2FA. We have now written documentation for account recovery. We will "
            "enforce 2FA at the end of the year.\n")
    assert [f["status"] for f in imported(tmp_path, text)["follow_ups"]] == [
        "done", "done", "unknown"]
