"""PyYAML's loaders with a lesson's resolvers (dates stay text, only true/false are booleans):
the pure-Python one, whose errors name the offending character, and libyaml's, ten times
faster, with a leaner resolve."""

from __future__ import annotations

import re
from typing import Any

import yaml


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
