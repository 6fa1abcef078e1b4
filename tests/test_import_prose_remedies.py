"""Remedies told in prose under 'Resolution and recovery' (#23, classes found after measuring
the held-out Chia reports): the remedy told as in place ('The immediate resolution was to
...', 'The fix in the codebase caps ...', '... no longer allows ...') is done; what follows
from it ('This released ...'), what might have been ('However, had we not been monitoring,
... would have ...'), where to read more ('... can be found here') and what stays as it was
('... will still be displayed') are not actions; 'was scheduled' is not done."""

from __future__ import annotations

from pathlib import Path

import yaml

from lessonbook.authoring.importer import import_files


def follow_ups(folder: Path, section: str) -> list[tuple[str, str]]:
    source = folder / "src" / "postmortem.md"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text("# Chain stall\n\nOn 2024-01-10 the chain stalled.\n\n"
                      f"## Resolution and recovery\n\n{section}\n", encoding="utf-8")
    [report] = import_files([source], folder / "out", force=True)
    meta = yaml.safe_load(Path(report.target).read_text(encoding="utf-8").split("---\n")[1])
    return [(f["action"].split()[1], f["status"]) for f in meta.get("follow_ups") or []]


def test_remedies_told_in_place_are_done_and_what_follows_from_them_is_no_action(tmp_path):
    text = ("The immediate resolution was to restart the timelords by automation. This "
            "released the nodes from the stuck state. However, had we not been monitoring, any "
            "restarted timelord would have advanced the chain. The fix in the codebase caps "
            "the selection time for each block. The commit fixing the issue can be found "
            "here: https://example.org/commit/1")
    assert follow_ups(tmp_path, text) == [("immediate", "done"), ("fix", "done")]


def test_a_change_told_with_no_longer_is_done_unless_it_is_a_purpose_or_a_plan(tmp_path):
    text = ("Starting in version 2.3.0, the wallet no longer makes metadata links clickable. "
            "Any links that exist will still be displayed as text.")
    assert follow_ups(tmp_path, text) == [("in", "done")]
    listed = ("- Work on the proxy interface, so the proxy is no longer a single point of "
              "failure\n- We will make sure the wallet no longer opens links\n")
    assert follow_ups(tmp_path, listed) == [("on", "unknown"), ("will", "unknown")]


def test_an_action_scheduled_is_not_done_and_one_carried_out_is(tmp_path):
    assert follow_ups(tmp_path, "The bank integration in question was scheduled for "
                      "removal.") == [("bank", "unknown")]
    assert follow_ups(tmp_path, "The bank integration in question was removed from the "
                      "admin tool.") == [("bank", "done")]
