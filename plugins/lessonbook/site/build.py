"""One build of the site, assembled once: what every page shows, decided in the core.

An adapter (the MkDocs plugin today) translates its generator's objects into calls here:

1. :meth:`SiteBuild.plan` — the plan of generated pages for an analysed knowledge base (the
   pipeline, ``lessonbook.pipeline.Run.build``, analyses first), given the pages the user
   wrote (theirs win, said in :attr:`SiteBuild.overrides`; a generated page whose URL another
   file takes is skipped with a note). A lesson never takes a generated page's URL: the file
   selection refuses it (model/site_urls.py).
2. :meth:`SiteBuild.bind` — once every page has its URL: the view templates read.
3. per page: :meth:`page_source` (meta and Markdown), :meth:`page_content` (search
   indexing), :meth:`page_context` (template data) and :meth:`page_sections` (the table of
   contents of a lesson page).
4. :meth:`finish` — the search index and the exports written; or :meth:`abort`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..analysis.analyse import Analysis
from ..analysis.audience import left_out_attachments, unlink_hidden
from ..analysis.review import due_items
from ..model.fields import LESSON_TEMPLATE
from ..model.lesson import Lesson
from ..model.options import Options
from ..model.problems import Problem
from ..speed.timing import PhaseTimer
from . import exports, feed
from .digests import digest_pages
from .dossier import SERVICE, dossier_page, services_by_incidents
from .explore import explore_page
from .glossary import build_glossary, glossary_page
from .insights import plan_insights_pages, plan_term_summaries
from .page_cache import CACHED_TEMPLATE, PageCache, site_key
from .page_replay import PageReplay
from .pagefind_parts import plan_parts
from .pages import HOME, GeneratedPage, page_url, plan_pages
from .registry_pages import RegistryView, plan_registry_pages
from .search import SearchView, material_search_text, neutralise_pagefind, unindexed_permalinks
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
    """Pages not generated, and why (another file has the URL): warnings."""
    overrides: list[str] = field(default_factory=list)
    """Generated pages the user replaced with a page of the same name (``index.md``, say):
    deliberate, so said at INFO level, never silently."""
    view: SiteView | None = None
    search: SearchIndexing | None = None
    timer: PhaseTimer = field(default_factory=PhaseTimer)
    """How long each phase took (logged by finish; `timings: true` logs it at INFO)."""
    alongside: SimilarityAlongside | None = None
    """The similar links, when a forked child computes them while pages are converted: waited
    for when rendering starts (pages show them from then on), stopped if the build fails."""
    replay: PageReplay = field(default_factory=PageReplay)
    """Lesson pages of the last build replayed (`mkdocs serve`), see :meth:`replay_pages`."""

    users_outputs: frozenset[str] = frozenset()
    """Export and feed paths the user's own files hold: theirs are published, ours not written
    (never overwritten unasked)."""

    def __post_init__(self) -> None:
        self._lessons = {x.path: x for x in self.analysis.kb.lessons}
        self._generated = {page.src_uri: page for page in self.pages}
        self._later_notes: list[str] = []
        """Said in the log at the end (after on_files has reported the notes)."""

    @classmethod
    def plan(cls, analysis: Analysis, *, existing: Mapping[str, str],
             use_directory_urls: bool = True, timer: PhaseTimer | None = None) -> SiteBuild:
        """Plan the generated pages of an analysed knowledge base. ``existing`` maps the
        src_uri of every page already on the site (the user's, and the lessons) to its URL.
        The pipeline (lessonbook.pipeline.Run.build) analyses and calls this."""
        taken = {url: src for src, url in existing.items()}
        pages, notes, overrides = [], start_here_notes(analysis), []
        for planned in plan_site_pages(analysis):
            if planned.src_uri in existing:  # the user wrote this page: theirs wins
                overrides.append(f"{planned.src_uri} is your own page: it is published instead "
                                 f"of the generated {planned.title!r} page")
                continue
            url = page_url(planned.src_uri, use_directory_urls)
            if url in taken:
                notes.append(f"page {planned.src_uri} is not generated because "
                             f"{taken[url]} already has its URL")
                continue
            pages.append(planned)
        theirs = [name for name in output_names(analysis.options) if name in existing]
        overrides.extend(f"{name} is your own file: it is published instead of the generated "
                         "one" for name in theirs)
        build = cls(analysis, pages, notes, overrides, timer=timer or PhaseTimer())
        build.users_outputs = frozenset(theirs)
        return build

    # --- what the adapter asks -------------------------------------------------------------
    @property
    def problems(self) -> list[Problem]:
        return self.analysis.problems

    @property
    def rejected(self) -> set[str]:
        """Lesson files left out of the site: with errors, or above the audience."""
        return set(self.analysis.kb.rejected) | set(self.analysis.hidden)

    def attachments_left_out(self, texts: Mapping[str, str], attachments: Collection[str]
                             ) -> set[str]:
        """The attachments (files that are not pages) to leave out of the site: those that only
        files left out of it (:attr:`rejected`) refer to. ``texts``: the text of every page the
        site's files hold, by docs-relative path, left-out ones included."""
        left = self.rejected
        if not left:
            return set()
        return left_out_attachments({p: t for p, t in texts.items() if p in left},
                                    {p: t for p, t in texts.items() if p not in left},
                                    attachments)

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
                     carry: SearchCarry | None = None, worker: bool = True) -> None:
        """Index lessons alongside the build (or, when that cannot run, after it); ``carry``
        (`mkdocs serve`) keeps the index between builds; ``worker``: the parts written by a
        worker process (Speed.search_worker)."""
        search = self.analysis.options.search
        if search.enabled and search.pagefind:
            self.search = SearchIndexing(site_dir, live=not dirty, carry=carry, parts=plan_parts(
                self.analysis.kb.lessons, search.pages_per_part), join=search.join_parts,
                worker=worker)
        self.timer.start("markdown (MkDocs)")  # until every page is converted

    def replay_pages(self, cache: PageCache, environment: str) -> None:
        """Replay the lesson pages whose inputs did not change since the cache's last build,
        and keep the others once rendered (page_cache.py says what a page's key covers;
        ``environment`` stands for the generator's configuration and the user's other files).
        Called once every URL is known, before any page is converted."""
        a = self.analysis
        site = site_key(a.kb.lessons, [(p.src_uri, p.title) for p in self.pages],
                        (a.options, sorted(a.hidden)), a.build_date, environment)
        self.replay = PageReplay(cache, site, self._lessons,
                                 lambda lesson: a.similar.similar(lesson.id))

    # --- per page ----------------------------------------------------------------------------
    def page_source(self, src_uri: str, markdown: str) -> PageSource | None:
        """Our meta and Markdown for a lesson or a generated page; for the user's own pages only
        their Markdown, when it links to lessons left out for the audience (None: unchanged).
        A lesson's body comes from the one parse path, never from the generator's reading."""
        lesson = self._lessons.get(src_uri)
        if lesson is not None:
            if self.replay.stored(src_uri):  # nothing to convert: the stored page is rendered
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
        replay = self.replay.stored(src_uri)
        if replay is not None:
            body_html = replay.body_html()
        else:
            body_html = neutralise_pagefind(body_html)  # a body cannot steer its search record
            body_html = unindexed_permalinks(body_html)
            self.replay.converted(src_uri, body_html)
        if self.search is not None:
            with self.timer.phase("search indexing", 1):
                self.search.add(lesson, body_html, url, lang)
        search = self.analysis.options.search
        if not (search.enabled and search.material_terms):
            return body_html
        return material_search_text(lesson) + body_html

    def page_toc(self, src_uri: str, toc: object) -> object:
        """The table of contents of a page's converted body (the stored one for a replayed
        page, whose Markdown was not converted)."""
        return self.replay.toc(src_uri, toc)

    def page_rendered(self, src_uri: str, output: str) -> None:
        """A page's HTML as its template rendered it (before any post-processing)."""
        self.replay.rendered(src_uri, output)

    def page_context(self, src_uri: str) -> dict[str, Any]:
        """Template variables: ``lessonbook`` (the view) everywhere, ``lesson`` and
        ``sections`` on lesson pages, a generated page's own data on it."""
        context: dict[str, Any] = {"lessonbook": self.view}
        replay = self.replay.stored(src_uri)
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
        similar = self.alongside
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
            files, notes = self.output_files(site_url=site_url, site_name=site_name)
            for name, text in files.items():
                target = Path(site_dir) / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
            log.extend(notes)
        replayed = self.replay.summary()
        if replayed is not None:
            log.append(("info", replayed))
        log.extend(("info", note) for note in self._later_notes)
        log.append(("info" if self.analysis.options.timings else "debug", self.timer.table()))
        return log

    def output_files(self, *, site_url: str | None = None, site_name: str = "Lessons"
                     ) -> tuple[dict[str, str], list[tuple[str, str]]]:
        """The files a site carries beside its pages, by site-relative path: the exports
        (api/*.json, when the option is on) and feed.xml; and (level, message) notes. The
        plugin writes them into the built site, `lessonbook generate` into its docs folder."""
        a, view = self.analysis, self.view
        if view is None:
            return {}, []
        files = exports.export_files(a, view.url) if a.options.export else {}
        rule_url = (view.registry.rule_url if view.registry is not None
                    else lambda rule_id: None)
        entries = feed.feed_entries(a, view.url, rule_url, a.options.feed_entries)
        files[feed.FEED] = feed.atom_feed(entries, site_name=site_name, site_url=site_url,
                                          updated=a.build_date, undated=feed.undated(a))
        for name in self.users_outputs:
            files.pop(name, None)
        if site_url or feed.FEED in self.users_outputs:
            return files, []
        level = "warning" if a.options.strict_warnings else "info"
        return files, [(level, "feed.xml: site_url is not set in mkdocs.yml, so the "
                        "feed's links are relative to the site root and most feed readers will "
                        "not follow them; set site_url to the address the site is published at")]

    def abort(self) -> None:
        if self.alongside is not None:
            self.alongside.abort()
        search, self.search = self.search, None
        if search is not None:
            search.abort()


def output_names(options: Options) -> list[str]:
    """The files :meth:`SiteBuild.output_files` writes beside the pages, by site-relative path."""
    return [*(exports.export_names(options) if options.export else ()), feed.FEED]


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
