"""The service page on an on-call engineer's phone: the first past incident within 1,000 px,
every incident link whole on screen, axe-core clean in light and dark at 390 and 1280 px.

The example site is built once (Pagefind off: not what is tested). Screenshots go to
$LESSONBOOK_SCREENSHOTS when it is set (docs/images/ holds the ones committed)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import chromium, serve
from test_pages import example_config, serious

from conftest import build

pytestmark = pytest.mark.browser
URL = "services/checkout/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    out = tmp_path_factory.mktemp("service-page")
    config = example_config(out)
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - lessonbook:\n", "  - lessonbook:\n      search: {pagefind: false}\n", 1),
        encoding="utf-8")
    built = build(config)
    assert built.ok, built.log
    with serve(built.site) as base, chromium() as browser:
        yield {"base": base, "browser": browser}


def _open(site: dict[str, Any], width: int, scheme: str = "light") -> Any:
    context = site["browser"].new_context(viewport={"width": width, "height": 844},
                                          color_scheme=scheme)
    page = context.new_page()
    page.goto(site["base"] + URL)
    page.wait_for_load_state("networkidle")
    return page


def test_the_first_past_incident_is_within_1000_px_on_a_phone(site):
    page = _open(site, 390)
    try:
        first = page.locator(".lb-incident").first.locator(".lb-incident__title a")
        box = first.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 1000, box
        folder = os.environ.get("LESSONBOOK_SCREENSHOTS")
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(folder) / "service-page-390.png"))
    finally:
        page.context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_every_incident_link_is_whole_on_screen(site, width):
    page = _open(site, width)
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        links = page.locator(".lb-incident__title a")
        assert links.count() >= 3
        for i in range(links.count()):
            for rect in links.nth(i).evaluate(
                    "a => [...a.getClientRects()].map(r => [r.left, r.right])"):
                assert rect[0] >= 0 and rect[1] <= width, (i, rect)
    finally:
        page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_the_service_page_has_no_serious_axe_violation(site, width, scheme):
    axe = pytest.importorskip("axe_playwright_python.sync_playwright")
    page = _open(site, width, scheme)
    try:
        found = serious(axe.Axe().run(page).response["violations"])
        assert not found, "\n".join(found)
        folder = os.environ.get("LESSONBOOK_SCREENSHOTS")
        if folder and width == 1280:
            page.screenshot(path=str(Path(folder) / f"service-page-1280-{scheme}.png"))
    finally:
        page.context.close()
