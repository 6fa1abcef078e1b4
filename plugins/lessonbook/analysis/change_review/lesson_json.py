"""A validated lesson (and its problems) as JSON and back, exactly: the review cache's format.

JSON, never pickle: the cache sits in a user's cache folder that anything could write to, and
decoding here can only ever build the few record types named below. Values JSON cannot say
plainly are tagged with a one-key object whose key starts with ``$`` (dates, tuples, mappings
with keys that are not text or that start with ``$``, mappings keyed by tuples of text and
numbers such as a lesson's line numbers, the lesson's own records); anything else
refuses to encode (:class:`NotEncodable`), and that file is simply not cached.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

from ...model.lesson import FollowUp, Lesson, RuleDeclaration, RuleUpdate
from ...model.problems import Problem, Severity

RECORDS: dict[str, type] = {cls.__name__: cls for cls in (Lesson, FollowUp, RuleDeclaration,
                                                           RuleUpdate)}
"""The only classes a cache file can make."""
_FIELD_NAMES = {name: tuple(f.name for f in dataclasses.fields(cls))
                for name, cls in RECORDS.items()}
"""Each record's fields in order: a record is the list of its values (the cache is emptied
when model/*.py changes, so the order it was written in is this one)."""


class NotEncodable(TypeError):
    """A value the format has no tag for: the lesson is read from its file each time."""


def encode(value: Any) -> Any:
    """A JSON-ready form of a lesson's value (records, dates, tuples and mappings included)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, tuple):
        return {"$tuple": [encode(v) for v in value]}
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in value):
            return {k: encode(v) for k, v in value.items()}
        if value and all(isinstance(k, tuple) and all(type(x) in (str, int) for x in k)
                         for k in value):  # a lesson's line numbers: compact, fast to read
            return {"$keys": [[list(k), encode(v)] for k, v in value.items()]}
        return {"$map": [[encode(k), encode(v)] for k, v in value.items()]}
    cls = type(value)
    if RECORDS.get(cls.__name__) is cls:  # positional, in field order (fast to read back)
        return {f"${cls.__name__}": [encode(getattr(value, name))
                                     for name in _FIELD_NAMES[cls.__name__]]}
    raise NotEncodable(f"no JSON form for {cls.__name__}")


_PLAIN = frozenset((str, int, float, bool, type(None)))
"""Values that decode to themselves: tested by type before a call (a warm review decodes
some 300,000 values)."""


def decode(value: Any) -> Any:
    """The value :func:`encode` was given; a malformed document raises ValueError."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is list:  # most lists are of plain text: those items need no call
        return [v if type(v) in _PLAIN else decode(v) for v in value]
    if kind is not dict:
        raise ValueError(f"not a JSON value: {kind.__name__}")
    if len(value) == 1:
        (tag, inner), = value.items()
        if tag.startswith("$"):
            return _tagged(tag[1:], inner)
    return {k: v if type(v) in _PLAIN else decode(v) for k, v in value.items()}


def _tagged(tag: str, inner: Any) -> Any:
    if tag == "date":
        return dt.date.fromisoformat(inner)
    if tag == "datetime":
        return dt.datetime.fromisoformat(inner)
    if tag == "tuple":
        return tuple(decode(v) for v in inner)
    if tag == "map":
        return {_hashable(decode(k)): decode(v) for k, v in inner}
    if tag == "keys":  # a lesson's line numbers: thousands per run, checked in bulk
        if type(inner) is not list or not all(type(x) is list and len(x) == 2 for x in inner):
            raise ValueError("a $keys entry that is not a [key, value] pair")
        keys = {_key(k): v if type(v) is int else decode(v) for k, v in inner}
        if not {type(x) for key in keys for x in key} <= _KEY_PARTS:
            raise ValueError("a $keys key that is not a list of text and numbers")
        return keys
    cls = RECORDS.get(tag)
    if cls is None or type(inner) is not list:
        raise ValueError(f"unknown tag ${tag}")
    if len(inner) != len(_FIELD_NAMES[tag]):
        raise ValueError(f"${tag} with {len(inner)} fields")
    return cls(*[v if type(v) in _PLAIN else decode(v) for v in inner])


_KEY_PARTS = {str, int}


def _key(key: Any) -> tuple[str | int, ...]:
    if type(key) is not list:  # its parts are checked by the caller, all keys at once
        raise ValueError("a $keys key that is not a list of text and numbers")
    return tuple(key)


def _hashable(key: Any) -> Any:
    if isinstance(key, list | dict):
        raise ValueError("a mapping key that is a list or mapping")
    return key


def encode_problem(problem: Problem) -> list[Any]:
    return [problem.path, problem.line, problem.severity.value, problem.message,
            problem.suggestion, problem.code]


def decode_problem(value: Any) -> Problem:
    path, line, severity, message, suggestion, code = value
    if not (isinstance(path, str) and isinstance(message, str) and isinstance(code, str)
            and (line is None or isinstance(line, int))
            and (suggestion is None or isinstance(suggestion, str))):
        raise ValueError("a malformed problem")
    return Problem(path, line, Severity(severity), message, suggestion, code)


def decode_lesson(value: Any) -> Lesson:
    lesson = decode(value)
    if not isinstance(lesson, Lesson):
        raise ValueError("not a lesson")
    return lesson


_BODY = _FIELD_NAMES["Lesson"].index("body")


def store_lesson(lesson: Lesson) -> tuple[str, str]:
    """(JSON of the lesson without its body, the body): the body, most of a lesson's bytes,
    is kept as plain text beside the JSON, so a warm review does not parse it as JSON."""
    value = encode(lesson)
    value["$Lesson"][_BODY] = None
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")), lesson.body


def load_lesson(text: str, body: Any) -> Lesson:
    """The lesson :func:`store_lesson` gave ``text`` and ``body`` for; ValueError otherwise."""
    value = json.loads(text)
    if type(value) is not dict or type(body) is not str:
        raise ValueError("not a stored lesson")
    fields = value.get("$Lesson")
    if len(value) != 1 or type(fields) is not list or len(fields) != len(_FIELD_NAMES["Lesson"]) \
            or fields[_BODY] is not None:
        raise ValueError("not a stored lesson")
    fields[_BODY] = body
    return decode_lesson(value)
