"""The one parse path: bytes → front-matter, body and line numbers, never an exception."""

from lessonbook.load.parsing import parse_source


def test_front_matter_keys_and_list_items_carry_their_file_line_numbers():
    doc = parse_source(b"---\ntitle: T\ntags:\n  - a\n  - b\n---\nBody\n", "x.md")
    assert doc.line_of("title") == 2
    assert doc.line_of("tags", 1) == 5
    assert doc.body == "Body\n"
    assert doc.body_line == 7


def test_dates_stay_text_so_impossible_dates_are_reported_not_raised():
    doc = parse_source(b"---\ndate: 2025-02-30\n---\n", "x.md")
    assert doc.meta == {"date": "2025-02-30"}
    assert doc.problems == []


def test_only_true_and_false_are_booleans_so_a_tag_no_stays_text():
    doc = parse_source(b"---\ntags: [no, on, yes]\nflag: true\n---\n", "x.md")
    assert doc.meta["tags"] == ["no", "on", "yes"]
    assert doc.meta["flag"] is True


def test_yaml_end_marker_closes_front_matter_like_mkdocs_does():
    doc = parse_source(b"---\ntitle: T\n...\nBody\n", "x.md")
    assert doc.meta == {"title": "T"}
    assert doc.body == "Body\n"


def test_windows_line_endings_and_a_byte_order_mark_are_accepted():
    doc = parse_source("\ufeff---\r\ntitle: T\r\n---\r\nBody\r\n".encode(), "x.md")
    assert doc.meta == {"title": "T"}
    assert doc.body == "Body\n"


def test_malformed_yaml_is_one_error_with_the_file_line():
    doc = parse_source(b"---\ntitle: T\ntags: [a, b\n---\n", "x.md")
    assert doc.meta is None
    [problem] = doc.problems
    assert problem.is_error and "not valid YAML" in problem.message
    assert problem.line == 4


def test_front_matter_that_is_a_list_is_an_error_not_a_crash():
    doc = parse_source(b"---\n- a\n- b\n---\n", "x.md")
    assert "must be a mapping" in doc.problems[0].message


def test_unclosed_front_matter_is_reported():
    doc = parse_source(b"---\ntitle: T\n", "x.md")
    assert "never closed" in doc.problems[0].message


def test_non_utf8_bytes_name_the_line_of_the_bad_byte():
    doc = parse_source(b"---\ntitle: caf\xe9\n---\n", "x.md")
    [problem] = doc.problems
    assert "not valid UTF-8" in problem.message and problem.line == 2


def test_an_empty_file_is_an_error():
    assert parse_source(b"  \n", "x.md").problems[0].message == "file is empty"


def test_a_file_without_front_matter_is_an_error():
    assert "no front-matter" in parse_source(b"# Title\n", "x.md").problems[0].message


def test_duplicate_keys_warn_that_the_last_one_wins():
    doc = parse_source(b"---\ntitle: A\ntitle: B\n---\n", "x.md")
    assert doc.meta["title"] == "B"
    assert doc.problems[0].line == 3 and "appears twice" in doc.problems[0].message
