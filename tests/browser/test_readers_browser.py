"""Readers' paths in a real browser (Chromium via Playwright) at a phone's and a laptop's width:
the service dossier, the start-here ticks kept in localStorage, and the glossary links.

The site is the one tests/test_readers_paths.py reads as HTML, built once for the module.
Screenshots go to $LESSONBOOK_SCREENSHOTS when it is set (for looking at, not compared)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import chromium, serve

from conftest import build, write_site
from test_readers_paths import BUILD_DATE, FILES

pytestmark = pytest.mark.browser
WIDTHS = [390, 1280]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    root = tmp_path_factory.mktemp("readers-browser")
    built = build(write_site(root, FILES, {"build_date": BUILD_DATE,
                                           "start_here": {"pm-new": "Begin here",
                                                          "pm-old": "Then here"}}))
    assert built.ok, built.log
    with serve(built.site) as base, chromium() as browser:
        yield {"base": base, "browser": browser}


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def page(site: dict[str, Any], request: pytest.FixtureRequest) -> Iterator[Any]:
    context = site["browser"].new_context(viewport={"width": request.param, "height": 800})
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.width = request.param  # type: ignore[attr-defined]
    yield page
    context.close()


def _shot(page: Any, name: str) -> None:
    folder = os.environ.get("LESSONBOOK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}-{page.width}.png"), full_page=True)


def _fits(page: Any) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.width


def test_the_dossier_fits_the_screen_and_shows_its_open_follow_ups(site, page):
    page.goto(site["base"] + "services/checkout/")
    rows = page.locator(".lb-dossier__follow-ups li[data-state]")
    assert rows.count() == 2 and rows.first.is_visible()
    assert rows.first.locator(".lb-fu__action").inner_text() == "Late pool alert"
    assert _fits(page)
    _shot(page, "dossier")
    assert page.errors == []


def test_the_dossier_opens_explore_filtered_on_the_service(site, page):
    page.goto(site["base"] + "services/checkout/")
    page.get_by_role("link", name="Every lesson on this service").click()
    page.wait_for_url("**/explore/?service=checkout")
    box = page.locator('[data-lessonbook-facet="service"][value="checkout"]')
    box.wait_for(state="attached")
    page.wait_for_function("() => document.querySelector("
                           "'[data-lessonbook-facet=\"service\"][value=\"checkout\"]').checked")
    assert page.errors == []


def test_start_here_ticks_survive_a_reload(site, page):
    page.goto(site["base"] + "start-here/")
    boxes = page.locator('input[data-lessonbook-read="pm-old"]')
    assert boxes.count() == 1  # curated and most referenced: listed once, both reasons given
    total = page.evaluate("new Set([...document.querySelectorAll('[data-lessonbook-read]')]"
                          ".map(b => b.dataset.lessonbookRead)).size")
    boxes.first.check()
    page.reload()
    page.wait_for_function("() => document.querySelector('[data-lessonbook-progress]')"
                           ".textContent.length > 0")
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    assert page.locator("[data-lessonbook-progress]").inner_text() == f"1 of {total} read."
    assert not page.locator('input[data-lessonbook-read="pm-new"]').first.is_checked()
    assert _fits(page)
    _shot(page, "start-here")
    boxes.last.uncheck()
    page.reload()
    assert not boxes.first.is_checked()
    assert page.errors == []


def test_a_card_label_leads_to_its_glossary_entry(site, page):
    page.goto(site["base"] + "2025/pm-new/")
    page.locator(".lb-card dt a", has_text="Failure type").click()
    page.wait_for_url("**/glossary/#field-failure-type")
    entry = page.locator("#field-failure-type")
    entry.wait_for()
    assert entry.is_visible()
    box = entry.bounding_box()
    assert box is not None and 0 <= box["y"] < 800
    assert _fits(page)
    _shot(page, "glossary")


def test_a_taxonomy_page_links_to_its_glossary_entry(site, page):
    page.goto(site["base"] + "categories/capacity/")
    page.get_by_role("link", name="In the glossary →").click()
    page.wait_for_url("**/glossary/#category-capacity")
    assert "Load outgrew a limit" in page.locator("#category-capacity + dd").inner_text()
