"""Building real sites: pages, generated indexes, nav, escaping, strict mode, overrides, export."""

import re

from conftest import lesson_text

PM = {"id": "pm-1", "title": "Checkout timeouts after a pool change", "type": "postmortem",
      "date": "2025-03-04", "summary": "Pool exhaustion.", "severity": "SEV2",
      "services": ["checkout"], "teams": ["payments-team"], "tags": ["postgres"],
      "failure_type": "complexity", "categories": ["capacity"], "defense_layers": ["process"],
      "time_to_detect": "8m", "time_to_recover": "2h 30m",
      "follow_ups": [{"action": "Alert on pool saturation", "owner": "sre",
                      "due": "2020-01-01", "status": "open"},
                     {"action": "Revert the pool size", "owner": "sre", "status": "done"}],
      "rules": [{"if": "a change alters pool sizes", "then": "canary it for 30 minutes",
                 "status": "adopted"}],
      "related": ["nm-1"]}
NM = {"id": "nm-1", "title": "Certificate six days from expiry", "type": "near-miss",
      "date": "2024-11-02", "near_miss": {"saved_by": "The expiry alert"}}


def basic_site(make_site, **kw):
    return make_site({"2025/pm-1.md": lesson_text(PM), "2024/nm-1.md": lesson_text(NM)}, **kw)


def test_a_lesson_page_shows_card_body_follow_ups_rules_and_related(make_site):
    page = basic_site(make_site).html("2025/pm-1/")
    header, card = page.split('class="lb-card"', 1)
    assert "Postmortem" in header[header.index('class="lb-eyebrow"'):]  # kind, above the title
    for text in ("SEV2", "Complexity", "capacity", "checkout", "payments-team",
                 "postgres", "8m", "2h 30m", "Internal"):
        assert text in card
    assert "What happened." in page
    assert "Alert on pool saturation" in page and "Overdue" in page
    assert "canary it for 30 minutes" in page
    assert "Certificate six days from expiry" in page


def test_links_are_shown_in_both_directions(make_site):
    page = basic_site(make_site).html("2024/nm-1/")
    assert "Checkout timeouts after a pool change" in page
    assert "Referenced by: links to this lesson" in page


def test_kind_specific_details_are_shown(make_site):
    assert "The expiry alert" in basic_site(make_site).html("2024/nm-1/")


def test_lessons_are_not_in_the_sidebar_nav_but_reachable_from_generated_pages(make_site):
    site = basic_site(make_site)
    home = site.html("")
    nav = home[home.index('md-nav--primary'):home.index('</nav>', home.index('md-nav--primary'))]
    assert "Checkout timeouts" not in nav
    index = site.html("lessons/")
    assert 'href="../2025/pm-1/"' in index and 'href="../2024/nm-1/"' in index


def test_the_index_groups_lessons_by_year_newest_first(make_site):
    index = basic_site(make_site).html("lessons/")
    assert index.index('id="year-2025"') < index.index('id="year-2024"')


def test_every_taxonomy_value_has_a_page_listing_its_lessons(make_site):
    site = basic_site(make_site)
    for url in ("kinds/postmortem/", "kinds/near-miss/", "failure-types/complexity/",
                "categories/capacity/", "defense-layers/process/", "severities/sev2/",
                "services/checkout/", "teams/payments-team/", "tags/postgres/"):
        assert "Checkout timeouts" in site.html(url) or "Certificate" in site.html(url), url


def test_the_taxonomy_overview_counts_lessons_per_value(make_site):
    page = basic_site(make_site).html("taxonomy/")
    assert re.search(r'Postmortem</a> <span class="lb-count">1</span>', page)


def test_the_home_page_explains_and_lists_newest_lessons(make_site):
    home = basic_site(make_site).html("")
    assert "blamelessly" in home
    assert home.index("Checkout timeouts") < home.index("Certificate six days")


def test_a_user_index_md_replaces_the_generated_home_page(make_site):
    site = make_site({"index.md": "# Our own home\n", "2024/nm-1.md": lesson_text(NM)})
    assert "Our own home" in site.html("")


def test_user_strings_are_escaped_in_html_and_json(make_site):
    evil = dict(NM, title="<script>alert(1)</script>", tags=["<img src=x onerror=alert(2)>"],
                summary='a & b </title> "><script>alert(3)</script>')
    site = make_site({"2024/nm-1.md": lesson_text(evil)})
    for path in site.site.rglob("*.html"):
        html = path.read_text()
        assert "<script>alert(1)" not in html, path
        assert "<img src=x" not in html, path
        assert "<script>alert(3)" not in html, path
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in site.html("2024/nm-1/")
    raw = (site.site / "api/lessons.json").read_text()
    assert "<" not in raw and ">" not in raw
    assert site.json("api/lessons.json")["lessons"][0]["title"] == "<script>alert(1)</script>"


def test_the_export_lists_every_lesson_with_documented_fields(make_site):
    data = basic_site(make_site).json("api/lessons.json")
    first = data["lessons"][0]
    for key in ("id", "title", "type", "date", "url", "summary", "tags", "services", "teams",
                "failure_type", "categories", "severity", "path"):
        assert key in first
    assert (first["id"], first["url"], first["path"]) == ("pm-1", "2025/pm-1/", "2025/pm-1.md")


def test_a_normal_build_builds_valid_lessons_and_reports_the_rest(make_site):
    site = make_site({"2024/nm-1.md": lesson_text(NM),
                      "2024/bad.md": lesson_text("title: Bad\ntype: postmortum\ndate: 2024-01-01")})
    assert site.ok
    assert "2024/bad.md:3: error: type 'postmortum'" in site.log
    assert (site.site / "2024/nm-1/index.html").exists()
    assert not (site.site / "2024/bad/index.html").exists()
    assert "left out because of errors" in site.html("lessons/")


def test_strict_builds_fail_on_any_lesson_error(make_site):
    site = make_site({"2024/bad.md": lesson_text("title: Bad\ntype: aar\ndate: 2024-02-30")},
                     strict=True)
    assert not site.ok
    assert "2024/bad.md:4: error: date '2024-02-30' is not a real date" in site.log


def test_strict_builds_pass_with_only_warnings_unless_asked(make_site, tmp_path):
    files = {"2024/a.md": lesson_text("title: A\ntype: aar\ndate: 2024-02-03\nservics: [x]")}
    assert make_site(files, strict=True).ok
    assert not make_site(files, strict=True, plugin_config={"strict_warnings": True}).ok


def test_each_class_of_bad_input_is_reported_without_a_traceback(make_site):
    site = make_site({
        "yaml.md": "---\ntitle: [oops\n---\n",
        "list.md": "---\n- a\n---\n",
        "types.md": lesson_text("title: A\ntype: aar\ndate: 2024-01-01\ntags: 3"),
        "date.md": lesson_text("title: A\ntype: aar\ndate: 2024-02-30"),
        "dup1.md": lesson_text("id: same\ntitle: A\ntype: aar\ndate: 2024-01-01"),
        "dup2.md": lesson_text("id: same\ntitle: B\ntype: aar\ndate: 2024-01-01"),
        "related.md": lesson_text("title: A\ntype: aar\ndate: 2024-01-01\nrelated: [nope]"),
        "latin1.md": b"---\ntitle: caf\xe9\n---\n",
        "empty.md": "",
    })
    assert site.ok and "Traceback" not in site.log
    for expected in ("yaml.md:3: error: front-matter is not valid YAML",
                     "list.md:2: error: front-matter must be a mapping",
                     "types.md:5: error: tags must be a list",
                     "date.md:4: error: date '2024-02-30' is not a real date",
                     "dup2.md:2: error: id 'same' is already used by dup1.md",
                     "related.md:5: error: related names unknown lesson id 'nope'",
                     "latin1.md:2: error: file is not valid UTF-8",
                     "empty.md: error: file is empty"):
        assert expected in site.log


def test_a_theme_custom_dir_overrides_the_lesson_template(make_site, tmp_path):
    overrides = tmp_path / "overrides" / "lessonbook"
    overrides.mkdir(parents=True)
    (overrides / "lesson.html").write_text(
        '{% extends "main.html" %}{% block content %}<p id="custom">{{ lesson.title }}</p>'
        "{% endblock %}")
    site = make_site({"2024/nm-1.md": lesson_text(dict(NM, title="A <b> title"))},
                     extra_config={"theme": {"name": "material", "font": False,
                                             "custom_dir": "overrides"}})
    assert '<p id="custom">A &lt;b&gt; title</p>' in site.html("2024/nm-1/")


def test_a_leading_h1_in_the_body_is_not_shown_twice(make_site):
    body = "# Certificate six days from expiry\n\nText\n"
    site = make_site({"2024/nm-1.md": lesson_text(NM, body)})
    assert site.html("2024/nm-1/").count("<h1") == 1


def test_lesson_dirs_limit_which_files_are_lessons(make_site):
    site = make_site({"lessons/nm-1.md": lesson_text(NM), "about.md": "# About us\n"},
                     plugin_config={"lesson_dirs": ["lessons"]})
    assert site.ok and "About us" in site.html("about/")
    assert "error" not in site.log.lower()
