"""The glossary defines the site's own words (rule, follow-up, checklist, pause point, recurring
incident, near-miss ratio, Pareto chart, time to detect and recover, severity), and the pages
that use a word link it to its entry."""

from __future__ import annotations

import pytest

from conftest import BuiltSite, build, lesson_text, write_site
from lessonbook.site.glossary import WORDS, word_anchor

XSS = "<script>alert(1)</script>"


def _postmortem(i: int, day: str, **extra) -> tuple[str, str]:
    front = {"id": f"pm-{i}", "title": f"Incident {i}", "type": "postmortem", "date": day,
             "services": ["checkout"], "categories": ["capacity"], "time_to_detect": "5m",
             "time_to_recover": "40m", "follow_ups": [
                 {"action": f"Fix {i}", "owner": "sre", "due": "2025-09-01"}], **extra}
    return f"2025/pm-{i}.md", lesson_text(front)


CHECKLIST = lesson_text({
    "id": "cl-failover", "title": "Failover", "type": "checklist", "date": "2025-01-05",
    "trigger": "Before a failover.", "owner": "sre",
    "pause_points": ["Before promotion: lag is under 1 s."]},
    "## Steps\n\n- [ ] Check the lag\n- [ ] Promote\n")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    files = dict(_postmortem(i, f"2025-0{i}-10") for i in range(1, 6))
    files["2025/nm-1.md"] = lesson_text({"id": "nm-1", "title": "Near", "type": "near-miss",
                                         "date": "2025-03-03"})
    files["2025/pm-1.md"] = lesson_text({
        "id": "pm-1", "title": "Incident 1", "type": "postmortem", "date": "2025-01-10",
        "services": ["checkout"], "rules": [{"id": "rule-pool", "title": "Canary pool changes",
                                             "if": "A pool changes", "then": "Canary it",
                                             "status": "adopted"}]})
    files["checklists/cl-failover.md"] = CHECKLIST
    built = build(write_site(tmp_path_factory.mktemp("words"), files,
                             {"build_date": "2025-12-01", "search": {"pagefind": False},
                              "glossary": {"pause_point": f"Stop {XSS} and check."}}),
                  strict=True)
    assert built.ok, built.log
    return built


def test_the_glossary_defines_each_of_the_sites_own_words_first(site):
    html = site.html("glossary/")
    words = html.split('id="words"', 1)[1].split("<h2", 1)[0]
    for key, term, _ in WORDS:
        entry = words.split(f'id="{word_anchor(key)}"', 1)[1].split("</dd>", 1)[0]
        assert term in entry and len(entry.split("<dd>", 1)[1].strip()) > 40, key
    assert html.index('id="words"') < html.index('id="kinds"')


def test_a_word_definition_comes_from_mkdocs_yml_escaped(site):
    html = site.html("glossary/")
    entry = html.split('id="word-pause-point"', 1)[1].split("</dd>", 1)[0]
    assert "Stop &lt;script&gt;alert(1)&lt;/script&gt; and check." in entry
    assert XSS not in html


@pytest.mark.parametrize(("page", "anchor"), [
    ("rules/", "word-rule"),
    ("checklists/", "word-checklist"),
    ("checklists/", "word-pause-point"),
    ("checklists/cl-failover/", "word-pause-point"),
    ("follow-ups/", "word-follow-up"),
    ("follow-ups/", "word-closure-rate"),
    ("recurring/", "word-recurring"),
    ("insights/", "word-near-miss-ratio"),
    ("insights/", "word-pareto"),
    ("insights/", "field-time-to-detect"),
    ("insights/", "field-time-to-recover"),
])
def test_a_page_that_uses_a_word_links_it_to_its_glossary_entry(site, page, anchor):
    html = site.html(page)
    assert f'glossary/#{anchor}" title="' in html and 'class="lb-word"' in html
