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
import os
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils import markdown_extensions

from ..load.selection import selection_problems
from ..load.sources import Source, check_links, is_lesson_path, refusal
from ..model.options import Options
from ..model.problems import Problem
from ..model.text import for_terminal
from ..model.vocabulary import Settings
from ..pipeline import Run, Session
from ..site.build import THEME_DIR, SiteBuild, theme_assets
from ..site.header_search import insert_header_search, material_search_in
from ..speed.timing import TABLE_TITLE
from . import nav_cache, serve_session
from .config import LessonbookConfig
from .serve_session import CompiledTemplates

log = get_plugin_logger(__name__)


class LessonbookPlugin(BasePlugin[LessonbookConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.session = Session()
        self._compiled: CompiledTemplates | None = None
        self._dirty = False
        self._nav = nav_cache.NavCache()
        self.run: Run | None = None
        self._header_box = ""
        self.build: SiteBuild | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defined so MkDocs keeps this plugin (and its caches) across serve rebuilds."""
        self._dirty = dirty  # a dirty build renders only changed pages: index with the CLI
        self.on_shutdown()
        self.session = Session.for_build(command, dirty)
        if command == "serve" and not dirty:
            self._compiled = CompiledTemplates()

    def on_shutdown(self) -> None:
        """The serve session's caches go (MkDocs may reuse this instance for another build)."""
        self.session.close()
        self.session = Session()
        self._compiled = None

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """MkDocs empties the site folder next: stop writing the last build's index to it."""
        if self.session.search is not None:
            self.session.search.cancel()

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
        self.run = run = Run(
            self.options, session=self.session,
            template_dir=Path(config.config_file_path or ".").parent / "templates")
        _check_selection(files, config, run.settings)
        lessons, sources = _lesson_sources(files, config, run.settings)
        self.build = build = run.build(sources, existing={f.src_uri: f.url for f in files},
                                       use_directory_urls=config.use_directory_urls)
        self._report(build.problems, build.notes, config)
        for file in lessons:
            if file.src_uri in build.rejected:
                files.remove(file)
            else:
                file.inclusion = InclusionLevel.NOT_IN_NAV
        _leave_out_attachments(build, files, sources, config)
        for page in build.pages:
            files.append(File.generated(config, page.src_uri, content="", inclusion=(
                InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV)))
        build.bind({f.src_uri: f.url for f in files})
        if self.session.pages is not None:
            run.replay_pages(build, serve_session.environment(config, files, lessons))
        build.start_search(config.site_dir, dirty=self._dirty, carry=self.session.search,
                           worker=run.speed.search_worker)
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
            log.warning(for_terminal(note))  # the plugin's logger says "lessonbook: "
        for note in self.build.overrides if self.build is not None else ():
            log.info(for_terminal(note))
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
        if self.run is None or self.run.speed.nav_cache:
            nav_cache.install(env, self._nav, _material_templates())
        self._header_box = _header_box(env, config, files, self.options)
        if self._compiled is not None:
            env.bytecode_cache = self._compiled
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
    removed, so MkDocs never reads or copies them; so are the files the core refuses (a
    lesson at a generated page's URL; any other file, page or static, whose front-matter has
    lesson fields). Their problems come back as sources. Which files are pages is MkDocs'
    own answer (``markdown_extensions``), handed to the core."""
    pages = tuple(markdown_extensions)
    found = [f for f in files if f.generated_by is None and f.abs_src_path]
    bad_links, skip = check_links(config.docs_dir, [f.src_uri for f in found], settings)
    refused: list[Source] = []
    for file in found:
        if file.src_uri in skip:
            files.remove(file)
        elif not file.inclusion.is_excluded() and _in_docs(file, config):
            lesson = file.is_documentation_page() and is_lesson_path(file.src_uri, settings,
                                                                      pages)
            problem = refusal(config.docs_dir, file.src_uri, lesson, settings, pages)
            if problem is not None:
                files.remove(file)
                refused.append(problem)
    lessons = [f for f in files.documentation_pages()
               if f.generated_by is None and is_lesson_path(f.src_uri, settings, pages)]
    return lessons, [*bad_links, *refused, *(_source(f) for f in lessons)]


def _leave_out_attachments(build: SiteBuild, files: Files, sources: list[Source],
                           config: MkDocsConfig) -> None:
    """Remove the attachments only left-out files refer to (SiteBuild decides which)."""
    if not build.rejected:
        return
    texts = {s.path: _text(s.raw if s.raw is not None else _read(config.docs_dir, s.path))
             for s in sources}
    attachments: dict[str, File] = {}
    for file in files:
        if file.generated_by is not None or not _in_docs(file, config):
            continue  # the theme's assets are no lesson's attachments
        if not file.is_documentation_page():
            attachments[file.src_uri] = file
        if (file.is_documentation_page() or file.is_static_page()) and file.src_uri not in texts:
            texts[file.src_uri] = _text(_read(config.docs_dir, file.src_uri))
    for path in sorted(build.attachments_left_out(texts, attachments)):
        files.remove(attachments[path])
        log.info(for_terminal(f"{path} is left out with the lessons that refer to it"))


def _in_docs(file: File, config: MkDocsConfig) -> bool:
    """Whether a file is the docs folder's own (not the theme's, not another plugin's)."""
    return bool(file.abs_src_path) and os.path.normpath(file.abs_src_path) == os.path.normpath(
        os.path.join(config.docs_dir, file.src_uri))


def _read(docs_dir: str, path: str) -> bytes:
    try:
        with open(Path(docs_dir) / path, "rb") as stream:
            return stream.read(4 * 1024 * 1024)
    except OSError:
        return b""


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def _check_selection(files: Files, config: MkDocsConfig, settings: Settings) -> None:
    """Options that select nothing are warnings (``--strict`` fails on them). Asked before any
    file is removed; files outside the selection with lesson front-matter are then refused
    one by one (_lesson_sources)."""
    extensions = tuple(markdown_extensions)
    pages = [f.src_uri for f in files.documentation_pages() if f.generated_by is None]
    chosen = [p for p in pages if is_lesson_path(p, settings, extensions)]
    for problem in selection_problems(config.config_file_path or "mkdocs.yml", config.docs_dir,
                                      settings, pages, chosen):
        log.warning(problem.format())


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
    """Every message of the build is one log line, whatever paths or titles it holds
    (model/text.py), except the timings table, which is ours alone."""
    lines = message.split("\n") if message.startswith(TABLE_TITLE) else [message]
    getattr(log, level)("\n".join(map(for_terminal, lines)))


def _anchors(sections: list[Any]) -> list[AnchorLink]:
    return [AnchorLink(html.escape(s.title), s.id, 2) for s in sections if s.id]
