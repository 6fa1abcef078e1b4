"""parse_source: one file's bytes through the fences, the limits and a YAML reader into a
SourceDocument, every problem collected."""

from __future__ import annotations

from typing import Any

import yaml

from ...model.problems import Problem, Severity
from .document import SourceDocument
from .fences import _Unclosed, decode, split_front_matter
from .limits import (
    MAX_BODY_BYTES,
    MAX_DEPTH,
    MAX_FRONT_MATTER_BYTES,
    _check_depth,
    _check_nodes,
    _depth_error,
    _refuse_if_too_deep,
    _Refused,
    nesting_bound,
)
from .lines import _index_lines
from .loaders import LessonLoader, _FastLessonLoader
from .simple import load_simple


def parse_source(raw: bytes, path: str, *, one_walk: bool = True) -> SourceDocument:
    """Parse one file; every problem is collected, nothing raises.

    ``one_walk=False`` reads every front-matter through the full path (limits walk, PyYAML's
    constructor, line walk): the reference the one-walk reader must equal, for tests."""
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
        if nesting_bound(front) > MAX_DEPTH:
            _check_depth(front)
        simple = load_simple(front, path) if one_walk else None
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
