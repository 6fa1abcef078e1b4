"""The URLs Lessonbook's generated pages own, and which page path would take one.

A lesson whose file would be published at the URL of a generated page (``insights.md`` at the
docs root, ``tags/foo.md`` where the tag ``foo`` has its page) would silently replace that page,
and, left out for an audience, leave its nav link dead. The table is kept here, in plain
constants with no imports, so the file selection (``load/sources.py``), read by the build and
by ``lessonbook check`` alike, can refuse such a lesson before anything is analysed; a test
proves that every page ``site.build.plan_site_pages`` plans is owned here.

Owned URLs do not depend on the options (Explore when search is off, say), so turning an
option on never turns a valid lesson into a collision.
"""

from __future__ import annotations

from posixpath import splitext

GENERATED_PAGES: dict[str, str] = {
    "index.md": "Home",
    "start-here.md": "Start here",
    "lessons.md": "All lessons",
    "taxonomy.md": "Browse by taxonomy",
    "rules.md": "Rules",
    "checklists.md": "Checklists",
    "follow-ups.md": "Follow-ups",
    "insights.md": "Insights",
    "recurring.md": "Recurring incidents",
    "explore.md": "Explore",
    "digests.md": "Digests",
    "glossary.md": "Glossary",
}
"""Generated pages at the docs root: file → title."""

GENERATED_FOLDERS: dict[str, str] = {
    "kinds": "a kind's page",
    "failure-types": "a failure type's page",
    "categories": "a category's page",
    "defense-layers": "a defense layer's page",
    "severities": "a severity's page",
    "services": "a service's page",
    "teams": "a team's page",
    "tags": "a tag's page",
    "digests": "a digest",
}
"""Folders holding one generated page per value (``tags/<slug>.md``): folder → what each is.
Any name one level down is owned, since a value added tomorrow takes it."""


def _urls(path: str) -> tuple[str, str]:
    """The URL MkDocs gives a page file, with and without ``use_directory_urls``."""
    folder, _, name = path.rpartition("/")
    stem = splitext(name)[0]
    parent = f"{folder}/" if folder else ""
    if stem in ("index", "README"):
        return parent, parent
    return f"{parent}{stem}/", f"{parent}{stem}.html"


_OWNED: dict[str, str] = {}
for _file, _title in GENERATED_PAGES.items():
    for _url in _urls(_file):
        _OWNED.setdefault(_url.casefold(), f"the generated {_title} page ({_file})")


def generated_page_taken(path: str) -> tuple[str, str] | None:
    """(URL, which generated page) when a page file at docs-relative ``path`` would be
    published at a URL a generated page owns, under either ``use_directory_urls`` setting
    and ignoring case (site folders differing only in case are one folder on macOS and
    Windows); None otherwise."""
    for url in _urls(path):
        owner = _OWNED.get(url.casefold())
        if owner is not None:
            return url, owner
        head, _, rest = url.casefold().partition("/")
        rest = rest.removesuffix("/")
        if head in GENERATED_FOLDERS and rest and "/" not in rest:
            return url, f"{GENERATED_FOLDERS[head]} ({head}/{splitext(rest)[0]}.md)"
    return None
