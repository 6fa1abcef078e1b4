"""`lessonbook generate`: the site as a plain docs project, for engines without our plugin.

A third edge beside the MkDocs plugin and the CLI: the same run (``pipeline.Run.build``) and
the same per-page calls the plugin makes (bind, page_source, page_context, output_files)
decide every page; the pages are rendered by the plugin's own templates (render.py) and
written as Markdown files into ``OUT/docs``, beside a mkdocs.yml that names no Lessonbook
plugin (config_file.py). `mkdocs build --strict` (or ProperDocs, or
TechDocs) then builds the site the plugin would have built.

What goes where:

- a lesson: its front-matter as page meta, then the lesson page's HTML (header, card, kind
  block, sections) with its body left as Markdown inside it (``md_in_html``), so MkDocs
  converts the body, rewrites its links and lists its headings in the table of contents,
  together with the sections' headings;
- a generated page (home, lists, taxonomy, registry, Insights, digests, ...): its HTML;
- the user's own pages and files: copied (pages linking to lessons left out for the
  audience, with those links taken out, as the plugin does);
- api/*.json, feed.xml and the theme's assets: files in the docs folder.

Nothing the plugin leaves out is written: lessons with errors, lessons above the audience and
the attachments only they refer to, refused files.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

from ..analysis.analyse import lesson_settings
from ..load.sources import (
    PAGE_EXTENSIONS,
    Source,
    is_lesson_path,
    published_files,
    read_sources,
)
from ..model.options import Options, SiteConfig
from ..model.problems import Problem
from ..pipeline import Run
from ..site.build import THEME_DIR, SiteBuild, theme_assets
from ..site.pages import page_url
from ..site.search import material_search_text
from .config_file import CarryError, mkdocs_order, project_config
from .output import MARKER, OutputRefused, claim
from .render import PageRenderer, PageStub

__all__ = ["MARKER", "CarryError", "GenerateResult", "OutputRefused", "generate"]

BODY = "LESSONBOOKBODYPLACEHOLDER"
"""Stands for a lesson's converted body while its page is rendered; the Markdown goes there."""
STATIC_PAGES = (".html", ".htm")
_TAG_WITH_PAGEFIND = re.compile(r"(<[A-Za-z][^<>]*?)data-pagefind", re.DOTALL)


@dataclass
class GenerateResult:
    out: Path
    lessons: int = 0
    generated: int = 0
    own_pages: int = 0
    files: int = 0
    """The user's other files (images, attachments) and ours (assets, exports, feed)."""
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    """Docs-relative paths of files not written (lessons with errors or above the audience,
    refused files, attachments of left-out lessons)."""


def generate(site: SiteConfig, out: Path, *, options: Options | None = None,
             force: bool = False, build_date: dt.date | None = None) -> GenerateResult:
    """Write the plain project into ``out``; raises OutputRefused (nothing written) or
    CarryError (a setting that cannot be carried; nothing useful written)."""
    options = options or site.options
    settings = lesson_settings(options)
    docs = Path(site.docs_dir)
    config_path = Path(site.config_file)
    output = claim(out, force=force, protected=[config_path.parent, docs])
    use_dir = site.settings.get("use_directory_urls", True) is not False
    files = published_files(docs, settings)
    sources = read_sources(docs, settings)
    unreadable = {s.path for s in sources if s.raw is None}
    kept = [f for f in files if f not in unreadable or is_lesson_path(f, settings)]
    run = Run(options, build_date=build_date, template_dir=config_path.parent / "templates")
    build = run.build(sources, existing={f: _url(f, use_dir) for f in kept},
                      use_directory_urls=use_dir)
    left = _attachments_left_out(build, docs, sources, kept)
    gone = build.rejected | left
    kept = [f for f in kept if f not in gone]
    result = GenerateResult(out, problems=build.problems,
                            notes=[*build.notes, *build.overrides],
                            left_out=sorted(set(files) - set(kept)))
    pages = [f for f in kept if f.endswith(PAGE_EXTENSIONS)]
    urls = {f: _url(f, use_dir) for f in pages}
    urls.update({p.src_uri: page_url(p.src_uri, use_dir) for p in build.pages})
    build.bind(urls)
    custom = site.settings.get("theme", {})
    custom_dir = _custom_dir(custom, config_path)
    renderer = PageRenderer(THEME_DIR, site.site_name, custom_dir)
    for path in kept:
        if build.is_lesson(path):
            output.write_text(f"docs/{path}", _lesson_page(build, renderer, path, urls[path]))
            result.lessons += 1
        elif path in urls:
            text = (docs / path).read_bytes()
            source = build.page_source(path, text.decode("utf-8", "replace"))
            if source is None:
                output.write_bytes(f"docs/{path}", text)
            else:
                output.write_text(f"docs/{path}", source.markdown)
            result.own_pages += 1
        else:
            output.copy(f"docs/{path}", docs / path)
            result.files += 1
    for page in build.pages:
        output.write_text(f"docs/{page.src_uri}",
                          _generated_page(build, renderer, page.src_uri, urls[page.src_uri]))
        result.generated += 1
    extra, notes = build.output_files(site_url=site.site_url, site_name=site.site_name)
    result.notes.extend(message for _, message in notes)
    for name, text in extra.items():
        output.write_text(f"docs/{name}", text)
        result.files += 1
    css, js = theme_assets(options)
    for asset in sorted((THEME_DIR / "lessonbook" / "assets").iterdir()):
        output.copy(f"docs/lessonbook/assets/{asset.name}", asset)
        result.files += 1
    result.notes.extend(_overrides(output, custom_dir))
    in_nav = [p.src_uri for p in build.pages if p.in_nav]
    own = [f for f in pages if not build.is_lesson(f)]
    text, carry_notes = project_config(
        site.settings, written={*pages, *(p.src_uri for p in build.pages)},
        not_in_nav=sorted([f for f in pages if build.is_lesson(f)]
                          + [p.src_uri for p in build.pages if not p.in_nav]),
        auto_nav=[*mkdocs_order(own), *in_nav], css=css, js=js)
    result.notes.extend(carry_notes)
    output.write_text("mkdocs.yml", text)
    output.seal({"lessons": result.lessons, "generated": result.generated,
                 "own_pages": result.own_pages, "files": result.files})
    return result


def _url(path: str, use_dir: bool) -> str:
    return page_url(path, use_dir) if path.endswith(PAGE_EXTENSIONS) else path


def _attachments_left_out(build: SiteBuild, docs: Path, sources: list[Source],
                          kept: list[str]) -> set[str]:
    """What the plugin's on_files removes with the lessons that refer to it."""
    if not build.rejected:
        return set()
    texts = {s.path: s.raw.decode("utf-8", "replace") for s in sources if s.raw is not None}
    attachments = [f for f in kept if not f.endswith(PAGE_EXTENSIONS)]
    for f in kept:
        if f.endswith(PAGE_EXTENSIONS + STATIC_PAGES) and f not in texts:
            texts[f] = (docs / f).read_bytes()[:4 * 1024 * 1024].decode("utf-8", "replace")
    return build.attachments_left_out(texts, attachments)


def _front_matter(meta: Mapping[str, Any]) -> str:
    return "---\n" + yaml.safe_dump(dict(meta), sort_keys=False, allow_unicode=True,
                                    width=10_000) + "---\n\n"


def _lesson_page(build: SiteBuild, renderer: PageRenderer, path: str, url: str) -> str:
    """A lesson as the plugin shows it: its page's HTML around its body's Markdown."""
    source = build.page_source(path, "")
    assert source is not None and source.meta is not None
    meta = {k: v for k, v in source.meta.items() if k != "template"}
    context = build.page_context(path)
    lesson = context["lesson"]
    search = build.analysis.options.search
    hidden = (material_search_text(lesson) if search.enabled and search.material_terms
              else "")
    page = PageStub(url, dict(meta), hidden + BODY, meta.get("title", ""))
    rendered = renderer.render(meta_template(source.meta), page, context)
    before, _, after = rendered.partition(BODY)
    before = _markdown_around(before)
    body = _TAG_WITH_PAGEFIND.sub(r"\1data&#45;pagefind", source.markdown)
    return (_front_matter(meta) + _dedent(before) + "\n\n" + body.strip("\n") + "\n\n"
            + _dedent(after))


def meta_template(meta: Mapping[str, Any]) -> str:
    return str(meta.get("template") or "lessonbook/lesson.html")


def _generated_page(build: SiteBuild, renderer: PageRenderer, src_uri: str, url: str) -> str:
    source = build.page_source(src_uri, "")
    assert source is not None and source.meta is not None
    meta = {k: v for k, v in source.meta.items() if k != "template"}
    page = PageStub(url, dict(meta), "", meta.get("title", ""))
    rendered = renderer.render(meta_template(source.meta), page, build.page_context(src_uri))
    for key in ("hide",):  # what a template set on the page (Explore hides the TOC)
        if key in page.meta:
            meta[key] = page.meta[key]
    return _front_matter(meta) + _dedent(rendered) + "\n"


def _dedent(text: str) -> str:
    """Every line without its indentation, blank lines dropped: our HTML has no <pre>, and
    Markdown reads a line indented by four spaces (outside an HTML block) as code."""
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


class _OpenTags(HTMLParser):
    """The elements still open at the end of some HTML: (tag, offset of its '<')."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, int]] = []
        self._lines = [0]
        for line in text.splitlines(keepends=True):
            self._lines.append(self._lines[-1] + len(line))
        self.feed(text)

    def _offset(self) -> int:
        line, col = self.getpos()
        return self._lines[line - 1] + col

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag not in self.VOID:
            self.stack.append((tag, self._offset()))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return


def _markdown_around(before: str) -> str:
    """The HTML before the body, with ``markdown="1"`` on every element that encloses it, so
    the body between them is read as Markdown (md_in_html)."""
    open_tags = _OpenTags(before).stack
    for _, offset in reversed(open_tags):
        end = before.index(">", offset)
        cut = end - 1 if before[end - 1] == "/" else end
        before = before[:cut] + ' markdown="1"' + before[cut:]
    return before


def _custom_dir(theme: Any, config_path: Path) -> Path | None:
    if not isinstance(theme, Mapping) or not theme.get("custom_dir"):
        return None
    folder = config_path.parent / str(theme["custom_dir"])
    return folder if folder.is_dir() else None


FEED_OVERRIDE = """{#- Written by `lessonbook generate`: the feed advertised in every page's <head>,
    as the plugin adds it. -#}
{% extends "base.html" %}
{% block extrahead %}
{{ super() }}
{%- if config.site_url %}{% set href = config.site_url.rstrip('/') ~ '/feed.xml' %}
{%- else %}{% set href = 'feed.xml' | url %}{% endif %}
<link rel="alternate" type="application/atom+xml"
  title="{{ config.site_name | e }}: new lessons and rule changes" href="{{ href | e }}">
{% endblock %}
"""


def _overrides(output: Any, custom_dir: Path | None) -> list[str]:
    """``OUT/overrides``: the user's theme overrides (their ``lessonbook/`` templates are
    already applied), and a main.html putting the feed's link in <head> unless theirs has
    one."""
    notes = []
    if custom_dir is not None:
        for file in sorted(custom_dir.rglob("*")):
            relative = file.relative_to(custom_dir).as_posix()
            if file.is_file() and not relative.startswith("lessonbook/"):
                output.copy(f"overrides/{relative}", file)
    if custom_dir is not None and (custom_dir / "main.html").is_file():
        notes.append("your theme's main.html is carried as it is: add the feed's <link> to "
                     "its extrahead block if you want browsers to find feed.xml")
        return notes
    output.write_text("overrides/main.html", FEED_OVERRIDE)
    return notes
