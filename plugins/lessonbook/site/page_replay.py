"""Page replay under `mkdocs serve`: one object that knows, for one build, which lesson pages come
back from the last build as they were and which are rendered and kept for the next.

The build (site/build.py) asks it at each step of a page's life; for a page it does not
replay, each answer is "go on as usual". A build without a page cache (every `mkdocs build`,
or ``Speed.replay_pages`` off) has a replay that replays nothing and keeps nothing.
page_cache.py says what a page's key covers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ..analysis.similarity import SimilarLink
from ..model.lesson import Lesson
from .page_cache import CachedPage, PageCache, lesson_key


class PageReplay:
    def __init__(self, cache: PageCache | None = None, site: str = "",
                 lessons: Mapping[str, Lesson] | None = None,
                 links: Callable[[Lesson], list[SimilarLink]] | None = None) -> None:
        """``site``: the key of everything outside a lesson its page shows (page_cache's
        ``site_key``); ``links``: a lesson's similar links (part of its page's key)."""
        self.cache = cache
        self._keys: dict[str, str] = {}
        self._replay: dict[str, CachedPage] = {}
        self._bodies: dict[str, str] = {}
        self._converted: dict[str, tuple[str, object]] = {}
        if cache is None or lessons is None or links is None:
            return
        cache.forget_except(lessons)
        cache.replayed = cache.rendered = 0
        for path, lesson in lessons.items():
            self._keys[path] = key = lesson_key(site, lesson, links(lesson))
            hit = cache.lookup(path, key)
            if hit is not None:
                self._replay[path] = hit

    def stored(self, src_uri: str) -> CachedPage | None:
        """The page as the last build rendered it, when it is replayed; else None."""
        return self._replay.get(src_uri)

    def converted(self, src_uri: str, body_html: str) -> None:
        """A page rendered afresh: its converted body, kept for the next build."""
        if self.cache is not None and src_uri in self._keys:
            self._bodies[src_uri] = body_html

    def toc(self, src_uri: str, toc: object) -> object:
        """The table of contents of a page: the stored one for a replayed page (whose Markdown
        was not converted), else ``toc``, kept with the body."""
        replay = self._replay.get(src_uri)
        if replay is not None:
            return replay.toc
        if self.cache is not None and src_uri in self._keys:
            self._converted[src_uri] = (self._bodies.pop(src_uri, ""), toc)
        return toc

    def rendered(self, src_uri: str, output: str) -> None:
        """A page's HTML as its template rendered it: counted when replayed, kept when it is a
        lesson page rendered afresh."""
        cache = self.cache
        if cache is None or src_uri not in self._keys:
            return
        if src_uri in self._replay:
            cache.replayed += 1
            return
        converted = self._converted.pop(src_uri, None)
        if converted is not None:
            cache.store(src_uri, self._keys[src_uri], converted[0], converted[1], output)
            cache.rendered += 1

    def summary(self) -> str | None:
        """What the replay did in this build, for the log (None without a cache)."""
        if self.cache is None:
            return None
        return (f"{self.cache.replayed} lesson page(s) unchanged since the last build reused, "
                f"{self.cache.rendered} rendered")
