"""Printing: a checklist is a working paper list, a lesson is printed without the site around it.

The example knowledge base is copied to a temp folder with one more checklist of 15 items (the
longest list the issue asks to fit one A4 page, with three pause points and a change log) and
built once with Pagefind off. Pages are printed by Chromium itself (`page.pdf`, A4) and read
with `page.emulate_media(media="print")`. Screenshots go to $LESSONBOOK_SCREENSHOTS when it is
set (docs/images/checklist-print.png is the committed one)."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import chromium, serve
from test_pages import example_config

from conftest import REPO, build, lesson_text

pytestmark = pytest.mark.browser

EXAMPLE_CHECKLISTS = ["checklists/cl-database-failover/", "checklists/cl-certificate-rotation/",
                      "checklists/cl-peak-event-readiness/"]
LONG = "checklists/cl-print-fifteen/"
LESSON = "2024/pm-2024-001-double-charges-after-gateway-timeouts/"
CONTROLS = ["Copy id", "Untick all"]
CHROME = [".md-header", ".md-tabs", ".md-sidebar--primary", ".md-sidebar--secondary",
          ".md-footer", ".md-search"]


def _fifteen_items() -> str:
    steps = [
        "Confirm the change ticket names an owner who is awake for the whole window.",
        "Post the planned start and end time in the change channel and tag support.",
        "Check that the rollback script has run against staging within the last seven days.",
        "Record the current error rate and p99 latency of every affected service.",
        "Freeze unrelated deploys to the affected services for the length of the window.",
        "Start the change on one instance and watch its error rate for five minutes.",
        "Compare that instance's p99 latency with the value recorded before the change.",
        "Roll the change out to one zone and check queue depth and connection counts.",
        "Roll the change out to the remaining zones, one at a time, ten minutes apart.",
        "Run the synthetic end-to-end check for checkout and payments in every zone.",
        "Check that alerts fired during the change were expected and say so in the channel.",
        "Lift the deploy freeze and say so in the change channel.",
        "Update the runbook with anything that surprised you, however small.",
        "Close the change ticket with the recorded before-and-after figures attached.",
        "Thank the people who helped and note any follow-up in the ticket.",
    ]
    parts = ["## What it is for\n\nA staged change to a shared service, with a stop before each "
             "widening of its reach. Read each pause point aloud before going on.\n"]
    for title, chunk in (("Before starting", steps[:5]), ("During the rollout", steps[5:11]),
                         ("Before closing", steps[11:])):
        parts.append(f"### Pause point: {title}\n\n" + "".join(f"- [ ] {s}\n" for s in chunk))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    out = tmp_path_factory.mktemp("print")
    lessons = out / "lessons"
    shutil.copytree(REPO / "lessons", lessons)
    (lessons / "checklists" / "cl-print-fifteen.md").write_text(lesson_text({
        "id": "cl-print-fifteen", "title": "Staged change to a shared service",
        "type": "checklist", "date": "2025-02-03", "status": "reviewed",
        "summary": "The stops a staged change to a shared service makes before widening.",
        "services": ["checkout", "payments"], "teams": ["sre"], "owner": "sre",
        "trigger": "Before any change to a service that more than one team depends on.",
        "sources": ["pm-2023-004"],
        "pause_points": ["Before starting: owner, window, rollback and baseline are known.",
                         "During the rollout: each widening waits for clean figures.",
                         "Before closing: the freeze is lifted and what was learned is kept."],
        "changes": [{"date": "2025-06-01", "lesson": "pm-2025-001",
                     "change": "Added the synthetic end-to-end check in every zone."}],
    }, _fifteen_items()), encoding="utf-8")
    config = example_config(out)
    text = config.read_text(encoding="utf-8").replace(f"docs_dir: {REPO / 'lessons'}",
                                                      f"docs_dir: {lessons}")
    config.write_text(text.replace("  - lessonbook:\n",
                                   "  - lessonbook:\n      search: {pagefind: false}\n", 1),
                      encoding="utf-8")
    built = build(config)
    assert built.ok, built.log
    with serve(built.site) as base, chromium() as browser:
        yield {"base": base, "browser": browser}


def _open(site: dict[str, Any], url: str) -> Any:
    page = site["browser"].new_page(viewport={"width": 1280, "height": 900})
    page.goto(site["base"] + url)
    page.wait_for_load_state("networkidle")
    return page


def pdf_pages(pdf: bytes) -> int:
    """Pages in a PDF Chromium wrote: the page tree's root counts them all."""
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", pdf)]
    counts += [int(n) for n in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", pdf)]
    assert counts, "no page tree found in the PDF"
    return max(counts)


@pytest.mark.parametrize("url", EXAMPLE_CHECKLISTS + [LONG])
def test_a_checklist_of_up_to_15_items_prints_on_one_a4_page(site, url):
    page = _open(site, url)
    try:
        items = page.locator(".lb-body .task-list-item").count()
        assert 0 < items <= 15
        assert pdf_pages(page.pdf(format="A4")) == 1, f"{url} ({items} items) takes more pages"
    finally:
        page.close()


def test_the_long_checklist_really_has_15_items(site):
    page = _open(site, LONG)
    try:
        assert page.locator(".lb-body .task-list-item").count() == 15
    finally:
        page.close()


def test_printed_tick_boxes_are_empty_squares_even_when_ticked_on_screen(site):
    page = _open(site, EXAMPLE_CHECKLISTS[0])
    try:
        page.locator(".lb-body .task-list-item").first.click()  # ticked on screen
        assert page.locator(".lb-body input[type='checkbox']").first.is_checked()
        page.emulate_media(media="print")
        looks = page.eval_on_selector_all(
            ".lb-body .task-list-indicator",
            """els => els.map(e => { const s = getComputedStyle(e, '::before');
                 return {mask: s.webkitMaskImage || s.maskImage, bg: s.backgroundColor,
                         border: parseFloat(s.borderTopWidth),
                         radius: parseFloat(s.borderTopLeftRadius),
                         width: parseFloat(s.width), colour: s.borderTopColor}; })""")
        assert looks
        for look in looks:
            assert look["mask"] == "none", look  # no check-mark shape
            assert look["bg"] in ("rgba(0, 0, 0, 0)", "transparent"), look  # not filled
            assert look["border"] >= 1 and look["colour"] == "rgb(0, 0, 0)", look
            assert look["radius"] < look["width"] / 4, look  # a square, not a circle
        folder = os.environ.get("LESSONBOOK_SCREENSHOTS")
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
            page.screenshot(path=str(Path(folder) / "checklist-print.png"))
    finally:
        page.close()


@pytest.mark.parametrize("url", [EXAMPLE_CHECKLISTS[0], LESSON])
def test_print_leaves_out_the_site_chrome_and_every_control(site, url):
    page = _open(site, url)
    try:
        page.emulate_media(media="print")
        for selector in CHROME:
            shown = page.locator(selector).filter(visible=True).count()
            assert shown == 0, f"{selector} prints on {url}"
        for name in CONTROLS:
            assert not page.get_by_role("button", name=name).is_visible(), f"{name} prints"
        assert page.locator("main button:visible, main input[type='search']:visible").count() == 0
        assert page.locator(".lb-lesson h1").is_visible()  # the lesson itself still prints
        text = page.locator("main").inner_text()
        assert "needs JavaScript" not in text and "¶" not in text
    finally:
        page.close()


def test_the_needs_javascript_note_is_gone_on_screen_once_javascript_runs(site):
    page = _open(site, EXAMPLE_CHECKLISTS[0])
    try:
        assert page.locator("[data-lessonbook-needs-js]").count() == 1
        assert not page.locator("[data-lessonbook-needs-js]").is_visible()
        assert page.get_by_role("button", name="Untick all").is_visible()
    finally:
        page.close()
