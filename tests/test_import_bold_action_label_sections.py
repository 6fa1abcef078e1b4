"""`lessonbook import`: a bold label alone on its line that names follow-ups ("**Remediation
plan:**") is a heading in all but name — every list under it, with the short lead-ins between
them ("Our immediate action items:", "Medium-to-long term initiatives."), gives follow-ups, up
to the next bold label; prose after the lists adds none."""

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


def run_import(tmp_path: Path, text: str) -> dict:
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / "report.md").write_text(text, encoding="utf-8")
    with contextlib.redirect_stdout(io.StringIO()):
        status = main(["import", str(src), "--out", str(tmp_path / "out"), "--force",
                       "--config", str(tmp_path / "none.yml")])
    assert status == 0
    return front(tmp_path / "out" / "report.md")


_LABELS = st.sampled_from(["Remediation plan", "Action items", "Next steps",
                           "Follow-up actions", "Corrective actions", "Improvements"])
_LEADS = st.sampled_from(["Our immediate action items:", "Medium-to-long term initiatives.",
                          "Longer term", "In the coming weeks:", "Later this year."])
_ACTIONS = st.lists(st.sampled_from([
    "Update the runbook for the mail relay", "Add an alert on queue depth",
    "Keep spare disks on hand", "Move the relay under configuration management",
    "Cross-train the on-call engineers", "Automate provisioning of relays"]),
    min_size=1, max_size=4, unique=True)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(label=_LABELS, first_lead=_LEADS, second_lead=_LEADS, first=_ACTIONS, second=_ACTIONS)
def test_every_list_under_a_bold_action_label_is_a_follow_up(tmp_path, label, first_lead,
                                                              second_lead, first, second):
    lists = "\n".join(f"- {a}" for a in first), "\n".join(f"- {a}." for a in second)
    text = (f"# Relay outage\n\nOn 2024-03-05 the mail relay stopped.\n\n**{label}:**\n\n"
            f"{first_lead}\n\n{lists[0]}\n\n{second_lead}\n\n{lists[1]}\n\n"
            "We apologise for the trouble this caused.\n\n**Lessons learned:**\n\n"
            "- Spares matter\n")
    meta = run_import(tmp_path, text)
    assert len(meta.get("follow_ups") or []) == len(first) + len(second)


def test_a_bulleted_label_still_ends_with_its_nested_list(tmp_path):
    text = ("# Relay outage\n\nOn 2024-03-05 the mail relay stopped.\n\n"
            "- **Review actions**:\n    - Add an alert on queue depth\n    - Keep spare disks\n"
            "- The relay recovered at noon\n\nLater we wrote this up.\n\n- Unrelated note\n")
    meta = run_import(tmp_path, text)
    assert len(meta.get("follow_ups") or []) == 2
