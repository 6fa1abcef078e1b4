"""The example knowledge base built both ways — the plugin's build, and `lessonbook generate`
followed by a plain `mkdocs build --strict` — read page for page; and both read as a host
that strips scripts and styles (Backstage TechDocs) shows them; and built by ProperDocs."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO, BuiltSite, build
from lessonbook.cli.main import main as lessonbook
from page_text import main_text, strip_like_techdocs

PROPERDOCS = "properdocs==1.6.7"


def _example_config(folder: Path) -> Path:
    """The repository's mkdocs.yml, reading its lessons where they are, search index off
    (not what these tests are about; it is the slowest step)."""
    folder.mkdir(parents=True, exist_ok=True)
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("docs_dir: lessons", f"docs_dir: {REPO / 'lessons'}")
    text = re.sub(r"^site_dir: .*$", f"site_dir: {folder / 'site'}", text, flags=re.M)
    text = text.replace("      rule_review_days: 730",
                        "      rule_review_days: 730\n      search: {pagefind: false}")
    config = folder / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    return config


@pytest.fixture(scope="module")
def both_ways(tmp_path_factory) -> tuple[BuiltSite, BuiltSite, Path]:
    root = tmp_path_factory.mktemp("both-ways")
    config = _example_config(root / "source")
    plugin = build(config, strict=True)
    assert plugin.ok, plugin.log
    out = root / "generated"
    assert lessonbook(["generate", str(out), "-f", str(config)]) == 0
    generated = build(out / "mkdocs.yml", strict=True)
    return plugin, generated, out


def _pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def test_the_generated_project_names_no_lessonbook_plugin_and_builds_strictly(both_ways):
    _, generated, out = both_ways
    assert generated.ok, generated.log
    config = yaml.safe_load((out / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["plugins"] == ["search"]
    assert config["site_name"] == "Harbor lessons learned"


def test_every_page_of_the_plugin_build_is_in_the_generated_build_with_the_same_text(
        both_ways):
    """Visible text of the main content, whitespace normalised, for every page: lessons,
    lists, taxonomy, registry pages, Insights, digests, glossary, Explore, the user's own."""
    plugin, generated, _ = both_ways
    pages = _pages(plugin.site)
    assert pages == _pages(generated.site)
    assert len(pages) > 150
    differing = [p for p in sorted(pages)
                 if main_text((plugin.site / p).read_text(encoding="utf-8"))
                 != main_text((generated.site / p).read_text(encoding="utf-8"))]
    assert differing == []


def test_generated_lesson_pages_carry_the_card_sections_and_similar_links(both_ways):
    _, generated, _ = both_ways
    lessons = json.loads((generated.site / "api/lessons.json").read_text())["lessons"]
    assert lessons
    with_similar = 0
    for lesson in lessons:
        page = generated.html(lesson["url"])
        assert 'class="lb-card"' in page and 'class="lb-eyebrow"' in page, lesson["url"]
        with_similar += 'class="lb-similar' in page
    assert with_similar >= len(lessons) // 2


def test_generated_lesson_pages_list_their_sections_in_the_table_of_contents(both_ways):
    """The plugin puts the sections around the body in the TOC; md_in_html does here."""
    plugin, generated, _ = both_ways
    url = "2023/pm-2023-002-checkout-timeouts-after-pool-change/index.html"
    toc = re.compile(r'<a href="#([^"]+)" class="md-nav__link">')
    assert toc.findall((generated.site / url).read_text()) == \
        toc.findall((plugin.site / url).read_text())


def test_the_generated_insights_page_draws_its_charts(both_ways):
    _, generated, _ = both_ways
    page = generated.html("insights/")
    assert len(re.findall(r'<svg[^>]*class="pygal-chart', page)) >= 5


def test_exports_feed_and_assets_are_in_the_generated_site(both_ways):
    plugin, generated, _ = both_ways
    for name in ("api/lessons.json", "api/rules.json", "api/follow-ups.json", "feed.xml",
                 "lessonbook/assets/lessonbook.css", "lessonbook/assets/explore.js"):
        assert (generated.site / name).is_file(), name
    assert json.loads((generated.site / "api/rules.json").read_text()) == \
        json.loads((plugin.site / "api/rules.json").read_text())
    assert 'type="application/atom+xml"' in generated.html("")


# --- a host that strips scripts and styles -------------------------------------------------
def _stripped(site: BuiltSite, url: str) -> str:
    return strip_like_techdocs(site.html(url))


@pytest.mark.parametrize("way", [0, 1], ids=["plugin", "generated"])
def test_registry_pages_read_fully_without_scripts_or_styles(both_ways, way):
    site = both_ways[way]
    rules = main_text(_stripped(site, "rules/"))
    for rule in site.json("api/rules.json")["rules"]:
        action = " ".join(rule["then"].split()).rstrip(".")
        assert action[1:] in rules, rule["id"]  # the sentence may lower its first letter
    follow_ups = main_text(_stripped(site, "follow-ups/"))
    for item in site.json("api/follow-ups.json")["follow_ups"]:
        assert " ".join(item["action"].split()) in follow_ups, item["action"]
    checklists = main_text(_stripped(site, "checklists/"))
    for checklist in site.json("api/checklists.json")["checklists"]:
        assert checklist["title"] in checklists


@pytest.mark.parametrize("way", [0, 1], ids=["plugin", "generated"])
def test_lesson_pages_read_the_same_without_scripts_or_styles(both_ways, way):
    site = both_ways[way]
    for lesson in site.json("api/lessons.json")["lessons"]:
        page = site.html(lesson["url"])
        stripped = strip_like_techdocs(page)
        assert "<script" not in stripped and "<style" not in stripped
        text = main_text(stripped)
        assert text == main_text(page)
        assert " ".join(lesson["title"].split()) in text


@pytest.mark.parametrize("way", [0, 1], ids=["plugin", "generated"])
def test_pages_that_need_javascript_say_so_in_text_when_it_does_not_run(both_ways, way):
    site = both_ways[way]
    assert "needs JavaScript" in main_text(_stripped(site, "explore/"))
    checklist = site.json("api/checklists.json")["checklists"][0]
    assert "needs JavaScript" in main_text(_stripped(site, checklist["url"]))


@pytest.mark.parametrize("way", [0, 1], ids=["plugin", "generated"])
def test_charts_keep_their_colours_and_type_without_any_stylesheet(both_ways, way):
    page = _stripped(both_ways[way], "insights/")
    charts = re.findall(r'<svg[^>]*class="pygal-chart.*?</svg>', page, flags=re.S)
    assert len(charts) >= 5
    for chart in charts:
        assert "<style" not in chart
        assert re.search(r'<rect[^>]*class="background"[^>]*fill="none"', chart)
        series = re.findall(r'<g class="series serie-\d+ color-\d+"[^>]*>', chart)
        assert series and all(re.search(r'fill="#[0-9a-f]{6}"', g) for g in series)
        assert re.search(r'<text[^>]*fill="currentColor"', chart)
        assert re.search(r'font-size="1\d"', chart)


# --- ProperDocs ------------------------------------------------------------------------------
def _properdocs_path(cache: Path) -> str | None:
    """A PYTHONPATH entry from which `python -m properdocs` runs: this environment's, or a
    folder of its own (ProperDocs is a separate package, no conflict with MkDocs, installed
    there without touching this environment). None: it cannot be had here."""
    import importlib.util

    if importlib.util.find_spec("properdocs") is not None:
        return ""
    target = cache / "properdocs"
    if not (target / "properdocs").is_dir():
        try:
            done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                                   "--target", str(target), PROPERDOCS],
                                  capture_output=True, text=True, timeout=120, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return None
        if done.returncode != 0:
            return None
    return str(target)


def test_properdocs_builds_the_example_strictly_with_the_plugin(tmp_path_factory, both_ways):
    root = tmp_path_factory.mktemp("properdocs")
    extra = _properdocs_path(root)
    if extra is None:
        pytest.skip(f"{PROPERDOCS} cannot be installed here")
    config = _example_config(root / "source")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [env.get("PYTHONPATH", ""), extra]))
    done = subprocess.run([sys.executable, "-m", "properdocs", "build", "--strict", "-f",
                           str(config)], capture_output=True, text=True, env=env,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    site = root / "source" / "site"
    assert 'class="lb-card"' in (site / "2023/pm-2023-002-checkout-timeouts-after-pool-change"
                                 / "index.html").read_text()
    plugin = both_ways[0]
    assert _pages(site) == _pages(plugin.site)
