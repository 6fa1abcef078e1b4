"""The Explore page and Material's header search in a real browser (Chromium via Playwright).

One site of a dozen lessons is built with Pagefind once for the module and served on 127.0.0.1.
Expected results and counts are computed here from the lessons' front-matter, never hard-coded.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from browser_support import chromium, serve

from conftest import build, lesson_text, write_site

pytestmark = pytest.mark.browser

KINDS = ["postmortem", "aar", "near-miss", "premortem", "experiment"]
SEVERITIES = ["SEV1", "SEV2", "SEV3", "SEV4"]
FAILURE_TYPES = ["preventable", "complexity", "intelligent"]
CATEGORIES = ["dependency", "capacity", "configuration", "communication"]
LAYERS = ["people", "process", "technology"]
SERVICES = ["payments", "ingress", "edge, eu: west", "search"]
TEAMS = ["platform", "payments-team", "sre"]
TAGS = ["certificates", "tls:expiry", "capacity-planning", "Köln", "deploys"]
CODEWORDS = ["orchid", "basalt", "quokka", "marzipan", "tundra", "lantern", "figwort",
             "saffron", "obsidian", "pelican", "juniper", "walnut"]
HEADER_TAG = "nightjar"  # a tag of lesson 3 only, written nowhere in any page body
FACET_KEYS = ["kind", "failure_type", "category", "defense_layer", "service", "team",
              "severity", "year", "tag"]


def _lessons() -> list[dict[str, Any]]:
    lessons = []
    for i, word in enumerate(CODEWORDS):
        front: dict[str, Any] = {
            "id": f"lesson-{i:02d}",
            "title": f"Lesson {i}: the {word} incident",
            "type": KINDS[i % 5],
            "date": dt.date(2023 + i % 3, i % 12 + 1, 10).isoformat(),
            "summary": f"What the {word} incident taught us.",
            "status": "reviewed",
            "services": [SERVICES[i % 4]] + ([SERVICES[(i + 1) % 4]] if i % 3 == 0 else []),
            "teams": [TEAMS[i % 3]],
            "tags": [TAGS[i % 5]] + ([HEADER_TAG] if i == 3 else []),
            "failure_type": FAILURE_TYPES[i % 3],
            "categories": [CATEGORIES[i % 4]],
            "defense_layers": [LAYERS[i % 3]],
        }
        if i % 6 != 5:
            front["severity"] = SEVERITIES[i % 4]
        body = f"## What happened\n\nThe {word} system misbehaved for a while.\n"
        if i == 0:
            front["title"] = 'Ingress certificate expired & "<b>webhooks</b>" failed'
            body = "## What happened\n\nThe TLS certificate on the ingress expired at midnight.\n"
        if i == 1:
            front["title"] = "Störung im Zürcher Rechenzentrum"
            body = "## Was geschah\n\nDie Kühlung im Rechenzentrum fiel aus: Störung.\n"
        lessons.append(front)
        front["_body"] = body
    return lessons


LESSONS = _lessons()


def values_of(lesson: dict[str, Any], facet: str) -> list[str]:
    """A lesson's values for a facet, read from its front-matter as written above."""
    return {
        "kind": [lesson["type"]],
        "failure_type": [lesson["failure_type"]],
        "category": lesson["categories"],
        "defense_layer": lesson["defense_layers"],
        "service": lesson["services"],
        "team": lesson["teams"],
        "severity": [lesson["severity"]] if "severity" in lesson else [],
        "year": [lesson["date"][:4]],
        "tag": lesson["tags"],
    }[facet]


def matches(lesson: dict[str, Any], selected: dict[str, list[str]], skip: str | None = None
            ) -> bool:
    """Values within a facet OR'ed, facets AND'ed."""
    return all(any(v in values_of(lesson, key) for v in values)
               for key, values in selected.items() if key != skip and values)


def expected_counts(selected: dict[str, list[str]]) -> dict[str, dict[str, int]]:
    """What each facet value's count must say: lessons matching the other facets' selections
    that have this value."""
    counts: dict[str, dict[str, int]] = {}
    for key in FACET_KEYS:
        counts[key] = {}
        for lesson in LESSONS:
            if matches(lesson, selected, skip=key):
                for value in values_of(lesson, key):
                    counts[key][value] = counts[key].get(value, 0) + 1
    return counts


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    root = tmp_path_factory.mktemp("explore-site")
    files = {f"lessons/{x['id']}.md": lesson_text({k: v for k, v in x.items() if k != "_body"},
                                                  x["_body"]) for x in LESSONS}
    built = build(write_site(root, files, {"lesson_dirs": ["lessons"]}))
    assert built.ok, built.log
    with serve(built.site) as base, chromium() as browser:
        yield {"base": base, "browser": browser, "site": built.site}


@pytest.fixture
def page(site: dict[str, Any]) -> Iterator[Any]:
    context = site["browser"].new_context()
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def explore_url(site: dict[str, Any], params: list[tuple[str, str]] | None = None) -> str:
    return site["base"] + "explore/" + ("?" + urlencode(params) if params else "")


def wait_done(page: Any, settle: bool = False) -> None:
    """Wait until the results on screen are those of the state in the address bar. With
    settle, first wait for the network to go quiet: on back/forward Material's instant
    navigation may fetch and swap in a fresh copy of the page."""
    if settle:
        page.wait_for_load_state("networkidle")
    page.wait_for_function(
        "() => { const r = document.querySelector('[data-lessonbook-explore]');"
        " return r && r.dataset.lessonbookDone === location.pathname + location.search; }",
        timeout=10_000)


def result_links(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        "[data-lessonbook-result] a", "els => els.map(a => new URL(a.href).pathname)")


def shown_counts(page: Any) -> dict[str, dict[str, int]]:
    return page.evaluate("""() => {
        const out = {};
        for (const box of document.querySelectorAll('[data-lessonbook-facet]')) {
            const n = Number(box.closest('label').querySelector('[data-count]').textContent);
            if (n) (out[box.dataset.lessonbookFacet] ||= {})[box.value] = n;
        }
        return out; }""")


def url_of(lesson: dict[str, Any]) -> str:
    return f"/lessons/{lesson['id']}/"


def test_a_text_query_finds_the_right_lesson(site: dict[str, Any], page: Any) -> None:
    page.goto(explore_url(site))
    wait_done(page)
    page.fill("[data-lessonbook-search]", CODEWORDS[7])
    page.wait_for_url("**/explore/?query=*")
    wait_done(page)
    assert result_links(page) == [url_of(LESSONS[7])]


def test_a_shared_link_works_from_a_server_that_compresses(site: dict[str, Any], page: Any
                                                           ) -> None:
    with serve(site["site"], compress=True) as base:
        encodings = []
        page.on("response", lambda r: encodings.append(r.headers.get("content-encoding")))
        page.goto(base + "explore/?" + urlencode([("query", CODEWORDS[7])]))
        wait_done(page)
        assert result_links(page) == [url_of(LESSONS[7])]
        assert "gzip" in encodings
        assert page.errors == []


def test_each_facet_narrows_results_and_counts_are_right(site: dict[str, Any], page: Any
                                                         ) -> None:
    page.goto(explore_url(site))
    wait_done(page)
    assert shown_counts(page) == expected_counts({})
    selected: dict[str, list[str]] = {}
    for key in FACET_KEYS:
        value = values_of(LESSONS[0], key)[0] if values_of(LESSONS[0], key) else None
        if value is None:
            continue
        box = page.locator(f'[data-lessonbook-facet="{key}"]').filter(
            has=page.locator(f"xpath=self::*[@value={json.dumps(value)}]"))
        before = len(result_links(page)) if selected else len(LESSONS)
        box.check()
        selected[key] = [value]
        wait_done(page)
        want = sorted(url_of(x) for x in LESSONS if matches(x, selected))
        assert sorted(result_links(page)) == want, key
        assert len(want) <= before
        assert shown_counts(page) == expected_counts(selected), key


def test_values_in_one_facet_widen_and_facets_narrow(site: dict[str, Any], page: Any) -> None:
    selected = {"service": [SERVICES[0], SERVICES[2]], "year": ["2024", "2025"]}
    page.goto(explore_url(site, [(k, v) for k, vs in selected.items() for v in vs]))
    wait_done(page)
    assert sorted(result_links(page)) == sorted(url_of(x) for x in LESSONS
                                                if matches(x, selected))
    assert shown_counts(page) == expected_counts(selected)


def test_a_value_with_comma_and_colon_survives(site: dict[str, Any], page: Any) -> None:
    page.goto(explore_url(site))
    wait_done(page)
    page.locator('[data-lessonbook-facet="service"][value="edge, eu: west"]').check()
    wait_done(page)
    assert sorted(result_links(page)) == sorted(
        url_of(x) for x in LESSONS if "edge, eu: west" in x["services"])


def test_url_state_round_trips_and_back_forward_work(site: dict[str, Any], page: Any) -> None:
    page.goto(explore_url(site, [("query", "incident"), ("team", TEAMS[1])]))
    wait_done(page)
    assert page.input_value("[data-lessonbook-search]") == "incident"
    assert page.is_checked(f'[data-lessonbook-facet="team"][value="{TEAMS[1]}"]')
    first = sorted(result_links(page))
    assert first and all(url_of(x) in first for x in LESSONS
                         if matches(x, {"team": [TEAMS[1]]}) and x["id"] not in ("lesson-00",
                                                                                 "lesson-01"))
    page.locator('[data-lessonbook-facet="kind"][value="postmortem"]').check()
    wait_done(page)
    assert "kind=postmortem" in page.url
    second = sorted(result_links(page))
    page.go_back()
    wait_done(page, settle=True)
    assert not page.is_checked('[data-lessonbook-facet="kind"][value="postmortem"]')
    assert sorted(result_links(page)) == first
    page.go_forward()
    wait_done(page, settle=True)
    assert page.is_checked('[data-lessonbook-facet="kind"][value="postmortem"]')
    assert sorted(result_links(page)) == second


@pytest.mark.parametrize("query", ['"certificate expired"', "<script>alert(1)</script>",
                                   "a & b", "Störung", "", "   ", "'; --"])
def test_awkward_queries_are_handled(site: dict[str, Any], page: Any, query: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(explore_url(site))
    wait_done(page)
    page.fill("[data-lessonbook-search]", query)
    page.press("[data-lessonbook-search]", "Enter")
    wait_done(page)
    assert page.input_value("[data-lessonbook-search]") == query
    assert page.locator("[data-lessonbook-results] script, [data-lessonbook-results] b"
                        ).count() == 0
    assert dialogs == [] and page.errors == []
    if query.strip():
        page.reload()
        wait_done(page)
        assert page.input_value("[data-lessonbook-search]") == query


def test_titles_with_markup_are_shown_as_text(site: dict[str, Any], page: Any) -> None:
    page.goto(explore_url(site, [("query", "certificate")]))
    wait_done(page)
    titles = page.eval_on_selector_all("[data-lessonbook-result] a",
                                       "els => els.map(a => a.textContent)")
    assert LESSONS[0]["title"] in titles
    assert page.locator("[data-lessonbook-result] mark").count() >= 1


def test_no_console_errors_while_searching(site: dict[str, Any], page: Any) -> None:
    page.goto(explore_url(site))
    wait_done(page)
    page.fill("[data-lessonbook-search]", "certificate")
    page.wait_for_url("**/explore/?query=*")  # the typed query's results are drawn (they
    wait_done(page)  # redraw the facets: a click in between can land on the old checkbox)
    page.locator('[data-lessonbook-facet="severity"]').first.check()
    wait_done(page)
    page.locator("[data-lessonbook-clear]").click()
    wait_done(page)
    assert page.errors == []


def test_keyboard_alone_searches_and_filters(site: dict[str, Any], page: Any) -> None:
    page.goto(explore_url(site))
    wait_done(page)
    page.focus("[data-lessonbook-search]")
    page.keyboard.type(CODEWORDS[4])
    page.keyboard.press("Enter")
    wait_done(page)
    assert result_links(page) == [url_of(LESSONS[4])]
    page.keyboard.press("Tab")  # the Search button
    page.keyboard.press("Tab")  # the first facet value
    assert page.evaluate("document.activeElement.dataset.lessonbookFacet") == "kind"
    page.keyboard.press("Space")
    wait_done(page)
    assert "kind=" in page.url


def test_instant_navigation_back_to_explore_keeps_state(site: dict[str, Any], page: Any
                                                        ) -> None:
    page.goto(explore_url(site, [("query", CODEWORDS[2])]))
    wait_done(page)
    page.locator("[data-lessonbook-result] a").first.click()
    page.wait_for_url(f"**{url_of(LESSONS[2])}")
    page.go_back()
    wait_done(page, settle=True)
    assert result_links(page) == [url_of(LESSONS[2])]
    assert page.errors == []


def test_phone_width_has_no_horizontal_scroll(site: dict[str, Any]) -> None:
    context = site["browser"].new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(explore_url(site))
    wait_done(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= 360


def test_only_lesson_pages_are_indexed(site: dict[str, Any]) -> None:
    entry = json.loads((Path(site["site"]) / "pagefind" / "pagefind-entry.json").read_text())
    assert sum(x["page_count"] for x in entry["languages"].values()) == len(LESSONS)


def test_material_header_search_finds_a_lesson_by_tag(site: dict[str, Any], page: Any) -> None:
    page.goto(site["base"])
    page.click("input.md-search__input")
    page.keyboard.type(HEADER_TAG)  # Material searches on key events, so type for real
    item = page.locator(f".md-search-result__item a[href*='{LESSONS[3]['id']}']")
    item.first.wait_for(timeout=10_000)
    assert item.count() >= 1


def test_show_more_is_hidden_when_every_result_fits(site: dict[str, Any], page: Any) -> None:
    page.goto(explore_url(site, [("year", "2023"), ("year", "2024"), ("year", "2025")]))
    wait_done(page)
    assert len(result_links(page)) == len(LESSONS)
    assert not page.locator("[data-lessonbook-more]").is_visible()


def test_with_no_query_every_lesson_is_listed_newest_first(site: dict[str, Any], page: Any
                                                           ) -> None:
    page.goto(explore_url(site))
    wait_done(page)
    newest_first = sorted(LESSONS, key=lambda x: x["date"], reverse=True)
    shown = result_links(page)
    assert shown == [url_of(x) for x in newest_first][:len(shown)] and len(shown) == len(LESSONS)


def test_chosen_filters_show_as_chips_that_remove_themselves(site: dict[str, Any], page: Any
                                                             ) -> None:
    page.goto(explore_url(site, [("team", TEAMS[1])]))
    wait_done(page)
    chip = page.locator("[data-lessonbook-chips] button")
    assert chip.count() == 1 and TEAMS[1] in chip.first.text_content()
    chip.first.click()
    wait_done(page)
    assert "team=" not in page.url and not page.locator("[data-lessonbook-chosen]").is_visible()


def test_each_result_shows_its_services(site: dict[str, Any], page: Any) -> None:
    page.goto(explore_url(site, [("query", CODEWORDS[3])]))
    wait_done(page)
    meta = page.locator("[data-lessonbook-result] .lb-result__meta").first.text_content()
    assert all(s in meta for s in LESSONS[3]["services"])


# --- On a phone and by keyboard (issue #26) -------------------------------------------------

PHONE = {"width": 390, "height": 844}


def _on_screen(page: Any, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    size = page.viewport_size
    return (box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"]
            and box["x"] >= 0 and box["x"] + box["width"] <= size["width"])


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 900}])
def test_the_first_result_is_three_key_presses_from_page_load(site: dict[str, Any],
                                                              viewport: dict[str, int]) -> None:
    context = site["browser"].new_context(viewport=viewport)
    page = context.new_page()
    try:
        page.goto(explore_url(site))
        wait_done(page)
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to results"
        assert page.locator("[data-lessonbook-skip]").is_visible()  # shown while focused
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "lb-explore-results"
        page.keyboard.press("Tab")
        first = page.locator("[data-lessonbook-result] a").first
        assert page.evaluate("document.activeElement.href") == first.evaluate("a => a.href")
        assert _on_screen(page, "[data-lessonbook-result]")
    finally:
        context.close()


def test_the_skip_link_leaves_with_the_page_under_instant_navigation(site: dict[str, Any],
                                                                     page: Any) -> None:
    page.goto(explore_url(site))
    wait_done(page)
    assert page.locator("[data-lessonbook-skip]").count() == 1
    page.locator("[data-lessonbook-result] a").first.click()
    page.wait_for_url("**/lessons/**")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-lessonbook-skip]").count() == 0
    page.go_back()
    wait_done(page, settle=True)
    assert page.locator("[data-lessonbook-skip]").count() == 1


def test_on_a_phone_a_filter_shows_its_count_and_one_tap_brings_the_first_result(
        site: dict[str, Any]) -> None:
    context = site["browser"].new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(explore_url(site))
        wait_done(page)
        page.locator("[data-lessonbook-drawer]").click()
        page.locator("[data-lessonbook-facet='kind'][value='postmortem']").check()
        wait_done(page)
        expected = sum(matches(x, {"kind": ["postmortem"]}) for x in LESSONS)
        show = page.locator("[data-lessonbook-show]")
        assert show.text_content() == f"Show {expected} results"
        assert _on_screen(page, "[data-lessonbook-show]")  # stuck to the bottom of the screen
        status = page.locator("[data-lessonbook-status]")
        assert status.get_attribute("aria-live") == "polite"
        assert status.text_content() == f"{expected} lessons match."
        folder = os.environ.get("LESSONBOOK_SCREENSHOTS")
        if folder:
            page.screenshot(path=str(Path(folder) / "explore-filter-390.png"))
        show.click()
        assert not page.locator("#lb-explore-facets").is_visible()  # the drawer closed
        assert page.evaluate("document.activeElement.id") == "lb-explore-results"
        assert _on_screen(page, "[data-lessonbook-result]")
        assert len(result_links(page)) == expected
        if folder:
            page.screenshot(path=str(Path(folder) / "explore-results-390.png"))
    finally:
        context.close()


def test_every_result_shows_its_date(site: dict[str, Any], page: Any) -> None:
    page.goto(explore_url(site))
    wait_done(page)
    shown = page.eval_on_selector_all(
        "[data-lessonbook-result]",
        "els => els.map(e => [new URL(e.querySelector('a').href).pathname,"
        " (e.querySelector('.lb-result__meta time') || {}).dateTime])")
    assert len(shown) == len(LESSONS)
    dates = {url_of(x): x["date"] for x in LESSONS}
    assert all(when == dates[url] for url, when in shown), shown


@pytest.mark.parametrize("params", [[], [("query", CODEWORDS[4])], [("team", TEAMS[0])]])
def test_excerpts_are_the_lessons_own_text_not_its_title_or_metadata(
        site: dict[str, Any], page: Any, params: list[tuple[str, str]]) -> None:
    page.goto(explore_url(site, params))
    wait_done(page)
    rows = page.eval_on_selector_all(
        "[data-lessonbook-result]",
        "els => els.map(e => [new URL(e.querySelector('a').href).pathname,"
        " e.querySelector('.lb-result__excerpt').textContent])")
    assert rows
    by_url = {url_of(x): x for x in LESSONS}
    for url, excerpt in rows:
        lesson = by_url[url]
        assert excerpt.strip(), url
        assert lesson["title"] not in excerpt, (url, excerpt)
        assert " · ".join(lesson["tags"]) not in excerpt, (url, excerpt)
        assert "¶" not in excerpt
        assert lesson["summary"].split()[0] in excerpt or "system" in excerpt, (url, excerpt)
