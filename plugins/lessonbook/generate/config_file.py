"""The generated project's mkdocs.yml: the source's settings, carried, without the plugin.

Everything a reader of the source's mkdocs.yml set (site_name, theme, palette, Markdown
extensions, extra, other plugins ...) is carried as MkDocs read it (``INHERIT`` merged,
``!ENV`` resolved, so the audience is fixed at generate time). What changes, and why:

- ``plugins``: ``lessonbook`` is taken out (every page it would make is a file now) and
  Material's ``search`` added if missing (the header box on our index needs the plugin).
- ``docs_dir``/``site_dir``: ``docs`` and ``site`` beside the generated mkdocs.yml.
- ``nav``: entries to files that were not written (a lesson left out for the audience) are
  dropped, titles included; without a ``nav``, the plugin's order is written out (the user's
  pages as MkDocs sorts them, then the generated pages), since a folder of files sorts
  differently from pages added by a plugin.
- ``not_in_nav``: lessons and the pages the plugin keeps out of the navigation.
- ``extra_css``/``extra_javascript``: the theme's assets added, copied into the docs folder.
- ``markdown_extensions``: ``md_in_html`` added when missing (lesson pages need it).
- ``theme.custom_dir``: ``overrides`` (the feed's <head> link, and the user's overrides).
- ``hooks``/``watch``: Python and paths of the source project; dropped, and said.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath
from typing import Any

import yaml

DROPPED = ("INHERIT", "hooks", "watch")
NEEDED_EXTENSIONS = ("md_in_html", "attr_list", "toc")
"""Lesson pages are HTML blocks with Markdown inside (md_in_html); the section headings keep
their ids (attr_list) and reach the table of contents (toc)."""
PLUGIN = "lessonbook"


class CarryError(Exception):
    """A setting of the source's mkdocs.yml that cannot be written into another project."""


class _Dumper(yaml.SafeDumper):
    """Writes what MkDocs' loader may have read: Python names (``!!python/name:``, as
    pymdownx.emoji's settings use) and ``!relative`` placeholders relative to the docs."""


def _python_name(dumper: yaml.SafeDumper, value: Any) -> yaml.Node:
    return dumper.represent_scalar(f"tag:yaml.org,2002:python/name:{value.__module__}."
                                   f"{value.__qualname__}", "")


def _other(dumper: yaml.SafeDumper, value: Any) -> yaml.Node:
    name = type(value).__name__
    if name == "RelativeDirPlaceholder":
        return dumper.represent_scalar("!relative", "")
    if name == "DocsDirPlaceholder":
        return dumper.represent_scalar("!relative", f"$docs_dir/{value.suffix}".rstrip("/"))
    if callable(value) and hasattr(value, "__qualname__"):
        return _python_name(dumper, value)
    raise CarryError(f"a value of type {name} ({value!r}) cannot be written into the "
                     "generated mkdocs.yml")


_Dumper.add_multi_representer(object, _other)


def project_config(settings: Mapping[str, Any], *, written: set[str], not_in_nav: list[str],
                   auto_nav: list[str], css: list[str], js: list[str]
                   ) -> tuple[str, list[str]]:
    """The generated mkdocs.yml's text, and notes on what was not carried.
    ``written``: every docs-relative page written; ``auto_nav``: the pages of the plugin's
    navigation, in its order, for a source without ``nav``."""
    notes: list[str] = []
    config: dict[str, Any] = {}
    for key, value in settings.items():
        if key in DROPPED:
            if key != "INHERIT":
                notes.append(f"mkdocs.yml: {key!r} is not carried (it names files of the "
                             "source project); add it to the generated mkdocs.yml if needed")
            continue
        config[key] = value
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    config["plugins"] = _with_search(_without_plugin(settings.get("plugins", ["search"])))
    theme = settings.get("theme", {"name": "material"})
    theme = dict(theme) if isinstance(theme, Mapping) else {"name": theme}
    theme["custom_dir"] = "overrides"
    config["theme"] = theme
    config["extra_css"] = [*_strings(settings.get("extra_css")), *css]
    scripts = [x for x in settings.get("extra_javascript") or [] if x not in js]
    config["extra_javascript"] = [*scripts, *js]
    config["markdown_extensions"] = _extensions(settings.get("markdown_extensions") or [])
    nav = settings.get("nav")
    config["nav"] = (_filter_nav(nav, written) if nav else nest_paths(auto_nav))
    own = str(settings.get("not_in_nav") or "").strip()
    config["not_in_nav"] = "\n".join(filter(None, [own, *(_anchored(p) for p in not_in_nav)]))
    try:
        text = yaml.dump(config, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                         width=100)
    except CarryError as exc:
        raise CarryError(f"{exc}; set it in the source differently, or edit the generated "
                         "file by hand") from None
    header = ("# Written by `lessonbook generate`: a plain MkDocs project (no Lessonbook "
              "plugin).\n# Build it with `mkdocs build --strict`; regenerate rather than "
              "edit.\n")
    return header + text, notes


def _strings(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def _without_plugin(plugins: Any) -> list[Any]:
    if isinstance(plugins, Mapping):
        return [{k: v} if v else k for k, v in plugins.items() if k != PLUGIN]
    out = []
    for entry in plugins or []:
        name = next(iter(entry)) if isinstance(entry, Mapping) and entry else entry
        if name != PLUGIN:
            out.append(entry)
    return out


def _with_search(plugins: list[Any]) -> list[Any]:
    """Material's ``search`` added when missing: a site on the plugin has its header box on
    Lessonbook's Pagefind index (site/header_search.py), which only the plugin inserts; the
    plain project keeps a working header search through Material's own."""
    names = {next(iter(e)) if isinstance(e, Mapping) and e else e for e in plugins}
    return plugins if "search" in names else ["search", *plugins]


def _extensions(extensions: Any) -> list[Any]:
    names = {next(iter(e)) if isinstance(e, Mapping) else e for e in extensions}
    if isinstance(extensions, Mapping):
        extensions = [{k: v} if v else k for k, v in extensions.items()]
    return [*extensions, *(x for x in NEEDED_EXTENSIONS if x not in names)]


def _is_link(target: str) -> bool:
    return "://" in target or target.startswith(("/", "mailto:", "#"))


def _filter_nav(nav: Any, written: set[str]) -> Any:
    """The nav without entries to pages that were not written (titles of left-out lessons
    would otherwise be printed in every page's navigation)."""
    if isinstance(nav, str):
        return nav if _is_link(nav) or nav in written or not _is_page(nav) else None
    if isinstance(nav, list):
        kept = [x for x in (_filter_nav(e, written) for e in nav) if x not in (None, [])]
        return kept
    if isinstance(nav, Mapping):
        out = {}
        for title, target in nav.items():
            value = _filter_nav(target, written)
            if value not in (None, []):
                out[title] = value
        return out or None
    return nav


def _is_page(path: str) -> bool:
    return path.endswith((".md", ".markdown", ".mdown", ".mkdn", ".mkd"))


def _anchored(path: str) -> str:
    """A docs-relative path as a ``not_in_nav`` line (gitignore syntax) matching it alone."""
    escaped = re.sub(r"([*?\[\]\\!#])", r"\\\1", path)
    if escaped.endswith(" "):
        escaped = escaped[:-1] + "\\ "
    return "/" + escaped


def _dirname_to_title(name: str) -> str:
    title = name.replace("-", " ").replace("_", " ")
    return title.capitalize() if title.lower() == title else title


def nest_paths(paths: Iterable[str]) -> list[Any]:
    """Pages as MkDocs nests them into sections when there is no ``nav`` (one section per
    folder, titled from the folder's name)."""
    nested: list[Any] = []
    for path in paths:
        branch = nested
        for part in PurePosixPath(path).parent.parts:
            title = _dirname_to_title(part)
            for item in branch:
                if isinstance(item, dict) and title in item:
                    branch = item[title]
                    break
            else:
                section: dict[str, list[Any]] = {title: []}
                branch.append(section)
                branch = section[title]
        branch.append(path)
    return nested


def mkdocs_order(paths: Iterable[str]) -> list[str]:
    """Paths in the order MkDocs lists the files of a folder: a folder's files (index or
    README first) before its sub-folders', each level sorted."""
    def key(path: str) -> tuple[Any, ...]:
        parts = path.split("/")
        name = parts[-1]
        stem = name.rsplit(".", 1)[0]
        return (*((1, p) for p in parts[:-1]), (0, stem not in ("index", "README"), name))
    return sorted(paths, key=key)
