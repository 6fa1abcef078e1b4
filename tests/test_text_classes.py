"""Classes of hostile text, generated rather than listed: Unicode that is not text (lone
surrogates, controls, escape sequences), text that looks like a line break or a GitHub
workflow command, and repeated keys — in every text field, in keys and in file names — driven
through `lessonbook check` (every format), `lessonbook due` and small builds.

The invariants: no traceback and no hang; a value no lesson may hold is one error naming the
field, and that lesson is not built; every line printed is one line that starts no workflow
command; a key that decides publication or identity, written twice, is an error.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import build, lesson_text, write_site
from lessonbook import cli
from lessonbook.load.parsing import DECISIVE_KEYS, parse_source
from lessonbook.model.text import NOT_ACCEPTED

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

FRAGMENTS = ["::", "%", "%0A", "::error file=a.md,line=1::forged", "##[error]forged", "\n",
             "\r", "\r\n", "\x1b[31m", "\x1b]0;title\x07", "\u2028", "\u2029", "\u200f",
             "\u202e", "\u2066", "e\u0301", "\x00", "\x85", "\ud800", "\udfff", "\ufffe",
             "תקלה", "\t", ",", ":"]
hostile_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS),
                                  st.characters(codec=None, categories=("Cc", "Cs", "Cf", "Zl",
                                                                        "Zp", "Mn", "Lo"))),
                        min_size=1, max_size=6).map("".join)
"""Text with what breaks lines, terminals and CI logs, or is not Unicode text at all."""

SLOTS = {
    "title": "title: {v}\n",
    "summary": "summary: {v}\n",
    "tags": "tags: [{v}]\n",
    "services": "services:\n  - {v}\n",
    "follow-up action": "follow_ups:\n  - action: {v}\n    owner: sre\n    due: 2024-01-01\n",
    "follow-up owner": "follow_ups:\n  - action: Fix it\n    owner: {v}\n    due: 2024-01-01\n",
    "rule text": "rules:\n  - if: {v}\n    then: page the owner\n",
    "a key": "{v}: extra\n",
    "a nested key": "impact:\n  {v}: 3\n",
}
"""Where a hostile value goes: top-level text, lists, follow-ups, rules, keys (front-matter of
a postmortem; a nested kind block is in NESTED_KINDS)."""

NESTED_KINDS = {
    "premortem risk owner": ("premortem", "premortem:\n  risks:\n    - risk: The plan slips\n"
                             "      owner: {v}\n"),
    "experiment hypothesis": ("experiment", "experiment:\n  hypothesis: {v}\n"),
}


def quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar, every character outside printable ASCII
    written as an escape: how a lone surrogate or a control reaches front-matter."""
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif 0x20 <= code < 0x7F:
            out.append(char)
        else:
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def front(slot: str, value: str, kind: str = "postmortem") -> str:
    """A lesson with ``value`` (quoted) in ``slot``, otherwise valid."""
    title = "" if slot.startswith("title:") else "title: Fine\n"
    return (f"---\n{title}type: {kind}\ndate: 2025-01-01\nvisibility: public\n"
            + slot.format(v=quoted(value)) + "---\n## Summary\n\nWhat happened.\n")


GOOD = lesson_text({"title": "Good lesson", "type": "postmortem", "date": "2025-01-02",
                    "id": "pm-good", "visibility": "public",
                    "follow_ups": [{"action": "Add a check", "owner": "sre",
                                    "due": "2024-02-01"}]})


ANNOTATION = re.compile(r"::(?:error|warning) file=[^:,]*(?:,line=\d+)?,title=[^:,]*::")
"""How GitHub's runner reads one of our annotations: the command and its properties up to the
first '::' after the opening one, properties split at ',' (user text escaped in both)."""


def assert_neutral(output: str) -> None:
    """No line of ``output`` holds a control, a surrogate or a Unicode line break, and none
    starts a GitHub workflow command except the annotations we print on purpose."""
    for line in output.split("\n"):
        assert not any(c in line for c in "\r\x1b\x00\x85\u2028\u2029\u202e"), line
        assert not any(0xD800 <= ord(c) <= 0xDFFF for c in line), line
        assert "##[" not in line, line
        stripped = line.lstrip()
        if stripped.startswith("::"):
            assert ANNOTATION.match(stripped), line


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    status = cli.main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _write(root: Path, files: dict[str, str]) -> Path:
    for stale in (root / "docs").rglob("*.md") if (root / "docs").exists() else ():
        stale.unlink()
    return write_site(root, files, {"search": {"pagefind": False}})


# --- check: every field, every format -------------------------------------------------------

@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(slot=st.sampled_from(sorted(SLOTS)), value=hostile_text)
def test_hostile_text_in_any_field_is_at_most_one_error_and_prints_as_one_line(
        tmp_path, capsys, slot, value):
    config = _write(tmp_path, {"bad.md": front(SLOTS[slot], value), "good.md": GOOD})
    outputs = {}
    for fmt in ("text", "github", "json"):
        status, out, err = run_cli(capsys, "check", "--config", str(config), "--format", fmt)
        assert status in (0, 1) and "Traceback" not in err
        assert_neutral(out)
        assert_neutral(err)
        outputs[fmt] = (status, out)
    report = json.loads(outputs["json"][1])
    text_errors = [p for p in report["problems"] if p["code"] == "text"]
    if NOT_ACCEPTED.search(value):
        assert outputs["json"][0] == 1
        assert len(text_errors) == 1 and text_errors[0]["path"].endswith("bad.md")
        assert text_errors[0]["line"] is not None
    else:
        assert text_errors == []
    # one line per problem in the text format, whatever the values hold
    assert len(outputs["text"][1].splitlines()) == len(report["problems"]) + 1


@pytest.mark.parametrize("where", sorted(NESTED_KINDS))
def test_text_that_is_not_unicode_in_a_kind_block_names_the_field(tmp_path, capsys, where):
    kind, slot = NESTED_KINDS[where]
    config = _write(tmp_path, {"bad.md": front(slot, "risk \ud83d", kind), "good.md": GOOD})
    status, out, _ = run_cli(capsys, "check", "--config", str(config), "--format", "json")
    [problem] = [p for p in json.loads(out)["problems"] if p["code"] == "text"]
    assert status == 1 and "\\ud83d" in problem["message"]
    assert problem["message"].split(" holds ")[0].split(" of ")[1].startswith(kind)


def test_a_lone_surrogate_key_is_named_escaped(tmp_path, capsys):
    config = _write(tmp_path, {"bad.md": front(SLOTS["a key"], "k\udc80")})
    status, out, _ = run_cli(capsys, "check", "--config", str(config))
    assert status == 1 and "the key of k\\udc80 holds a lone surrogate (\\udc80)" in out


# --- file names --------------------------------------------------------------------------------

file_names = st.lists(st.one_of(st.sampled_from(["\n", "\r", "::error file=a.md,line=1::x",
                                                 "##[warning]x", "%0A", "\x1b[2J", "\u2028",
                                                 "\u202e", ",", ":"]),
                                st.characters(codec="utf-8", exclude_characters="/\x00")),
                      min_size=1, max_size=5).map(lambda s: "".join(s).strip() or "x")


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=file_names)
def test_any_file_name_prints_as_one_line_in_every_format(tmp_path, capsys, name):
    body = lesson_text({"title": "T", "type": "postmortem", "date": "2025-01-01",
                        "related": ["nope"]})
    try:
        config = _write(tmp_path, {f"a{name[:60]}.md": body})
    except OSError:  # a name this file system refuses
        return
    for fmt in ("text", "github", "json"):
        status, out, err = run_cli(capsys, "check", "--config", str(config), "--format", fmt)
        assert status == 1
        assert_neutral(out)
        assert_neutral(err)
        if fmt == "json":
            assert json.loads(out)["summary"]["errors"] == 1


def test_a_file_name_that_forges_a_workflow_command_stays_on_its_line_in_the_build(tmp_path):
    name = "x\n::error file=a.md,line=1::forged"
    config = write_site(tmp_path, {f"{name}.md": lesson_text(
        {"title": "T", "type": "postmortem", "date": "2025-01-01", "related": ["nope"]}),
        "good.md": GOOD}, {"search": {"pagefind": False}})
    site = build(config)
    ours = [line for line in site.log.split("\n") if "lessonbook" in line or "forged" in line]
    assert any("x\\n::error file=a.md" in line for line in ours)
    assert not any(line.lstrip().startswith("::") for line in site.log.split("\n"))


# --- duplicate keys ---------------------------------------------------------------------------

@settings(max_examples=40, deadline=None)
@given(key=st.sampled_from(sorted(DECISIVE_KEYS | {"title", "summary", "tags", "severity"})),
       nested=st.booleans(), flow=st.booleans())
def test_a_repeated_key_is_an_error_exactly_when_it_decides_publication_or_identity(
        key, nested, flow):
    value = {"date": "2025-01-01", "type": "postmortem", "visibility": "public",
             "tags": "[a]"}.get(key, "x")
    if nested:
        body = (f"rules:\n  - {{if: a, then: b, {key}: {value}, {key}: {value}}}\n" if flow
                else f"rules:\n  - if: a\n    then: b\n    {key}: {value}\n    {key}: {value}\n")
        path = f"rules.0.{key}"
    else:
        body = (f"{{{key}: {value}, {key}: {value}}}\n" if flow
                else f"{key}: {value}\n{key}: {value}\n")
        path = key
    doc = parse_source(f"---\n{body}---\nBody\n".encode(), "x.md")
    [problem] = [p for p in doc.problems if p.code == "duplicate-key"]
    decisive = key == "id" or (not nested and key in DECISIVE_KEYS)
    assert problem.is_error == decisive and repr(path) in problem.message


def test_visibility_written_twice_keeps_the_lesson_out_of_every_build(tmp_path, capsys):
    secret = ("---\ntitle: Secret SECRET-MARKER\ntype: postmortem\ndate: 2025-01-01\n"
              "visibility: restricted\ntags: [x]\nvisibility: public\n---\nSECRET-MARKER\n")
    config = write_site(tmp_path, {"secret.md": secret, "good.md": GOOD},
                        {"audience": "public", "search": {"pagefind": False}})
    status, out, _ = run_cli(capsys, "check", "--config", str(config))
    assert status == 1 and "key 'visibility' appears twice (lines 5 and 7)" in out
    site = build(config)
    for path in site.site.rglob("*"):
        if path.is_file():
            assert b"SECRET-MARKER" not in path.read_bytes(), path


# --- builds -----------------------------------------------------------------------------------

def test_a_build_leaves_out_lessons_with_a_lone_surrogate_and_builds_the_rest(tmp_path):
    bad = {f"bad-{n}.md": front(SLOTS[slot], "x\ud800")
           for n, slot in enumerate(["title", "follow-up owner", "tags", "a key"])}
    config = write_site(tmp_path, {**bad, "good.md": GOOD}, {"search": {"pagefind": False}})
    site = build(config)
    assert site.ok and "Traceback" not in site.log
    assert site.log.count("holds a lone surrogate (\\ud800)") == len(bad)
    assert (site.site / "good" / "index.html").exists()
    assert not any((site.site / name[:-3]).exists() for name in bad)
    assert not build(config, strict=True).ok


def test_a_build_with_pagefind_and_a_lone_surrogate_ends_without_waiting(tmp_path):
    """The build that used to wait on the Pagefind writer for its 1,800 s limit."""
    config = write_site(tmp_path, {"bad.md": front(SLOTS["title"], "\ud800"), "good.md": GOOD})
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(config)],
                          capture_output=True, text=True, timeout=240,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert (tmp_path / "site" / "good" / "index.html").exists()


# --- due --------------------------------------------------------------------------------------

@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(owner=hostile_text, action=hostile_text)
def test_due_prints_any_owner_and_action_as_one_line_and_never_fails(tmp_path, capsys, owner,
                                                                      action):
    slot = ("follow_ups:\n  - action: {a}\n    owner: {o}\n    due: 2024-01-01\n"
            .replace("{a}", quoted(action)).replace("{o}", "{v}"))
    config = _write(tmp_path, {"bad.md": front(slot, owner), "good.md": GOOD})
    bad = bool(NOT_ACCEPTED.search(owner + action))
    lines_expected = None
    for fmt in ("json", "text", "github"):
        status, out, err = run_cli(capsys, "due", "--config", str(config), "--format", fmt,
                                   "--date", "2025-06-01")
        assert status == (3 if bad else 1), err
        assert_neutral(out)
        assert_neutral(err)
        if fmt == "json":  # a line per owner and per item, and the summary
            owners = json.loads(out)["owners"]
            lines_expected = len(owners) + sum(len(o["items"]) for o in owners) + 1
            assert sum(len(o["items"]) for o in owners) == (1 if bad else 2)
        if fmt == "text":
            assert len(out.splitlines()) == lines_expected


def test_due_with_a_lone_surrogate_owner_exits_3_naming_the_field(tmp_path, capsys):
    config = _write(tmp_path, {"bad.md": front(SLOTS["follow-up owner"], "bob\udc00"),
                               "good.md": GOOD})
    status, out, err = run_cli(capsys, "due", "--config", str(config), "--date", "2025-06-01")
    assert status == 3 and "follow_ups[1].owner holds a lone surrogate (\\udc00)" in err
    assert "Add a check" in out  # the valid lessons are still listed


# --- every problem in one run ---------------------------------------------------------------

def test_a_typo_a_dangling_id_and_blame_are_reported_together(tmp_path, capsys):
    bad = ("---\ntitle: Three problems\ntype: postmortm\ndate: 2025-01-01\nrelated: [nope]\n"
           "---\n## Root cause\n\nThe root cause was human error.\n")
    config = write_site(tmp_path, {"bad.md": bad, "good.md": GOOD},
                        {"search": {"pagefind": False}})
    status, out, _ = run_cli(capsys, "check", "--config", str(config), "--format", "json")
    codes = {p["code"] for p in json.loads(out)["problems"] if p["path"].endswith("bad.md")}
    assert status == 1 and {"choice", "unknown-id", "blame-cause"} <= codes
    site = build(config)
    assert not (site.site / "bad" / "index.html").exists()
    assert "Three problems" not in (site.site / "lessons" / "index.html").read_text()


def test_a_left_out_lesson_whose_id_another_has_is_told_so(tmp_path, capsys):
    bad = ("---\ntitle: Twin\ntype: postmortm\ndate: 2025-01-01\nid: pm-good\n---\nBody\n")
    config = write_site(tmp_path, {"bad.md": bad, "good.md": GOOD})
    _, out, _ = run_cli(capsys, "check", "--config", str(config), "--format", "json")
    problems = json.loads(out)["problems"]
    assert {p["code"] for p in problems if p["path"].endswith("bad.md")} >= {"choice",
                                                                             "duplicate-id"}
    assert not [p for p in problems if p["path"].endswith("good.md") and p["severity"] ==
                "error"]


# --- pipes ------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", [["due", "--date", "2025-06-01"], ["check"], ["schema"]])
def test_a_reader_that_goes_away_ends_the_command_quietly(tmp_path, command):
    config = write_site(tmp_path, {"good.md": GOOD})
    read_end, write_end = os.pipe()
    os.close(read_end)  # like `| head -1` once it has its line
    try:
        done = subprocess.run([sys.executable, "-c", "import sys; from lessonbook.cli import "
                               "main; sys.exit(main())", *command, "--config", str(config)],
                              stdout=write_end,
                              stderr=subprocess.PIPE, text=True, timeout=120,
                              env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    finally:
        os.close(write_end)
    assert done.returncode == 141 and done.stderr == ""


# --- the search indexer ---------------------------------------------------------------------

def test_pagefind_answers_a_document_it_cannot_read_at_once(tmp_path):
    """Defence in depth behind validation: a search document that is not Unicode text ends
    the live index with a message (the build then runs the CLI), never a wait for its limit."""
    pytest.importorskip("pagefind")
    from lessonbook.site.pagefind_live import LiveIndex

    live, why = LiveIndex.start(tmp_path)
    if live is None:
        pytest.skip(why)
    live.add("<html><body><main>bad \ud800 text</main></body></html>", "/bad/")
    live.add("<html><body><main>good text</main></body></html>", "/good/")
    result = live.finish(timeout=60)
    assert not result.ok and "not valid Unicode" in result.message
