"""The lint reads each text once (a keyword pass) and still finds exactly what a search for
every phrase on every line found."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import lesson_text
from lessonbook.analysis.lint import BLAME_CAUSES, DEFAULT_BLAME_WORDS, LintOptions, lint_lessons
from lessonbook.analysis.lint import rules as lint_rules
from lessonbook.analysis.lint.body import fold_case
from lessonbook.analysis.lint.rules import _Linter
from lessonbook.load.knowledge_base import KnowledgeBase
from lessonbook.model.problems import Problem
from lessonbook.speed.switches import Speed
from lessonbook.speed.work import Work

REPO = Path(__file__).resolve().parent.parent


def reference_narrative(self: _Linter, text: str, line: int | None) -> None:
    """Every phrase's pattern searched in the text: what the keyword pass must agree with."""
    for _phrase, pattern, reason, rewrite in self.phrases.matchers:
        found = pattern.search(text)
        if found:
            self.warn(line, f"blame language {found.group(0).strip()!r}: {reason}", rewrite,
                      "blame-language")


def reference_cause(self: _Linter, text: str, line: int | None, where: str) -> bool:
    """The cause pattern searched in every text, keywords or not."""
    saved = lint_rules._CAUSE_KEYWORDS
    lint_rules._CAUSE_KEYWORDS = _Everything()
    try:
        return ORIGINAL_CAUSE(self, text, line, where)
    finally:
        lint_rules._CAUSE_KEYWORDS = saved


class _Everything:
    """A keyword finder that never rules a text out."""

    def found(self, text: str) -> None:
        return None


ORIGINAL_CAUSE = _Linter.cause


def both_ways(lessons: list[Any], options: LintOptions | None = None
              ) -> tuple[list[Problem], list[Problem]]:
    fast = lint_lessons(lessons, options)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_Linter, "narrative", reference_narrative)
        patch.setattr(_Linter, "cause", reference_cause)
        # every body line read, in this process (so the patches above apply)
        reference = lint_lessons(lessons, options, work=Work(speed=Speed.reference()))
    return fast, reference


def every_phrase_body(phrases: list[str]) -> str:
    """Each phrase alone, in capitals, split by inline code, next to a look-alike and after a
    person subject; the causes under a cause heading; handles in the timeline."""
    lines = []
    for phrase in phrases:
        words = phrase.split()
        lines += [f"Then {phrase} it.", f"{phrase.upper()}!", f"The sloppy engineer {phrase}.",
                  f"{words[0]} `code` {' '.join(words[1:])} here",
                  f"{phrase}less {phrase}-free pre-{phrase} git {phrase} x{phrase}",
                  f"ſ{phrase[1:]} and {phrase.title()} and Ünïcode {phrase}"]
    causes = [f"- {cause}" for cause in BLAME_CAUSES]
    causes += [f"- {cause.upper()} during the deploy" for cause in BLAME_CAUSES]
    return ("## Summary\n\n" + "\n".join(lines)
            + "\n\n## Root cause\n\n" + "\n".join(causes)
            + "\n\n## Timeline\n\n- 10:02 @ana failed to page; she failed to see it\n"
            + "- 10:05 the on-call engineer had failed to act, the job failed to start\n"
            + "\n```\nshould have known in a fence\n```\n")


def fixture_lessons(phrases: list[str]) -> list[Any]:
    front = {"title": "Checkout timeouts", "type": "postmortem", "date": "2025-03-04",
             "summary": "We should have known; it was negligent and sloppy.",
             "contributing_factors": ["Human error", "The operator failed to look",
                                      "Carelessness and blame", "A pool that was too small"],
             "impact": {"actual": "Nobody blamed anyone; the team failed to notice"},
             "follow_ups": [{"action": f"Stop saying {p}", "owner": "platform",
                             "due": "2025-04-01"} for p in phrases]}
    source = lesson_text(front, every_phrase_body(phrases))
    kb = KnowledgeBase.from_sources([("2025/pm-1.md", source.encode())])
    assert kb.lessons, kb.problems
    return kb.lessons


def test_a_body_with_every_default_phrase_gives_the_same_problems_as_searching_each_phrase():
    fast, reference = both_ways(fixture_lessons(list(DEFAULT_BLAME_WORDS)))
    assert len(reference) > 100  # the fixture really exercises every rule
    assert fast == reference


def test_a_sites_own_phrases_give_the_same_problems_as_searching_each_phrase():
    phrases = ["Blame game", "dropped the ball", "+1 guy", "c++ wizard", "didn't", "ſloppy",
               "over-confident"]
    options = LintOptions(blame_words=tuple(phrases))
    fast, reference = both_ways(fixture_lessons(phrases), options)
    assert len(reference) > 20
    assert fast == reference


def test_the_example_lessons_give_the_same_problems_as_searching_each_phrase():
    sources = [(p.relative_to(REPO / "lessons").as_posix(), p.read_bytes())
               for p in sorted((REPO / "lessons").rglob("*.md"))]
    lessons = KnowledgeBase.from_sources(sources).lessons
    assert len(lessons) > 10
    fast, reference = both_ways(lessons)
    assert fast == reference


def test_real_postmortems_give_the_same_problems_as_searching_each_phrase():
    """The shared corpus's Markdown (real postmortems, written by people) as lesson bodies."""
    corpus = REPO.parent / "shared" / "corpus"
    if not corpus.is_dir():
        pytest.skip(f"{corpus} is not here")
    front = {"title": "Real postmortem", "type": "postmortem", "date": "2025-03-04",
             "follow_ups": [{"action": "Review", "owner": "platform", "due": "2025-04-01"}]}
    sources = [(f"2025/pm-{i}.md", lesson_text({**front, "id": f"pm-{i}"},
                                               p.read_text(encoding="utf-8",
                                                           errors="replace")).encode())
               for i, p in enumerate(sorted(corpus.rglob("*.md")))]
    lessons = KnowledgeBase.from_sources(sources).lessons
    assert len(lessons) > 10
    fast, reference = both_ways(lessons)
    assert fast == reference


def test_only_reading_the_body_lines_worth_reading_finds_what_reading_every_line_finds():
    """Headings and fences on skipped-looking lines, '#' lines that are not headings, a phrase
    joined by removing inline code, folded capitals ('İ', 'ſ'), names and handles, causes
    outside and inside a cause section, a heading on the first line, chat-log speakers."""
    body = ("# Root causes\nOperator error\nplain line\n#tag line with nothing\n"
            "## Why it happened\n"
            "The deploy did not run. We did not follow the process.\nplain\n"
            "- Not paying attention\n  ~~~\nHuman error in a tilde fence\n  ~~~ \n"
            "## Summary\nThe job did not follow the process either.\nbla`x`me the tool\n"
            "ſhould have known, SHOULD HAVE NOTİCED, negligent\n"
            "Emil notified the team (Lloyd Middleton) and Ross was assigned.\n"
            "Kari Nordmann looked into it\n```text\nshould have known\n```\n"
            "## Timeline\n- 10:02 ping ana@example.com and @ana\n- 10:03 nothing\n"
            "    ```\n- 10:04 @bob inside an indented fence\n    ```\n#### Causes ####\n"
            "careless\n##no heading: human error\n### #ops chat log\n>Kari [8:27 AM]  \nok\n"
            "liggitt   [3 hours ago]\nplain line about 9:00 AM]\n")
    front = {"title": "Checkout timeouts", "type": "postmortem", "date": "2025-03-04",
             "follow_ups": [{"action": "Review", "owner": "platform", "due": "2025-04-01"}]}
    lessons = KnowledgeBase.from_sources([("2025/pm-1.md",
                                           lesson_text(front, body).encode())]).lessons
    fast, reference = both_ways(lessons)
    assert {p.code for p in reference} == {"blame-cause", "blame-language", "person-named"}
    assert len(reference) >= 10
    assert fast == reference


def test_the_case_folds_the_body_search_relies_on_are_all_the_regex_engine_knows():
    """Wherever a case-insensitive pattern matches an ASCII letter or digit, ``fold_case`` gives
    that character, and it never changes a text's length: the body search then sees every
    place a keyword matches, at the right position."""
    import re
    import sys

    every_char = "".join(map(chr, range(sys.maxunicode + 1)))
    folded = fold_case(every_char)
    assert len(folded) == len(every_char)
    ascii_word = "abcdefghijklmnopqrstuvwxyz0123456789_"
    matches = list(re.finditer(f"[{ascii_word}]", every_char, re.IGNORECASE))
    assert len(matches) > len(ascii_word) + 26  # capitals, and the few beyond ASCII
    for match in matches:
        assert folded[match.start()] in ascii_word
        assert re.fullmatch(re.escape(folded[match.start()]), match.group(0), re.IGNORECASE)
