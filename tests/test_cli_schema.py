"""`lessonbook schema`: JSON Schema generated from the specs the validator walks."""

from __future__ import annotations

import json

import pytest

from lessonbook import cli
from lessonbook.authoring.json_schema import lesson_schema
from lessonbook.model.kinds import kind_keys, lesson_fields
from lessonbook.model.vocabulary import Settings


def schema(capsys, *args: str) -> dict:
    assert cli.main(["schema", *args]) == 0
    return json.loads(capsys.readouterr().out)


def variants(prop: dict) -> list[dict]:
    return prop.get("anyOf", [prop])


def test_schema_is_draft_2020_12_with_the_required_fields(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    document = schema(capsys)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document["required"] == [s.name for s in lesson_fields() if s.required]


def test_every_field_spec_is_a_property_with_its_doc(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    properties = schema(capsys)["properties"]
    for spec in lesson_fields():
        assert properties[spec.name]["description"].startswith(spec.doc)


def test_enums_come_from_the_configured_vocabularies(tmp_path, monkeypatch, capsys):
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: T\nplugins:\n  - lessonbook:\n      severities: [P1, P2, P3]\n",
        encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    severity = schema(capsys)["properties"]["severity"]
    assert {"enum": ["P1", "P2", "P3"]} in variants(severity)


def test_follow_ups_are_objects_requiring_an_action():
    follow_ups = lesson_schema(Settings())["properties"]["follow_ups"]
    array = next(v for v in variants(follow_ups) if v.get("type") == "array")
    assert array["items"]["required"] == ["action"]
    assert "owner" in array["items"]["properties"]


def test_unknown_keys_are_not_forbidden_because_the_build_only_warns():
    assert "additionalProperties" not in json.dumps(lesson_schema(Settings()))


def test_empty_values_are_allowed_because_the_validator_skips_them():
    properties = lesson_schema(Settings())["properties"]
    assert all({"type": "null"} in variants(properties[s.name]) for s in lesson_fields())


@pytest.mark.parametrize("kind", kind_keys())
def test_kind_schema_has_only_that_kinds_blocks(capsys, tmp_path, monkeypatch, kind):
    monkeypatch.chdir(tmp_path)
    properties = schema(capsys, "--kind", kind)["properties"]
    assert properties["type"]["const"] == kind
    blocks = {s.name for s in lesson_fields() if s.kinds and kind not in s.kinds}
    assert blocks and not blocks & set(properties)


def test_an_unknown_kind_is_a_one_line_error(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["schema", "--kind", "postmortems"]) == 2
    err = capsys.readouterr().err.strip()
    assert "did you mean 'postmortem'" in err and len(err.splitlines()) == 1
