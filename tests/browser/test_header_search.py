"""The header search box on the Pagefind index, and an index written in several parts, in a real
browser (Chromium via Playwright).

One site of a dozen lessons, without Material's `search` plugin, is built once with
`pages_per_part: 4`, so its index is written in three parts (newest lessons in the first) and
joined into one; the same lessons are built again as a single index, and both must answer
every query alike. Expected results and counts are computed here from the lessons'
front-matter (test_explore.py's), never hard-coded.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_support import chromium, serve
from test_explore import (
    CODEWORDS,
    LESSONS,
    expected_counts,
    explore_url,
    shown_counts,
    url_of,
    wait_done,
)

from conftest import build, lesson_text, write_site

pytestmark = pytest.mark.browser

PART_SIZE = 4
IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    root = tmp_path_factory.mktemp("header-search-site")
    files = {f"lessons/{x['id']}.md": lesson_text({k: v for k, v in x.items() if k != "_body"},
                                                  x["_body"]) for x in LESSONS}
    config = write_site(root, files, extra_config={"plugins": [{"lessonbook": {
        "lesson_dirs": ["lessons"], "search": {"pages_per_part": PART_SIZE}}}]})
    built = build(config)
    assert built.ok, built.log
    alone = tmp_path_factory.mktemp("header-search-single")
    single = build(write_site(alone, files, extra_config={"plugins": [{"lessonbook": {
        "lesson_dirs": ["lessons"], "search": {"pages_per_part": len(LESSONS)}}}]}))
    assert single.ok, single.log
    apart = tmp_path_factory.mktemp("header-search-separate")
    separate = build(write_site(apart, files, extra_config={"plugins": [{"lessonbook": {
        "lesson_dirs": ["lessons"], "search": {"pages_per_part": PART_SIZE,
                                               "join_parts": False}}}]}))
    assert separate.ok, separate.log
    with serve(built.site) as base, serve(single.site) as one, serve(separate.site) as parts, \
            chromium() as browser:
        yield {"base": base, "browser": browser, "site": built.site, "single": one,
               "separate": parts, "separate_site": separate.site}


@pytest.fixture
def page(site: dict[str, Any]) -> Iterator[Any]:
    context = site["browser"].new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def newest_first() -> list[dict[str, Any]]:
    return sorted(LESSONS, key=lambda x: (x["date"], x["id"]), reverse=True)


def header_search(page: Any, words: str) -> list[str]:
    """Type words into the header box as a reader does (`/` first); the result paths."""
    if not page.evaluate("document.activeElement.matches('[data-lessonbook-header-input]')"):
        page.keyboard.press("/")
    page.keyboard.type(words)
    page.wait_for_function(
        "w => document.querySelector('[data-lessonbook-header-search]')"
        ".dataset.lessonbookShown === w", arg=words, timeout=10_000)
    return page.eval_on_selector_all("[data-lessonbook-header-result] a",
                                     "els => els.map(a => new URL(a.href).pathname)")


def test_the_index_written_in_parts_is_served_as_one(site: dict[str, Any]) -> None:
    bundle = Path(site["site"]) / "pagefind"
    assert json.loads((bundle / "lessonbook-parts.json").read_text())["parts"] == []
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    assert sum(x["page_count"] for x in entry["languages"].values()) == len(LESSONS)


ANSWER = """async ([root, queries]) => {
  const pf = await window.lessonbookSearch.load(root);
  await pf.filters();
  const out = [];
  for (const q of queries) {
    const found = await window.lessonbookSearch.text(pf, q);
    const hits = await Promise.all(found.results.map(async (r) => [(await r.data()).url,
                                                                   r.score]));
    const dated = await window.lessonbookSearch.byDate(pf, {});
    const urls = await Promise.all(dated.results.map(async (r) => (await r.data()).url));
    out.push({ hits, filters: found.filters, total: found.unfilteredResultCount,
               dated: urls });
  }
  return out;
}"""


def answers(site: dict[str, Any], base: str, queries: list[str]) -> list[dict[str, Any]]:
    context = site["browser"].new_context()
    page = context.new_page()
    page.goto(base)
    page.wait_for_function("() => window.lessonbookSearch")
    out = page.evaluate(ANSWER, [base, queries])
    context.close()
    return out


def test_the_parted_site_answers_every_query_as_a_single_index_does(site: dict[str, Any]
                                                                    ) -> None:
    queries = [*CODEWORDS, "incident", "inc", "the", "database failover", "sev", "a b",
               "payments outage", "zzzz"]
    parted, single = answers(site, site["base"], queries), answers(site, site["single"], queries)
    for query, a, b in zip(queries, parted, single, strict=True):
        a["filters"].pop("lessonbook_part", None)
        b["filters"].pop("lessonbook_part", None)
        assert a["total"] == b["total"] and a["filters"] == b["filters"], query
        assert a["dated"] == b["dated"] == [url_of(x) for x in newest_first()]
        # Same lessons with the same scores; lessons of equal score in any order.
        assert sorted(a["hits"], key=lambda h: (-h[1], h[0])) == sorted(
            b["hits"], key=lambda h: (-h[1], h[0])), query


def test_parts_kept_apart_are_listed_for_the_browser(site: dict[str, Any]) -> None:
    bundle = Path(site["separate_site"]) / "pagefind"
    parts = json.loads((bundle / "lessonbook-parts.json").read_text())["parts"]
    folders = [bundle, *(bundle / p for p in parts)]
    counts = [sum(x["page_count"] for x in
                  json.loads((f / "pagefind-entry.json").read_text())["languages"].values())
              for f in folders]
    assert len(folders) == -(-len(LESSONS) // PART_SIZE)
    assert all(n <= PART_SIZE for n in counts) and sum(counts) == len(LESSONS)


@pytest.mark.parametrize("bundle", ["base", "separate"])
def test_the_header_box_finds_lessons_of_every_part(site: dict[str, Any], page: Any,
                                                    bundle: str) -> None:
    page.goto(site[bundle])
    for rank in (0, PART_SIZE, len(LESSONS) - 1):  # newest: part 1; then part 2; oldest: last
        lesson = newest_first()[rank]
        word = CODEWORDS[LESSONS.index(lesson)] if LESSONS.index(lesson) > 1 else None
        if word is None:
            continue
        page.fill("[data-lessonbook-header-input]", "")
        assert header_search(page, word) == [url_of(lesson)]
    assert page.errors == []


def test_the_header_box_and_explore_give_the_same_results(site: dict[str, Any], page: Any
                                                          ) -> None:
    page.goto(site["base"])
    header = header_search(page, "incident")
    page.goto(explore_url(site, [("query", "incident")]))
    wait_done(page)
    explore = page.eval_on_selector_all("[data-lessonbook-result] a",
                                        "els => els.map(a => new URL(a.href).pathname)")
    assert header and header == explore[:len(header)]


def test_keyboard_alone_opens_chooses_and_closes(site: dict[str, Any], page: Any) -> None:
    page.goto(site["base"])
    target = LESSONS[6]
    header_search(page, CODEWORDS[6])
    box = "[data-lessonbook-header-input]"
    assert page.get_attribute(box, "role") == "combobox"
    assert page.get_attribute(box, "aria-expanded") == "true"
    assert page.get_attribute("#lb-hsearch-list", "role") == "listbox"
    assert page.get_attribute("[data-lessonbook-header-status]", "aria-live") == "polite"
    assert page.text_content("[data-lessonbook-header-status]") == "1 lesson matches"
    page.keyboard.press("ArrowDown")
    chosen = page.get_attribute(box, "aria-activedescendant")
    assert chosen and page.get_attribute(f"#{chosen}", "aria-selected") == "true"
    page.keyboard.press("Escape")
    assert not page.is_checked("#__search")
    assert page.get_attribute(box, "aria-expanded") == "false"
    page.keyboard.press("s")  # Material's other key opens it again, query kept
    assert page.evaluate("document.activeElement.matches('[data-lessonbook-header-input]')")
    assert page.input_value(box) == CODEWORDS[6]
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{url_of(target)}")
    assert page.input_value(box) == CODEWORDS[6]  # kept on the next page
    assert page.errors == []


def test_the_last_option_opens_explore_with_the_query(site: dict[str, Any], page: Any) -> None:
    page.goto(site["base"])
    header_search(page, "incident")
    page.keyboard.press("ArrowUp")  # from the box, up wraps to the last option
    page.keyboard.press("Enter")
    page.wait_for_url("**/explore/?query=*")
    assert parse_qs(urlsplit(page.url).query)["query"] == ["incident"]
    wait_done(page)
    assert page.input_value("[data-lessonbook-search]") == "incident"


@pytest.mark.parametrize("bundle", ["base", "separate"])
def test_explore_lists_every_part_newest_first_with_exact_counts(site: dict[str, Any],
                                                                 page: Any, bundle: str) -> None:
    # "separate": parts kept apart (join_parts: false), searched side by side in the browser
    site = {**site, "base": site[bundle]}
    page.goto(explore_url(site))
    wait_done(page)
    shown = page.eval_on_selector_all("[data-lessonbook-result] a",
                                      "els => els.map(a => new URL(a.href).pathname)")
    assert shown == [url_of(x) for x in newest_first()]
    assert shown_counts(page) == expected_counts({})
    page.goto(explore_url(site, [("kind", "postmortem"), ("kind", "aar")]))
    wait_done(page)
    shown = page.eval_on_selector_all("[data-lessonbook-result] a",
                                      "els => els.map(a => new URL(a.href).pathname)")
    assert shown == [url_of(x) for x in newest_first() if x["type"] in ("postmortem", "aar")]
    assert shown_counts(page) == expected_counts({"kind": ["postmortem", "aar"]})


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_open_box_has_no_serious_axe_violation(site: dict[str, Any], width: int,
                                                   scheme: str) -> None:
    axe = pytest.importorskip("axe_playwright_python.sync_playwright")
    context = site["browser"].new_context(viewport={"width": width, "height": 800},
                                          color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(site["base"] + "lessons/")
        if width < 960:  # on a phone the box opens from the header's magnifier
            page.click("label.md-header__button[for='__search']")
            page.wait_for_function("document.activeElement.matches("
                                   "'[data-lessonbook-header-input]')")
            page.keyboard.type("incident")
        else:
            page.keyboard.press("/")
            page.keyboard.type("incident")
        page.wait_for_function("document.querySelector('[data-lessonbook-header-search]')"
                               ".dataset.lessonbookShown === 'incident'", timeout=10_000)
        page.keyboard.press("ArrowDown")
        page.wait_for_timeout(450)  # Material's fade-in of the results
        if width == 1280 and scheme == "light":
            IMAGES.mkdir(exist_ok=True)
            page.screenshot(path=str(IMAGES / "header-search.png"))
        found = [f"{v['id']}: {n['target']}" for v in axe.Axe().run(page).response["violations"]
                 if v["impact"] in ("serious", "critical") for n in v["nodes"]]
        assert not found, "\n".join(found)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()
