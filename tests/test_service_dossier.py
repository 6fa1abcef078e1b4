"""The service page serves a responder: past incidents (postmortems and near misses) first, as
cards with a one-line summary; experiments and pre-mortems counted apart."""

from __future__ import annotations

import re

from conftest import build, lesson_text, write_site
from test_registry_pages import text_of


def _lesson(lesson_id: str, kind: str, day: str, **extra) -> tuple[str, str]:
    front = {"id": lesson_id, "title": f"Lesson {lesson_id}", "type": kind, "date": day,
             "services": ["checkout"], **extra}
    return f"{day[:4]}/{lesson_id}.md", lesson_text(front)


def test_only_postmortems_and_near_misses_are_past_incidents_the_rest_counted_apart(tmp_path):
    long = "Checkout timed out for 20 minutes after a pool change. " + "More words. " * 30
    files = dict([
        _lesson("pm-1", "postmortem", "2024-02-10", summary=long, severity="SEV2"),
        _lesson("nm-1", "near-miss", "2025-01-05", summary="x" * 400),
        _lesson("exp-1", "experiment", "2025-03-01"),
        _lesson("pre-1", "premortem", "2025-04-01"),
        _lesson("pre-2", "premortem", "2025-05-01")])
    built = build(write_site(tmp_path, files, {"search": {"pagefind": False}}), strict=True)
    html = built.html("services/checkout/")
    cards = re.findall(r'<li class="lb-incident" data-lessonbook-lesson="([^"]+)">(.*?)</li>',
                       html, re.S)
    assert [lesson_id for lesson_id, _ in cards] == ["nm-1", "pm-1"]
    assert "Near miss" in text_of(cards[0][1])
    summaries = [text_of(re.search(r'lb-incident__summary">(.*?)</p>', c, re.S).group(1))
                 for _, c in cards]
    assert summaries[1] == "Checkout timed out for 20 minutes after a pool change."
    assert len(summaries[0]) <= 161 and summaries[0].endswith("…")
    lead = text_of(html.split('class="lb-lead">', 1)[1].split("</p>", 1)[0])
    assert lead.startswith("2 past incidents (postmortems and near misses)")
    assert lead.endswith("Also 2 pre-mortems, 1 experiment.")
    others = html.split('id="other-lessons"', 1)[1].split("<h2", 1)[0]
    assert re.findall(r'data-lessonbook-lesson="([^"]+)"', others) == ["pre-2", "pre-1",
                                                                      "exp-1"]
