"""Lesson pages kept between `mkdocs serve` rebuilds, so one edit re-renders what it changed.

MkDocs converts and renders every page on every rebuild. A lesson page's HTML is a function
of a few inputs, so when none of them changed since the last build the page is replayed: its
converted body and table of contents come back from here (the Markdown is not converted
again) and its template renders the stored page (the theme is not rendered again).

A page's key (:func:`lesson_key`) covers everything its HTML is made of:
- the lesson itself: front-matter as written, body, its model's fields;
- its similar-incident links (another lesson's edit can move them);
- the site: every lesson's id, path, title, summary, date, kind, severity, status and
  front-matter (other pages show them: similar lists, links between lessons, the registry's
  sections), every generated page's URL and title (the nav), the options and build date;
- the generator's environment, given by the adapter once per build: its configuration file,
  every file of the theme folders (the user's custom_dir and Lessonbook's own templates and
  assets), every other page of the docs folder, and the versions of Lessonbook, MkDocs and
  Material (which stand for their installed templates).

Editing a lesson's body changes its own key and those of the lessons whose similar links
moved; editing a title or any front-matter changes the site's key, and every page is rendered
again. Plain Python: the adapter stores what the generator produced and asks what to replay.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..analysis.similarity import SimilarLink
from ..model.lesson import Lesson

CACHED_TEMPLATE = "lessonbook/cached-page.html"
"""The template a replayed page renders: the stored page, as it was."""


@dataclass
class CachedPage:
    key: str
    body: bytes
    """The converted body (zlib), before the hidden search words are added."""
    toc: object
    """The generator's table of contents of the body, as it converted it (opaque here)."""
    output: bytes
    """The rendered page (zlib), before any plugin's post-processing."""

    def body_html(self) -> str:
        return zlib.decompress(self.body).decode("utf-8")

    def page_html(self) -> str:
        return zlib.decompress(self.output).decode("utf-8")


@dataclass
class PageCache:
    """Kept by the adapter for the whole serve session."""

    pages: dict[str, CachedPage] = field(default_factory=dict)
    """src_uri → the page as last rendered."""
    replayed: int = 0
    rendered: int = 0
    """Lesson pages replayed and rendered in the last build."""

    def store(self, src_uri: str, key: str, body_html: str, toc: object, output: str) -> None:
        self.pages[src_uri] = CachedPage(key, zlib.compress(body_html.encode("utf-8"), 1), toc,
                                         zlib.compress(output.encode("utf-8"), 1))

    def lookup(self, src_uri: str, key: str) -> CachedPage | None:
        page = self.pages.get(src_uri)
        return page if page is not None and page.key == key else None

    def forget_except(self, src_uris: Iterable[str]) -> None:
        """Drop the pages of lessons no longer on the site."""
        keep = set(src_uris)
        for src_uri in [s for s in self.pages if s not in keep]:
            del self.pages[src_uri]


def _hash(*parts: object) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(repr(part).encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()


def lesson_stamp(lesson: Lesson) -> str:
    """What other pages show of a lesson, and its front-matter as written."""
    return _hash(lesson.id, lesson.path, lesson.title, lesson.summary, lesson.date,
                 lesson.kind, lesson.severity, lesson.status, lesson.meta)


def site_key(lessons: Iterable[Lesson], generated: Iterable[tuple[str, str]], options: object,
             build_date: object, environment: str) -> str:
    """One key for everything every lesson page shares (see the module docstring)."""
    return _hash(sorted(lesson_stamp(x) for x in lessons), sorted(generated), options,
                 build_date, environment)


def lesson_key(site: str, lesson: Lesson, links: list[SimilarLink]) -> str:
    """The key of one lesson page: the site's key, the whole lesson (its model's repr holds
    the front-matter as written and the body) and its similar links."""
    return _hash(site, lesson,
                 [(x.id, round(x.score, 4), x.shared, x.terms, x.by_author, x.links_here,
                   x.tier) for x in links])
