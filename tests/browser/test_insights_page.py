"""Insights and Recurring incidents in a real browser: at phone and desktop width, in Material's
light and dark schemes, and in print. The repository's example site is built once (Pagefind off)
and served on 127.0.0.1. Set LESSONBOOK_SCREENSHOTS to a folder to keep a screenshot of each."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import chromium, serve

from conftest import REPO, build

pytestmark = pytest.mark.browser

VIEWS = [(390, "light"), (390, "dark"), (1280, "light"), (1280, "dark")]
SCHEMES = {"light": "default", "dark": "slate"}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[tuple[str, Any]]:
    out = tmp_path_factory.mktemp("insights-browser")
    text = (REPO / "mkdocs.yml").read_text()
    text = text.replace("docs_dir: lessons", f"docs_dir: {REPO / 'lessons'}")
    text = re.sub(r"^site_dir: .*$", f"site_dir: {out / 'site'}", text, flags=re.M)
    text = re.sub(r"^(\s+)exclude: (.*)$", r"\1exclude: \2\n\1search: {pagefind: false}", text,
                  flags=re.M)
    (out / "mkdocs.yml").write_text(text)
    built = build(out / "mkdocs.yml", strict=True)
    assert built.ok, built.log
    with serve(built.site) as base, chromium() as browser:
        yield base, browser


def _open(site: tuple[str, Any], url: str, width: int, scheme: str) -> Any:
    base, browser = site
    context = browser.new_context(viewport={"width": width, "height": 900},
                                  color_scheme=scheme)
    page = context.new_page()
    page.goto(base + url)
    page.wait_for_load_state("load")
    return page


def _keep(page: Any, name: str) -> None:
    folder = os.environ.get("LESSONBOOK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _luminance(rgb: str) -> float:
    channels = [int(x) / 255 for x in re.findall(r"\d+(?:\.\d+)?", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


COLOURS = """() => {
  const bg = getComputedStyle(document.querySelector('.md-main')).backgroundColor;
  const page = getComputedStyle(document.body).backgroundColor;
  const charts = [...document.querySelectorAll('svg.lb-chart__svg')].map(svg => {
    const label = svg.querySelector('.axis text');
    const bar = svg.querySelector('.series.color-0 rect, .series.color-0 circle');
    const box = svg.getBoundingClientRect();
    return {id: svg.id, width: box.width, right: box.right, shown: box.width > 0,
            text: label ? getComputedStyle(label).fill : null,
            bar: bar ? getComputedStyle(bar).fill : null};
  });
  const content = document.querySelector('.md-content').getBoundingClientRect().width;
  return {bg: bg === 'rgba(0, 0, 0, 0)' ? page : bg, charts, content,
          scheme: document.body.getAttribute('data-md-color-scheme'),
          overflow: document.documentElement.scrollWidth - window.innerWidth};
}"""


@pytest.mark.parametrize(("width", "scheme"), VIEWS)
def test_insights_fit_the_screen_and_read_in_either_palette(site, width, scheme):
    page = _open(site, "insights/", width, scheme)
    found = page.evaluate(COLOURS)
    _keep(page, f"insights-{width}-{scheme}")
    assert found["scheme"] == SCHEMES[scheme]
    assert found["overflow"] <= 0, "the page scrolls sideways"
    assert len(found["charts"]) >= 9
    for chart in found["charts"]:
        if width < 720:  # on a phone the tables stand in for the charts
            assert not chart["shown"], chart["id"]
            continue
        assert chart["width"] >= min(300, found["content"] * 0.8), chart["id"]
        assert chart["right"] <= width, chart["id"]
        assert _contrast(chart["text"], found["bg"]) >= 4.5, (chart["id"], chart["text"])
        if chart["bar"]:
            assert _contrast(chart["bar"], found["bg"]) >= 3, (chart["id"], chart["bar"])
    page.context.close()


def test_the_chart_palette_follows_the_colour_scheme(site):
    fills = {}
    for scheme in ("light", "dark"):
        page = _open(site, "insights/", 1280, scheme)
        fills[scheme] = page.evaluate(COLOURS)["charts"][0]["bar"]
        page.context.close()
    assert fills["light"] != fills["dark"]


@pytest.mark.parametrize(("width", "scheme"), [(390, "light"), (390, "dark"), (1280, "dark")])
def test_recurring_fits_the_screen(site, width, scheme):
    page = _open(site, "recurring/", width, scheme)
    _keep(page, f"recurring-{width}-{scheme}")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert page.locator("article.lb-repeat").count() >= 1
    assert page.locator("article.lb-repeat").first.is_visible()
    page.context.close()


def test_printing_shows_every_chart_and_its_data_table(site):
    page = _open(site, "insights/", 1280, "light")
    tables = page.locator("details.lb-chart__data table")
    assert not tables.first.is_visible()  # folded on screen
    page.emulate_media(media="print")
    assert tables.count() >= 9
    assert all(tables.nth(i).is_visible() for i in range(tables.count()))
    assert all(page.locator("svg.lb-chart__svg").nth(i).is_visible()
               for i in range(page.locator("svg.lb-chart__svg").count()))
    page.context.close()


OVERLAPS = r"""() => {
  const boxes = (svg, selector) => [...svg.querySelectorAll(selector)]
    .map(t => t.getBoundingClientRect()).filter(b => b.width > 0);
  const hit = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5
    && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
  const found = [];
  for (const svg of document.querySelectorAll('svg.lb-chart__svg')) {
    // Turned labels: their boxes are diagonal, so measure the gap across the slant instead.
    const turned = [...svg.querySelectorAll('.axis.x text[transform]')].map(t => {
      const b = t.getBoundingClientRect(), size = parseFloat(getComputedStyle(t).fontSize);
      const angle = Math.abs(parseFloat(/rotate\((-?[\d.]+)/.exec(t.getAttribute('transform'))[1]));
      return {x: b.left + b.width / 2, size, sin: Math.abs(Math.sin(angle * Math.PI / 180))};
    }).filter(t => t.size > 0).sort((a, b) => a.x - b.x);
    for (let i = 1; i < turned.length; i++)
      if ((turned[i].x - turned[i - 1].x) * turned[i].sin < 0.9 * turned[i].size)
        found.push(`${svg.id} turned x labels ${i - 1}/${i}`);
    for (const [name, selector] of [['legend', '.legends text, .legends rect'],
                                    ['x labels', '.axis.x text:not([transform])'],
                                    ['y labels', '.axis.y text']]) {
      const list = boxes(svg, selector);
      for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++)
        if (hit(list[i], list[j])) found.push(`${svg.id} ${name} ${i}/${j}`);
    }
  }
  return found;
}"""


def test_no_legend_or_axis_label_overlaps_another_at_desktop_width(site):
    page = _open(site, "insights/", 1280, "light")
    try:
        assert page.evaluate(OVERLAPS) == []
    finally:
        page.context.close()


def test_duration_periods_sit_at_even_intervals(site):
    page = _open(site, "insights/", 1280, "light")
    try:
        for key in ("time-to-detect", "time-to-recover"):
            xs = page.eval_on_selector_all(
                f"#chart-{key} .axis.x text",
                "els => els.map(e => e.getBoundingClientRect()).filter(b => b.width > 0)"
                ".map(b => b.left + b.width / 2)")
            gaps = [b - a for a, b in zip(xs, xs[1:], strict=False)]
            assert len(gaps) >= 2 and max(gaps) - min(gaps) <= 2, (key, xs)
    finally:
        page.context.close()


def test_on_a_phone_every_chart_gives_way_to_its_table(site):
    page = _open(site, "insights/", 390, "light")
    _keep(page, "insights-390-tables")
    try:
        figures = page.locator(".lb-chart__figure")
        assert figures.count() >= 9
        assert not any(figures.nth(i).is_visible() for i in range(figures.count()))
        tables = page.locator(".lb-chart__data table")
        assert tables.count() >= figures.count()
        assert all(tables.nth(i).is_visible() for i in range(tables.count()))
        assert page.locator(".lb-heatmap table").is_visible()
    finally:
        page.context.close()


@pytest.mark.parametrize(("width", "scheme"), VIEWS)
def test_axe_finds_nothing_serious_on_insights(site, width, scheme):
    axe = pytest.importorskip("axe_playwright_python.sync_playwright")
    page = _open(site, "insights/", width, scheme)
    try:
        violations = axe.Axe().run(page).response["violations"]
        found = [f"{v['id']}: {n['target']}" for v in violations
                 if v.get("impact") in ("serious", "critical") for n in v["nodes"]]
        assert not found, "\n".join(found)
    finally:
        page.context.close()
