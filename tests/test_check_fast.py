"""`lessonbook check` stays fast without changing what it finds."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import REPO

HEAVY_MODULES = ("numpy", "scipy", "jinja2", "markdown", "pygal", "frontmatter", "mkdocs")


def test_check_does_not_load_the_libraries_only_the_build_needs():
    """numpy, scipy, Jinja, Markdown and pygal cost half a second of start-up that `check`
    never uses (it computes no similar links, renders no page)."""
    script = ("import json, sys\nfrom lessonbook import cli\nstatus = cli.main(['check', "
              "'--format', 'json'])\nprint(json.dumps(sorted(m for m in sys.modules if "
              f"m.split('.')[0] in {HEAVY_MODULES!r})), file=sys.stderr)\n")
    env = {**os.environ, "PYTHONPATH": str(REPO / "plugins")}
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=120)
    assert json.loads(result.stdout)["summary"]["lessons"] > 0
    assert json.loads(result.stderr.strip().splitlines()[-1]) == []


def test_the_suffix_of_a_lesson_path_is_the_one_pathlib_gives():
    """Which files are lessons is decided by string operations where pathlib would give the
    same answer, and by pathlib where the path is not in its normal form."""
    from pathlib import PurePosixPath

    from lessonbook.load.sources import _suffix

    paths = ["a.md", "a/b.md", ".md", "a/.md", "a.", "a/b.", "a.b.MD", "x", "a/b/c.markdown",
             "a//b.md", "./a.md", "a/./b.md", "a/b.md/", ".", "", "a/..md", "..", "a/..",
             "a.md/.", "é/ü.Md", "a/b c.md", ".hidden/x.md", "a/b.md.", "2025/pm-1.md"]
    assert [_suffix(p) for p in paths] == [PurePosixPath(p).suffix for p in paths]


def test_the_cheap_nesting_bound_of_flow_brackets_is_the_counted_one():
    """Flow lists side by side are bounded at one level without counting bracket by bracket;
    anything else is counted as before."""
    import itertools

    from lessonbook.load import parsing

    def counted(text: str) -> int:
        flow = flow_max = 0
        for bracket in parsing._BRACKETS.findall(text):
            flow = flow + 1 if bracket in "[{" else max(flow - 1, 0)
            flow_max = max(flow_max, flow)
        return flow_max

    for size in range(1, 7):
        for brackets in itertools.product("[]{}", repeat=size):
            text = "tags: " + " x, ".join(brackets)
            assert parsing._nesting_bound(text) == parsing._BUSY + 1 + counted(text), text
