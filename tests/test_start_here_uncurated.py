"""Start here on a knowledge base nobody curated (an import: no `start_here`, no rules, no
`related:`, no failure types): the default path still lists several lessons — the ones the
text links to most, the incidents that came back, the most severe, the best of each busiest
service — each with the reason (#23)."""

from __future__ import annotations

import re

from conftest import lesson_text


def _lesson(lesson_id: str, title: str, date: str, services: list[str], summary: str,
            body: str = "", **more: object) -> str:
    return lesson_text({"id": lesson_id, "title": title, "type": "postmortem", "date": date,
                        "services": services, "summary": summary, **more},
                       f"## Summary\n\n{summary}\n\n{body}\n")


FILES = {
    "pm-1.md": _lesson("pm-1", "All services returning 503", "2021-06-22", ["kubernetes"],
                       "Changes to the VPC CNI detached the target groups from the load "
                       "balancer, so all inbound traffic failed to reach the cluster."),
    "pm-2.md": _lesson("pm-2", "All services returning 503", "2021-06-30", ["kubernetes"],
                       "A scheduled upgrade of the cluster changed how add-ons are deployed; "
                       "the target groups lost their nodes and inbound traffic failed.",
                       "Much like [the first one](pm-1.md)."),
    "pm-3.md": _lesson("pm-3", "All services returning 503", "2021-07-02", ["kubernetes"],
                       "We experienced another 503 incident for all services, at the daily "
                       "pipeline run; the target groups were emptied again.",
                       "See [pm-1][pm-1].\n\n[pm-1]: pm-1.md"),
    "pm-4.md": _lesson("pm-4", "Certificate for KIAM expired", "2022-01-21", ["kiam"],
                       "The KIAM server certificate expired and pods lost their roles.",
                       severity="SEV1"),
    "pm-5.md": _lesson("pm-5", "Kafka metrics missing", "2022-02-08", ["kafka"],
                       "The exporter timed out and Kafka metrics were missing for a day."),
    "pm-6.md": _lesson("pm-6", "Kafka consumer lag", "2023-05-08", ["kafka"],
                       "Consumers fell behind after a broker restart and orders queued."),
    # Unrelated lessons, so what the outages share is distinctive, as in a real knowledge base
    **{f"other-{i}.md": _lesson(f"other-{i}", title, "2020-03-01", [], text)
       for i, (title, text) in enumerate([
           ("Login page slow", "Sessions piled up in the cache after a deploy of the identity "
            "service; users waited at sign-in."),
           ("Invoice emails sent twice", "A retry in the mailer resent invoices when the "
            "provider answered late."),
           ("Search index out of date", "The nightly reindex job failed silently and results "
            "aged for three days.")])},
}


def _sections(html: str) -> dict[str, list[str]]:
    """Section id → the ids of the lessons it lists, in order."""
    out: dict[str, list[str]] = {}
    for match in re.finditer(r'<h2 id="([\w-]+)">(.*?)(?=<h2 id=|</div>\s*$|$)', html, re.S):
        out[match.group(1)] = re.findall(r'data-lessonbook-lesson="([^"]+)"', match.group(2))
    return out


def test_an_uncurated_knowledge_base_gets_a_reading_path_of_several_lessons(make_site):
    site = make_site(FILES, {"search": {"pagefind": False}})
    assert site.ok, site.log
    page = site.html("start-here/")
    sections = _sections(page)
    assert sections["most-referenced"] == ["pm-1"]  # two lessons' text links to it
    assert "Referred to 2 times elsewhere" in page
    assert "It came back 2 times: All services returning 503 (2021-06-30); All services " \
           "returning 503 (2021-07-02)." in page
    assert sections["most-severe"] == ["pm-4"]
    assert sections["by-service"] in (["pm-5"], ["pm-6"])
    assert "kafka: 2 incidents; this is the most complete account." in page
    assert "kubernetes: 3 incidents" in page  # on pm-1, listed once with all its reasons
    listed = {x for ids in sections.values() for x in ids}
    assert listed == {"pm-1", "pm-4", "pm-5" if "pm-5" in listed else "pm-6"}, sections
