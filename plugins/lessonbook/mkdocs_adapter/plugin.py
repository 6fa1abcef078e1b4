"""MkDocs events → Lessonbook core. Every decision lives in the core (site/build.py); each handler
translates MkDocs objects and delegates.

Order (see MkDocs' build): on_config adds our templates and assets; on_files reads every lesson
once and assembles the build (analysis, generated pages); on_page_markdown hands MkDocs our parse
of each page (one parse path); on_page_content feeds the search index; on_env starts writing it
while templates render; on_page_context gives templates their data; on_post_build writes the
index and the exports.
"""

from __future__ import annotations

import html
import importlib.util
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from ..analysis.analyse import lesson_settings
from ..load.knowledge_base import ReadCache
from ..load.sources import Source, check_links, is_lesson_path
from ..model.options import Options
from ..model.problems import Problem
from ..model.vocabulary import Settings
from ..site.build import THEME_DIR, SiteBuild, theme_assets
from ..site.header_search import insert_header_search, material_search_in
from . import nav_cache, serve_session
from .config import LessonbookConfig
from .serve_session import ServeSession

log = get_plugin_logger(__name__)


class LessonbookPlugin(BasePlugin[LessonbookConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self._cache = ReadCache()
        self._serve: ServeSession | None = None
        self._dirty = False
        self._nav = nav_cache.NavCache()
        self._header_box = ""
        self.build: SiteBuild | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defined so MkDocs keeps this plugin (and its caches) across serve rebuilds."""
        self._dirty = dirty  # a dirty build renders only changed pages: index with the CLI
        self.on_shutdown()
        if command == "serve" and not dirty:
            self._serve = ServeSession()
            self._cache.words = {}  # similarity rescans only the texts an edit changed

    def on_shutdown(self) -> None:
        """The serve session's caches go (MkDocs may reuse this instance for another build)."""
        if self._serve is not None:
            self._serve.close()
        self._serve = None
        self._cache.words = None

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """MkDocs empties the site folder next: stop writing the last build's index to it."""
        if self._serve is not None:
            self._serve.search.cancel()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.options: Options = self.config.options
        # Appended, so a theme custom_dir (earlier in the list) overrides our templates.
        if str(THEME_DIR) not in config.theme.dirs:
            config.theme.dirs.append(str(THEME_DIR))
        css, js = theme_assets(self.options)
        config.extra_css.extend(x for x in css if x not in config.extra_css)
        scripts = [str(x) for x in config.extra_javascript]
        config.extra_javascript.extend(x for x in js if x not in scripts)
        return config

    @event_priority(-50)  # after plugins that add or remove files
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        lessons, sources = _lesson_sources(files, config, lesson_settings(self.options))
        self.build = build = SiteBuild.assemble(
            sources, self.options, cache=self._cache,
            existing={f.src_uri: f.url for f in files},
            use_directory_urls=config.use_directory_urls, similar_alongside=True)
        self._report(build.problems, build.notes, config)
        for file in lessons:
            if file.src_uri in build.rejected:
                files.remove(file)
            else:
                file.inclusion = InclusionLevel.NOT_IN_NAV
        for page in build.pages:
            files.append(File.generated(config, page.src_uri, content="", inclusion=(
                InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV)))
        build.bind({f.src_uri: f.url for f in files})
        serve = self._serve
        if serve is not None:
            build.use_page_cache(serve.pages, serve_session.environment(config, files, lessons))
        build.start_search(config.site_dir, dirty=self._dirty,
                           carry=serve.search if serve is not None else None)
        return files

    def _report(self, problems: list[Problem], notes: list[str], config: MkDocsConfig) -> None:
        """Errors fail `--strict`; warnings only with the strict_warnings option."""
        for problem in problems:
            if problem.is_error:
                log.error(problem.format())
            elif self.options.strict_warnings:
                log.warning(problem.format())
            else:
                log.info(problem.format())
        for note in notes:
            log.warning(f"lessonbook: {note}")
        errors = sum(p.is_error for p in problems)
        if errors:
            log.info(f"{errors} error(s) in lessons; files with errors are left out of the site"
                     + ("" if config.strict else "; `mkdocs build --strict` fails on them"))

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        source = self.build.page_source(page.file.src_uri, markdown) if self.build else None
        if source is None:
            return markdown
        if source.meta is not None:
            page.meta = source.meta
        return source.markdown

    def on_page_content(self, content: str, *, page: Page, config: MkDocsConfig, files: Files
                        ) -> str:
        if self.build is None:
            return content
        content = self.build.page_content(page.file.src_uri, content, page.url,
                                          config.theme.get("language") or "en")
        page.toc = self.build.page_toc(page.file.src_uri, page.toc)  # type: ignore[assignment]
        return content

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files
               ) -> jinja2.Environment:
        """Autoescape every lessonbook/* template (ours or a user's override), macros included;
        Material's own templates keep MkDocs' setting. Every page's Markdown is converted by
        now, so the search index is written while the templates render."""
        if self.build is not None:
            self.build.rendering_started()
        previous = env.autoescape

        def autoescape(name: str | None) -> bool:
            if name is not None and name.startswith("lessonbook/"):
                return True
            return bool(previous(name) if callable(previous) else previous)

        env.autoescape = autoescape
        # The templates do not change during a build: do not stat each one again at every
        # include (tens of thousands per build). `mkdocs serve` makes a new environment for
        # every rebuild, so edited templates are still read.
        env.auto_reload = False
        nav_cache.install(env, self._nav, _material_templates())
        self._header_box = _header_box(env, config, files, self.options)
        if self._serve is not None:
            env.bytecode_cache = self._serve.compiled
        return env

    def on_page_context(self, context: dict[str, Any], *, page: Page, config: MkDocsConfig,
                        nav: Any) -> dict[str, Any]:
        if self.build is None:
            return context
        context.update(self.build.page_context(page.file.src_uri))
        sections = self.build.page_sections(page.file.src_uri)
        if sections is not None:  # Material builds the TOC from the Markdown alone
            before, after = sections
            page.toc = TableOfContents([*_anchors(before), *page.toc, *_anchors(after)])
        return context

    @event_priority(100)  # the page as rendered, before other plugins post-process it
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Every page's <head> advertises the feed (a user's template overrides keep it)."""
        if self.build is None:
            return output
        self.build.page_rendered(page.file.src_uri, output)
        output = insert_header_search(output, self._header_box)
        if "</head>" not in output:
            return output
        links = self.build.head_links(page.url, config.site_url, config.site_name)
        return output.replace("</head>", f"  {links}\n  </head>", 1)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.build is not None:
            for level, message in self.build.finish(config.site_dir, site_url=config.site_url,
                                                    site_name=config.site_name,
                                                    report=_log):
                _log(level, message)

    def on_build_error(self, *, error: Exception) -> None:
        if self.build is not None:
            self.build.abort()


def _lesson_sources(files: Files, config: MkDocsConfig, settings: Settings
                    ) -> tuple[list[File], list[Source]]:
    """The lesson files and their sources. Files the core's link check leaves out (under a
    folder link that loops, links to nothing, lessons linked from outside docs_dir) are
    removed, so MkDocs never reads or copies them; their problems come back as sources."""
    found = [f for f in files if f.generated_by is None and f.abs_src_path]
    bad_links, skip = check_links(config.docs_dir, [f.src_uri for f in found], settings)
    for file in found:
        if file.src_uri in skip:
            files.remove(file)
    lessons = [f for f in files.documentation_pages()
               if f.generated_by is None and is_lesson_path(f.src_uri, settings)]
    return lessons, [*bad_links, *(_source(f) for f in lessons)]


def _source(file: File) -> Source:
    try:
        return Source(file.src_uri, file.content_bytes)
    except OSError as exc:
        return Source(file.src_uri, None, exc.strerror or str(exc))


def _material_templates() -> str | None:
    spec = importlib.util.find_spec("material")
    if spec is None or spec.origin is None:
        return None
    return str(Path(spec.origin).parent / "templates")


def _header_box(env: jinja2.Environment, config: MkDocsConfig, files: Files, options: Options
                ) -> str:
    """The header search box on the Pagefind index (site/header_search.py), or "" when the site
    has no Explore page or keeps Material's own search plugin."""
    explore = files.get_file_from_path("explore.md")
    if not options.search.enabled or explore is None:
        return ""
    if material_search_in(list(config.plugins)):
        log.info("Material's `search` plugin is configured, so the header keeps "
                 "Material's search box and its lunr index, which every reader who searches "
                 "downloads whole (about 5 KB per lesson: 15 MB at 3,000 lessons). Remove "
                 "`- search` from plugins: for the header box on Lessonbook's Pagefind index.")
        return ""
    return env.get_template("lessonbook/header-search.html").render(
        config=config, explore_url=explore.url)


def _log(level: str, message: str) -> None:
    getattr(log, level)(message)


def _anchors(sections: list[Any]) -> list[AnchorLink]:
    return [AnchorLink(html.escape(s.title), s.id, 2) for s in sections if s.id]
