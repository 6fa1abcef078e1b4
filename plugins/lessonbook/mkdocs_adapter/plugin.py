"""MkDocs events → Lessonbook core. Every decision lives in the core; this file only wires it in.

Order (see MkDocs' build): on_config adds our templates and CSS; on_files reads every lesson once,
validates the whole knowledge base, takes lessons out of the nav and adds the generated pages;
on_page_markdown hands MkDocs our parse of each lesson (one parse path); on_page_context gives
templates their data; on_post_build writes the JSON exports.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from ..analysis import registry as lb_registry
from ..analysis.lint import lint_lessons
from ..analysis.similarity import SimilarityIndex
from ..analysis.taxonomy import Taxonomy
from ..analysis.timing import PhaseTimer
from ..load.knowledge_base import KnowledgeBase, is_lesson_path
from ..load.parsing import SourceDocument
from ..model.lesson import Lesson
from ..model.problems import Problem, sort_problems
from ..site import exports as export
from ..site import pagefind_index, pagefind_live
from ..site.pages import GeneratedPage, page_url, plan_pages
from ..site.search import explore_page, material_search_text, search_document, search_view
from ..site.views import SiteView
from .config import LessonbookConfig

log = get_plugin_logger(__name__)
THEME_DIR = Path(__file__).resolve().parent.parent / "theme"
CSS = "lessonbook/assets/lessonbook.css"
REGISTRY_CSS = "lessonbook/assets/registry.css"
EXPLORE_ASSETS = ("lessonbook/assets/explore.css", "lessonbook/assets/explore.js")
_LEADING_H1 = re.compile(r"\A\s*#\s+[^\n]*\n?|\A\s*[^\n]+\n=+[ \t]*\n")


class LessonbookPlugin(BasePlugin[LessonbookConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self._parse_cache: dict[str, tuple[str, SourceDocument]] = {}
        self.kb: KnowledgeBase | None = None
        self.view: SiteView | None = None
        self._lessons_by_src: dict[str, Lesson] = {}
        self._generated: dict[str, GeneratedPage] = {}
        self._urls: dict[str, str] = {}
        self.registry: lb_registry.Registry | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defined so MkDocs keeps this plugin (and its parse cache) across serve rebuilds."""
        self._dirty = dirty  # a dirty build renders only changed pages: index with the CLI

    # --- configuration ---------------------------------------------------------------------
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # Appended, so a theme custom_dir (earlier in the list) overrides our templates.
        if str(THEME_DIR) not in config.theme.dirs:
            config.theme.dirs.append(str(THEME_DIR))
        if CSS not in config.extra_css:
            config.extra_css.append(CSS)
        if REGISTRY_CSS not in config.extra_css:
            config.extra_css.append(REGISTRY_CSS)
        if self.config.search.enabled:
            css, js = EXPLORE_ASSETS
            if css not in config.extra_css:
                config.extra_css.append(css)
            if js not in [str(x) for x in config.extra_javascript]:
                config.extra_javascript.append(js)
        self.settings = self.config.to_settings()
        self.timer = PhaseTimer()  # timings: one per build (serve rebuilds included)
        return config

    # --- the knowledge base ----------------------------------------------------------------
    @event_priority(-50)  # after plugins that add or remove files
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        lesson_files = [f for f in files.documentation_pages()
                        if f.generated_by is None and is_lesson_path(f.src_uri, self.settings)]
        sources = []
        for file in lesson_files:
            try:
                sources.append((file.src_uri, file.content_bytes))
            except OSError as exc:
                raise PluginError(f"lessonbook: cannot read {file.src_uri}: {exc}") from exc
        kb = KnowledgeBase.from_sources(sources, self.settings, parse_cache=self._parse_cache,
                                        timer=self.timer)
        self.timer.start("registry")  # timings
        registry = lb_registry.build_registry(kb, self._build_date())
        self.timer.stop("registry", len(kb.lessons))  # timings
        self.registry = registry
        self.timer.start("lint")  # timings
        lint = lint_lessons(kb.lessons, self.config.to_lint_options(),
                            {team for lesson in kb.lessons for team in lesson.teams})
        self.timer.stop("lint", len(kb.lessons) if self.config.lint else 0)  # timings
        self._report(sort_problems([*kb.problems, *registry.problems, *lint]), config)
        rejected = set(kb.rejected)
        for file in lesson_files:
            if file.src_uri in rejected:
                files.remove(file)
            else:
                file.inclusion = InclusionLevel.NOT_IN_NAV
        self.kb = kb
        by_src = {f.src_uri: f for f in files}
        self._lessons_by_src = {x.path: x for x in kb.lessons}
        self._urls = {x.id: by_src[x.path].url for x in kb.lessons}
        taxonomy = Taxonomy(kb.lessons, self.settings)
        self._generated = {}
        planned_pages = plan_pages(kb, taxonomy)
        if self.config.search.enabled:
            planned_pages.append(explore_page(kb, taxonomy, self.settings,
                                              self.config.search.results_per_page))
        planned_pages.extend(lb_registry.plan_registry_pages())
        taken = {f.url: f.src_uri for f in files}
        for planned in planned_pages:
            if planned.src_uri in by_src:
                continue  # the user wrote this page: theirs wins
            url = page_url(planned.src_uri, config.use_directory_urls)
            if url in taken:
                log.warning(f"lessonbook: page {planned.src_uri} is not generated because "
                            f"{taken[url]} already has its URL")
                continue
            file = File.generated(config, planned.src_uri, content="",
                                  inclusion=InclusionLevel.INCLUDED if planned.in_nav
                                  else InclusionLevel.NOT_IN_NAV)
            files.append(file)
            self._generated[planned.src_uri] = planned
        term_urls = {}
        for term in taxonomy.all_pages():
            found = files.get_file_from_path(term.src_uri)
            if found is not None:
                term_urls[(term.dimension.key, term.value)] = found.url
        self.view = SiteView(kb, taxonomy, lambda lesson: self._urls[lesson.id], term_urls,
                             home_newest=self.config.home_newest)
        self.timer.start("similarity")  # timings
        self.similar = SimilarityIndex(kb.lessons, self.config.similar.to_settings())
        self.timer.stop("similarity", len(self.similar.lessons))  # timings
        self.view.similar = self.similar
        if self.config.search.enabled:
            self.view.search = search_view()
        self._pagefind: pagefind_live.LiveIndex | None = None
        if (self.config.search.enabled and self.config.search.pagefind
                and not getattr(self, "_dirty", False)):
            self._pagefind, why = pagefind_live.LiveIndex.start(config.site_dir)
            if self._pagefind is None:
                log.debug(f"search: {why}; the pagefind CLI will run after the build")
        self.view.build_date = registry.build_date
        registry_urls = {}
        for planned in lb_registry.plan_registry_pages():
            if planned.src_uri in self._generated:
                registry_urls[planned.src_uri] = files.get_file_from_path(planned.src_uri).url
        self.view.registry = lb_registry.RegistryView(
            registry, lambda lesson: self._urls[lesson.id], registry_urls)
        self.timer.start("markdown (MkDocs)")  # timings: until on_env
        return files

    def _build_date(self) -> dt.date:
        """The date overdue follow-ups are judged against: the build_date option, or today."""
        if not self.config.build_date:
            return dt.date.today()
        try:
            return dt.date.fromisoformat(self.config.build_date)
        except ValueError as exc:
            raise PluginError(f"lessonbook: build_date {self.config.build_date!r} is not an "
                              "ISO date like 2025-03-14") from exc

    def _report(self, problems: list[Problem], config: MkDocsConfig) -> None:
        for problem in problems:
            text = problem.format()
            if problem.is_error:
                log.error(text)
            elif self.config.strict_warnings:
                log.warning(text)
            else:
                log.info(text)
        errors = sum(p.is_error for p in problems)
        if errors:
            log.info(f"{errors} error(s) in lessons; files with errors are left out of the site"
                     + ("" if config.strict else "; `mkdocs build --strict` fails on them"))

    # --- pages -----------------------------------------------------------------------------
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        lesson = self._lessons_by_src.get(page.file.src_uri)
        if lesson is not None:
            page.meta = _page_meta(lesson)
            return _LEADING_H1.sub("", lesson.body, count=1)
        planned = self._generated.get(page.file.src_uri)
        if planned is not None:
            page.meta = {"title": html.escape(planned.title), "template": planned.template}
            return ""
        return markdown

    def on_page_content(self, content: str, *, page: Page, config: MkDocsConfig, files: Files
                        ) -> str:
        """Hand the lesson's search document to the Pagefind service indexing alongside the
        build (pagefind_live.py), then — before Material's search reads page.content in
        on_page_context — add the front-matter words as hidden text so the header search
        finds lessons by them too."""
        lesson = self._lessons_by_src.get(page.file.src_uri)
        if lesson is None:
            return content
        live = getattr(self, "_pagefind", None)
        if live is not None:
            self.timer.start("search indexing")  # timings
            url = "/" + page.url
            live.add(search_document(lesson, content, self._urls[lesson.id],
                                     config.theme.get("language") or "en"), url)
            self.timer.stop("search indexing", 1)  # timings
        if not (self.config.search.enabled and self.config.search.material_terms):
            return content
        return material_search_text(lesson) + content

    def on_page_context(self, context: dict[str, Any], *, page: Page, config: MkDocsConfig,
                        nav: Any) -> dict[str, Any]:
        context["lessonbook"] = self.view
        lesson = self._lessons_by_src.get(page.file.src_uri)
        if lesson is not None:
            context["lesson"] = lesson
            before, after = self.view.lesson_sections(lesson)
            page.toc = TableOfContents([*(AnchorLink(html.escape(h.title), h.id, 2)
                                          for h in before), *page.toc,
                                        *(AnchorLink(html.escape(h.title), h.id, 2)
                                          for h in after)])
        planned = self._generated.get(page.file.src_uri)
        if planned is not None:
            context.update(planned.data)
        return context

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files
               ) -> jinja2.Environment:
        """Autoescape every lessonbook/* template (ours or a user's override), macros included;
        Material's own templates keep MkDocs' setting. Every page's Markdown is converted by
        now, so Pagefind starts writing its index while the templates render."""
        self.timer.stop("markdown (MkDocs)", len(self._lessons_by_src))  # timings
        self.timer.start("page rendering")  # timings: until on_post_build
        live = getattr(self, "_pagefind", None)
        if live is not None:
            live.write()
        previous = env.autoescape

        def autoescape(name: str | None) -> bool:
            if name is not None and name.startswith("lessonbook/"):
                return True
            return bool(previous(name) if callable(previous) else previous)

        env.autoescape = autoescape
        return env

    def on_build_error(self, *, error: Exception) -> None:
        live, self._pagefind = getattr(self, "_pagefind", None), None
        if live is not None:
            live.abort()

    # --- exports ---------------------------------------------------------------------------
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self.timer.stop("page rendering", len(self._lessons_by_src))  # timings
        self.timer.start("search indexing")  # timings
        if self.config.search.enabled and self.config.search.pagefind and self.kb is not None:
            live, self._pagefind = getattr(self, "_pagefind", None), None
            result = live.finish() if live is not None else None
            if result is None or not result.ok:
                if result is not None:
                    log.info(f"search: {result.message}; running the pagefind CLI instead")
                result = pagefind_index.build_index(config.site_dir)
            if result.ok:
                log.info(result.message)
            else:
                log.warning(f"search: {result.message}")
        self.timer.stop("search indexing")  # timings
        if not self.config.export or self.kb is None:
            self._log_timings()  # timings
            return
        self.timer.start("exports")  # timings
        similar = getattr(self, "similar", None)
        document = export.lessons_document(self.kb.lessons, lambda x: self._urls[x.id],
                                           extra=similar.record if similar else None)
        target = Path(config.site_dir) / "api" / "lessons.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(export.dumps(document), encoding="utf-8")
        if self.registry is not None:
            url_of = lambda x: self._urls[x.id]  # noqa: E731
            for name, build in (("rules.json", lb_registry.rules_document),
                                ("checklists.json", lb_registry.checklists_document),
                                ("follow-ups.json", lb_registry.follow_ups_document)):
                (target.parent / name).write_text(
                    export.dumps(build(self.registry, url_of)), encoding="utf-8")
        self.timer.stop("exports", len(self.kb.lessons))  # timings
        self._log_timings()  # timings

    def _log_timings(self) -> None:
        """The phase table: at INFO with `timings: true`, else at DEBUG (--verbose)."""
        (log.info if self.config.timings else log.debug)(self.timer.table())


def _page_meta(lesson: Lesson) -> dict[str, Any]:
    """Page meta MkDocs and Material read. Titles are HTML-escaped because Material prints
    page titles unescaped (in <title>, the header and the nav)."""
    meta: dict[str, Any] = {k: v for k, v in lesson.meta.items()
                            if k in ("hide", "search", "icon", "comments")}
    meta["title"] = html.escape(lesson.title)
    meta["template"] = lesson.meta.get("template") or "lessonbook/lesson.html"
    if lesson.summary:
        meta["description"] = html.escape(lesson.summary)  # printed into an attribute
    return meta


