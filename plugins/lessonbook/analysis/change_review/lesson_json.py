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
        if type(inner) is not list or not all(
                type(x) is list and len(x) == 2 and type(x[0]) is list for x in inner):
            raise ValueError("a $keys entry that is not a [key (a list), value] pair")
        keys = {tuple(k): v if type(v) is int else decode(v) for k, v in inner}
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
    """The lesson :func:`store_lesson` gave ``text`` and ``body`` for; ValueError otherwise.

    Decoded as it is parsed (json's ``object_hook``, :func:`_hook`): only the tagged objects
    reach Python code, the lists and text of a lesson are left as the parser made them (a warm
    review loads 10,000 lessons: 0.5 -> 0.35 s of CPU). Same values as :func:`decode_lesson`."""
    if type(body) is not str:
        raise ValueError("not a stored lesson")
    lesson = _DECODER.decode(text)
    if type(lesson) is not Lesson or lesson.body is not None:
        raise ValueError("not a stored lesson")
    lesson.body = body
    return lesson


def _hook(value: dict[str, Any]) -> Any:
    """One JSON object, its contents already decoded (the parser works inside out): a tagged
    value becomes what :func:`_tagged` makes of it, any other object stays a mapping."""
    if len(value) != 1:
        return value
    (tag, inner), = value.items()
    if not tag.startswith("$"):
        return value
    tag = tag[1:]
    if tag == "date":
        return dt.date.fromisoformat(inner)
    if tag == "tuple":
        if type(inner) is not list:
            raise ValueError("a $tuple that is not a list")
        return tuple(inner)
    if tag == "map":
        if type(inner) is not list or not all(type(x) is list and len(x) == 2 for x in inner):
            raise ValueError("a $map entry that is not a [key, value] pair")
        return {_hashable(k): v for k, v in inner}
    cls = RECORDS.get(tag)
    if cls is None:  # line numbers, a date and time, or an error for an unknown tag
        return _tagged(tag, inner)
    if type(inner) is not list or len(inner) != len(_FIELD_NAMES[tag]):
        raise ValueError(f"${tag} that is not a list of its {len(_FIELD_NAMES[tag])} fields")
    return cls(*inner)


_DECODER = json.JSONDecoder(object_hook=_hook)
"""One decoder for every row (json.loads with a hook makes a new one per call)."""
