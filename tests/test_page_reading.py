"""Pages that read well: what a lesson page, the registry pages, the taxonomy and the header
search say, read from real builds in temp folders."""

from __future__ import annotations

import json
import re

from conftest import lesson_text

PM = {"id": "pm-1", "title": "Checkout timeouts", "type": "postmortem", "date": "2025-02-01",
      "summary": "Checkout timed out.", "status": "reviewed", "services": ["checkout"],
      "teams": ["sre"], "tags": ["pool"], "contributing_factors": ["A small pool."],
      "follow_ups": [{"action": "Alert on saturation", "owner": "sre", "due": "2020-01-01",
                      "status": "open"}],
      "rules": [{"id": "rule-pool-canary", "if": "A change alters pool sizes.",
                 "then": "Canary it for 30 minutes", "status": "adopted"}]}
PRE = {"id": "pre-1", "title": "Launch risks", "type": "premortem", "date": "2025-03-01",
       "services": ["checkout"], "tags": ["pool"], "related": ["pm-1"]}
CL = {"id": "cl-1", "title": "Pool change", "type": "checklist", "date": "2025-01-01",
      "trigger": "Before changing a pool."}
BODY = "## What happened\n\nThe near miss nm-2 and pm-1 are linked; `pm-1` in code is not.\n"


def built(make_site, body: str = BODY, **front):
    return make_site({
        "2025/pm-1.md": lesson_text({**PM, **front}, "## Contributing factors\n\nSmall pool.\n"),
        "2025/pre-1.md": lesson_text(PRE, body),
        "checklists/cl-1.md": lesson_text(CL, "- [ ] Check the pool size.\n"),
    }, plugin_config={"search": {"pagefind": False}})


def test_rule_text_reads_as_one_sentence(make_site):
    page = built(make_site).html("2025/pm-1/")
    text = re.sub(r"<[^>]+>", "", page)
    assert "If a change alters pool sizes, then canary it for 30 minutes." in text
    assert "Pool canary" in text  # the rule's readable title


def test_contributing_factors_appear_once_when_the_body_has_them(make_site):
    page = built(make_site).html("2025/pm-1/")
    assert page.count('id="contributing-factors"') == 1
    assert "A small pool." not in page  # the body's section wins


def test_lesson_ids_in_the_body_become_links_but_not_inside_code(make_site):
    page = built(make_site).html("2025/pre-1/")
    assert re.search(r'<a class="lb-id-link" href="[^"]*2025/pm-1/"[^>]*>pm-1</a> are linked',
                     page)
    assert "<code>pm-1</code>" in page
    assert "nm-2 and" in page  # not a lesson of this site: left as text


def test_a_lesson_page_shows_its_id_with_a_copy_button(make_site):
    page = built(make_site).html("2025/pm-1/")
    assert '<code class="lb-id">pm-1</code>' in page
    assert 'data-lessonbook-copy="pm-1"' in page


def test_neighbours_are_similar_incidents_only_under_incidents(make_site):
    site = built(make_site)
    assert 'id="similar-incidents">Similar incidents' in site.html("2025/pm-1/")
    assert 'id="related-lessons">Related lessons' in site.html("2025/pre-1/")


def test_an_overdue_follow_up_says_how_late_it_is(make_site):
    page = built(make_site).html("2025/pm-1/")
    assert re.search(r'class="lb-late">\d+ months late<', page)


def test_every_page_gives_the_same_count_and_says_checklists_are_separate(make_site):
    site = built(make_site)
    assert "2 lessons written blamelessly" in site.html("")
    assert "1 checklist" in site.html("")
    assert 'data-total-text="2 lessons and 1 checklist"' in site.html("explore/")
    assert "2 lessons and 1 checklist, classified" in site.html("taxonomy/")


def test_header_search_text_reads_as_sentences_not_keywords(make_site):
    site = built(make_site)
    index = json.loads((site.site / "search" / "search_index.json").read_text())
    text = next(d["text"] for d in index["docs"] if d["location"] == "2025/pm-1/")
    assert text.startswith("<p>Checkout timed out. Services: checkout. Teams: sre. Tags: pool.")


def test_a_page_never_links_its_own_id_and_links_other_ids_whole(make_site):
    """The id pattern is built once for the site, the page's own id included: it must still
    find on each page what a pattern of the other ids alone finds."""
    point = {**PRE, "id": "pre-1.2", "title": "Second risks", "related": []}
    site = make_site({
        "2025/pm-1.md": lesson_text(PM, "## What happened\n\nSee pre-1.2 and pre-1.\n"),
        "2025/pre-1.md": lesson_text(PRE, "## Risks\n\nThis is pre-1; pm-1 came first.\n"),
        "2025/pre-1.2.md": lesson_text(point, "## Risks\n\nThis is pre-1.2, after pre-1.\n"),
    }, plugin_config={"search": {"pagefind": False}})
    links = lambda url: re.findall(r'class="lb-id-link" href="[^"]*"[^>]*>([^<]+)</a>',  # noqa: E731
                                   site.html(url))
    assert links("2025/pm-1/") == ["pre-1.2", "pre-1"]
    assert links("2025/pre-1/") == ["pm-1"]  # its own id stays text
    # its own id stays text, but pre-1 (a lesson) followed by a dot reads as pre-1 there
    assert links("2025/pre-1.2/") == ["pre-1", "pre-1"]
