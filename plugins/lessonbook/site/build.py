"""One build of the site, assembled once: what every page shows, decided in the core.

An adapter (the MkDocs plugin today) translates its generator's objects into calls here:

1. :meth:`SiteBuild.assemble` — the analysed knowledge base and the plan of generated pages,
   given the pages the user wrote (theirs win; a generated page whose URL is taken is skipped
   with a note).
2. :meth:`SiteBuild.bind` — once every page has its URL: the view templates read.
3. per page: :meth:`page_source` (meta and Markdown), :meth:`page_content` (search
   indexing), :meth:`page_context` (template data) and :meth:`page_sections` (the table of
   contents of a lesson page).
4. :meth:`finish` — the search index and the exports written; or :meth:`abort`.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..analysis.analyse import Analysis, analyse
from ..analysis.audience import unlink_hidden
from ..analysis.review import due_items
from ..analysis.timing import PhaseTimer
from ..load.knowledge_base import ReadCache
from ..load.parsing import SourceDocument
from ..load.sources import Source
from ..model.fields import LESSON_TEMPLATE
from ..model.lesson import Lesson
from ..model.options import Options
from ..model.problems import Problem
from . import exports, feed
from .digests import digest_pages
from .dossier import SERVICE, dossier_page, services_by_incidents
from .explore import explore_page
from .glossary import build_glossary, glossary_page
from .insights import plan_insights_pages, plan_term_summaries
from .page_cache import CACHED_TEMPLATE, CachedPage, PageCache, lesson_key, site_key
from .pagefind_parts import plan_parts
from .pages import HOME, GeneratedPage, page_url, plan_pages
from .registry_pages import RegistryView, plan_registry_pages
from .search import SearchView, material_search_text, neutralise_pagefind
from .search_indexing import SearchCarry, SearchIndexing
from .start_here import start_here_notes, start_here_page
from .views import Section, SiteView

if TYPE_CHECKING:
    from ..analysis.similarity_alongside import SimilarityAlongside

THEME_DIR = Path(__file__).resolve().parent.parent / "theme"
"""Templates and assets; appended after a user's theme folder so theirs override ours."""

_LEADING_H1 = re.compile(r"\A\s*#\s+[^\n]*\n?|\A\s*[^\n]+\n=+[ \t]*\n")
_PAGE_META_KEYS = ("hide", "search", "icon", "comments")
"""Front-matter keys a lesson may pass to MkDocs and Material."""


def theme_assets(options: Options) -> tuple[list[str], list[str]]:
    """(CSS, JavaScript) files every page loads, relative to the theme folder."""
    css = ["lessonbook/assets/lessonbook.css", "lessonbook/assets/registry.css"]
    js = ["lessonbook/assets/lessonbook.js",  # copy buttons, tickable checklists, filters
          "lessonbook/assets/start-here.js"]
    if options.insights.enabled:
        css.append("lessonbook/assets/insights.css")
    if options.search.enabled:
        css += ["lessonbook/assets/explore.css", "lessonbook/assets/header-search.css"]
        js += ["lessonbook/assets/search-index.js",  # before its two users
               "lessonbook/assets/explore.js", "lessonbook/assets/header-search.js"]
    return css, js


@dataclass
class PageSource:
    """What the site generator should render for a page: its meta and its Markdown."""

    meta: dict[str, Any] | None
    """None: keep the page's own meta."""
    markdown: str


@dataclass
class SiteBuild:
    analysis: Analysis
    pages: list[GeneratedPage]
    """Generated pages to add to the site."""
    notes: list[str] = field(default_factory=list)
    """Pages not generated, and why (a user's page has the URL)."""
    view: SiteView | None = None
    search: SearchIndexing | None = None
    timer: PhaseTimer = field(default_factory=PhaseTimer)
    """How long each phase took (logged by finish; `timings: true` logs it at INFO)."""
    page_cache: PageCache | None = None
    """Lesson pages of the last build (`mkdocs serve`), see :meth:`use_page_cache`."""

    def __post_init__(self) -> None:
        self._lessons = {x.path: x for x in self.analysis.kb.lessons}
        self._generated = {page.src_uri: page for page in self.pages}
        self._keys: dict[str, str] = {}
        self._replay: dict[str, CachedPage] = {}
        self._bodies: dict[str, str] = {}
        self._converted: dict[str, tuple[str, object]] = {}
        self._later_notes: list[str] = []
        """Said in the log at the end (after on_files has reported the notes)."""

    @classmethod
    def assemble(cls, sources: Iterable[Source | tuple[str, bytes]], options: Options, *,
                 existing: Mapping[str, str], use_directory_urls: bool = True,
                 build_date: dt.date | None = None,
                 parse_cache: dict[str, tuple[str, SourceDocument]] | None = None,
                 cache: ReadCache | None = None, similar_alongside: bool = False
                 ) -> SiteBuild:
        """Analyse the lessons and plan the generated pages. ``existing`` maps the src_uri of
        every page already on the site (the user's, and the lessons) to its URL.
        ``similar_alongside``: see analyse()."""
        timer = PhaseTimer()
        analysis = analyse(sources, options, build_date=build_date, parse_cache=parse_cache,
                           timer=timer, cache=cache, similar_alongside=similar_alongside)
        taken = {url: src for src, url in existing.items()}
        pages, notes = [], start_here_notes(analysis)
        for planned in plan_site_pages(analysis):
            if planned.src_uri in existing:
                continue  # the user wrote this page: theirs wins
            url = page_url(planned.src_uri, use_directory_urls)
            if url in taken:
                notes.append(f"page {planned.src_uri} is not generated because "
                             f"{taken[url]} already has its URL")
                continue
            pages.append(planned)
        return cls(analysis, pages, notes, timer=timer)

    # --- what the adapter asks -------------------------------------------------------------
    @property
    def problems(self) -> list[Problem]:
        return self.analysis.problems

    @property
    def rejected(self) -> set[str]:
        """Lesson files left out of the site: with errors, or above the audience."""
        return set(self.analysis.kb.rejected) | set(self.analysis.hidden)

    def is_lesson(self, src_uri: str) -> bool:
        return src_uri in self._lessons

    def bind(self, urls: Mapping[str, str]) -> SiteView:
        """The view templates read, once every page (``src_uri`` → URL) is known."""
        a = self.analysis
        lesson_urls = {x.id: urls[x.path] for x in a.kb.lessons}
        url_of = lambda lesson: lesson_urls[lesson.id]  # noqa: E731
        term_urls = {(t.dimension.key, t.value): urls[t.src_uri]
                     for t in a.taxonomy.all_pages() if t.src_uri in urls}
        registry_urls = {p.src_uri: urls[p.src_uri] for p in plan_registry_pages()
                         if p.src_uri in self._generated and p.src_uri in urls}
        self.view = SiteView(a.kb, a.taxonomy, url_of, term_urls, build_date=a.build_date,
                             home_newest=a.options.home_newest,
                             registry=RegistryView(a.registry, url_of, registry_urls),
                             similar=a.similar,
                             search=SearchView() if a.options.search.enabled else None,
                             glossary=build_glossary(a.options),
                             review_due=[x for x in due_items(a.kb, a.registry, a.build_date,
                                                              a.options.rule_review_days)
                                         if x.kind != "follow-up"],
                             page_urls={src: urls[src] for src in self._generated
                                        if src in urls})
        return self.view

    def start_search(self, site_dir: str | Path, *, dirty: bool,
                     carry: SearchCarry | None = None) -> None:
        """Index lessons alongside the build (or, when that cannot run, after it); ``carry``
        (`mkdocs serve`) keeps the index between builds."""
        search = self.analysis.options.search
        if search.enabled and search.pagefind:
            self.search = SearchIndexing(site_dir, live=not dirty, carry=carry, parts=plan_parts(
                self.analysis.kb.lessons, search.pages_per_part))
        self.timer.start("markdown (MkDocs)")  # until every page is converted

    def use_page_cache(self, cache: PageCache, environment: str) -> None:
        """Replay the lesson pages whose inputs did not change since the cache's last build,
        and keep the others once rendered (page_cache.py says what a page's key covers;
        ``environment`` stands for the generator's configuration and the user's other files).
        Called once every URL is known, before any page is converted."""
        a = self.analysis
        site = site_key(a.kb.lessons, [(p.src_uri, p.title) for p in self.pages],
                        (a.options, sorted(a.hidden)), a.build_date, environment)
        cache.forget_except(self._lessons)
        cache.replayed = cache.rendered = 0
        self.page_cache = cache
        for path, lesson in self._lessons.items():
            links = a.similar.similar(lesson.id) if a.similar is not None else []
            self._keys[path] = key = lesson_key(site, lesson, links)
            hit = cache.lookup(path, key)
            if hit is not None:
                self._replay[path] = hit

    # --- per page ----------------------------------------------------------------------------
    def page_source(self, src_uri: str, markdown: str) -> PageSource | None:
        """Our meta and Markdown for a lesson or a generated page; for the user's own pages only
        their Markdown, when it links to lessons left out for the audience (None: unchanged).
        A lesson's body comes from the one parse path, never from the generator's reading."""
        lesson = self._lessons.get(src_uri)
        if lesson is not None:
            if src_uri in self._replay:  # nothing to convert: the stored page is rendered
                return PageSource({**lesson_page_meta(lesson), "template": CACHED_TEMPLATE}, "")
            body = _LEADING_H1.sub("", lesson.body, count=1)
            return PageSource(lesson_page_meta(lesson), self._unlink(src_uri, body))
        planned = self._generated.get(src_uri)
        if planned is not None:
            return PageSource({"title": html.escape(planned.title),
                               "template": planned.template}, "")
        unlinked = self._unlink(src_uri, markdown)
        return None if unlinked == markdown else PageSource(None, unlinked)

    def _unlink(self, src_uri: str, markdown: str) -> str:
        hidden = self.analysis.hidden
        if not hidden:
            return markdown
        return unlink_hidden(markdown, src_uri, set(hidden), lambda path: hidden[path])

    def page_content(self, src_uri: str, body_html: str, url: str, lang: str) -> str:
        """A lesson's converted body: its own ``data-pagefind-*`` attributes made inert (on the
        page too, which the Pagefind CLI fallback indexes), handed to the search index, and
        given the hidden words Material's header search should find it by. Other pages pass
        through."""
        lesson = self._lessons.get(src_uri)
        if lesson is None:
            return body_html
        replay = self._replay.get(src_uri)
        if replay is not None:
            body_html = replay.body_html()
        else:
            body_html = neutralise_pagefind(body_html)  # a body cannot steer its search record
            if self.page_cache is not None:
                self._bodies[src_uri] = body_html
        if self.search is not None:
            with self.timer.phase("search indexing", 1):
                self.search.add(lesson, body_html, url, lang)
        search = self.analysis.options.search
        if not (search.enabled and search.material_terms):
            return body_html
        return material_search_text(lesson) + body_html

    def page_toc(self, src_uri: str, toc: object) -> object:
        """The table of contents of a page's converted body: the stored one for a replayed
        page (whose Markdown was not converted), else ``toc``, kept with the body for the
        page cache."""
        replay = self._replay.get(src_uri)
        if replay is not None:
            return replay.toc
        if self.page_cache is not None and src_uri in self._keys:
            self._converted[src_uri] = (self._bodies.pop(src_uri, ""), toc)
        return toc

    def page_rendered(self, src_uri: str, output: str) -> None:
        """A page's HTML as its template rendered it (before any post-processing): kept
        for the next build when it is a lesson page worth keeping."""
        cache = self.page_cache
        if cache is None or src_uri not in self._keys:
            return
        if src_uri in self._replay:
            cache.replayed += 1
            return
        converted = self._converted.pop(src_uri, None)
        if converted is not None:
            cache.store(src_uri, self._keys[src_uri], converted[0], converted[1], output)
            cache.rendered += 1

    def page_context(self, src_uri: str) -> dict[str, Any]:
        """Template variables: ``lessonbook`` (the view) everywhere, ``lesson`` and
        ``sections`` on lesson pages, a generated page's own data on it."""
        context: dict[str, Any] = {"lessonbook": self.view}
        replay = self._replay.get(src_uri)
        if replay is not None:
            context["lessonbook_cached_page"] = replay.page_html()
            return context
        lesson = self._lessons.get(src_uri)
        if lesson is not None and self.view is not None:
            context["lesson"] = lesson
            context["sections"] = self.view.lesson_sections(lesson)
        planned = self._generated.get(src_uri)
        if planned is not None:
            context.update(planned.context())
        return context

    def page_sections(self, src_uri: str) -> tuple[list[Section], list[Section]] | None:
        """The sections a lesson page adds before and after its body (for the table of
        contents), or None for other pages."""
        lesson = self._lessons.get(src_uri)
        if lesson is None or self.view is None:
            return None
        return self.view.lesson_sections(lesson)

    # --- the end -----------------------------------------------------------------------------
    def rendering_started(self) -> None:
        self.timer.stop("markdown (MkDocs)", len(self._lessons))
        similar = _alongside(self.analysis.similar)
        if similar is not None:  # pages need the links from here on
            with self.timer.phase("similarity"):
                similar.links()
            self.timer.add("similarity, alongside", similar.seconds, len(self._lessons),
                           alongside=True)
            if similar.failure:
                self._later_notes.append(f"similar links computed in the build itself: "
                                         f"{similar.failure}")
        self.timer.start("page rendering")
        if self.search is not None:
            self.search.rendering_started()

    def head_links(self, page_url: str, site_url: str | None, site_name: str) -> str:
        """HTML for every page's <head>: the Atom feed, advertised to browsers and readers."""
        href = feed.feed_href(page_url, site_url)
        return (f'<link rel="alternate" type="application/atom+xml" '
                f'title="{html.escape(site_name)}: new lessons and rule changes" '
                f'href="{html.escape(href)}">')

    def finish(self, site_dir: str | Path, *, site_url: str | None = None,
               site_name: str = "Lessons", report: Callable[[str, str], None] | None = None
               ) -> list[tuple[str, str]]:
        """Write the search index, the exports and feed.xml; (level, message) pairs to log.
        ``report(level, message)``: for news from a search index written in the background
        (`mkdocs serve`)."""
        log: list[tuple[str, str]] = []
        self.timer.stop("page rendering", len(self._lessons))
        search, self.search = self.search, None
        if search is not None:
            with self.timer.phase("search indexing"):
                result, note = search.finish(report)
            if note:
                log.append(("info", f"search: {note}"))
            log.append(("info", result.message) if result.ok
                       else ("warning", f"search: {result.message}"))
        with self.timer.phase("exports", len(self._lessons)):
            if self.analysis.options.export and self.view is not None:
                for name, text in exports.export_files(self.analysis, self.view.url).items():
                    target = Path(site_dir) / name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(text, encoding="utf-8")
            if self.view is not None:
                log.extend(self._write_feed(Path(site_dir), site_url, site_name))
        if self.page_cache is not None:
            log.append(("info", f"{self.page_cache.replayed} lesson page(s) unchanged since the "
                                f"last build reused, {self.page_cache.rendered} rendered"))
        log.extend(("info", note) for note in self._later_notes)
        log.append(("info" if self.analysis.options.timings else "debug", self.timer.table()))
        return log

    def _write_feed(self, site_dir: Path, site_url: str | None, site_name: str
                    ) -> list[tuple[str, str]]:
        a, view = self.analysis, self.view
        assert view is not None
        rule_url = (view.registry.rule_url if view.registry is not None
                    else lambda rule_id: None)
        entries = feed.feed_entries(a, view.url, rule_url, a.options.feed_entries)
        (site_dir / feed.FEED).write_text(
            feed.atom_feed(entries, site_name=site_name, site_url=site_url,
                           updated=a.build_date), encoding="utf-8")
        if site_url:
            return []
        level = "warning" if a.options.strict_warnings else "info"
        return [(level, "feed.xml: site_url is not set in mkdocs.yml, so the "
                 "feed's links are relative to the site root and most feed readers will not "
                 "follow them; set site_url to the address the site is published at")]

    def abort(self) -> None:
        similar = _alongside(self.analysis.similar)
        if similar is not None:
            similar.abort()
        search, self.search = self.search, None
        if search is not None:
            search.abort()


def _alongside(similar: object) -> SimilarityAlongside | None:
    """``similar`` when it is computed by another process. Imported only when there are links
    at all (numpy and scipy are loaded by then), so a build without them never loads them."""
    if similar is None:
        return None
    from ..analysis.similarity_alongside import SimilarityAlongside

    return similar if isinstance(similar, SimilarityAlongside) else None


def plan_site_pages(analysis: Analysis) -> list[GeneratedPage]:
    """Every page Lessonbook generates, in order: home, lists, taxonomy, Explore, registry,
    Insights and Recurring incidents."""
    pages = plan_pages(analysis.kb, analysis.taxonomy)
    for i, page in enumerate(pages):
        term = page.data.get("term")
        if term is not None and term.dimension.key == SERVICE:
            pages[i] = dossier_page(analysis, term)
        elif page.src_uri == HOME:
            page.data["services"] = services_by_incidents(analysis)
    search = analysis.options.search
    if search.enabled:
        pages.append(explore_page(analysis.kb, analysis.taxonomy, search.results_per_page))
    pages.extend(plan_registry_pages())
    pages.insert(1, start_here_page(analysis))
    pages.extend(digest_pages(analysis))
    pages.append(glossary_page(analysis.options))
    pages.extend(plan_insights_pages(analysis))
    plan_term_summaries(analysis, pages)
    return pages


def lesson_page_meta(lesson: Lesson) -> dict[str, Any]:
    """Page meta the generator and theme read. Titles are HTML-escaped because Material prints
    page titles unescaped (in <title>, the header and the nav)."""
    meta: dict[str, Any] = {k: v for k, v in lesson.meta.items() if k in _PAGE_META_KEYS}
    meta["title"] = html.escape(lesson.title)
    meta["template"] = LESSON_TEMPLATE  # validation accepts no other (override it instead)
    if lesson.summary:
        meta["description"] = html.escape(lesson.summary)  # printed into an attribute
    return meta
