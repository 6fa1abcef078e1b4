"""The one parse path: bytes → front-matter, body and line numbers, never an exception."""

from lessonbook.load.parsing import MAX_BODY_BYTES, MAX_FRONT_MATTER_BYTES, parse_source


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


# --- hostile front-matter: each is one error with a line, cheaply, never an exception --------

def _one_error(front: str):
    doc = parse_source(f"---\ntitle: T\n{front}---\nBody\n".encode(), "x.md")
    [problem] = [p for p in doc.problems if p.is_error]
    assert doc.meta is None and problem.line is not None
    return problem


def test_an_alias_bomb_is_refused_before_it_expands():
    names = "abcdefghi"
    front = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{names[i + 1]}: &{names[i + 1]} [{', '.join([f'*{names[i]}'] * 9)}]\n"
        for i in range(8))
    problem = _one_error(front)
    assert problem.code == "yaml-aliases" and "aliases" in problem.message


def test_a_merge_key_bomb_is_refused_before_it_expands():
    front = "m0: &m0 {k: 1, j: 2}\n" + "".join(
        f"m{i + 1}: &m{i + 1}\n  <<: [{', '.join([f'*m{i}'] * 9)}]\n" for i in range(10))
    assert _one_error(front).code == "yaml-aliases"


def test_a_list_nested_a_thousand_deep_is_an_error_not_a_recursion_error():
    problem = _one_error("x: " + "[" * 1000 + "]" * 1000 + "\n")
    assert problem.code == "yaml-depth" and problem.line == 3


def test_block_lists_nested_too_deep_are_an_error():
    assert _one_error("x:\n" + "- " * 3000 + "a\n").code == "yaml-depth"


def test_a_self_referencing_alias_is_an_error():
    assert _one_error("x: &a [*a]\n").code == "yaml-depth"


def test_an_integer_of_five_thousand_digits_is_an_error_naming_its_line():
    problem = _one_error("tags: [a]\nx: " + "7" * 5000 + "\n")
    assert problem.code == "yaml-number" and problem.line == 4 and "5,000" in problem.message


def test_impossible_or_unparseable_explicit_timestamps_are_errors():
    assert "not a real date" in _one_error("date: !!timestamp 2025-02-30\n").message
    assert "not a real date" in _one_error("date: !!timestamp not-a-date\n").message


def test_a_real_explicit_timestamp_stays_text_like_any_date():
    doc = parse_source(b"---\ndate: !!timestamp 2025-02-03\n---\n", "x.md")
    assert doc.meta == {"date": "2025-02-03"} and doc.problems == []


def test_tags_outside_the_core_schema_are_refused_by_name():
    for tag in ("!!python/object/apply:os.system ['id']", "!!binary aGk=", "!!set {a}",
                "!custom x", "!!omap [a: 1]"):
        problem = _one_error(f"x: {tag}\n")
        assert problem.code == "yaml-tag" and "is not accepted" in problem.message, tag


def test_explicit_number_and_boolean_tags_must_fit_their_value():
    assert _one_error("x: !!int abc\n").code == "yaml-tag"
    assert _one_error("x: !!bool maybe\n").code == "yaml-tag"
    assert _one_error("x: 0x_\n").code == "yaml-tag"


def test_front_matter_over_the_size_limit_is_refused():
    problem = _one_error("summary: '" + "a" * (MAX_FRONT_MATTER_BYTES + 1) + "'\n")
    assert problem.code == "front-matter-size"


def test_a_body_over_the_size_limit_is_a_warning_and_the_lesson_still_parses():
    doc = parse_source(b"---\ntitle: T\n---\n" + b"word " * (MAX_BODY_BYTES // 4), "x.md")
    [problem] = doc.problems
    assert not problem.is_error and problem.code == "large-body" and problem.line == 4
    assert doc.meta == {"title": "T"}


def test_ordinary_aliases_within_the_budget_still_work():
    doc = parse_source(b"---\nteams: &t [sre]\nservices: *t\n---\n", "x.md")
    assert doc.meta == {"teams": ["sre"], "services": ["sre"]} and doc.problems == []
