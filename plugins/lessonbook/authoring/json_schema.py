"""JSON Schema (draft 2020-12) of the front-matter, generated from ``kinds.lesson_fields()``.

The validator walks the same specs, so editors (YAML language server) and the build accept the
same things: empty values are allowed (the validator skips them), a single string is accepted
where a list is expected, choices match case-insensitively, and unknown keys are not forbidden
(the build only warns about them).
"""

from __future__ import annotations

import re
from typing import Any

from ..model.fields import PASSTHROUGH_KEYS, FieldSpec
from ..model.kinds import kind_keys, kind_label, lesson_fields
from ..model.vocabulary import Settings

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_ID = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
_DATE = r"^\d{4}-\d{2}-\d{2}([T ].+)?$"
_NULL: dict[str, Any] = {"type": "null"}


def _case_insensitive(option: str) -> str:
    parts = []
    for char in option:
        if char.isalpha() and char.lower() != char.upper():
            parts.append(f"[{char.lower()}{char.upper()}]")
        else:
            parts.append(re.escape(char))
    return "".join(parts)


def _choice(spec: FieldSpec, settings: Settings) -> dict[str, Any]:
    assert spec.vocabulary
    options = list(settings.vocabulary(spec.vocabulary))
    pattern = "^\\s*(" + "|".join(_case_insensitive(o) for o in options) + ")\\s*$"
    return {"anyOf": [{"enum": options}, {"type": "string", "pattern": pattern}]}


def _scalar(spec: FieldSpec, settings: Settings) -> dict[str, Any]:
    match spec.type:
        case "text":
            return {"type": ["string", "number"]}
        case "id":
            return {"anyOf": [{"type": "string", "pattern": _ID}, {"type": "integer"}]}
        case "date":
            return {"type": "string", "pattern": _DATE}
        case "choice":
            return _choice(spec, settings)
        case "duration":
            return {"type": ["string", "number"],
                    "examples": ["8m", "2h 30m", "25 minutes", "PT25M"]}
        case "count":
            return {"anyOf": [{"type": "integer", "minimum": 0},
                              {"type": "string", "pattern": r"^[0-9][0-9,_]*$"}]}
    raise ValueError(spec.type)


def field_schema(spec: FieldSpec, settings: Settings, kind: str | None = None) -> dict[str, Any]:
    """One property; every one also accepts null, because the validator skips empty values."""
    one: dict[str, Any]
    match spec.type:
        case "choices" | "texts" | "ids":
            item = _scalar(FieldSpec(spec.name, {"choices": "choice", "texts": "text",
                                                "ids": "id"}[spec.type], spec.doc,
                                     vocabulary=spec.vocabulary), settings)
            one = {"anyOf": [item, {"type": "array", "items": item}, _NULL]}
        case "mapping":
            one = {"anyOf": [object_schema(spec.fields, settings, kind), _NULL]}
        case "mappings":
            one = {"anyOf": [{"type": "array",
                              "items": object_schema(spec.fields, settings, kind)}, _NULL]}
        case _:
            scalar = _scalar(spec, settings)
            if scalar.get("anyOf"):
                one = {"anyOf": [*scalar["anyOf"], _NULL]}
            else:
                one = {"anyOf": [scalar, _NULL]}
    description = spec.doc
    if spec.kinds and kind is None:
        description += f" Only for type: {' or '.join(spec.kinds)}."
    if spec.default is not None:
        description += f" Default: {spec.default}."
        one["default"] = spec.default
    return {"description": description, **one}


def object_schema(specs: tuple[FieldSpec, ...], settings: Settings,
                  kind: str | None = None) -> dict[str, Any]:
    properties = {spec.name: field_schema(spec, settings, kind) for spec in specs
                  if kind is None or spec.kinds is None or kind in spec.kinds}
    required = [spec.name for spec in specs if spec.required and spec.name in properties]
    out: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        out["required"] = required
    return out


def lesson_schema(settings: Settings | None = None, kind: str | None = None) -> dict[str, Any]:
    """The whole front-matter schema; with ``kind``, only the fields that kind accepts."""
    settings = settings or Settings()
    if kind is not None and kind not in kind_keys():
        raise ValueError(kind)
    schema = object_schema(lesson_fields(), settings, kind)
    for key in sorted(PASSTHROUGH_KEYS | set(settings.extra_keys)):
        schema["properties"].setdefault(key, {"description": "Read by MkDocs or the site; "
                                              "checked by `lessonbook check` (see the "
                                              "front-matter reference)."})
    if kind is not None:
        schema["properties"]["type"] = {"description": "The kind of lesson.", "const": kind}
    title = (f"Lessonbook {kind_label(kind).lower()} front-matter" if kind
             else "Lessonbook lesson front-matter")
    return {
        "$schema": DRAFT,
        "$id": f"https://lessonbook.invalid/schema/{kind or 'lesson'}.json",
        "title": title,
        "description": "Generated by `lessonbook schema` from the specs the validator uses. "
        "Unknown keys are allowed here and reported as warnings by `lessonbook check`.",
        **schema,
    }
