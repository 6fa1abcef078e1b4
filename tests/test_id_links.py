"""Lesson ids in page text are found by their shape and looked up (site/id_links.py): the same
answers as one regular expression alternating every id, longest first — the rule the pages
always followed — for any ids and any text, and at a cost that does not grow with the number
of lessons (the alternation's did, unless every id shared its first characters)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from lessonbook.site.id_links import IdLinker

_ID_CHARS = "ab1.-_é"
_TEXT_CHARS = "ab1.-/ ,_é—"


def _reference(text: str, ids: frozenset[str], own: str) -> str:
    """The rule as one alternation of every id but the page's own, longest first."""
    others = sorted(ids - {own}, key=len, reverse=True)
    if not others:
        return text
    pattern = re.compile(r"(?<![\w/.-])(" + "|".join(re.escape(i) for i in others)
                         + r")(?![\w/-])")
    return pattern.sub(lambda m: f"<{m.group(1)}>", text)


ids_strategy = st.frozensets(st.text(_ID_CHARS, min_size=1, max_size=6), max_size=8)


@settings(max_examples=400, deadline=None)
@given(ids=ids_strategy, text=st.text(_TEXT_CHARS, max_size=40), data=st.data())
def test_ids_are_linked_as_the_alternation_of_every_id_links_them(
        ids: frozenset[str], text: str, data: st.DataObject) -> None:
    # texts built from the ids themselves too, so that ids nest, touch and end sentences
    pieces = data.draw(st.lists(st.one_of(st.sampled_from(sorted(ids) or ["a"]),
                                          st.sampled_from([" ", ".", "/", "-", ". ", "_"])),
                                max_size=12))
    own = data.draw(st.one_of(st.sampled_from(sorted(ids) or ["a"]), st.just("")))
    for sample in (text, "".join(pieces), text + "".join(pieces)):
        assert IdLinker(ids).link(sample, own, lambda i: f"<{i}>") == _reference(sample, ids, own)


def test_a_page_with_ten_thousand_ids_of_mixed_kinds_links_each_once() -> None:
    ids = frozenset(f"{kind}-{year}-{n:03d}" for kind in ("pm", "nm", "aar", "pre", "pdsa")
                    for year in range(2016, 2026) for n in range(200))
    text = "See pm-2024-007, aar-2019-199. and nm-2016-000/x, also pdsa-2025-123.4 here."
    assert IdLinker(ids).link(text, "pm-2017-001", lambda i: f"[{i}]") == (
        "See [pm-2024-007], [aar-2019-199]. and nm-2016-000/x, also [pdsa-2025-123].4 here.")
