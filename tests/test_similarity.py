"""Similar incidents: ranking, reasons, author overrides, determinism, min_score, export, page."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import lesson_text
from lessonbook.analysis.similarity import SimilarityIndex, SimilarSettings, tokens
from lessonbook.model.lesson import Lesson

FILLER = ("The team reviewed dashboards and wrote notes. Customers saw errors for a while. "
          "Engineers discussed the timeline and agreed on next steps.")


def make(lesson_id: str, title: str, body: str, **fields) -> Lesson:
    return Lesson(id=lesson_id, title=title, kind="postmortem", date=dt.date(2024, 1, 1),
                  path=f"{lesson_id}.md", body=body, **fields)


def corpus() -> list[Lesson]:
    return [
        make("kiam-1", "KIAM certificate expired",
             "The KIAM server certificate expired and pods could not assume IAM roles. "
             + FILLER, tags=["kubernetes"]),
        make("kiam-2", "KIAM disruption after upgrade",
             "After the KIAM upgrade pods could not assume IAM roles; the certificate was "
             "regenerated. " + FILLER, tags=["kubernetes"]),
        make("logs-1", "Logs not shipped to CloudWatch",
             "Fluentd stopped shipping logs to CloudWatch after a buffer overflow. " + FILLER,
             tags=["kubernetes"]),
        make("logs-2", "CloudWatch logs missing",
             "Fluentd buffer filled up so logs never reached CloudWatch. " + FILLER,
             tags=["observability"]),
        make("dns-1", "CoreDNS crash loop", "CoreDNS pods crash looped after the upgrade of "
             "the cluster; name resolution failed. " + FILLER, tags=["kubernetes"]),
    ]


def ids(links) -> list[str]:
    return [link.id for link in links]


def confident(links) -> list:
    """The links above the bars (not the folded "possibly related" tier)."""
    return [link for link in links if link.tier == "confident"]


def test_the_most_similar_text_ranks_first_above_shared_tags_alone():
    index = SimilarityIndex(corpus())
    assert ids(index.similar("kiam-1"))[0] == "kiam-2"
    assert ids(index.similar("logs-2"))[0] == "logs-1"


NO_CUT_OFF = {"min_score": 0.0, "min_relative": 0.0, "mutual": False, "max_drop": 0.0,
              "margin": 0.0}


def test_reasons_name_distinctive_shared_words():
    link = SimilarityIndex(corpus()).similar("kiam-1")[0]
    assert "kiam" in link.terms
    assert any(r.startswith("both mention: ") and "kiam" in r for r in link.reasons)


def test_a_tag_most_lessons_carry_is_not_a_reason_and_a_rare_one_is():
    lessons = corpus() + [make(f"other-{i}", f"Other {i}", f"disk {i} filled " + FILLER,
                               tags=["kubernetes"]) for i in range(6)]
    lessons[0].tags = lessons[1].tags = ["kubernetes", "iam"]
    link = SimilarityIndex(lessons).similar("kiam-1")[0]
    assert link.id == "kiam-2"
    assert link.shared == {"tags": ["iam"]}  # kubernetes: on 10 of 11 lessons, iam on 2
    assert "same tags: iam" in link.reasons


def test_a_signal_weighted_zero_is_never_given_as_a_reason():
    lessons = corpus()
    lessons[0].tags = lessons[1].tags = ["iam"]
    settings = SimilarSettings(weights={"tags": 0.0}, **NO_CUT_OFF)
    link = SimilarityIndex(lessons, settings).similar("kiam-1")[0]
    assert link.id == "kiam-2" and "tags" not in link.shared
    assert not any(r.startswith("same tags") for r in link.reasons)


def test_a_shared_value_counts_by_its_rarity():
    def score(tag_on: int) -> float:
        lessons = [make(f"x{i}", f"Lesson {i}", f"word{i} topic{i % 3} " + FILLER,
                        tags=["common"] if i < tag_on else []) for i in range(10)]
        index = SimilarityIndex(lessons, SimilarSettings(count=9, **NO_CUT_OFF))
        return next(x.score for x in index.similar("x0") if x.id == "x1")
    assert score(2) > score(9)


def test_times_initials_and_roll_calls_are_never_reasons():
    body = ("## Timeline\n\n| 10:00 PM | KIAM certificate expired (hh:mm) |\n\n"
            "## Attendees\n\n- RF, PW, Zed\n")
    lessons = [make("a", "KIAM down", body), make("b", "KIAM again", body),
               make("c", "Disk full", "disk filled " + FILLER),
               make("d", "Queue stuck", "queue stuck " + FILLER)]
    terms = SimilarityIndex(lessons).similar("a")[0].terms
    assert "kiam" in terms
    assert not {"pm", "hh", "mm", "rf", "pw", "zed"} & set(terms)


def test_reason_words_are_shown_as_written_not_as_stems():
    lessons = [make("a", "Expired certificates", "certificates expired on nodes " + FILLER),
               make("b", "Certificates again", "certificates rotated late " + FILLER),
               make("c", "Unrelated", "a disk filled up " + FILLER)]
    terms = SimilarityIndex(lessons).similar("a")[0].terms
    assert "certificates" in terms


def test_author_related_always_appears_first_and_is_marked():
    lessons = corpus()
    lessons[0].related = ["dns-1"]
    index = SimilarityIndex(lessons, SimilarSettings(count=1))
    links = index.similar("kiam-1")
    assert ids(links) == ["dns-1", "kiam-2"]
    assert links[0].by_author and "linked by the author" in links[0].reasons


def test_the_linked_lesson_shows_the_link_back():
    lessons = corpus()
    lessons[0].related = ["dns-1"]
    links = SimilarityIndex(lessons, SimilarSettings(count=1)).similar("dns-1")
    assert links[0].id == "kiam-1" and links[0].links_here


def test_unrelated_never_appears_in_either_direction():
    lessons = corpus()
    lessons[0].unrelated = ["kiam-2"]
    index = SimilarityIndex(lessons)
    assert "kiam-2" not in ids(index.similar("kiam-1"))
    assert "kiam-1" not in ids(index.similar("kiam-2"))


def test_same_input_gives_same_links_in_same_order_whatever_the_input_order():
    first = SimilarityIndex(corpus())
    second = SimilarityIndex(list(reversed(corpus())))
    for lesson in corpus():
        assert [x.as_record() for x in first.similar(lesson.id)] == \
            [x.as_record() for x in second.similar(lesson.id)]


def test_ties_are_broken_by_id():
    lessons = [make(i, "Same title", "identical words about queues " + FILLER)
               for i in ("c", "a", "b", "d")] + corpus()
    # identical texts in four lessons would be boilerplate (template_words): counted here
    settings = SimilarSettings(count=3, template_words=0)
    assert ids(SimilarityIndex(lessons, settings).similar("d")) == ["a", "b", "c"]


def test_min_score_leaves_out_weak_links_rather_than_showing_noise():
    index = SimilarityIndex(corpus(), SimilarSettings(min_score=0.99))
    assert confident(index.similar("kiam-1")) == []
    low = SimilarityIndex(corpus(), SimilarSettings(count=10, **NO_CUT_OFF))
    # logs-2 shares no tag and no distinctive word with kiam-1: never a link, even at 0.
    assert set(ids(low.similar("kiam-1"))) == {"kiam-2", "logs-1", "dns-1"}


def test_scores_are_ranked_and_count_limits_links():
    settings = SimilarSettings(count=2, neighbour_weight=0.0, **NO_CUT_OFF)
    links = SimilarityIndex(corpus(), settings).similar("kiam-1")
    assert len(links) == 2 and links[0].score >= links[1].score


def test_a_link_far_weaker_than_the_lessons_best_is_left_out():
    settings = SimilarSettings(count=10, min_score=0.0, min_relative=0.7, mutual=False,
                               max_drop=0.0, neighbour_weight=0.0, margin=0.0)
    links = SimilarityIndex(corpus(), settings).similar("kiam-1")
    assert ids(confident(links)) == ["kiam-2"]  # the others score under 70 % of kiam-2
    loose = SimilarityIndex(corpus(), replace(settings, min_relative=0.0)).similar("kiam-1")
    assert len(confident(loose)) == 3


def test_a_lesson_is_linked_only_when_each_is_among_the_others_best():
    # hub shares a word with every lesson; each lesson has a closer partner than hub
    lessons = [make("hub", "Hub", "alpha beta gamma delta " + FILLER)]
    for word in ("alpha", "beta", "gamma", "delta"):
        lessons += [make(f"{word}-1", f"{word} one", f"{word} zeta{word} " + FILLER),
                    make(f"{word}-2", f"{word} two", f"{word} zeta{word} " + FILLER)]
    loose = SimilarSettings(count=1, min_score=0.0, min_relative=0.0, mutual=False)
    assert ids(SimilarityIndex(lessons, loose).similar("hub")) != []
    strict = replace(loose, mutual=True)
    assert ids(confident(SimilarityIndex(lessons, strict).similar("hub"))) == []


def test_markdown_code_urls_and_table_syntax_are_not_terms():
    text = ("| Time | Event |\n| --- | --- |\n| 10:00 | see https://example.com/kiam |\n"
            "```\npanic: goroutine stack\n```\n<img src='x.png'> [docs](http://x.io)")
    terms, _ = tokens(text, SimilarSettings())
    assert not {"https", "example", "panic", "goroutine", "img", "10:00", "---"} & set(terms)
    assert "doc" in terms and "event" in terms


def test_export_and_page_show_similar_incidents_with_reasons(make_site):
    def doc(title: str, body: str, **extra) -> str:
        return lesson_text({"title": title, "type": "postmortem", "date": "2024-02-01",
                            "tags": ["kubernetes"], **extra}, body)

    site = make_site({
        "kiam-1.md": doc("KIAM certificate <expired>", "KIAM certificate expired. " + FILLER,
                         related=["dns-1"]),
        "kiam-2.md": doc("KIAM after upgrade", "KIAM certificate regenerated. " + FILLER),
        "dns-1.md": doc("CoreDNS crash", "CoreDNS crash looped. " + FILLER),
    }, plugin_config={"search": {"pagefind": False}, "similar": {"min_score": 0.01}})
    assert site.ok, site.log
    records = {x["id"]: x for x in site.json("api/lessons.json")["lessons"]}
    similar = records["kiam-1"]["similar"]
    assert [x["id"] for x in similar] == ["dns-1", "kiam-2"]
    assert "linked by the author" in similar[0]["reasons"]
    assert any("kiam" in r for r in similar[1]["reasons"])
    page = site.html("kiam-2/")
    assert "Similar incidents" in page and "Both mention" in page
    assert "KIAM certificate &lt;expired&gt;" in page
    assert "Referenced by" in site.html("dns-1/")


def triangle() -> list[Lesson]:
    """a and c tell the same failure; b shares c's bucket and a little of a; d shares only a
    word with a (the gateway), a little more than b does."""
    return [
        make("a", "Uploads throttled", "The storage quota was exhausted and uploads were "
             "throttled by the gateway. " + FILLER),
        make("c", "Uploads throttled again", "The storage quota was exhausted, uploads were "
             "throttled and the bucket filled. " + FILLER),
        make("b", "Bucket filled", "The bucket filled, the storage quota was exhausted. "
             + FILLER),
        make("d", "Gateway timeouts", "The gateway timed out for a partner. " + FILLER),
    ] + corpus()


def test_a_lesson_sharing_the_closest_neighbour_moves_up_keeping_its_own_score():
    alone = SimilarSettings(count=3, neighbour_weight=0.0, **NO_CUT_OFF)
    plain = SimilarityIndex(triangle(), alone).similar("a")
    supported = SimilarityIndex(triangle(), replace(alone, neighbour_weight=0.5)).similar("a")
    assert ids(plain) == ["c", "d", "b"]
    assert ids(supported) == ["c", "b", "d"]  # b and a are both close to c
    assert {x.id: x.score for x in supported} == {x.id: x.score for x in plain}


def test_neighbour_support_never_lifts_a_pair_over_min_score():
    settings = SimilarSettings(count=3, neighbour_weight=0.5, **{**NO_CUT_OFF,
                                                                "min_score": 0.2})
    links = SimilarityIndex(triangle(), settings).similar("a")
    assert ids(confident(links)) == ["c", "d"]  # b's own similarity to a is under 0.2


def test_a_list_stops_before_its_steepest_drop_only_when_it_is_steep():
    settings = SimilarSettings(count=3, neighbour_weight=0.0, **NO_CUT_OFF)
    assert len(SimilarityIndex(triangle(), settings).similar("a")) == 3
    steep = SimilarityIndex(triangle(), replace(settings, max_drop=0.7)).similar("a")
    assert ids(confident(steep)) == ["c"]  # d scores under a third of c: a gap, not a tail
    gentle = SimilarityIndex(triangle(), replace(settings, max_drop=0.25)).similar("a")
    assert ids(gentle) == ["c", "d", "b"]  # no drop is steeper than 0.25: the list is whole


def test_max_drop_and_neighbour_weight_set_in_mkdocs_yml_reach_the_ranking():
    from lessonbook.analysis.analyse import similar_settings
    from lessonbook.model.options import parse_options

    options, problems = parse_options({"similar": {"max_drop": 0, "neighbour_weight": 0.25}})
    assert problems == []
    settings = similar_settings(options)
    assert (settings.max_drop, settings.neighbour_weight) == (0, 0.25)
    _, problems = parse_options({"similar": {"max_drop": 1.5}})
    assert [p.name for p in problems if p.is_error] == ["similar.max_drop"]


def test_links_below_the_bars_are_a_folded_possibly_related_tier(make_site):
    def doc(title: str, body: str) -> str:
        return lesson_text({"title": title, "type": "postmortem", "date": "2024-02-01"}, body)

    lessons = {f"{x.id}.md": doc(x.title, x.body) for x in triangle()}
    site = make_site(lessons, plugin_config={"search": {"pagefind": False},
                                             "similar": {"max_drop": 0.7}})
    assert site.ok, site.log
    records = {x["id"]: x for x in site.json("api/lessons.json")["lessons"]}
    tiers = {x["id"]: x["tier"] for x in records["a"]["similar"]}
    assert tiers["c"] == "confident" and "possible" in tiers.values()
    page = site.html("a/")
    folded = page[page.index("Possibly related"):]
    assert all(f'data-lessonbook-lesson="{i}"' in folded
               for i, tier in tiers.items() if tier == "possible")
    assert 'data-lessonbook-lesson="c"' not in folded
    off = make_site(lessons, plugin_config={"search": {"pagefind": False},
                                            "similar": {"max_drop": 0.7, "possible": False}})
    assert "Possibly related" not in off.html("a/")
    assert {x["tier"] for x in off.json("api/lessons.json")["lessons"][0]["similar"]} <= {
        "confident"}


def test_the_tier_of_a_link_does_not_decide_a_recurring_repeat_the_same_incident_does():
    """Recurring reads both tiers (a repeat often scores low: the 503 outages at 0.17-0.24);
    what makes a repeat is the same symptom on the same service (analysis/symptoms.py), so a
    possibly related lesson that is another failure is no repeat either."""
    from lessonbook.analysis.recurring import find_repeats
    from lessonbook.analysis.registry.records import Registry
    from lessonbook.analysis.similarity import SimilarLink
    from lessonbook.load.knowledge_base import KnowledgeBase

    class Links:
        def __init__(self, tier: str) -> None:
            self.tier = tier

        def similar(self, lesson_id: str) -> list[SimilarLink]:
            return [SimilarLink("old", 0.9, tier=self.tier)] if lesson_id == "new" else []

    def repeats(new_title: str, tier: str) -> int:
        old, new = make("old", "Queue stuck", "queue"), make("new", new_title, "queue")
        new.date = dt.date(2024, 3, 1)
        registry = Registry([], [], [], dt.date(2024, 6, 1), [])
        return len(find_repeats(KnowledgeBase([new, old]), registry, Links(tier)).repeats)

    assert repeats("Queue stuck again", "confident") == repeats("Queue stuck again",
                                                                "possible") == 1
    assert repeats("Disk full on the queue host", "confident") == repeats(
        "Disk full on the queue host", "possible") == 0


def test_abbreviated_dates_handles_and_chat_speakers_are_never_reasons():
    chat = ("\n>katharine [5:07 PM]\nthings are worse, @liggitt is on it\n"
            ">liggitt [5:08 PM]\nthe etcd quorum is lost again\n")
    lessons = [make("a", "Etcd quorum lost", "On Thur 4 Sept the etcd quorum was lost. " + chat),
               make("b", "Etcd quorum lost again", "Fri, Jan 3: etcd quorum lost. Thanks "
                    "Katharine and liggitt. " + chat),
               make("c", "Disk full", "disk filled " + FILLER),
               make("d", "Queue stuck", "queue stuck " + FILLER)]
    link = SimilarityIndex(lessons).similar("a")[0]
    assert link.id == "b" and "etcd" in link.terms
    assert not {"thur", "sept", "fri", "jan", "katharine", "liggitt"} & {
        t.lower() for t in link.terms}


_MONTHS = ["January", "Jan", "Jan.", "February", "Feb", "March", "Mar", "April", "Apr",
           "May", "June", "Jun", "July", "Jul", "August", "Aug", "September", "Sept", "Sep.",
           "October", "Oct", "November", "Nov.", "December", "Dec"]
_DAYS = ["Monday", "Mon", "Tuesday", "Tue", "Tues", "Wednesday", "Wed", "Weds", "Thursday",
         "Thu", "Thur", "Thurs", "Friday", "Fri", "Saturday", "Sat", "Sunday", "Sun"]
_ZONES = ["UTC", "GMT", "BST", "CET", "CEST", "PST", "PDT", "EST", "EDT", "IST", "AEST"]
_NAMES = st.text(alphabet="bcdfghklmnprstvz", min_size=5, max_size=8)


@st.composite
def _when(draw) -> str:
    """A date or time as postmortems write them, in any of the usual spellings."""
    day, month = draw(st.integers(1, 28)), draw(st.sampled_from(_MONTHS))
    hour, minute = draw(st.integers(1, 12)), draw(st.integers(0, 59))
    return draw(st.sampled_from([
        f"{draw(st.sampled_from(_DAYS))} {day} {month}", f"{month} {day}, 2023",
        f"{day}{['st', 'nd', 'rd', 'th'][min(day, 4) - 1]} of {month}",
        f"{hour}:{minute:02} {draw(st.sampled_from(['AM', 'PM', 'am', 'p.m.']))}",
        f"{hour:02}:{minute:02} {draw(st.sampled_from(_ZONES))}", f"{hour}am",
        f"2023-{day:02}-{hour:02}", f"{hour}/{day}/23", f"{day:02}.{hour:02}.2023"]))


@st.composite
def _who(draw) -> tuple[str, str]:
    """(a person's name, how the text shows it: a handle, an e-mail or a chat speaker)."""
    name = draw(_NAMES)
    return name, draw(st.sampled_from([
        f"@{name} is on it", f"mail {name}@example.org", f"\n{name} [4:05 PM]\nlooking\n",
        f"\n[10:32] {name}: looking\n"]))


@settings(max_examples=40, deadline=None)
@given(whens=st.lists(_when(), min_size=1, max_size=4),
       whos=st.lists(_who(), min_size=1, max_size=3))
def test_no_spelling_of_a_date_time_or_person_is_ever_a_reason(whens, whos):
    """Both lessons share the incident words and every date, time and person: the link's
    reasons name the incident only."""
    noise = " ".join(whens) + " " + " ".join(shown for _, shown in whos)
    lessons = [make("a", "Etcd quorum lost", f"The etcd quorum was lost. {noise} {FILLER}"),
               make("b", "Etcd quorum lost again", f"etcd quorum lost. {noise} Thanks "
                    + " ".join(name.title() for name, _ in whos) + ". " + FILLER),
               make("c", "Disk full", "disk filled " + FILLER),
               make("d", "Queue stuck", "queue stuck " + FILLER)]
    link = SimilarityIndex(lessons).similar("a")[0]
    assert link.id == "b"
    said = {word.lower().strip(".") for text in [noise, *(n for n, _ in whos)]
            for word in text.replace(",", " ").replace(":", " ").split()}
    said -= {"is", "on", "it", "mail", "of", "looking"}
    assert not said & {t.lower() for t in link.terms}, link.terms
