"""Rules carry an optional human ``title:``: validated, in the JSON Schema and api/rules.json,
and the name every page uses; derived from the id only when absent."""

from __future__ import annotations

import datetime as dt
import json

from conftest import lesson_text
from lessonbook.analysis.analyse import analyse
from lessonbook.authoring.json_schema import lesson_schema
from lessonbook.load.sources import Source
from lessonbook.model.options import Options
from lessonbook.site.exports import rules_document


def _analyse(rules: list[dict]):
    front = {"id": "pm-1", "title": "Lesson", "type": "postmortem", "date": "2025-01-10",
             "rules": rules}
    return analyse([Source("pm-1.md", lesson_text(front).encode())], Options(),
                   build_date=dt.date(2025, 6, 1))


def test_a_rule_title_is_used_and_one_is_derived_from_the_id_only_when_absent():
    analysis = _analyse([
        {"id": "rule-pool", "title": "Canary pool changes", "if": "A pool changes",
         "then": "Canary it"},
        {"id": "rule-cert-expiry-alerts", "if": "A certificate is added", "then": "Alert"}])
    titles = {r.id: r.title for r in analysis.registry.rules}
    assert titles == {"rule-pool": "Canary pool changes",
                      "rule-cert-expiry-alerts": "Cert expiry alerts"}
    rows = rules_document(analysis.registry, lambda x: x.id)["rules"]
    assert [(r["title"], r["title_declared"]) for r in rows] == [
        ("Cert expiry alerts", False), ("Canary pool changes", True)]


def test_a_rule_title_that_is_not_text_is_an_error_on_its_line():
    analysis = _analyse([{"id": "rule-pool", "title": {"a": 1}, "if": "A", "then": "B"}])
    errors = [p for p in analysis.problems if p.is_error]
    assert [(p.line, p.message) for p in errors] == [(8, "rules[1].title must be text, not a "
                                                         "mapping")]


def test_the_json_schema_offers_a_rule_title():
    schema = json.dumps(lesson_schema())
    assert "A short human name for the rule" in schema
