"""What front-matter may hold (size, nesting depth, values with aliases expanded, number
length, core tags only), checked on the composed nodes before anything is constructed."""

from __future__ import annotations

import datetime as dt
import re

import yaml

from .loaders import _MAP, _SCALAR_TAGS, _SEQ, _STR, _TAG, _FastLessonLoader

MAX_FRONT_MATTER_BYTES = 64 * 1024
"""Front-matter larger than this is refused: real lessons use under 10 KB."""
MAX_BODY_BYTES = 1024 * 1024
"""A body larger than this is built, with a warning: it slows the build and search."""
MAX_DEPTH = 32
"""Deepest nesting of lists and mappings accepted; the model itself nests four levels."""
MAX_NODES = 20_000
"""Most values (scalars, lists, mappings) a front-matter may hold, aliases expanded."""
MAX_NUMBER_CHARS = 32
"""Longest number accepted; a longer one is an error (quote it to keep it as text)."""

_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}(?:(?:[Tt]|[ \t]+)\d{1,2}:\d{2}:\d{2}(?:\.\d*)?"
                        r"(?:[ \t]*(?:Z|[-+]\d{1,2}(?::\d{2})?))?)?$")


class _Refused(Exception):
    """Front-matter over one of the limits; ``line`` counts from 0 in the front-matter text."""

    def __init__(self, line: int, message: str, suggestion: str, code: str) -> None:
        super().__init__(message)
        self.line, self.message, self.suggestion, self.code = line, message, suggestion, code


def nesting_bound(text: str) -> int:
    """A cheap upper bound on how deep the YAML nests, from the text alone (regular
    expressions, no Python loop over lines).

    libyaml composes nodes recursively in C: 10,000 levels take seconds, 100,000 crash the
    interpreter, so depth must be known before composing. Block nesting needs indentation or
    an indicator ('-', '?', ':') on the line; flow nesting needs a bracket. Over-counting is
    fine: a file over the bound gets the exact (still cheap) count from :func:`_check_depth`."""
    if _BUSY_LINE.search(text):
        return MAX_DEPTH + 1
    indent = max(map(len, _INDENT.findall(text)), default=0)
    flow = flow_max = 0
    if "[" in text or "{" in text:
        brackets = "".join(_BRACKETS.findall(text)).translate(_OPEN_CLOSE)
        if brackets == "()" * (len(brackets) // 2):
            flow_max = 1  # the common case: flow lists side by side, none inside another
        else:
            for bracket in brackets:
                flow = flow + 1 if bracket == "(" else max(flow - 1, 0)
                flow_max = max(flow_max, flow)
    return 2 * indent + BUSY + flow_max + 1


BUSY = 10
_BUSY_LINE = re.compile(rf"^(?:[^\n:?-]*+[:?-]){{{BUSY}}}", re.MULTILINE)
"""A line with BUSY or more indicators: counted exactly rather than bounded. (Possessive:
giving back part of a run of other characters can never make an indicator follow it.)"""
_INDENT = re.compile(r"^ +", re.MULTILINE)
_BRACKETS = re.compile(r"[\[\]{}]")
_OPEN_CLOSE = str.maketrans("[{]}", "(())")


def _check_depth(text: str) -> None:
    """The exact nesting depth from libyaml's event stream (its parser keeps its own stack, so
    any depth is safe to scan); stops at the first level too deep. Syntax errors are left to
    the normal load, which reports them."""
    loader = _FastLessonLoader(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _depth_error(event.start_mark.line)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as exc:
        _refuse_if_too_deep(exc)
        return
    finally:
        loader.dispose()


def _refuse_if_too_deep(exc: yaml.YAMLError) -> None:
    """libyaml (6.0.4 and later) refuses deep nesting itself, before our own count reaches
    MAX_DEPTH: that is our depth refusal too, never a reason to retry with the pure-Python
    loader, whose recursive composer would die of RecursionError on the same text."""
    problem = getattr(exc, "problem", None) or ""
    if "nesting depth" in problem:
        mark = getattr(exc, "problem_mark", None)
        raise _depth_error(mark.line if mark is not None else 0) from None


def _depth_error(line: int) -> _Refused:
    return _Refused(line, f"front-matter nests lists and mappings more than {MAX_DEPTH} levels "
                    "deep", "flatten it: a lesson's fields nest at most four levels",
                    "yaml-depth")


def _check_nodes(root: yaml.Node, loader: yaml.SafeLoader) -> None:
    """Walk the composed YAML before anything is constructed from it, counting every value
    as often as aliases and merge keys repeat it, and refuse what the limits do not allow.
    The walk is iterative and stops at the budget, so a bomb costs at most MAX_NODES steps;
    errors name the line of the top-level key they were found under."""
    seen = 1
    if root.id != "mapping":
        _check_tree(root, loader, 1, 0, MAX_NODES)
        return
    if root.tag != _MAP:
        raise _tag_error(root)
    for key, value in root.value:
        line = key.start_mark.line
        seen += _check_tree(key, loader, 2, line, MAX_NODES - seen)
        seen += _check_tree(value, loader, 2, line, MAX_NODES - seen)


def _check_tree(top: yaml.Node, loader: yaml.SafeLoader, top_depth: int, line: int,
                budget: int) -> int:
    """Check one value and everything under it; returns how many values it holds."""
    stack: list[tuple[yaml.Node, int]] = [(top, top_depth)]
    seen = 0
    while stack:
        node, depth = stack.pop()
        seen += 1
        if seen > budget:
            raise _Refused(line, f"front-matter expands to more than {MAX_NODES:,} values "
                           "once YAML aliases (*name) and merge keys (<<) are repeated",
                           "write the values out instead of repeating anchors", "yaml-aliases")
        if depth > MAX_DEPTH:
            raise _depth_error(node.start_mark.line)
        kind = node.id
        if kind == "scalar":
            if node.tag != _STR:
                _check_scalar(node, loader)
        elif kind == "sequence":
            if node.tag != _SEQ:
                raise _tag_error(node)
            stack.extend((item, depth + 1) for item in node.value)
        else:
            if node.tag != _MAP:
                raise _tag_error(node)
            for key, value in node.value:
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))
    return seen


def _check_scalar(node: yaml.ScalarNode, loader: yaml.SafeLoader) -> None:
    tag, value, line = node.tag, node.value, node.start_mark.line
    if tag not in _SCALAR_TAGS:
        raise _tag_error(node)
    if tag in (_TAG + "int", _TAG + "float", _TAG + "bool"):
        if len(value) > MAX_NUMBER_CHARS:
            raise _Refused(line, f"a number of {len(value):,} characters is too long (at most "
                           f"{MAX_NUMBER_CHARS})", "put it in quotes if it is meant as text",
                           "yaml-number")
        try:
            loader.yaml_constructors[tag](loader, node)
        except (ValueError, KeyError, TypeError, OverflowError):
            raise _Refused(line, f"{value!r} is not a valid {_short(tag)} value",
                           "remove the tag, or put the value in quotes", "yaml-tag") from None
    elif tag == _TAG + "timestamp" and not _real_timestamp(value):
        raise _Refused(line, f"!!timestamp {value!r} is not a real date and time",
                       "write an ISO date like 2025-03-14 without the tag", "yaml-tag")


def _real_timestamp(value: str) -> bool:
    if not _TIMESTAMP.match(value):
        return False
    try:
        dt.date.fromisoformat(value[:10])
    except ValueError:
        return False
    return True


def _short(tag: str) -> str:
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


def _tag_error(node: yaml.Node) -> _Refused:
    return _Refused(node.start_mark.line, f"YAML tag {_short(node.tag)} is not accepted in "
                    "front-matter", "remove it: values are text, numbers, true/false, lists "
                    "and mappings", "yaml-tag")
