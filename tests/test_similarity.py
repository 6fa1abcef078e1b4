"""Similar incidents: ranking, reasons, author overrides, determinism, min_score, export, page."""

from __future__ import annotations

import datetime as dt

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


def test_the_most_similar_text_ranks_first_above_shared_tags_alone():
    index = SimilarityIndex(corpus())
    assert ids(index.similar("kiam-1"))[0] == "kiam-2"
    assert ids(index.similar("logs-2"))[0] == "logs-1"


def test_reasons_name_shared_fields_and_distinctive_shared_words():
    link = SimilarityIndex(corpus()).similar("kiam-1")[0]
    assert link.shared == {"tags": ["kubernetes"]}
    assert "kiam" in link.terms
    assert any(r.startswith("both mention: ") and "kiam" in r for r in link.reasons)
    assert "same tags: kubernetes" in link.reasons


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
    lessons = [make(i, "Same title", "identical words about queues " + FILLER,
                    tags=["queues"]) for i in ("c", "a", "b", "d")]
    assert ids(SimilarityIndex(lessons, SimilarSettings(count=3)).similar("d")) == ["a", "b", "c"]


def test_min_score_leaves_out_weak_links_rather_than_showing_noise():
    index = SimilarityIndex(corpus(), SimilarSettings(min_score=0.99))
    assert index.similar("kiam-1") == []
    low = SimilarityIndex(corpus(), SimilarSettings(min_score=0.0, count=10))
    # logs-2 shares no tag and no distinctive word with kiam-1: never a link, even at 0.
    assert set(ids(low.similar("kiam-1"))) == {"kiam-2", "logs-1", "dns-1"}


def test_scores_are_ranked_and_count_limits_links():
    links = SimilarityIndex(corpus(), SimilarSettings(count=2, min_score=0)).similar("kiam-1")
    assert len(links) == 2 and links[0].score >= links[1].score


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
