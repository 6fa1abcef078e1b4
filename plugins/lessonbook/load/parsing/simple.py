"""The one-walk reader of common front-matter (values, lines and duplicate keys in one pass
over libyaml's nodes), and the table of key paths lessons share."""

from __future__ import annotations

import sys
from typing import Any

import yaml

from ...model.problems import Problem
from .document import Path
from .limits import MAX_DEPTH, MAX_NODES, MAX_NUMBER_CHARS
from .lines import _duplicate_key
from .loaders import _MAP, _SEQ, _STR, _TAG, _FastLessonLoader

_PLAIN_SCALARS = {_TAG + name for name in ("int", "float", "bool", "null")}
_SIMPLE_BUDGET = MAX_NODES // 2
_SIMPLE_DEPTH = MAX_DEPTH // 2
_PATHS: dict[Path, Path] = {}
"""Every key path the walk made, once: lessons share their paths (``('follow_ups', 0,
'due')``), so a worker pickles each path once for all its lessons and this process rebuilds
it once instead of once per lesson (~15 % of moving a lesson between processes)."""
_MAX_PATHS = 20_000
"""Paths kept at most (a long `mkdocs serve` session must not grow it without end)."""


class _NotSimple(Exception):
    """The front-matter uses something the one-walk reader leaves to the full path."""


def load_simple(text: str, path: str
                 ) -> tuple[dict[str, Any], dict[Path, int], list[Problem]] | None:
    """The common front-matter (a mapping of text, numbers, booleans, lists and mappings, far
    under the limits) read in ONE walk over libyaml's nodes: values, the line of every key and
    item, and duplicate keys together. Anything else — a YAML error, a tag, a merge key, a key
    that is not a scalar, deep nesting, many values (aliases repeated) — returns None and the
    full path (limits walk, PyYAML's constructor, line walk) reads the file, so its problems
    are exactly those of that path. This walk only ever accepts what that path accepts, and
    builds the same values: `lessonbook check` on 10,000 lessons spent most of its parsing in
    the three walks."""
    loader = _FastLessonLoader(text)
    try:
        root = loader.get_single_node()
        if root is None or root.id != "mapping" or root.tag != _MAP:
            return None
        lines: dict[Path, int] = {(): 1}
        duplicates: list[Problem] = []
        walk = _SimpleWalk(loader, lines, duplicates, path)
        data = walk.mapping(root, (), 1)
    except (yaml.YAMLError, _NotSimple):
        return None
    finally:
        loader.dispose()
    return {str(k): v for k, v in data.items()}, lines, duplicates


def _shared(path: Path) -> Path:
    """The one copy of an equal path (see ``_PATHS``)."""
    known = _PATHS.get(path)
    if known is not None:
        return known
    if len(_PATHS) < _MAX_PATHS:
        _PATHS[path] = path
    return path


class _SimpleWalk:
    """State of one :func:`load_simple` walk (a budget shared by the whole tree)."""

    def __init__(self, loader: yaml.SafeLoader, lines: dict[Path, int],
                 duplicates: list[Problem], path: str) -> None:
        self.loader, self.lines, self.duplicates, self.path = loader, lines, duplicates, path
        self.budget = _SIMPLE_BUDGET

    def value(self, node: yaml.Node, path: Path, depth: int) -> Any:
        self.budget -= 1
        if self.budget < 0 or depth > _SIMPLE_DEPTH:
            raise _NotSimple()
        kind = node.id
        if kind == "scalar":
            return self.scalar(node)
        if kind == "sequence":
            if node.tag != _SEQ:
                raise _NotSimple()
            items = []
            lines = self.lines
            for index, item in enumerate(node.value):
                child = _shared((*path, index))
                lines[child] = item.start_mark.line + 2
                items.append(self.value(item, child, depth + 1))
            return items
        if node.tag != _MAP:
            raise _NotSimple()
        return self.mapping(node, path, depth)

    def mapping(self, node: yaml.MappingNode, path: Path, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        seen: set[str] = set()
        lines = self.lines
        for key_node, value_node in node.value:
            if key_node.id != "scalar":
                raise _NotSimple()
            self.budget -= 1
            # Interned: every lesson's keys are then the same few strings, which a worker
            # process pickles once for all its lessons instead of once per lesson.
            if key_node.tag == _STR:  # nearly every key: no call to scalar()
                key = name = sys.intern(key_node.value)
            else:
                key = self.scalar(key_node)
                name = sys.intern(str(key_node.value))
                if key.__class__ is str:
                    key = name
            child = (*path, name)
            child = _PATHS.get(child) or _shared(child)
            line = key_node.start_mark.line + 2
            if name in seen:
                self.duplicates.append(_duplicate_key(self.path, lines[child], line, child))
            seen.add(name)
            lines[child] = line
            result[key] = self.value(value_node, child, depth + 1)
        return result

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag not in _PLAIN_SCALARS or len(node.value) > MAX_NUMBER_CHARS:
            raise _NotSimple()
        try:
            return self.loader.yaml_constructors[tag](self.loader, node)
        except (ValueError, KeyError, TypeError, OverflowError):
            raise _NotSimple() from None
