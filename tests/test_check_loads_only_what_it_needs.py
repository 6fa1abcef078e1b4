"""`lessonbook check` stays fast without changing what it finds."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))

HEAVY_MODULES = ("numpy", "scipy", "jinja2", "markdown", "pygal", "frontmatter", "mkdocs")
CONFIG_READER = ("mkdocs", "mkdocs.config", "mkdocs.config.base", "mkdocs.exceptions",
                 "mkdocs.utils", "mkdocs.utils.yaml")
"""The part of MkDocs `check` reads mkdocs.yml with (INHERIT, !ENV, !relative as the build
resolves them), and nothing more: no theme, no plugin, no Markdown."""


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
    loaded = json.loads(result.stderr.strip().splitlines()[-1])
    assert [m for m in loaded if m not in CONFIG_READER] == []


def test_the_cheap_nesting_bound_of_flow_brackets_is_the_counted_one():
    """Flow lists side by side are bounded at one level without counting bracket by bracket;
    anything else is counted as before."""
    import itertools

    from lessonbook.load.parsing import limits

    def counted(text: str) -> int:
        flow = flow_max = 0
        for bracket in limits._BRACKETS.findall(text):
            flow = flow + 1 if bracket in "[{" else max(flow - 1, 0)
            flow_max = max(flow_max, flow)
        return flow_max

    for size in range(1, 7):
        for brackets in itertools.product("[]{}", repeat=size):
            text = "tags: " + " x, ".join(brackets)
            assert limits.nesting_bound(text) == limits.BUSY + 1 + counted(text), text
