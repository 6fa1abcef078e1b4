"""One run of Lessonbook over a knowledge base: check it, or build its site.

Every edge — the MkDocs plugin, `lessonbook check`, `due`, `review`, `generate` — makes a
:class:`Run` and calls it. The run owns *how* the work is done: the speed switches
(``speed.Speed``), the phase timer, the caches an edge keeps between runs (:class:`Session`),
and the choice of how similar links are computed. So the core's entry points take what a run
is *about* — the sources, the options and the build date — and adding an edge means calling
a run, not wiring caches.

Layers, each importing only those before it: model → speed → load → analysis → site →
pipeline → edges (cli, mkdocs_adapter).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .analysis.analyse import Analysis, analyse, lesson_settings, similar_settings
from .load.knowledge_base import ReadCache
from .load.sources import Source
from .model.options import Options
from .model.vocabulary import Settings
from .speed import PhaseTimer, Speed, Work

if TYPE_CHECKING:  # the site's modules are imported by a build only: `check` renders nothing
    from .analysis.similarity_alongside import SimilarityAlongside
    from .site.build import SiteBuild
    from .site.page_cache import PageCache
    from .site.search_indexing import SearchCarry


@dataclass
class Session:
    """What an edge keeps between runs over the same knowledge base. The plugin keeps one for
    its lifetime (one build, or every rebuild of a `mkdocs serve` session). A one-off
    `mkdocs build` keeps nothing (:meth:`for_build`): a cache nobody reads again would only
    cost a hash of every file, every parse held to the end, and the lint run as a second pass
    instead of where each file was read. Under serve: each file's parse, lesson and lint
    findings by content hash; and, unless the build is dirty, the words similarity scanned,
    the rendered lesson pages and the search index."""

    reads: ReadCache | None = None
    pages: PageCache | None = None
    search: SearchCarry | None = None

    @classmethod
    def for_build(cls, command: str, dirty: bool) -> Session:
        """The session an edge keeps for ``command`` (`build`, `serve`, `gh-deploy`)."""
        if command != "serve":
            return cls()
        return cls(ReadCache()) if dirty else cls.for_serve()

    @classmethod
    def for_serve(cls) -> Session:
        from .site.page_cache import PageCache
        from .site.search_indexing import SearchCarry

        return cls(ReadCache(words={}), PageCache(), SearchCarry())

    def close(self) -> None:
        if self.search is not None:
            self.search.close()


class Run:
    """One run: :meth:`check` (validate, register, lint) or :meth:`build` (that, then relate
    the lessons and plan the site)."""

    def __init__(self, options: Options | None = None, *, build_date: dt.date | None = None,
                 template_dir: Path | None = None, speed: Speed | None = None,
                 session: Session | None = None) -> None:
        self.options = options or Options()
        self.build_date = build_date
        self.template_dir = template_dir
        self.speed = speed or Speed.from_env()
        self.session = session
        reads = session.reads if session is not None and self.speed.reuse_reads else None
        self.work = Work(self.speed, PhaseTimer(), reads)

    @property
    def timer(self) -> PhaseTimer:
        return self.work.timer

    @cached_property
    def settings(self) -> Settings:
        """The vocabularies and file selection lessons are read with (derived once)."""
        return lesson_settings(self.options)

    def check(self, sources: Iterable[Source | tuple[str, bytes]], *,
              lint_paths: Collection[str] | None = None) -> Analysis:
        """Every lesson read, validated, registered and linted; similar links only when asked
        for (`Analysis.similar`)."""
        return analyse(sources, self.options, self.build_date, lint_paths=lint_paths,
                       template_dir=self.template_dir, work=self.work)

    def build(self, sources: Iterable[Source | tuple[str, bytes]], *,
              existing: Mapping[str, str], use_directory_urls: bool = True) -> SiteBuild:
        """The checked knowledge base related (similar links) and its site planned.
        ``existing``: src_uri → URL of every page already on the site."""
        from .site.build import SiteBuild

        analysis = self.check(sources)
        alongside = self.relate(analysis)
        build = SiteBuild.plan(analysis, existing=existing,
                               use_directory_urls=use_directory_urls, timer=self.timer)
        build.alongside = alongside
        return build

    def replay_pages(self, build: SiteBuild, environment: str) -> None:
        """Under `mkdocs serve` (and ``Speed.replay_pages``): replay unchanged lesson pages.
        Called once every URL is known."""
        if self.session is not None and self.session.pages is not None \
                and self.speed.replay_pages:
            build.replay_pages(self.session.pages, environment)

    def relate(self, analysis: Analysis) -> SimilarityAlongside | None:
        """Give a checked analysis its similar links, computed the way this run computes
        them — every way gives the same links: from the words a serve session keeps (only
        changed texts are scanned again); in a forked child while the generator converts
        Markdown (``Speed.similarity_alongside``); else here and now. Returns the child, which
        the build waits for when it renders."""
        from .analysis.similarity import SimilarityIndex
        from .analysis.similarity_alongside import SimilarityAlongside, similar_links

        lessons = analysis.kb.lessons
        settings = similar_settings(self.options)
        words = self.work.cache.words if self.work.cache is not None else None
        with self.timer.phase("similarity", len(lessons)):
            if words is None and self.speed.similarity_alongside:
                similar = similar_links(lessons, settings, self.speed)
            else:
                similar = SimilarityIndex(lessons, settings, words=words)
        analysis.similar = similar
        return similar if isinstance(similar, SimilarityAlongside) else None
