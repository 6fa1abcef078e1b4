"""`lessonbook import`: a document's classification marker ('[Public]', '(Internal)') and a
yearless day after it are not part of the title; '**Actions planned:**' / '**Actions taken:**'
labels paired under each lesson learned are follow-ups (taken ones done), while one 'Action
taken' alone is still the response to the incident."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lessonbook import cli
from lessonbook.load.knowledge_base import KnowledgeBase


def _import(folder: Path, text: str):
    (folder / "post.md").write_text(text, encoding="utf-8")
    cli.main(["import", str(folder / "post.md"), "--out", str(folder / "out")])
    return KnowledgeBase.load(folder / "out").lessons[0]


_MARKERS = st.sampled_from(["[Public]", "[INTERNAL]", "(Confidential)", "[TLP:CLEAR]",
                            "[Public] -", "(Internal only):"])
_DAYS = st.sampled_from(["", "4/26 ", "12/3 "])


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(marker=_MARKERS, day=_DAYS, name=st.sampled_from(["Queue stall post-mortem",
                                                         "Build runners lost their locks"]))
def test_a_classification_marker_is_not_part_of_the_title(marker, day, name):
    text = (f"# {marker} {day}{name}\n\nOn 2021-03-04 the build queue stalled for an hour "
            "because a runner kept its lock.\n")
    with tempfile.TemporaryDirectory() as tmp:
        lesson = _import(Path(tmp), text)
    assert lesson.title == name[:1].upper() + name[1:]
    assert lesson.date.isoformat() == "2021-03-04"


def test_a_bracketed_title_without_a_marker_keeps_its_brackets(tmp_path):
    lesson = _import(tmp_path, "# [queue] Runners lost their locks\n\nOn 2021-03-04 the build "
                     "queue stalled for an hour.\n")
    assert lesson.title == "[queue] Runners lost their locks"


PAIRED = """# Queue stall

On 2021-03-04 the build queue stalled for an hour because a runner kept its lock.

## Lessons learned

### Locks outlive their owners

A crashed runner kept its lock.

**Actions taken:**

1. We have added a lease to every runner lock.

**Actions planned:**

- We will alert on a queue older than an hour.
- Document how to release a lock by hand.

### Nobody watched the queue

**Action taken:**

We have added the queue's age to the on-call dashboard.
"""


def test_paired_planned_and_taken_labels_under_lessons_are_follow_ups(tmp_path):
    lesson = _import(tmp_path, PAIRED)
    assert [(f.action, f.status) for f in lesson.follow_ups] == [
        ("We have added a lease to every runner lock.", "done"),
        ("We will alert on a queue older than an hour.", "unknown"),
        ("Document how to release a lock by hand.", "unknown"),
        ("We have added the queue's age to the on-call dashboard.", "done")]


def test_an_action_taken_label_alone_is_the_response_not_a_follow_up(tmp_path):
    text = PAIRED.replace("**Actions planned:**", "**What we saw:**")
    lesson = _import(tmp_path, text)
    assert lesson.follow_ups == []


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(said=st.sampled_from(["No code changes were needed to the runner",
                             "No configuration change was necessary on the queue",
                             "No changes to the scheduler are required"]))
def test_what_the_fix_did_not_need_is_not_a_follow_up(said):
    text = (f"# Queue stall\n\nOn 2021-03-04 the build queue stalled for an hour.\n\n"
            f"## Preventing recurrence\n\n{said}; the lock setting was wrong.\n\n"
            "We will add a lease to every runner lock.\n")
    with tempfile.TemporaryDirectory() as tmp:
        lesson = _import(Path(tmp), text)
    assert [f.action for f in lesson.follow_ups] == ["We will add a lease to every runner lock."]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(heading=st.sampled_from(["What are we changing?", "Next steps", "Planned work"]),
       perfect=st.sampled_from(["We have disabled", "We've already disabled",
                                "We have now disabled"]))
def test_a_present_perfect_item_is_done_even_under_a_heading_of_plans(heading, perfect):
    text = (f"# Queue stall\n\nOn 2021-03-04 the build queue stalled for an hour.\n\n"
            f"## {heading}\n\n- {perfect} lock reuse on every runner.\n"
            "- We have started a review of the scheduler.\n"
            "- We will add a lease to every runner lock.\n")
    with tempfile.TemporaryDirectory() as tmp:
        lesson = _import(Path(tmp), text)
    assert [f.status for f in lesson.follow_ups] == ["done", "unknown", "unknown"]
