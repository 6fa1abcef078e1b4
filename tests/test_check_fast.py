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
