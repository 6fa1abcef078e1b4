"""Every text of a front-matter is text a page, a feed, a search index and a terminal can carry.

YAML's double-quoted escapes (``"\\ud800"``, ``"\\e"``, ``"\\0"``) make characters no author can
type and nothing downstream can carry: a lone surrogate cannot be encoded as UTF-8, so a build
that met one failed writing the page (or waited on a search indexer that had refused it), and a
control character has no place in XML or a log. They are refused here, once, where the parsed
mapping becomes a lesson, for every string however deep it is nested — keys included — so no
code after validation has to wonder (model/text.py says which characters).
"""

from __future__ import annotations

from typing import Any

from ..model.problems import Problem, Severity
from ..model.text import NOT_ACCEPTED, describe_character, visible
from .parsing import SourceDocument

Path = tuple[str | int, ...]


def text_problems(doc: SourceDocument) -> list[tuple[Path, Problem]]:
    """One error per key or value holding a character a lesson may not hold (and one for a
    file name that is not valid text), with the field's name and line; each with the path of
    the field, whose other checks need not say it again."""
    problems: list[tuple[Path, Problem]] = []
    if NOT_ACCEPTED.search(doc.path):
        problems.append(((), Problem(
            doc.path, None, Severity.ERROR,
            f"the file name holds {describe_character(NOT_ACCEPTED.search(doc.path).group())}",
            "rename the file: a lesson's name becomes its page's address", code="text")))
    if doc.meta is None or not doc.escapes:
        return problems
    stack: list[tuple[Path, Any]] = [((), doc.meta)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if NOT_ACCEPTED.search(value):
                problems.append((path, _problem(doc, path, value, "value")))
        elif isinstance(value, dict):
            for key, item in value.items():
                name = str(key)
                if NOT_ACCEPTED.search(name):
                    problems.append(((*path, name), _problem(doc, (*path, name), name, "key")))
                stack.append(((*path, name), item))
        elif isinstance(value, list):
            stack.extend(((*path, index), item) for index, item in enumerate(value))
    problems.sort(key=lambda found: (found[1].line or 0, found[1].message))
    return problems


def _problem(doc: SourceDocument, path: Path, text: str, what: str) -> Problem:
    found = NOT_ACCEPTED.search(text)
    assert found is not None
    return Problem(doc.path, doc.line_of(*path), Severity.ERROR,
                   f"the {what} of {field_name(path)} holds {describe_character(found.group())}",
                   "write the character itself, not a YAML escape (\\u, \\x, \\e, \\0 ...); "
                   "an emoji or other character beyond U+FFFF is one \\U escape, not two \\u",
                   code="text")


def field_name(path: Path) -> str:
    """``('follow_ups', 0, 'owner')`` → ``follow_ups[1].owner``, with any character a lesson
    may not hold shown as an escape."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{visible(part)}" if out else visible(part)
    return out or "front-matter"
