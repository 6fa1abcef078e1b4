"""Our templates rendered without MkDocs: the same ``lessonbook/*.html`` files the plugin's
pages use, one template per thing.

Every page template of the theme extends Material's ``main.html`` and fills its ``content``
block. Here ``main.html`` is a stub holding only that block, so rendering a page template
gives exactly what the plugin puts inside Material's content area, and nothing of Material's
chrome (which the engine that builds the generated project draws itself). Material partials
the templates include with ``ignore missing`` (the edit button, source dates) are missing here
on purpose: the engine's own ``content`` block draws them around the page.

The environment gives the templates what MkDocs would: ``config`` (site_name), ``page``
(``url``, ``meta``, ``content``), ``base_url`` and the ``url`` filter, which makes a
site-relative URL relative to the page the way MkDocs' own filter does, so the links in a
generated page are the plugin's links, byte for byte.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2

STUB_MAIN = "{% block content %}{% endblock %}"
"""Material's main.html, reduced to the block our page templates fill."""


@dataclass
class PageStub:
    """What a template reads of MkDocs' ``page``."""

    url: str
    meta: dict[str, Any] = field(default_factory=dict)
    content: str = ""
    title: str = ""


def relative_url(url: str, page_url: str) -> str:
    """``url`` (site-relative) as a link from the page at ``page_url``: MkDocs'
    ``get_relative_url`` (a last component with a dot is a file, not a folder)."""
    folder, _, last = page_url.rpartition("/")
    base = folder if "." in last else page_url
    here = [p for p in posixpath.normpath("/" + base).split("/") if p]
    there = [p for p in posixpath.normpath("/" + url).split("/") if p]
    common = 0
    for a, b in zip(here, there, strict=False):
        if a != b:
            break
        common += 1
    relative = "/".join([".."] * (len(here) - common) + there[common:]) or "."
    return relative + "/" if url.endswith("/") else relative


def normalize_url(value: str, page_url: str) -> str:
    """MkDocs' ``url`` filter: absolute URLs, anchors and root paths unchanged; a path
    relative to the site root made relative to the page (leading ``../`` kept)."""
    path = str(value) or "."
    parts = urlsplit(path)
    if parts.scheme or parts.netloc or path.startswith(("/", "#")):
        return path
    norm = posixpath.normpath(path) + "/"
    up = 0
    while norm.startswith("../", up * 3):
        up += 1
    return "../" * up + relative_url(path, page_url)


@jinja2.pass_context
def _url_filter(context: Any, value: str) -> str:
    return normalize_url(str(value), context["page"].url)


class _LessonbookOnly(jinja2.BaseLoader):
    """``lessonbook/*`` templates from the user's theme folder first (their overrides win, as
    in the plugin's build), then ours; nothing else of a theme folder, whose other
    templates are written for MkDocs' environment."""

    def __init__(self, folders: list[Path]) -> None:
        self._files = jinja2.FileSystemLoader([str(f) for f in folders])

    def get_source(self, environment: jinja2.Environment, template: str
                   ) -> tuple[str, str | None, Any]:
        if not template.startswith("lessonbook/"):
            raise jinja2.TemplateNotFound(template)
        return self._files.get_source(environment, template)


class PageRenderer:
    """Renders a page template's content for a page URL."""

    def __init__(self, theme_dir: Path, site_name: str, custom_dir: Path | None = None
                 ) -> None:
        folders = ([custom_dir] if custom_dir is not None else []) + [theme_dir]
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader([jinja2.DictLoader({"main.html": STUB_MAIN}),
                                        _LessonbookOnly(folders)]),
            autoescape=lambda name: bool(name and name.startswith("lessonbook/")),
            undefined=jinja2.Undefined, keep_trailing_newline=True)
        self.env.filters["url"] = _url_filter
        self.config = {"site_name": site_name}

    def render(self, template: str, page: PageStub, context: Mapping[str, Any]) -> str:
        """The page's content as the plugin's build puts it inside Material's content area."""
        return self.env.get_template(template).render(
            {**context, "page": page, "config": self.config,
             "base_url": relative_url(".", page.url)})
