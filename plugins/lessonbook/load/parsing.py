"""The one parse path: bytes of a Markdown file → front-matter mapping, body, and line numbers.

The MkDocs build and ``lessonbook check`` both call :func:`parse_source`, so they cannot disagree.
We split the fences ourselves rather than with python-frontmatter because we need exact line
numbers (its boundary regex swallows blank lines after the fence) and YAML node positions for
every key; PyYAML does the YAML.

Front-matter is untrusted input, so YAML is held to limits before anything is built from it
(see :func:`_check_nodes`): a size limit, a nesting limit, a budget on values counted with
aliases and merge keys expanded (a 600-byte "billion laughs" stays 600 bytes until something
walks it), numbers of at most ``MAX_NUMBER_CHARS`` characters and only the core tags. Each
breach is one error naming the line; nothing is constructed, so nothing can raise or stall.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..model.problems import Problem, Severity

Path = tuple[str | int, ...]

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

_OPEN = re.compile(r"^---[ \t]*$")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")


class LessonLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text and only `true`/`false` as booleans.

    PyYAML would turn `2025-02-30` into an exception and `no` into False; authors get a clear
    error for the first and keep the string for the second.
    """


LessonLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
LessonLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class _FastLessonLoader(getattr(yaml, "CSafeLoader", LessonLoader)):  # type: ignore[misc]
    """LessonLoader's resolvers on libyaml's parser: about 10x faster, same data and lines
    (`lessonbook check` on 1,000 lessons). On a YAML error the pure-Python loader parses
    again, because its messages name the offending character."""


_FastLessonLoader.yaml_implicit_resolvers = LessonLoader.yaml_implicit_resolvers
_RESOLVERS = {first: [*resolvers, *LessonLoader.yaml_implicit_resolvers.get(None, [])]
              for first, resolvers in LessonLoader.yaml_implicit_resolvers.items()}
_WILDCARD = LessonLoader.yaml_implicit_resolvers.get(None, [])


_PLAIN_TAGS: dict[str, str] = {}
"""Short plain scalars → their tag: keys and vocabulary values repeat in every lesson."""
_PLAIN_TAGS_MAX = 20_000
_PLAIN_TAG_CHARS = 40


def _resolve(self: yaml.SafeLoader, kind: type, value: str, implicit: tuple[bool, bool]
             ) -> str:
    """PyYAML's resolve without the path resolvers we never register: libyaml calls it for
    every node, so its Python overhead was a tenth of parsing. Same tags; a plain scalar's
    tag depends on its text alone, so short ones are remembered (``_PLAIN_TAGS``)."""
    if kind is yaml.ScalarNode:
        if implicit[0]:
            known = _PLAIN_TAGS.get(value)
            if known is not None:
                return known
            found = self.DEFAULT_SCALAR_TAG
            for tag, regexp in _RESOLVERS.get(value[:1], _WILDCARD):
                if regexp.match(value):
                    found = tag
                    break
            if len(value) <= _PLAIN_TAG_CHARS and len(_PLAIN_TAGS) < _PLAIN_TAGS_MAX:
                _PLAIN_TAGS[value] = found
            return found
        return self.DEFAULT_SCALAR_TAG
    return self.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode else self.DEFAULT_MAPPING_TAG


def _no_path_resolvers(self: yaml.SafeLoader, *_args: Any) -> None:
    """Path resolvers are never registered, so there is nothing to descend or ascend."""


assert not LessonLoader.yaml_path_resolvers
_FastLessonLoader.resolve = _resolve
_FastLessonLoader.descend_resolver = _no_path_resolvers
_FastLessonLoader.ascend_resolver = _no_path_resolvers

_TAG = "tag:yaml.org,2002:"
# An explicit `!!timestamp` (checked to be a real date first) stays text like implicit dates.
for _loader in (LessonLoader, _FastLessonLoader):
    _loader.add_constructor(_TAG + "timestamp", yaml.SafeLoader.construct_yaml_str)
_STR, _SEQ, _MAP = _TAG + "str", _TAG + "seq", _TAG + "map"
_SCALAR_TAGS = {_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp",
                                        "merge", "value")}
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}(?:(?:[Tt]|[ \t]+)\d{1,2}:\d{2}:\d{2}(?:\.\d*)?"
                        r"(?:[ \t]*(?:Z|[-+]\d{1,2}(?::\d{2})?))?)?$")


@dataclass
class SourceDocument:
    """What a file says, before any validation of its fields."""

    path: str
    meta: dict[str, Any] | None
    body: str
    body_line: int = 1
    lines: dict[Path, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    escapes: bool = True
    """The front-matter may hold YAML escapes (it has a backslash). YAML's reader refuses
    every character a lesson may not hold when it is typed, so only an escape can make one:
    without a backslash, validation need not look (load/text_fields.py)."""

    def line_of(self, *path: str | int) -> int | None:
        """Line of a key (or list item) in the file, falling back to its nearest parent."""
        key: Path = tuple(path)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.lines.get((), None)


def decode(raw: bytes, path: str) -> tuple[str | None, Problem | None]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, Problem(
            path, line, Severity.ERROR,
            f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
            "save the file as UTF-8", code="encoding",
        )
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front-matter text or None, body, line where the body starts)."""
    lines = text.split("\n")
    if not lines or not _OPEN.match(lines[0]):
        return None, text, 1
    for index in range(1, len(lines)):
        if _CLOSE.match(lines[index]):
            return "\n".join(lines[1:index]) + "\n", "\n".join(lines[index + 1 :]), index + 2
    raise _Unclosed()


class _Unclosed(Exception):
    pass


def parse_source(raw: bytes, path: str) -> SourceDocument:
    """Parse one file; every problem is collected, nothing raises."""
    text, problem = decode(raw, path)
    if text is None:
        assert problem is not None
        return SourceDocument(path, None, "", problems=[problem])
    if not text.strip():
        return SourceDocument(path, None, text, problems=[Problem(
            path, None, Severity.ERROR, "file is empty",
            "start it with front-matter: ---, title:, type:, date:, ---", code="empty",
        )])
    try:
        front, body, body_line = split_front_matter(text)
    except _Unclosed:
        return SourceDocument(path, None, text, problems=[Problem(
            path, 1, Severity.ERROR, "front-matter opened with '---' on line 1 is never closed",
            "add a line with '---' after the last field", code="yaml",
        )])
    if front is None:
        return SourceDocument(path, None, text, problems=[Problem(
            path, 1, Severity.ERROR, "no front-matter: a lesson starts with a '---' block",
            "add ---, title:, type:, date:, --- at the top", code="no-front-matter",
        )])
    doc = SourceDocument(path, None, body, body_line=body_line,
                         escapes="\\" in front)
    if len(body) > MAX_BODY_BYTES // 4 and len(body.encode()) > MAX_BODY_BYTES:
        doc.problems.append(Problem(
            path, body_line, Severity.WARNING,
            f"the body is {len(body.encode()) / 1024 / 1024:.1f} MB; pages over "
            f"{MAX_BODY_BYTES // 1024 // 1024} MB slow the build, the page and search",
            "split the lesson, or link to large logs and data instead of pasting them",
            code="large-body",
        ))
    try:
        size = len(front.encode()) if len(front) > MAX_FRONT_MATTER_BYTES // 4 else 0
        if size > MAX_FRONT_MATTER_BYTES:
            raise _Refused(0, f"front-matter is {size // 1024:,} KB; at most "
                           f"{MAX_FRONT_MATTER_BYTES // 1024} KB is accepted",
                           "move long text into the body below the closing '---'",
                           "front-matter-size")
        if _nesting_bound(front) > MAX_DEPTH:
            _check_depth(front)
        simple = _load_simple(front, path)
        if simple is not None:
            doc.meta, doc.lines, duplicates = simple
            doc.problems.extend(duplicates)
            return doc
        try:
            node, data = _load(_FastLessonLoader, front)
        except yaml.YAMLError as exc:
            _refuse_if_too_deep(exc)
            try:
                node, data = _load(LessonLoader, front)
            except RecursionError:  # whatever libyaml let through, the pure loader cannot nest
                raise _depth_error(0) from None
    except _Refused as refused:
        doc.problems.append(Problem(path, refused.line + 2, Severity.ERROR, refused.message,
                                    refused.suggestion, code=refused.code))
        return doc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 2 if mark is not None else 1
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        doc.problems.append(Problem(
            path, line, Severity.ERROR, f"front-matter is not valid YAML: {reason}",
            "check indentation, and quote values containing ': ' or starting with '@', '*', '['",
            code="yaml",
        ))
        return doc
    if data is None:
        doc.problems.append(Problem(
            path, 1, Severity.ERROR, "front-matter is empty",
            "add title:, type: and date:", code="not-mapping",
        ))
        return doc
    if not isinstance(data, dict):
        doc.problems.append(Problem(
            path, 2, Severity.ERROR,
            f"front-matter must be a mapping of 'key: value' lines, not a {type(data).__name__}",
            "write fields as 'title: ...' on their own lines", code="not-mapping",
        ))
        return doc
    doc.meta = {str(k): v for k, v in data.items()}
    doc.lines[()] = 1
    _index_lines(node, (), doc, offset=2)
    return doc


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


def _load_simple(text: str, path: str
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
    """State of one :func:`_load_simple` walk (a budget shared by the whole tree)."""

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


def _load(loader_class: type[yaml.SafeLoader], text: str) -> tuple[yaml.Node | None, Any]:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _check_nodes(node, loader)
        return node, loader.construct_document(node)
    finally:
        loader.dispose()


class _Refused(Exception):
    """Front-matter over one of the limits; ``line`` counts from 0 in the front-matter text."""

    def __init__(self, line: int, message: str, suggestion: str, code: str) -> None:
        super().__init__(message)
        self.line, self.message, self.suggestion, self.code = line, message, suggestion, code


def _nesting_bound(text: str) -> int:
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
    return 2 * indent + _BUSY + flow_max + 1


_BUSY = 10
_BUSY_LINE = re.compile(rf"^(?:[^\n:?-]*+[:?-]){{{_BUSY}}}", re.MULTILINE)
"""A line with _BUSY or more indicators: counted exactly rather than bounded. (Possessive:
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
