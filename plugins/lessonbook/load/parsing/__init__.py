"""The one parse path: bytes of a Markdown file → front-matter mapping, body, and line numbers.

The MkDocs build and ``lessonbook check`` both call :func:`parse_source`, so they cannot disagree.
We split the fences ourselves rather than with python-frontmatter because we need exact line
numbers (its boundary regex swallows blank lines after the fence) and YAML node positions for
every key; PyYAML does the YAML.

Front-matter is untrusted input, so YAML is held to limits before anything is built from it
(see :func:`.limits._check_nodes`): a size limit, a nesting limit, a budget on values counted with
aliases and merge keys expanded (a 600-byte "billion laughs" stays 600 bytes until something
walks it), numbers of at most ``MAX_NUMBER_CHARS`` characters and only the core tags. Each
breach is one error naming the line; nothing is constructed, so nothing can raise or stall.

Modules, one job each: document (SourceDocument, what a file says), fences (bytes → text →
front-matter and body), loaders (PyYAML's loaders with the lesson's resolvers), limits (what
front-matter may hold, checked before anything is built), simple (the one-walk reader of
common front-matter, and the key paths lessons share), lines (the line of every key, and
duplicate keys), source (parse_source, which puts them together).
"""

from __future__ import annotations

from .document import Path, SourceDocument
from .fences import decode, split_front_matter
from .limits import MAX_BODY_BYTES, MAX_DEPTH, MAX_FRONT_MATTER_BYTES, MAX_NODES, MAX_NUMBER_CHARS
from .lines import DECISIVE_KEYS
from .loaders import LessonLoader
from .source import parse_source

__all__ = [
    "DECISIVE_KEYS", "MAX_BODY_BYTES", "MAX_DEPTH", "MAX_FRONT_MATTER_BYTES", "MAX_NODES",
    "MAX_NUMBER_CHARS", "LessonLoader", "Path", "SourceDocument", "decode", "parse_source",
    "split_front_matter",
]
