"""Search at scale: Lessonbook's header box and Explore (Pagefind) against Material's search.

Generates N synthetic lessons (default 10,000), builds the site three times — bare Material with
its search plugin (lunr, `plugins: [search]`), Lessonbook with its index in parts
(`search.pages_per_part`, default 1,000), and Lessonbook with a single index (one part larger
than the lesson count) — then measures in headless Chromium (Debian's /usr/bin/chromium through
Playwright):

* build time, and Pagefind's own indexing time;
* the header box, cold: from navigation to the home page to the first result after typing the
  query, and the bytes downloaded by then — Lessonbook's box (Pagefind) and bare Material's
  (lunr), the same way;
* Explore, cold: from navigation to the first faceted result of a shared link
  (explore/?query=...&service=...), and the bytes transferred for it, by kind of file —
  served compressed as web servers do, and again uncompressed;
* Explore, warm: from typing a query (a facet already ticked, the page loaded) to its results;
* Material: index size (raw and gzipped);
* the parted index against the single one (search_agreement.py): for over 100 queries drawn
  from the generator's vocabulary, whether the top five results are the same set, and whether
  the result and facet counts are exactly the same.

Usage: python benchmarks/bench_search.py [--n 10000] [--workdir DIR] [--keep]
Takes a few minutes at 10,000 lessons on two cores; not part of the test suite.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "browser"))
sys.path.insert(0, str(REPO / "benchmarks"))
from browser_support import chromium, serve  # noqa: E402

from search_agreement import agreement, queries  # noqa: E402
from synthetic import write_lessons  # noqa: E402

QUERY = "certificate expiry"
FACET = ("service", "payments")


def write_project(root: Path, n: int, seed: int, common: bool) -> None:
    """The lessons, and a home page of our own so that every site opens on the same page."""
    write_lessons(root / "docs", n, seed, common=common)
    (root / "docs" / "index.md").write_text("# Search benchmark\n\nSynthetic lessons.\n",
                                            encoding="utf-8")


def config(root: Path, name: str, pages_per_part: int | None) -> Path:
    """Bare Material with its search plugin (pages_per_part None), or Lessonbook without it,
    its index in parts of pages_per_part lessons."""
    plugins: list[Any] = (["search"] if pages_per_part is None else
                          [{"lessonbook": {"search": {"pages_per_part": pages_per_part}}}])
    cfg = {
        "site_name": f"Search benchmark ({name})",
        "docs_dir": "docs",
        "site_dir": f"site-{name}",
        "not_in_nav": "/lessons/",  # as bench_build.py: a nav of every lesson is not the point
        "theme": {"name": "material", "font": False, "features": ["navigation.instant"]},
        "plugins": plugins,
    }
    path = root / f"mkdocs-{name}.yml"
    path.write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    return path


def build(cfg: Path) -> dict[str, Any]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(cfg)],
                          capture_output=True, text=True, env=env, cwd=cfg.parent, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"build failed ({cfg.name}):\n{done.stderr[-3000:]}")
    found = re.search(r"pagefind indexed .*?([\d.]+) s from start", done.stderr)
    return {"seconds": seconds, "pagefind_seconds": float(found.group(1)) if found else None}


class Traffic:
    """Files the page downloaded: body size as sent (compressed when the server compresses) and
    when the download ended (ms since the epoch), including the Pagefind worker's fetches."""

    KINDS = (("/pagefind/fragment/", "Pagefind fragments (result text)"),
             ("/pagefind/index/", "Pagefind word index chunks"),
             ("/pagefind/filter/", "Pagefind filter chunks"),
             ("/pagefind/", "Pagefind runtime (JS, WebAssembly, metadata)"),
             ("search_index.json", "Material search index"),
             ("/lessonbook/assets/", "Lessonbook CSS and JS"),
             ("/assets/", "theme CSS and JS"))

    def __init__(self, page: Any) -> None:
        self.files: list[tuple[str, int, float]] = []
        page.on("requestfinished", self._finished)

    def _finished(self, request: Any) -> None:
        with contextlib.suppress(Exception):
            timing = request.timing
            self.files.append((request.url, request.sizes()["responseBodySize"],
                               timing["startTime"] + timing["responseEnd"]))

    @property
    def bytes(self) -> int:
        return sum(size for _, size, _ in self.files)

    def by_kind(self, until: float = float("inf")) -> dict[str, int]:
        """Bytes per kind of file among the downloads that ended by `until`, with the totals."""
        out: dict[str, int] = {}
        for url, size, ended in self.files:
            if ended <= until:
                kind = next((label for part, label in self.KINDS if part in url), "page")
                out[kind] = out.get(kind, 0) + size
        out["pagefind"] = sum(v for k, v in out.items() if k.startswith("Pagefind"))
        out["total"] = sum(v for k, v in out.items() if k != "pagefind")
        return out


def _state_shown(attribute: str, needs_query: bool = False) -> str:
    """JS condition: the results on screen (and, for 'Done', the counts) are those of the
    address bar's state (hooks documented in docs/search.md)."""
    query = " && location.search.includes('query')" if needs_query else ""
    return ("() => { const r = document.querySelector('[data-lessonbook-explore]');"
            f" return r && r.dataset.lessonbook{attribute} === location.pathname"
            f" + location.search{query}; }}")


SHOWN_AT = """(() => {
  const seen = {};
  new MutationObserver((changes) => {
    for (const c of changes) {
      const name = c.attributeName === "data-lessonbook-shown" ? "__lbShown" : "__lbDone";
      if (!c.target.getAttribute(c.attributeName) || seen[name]) continue;
      seen[name] = true;
      window[name] = { ms: performance.now(), epoch: performance.timeOrigin + performance.now() };
    }
  }).observe(document, { subtree: true, attributes: true,
                          attributeFilter: ["data-lessonbook-shown", "data-lessonbook-done"] });
})();"""
"""Runs in the page before its scripts: the moments the first results, then the counts, are
shown — since navigation began and since the epoch (to tell the downloads before from after)."""


def measure_explore(browser: Any, base: str) -> dict[str, Any]:
    from urllib.parse import urlencode

    shared = base + "explore/?" + urlencode([("query", QUERY), FACET])
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(SHOWN_AT)
    traffic = Traffic(page)
    page.goto(shared, wait_until="commit")
    page.wait_for_function(_state_shown("Shown"), timeout=120_000, polling=10)
    page.wait_for_function(_state_shown("Done"), timeout=120_000, polling=10)
    page.wait_for_timeout(200)  # let the events of the downloads that ended in time arrive
    shown, done = page.evaluate("[window.__lbShown, window.__lbDone]")
    cold, counted = shown["ms"] / 1000, done["ms"] / 1000
    cold_bytes = traffic.by_kind(until=shown["epoch"])
    counted_bytes = traffic.by_kind(until=done["epoch"])["total"]
    total = page.inner_text("[data-lessonbook-status]")
    context.close()

    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "explore/?" + urlencode([FACET]))
    page.wait_for_function(_state_shown("Done"), timeout=120_000, polling=10)
    traffic = Traffic(page)
    page.focus("[data-lessonbook-search]")
    started = time.perf_counter()
    page.keyboard.type(QUERY)
    page.wait_for_function(_state_shown("Shown", needs_query=True), timeout=120_000, polling=10)
    warm = time.perf_counter() - started
    warm_bytes = traffic.bytes
    explore_html = len(page.content().encode())
    context.close()
    return {"cold": cold, "cold_bytes": cold_bytes, "counted": counted,
            "counted_bytes": counted_bytes, "warm": warm, "warm_bytes": warm_bytes,
            "results_total": total, "explore_html": explore_html}


HEADER_SHOWN = ("w => { const r = document.querySelector('[data-lessonbook-header-search]');"
                " return r && r.dataset.lessonbookShown === w"
                " && r.querySelector('[data-lessonbook-header-result]'); }")


def measure_header(browser: Any, base: str, lessonbook: bool) -> dict[str, Any]:
    """A reader opens the home page (cold: new context, empty cache), clicks the header's search
    box as soon as it is there and types the query: seconds from navigation to the first result
    on screen, and the bytes downloaded by then (by kind). Lessonbook's box (Pagefind) or bare
    Material's (lunr), measured the same way."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    traffic = Traffic(page)
    started = time.perf_counter()
    page.goto(base, wait_until="commit")
    if lessonbook:
        page.click("[data-lessonbook-header-input]", timeout=120_000)
        page.keyboard.type(QUERY)
        page.wait_for_function(HEADER_SHOWN, arg=QUERY, timeout=300_000, polling=10)
    else:
        page.click("input.md-search__input", timeout=120_000)
        page.keyboard.type(QUERY)
        page.locator(".md-search-result__item").first.wait_for(timeout=300_000)
    seconds = time.perf_counter() - started
    shown = page.evaluate("performance.timeOrigin + performance.now()")
    page.wait_for_timeout(200)  # let the events of the downloads that ended in time arrive
    out = {"cold": seconds, "bytes": traffic.by_kind(until=shown)}
    context.close()
    return out


def folder_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="number of synthetic lessons")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--pages-per-part", type=int, default=1000,
                        help="the parted site's search.pages_per_part (default 1000)")
    parser.add_argument("--workdir", type=Path, help="where to build (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the built sites")
    parser.add_argument("--reuse", action="store_true",
                        help="measure the browser part again on the sites in --workdir")
    parser.add_argument("--common-words", action="store_true",
                        help="worst case: every lesson uses every incident word")
    args = parser.parse_args()
    root = args.workdir or Path(tempfile.mkdtemp(prefix="lessonbook-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        saved = root / "builds.json"
        if args.reuse and saved.exists():
            builds = json.loads(saved.read_text())
            print(f"reusing the sites built in {root}", flush=True)
        else:
            print(f"generating {args.n} lessons in {root} ...", flush=True)
            write_project(root, args.n, args.seed, args.common_words)
            builds = {}
            for name, per_part in [("material", None), ("pagefind", args.pages_per_part),
                                   ("single", args.n + 1)]:
                print(f"building: {name} ...", flush=True)
                builds[name] = build(config(root, name, per_part))
                print(f"  {builds[name]['seconds']:.1f} s", flush=True)
            saved.write_text(json.dumps(builds))
        index = root / "site-material" / "search" / "search_index.json"
        raw = index.read_bytes()
        material_index = (len(raw), len(gzip.compress(raw, 6)))
        pagefind_dir = folder_bytes(root / "site-pagefind" / "pagefind")
        with chromium() as browser:
            # As deployed: web servers compress text (nginx gzip, GitHub Pages, Netlify).
            with serve(root / "site-pagefind", compress=True) as base:
                header = measure_header(browser, base, lessonbook=True)
                explore = measure_explore(browser, base)
                with serve(root / "site-single", compress=True) as single:
                    agreed = agreement(browser, base, single, queries(args.seed))
            with serve(root / "site-pagefind") as base:
                explore["raw"] = measure_explore(browser, base)
            with serve(root / "site-material", compress=True) as base:
                material = measure_header(browser, base, lessonbook=False)
        report(args.n, builds, material_index, pagefind_dir, header, explore, material,
               args.common_words)
        agreed.report()
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(root, ignore_errors=True)


def report(n: int, builds: dict[str, Any], material_index: tuple[int, int], pagefind_dir: int,
           header: dict[str, Any], explore: dict[str, Any], material: dict[str, Any],
           common: bool) -> None:
    base = builds["material"]["seconds"]
    kb = 1024
    bare_bytes = material["bytes"]["total"]
    rows = [
        ("build, bare Material + search (lunr)", f"{base:.1f} s", "1.00x"),
        ("build, Lessonbook, index in parts", f"{builds['pagefind']['seconds']:.1f} s",
         f"{builds['pagefind']['seconds'] / base:.2f}x"),
        ("  Pagefind start -> index written",
         f"{builds['pagefind']['pagefind_seconds'] or 0:.1f} s", ""),
        ("build, Lessonbook, single index", f"{builds['single']['seconds']:.1f} s",
         f"{builds['single']['seconds'] / base:.2f}x"),
        ("Material index (raw / gzip)",
         f"{material_index[0] / kb / kb:.1f} MB / {material_index[1] / kb / kb:.1f} MB", ""),
        ("Pagefind bundle on disk (parts)", f"{pagefind_dir / kb / kb:.1f} MB", ""),
        ("bare Material header: load + type -> first result", f"{material['cold']:.2f} s",
         "1.00x"),
        ("  bytes transferred", f"{bare_bytes / kb:.0f} KB", "1.00x"),
        ("Lessonbook header: load + type -> first result", f"{header['cold']:.2f} s",
         f"{header['cold'] / material['cold']:.2f}x"),
        ("  bytes transferred, page included", f"{header['bytes']['total'] / kb:.0f} KB",
         f"{header['bytes']['total'] / bare_bytes:.2f}x"),
        *((f"    {kind}", f"{size / kb:.0f} KB", "")
          for kind, size in sorted(header["bytes"].items(), key=lambda x: -x[1])
          if kind not in ("total", "pagefind")),
        ("  of which Pagefind (the query's share)",
         f"{header['bytes']['pagefind'] / kb:.0f} KB", ""),
        ("Explore: shared link -> first faceted result", f"{explore['cold']:.2f} s",
         f"{explore['cold'] / material['cold']:.2f}x"),
        ("  bytes transferred, page included", f"{explore['cold_bytes']['total'] / kb:.0f} KB",
         f"{explore['cold_bytes']['total'] / bare_bytes:.2f}x"),
        *((f"    {kind}", f"{size / kb:.0f} KB", "")
          for kind, size in sorted(explore["cold_bytes"].items(), key=lambda x: -x[1])
          if kind not in ("total", "pagefind")),
        ("  of which Pagefind (the query's share)",
         f"{explore['cold_bytes']['pagefind'] / kb:.0f} KB", ""),
        ("  same, server not compressing", f"{explore['raw']['cold_bytes']['total'] / kb:.0f} KB",
         f"{explore['raw']['cold']:.2f} s"),
        ("Explore: shared link -> facet counts too", f"{explore['counted']:.2f} s", ""),
        ("  bytes transferred by then", f"{explore['counted_bytes'] / kb:.0f} KB", ""),
        ("Explore: type (facet ticked) -> result", f"{explore['warm']:.2f} s", ""),
        ("  results for the query + facet", str(explore["results_total"]), ""),
        ("  bytes transferred for that query", f"{explore['warm_bytes'] / kb:.0f} KB", ""),
        ("Explore page HTML (uncompressed)", f"{explore['explore_html'] / kb:.0f} KB", ""),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"\nSearch benchmark: {n} synthetic lessons, query {QUERY!r}, "
          f"facet {FACET[0]}={FACET[1]}, load average {os.getloadavg()[0]:.2f}"
          + (" (common words: the query matches almost every lesson)" if common else ""))
    print(f"{'measure'.ljust(width)}  {'value':>20}  ratio")
    for name, value, ratio in rows:
        print(f"{name.ljust(width)}  {value:>20}  {ratio}")
    ratio = header["cold"] / material["cold"]
    print(f"targets: header <= 0.25x bare ({ratio:.2f}x) and <= 1.5 s ({header['cold']:.2f} s); "
          f"<= 500 KB per query ({header['bytes']['total'] / kb:.0f} KB with the page, "
          f"{header['bytes']['pagefind'] / kb:.0f} KB of Pagefind files)")


if __name__ == "__main__":
    main()
