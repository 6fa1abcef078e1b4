"""Material's sidebar navigation rendered once per build for the pages it is the same on.

Material renders the whole navigation on every page. For a page that is not in the navigation
(every lesson, and the generated pages kept out of it) nothing in it is marked active, so it
differs between such pages only by its links, which are relative to the page. Rendering it
cost about a tenth of a lesson page's rendering; here it is rendered once per set of relative
links and reused.

How: the Jinja loader is wrapped so that ``partials/nav.html`` is a small template that asks
:class:`NavCache` for the HTML, and includes Material's own template (under a prefix) when it
has none yet. Only when ``partials/nav.html`` is Material's own: a theme ``custom_dir`` that
overrides it is left alone. The cache is emptied for every build.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

NAV_TEMPLATE = "partials/nav.html"
ORIGINAL = "lessonbook-material"
"""Prefix under which Material's own template stays reachable."""

WRAPPER = (
    "{%- set lb_key = lessonbook_nav.key(page, nav) -%}\n"
    "{%- set lb_html = lessonbook_nav.get(lb_key) -%}\n"
    "{%- if lb_html is none -%}\n"
    "{%- set lb_html -%}{% include \"" + ORIGINAL + "/" + NAV_TEMPLATE + "\" %}{%- endset -%}\n"
    "{%- set lb_html = lessonbook_nav.keep(lb_key, lb_html) -%}\n"
    "{%- endif -%}\n"
    "{{ lb_html }}"
)


class NavCache:
    """The navigation's HTML by the links it holds, for pages outside the navigation."""

    def __init__(self) -> None:
        self._html: dict[tuple[str, ...], Any] = {}
        self._in_nav: set[int] = set()
        self._urls: list[str] = []
        self._nav: object = None

    def key(self, page: Page | None, nav: Any) -> tuple[str, ...] | None:
        """None (render as usual) for a page in the navigation."""
        if page is None or nav is None:
            return None
        if nav is not self._nav:  # a new build, or another site
            self._nav = nav
            self._html.clear()
            self._in_nav = {id(p) for p in nav.pages}
            self._urls = sorted({_url_of(item) for item in _walk(nav.items)} - {""})
        if id(page) in self._in_nav:
            return None
        return tuple(get_relative_url(url, page.url) for url in self._urls)

    def get(self, key: tuple[str, ...] | None) -> Any:
        return self._html.get(key) if key is not None else None

    def keep(self, key: tuple[str, ...] | None, html: Any) -> Any:
        if key is not None:
            self._html[key] = html
        return html


def _walk(items: list[Any]) -> Any:
    for item in items:
        yield item
        yield from _walk(getattr(item, "children", None) or [])


def _url_of(item: Any) -> str:
    url = getattr(item, "url", None)
    return url if isinstance(url, str) else ""


def install(env: jinja2.Environment, cache: NavCache, material_dir: str | None) -> bool:
    """Wrap ``env``'s loader (see the module docstring); False when ``partials/nav.html`` is
    not Material's own (a user's override), which is then left as it is."""
    loader = env.loader
    if loader is None or material_dir is None:
        return False
    try:
        _source, filename, _uptodate = loader.get_source(env, NAV_TEMPLATE)
    except jinja2.TemplateNotFound:
        return False
    if filename is None or Path(filename).resolve().parent.parent != Path(material_dir).resolve():
        return False
    env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({NAV_TEMPLATE: WRAPPER}),
                                      jinja2.PrefixLoader({ORIGINAL: loader}), loader])
    env.globals["lessonbook_nav"] = cache
    return True
