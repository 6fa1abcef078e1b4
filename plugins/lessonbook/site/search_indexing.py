"""Search indexing for one build: Pagefind fed during the build, the CLI as the fallback.

The choice lives here, not in an adapter: index alongside the build with ``pagefind --service``
(pagefind_live.py) when it starts, else — and also when the service fails, or for a dirty build
that renders only changed pages — run the Pagefind CLI over the finished site.
"""

from __future__ import annotations

from pathlib import Path

from ..model.lesson import Lesson
from . import pagefind_index, pagefind_live
from .pagefind_index import IndexResult
from .search import search_document


class SearchIndexing:
    def __init__(self, site_dir: str | Path, *, live: bool) -> None:
        self.site_dir = Path(site_dir)
        self.live: pagefind_live.LiveIndex | None = None
        self.why_not_live = "a dirty build renders only changed pages" if not live else ""
        if live:
            self.live, self.why_not_live = pagefind_live.LiveIndex.start(site_dir)

    def add(self, lesson: Lesson, body_html: str, url: str, lang: str) -> None:
        """One lesson's search document, as soon as its Markdown is converted."""
        if self.live is not None:
            self.live.add(search_document(lesson, body_html, url, lang), "/" + url)

    def rendering_started(self) -> None:
        """Every page is converted: the index can be written while templates render."""
        if self.live is not None:
            self.live.write()

    def finish(self) -> tuple[IndexResult, str | None]:
        """The index written; and a note when the CLI had to take over (or None)."""
        live, self.live = self.live, None
        result = live.finish() if live is not None else None
        if result is not None and result.ok:
            return result, None
        note = (f"{result.message}; running the pagefind CLI instead" if result is not None
                else f"{self.why_not_live}; the pagefind CLI indexes the site after the build"
                if self.why_not_live else None)
        return pagefind_index.build_index(self.site_dir), note

    def abort(self) -> None:
        live, self.live = self.live, None
        if live is not None:
            live.abort()
