"""Material's sidebar navigation, rendered once for the pages outside it, is the navigation
Material renders on each of them; a theme's own nav template is left alone."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from conftest import build, lesson_text, write_site

NAV = {"nav": [{"Home": "index.md"}, {"Guide": [{"Writing": "guide/writing.md"}]},
               {"All lessons": "lessons.md"}, {"Explore": "explore.md"}]}


def _site(root: Path, custom_dir: Path | None) -> dict[str, bytes]:
    files = {"index.md": "# Home\n", "guide/writing.md": "# Writing\n",
             **{f"incidents/{year}/{kind}-{i}.md": lesson_text(
                 {"id": f"{kind}-{year}-{i}", "title": f"Lesson {i} of {year}",
                  "type": "postmortem" if kind == "pm" else "near-miss",
                  "date": f"{year}-03-0{i}", "tags": ["dns"], "services": ["edge"]})
                for year in (2024, 2025) for kind in ("pm", "nm") for i in (1, 2)}}
    theme = {"name": "material", "font": False, "features": ["navigation.instant"]}
    if custom_dir is not None:
        theme["custom_dir"] = str(custom_dir)
    config = write_site(root, files, {"search": {"pagefind": False},
                                      "lesson_dirs": ["incidents"]}, {**NAV, "theme": theme})
    site = build(config, strict=True)
    assert site.ok, site.log
    return {p.relative_to(site.site).as_posix(): p.read_bytes() for p in site.site.rglob("*.html")}


def _material_nav() -> Path:
    spec = importlib.util.find_spec("material")
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).parent / "templates" / "partials" / "nav.html"


def test_every_page_has_the_navigation_material_renders_for_it(tmp_path):
    overrides = tmp_path / "overrides" / "partials"
    overrides.mkdir(parents=True)
    shutil.copy(_material_nav(), overrides / "nav.html")  # Material's own, not wrapped
    rendered_each_time = _site(tmp_path / "plain", tmp_path / "overrides")
    cached = _site(tmp_path / "cached", None)
    assert len(cached) > 20
    assert cached == rendered_each_time


def test_a_theme_override_of_the_nav_template_is_used_on_every_page(tmp_path):
    overrides = tmp_path / "overrides" / "partials"
    overrides.mkdir(parents=True)
    (overrides / "nav.html").write_text('<nav class="our-nav">{{ page.url }}</nav>',
                                        encoding="utf-8")
    pages = _site(tmp_path / "site", tmp_path / "overrides")
    lesson = pages["incidents/2025/pm-1/index.html"].decode()
    assert '<nav class="our-nav">incidents/2025/pm-1/</nav>' in lesson
