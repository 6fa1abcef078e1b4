"""Readers' paths on a built site: the service dossier, the home page's incident box, start
here, the glossary, digests and the Atom feed. Each promise is read from real HTML/XML."""

from __future__ import annotations

import re

import pytest

from conftest import BuiltSite, build, write_site
from test_registry_pages import _lesson, text_of

BUILD_DATE = "2025-06-01"
XSS = "<script>alert(1)</script>"


FILES = dict([
    _lesson("pm-old", "2024-02-10", services=["checkout"], teams=["payments-team"],
            severity="SEV2", time_to_recover="2h 30m", failure_type="complexity",
            categories=["capacity"],
            rules=[{"id": "rule-pool", "title": "Canary pool changes",
                    "if": "A pool setting changes", "then": "Canary it",
                    "status": "adopted", "owner": "platform"}],
            follow_ups=[{"action": "Late pool alert", "owner": "sre", "due": "2024-05-01"},
                        {"action": "Future pool alert", "owner": "sre", "due": "2099-01-01"},
                        {"action": "Closed pool alert", "owner": "sre", "due": "2024-03-01",
                         "status": "done", "done_on": "2024-02-26"}]),
    _lesson("pm-new", "2025-03-04", services=["checkout", "search"], teams=["sre"],
            severity="SEV1", time_to_recover="45m", failure_type="complexity",
            categories=["capacity", "dependency"], related=["pm-old"],
            rule_updates=[{"rule": "rule-pool", "change": "applied", "note": "It held."}]),
    _lesson("nm-search", "2025-01-20", services=["search"], type="near-miss",
            failure_type="preventable", follow_ups=[
                {"action": "Search-only action", "owner": "search-team", "due": "2024-12-01"}]),
    _lesson("pm-other", "2025-02-01", services=["ingress"],
            rules=[{"id": "rule-names", "if": "checkout traffic doubles",
                    "then": "Warm the pools", "status": "adopted"}]),
    _lesson("pm-secret", "2025-04-01", services=["checkout"], visibility="restricted",
            title="Secret zqxr lesson", follow_ups=[
                {"action": "Secret zqxr action", "owner": "sre", "due": "2024-01-01"}]),
    _lesson("pm-xss", "2025-05-01", services=[XSS], title=XSS),
])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    root = tmp_path_factory.mktemp("readers-site")
    built = build(write_site(root, FILES, {"build_date": BUILD_DATE}), strict=True)
    assert built.ok, built.log
    return built


# --- the service dossier -------------------------------------------------------------------
def test_a_service_page_lists_its_incidents_newest_first_with_severity_and_time_to_recover(
        site):
    html = site.html("services/checkout/")
    rows = re.findall(r'<li class="lb-incident" data-lessonbook-lesson="([^"]+)">(.*?)</li>',
                      html, re.S)
    assert [lesson_id for lesson_id, _ in rows] == ["pm-new", "pm-old"]
    metas = [text_of(re.search(r'class="lb-incident__meta">(.*?)</p>', card, re.S).group(1))
             for _, card in rows]
    assert metas == ["2025-03-04 · SEV1 · recovered in 45m",
                     "2024-02-10 · SEV2 · recovered in 2h 30m"]
    assert html.index('id="past-incidents"') < html.index('id="open-follow-ups"') \
        < html.index('id="rules-and-checklists"') < html.index('id="about-the-service"')


def test_a_service_page_lists_the_open_and_overdue_follow_ups_of_its_lessons_only(site):
    html = site.html("services/checkout/")
    section = html.split('id="open-follow-ups"', 1)[1].split('id="rules-and-checklists"')[0]
    states = re.findall(r'<li class="lb-fu" data-state="(\w+)">\s*'
                        r'<span class="lb-fu__action">([^<]+)</span>', section)
    assert states == [("overdue", "Late pool alert"), ("open", "Future pool alert")]
    assert "Search-only action" not in section and "Closed pool alert" not in section


def test_a_service_page_shows_rules_from_its_lessons_and_rules_that_name_it(site):
    html = site.html("services/checkout/")
    rules = re.findall(r'data-lessonbook-rule="([^"]+)"', html)
    assert rules == ["rule-pool", "rule-names"]
    assert 'href="../../rules/#rule-rule-pool"' in html


def test_a_service_page_names_its_teams_and_commonest_failure_types(site):
    html = site.html("services/checkout/")
    teams = text_of(html.split('id="teams"', 1)[1].split("</ul>", 1)[0])
    assert teams.endswith("payments-team 1 sre 1")
    assert re.search(r'failure-types/complexity/">Complexity</a> <span class="lb-count">2',
                     html)


def test_a_service_page_links_to_explore_filtered_on_it(site):
    html = site.html("services/checkout/")
    assert 'href="../../explore/?service=checkout"' in html
    assert 'href="../../explore/?service=checkout&amp;failure_type=complexity"' in html


def test_a_service_page_never_names_a_lesson_above_the_audience(site):
    assert "zqxr" not in site.html("services/checkout/")


def test_the_home_page_lists_services_most_incidents_first(site):
    html = site.html("")
    box = html.split("In an incident?", 1)[1].split("</div>", 1)[0]
    services = re.findall(r'href="services/([^/]+)/">', box)
    assert services[:2] == ["checkout", "search"]
    assert 'href="explore/"' in box


def test_a_service_name_is_escaped_on_its_page_and_the_home_page(site):
    assert XSS not in site.html("") and "&lt;script&gt;" in site.html("")
    pages = [p for p in (site.site / "services").iterdir() if "script" in p.name]
    assert pages and XSS not in (pages[0] / "index.html").read_text(encoding="utf-8")


# --- the Atom feed -------------------------------------------------------------------------
def test_the_feed_parses_as_atom_with_an_entry_per_lesson_and_rule_change_newest_first(site):
    import feedparser

    feed = feedparser.parse((site.site / "feed.xml").read_bytes())
    titles = [e.title for e in feed.entries]
    assert not feed.bozo and feed.version == "atom10"
    assert titles == [f"Postmortem: {XSS}", "Postmortem: Lesson pm-new",
                      "Postmortem: Lesson pm-other", "Rule adopted: Names",
                      "Near miss: Lesson nm-search", "Postmortem: Lesson pm-old",
                      "Rule adopted: Canary pool changes"]


def test_feed_links_are_relative_without_site_url(site):
    import feedparser

    feed = feedparser.parse((site.site / "feed.xml").read_bytes())
    links = {e.title: e.link for e in feed.entries}
    assert links["Postmortem: Lesson pm-new"] == "2025/pm-new/"
    assert links["Rule adopted: Canary pool changes"] == "rules/#rule-rule-pool"


def test_a_missing_site_url_is_a_warning_that_fails_strict_with_strict_warnings(tmp_path):
    built = build(write_site(tmp_path, dict([_lesson("pm-1", "2025-01-01")]),
                             {"strict_warnings": True}), strict=True)
    assert not built.ok
    assert "WARNING: lessonbook: feed.xml: site_url is not set in mkdocs.yml" in built.log


def test_feed_links_are_absolute_with_site_url(tmp_path):
    import feedparser

    built = build(write_site(tmp_path, dict([_lesson("pm-1", "2025-01-01")]), {},
                             {"site_url": "https://lessons.example.org/kb/"}), strict=True)
    feed = feedparser.parse((built.site / "feed.xml").read_bytes())
    assert built.ok, built.log
    assert feed.entries[0].link == "https://lessons.example.org/kb/2025/pm-1/"
    assert feed.feed.links[0].href == "https://lessons.example.org/kb/feed.xml"
    assert "site_url is not set" not in built.log
    assert ('href="https://lessons.example.org/kb/feed.xml"'
            in built.html("2025/pm-1/"))


def test_the_feed_escapes_titles_and_leaves_out_lessons_above_the_audience(site):
    text = (site.site / "feed.xml").read_text(encoding="utf-8")
    assert XSS not in text and "&lt;script&gt;" in text
    assert "zqxr" not in text and "pm-secret" not in text


@pytest.mark.parametrize("url,href", [("", "feed.xml"), ("2025/pm-new/", "../../feed.xml"),
                                      ("services/checkout/", "../../feed.xml"),
                                      ("rules/", "../feed.xml")])
def test_every_page_advertises_the_feed_in_its_head(site, url, href):
    head = site.html(url).split("</head>", 1)[0]
    assert (f'<link rel="alternate" type="application/atom+xml" title="Test lessons: new '
            f'lessons and rule changes" href="{href}">') in head


# --- the glossary --------------------------------------------------------------------------
def test_the_glossary_defines_every_kind_with_its_label_and_description(site):
    from lessonbook.model.kinds import all_kinds

    html = site.html("glossary/")
    for kind in all_kinds():
        entry = html.split(f'id="kind-{kind.key}"', 1)[1].split("</dd>", 1)[0]
        assert kind.label in entry and kind.description in text_of(entry)


def test_the_glossary_covers_failure_types_layers_severities_categories_and_card_fields(site):
    html = site.html("glossary/")
    for anchor in ("failure-type-preventable", "failure-type-intelligent",
                   "defense-layer-people", "severity-sev1", "category-capacity",
                   "field-time-to-recover", "field-failure-type"):
        assert f'id="{anchor}"' in html


def test_a_glossary_description_comes_from_mkdocs_yml_and_is_escaped(tmp_path):
    built = build(write_site(tmp_path, dict([_lesson("pm-1", "2025-01-01", severity="SEV2")]),
                             {"glossary": {"SEV2": f"Bad {XSS} day", "tags": "Our words"}}),
                  strict=False)
    html = built.html("glossary/")
    sev2 = html.split('id="severity-sev2"', 1)[1].split("</dd>", 1)[0]
    assert "Bad &lt;script&gt;alert(1)&lt;/script&gt; day" in sev2
    assert "Our words" in html.split('id="field-tags"', 1)[1].split("</dd>", 1)[0]
    assert XSS not in html and XSS not in built.html("severities/sev2/")


def test_card_labels_link_to_their_glossary_entry_and_chips_carry_the_definition(site):
    html = site.html("2025/pm-new/")
    card = html.split('class="lb-card"', 1)[1].split("</dl>", 1)[0]
    assert '<a href="../../glossary/#field-failure-type" title="What this means">Failure type' \
        in card
    assert 'href="../../failure-types/complexity/" title="An unpredictable interaction in a ' \
        'complex system.">Complexity</a>' in card


def test_a_taxonomy_value_page_opens_with_its_definition_and_links_to_the_glossary(site):
    html = site.html("categories/capacity/")
    lead = html.split('class="lb-lead lb-definition">', 1)[1].split("</p>", 1)[0]
    assert lead.startswith("Load outgrew a limit")
    assert 'href="../../glossary/#category-capacity"' in lead


# --- start here ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def start_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    root = tmp_path_factory.mktemp("start-here-site")
    files = {**FILES, **dict([_lesson("pm-cite", "2025-04-20", related=["pm-old"],
                                      failure_type="preventable")])}
    built = build(write_site(root, files, {
        "build_date": BUILD_DATE,
        "start_here": {"pm-new": f"Read this first {XSS}", "pm-old": "Then this one",
                       "pm-secret": "Left out for the audience"}}), strict=True)
    assert built.ok, built.log
    return built


def _items(html: str, section: str) -> list[tuple[str, list[str]]]:
    """Each lesson of a Start here section with every reason it was chosen."""
    if f'id="{section}"' not in html:
        return []  # every lesson it chose is listed (with this reason) in an earlier section
    part = html.split(f'id="{section}"', 1)[1].split("<h2", 1)[0]
    chunks = part.split('<li class="lb-item" data-lessonbook-lesson="')[1:]
    return [(chunk.split('"', 1)[0], [text_of(why) for why in re.findall(
        r'class="lb-item__reason">(.*?)</(?:span|li)>', chunk, re.S)]) for chunk in chunks]


def _reading(html: str, section: str) -> list[tuple[str, str]]:
    return [(lesson_id, why[0]) for lesson_id, why in _items(html, section)]


def test_start_here_opens_with_the_curated_list_in_order_with_the_reasons_given(start_site):
    items = _reading(start_site.html("start-here/"), "curated")
    assert items == [("pm-new", f"Read this first {XSS}"), ("pm-old", "Then this one")]
    assert XSS not in start_site.html("start-here/")


def test_start_here_links_each_lesson_once_with_every_reason_it_was_chosen(start_site):
    html = start_site.html("start-here/")
    listed = re.findall(r'data-lessonbook-lesson="([^"]+)"', html)
    assert len(listed) == len(set(listed))
    main = html.split('data-lessonbook-start-here', 1)[1]
    links = re.findall(r'class="lb-item__title" href="([^"]+)"', main)
    assert len(links) == len(set(links)) == len(listed)
    reasons = dict(_items(html, "curated"))["pm-old"]
    assert reasons[0] == "Then this one"
    assert "The lesson behind the rule “Canary pool changes”." in reasons
    assert any(why.startswith("Referred to 3 times") for why in reasons)


def test_start_here_shows_rules_as_rules_by_their_title_never_their_id(start_site):
    html = start_site.html("start-here/")
    part = html.split('id="rules"', 1)[1].split("<h2", 1)[0]
    rules = re.findall(r'data-lessonbook-rule="([^"]+)">(.*?)</li>', part, re.S)
    assert [rule_id for rule_id, _ in rules] == ["rule-pool", "rule-names"]
    first = text_of(rules[0][1])
    assert first.startswith("Canary pool changes If a pool setting changes, then canary it.")
    assert "Applied in 1 later lesson since it was adopted on 2024-02-10." in first
    assert "rule-pool" not in first and "rule-names" not in text_of(part)


def test_start_here_has_one_lesson_per_kind_and_per_failure_type(start_site):
    html = start_site.html("start-here/")
    sections = ("curated", "most-referenced", "came-back", "most-severe", "by-service",
                "one-of-each-kind", "one-of-each-failure-type")
    reasons = [why for section in sections for _, whys in _items(html, section)
               for why in whys]
    kinds = [why.split(":")[0] for why in reasons if why.split(":")[0] in
             ("Postmortem", "Near miss", "Experiment", "Pre-mortem", "After-action review")]
    failures = [why.split(":")[0] for why in reasons
                if why.split(":")[0] in ("Preventable", "Complexity", "Intelligent")]
    assert sorted(kinds) == ["Near miss", "Postmortem"]  # each once, wherever first listed
    assert sorted(failures) == ["Complexity", "Preventable"]


def test_every_start_here_item_shows_its_reading_time_and_a_tick(start_site):
    html = start_site.html("start-here/")
    items = re.findall(r'<li class="lb-item" data-lessonbook-lesson="([^"]+)">(.*?)</li>', html,
                       re.S)
    assert items and all(re.search(r"· \d+ min read", body) for _, body in items)
    assert all(f'data-lessonbook-read="{lesson_id}"' in body for lesson_id, body in items)


def test_a_curated_id_that_names_no_lesson_fails_a_strict_build_with_a_hint(tmp_path):
    built = build(write_site(tmp_path, dict([_lesson("pm-1", "2025-01-01")]),
                             {"start_here": {"pm-l": "Typo"}}), strict=True)
    assert not built.ok
    assert "option 'start_here': no lesson has the id 'pm-l' (did you mean 'pm-1'?)" in built.log


def test_the_home_page_links_to_start_here(site):
    assert 'href="start-here/">reading path for new' in site.html("")


# --- digests -------------------------------------------------------------------------------
def test_digests_index_lists_each_quarter_with_activity_newest_first(site):
    keys = re.findall(r'<li class="lb-item" data-lessonbook-digest="([^"]+)"',
                      site.html("digests/"))
    assert keys == ["2025-q2", "2025-q1", "2024-q1"]


def test_a_quarter_digest_says_what_we_learned_strengthened_and_what_is_still_open(site):
    html = site.html("digests/2024-q1/")
    learned = html.split('id="what-we-learned"', 1)[1].split("<h2", 1)[0]
    strengthened = html.split('id="what-we-strengthened"', 1)[1].split("<h2", 1)[0]
    still_open = html.split('id="still-open"', 1)[1]
    assert re.findall(r'data-lessonbook-lesson="([^"]+)"', learned) == ["pm-old"]
    assert re.findall(r'data-lessonbook-rule="([^"]+)"', strengthened) == ["rule-pool"]
    assert "Closed pool alert" in strengthened  # done on 2024-02-26
    assert re.findall(r'<tr data-state="(\w+)"><td>([^<]+)</td>', still_open) == [
        ("overdue", "Late pool alert"), ("open", "Future pool alert")]


def test_a_month_gets_its_own_digest_when_it_has_enough_new_lessons(tmp_path):
    files = dict([_lesson("pm-a", "2025-03-02"), _lesson("pm-b", "2025-03-20"),
                  _lesson("pm-c", "2025-01-05")])
    built = build(write_site(tmp_path, files, {"digest_month_min": 2}), strict=True)
    assert (built.site / "digests/2025-03/index.html").is_file()
    assert not (built.site / "digests/2025-01").exists()
    assert 'href="../2025-03/">March 2025</a>' not in built.html("digests/2025-q1/")
    assert 'href="2025-03/">March 2025</a>' in built.html("digests/")
    assert re.findall(r'data-lessonbook-lesson="([^"]+)"', built.html("digests/2025-03/")) == [
        "pm-b", "pm-a"]


def test_digests_never_name_a_lesson_above_the_audience(site):
    assert "zqxr" not in site.html("digests/2025-q2/")


# --- review reminders on the Follow-ups page -----------------------------------------------
def test_the_follow_ups_page_lists_rules_and_lessons_past_review(tmp_path):
    files = dict([_lesson("pm-1", "2024-01-01", teams=["sre"], review_by="2025-01-01",
                          rules=[{"id": "rule-a", "if": "x", "then": "y", "status": "adopted",
                                  "owner": "platform", "review_by": "2025-02-01"},
                                 {"id": "rule-b", "if": "x", "then": "y", "status": "adopted",
                                  "review_by": "2099-01-01"}])])
    built = build(write_site(tmp_path, files, {"build_date": BUILD_DATE}), strict=True)
    html = built.html("follow-ups/")
    rows = re.findall(r'<tr data-review="(\w+)">(.*?)</tr>', html, re.S)
    assert [(kind, text_of(cells)) for kind, cells in rows] == [
        ("lesson", "Lesson Lesson pm-1 sre 2025-01-01 review_by 2025-01-01"),
        ("rule", "Rule A platform 2025-02-01 review_by 2025-02-01")]
