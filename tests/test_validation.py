"""Validation promises: clear errors with line and suggestion, all at once, authors not blocked."""

from conftest import lesson_text
from lessonbook.load.knowledge_base import KnowledgeBase
from lessonbook.model.vocabulary import Settings


def kb_of(*files: tuple[str, str | bytes], settings: Settings | None = None) -> KnowledgeBase:
    return KnowledgeBase.from_sources(
        [(path, text.encode() if isinstance(text, str) else text) for path, text in files],
        settings)


def messages(kb: KnowledgeBase) -> list[str]:
    return [p.format() for p in kb.problems]


def test_title_type_and_date_alone_make_a_valid_lesson():
    kb = kb_of(("a.md", lesson_text("title: A\ntype: aar\ndate: 2025-01-02")))
    assert kb.problems == []
    [lesson] = kb.lessons
    assert (lesson.id, lesson.kind, lesson.status, lesson.visibility) == (
        "a", "aar", "draft", "internal")


def test_a_misspelt_kind_names_file_line_and_the_near_value():
    kb = kb_of(("a.md", lesson_text("title: A\ntype: postmortum\ndate: 2025-01-02")))
    [problem] = kb.problems
    assert problem.path == "a.md" and problem.line == 3
    assert problem.suggestion == "did you mean 'postmortem'?"
    assert kb.lessons == [] and kb.rejected == ["a.md"]


def test_unknown_keys_are_warnings_with_a_suggestion_and_the_lesson_still_builds():
    kb = kb_of(("a.md", lesson_text("title: A\ntype: aar\ndate: 2025-01-02\nservics: [x]")))
    [problem] = kb.problems
    assert not problem.is_error and problem.line == 5
    assert problem.suggestion == "did you mean 'services'?"
    assert len(kb.lessons) == 1


def test_every_problem_in_a_file_is_reported_at_once():
    kb = kb_of(("a.md", lesson_text(
        "title: A\ntype: aar\ndate: 2025-13-01\nseverity: SEV9\nfailure_type: prevent\n"
        "time_to_detect: soon\ntags: {a: 1}")))
    lines = sorted(p.line for p in kb.problems)
    assert lines == [4, 5, 6, 7, 8]


def test_missing_required_fields_are_each_named():
    kb = kb_of(("a.md", lesson_text("summary: only this")))
    text = " ".join(messages(kb))
    for name in ("title", "type", "date"):
        assert f"missing required field '{name}'" in text


def test_wrong_types_are_errors_that_say_what_was_found():
    kb = kb_of(("a.md", lesson_text(
        "title: [A]\ntype: aar\ndate: 2025-01-02\nimpact: big\nfollow_ups: {action: x}")))
    text = "\n".join(messages(kb))
    assert "title must be text, not a list" in text
    assert "impact must be a mapping" in text
    assert "follow_ups must be a list" in text


def test_nested_problems_point_at_the_item_line_counting_from_one():
    kb = kb_of(("a.md", lesson_text(
        "title: A\ntype: postmortem\ndate: 2025-01-02\nfollow_ups:\n"
        "  - action: ok\n  - action: later\n    due: next week\n    status: finished")))
    text = "\n".join(messages(kb))
    assert "a.md:8: error: follow_ups[2].due must be an ISO date" in text
    assert "a.md:9: error: follow_ups[2].status 'finished' is not one of" in text


def test_vocabularies_are_case_insensitive_and_normalised():
    kb = kb_of(("a.md", lesson_text(
        "title: A\ntype: Postmortem\ndate: 2025-01-02\nseverity: sev2\ncategories: [Capacity]")))
    lesson = kb.lessons[0]
    assert (lesson.kind, lesson.severity, lesson.categories) == ("postmortem", "SEV2",
                                                                 ["capacity"])


def test_configured_taxonomy_replaces_the_default_one():
    settings = Settings(categories=("flaky-test",), severities=("P1", "P2"))
    kb = kb_of(("a.md", lesson_text(
        "title: A\ntype: aar\ndate: 2025-01-02\ncategories: [capacity]\nseverity: P2")),
        settings=settings)
    assert "categories[1] 'capacity' is not one of flaky-test" in messages(kb)[0]


def test_durations_are_stored_as_minutes():
    kb = kb_of(("a.md", lesson_text(
        "title: A\ntype: postmortem\ndate: 2025-01-02\ntime_to_detect: 8m\n"
        "time_to_recover: 2h 30m")))
    assert (kb.lessons[0].time_to_detect, kb.lessons[0].time_to_recover) == (8, 150)


def test_a_kind_block_on_another_kind_is_a_warning():
    kb = kb_of(("a.md", lesson_text(
        "title: A\ntype: postmortem\ndate: 2025-01-02\naar:\n  intended: x")))
    [problem] = kb.problems
    assert not problem.is_error and "belongs to a aar" in problem.message


def test_duplicate_ids_reject_the_second_file_and_name_the_first():
    kb = kb_of(("a.md", lesson_text("id: x\ntitle: A\ntype: aar\ndate: 2025-01-02")),
               ("b.md", lesson_text("id: x\ntitle: B\ntype: aar\ndate: 2025-01-03")))
    [problem] = kb.problems
    assert problem.path == "b.md" and "already used by a.md" in problem.message
    assert [x.path for x in kb.lessons] == ["a.md"]


def test_unknown_related_ids_are_errors_with_a_suggestion():
    kb = kb_of(("pm-1.md", lesson_text("title: A\ntype: aar\ndate: 2025-01-02")),
               ("pm-2.md", lesson_text("title: B\ntype: aar\ndate: 2025-01-02\n"
                                       "related: [pm-l]")))
    [problem] = kb.problems
    assert problem.is_error and problem.line == 5
    assert problem.suggestion == "did you mean 'pm-1'?"


def test_non_utf8_and_empty_files_are_rejected_with_the_others_still_loaded():
    kb = kb_of(("bad.md", b"---\ntitle: \xff\n---\n"), ("empty.md", ""),
               ("ok.md", lesson_text("title: A\ntype: aar\ndate: 2025-01-02")))
    assert kb.rejected == ["bad.md", "empty.md"]
    assert [x.id for x in kb.lessons] == ["ok"]


def test_lessons_are_sorted_newest_first():
    kb = kb_of(("a.md", lesson_text("title: A\ntype: aar\ndate: 2024-01-02")),
               ("b.md", lesson_text("title: B\ntype: aar\ndate: 2025-01-02")))
    assert [x.id for x in kb.lessons] == ["b", "a"]


def test_a_file_name_that_is_not_an_id_gives_a_slug_id():
    kb = kb_of(("PM2021-005 - All services down.md",
                lesson_text("title: A\ntype: aar\ndate: 2025-01-02")))
    assert kb.lessons[0].id == "pm2021-005-all-services-down"


def test_files_named_in_a_non_latin_script_without_id_get_distinct_ids():
    kb = kb_of(("2025/障害報告.md", lesson_text("title: A\ntype: aar\ndate: 2025-01-02")),
               ("2025/障害対応.md", lesson_text("title: B\ntype: aar\ndate: 2025-01-02")))
    assert kb.problems == []
    ids = {lesson.id for lesson in kb.lessons}
    assert len(ids) == 2 and "lesson" not in ids


def test_an_id_longer_than_the_limit_is_an_error_naming_its_line():
    kb = kb_of(("a.md", lesson_text("title: A\ntype: aar\ndate: 2025-01-02\nid: " + "x" * 300)))
    [problem] = kb.problems
    assert problem.is_error and problem.line == 5 and "at most 100" in problem.message


def test_page_slugs_keep_non_latin_words_and_stay_bounded_and_distinct():
    from lessonbook.load.slugs import SLUG_MAX, SLUG_MAX_BYTES, page_slug

    assert page_slug("Café crash") == "cafe-crash"
    assert page_slug("障害報告 チェックアウト") == "障害報告-チェックアウト"
    long_a, long_b = "a" * 299 + "1", "a" * 299 + "2"
    for text in (long_a, "日本" * 200, "x-" * 300):
        slug = page_slug(text)
        assert len(slug) <= SLUG_MAX and len(slug.encode()) <= SLUG_MAX_BYTES
    assert page_slug(long_a) != page_slug(long_b)


def test_a_template_other_than_the_lesson_template_is_an_error():
    for value in ("nope.html", "../../etc/passwd", "main.html"):
        text = f"title: A\ntype: aar\ndate: 2025-01-02\ntemplate: {value}"
        kb = kb_of(("a.md", lesson_text(text)))
        [problem] = kb.problems
        assert problem.is_error and problem.line == 5 and "custom_dir" in problem.suggestion
        assert kb.lessons == []


def test_the_lesson_template_named_explicitly_is_accepted():
    kb = kb_of(("a.md", lesson_text("title: A\ntype: aar\ndate: 2025-01-02\n"
                                    "template: lessonbook/lesson.html")))
    assert kb.problems == [] and len(kb.lessons) == 1


def test_material_page_meta_of_the_wrong_shape_is_an_error_not_a_template_crash():
    for line in ("hide: 5", "hide: [toc, sidebar]", "search: 3", "search: {exclude: maybe}",
                 "icon: ../../secrets", "comments: 1"):
        kb = kb_of(("a.md", lesson_text(f"title: A\ntype: aar\ndate: 2025-01-02\n{line}")))
        assert [p.code for p in kb.problems] == ["page-meta"], line
    kb = kb_of(("a.md", lesson_text("title: A\ntype: aar\ndate: 2025-01-02\nhide: [toc]\n"
                                    "search: {boost: 2}\nicon: material/alert\ncomments: true")))
    assert kb.problems == []
