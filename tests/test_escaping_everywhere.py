"""Every user string is escaped wherever it lands: every page the build generates (lesson,
lists, taxonomy, registry, Explore, Insights, Recurring, digests, glossary, start here, service
dossier), the feed and the JSON exports. (A lesson's Markdown body is the author's HTML, as in
any MkDocs page; only its data-pagefind-* attributes are neutralised: test_hostile_input.py.)"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from conftest import lesson_text

X = '<script>alert("{n}")</script><img src=x onerror=alert({n})>'


def _x(n: int) -> str:
    return X.replace("{n}", str(n))


def test_a_hostile_string_in_every_field_is_text_in_every_output_file(make_site):
    incident = {
        "id": "pm-1", "title": _x(1), "type": "postmortem", "date": "2025-03-01",
        "summary": _x(2), "severity": "SEV2", "tags": [_x(3)], "services": [_x(4)],
        "teams": [_x(5)], "categories": ["capacity"], "failure_type": "complexity",
        "time_to_detect": "10m", "time_to_recover": "1h",
        "impact": {"actual": _x(6), "potential": _x(7)},
        "contributing_factors": [_x(8)],
        "follow_ups": [{"action": _x(9), "owner": _x(10), "due": "2025-04-01"}],
        "rules": [{"id": "rule-x", "if": _x(11), "then": _x(12), "status": "adopted",
                   "owner": _x(13)}],
    }
    later = {
        "id": "pm-2", "title": _x(14), "type": "postmortem", "date": "2025-09-01",
        "summary": _x(15), "services": [_x(4)], "time_to_recover": "2h",
        "rule_updates": [{"rule": "rule-x", "change": "applied", "note": _x(16)}],
        "follow_ups": [{"action": "Fix it", "owner": "sre", "due": "2025-10-01",
                        "status": "done"}],
    }
    aar = {"id": "aar-1", "title": "Game day", "type": "aar", "date": "2025-05-01",
           "aar": {"intended": _x(17), "happened": _x(18)}}
    checklist = {"id": "cl-1", "title": _x(19), "type": "checklist", "date": "2025-06-01",
                 "trigger": _x(20), "owner": "sre", "sources": ["pm-1"],
                 "changes": [{"date": "2025-07-01", "lesson": "pm-2", "change": _x(21)}]}
    site = make_site({
        "2025/pm-1.md": lesson_text(incident),
        "2025/pm-2.md": lesson_text(later),
        "2025/aar-1.md": lesson_text(aar),
        "checklists/cl-1.md": lesson_text(checklist, "- [ ] Confirm the backup\n"),
    }, {"build_date": "2026-01-01"}, extra_config={"site_url": "https://lessons.example/"})
    assert site.ok, site.log
    checked = 0
    for path in site.site.rglob("*"):
        if path.suffix not in (".html", ".xml", ".json", ".svg") or "pagefind" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        checked += 1
        assert "<script>alert(" not in text, path
        assert "<img src=x" not in text, path
    assert checked > 20
    ET.fromstring((site.site / "feed.xml").read_text(encoding="utf-8"))  # well-formed
