"""The misses left after the held-out Python Discord / Chia set (#23), closed by class on
synthetic text: a timeline row that only sets something up, or says it is an aside ('for
context', 'unrelated to this report'), is not the incident's start, and 'no access ... has
occurred' is no impact; a remedy told as done in a later clause of a long sentence ('... and
those servers were restarted via automation'); a release that carries the remedy ('Version
2.5.1 contains a workaround ...'), told in prose beside a list of the next release's fixes,
is one more follow-up, and the list's items are done when their lead-in says the release
included them, even when the items describe the fixed behaviour in the present tense."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from lessonbook.authoring.importer import import_files


def imported(folder: Path, text: str) -> dict[str, Any]:
    source = folder / "src" / "postmortem.md"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(text, encoding="utf-8")
    [report] = import_files([source], folder / "out", force=True)
    assert report.target, report.format()
    return yaml.safe_load(Path(report.target).read_text(encoding="utf-8").split("---\n")[1])


def statuses(folder: Path, section: str) -> list[str]:
    meta = imported(folder, "# Queue stall\n\nOn 2025-02-13 the queue stalled.\n\n"
                    f"## Resolution and recovery\n\n{section}\n")
    return [f["status"] for f in meta.get("follow_ups") or []]


SET_UP = ("# Credentials alert\n\n## Timeline\n\nMarch 3, 2024\nThe finance team {verb} a "
          "connector between the ledger tool and the bank, with an employee's login.\n\n"
          "{note}\n\nMarch 18, 2024: 07:56 UTC\nThe bank flagged a login from a new address "
          "as malicious.\n")


def test_a_set_up_row_with_a_note_that_nothing_happened_is_not_the_start(tmp_path):
    note = "Outside of that login, no access to the bank has occurred from the phone."
    for verb in ("established", "set up", "configured"):
        text = SET_UP.format(verb=verb, note=note)
        assert str(imported(tmp_path, text)["date"]) == "2024-03-18", verb
    broke = SET_UP.format(verb="set up", note="The connector failed at once.")
    assert str(imported(tmp_path, broke)["date"]) == "2024-03-03"


def test_a_row_that_says_it_is_an_aside_is_not_the_start(tmp_path):
    context = SET_UP.format(verb="discussed", note="The above is included for context "
                            "purposes: the tool reported errors that week.")
    assert str(imported(tmp_path, context)["date"]) == "2024-03-18"
    unrelated = ("# Leaked token\n\n## Timeline of events\n\n- 2024-06-21: the old images "
                 "were removed from the registry for reasons unrelated to this report.\n"
                 "- 2024-06-28 07:09: a researcher reports the leaked token.\n"
                 "- 2024-06-28 07:26: the token is revoked.\n")
    assert str(imported(tmp_path, unrelated)["date"]) == "2024-06-28"
    related = unrelated.replace("for reasons unrelated to this report",
                                "and the report came in")
    assert str(imported(tmp_path, related)["date"]) == "2024-06-21"


def test_a_remedy_told_as_done_late_in_a_long_sentence_is_done(tmp_path):
    text = ("The operations team of the company was the only one running the special "
            "timekeeping servers at this time and those servers were restarted via automation "
            "when the stall was detected.")
    assert statuses(tmp_path, text) == ["done"]
    planned = text.replace("those servers were restarted", "we will make sure those servers "
                           "are restarted")
    assert statuses(tmp_path, planned) == ["unknown"]


def test_a_release_remedy_beside_a_list_of_fixes_is_one_more_and_all_are_done(tmp_path):
    text = ("Most of the network was not affected by the queue issues.\n\n"
            "Version 2.5.1 of the node software contains a workaround that caps the block "
            "creation time, to ensure blocks reach a timelord in time. The network started to "
            "recover after the release.\n\n"
            "Version 2.5.2 included fixes that invalidated the stuck items:\n"
            "* Bundles that only contain rebased spends are rejected.\n"
            "* Every spend eligible for rebasing is validated against the latest version.\n"
            "* A spend put on the latest version replaces its item in the queue.\n")
    assert statuses(tmp_path, text) == ["done", "done", "done", "done"]
    planned = text.replace("Version 2.5.2 included fixes that invalidated the stuck items:",
                           "Version 2.5.2 will include these fixes:")
    assert statuses(tmp_path, planned) == ["done", "unknown", "unknown", "unknown"]


def test_prose_that_plans_beside_a_list_still_adds_nothing(tmp_path):
    text = ("We will track these in the issue tracker and review them monthly.\n\n"
            "- Add an alert on queue length\n- Document the restart procedure\n")
    assert statuses(tmp_path, text) == ["unknown", "unknown"]
