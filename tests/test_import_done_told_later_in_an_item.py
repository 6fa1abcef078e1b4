"""`lessonbook import`: a follow-up is done when a later sentence of the item, or a nested
detail, reports its work done in the present perfect passive ("Recreating SSH keys for
backups." with "New keys have been generated for all hosts"; "... remains powered down. The
site has been re-deployed on a new VM") — even under a heading of plans — and not when it
says the work was only scheduled, raised or proposed, or could have been done."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lessonbook.cli.main import main


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def follow_ups(tmp_path: Path, items: str) -> list[dict]:
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / "report.md").write_text("# Relay breach\n\nOn 2024-03-05 a relay was breached.\n\n"
                                   f"## What changes we are making\n\n{items}\n",
                                   encoding="utf-8")
    with contextlib.redirect_stdout(io.StringIO()):
        status = main(["import", str(src), "--out", str(tmp_path / "out"), "--force",
                       "--config", str(tmp_path / "none.yml")])
    assert status == 0
    return front(tmp_path / "out" / "report.md").get("follow_ups") or []


_SUBJECTS = st.sampled_from(["New keys", "The relay.example.org site", "All backup hosts",
                             "The firewall rules", "Our signing certificate"])
_DONE = st.sampled_from(["have been generated", "has been re-deployed on a new VM",
                         "have now been rotated", "has been replaced", "have been rebuilt"])
_NOT_DONE = st.sampled_from(["has been scheduled for next week", "has been proposed",
                             "has been raised with the vendor", "could have been rotated sooner",
                             "will be replaced"])


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(subject=_SUBJECTS, verb=_DONE, nested=st.booleans())
def test_work_reported_done_after_the_item_s_first_sentence_makes_it_done(
        tmp_path, subject, verb, nested):
    report = f"{subject} {verb}, with stronger settings."
    item = ("- Recreating the keys used for backups, one per host.\n    - " + report
            if nested else "- The old relay remains powered down, awaiting analysis. " + report)
    found = follow_ups(tmp_path, item + "\n- We will ban addresses after failed logins.")
    assert [f["status"] for f in found] == ["done", "unknown"]


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(subject=_SUBJECTS, verb=_NOT_DONE, nested=st.booleans())
def test_work_only_scheduled_proposed_or_imagined_is_not_done(tmp_path, subject, verb, nested):
    report = f"{subject} {verb}, with stronger settings."
    item = ("- Recreating the keys used for backups, one per host.\n    - " + report
            if nested else "- Move the relay to a new host. " + report)
    found = follow_ups(tmp_path, item + "\n- We will ban addresses after failed logins.")
    assert [f["status"] for f in found] == ["unknown", "unknown"]
