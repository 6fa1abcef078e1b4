"""`lessonbook import`: a list announced as the team's steps ("so we've taken a few steps as of
today:") whose items each say what the team did, does or will do gives follow-ups — done for
what it did ("We fixed ...", "We've acquired ..."), not for what it will do or is doing — while
a list of what the team noticed, or one announced without naming steps, gives none."""

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


_LEADS = st.sampled_from([
    "We have to assume some keys leaked, so we've taken a few steps as of today:",
    "These are the measures we are taking:", "The changes we made after the incident:",
    "Since then we took the following actions:"])
_DONE = ["We fixed the parser in every relay", "We've rotated the signing keys",
         "We have disabled password caching", "We replaced the expired certificate"]
_NOT_DONE = ["We will require every committer to reset passwords",
             "We are encouraging administrators to rotate tokens",
             "We'll add an alert on queue depth", "We need to document the relay"]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lead=_LEADS, done=st.lists(st.sampled_from(_DONE), max_size=3, unique=True),
       not_done=st.lists(st.sampled_from(_NOT_DONE), max_size=3, unique=True),
       numbered=st.booleans(), order=st.randoms(use_true_random=False))
def test_a_list_of_the_team_s_steps_gives_follow_ups_done_for_what_it_did(
        tmp_path, lead, done, not_done, numbered, order):
    items = done + not_done
    if len(items) < 2:
        return
    order.shuffle(items)
    mark = "1." if numbered else "-"
    text = (f"# Key exposure\n\nOn 2024-04-08 a flaw exposed private keys.\n\n{lead}\n\n"
            + "\n".join(f"{mark} {x}," for x in items) + "\n\nThanks for your patience.\n")
    meta = run_import(tmp_path, text)
    follow_ups = meta.get("follow_ups") or []
    assert len(follow_ups) == len(items)
    assert sum(f["status"] == "done" for f in follow_ups) == len(done)


def test_what_the_team_noticed_or_a_list_not_announced_as_steps_gives_none(tmp_path):
    noticed = ("# Key exposure\n\nOn 2024-04-08 a flaw exposed keys.\n\nThe steps of the "
               "attack, as we saw them:\n\n- We noticed odd logins\n- We saw a new account\n")
    unnamed = ("# Key exposure\n\nOn 2024-04-08 a flaw exposed keys.\n\nHere is what "
               "happened next:\n\n- We fixed the parser\n- We rotated the keys\n")
    assert "follow_ups" not in run_import(tmp_path, noticed)
    assert "follow_ups" not in run_import(tmp_path, unnamed)
