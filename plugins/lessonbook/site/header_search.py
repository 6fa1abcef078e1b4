"""The header search box on Lessonbook's Pagefind index, placed in every page's header.

Material draws its search box only when its own ``search`` plugin is configured, and that
plugin builds the lunr index the browser then downloads whole (15 MB at 3,000 lessons). A
Lessonbook site drops the plugin; the box (``lessonbook/header-search.html``, rendered once per
build) is put where Material puts its own: before the repository link in the header, else at
the end of the header's bar. Material's header template has no block to extend there, so this
is a text insertion into the rendered page, and a page without Material's header (a theme
override that drops it) is left as it is.

A site that keeps Material's ``search`` plugin keeps Material's box: its author asked for it
(it also finds the hand-written pages, which the Pagefind index leaves out).
"""

from __future__ import annotations

import re

MARKER = "data-lessonbook-header-search"
_HEADER = re.compile(r'<header\b[^>]*data-md-component="header"[^>]*>')
_SOURCE = '<div class="md-header__source">'


def material_search_in(plugin_names: list[str]) -> bool:
    """Whether Material's own search plugin is configured (``search`` or ``material/search``)."""
    return any(name in ("search", "material/search") for name in plugin_names)


def insert_header_search(page_html: str, box: str) -> str:
    """``page_html`` with ``box`` placed in Material's header bar (once)."""
    if not box or MARKER in page_html:
        return page_html
    header = _HEADER.search(page_html)
    if header is None:
        return page_html
    end = page_html.find("</header>", header.end())
    if end < 0:
        return page_html
    source = page_html.find(_SOURCE, header.end(), end)
    at = source if source >= 0 else page_html.rfind("</nav>", header.end(), end)
    if at < 0:
        return page_html
    return page_html[:at] + box + page_html[at:]
