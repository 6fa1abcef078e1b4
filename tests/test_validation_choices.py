"""A vocabulary value is accepted in any case and stored as the vocabulary spells it; where two
values differ only in case, the first one listed is the one kept."""

from __future__ import annotations

from lessonbook.analysis.analyse import analyse
from lessonbook.load.sources import Source
from lessonbook.model.options import Options


def _severity(written: str, severities: tuple[str, ...]) -> tuple[str | None, list[str]]:
    text = (f"---\nid: pm-1\ntitle: T\ntype: postmortem\ndate: 2025-02-03\n"
            f"severity: {written}\n---\nBody.\n")
    analysis = analyse([Source("pm-1.md", text.encode())], Options(severities=severities))
    lessons = analysis.kb.lessons
    return (lessons[0].severity if lessons else None,
            [p.code for p in analysis.problems if p.code == "choice"])


def test_a_vocabulary_value_in_another_case_is_stored_as_the_vocabulary_spells_it():
    assert _severity("sev2", ("SEV1", "SEV2")) == ("SEV2", [])
    assert _severity(" Sev1 ", ("SEV1", "SEV2")) == ("SEV1", [])


def test_of_two_values_differing_only_in_case_the_first_listed_is_kept():
    assert _severity("MAJOR", ("Major", "major", "MAJOR")) == ("Major", [])
    assert _severity("major", ("MAJOR", "Major")) == ("MAJOR", [])


def test_a_value_outside_the_vocabulary_is_still_a_choice_error():
    assert _severity("SEV9", ("SEV1", "SEV2"))[1] == ["choice"]
