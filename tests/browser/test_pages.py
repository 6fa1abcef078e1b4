"""Every kind of page of the example site on a phone and under axe-core, light and dark.

The repository's own example knowledge base is built once (Pagefind included) and served on
127.0.0.1. For each kind of page: at 390 px nothing scrolls sideways, and axe-core reports no
serious or critical violation in Material's light (default) or dark (slate) palette.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import chromium, serve

from conftest import REPO, build

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

PAGES = {
    "home": "",
    "all lessons": "lessons/",
    "taxonomy": "taxonomy/",
    "term": "services/payments/",
    "postmortem": "2024/pm-2024-001-double-charges-after-gateway-timeouts/",
    "after-action review": "2024/aar-2024-001-postgres-failover-game-day/",
    "near miss": "2024/nm-2024-001-canary-caught-payments-timeout-change/",
    "pre-mortem": "2024/pre-2024-001-warehouse-sync-event-streaming/",
    "experiment": "2024/exp-2024-001-automatic-canary-rollback/",
    "checklist": "checklists/cl-database-failover/",
    "rules": "rules/",
    "checklists": "checklists/",
    "follow-ups": "follow-ups/",
    "explore": "explore/",
    "explore with a query": "explore/?query=certificate&failure_type=preventable",
    "guide": "guide/how-to-write/",
    "start here": "start-here/",
    "recurring": "recurring/",
    "glossary": "glossary/",
    "digest": "digests/2024-q1/",
}
"""One page of each kind; a missing page fails the test (the example site must keep them)."""


def example_config(out: Path) -> Path:
    """The repository's mkdocs.yml, pointed at its lessons and at a site folder under out."""
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("docs_dir: lessons", f"docs_dir: {REPO / 'lessons'}")
    text = re.sub(r"^site_dir: .*$", f"site_dir: {out / 'site'}", text, flags=re.M)
    config = out / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    return config


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    built = build(example_config(tmp_path_factory.mktemp("pages")))
    assert built.ok, built.log
    with serve(built.site) as base, chromium() as browser:
        yield {"base": base, "browser": browser, "site": built.site}


def open_page(site: dict[str, Any], url: str, viewport: dict[str, int],
              scheme: str = "light") -> Any:
    """A fresh page at url, fully loaded (Explore: its results shown)."""
    context = site["browser"].new_context(viewport=viewport, color_scheme=scheme)
    page = context.new_page()
    response = page.goto(site["base"] + url)
    assert response is not None and response.ok, f"{url} did not load"
    page.wait_for_function("document.fonts.status === 'loaded'")  # goto waited for load
    if url.startswith("explore/"):
        page.wait_for_function(
            "() => { const r = document.querySelector('[data-lessonbook-explore]');"
            " return r && r.dataset.lessonbookDone === location.pathname + location.search; }",
            timeout=15_000)
    return page


def serious(violations: list[dict[str, Any]]) -> list[str]:
    """Serious and critical axe violations, one readable line per offending element."""
    lines = []
    for v in violations:
        if v.get("impact") in ("serious", "critical"):
            for node in v["nodes"]:
                lines.append(f"{v['id']}: {node['target']} {node.get('failureSummary', '')[:160]}")
    return lines


@pytest.mark.parametrize("kind", list(PAGES))
def test_no_page_scrolls_sideways_on_a_phone(site: dict[str, Any], kind: str) -> None:
    page = open_page(site, PAGES[kind], PHONE)
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{kind} is {width} px wide on a 390 px screen"
    finally:
        page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", list(PAGES))
def test_axe_finds_no_serious_violation(site: dict[str, Any], kind: str, scheme: str) -> None:
    axe = pytest.importorskip("axe_playwright_python.sync_playwright")
    page = open_page(site, PAGES[kind], DESKTOP, scheme)
    try:
        palette = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        assert palette == ("slate" if scheme == "dark" else "default")
        found = serious(axe.Axe().run(page).response["violations"])
        assert not found, f"{kind} ({scheme}):\n" + "\n".join(found)
    finally:
        page.context.close()


def test_a_checklist_can_be_ticked_and_keeps_its_ticks_after_a_reload(site: dict[str, Any]
                                                                      ) -> None:
    page = open_page(site, PAGES["checklist"], PHONE)
    try:
        boxes = page.locator(".lb-body .task-list-item input[type='checkbox']")
        assert boxes.count() > 1 and boxes.first.is_enabled()
        page.locator(".lb-body .task-list-item").first.click()  # tapping the item's text
        assert boxes.first.is_checked()
        page.reload()
        page.wait_for_load_state("networkidle")
        assert boxes.first.is_checked() and not boxes.nth(1).is_checked()
        page.get_by_role("button", name="Untick all").click()
        assert not boxes.first.is_checked()
    finally:
        page.context.close()


def test_the_rules_filter_shows_adopted_rules_and_keeps_its_state_in_the_address(
        site: dict[str, Any]) -> None:
    page = open_page(site, PAGES["rules"], DESKTOP)
    try:
        shown = page.eval_on_selector_all(".lb-rule-card:not([hidden])",
                                          "els => els.map(e => e.dataset.status)")
        assert shown and set(shown) == {"adopted"}
        page.locator("input[name='status'][value='retired']").check()
        assert "status=retired" in page.url
        page.reload()
        page.wait_for_load_state("networkidle")
        assert page.is_checked("input[name='status'][value='retired']")
        assert page.locator(".lb-rule-card[data-status='retired']:not([hidden])").count() >= 1
    finally:
        page.context.close()


def test_explore_on_a_phone_shows_results_first_and_filters_in_a_drawer(site: dict[str, Any]
                                                                        ) -> None:
    page = open_page(site, PAGES["explore"], PHONE)
    try:
        first = page.locator("[data-lessonbook-result]").first
        assert first.bounding_box()["y"] < PHONE["height"]  # on the first screen
        assert not page.locator("#lb-explore-facets").is_visible()
        page.locator("[data-lessonbook-drawer]").click()
        assert page.locator("#lb-explore-facets").is_visible()
    finally:
        page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP])
def test_axe_finds_nothing_serious_in_explore_after_a_filter(site: dict[str, Any], scheme: str,
                                                             viewport: dict[str, int]) -> None:
    """Explore as issue #26 left it: a filter ticked, on a phone the drawer open with its
    "Show N results" button, the skip link focused."""
    axe = pytest.importorskip("axe_playwright_python.sync_playwright")
    page = open_page(site, "explore/?failure_type=preventable", viewport, scheme)
    try:
        if viewport is PHONE:
            page.locator("[data-lessonbook-drawer]").click()
            assert page.locator("[data-lessonbook-show]").is_visible()
            page.mouse.move(0, viewport["height"] - 1)  # off the toggle: not its hover state
        page.keyboard.press("Tab")
        assert page.locator("[data-lessonbook-skip]").is_visible()
        found = serious(axe.Axe().run(page).response["violations"])
        assert not found, f"explore ({scheme}, {viewport['width']} px):\n" + "\n".join(found)
    finally:
        page.context.close()


CONTRAST = """(el) => {
  const rgb = (c) => c.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  let bg = el;  // the nearest opaque background behind the text
  while (bg && (getComputedStyle(bg).backgroundColor === 'rgba(0, 0, 0, 0)'
                || rgb(getComputedStyle(bg).backgroundColor)[3] === 0)) bg = bg.parentElement;
  const back = rgb(getComputedStyle(bg || document.body).backgroundColor);
  const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(back)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""
"""WCAG contrast of an element's text against the first opaque background behind it."""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("kind", "selector"), [
    ("postmortem", "article a[href]:not(.md-content__button):not(.headerlink)"),
    ("postmortem", "a.lb-chip")])
def test_a_hovered_link_or_chip_stays_readable(site: dict[str, Any], kind: str, selector: str,
                                               scheme: str) -> None:
    """axe reads a page at rest; hovered, a link takes the accent colour and a chip the
    accent background: both must keep 4.5:1 (WCAG AA) in either palette."""
    page = open_page(site, PAGES[kind], DESKTOP, scheme)
    try:
        target = page.locator(f"{selector} >> visible=true").first
        target.scroll_into_view_if_needed()
        target.hover()
        page.wait_for_timeout(300)  # Material's colour transition
        ratio = target.evaluate(CONTRAST)
        assert ratio >= 4.5, f"{kind} ({scheme}): hovered {selector} at {ratio:.2f}:1"
    finally:
        page.context.close()
