"""`lessonbook import`: what an editor put above a post's story later ('**Note** March 12:
the issue below is resolved', '**Update (2021-03-06):**'), a bold label alone ('**What
happened:**'), a greeting ('Hi all,') and an aside of one or two words ('Remain calm.') are
never the lesson's summary; the story is."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lessonbook import cli
from lessonbook.load.knowledge_base import KnowledgeBase

STORY = "A runner kept its lock after a crash, so the build queue stalled for an hour."


def _summary(folder: Path, text: str) -> str:
    (folder / "post.md").write_text(text, encoding="utf-8")
    cli.main(["import", str(folder / "post.md"), "--out", str(folder / "out")])
    return KnowledgeBase.load(folder / "out").lessons[0].summary


_OPENERS = st.sampled_from([
    "**Note** March 12, 2021: the issue described below is resolved in version 2.1.",
    "**Update (2021-03-06 ~12.00 UTC):**",
    "**Edit:** the fix shipped on Monday; the workaround below still works.",
    "__Correction__: an earlier version of this post named the wrong runner.",
    "**What happened:**",
    "Hi all,",
    "Hello everyone!"])


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(opener=_OPENERS)
def test_notes_labels_and_greetings_above_the_story_are_not_the_summary(opener):
    with tempfile.TemporaryDirectory() as tmp:
        summary = _summary(Path(tmp), f"# Queue stall\n\n{opener}\n\n{STORY}\n")
    assert summary.startswith("A runner kept its lock")


def test_a_story_that_starts_with_an_update_word_is_still_the_summary(tmp_path):
    text = "# Queue stall\n\nUpdates to the runner image left a lock behind, so the queue " \
           "stalled for an hour.\n"
    assert _summary(tmp_path, text).startswith("Updates to the runner image")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(aside=st.sampled_from(["Remain calm.", "Sorry!", "Oops.", "Don't panic.",
                              "Hello again!", "Deep breath."]))
def test_an_aside_of_one_or_two_words_above_the_story_is_not_the_summary(aside):
    with tempfile.TemporaryDirectory() as tmp:
        summary = _summary(Path(tmp), f"# Queue stall\n\n{aside}\n\n{STORY}\n")
    assert summary.startswith("A runner kept its lock")


def test_a_short_story_of_three_words_is_still_the_summary(tmp_path):
    assert _summary(tmp_path, "# Queue stall\n\nThe queue stalled.\n\nMore later.\n") == \
        "The queue stalled."
