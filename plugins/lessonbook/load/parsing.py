"""The one parse path: bytes of a Markdown file → front-matter mapping, body, and line numbers.

The MkDocs build and ``lessonbook check`` both call :func:`parse_source`, so they cannot disagree.
We split the fences ourselves rather than with python-frontmatter because we need exact line
numbers (its boundary regex swallows blank lines after the fence) and YAML node positions for
every key; PyYAML does the YAML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..model.problems import Problem, Severity

Path = tuple[str | int, ...]

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


@dataclass
class SourceDocument:
    """What a file says, before any validation of its fields."""

    path: str
    meta: dict[str, Any] | None
    body: str
    body_line: int = 1
    lines: dict[Path, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    has_front_matter: bool = False

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
        return SourceDocument(path, None, text, has_front_matter=True, problems=[Problem(
            path, 1, Severity.ERROR, "front-matter opened with '---' on line 1 is never closed",
            "add a line with '---' after the last field", code="yaml",
        )])
    if front is None:
        return SourceDocument(path, None, text, problems=[Problem(
            path, 1, Severity.ERROR, "no front-matter: a lesson starts with a '---' block",
            "add ---, title:, type:, date:, --- at the top", code="no-front-matter",
        )])
    doc = SourceDocument(path, None, body, body_line=body_line, has_front_matter=True)
    try:
        try:
            node, data = _load(_FastLessonLoader, front)
        except yaml.YAMLError:
            node, data = _load(LessonLoader, front)
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


def _load(loader_class: type[yaml.SafeLoader], text: str) -> tuple[yaml.Node | None, Any]:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def _index_lines(node: yaml.Node, path: Path, doc: SourceDocument, offset: int) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = (*path, key)
            line = key_node.start_mark.line + offset
            if key in seen:
                doc.problems.append(Problem(
                    doc.path, line, Severity.WARNING,
                    f"key {'.'.join(map(str, child))!r} appears twice; the last one wins",
                    "remove one of them", code="duplicate-key",
                ))
            seen.add(key)
            doc.lines[child] = line
            _index_lines(value_node, child, doc, offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*path, index)
            doc.lines[child] = item.start_mark.line + offset
            _index_lines(item, child, doc, offset)
