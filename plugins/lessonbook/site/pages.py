"""Where things live on the site: lesson URLs and the generated pages.

Generated pages are described here as plain data; the MkDocs adapter turns each into a
``File.generated`` page rendered by the theme template named in ``template``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from ..analysis.taxonomy import DIMENSIONS, Taxonomy, TermPage
from ..load.knowledge_base import KnowledgeBase

HOME = "index.md"
ALL_LESSONS = "lessons.md"
TAXONOMY = "taxonomy.md"


def page_url(src_uri: str, use_directory_urls: bool = True) -> str:
    """The site-relative URL MkDocs gives a Markdown file (same rules as mkdocs.structure.files)."""
    path = PurePosixPath(src_uri)
    stem = path.stem
    parent = "" if str(path.parent) == "." else f"{path.parent}/"
    if stem in ("index", "README"):
        return parent
    if use_directory_urls:
        return f"{parent}{stem}/"
    return f"{parent}{stem}.html"


@dataclass
class GeneratedPage:
    src_uri: str
    title: str
    template: str
    data: dict[str, Any] = field(default_factory=dict)
    in_nav: bool = True
    later: Callable[[], dict[str, Any]] | None = None
    """More data, computed when the page is rendered rather than planned (the Insights pages
    need the similar links, which a build computes alongside its Markdown conversion)."""

    def context(self) -> dict[str, Any]:
        """What the page's template reads."""
        return {**self.data, **self.later()} if self.later is not None else self.data


def plan_pages(kb: KnowledgeBase, taxonomy: Taxonomy) -> list[GeneratedPage]:
    """Every page Lessonbook generates; the adapter skips any a user wrote themselves."""
    pages = [
        GeneratedPage(HOME, "Home", "lessonbook/home.html", {"page_kind": "home"}),
        GeneratedPage(ALL_LESSONS, "All lessons", "lessonbook/lessons.html",
                      {"page_kind": "lessons"}),
        GeneratedPage(TAXONOMY, "Browse by taxonomy", "lessonbook/taxonomy.html",
                      {"page_kind": "taxonomy"}),
    ]
    for dim in DIMENSIONS:
        for term in taxonomy.terms[dim.key]:
            pages.append(term_page(term))
    return pages


def term_page(term: TermPage) -> GeneratedPage:
    return GeneratedPage(term.src_uri, f"{term.dimension.label}: {term.display}",
                         "lessonbook/term.html", {"page_kind": "term", "term": term},
                         in_nav=False)
