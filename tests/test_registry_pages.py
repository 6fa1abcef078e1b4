"""The registry as a reader sees it: the Rules, Checklists and Follow-ups pages, the lesson-page
sections and the api/*.json exports, from real MkDocs builds."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest

from conftest import BuiltSite, build, lesson_text, write_site

BUILD_DATE = "2025-06-01"
XSS = "<script>alert(1)</script>"


def _lesson(lesson_id: str, date: str, body: str = "## Summary\n\nWhat happened.\n",
            **fields: Any) -> tuple[str, str]:
    front = {"id": lesson_id, "title": f"Lesson {lesson_id}", "type": "postmortem",
             "date": date, **fields}
    return f"{date[:4]}/{lesson_id}.md", lesson_text(front, body)


FILES = dict([
    _lesson("pm-1", "2023-01-10", categories=["configuration"], teams=["platform"],
            rules=[{"id": "rule-canary", "if": "A config change ships",
                    "then": "Canary it for 30 minutes", "status": "adopted",
                    "owner": "platform"}],
            follow_ups=[{"action": "Add a canary stage", "owner": "platform",
                         "due": "2023-02-01", "status": "done", "produces": "rule-canary"},
                        {"action": "Overdue thing", "owner": "platform", "due": "2024-01-01"},
                        {"action": "Future thing", "owner": "sre", "due": "2099-01-01"},
                        {"action": "Dropped thing", "owner": "sre", "status": "dropped"}]),
    _lesson("nm-1", "2024-05-21", rule_updates=[
        {"rule": "rule-canary", "change": "applied", "note": "Caught a bad timeout."}]),
    _lesson("pm-2", "2025-03-01", rules=[{"id": "rule-xss", "if": XSS, "then": "Escape it"}],
            rule_updates=[{"rule": "rule-canary", "change": "amended",
                           "then": "Canary it for 60 minutes"}]),
    ("checklists/cl-failover.md", lesson_text(
        {"id": "cl-failover", "title": "Database failover", "type": "checklist",
         "date": "2024-03-20", "trigger": "Before promoting a replica.", "owner": "sre",
         "sources": ["pm-1"], "pause_points": ["Before promotion"],
         "changes": [{"date": "2025-03-02", "lesson": "pm-2", "change": "Added slot check."}]},
        "## What it is for\n\nFailovers.\n\n### Pause point: After promotion\n\n"
        "- [ ] Confirm lag is under 1 s\n- [ ] Page the owning team\n")),
])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    root = tmp_path_factory.mktemp("registry-site")
    built = build(write_site(root, FILES, {"build_date": BUILD_DATE}), strict=True)
    assert built.ok, built.log
    return built


class _Text(HTMLParser):
    """Visible text of an HTML fragment, whitespace collapsed."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def text_of(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return re.sub(r" ([,.:;])", r"\1", " ".join(" ".join(parser.parts).split()))


def element(html: str, id_: str, tag: str) -> str:
    """The HTML of the element with this id (no nesting of the same tag inside)."""
    match = re.search(rf'<{tag}[^>]*id="{re.escape(id_)}"[^>]*>.*?</{tag}>', html, re.S)
    assert match, f"no <{tag} id={id_}>"
    return match.group(0)


# --- the Rules page ---------------------------------------------------------------------------
def test_the_rules_page_shows_each_rule_with_status_text_owner_and_source(site):
    card = element(site.html("rules/"), "rule-rule-canary", "article")
    assert 'data-status="adopted"' in card
    text = text_of(card)
    assert text.startswith("Canary Adopted")  # a readable title, not the id
    assert "If a config change ships, then canary it for 60 minutes." in text  # one sentence
    assert "Kept by platform" in text
    assert 'href="../2023/pm-1/"' in card


def test_the_rules_page_shows_the_history_with_a_link_to_each_lesson(site):
    card = element(site.html("rules/"), "rule-rule-canary", "article")
    history = re.findall(r'<li class="lb-history__event" data-change="(\w+)"><time '
                         r'datetime="([\d-]+)">.*?href="([^"]+)"', card, re.S)
    assert history == [("adopted", "2023-01-10", "../2023/pm-1/"),
                       ("applied", "2024-05-21", "../2024/nm-1/"),
                       ("amended", "2025-03-01", "../2025/pm-2/")]
    assert "Caught a bad timeout." in card
    assert "then canary it for 30 minutes" in text_of(card)  # the earlier wording


def test_the_rules_page_groups_rules_by_category_and_offers_a_filter_per_status(site):
    html = site.html("rules/")
    assert re.search(r'<h2 id="category-configuration">.*?id="rule-rule-canary"', html, re.S)
    boxes = re.findall(r'<input type="checkbox" class="lb-filter__toggle" name="status" '
                       r'value="(\w+)"', html)
    statuses = set(re.findall(r'class="lb-rule-card[^"]*" id="[^"]+" data-status="(\w+)"',
                              html))
    assert statuses <= set(boxes) and statuses == {"adopted", "proposed"}


def test_the_status_filter_shows_adopted_rules_by_default_and_is_hidden_without_script(site):
    html = site.html("rules/")
    checked = re.findall(r'name="status" value="(\w+)"[^>]* checked>', html)
    assert checked == ["adopted"]
    assert re.search(r"<fieldset[^>]*data-lessonbook-filter hidden>", html)


# --- Checklists and the checklist page --------------------------------------------------------
def test_the_checklists_page_lists_trigger_and_item_count(site):
    card = text_of(element(site.html("checklists/"), "checklist-cl-failover", "li"))
    assert card.startswith("Database failover Use it when: Before promoting a replica. "
                           "2 items · 2 pause points")
    assert 'href="cl-failover/"' in element(site.html("checklists/"), "checklist-cl-failover",
                                            "li")


def test_a_checklist_page_shows_items_pause_points_sources_and_change_log(site):
    html = site.html("checklists/cl-failover/")
    panel = re.search(r'<div class="lb-panel lb-checklist-panel".*?</div>', html, re.S).group(0)
    text = text_of(panel)
    assert "Items: 2" in text
    pauses = re.search(r'<ul class="lb-pause-points">.*?</ul>', panel, re.S).group(0)
    assert re.findall(r"<li>(.*?)</li>", pauses) == ["Before promotion", "After promotion"]
    assert "Created from: Lesson pm-1" in text
    assert "2025-03-02 Added slot check. — Lesson pm-2" in text


def test_the_generated_checklists_page_and_checklist_lessons_have_distinct_urls(site):
    assert "lb-checklists-page" in site.html("checklists/")
    assert "lb-checklist-panel" in site.html("checklists/cl-failover/")


# --- lesson pages -----------------------------------------------------------------------------
def test_a_lesson_page_shows_the_rules_it_applied_with_the_note_and_a_link(site):
    html = site.html("2024/nm-1/")
    section = re.search(r'id="rules-applied-or-changed".*?</ul>', html, re.S).group(0)
    assert 'href="../../rules/#rule-rule-canary"' in section
    assert "Caught a bad timeout." in section
    assert 'data-change="applied"' in section


def test_a_lesson_page_shows_the_new_text_of_a_rule_it_amended(site):
    section = re.search(r'id="rules-applied-or-changed".*?</ul>', site.html("2025/pm-2/"),
                        re.S).group(0)
    assert "Now: If a config change ships, then canary it for 60 minutes." in text_of(section)


def test_a_lesson_page_shows_the_checklists_it_created_or_changed(site):
    created = re.search(r'id="checklists-created-or-changed".*?</ul>', site.html("2023/pm-1/"),
                        re.S).group(0)
    changed = re.search(r'id="checklists-created-or-changed".*?</ul>', site.html("2025/pm-2/"),
                        re.S).group(0)
    assert 'href="../../checklists/cl-failover/"' in created
    assert "Created from this lesson." in created
    assert "Changed on 2025-03-02: Added slot check." in changed


def test_rules_adopted_on_a_lesson_page_link_to_their_history(site):
    rules = re.search(r'id="rules-adopted".*?</ul>', site.html("2023/pm-1/"), re.S).group(0)
    assert 'href="../../rules/#rule-rule-canary"' in rules


# --- Follow-ups -------------------------------------------------------------------------------
def test_the_follow_ups_page_counts_states_against_the_build_date(site):
    html = site.html("follow-ups/")
    lead = text_of(re.search(r'<p class="lb-lead">.*?</p>', html, re.S).group(0))
    assert lead == ("4 follow-ups agreed in reviews, as of 2025-06-01: 1 overdue, 1 open, "
                    "1 done, 1 dropped.")
    overdue = re.search(r'<h2 id="overdue">.*?<h2 id="open">', html, re.S).group(0)
    assert "Overdue thing" in overdue and 'href="../2023/pm-1/"' in overdue


def test_the_follow_ups_page_gives_closure_rates_overall_and_per_owner(site):
    html = site.html("follow-ups/")
    assert text_of(re.search(r'<strong class="lb-closure__rate">.*?</strong>', html).group(0)
                   ) == "33%"
    rows = {m[0]: text_of(m[1]) for m in re.findall(
        r'<tr data-owner="([^"]+)">(.*?)</tr>', html, re.S)}
    assert rows == {"platform": "platform 1 0 1 0 50%", "sre": "sre 0 1 0 1 0%"}


def test_a_follow_up_links_to_the_rule_it_produced(site):
    done = re.search(r'<h2 id="done">.*?<h2 id="dropped">', site.html("follow-ups/"),
                     re.S).group(0)
    assert 'href="../rules/#rule-rule-canary"' in done


# --- exports ----------------------------------------------------------------------------------
def test_rules_json_holds_the_issue_fields(site):
    rule = next(r for r in site.json("api/rules.json")["rules"] if r["id"] == "rule-canary")
    assert {"id", "if", "then", "status", "owner", "sources", "applied_in", "history"} <= set(rule)
    assert (rule["status"], rule["owner"], rule["sources"], rule["applied_in"]) == (
        "adopted", "platform", ["pm-1"], ["nm-1"])
    assert rule["then"] == "Canary it for 60 minutes"
    assert [(h["date"], h["change"], h["lesson"]) for h in rule["history"]] == [
        ("2023-01-10", "adopted", "pm-1"), ("2024-05-21", "applied", "nm-1"),
        ("2025-03-01", "amended", "pm-2")]


def test_checklists_json_holds_the_issue_fields(site):
    [cl] = site.json("api/checklists.json")["checklists"]
    assert {k: cl[k] for k in ("id", "title", "url", "trigger", "items", "sources")} == {
        "id": "cl-failover", "title": "Database failover", "url": "checklists/cl-failover/",
        "trigger": "Before promoting a replica.",
        "items": ["Confirm lag is under 1 s", "Page the owning team"], "sources": ["pm-1"]}
    assert cl["changes"] == [{"date": "2025-03-02", "lesson": "pm-2",
                              "change": "Added slot check."}]


def test_follow_ups_json_holds_the_issue_fields_with_overdue_from_the_build_date(site):
    doc = site.json("api/follow-ups.json")
    assert doc["build_date"] == BUILD_DATE
    by_action = {f["action"]: f for f in doc["follow_ups"]}
    assert {k: by_action["Overdue thing"][k] for k in
            ("lesson", "action", "owner", "due", "status", "overdue")} == {
        "lesson": "pm-1", "action": "Overdue thing", "owner": "platform", "due": "2024-01-01",
        "status": "open", "overdue": True}
    assert by_action["Future thing"]["overdue"] is False
    assert by_action["Add a canary stage"]["produces"] == "rule-canary"


# --- escaping ---------------------------------------------------------------------------------
def test_a_rule_text_with_a_script_tag_is_escaped_on_every_page_and_export(site):
    for url in ("rules/", "2025/pm-2/"):
        html = site.html(url)
        assert XSS not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    raw = (site.site / "api" / "rules.json").read_text()
    assert "<script>" not in raw
    assert next(r for r in site.json("api/rules.json")["rules"]
                if r["id"] == "rule-xss")["if"] == XSS


# --- problems in the build --------------------------------------------------------------------
def test_registry_problems_are_reported_in_the_build_with_file_and_line(make_site):
    files = dict([
        _lesson("pm-1", "2023-01-10", rules=[{"id": "rule-canary", "if": "x", "then": "y"}]),
        _lesson("nm-1", "2024-05-21", rule_updates=[{"rule": "rule-canery",
                                                     "change": "applied"}]),
    ])
    built = make_site(files, strict=True)
    line = files["2024/nm-1.md"].split("\n").index("- rule: rule-canery") + 1
    assert not built.ok
    assert (f"2024/nm-1.md:{line}: error: rule_updates names unknown rule id 'rule-canery' "
            "(did you mean 'rule-canary'?)") in built.log


def test_a_user_page_with_the_same_url_keeps_its_place_and_is_warned_about(make_site):
    built = make_site({**dict([_lesson("pm-1", "2023-01-10")]),
                       "rules/index.md": "# Our own rules\n"},
                      {"exclude": ["index.md", "rules/index.md"]})
    assert built.ok, built.log
    assert "Our own rules" in built.html("rules/")
    assert "rules.md is not generated because rules/index.md already has its URL" in built.log
