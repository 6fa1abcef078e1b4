"""The line of every key and list item of the full path's YAML nodes, and the one wording of
a repeated key whichever walk found it."""

from __future__ import annotations

import yaml

from ...model.problems import Problem, Severity
from .document import Path, SourceDocument


def _index_lines(node: yaml.Node, path: Path, doc: SourceDocument, offset: int) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = (*path, key)
            line = key_node.start_mark.line + offset
            if key in seen:
                doc.problems.append(_duplicate_key(doc.path, doc.lines[child], line, child))
            seen.add(key)
            doc.lines[child] = line
            _index_lines(value_node, child, doc, offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*path, index)
            doc.lines[child] = item.start_mark.line + offset
            _index_lines(item, child, doc, offset)


DECISIVE_KEYS = frozenset({"visibility", "id", "type", "date", "draft"})
"""Keys that decide who may read a lesson or which lesson it is: written twice, they are an
error, because the last one wins while a reviewer reads the first (``visibility: restricted``
at the top, ``visibility: public`` further down). A nested ``id`` (a rule's) is one too."""


def _duplicate_key(path: str, first: int, line: int, key: Path) -> Problem:
    """The one wording of a repeated key, whichever walk over the YAML found it."""
    name = ".".join(map(str, key))
    if key[-1] == "id" or (len(key) == 1 and key[0] in DECISIVE_KEYS):
        return Problem(path, line, Severity.ERROR,
                       f"key {name!r} appears twice (lines {first} and {line}); it decides who "
                       "may read the lesson or which one it is, so it must be written once",
                       "keep the value you mean and remove the other", code="duplicate-key")
    return Problem(path, line, Severity.WARNING,
                   f"key {name!r} appears twice (lines {first} and {line}); the last one wins",
                   "remove one of them", code="duplicate-key")
