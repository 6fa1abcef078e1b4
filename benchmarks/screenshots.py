"""Screenshots of every kind of page of the example site, at 1280 px and 390 px, for the README
and for reviewing layout changes (docs/images/pages/<kind>-<width>.png), plus the README's two
headline images (docs/images/lesson-page.png, docs/images/explore.png).

Builds the repository's mkdocs.yml into a temp folder (Pagefind included), serves it on
127.0.0.1 and captures each page in headless Chromium, in the light palette (--dark for the
dark one). The pages are the browser tests' list (tests/browser/test_pages.py), so a new kind of
page is checked and photographed alike. Images are replaced only with --force, and each is
written atomically.

Usage: python benchmarks/screenshots.py [--out docs/images] [--dark] [--force]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "tests" / "browser"), str(REPO / "tests")]
from browser_support import chromium, serve  # noqa: E402
from test_pages import DESKTOP, PAGES, PHONE  # noqa: E402

DONE = ("() => { const r = document.querySelector('[data-lessonbook-explore]');"
        " return r && r.dataset.lessonbookDone === location.pathname + location.search; }")
HEADLINES = {"lesson-page.png": ("postmortem", DESKTOP), "explore.png": ("explore with a query",
                                                                        DESKTOP)}


def slug(kind: str) -> str:
    return kind.replace(" ", "-")


def capture(browser: object, url: str, viewport: dict[str, int], scheme: str, out: Path) -> None:
    context = browser.new_context(viewport=viewport, color_scheme=scheme)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    if "/explore/" in url:
        page.wait_for_function(DONE, timeout=30_000)
    partial = out.with_suffix(".tmp.png")
    page.screenshot(path=str(partial))
    os.replace(partial, out)  # atomic: never a half-written image
    context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "images")
    parser.add_argument("--dark", action="store_true", help="the dark (slate) palette")
    parser.add_argument("--force", action="store_true", help="replace existing images")
    args = parser.parse_args()
    scheme = "dark" if args.dark else "light"
    suffix = "-dark" if args.dark else ""
    targets: list[tuple[str, dict[str, int], Path]] = []
    for kind in PAGES:
        for viewport in (DESKTOP, PHONE):
            name = f"{slug(kind)}-{viewport['width']}{suffix}.png"
            targets.append((kind, viewport, args.out / "pages" / name))
    if not args.dark:
        targets += [(kind, vp, args.out / name) for name, (kind, vp) in HEADLINES.items()]
    existing = [t for _, _, t in targets if t.exists()]
    if existing and not args.force:
        raise SystemExit(f"{len(existing)} images exist (e.g. {existing[0]}); "
                         "pass --force to replace them")
    (args.out / "pages").mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)],
                       cwd=REPO, check=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
        with serve(site) as base, chromium() as browser:
            for kind, viewport, target in targets:
                capture(browser, base + PAGES[kind], viewport, scheme, target)
    shown = args.out.relative_to(REPO) if args.out.is_relative_to(REPO) else args.out
    print(f"wrote {len(targets)} images under {shown}")


if __name__ == "__main__":
    main()
