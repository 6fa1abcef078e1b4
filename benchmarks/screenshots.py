"""Screenshot of the example site's Explore page for the README (docs/images/explore.png).

Builds the repository's mkdocs.yml into a temp folder, serves it on 127.0.0.1 and captures
Explore with a query and a facet ticked, in headless Chromium.

Usage: python benchmarks/screenshots.py [--out docs/images/explore.png] [--force]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "browser"))
from browser_support import chromium, serve  # noqa: E402

DONE = ("() => { const r = document.querySelector('[data-lessonbook-explore]');"
        " return r && r.dataset.lessonbookDone === location.pathname + location.search; }")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "images" / "explore.png")
    parser.add_argument("--query", default="certificate")
    parser.add_argument("--facet", default="failure_type=preventable",
                        help="dimension=value to tick")
    parser.add_argument("--force", action="store_true", help="replace an existing image")
    args = parser.parse_args()
    if args.out.exists() and not args.force:
        raise SystemExit(f"{args.out} exists; pass --force to replace it")
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)],
                       cwd=REPO, check=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
        dimension, _, value = args.facet.partition("=")
        query = urlencode([("query", args.query), (dimension, value)])
        with serve(site) as base, chromium() as browser:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{base}explore/?{query}")
            page.wait_for_function(DONE, timeout=30_000)
            args.out.parent.mkdir(parents=True, exist_ok=True)
            partial = args.out.with_suffix(".tmp.png")
            page.screenshot(path=str(partial))
            os.replace(partial, args.out)  # atomic: never a half-written image
    print(f"wrote {args.out.relative_to(REPO) if args.out.is_relative_to(REPO) else args.out}")


if __name__ == "__main__":
    main()
