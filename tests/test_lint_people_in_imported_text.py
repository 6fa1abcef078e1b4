"""The lint on imported text (#23): a chat export or a timeline full of @handles is one
warning per lesson, not one per line; ordinary capitalised words are not people's names; a
role's mailbox (abuse@, security@) is not a person."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from lessonbook.analysis.lint import NOT_PEOPLE, PERSON_VERBS, ROLE_WORDS
from lessonbook.analysis.lint.vocabulary import COMMON_WORDS
from test_lint import FOLLOW_UP, codes, lint

_VERBS = st.sampled_from([v for v in PERSON_VERBS if " " not in v])
_WORD = st.text(string.ascii_lowercase, min_size=3, max_size=10).filter(
    lambda w: w not in COMMON_WORDS | NOT_PEOPLE | ROLE_WORDS)


def _names_warned(body: str) -> bool:
    return any(p.code == "person-named" for p in lint({}, body))


@settings(max_examples=30, deadline=None)
@given(word=st.sampled_from(sorted(COMMON_WORDS)), verb=_VERBS)
def test_a_common_word_starting_a_sentence_is_never_a_name(word, verb):
    body = f"## What happened\n\nThe deploy began. {word.capitalize()} {verb} the team.\n"
    assert not _names_warned(body)


@settings(max_examples=30, deadline=None)
@given(word=_WORD, verb=_VERBS)
def test_a_word_the_lesson_writes_in_lower_case_is_not_a_name_and_one_it_never_does_is(
        word, verb):
    """The differential pair: the same capitalised word, as the subject of what people do,
    is a name exactly when the lesson never writes it in lower case."""
    sentence = f"{word.capitalize()} {verb} the team."
    as_word = f"## What happened\n\nThe {word} stopped. {sentence}\n"
    as_name = f"## What happened\n\nThe queue stopped. {sentence}\n"
    assert not _names_warned(as_word)
    assert _names_warned(as_name)


@settings(max_examples=15, deadline=None)
@given(handles=st.lists(st.sampled_from(["@ana", "@bo-k", "@cai", "@dee", "@eli", "@fay",
                                         "@gus", "@hal"]), min_size=1, max_size=25))
def test_handles_on_every_timeline_and_chat_line_are_one_warning_with_a_count(handles):
    half = len(handles) // 2
    rows = "".join(f"- 10:{i:02d} {h} rolled back\n" for i, h in enumerate(handles[:half]))
    chat = "".join(f"> {h} [10:{i:02d} AM]  \nlooking\n>\n" for i, h in enumerate(handles[half:]))
    body = f"## Timeline\n\n{rows}\n## Appendix\n\n### #ops chat log\n\n{chat}"
    [problem] = [p for p in lint({}, body) if p.code == "person-named"]
    assert f"{len(handles)} time(s)" in problem.message
    distinct = set(handles)
    listed = [h for h in distinct if f"'{h}'" in problem.message]
    assert len(listed) == min(len(distinct), 5)
    if len(distinct) > 5:
        assert f"and {len(distinct) - 5} more" in problem.message


def test_role_mailboxes_are_not_people_in_the_timeline_or_as_owners():
    body = ("## Timeline\n\n- 10:00 abuse@example.com reported the card fraud\n"
            "- 10:05 security@example.com acknowledged\n"
            "- 10:06 binder-team@googlegroups.com was told\n- 10:07 @sre-oncall paged\n")
    owners = [dict(FOLLOW_UP, owner=o) for o in ("security@example.com", "@payments-team")]
    assert lint({"follow_ups": owners}, body) == []


def test_a_personal_address_beside_role_mailboxes_is_still_warned():
    body = ("## Timeline\n\n- 10:00 abuse@example.com reported it\n"
            "- 10:01 jane.doe@example.com replied\n")
    assert codes(lint({}, body)) == ["person-named"]
    assert "jane.doe@example.com" in lint({}, body)[0].message
    assert "abuse@" not in lint({}, body)[0].message


def test_a_name_in_an_address_does_not_make_the_name_a_common_word():
    body = ("## Timeline\n\n| Time | Event |\n| --- | --- |\n| 08:39 | Emil notified the team "
            "(emil@example.com) |\n")
    [problem] = lint({}, body)
    assert "'Emil'" in problem.message and "emil@example.com" in problem.message


def test_chat_export_speakers_join_the_one_warning_and_roles_do_not():
    body = ("## Appendix\n\n### #testing-ops chat logs\n\n"
            ">Katharine [8:27 AM]  \nIt's bump time!\n>\n>stevekuznetsov [8:33 AM]  \ndope\n>\n"
            ">Katharine   [3 hours ago]  \nback @stevekuznetsov\n>\n>oncall [9:00 AM]  \nack\n")
    [problem] = lint({}, body)
    assert problem.code == "person-named"
    assert "4 time(s)" in problem.message
    assert "'Katharine' (2 times)" in problem.message  # one person, however written:
    assert "'stevekuznetsov' (2 times)" in problem.message  # speaker and @handle
    assert "oncall" not in problem.message
