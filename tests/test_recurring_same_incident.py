"""Recurring incidents are the same failure again: the same service and the same symptom within
the window, not two lessons that share generic words (#23)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import lesson_text
from lessonbook.analysis.analyse import analyse
from lessonbook.analysis.symptoms import SYMPTOM_CLASSES
from lessonbook.model.options import parse_options

OTHERS = [
    ("Login page slow", "Sessions piled up in the cache after a deploy of the identity "
     "service; users waited at sign-in."),
    ("Invoice emails sent twice", "A retry in the mailer resent invoices when the provider "
     "answered late."),
    ("Search index out of date", "The nightly reindex job failed silently and results aged "
     "for three days."),
    ("Reports delayed", "The report builder queued work behind a stuck export."),
]


def _analysis(lessons: dict[str, dict], bodies: dict[str, str]):
    options, problems = parse_options({})
    assert not problems
    files = {f"{k}.md": lesson_text({"id": k, "type": "postmortem", **meta}, bodies[k])
             for k, meta in lessons.items()}
    files.update({f"other-{i}.md": lesson_text(
        {"id": f"other-{i}", "title": title, "type": "postmortem", "date": "2021-01-05"},
        f"## Summary\n\n{text}\n") for i, (title, text) in enumerate(OTHERS)})
    return analyse([(k, v.encode()) for k, v in files.items()], options,
                   build_date=dt.date(2026, 6, 1))


def _pairs(analysis) -> list[tuple[str, str]]:
    return sorted((r.earlier.id, r.later.id) for r in analysis.recurring.repeats)


def test_the_same_503_outage_three_times_in_ten_days_is_a_cluster_of_repeats():
    """Told with different causes and few shared words, as the real reports are."""
    bodies = {
        "pm-1": "## Summary\n\nChanges to the VPC CNI detached the target groups from the "
                "load balancer, so all inbound traffic failed to reach the cluster.\n",
        "pm-2": "## Summary\n\nA scheduled upgrade of the cluster changed how add-ons are "
                "deployed; the target groups lost their nodes and inbound traffic failed.\n",
        "pm-3": "## Summary\n\nWe experienced another 503 incident for all services, at the "
                "daily pipeline run; the target groups were emptied again.\n",
    }
    title = "All services returning 503 in the cluster"
    lessons = {k: {"title": title, "date": d, "services": ["kubernetes"]}
               for k, d in (("pm-1", "2021-06-22"), ("pm-2", "2021-06-30"),
                            ("pm-3", "2021-07-02"))}
    analysis = _analysis(lessons, bodies)
    assert _pairs(analysis) == [("pm-1", "pm-2"), ("pm-1", "pm-3"), ("pm-2", "pm-3")]
    assert [[x.id for x in c] for c in analysis.recurring.clusters] == [["pm-1", "pm-2",
                                                                         "pm-3"]]
    reasons = analysis.recurring.repeats[0].reasons
    assert reasons[:2] == ["same service: kubernetes", "same symptom: HTTP 503"]


SDK_WORDS = ("A change in the SDK introduced exceptions in a customer extension; the "
             "extension called the SDK and customers saw exceptions after the release.")


def test_two_bugs_sharing_generic_words_on_different_services_are_not_a_repeat():
    bodies = {"pm-a": f"## Summary\n\n{SDK_WORDS} Surveys stopped rendering.\n",
              "pm-b": f"## Summary\n\n{SDK_WORDS} The fetch wrapper broke client sites.\n"}
    lessons = {"pm-a": {"title": "Surveys SDK bug", "date": "2025-10-03",
                        "services": ["surveys"]},
               "pm-b": {"title": "Fetch wrapper breaking client sites", "date": "2026-01-14",
                        "services": ["session-replay"]}}
    analysis = _analysis(lessons, bodies)
    assert analysis.similar.similar("pm-b")[0].id == "pm-a"  # similar, yes: not a repeat
    assert _pairs(analysis) == []


def test_a_different_status_on_the_same_service_is_not_a_repeat():
    body = ("## Summary\n\nA malformed ingress route made the router drop every route for "
            "all services behind the cluster ingress.\n")
    lessons = {"pm-a": {"title": "All services returning 503 in the cluster",
                        "date": "2021-06-30", "services": ["kubernetes"]},
               "pm-b": {"title": "All services returning 404 in the cluster",
                        "date": "2021-09-06", "services": ["kubernetes"]}}
    assert _pairs(_analysis(lessons, {"pm-a": body, "pm-b": body})) == []


SERVICES = st.sets(st.sampled_from(["kiam", "traefik", "kafka"]), max_size=2)
SYMPTOMS = st.sampled_from([None, "HTTP 503", "HTTP 404", *SYMPTOM_CLASSES])
_PHRASE = {"HTTP 503": "requests answered 503", "HTTP 404": "requests answered 404",
           "timeouts": "requests timed out", "connections refused or reset":
           "connections were refused", "an expired certificate": "the certificate expired",
           "DNS resolution": "DNS lookups failed", "memory running out": "pods ran out of memory",
           "disk full": "the disk full alarm fired", "a resource running out":
           "IP addresses ran into exhaustion", "crash loops": "pods were in a crash loop",
           "nodes not ready or down": "nodes went NotReady", "logs or metrics not arriving":
           "logs were not shipped", "slowness": "latency grew", "sign-in failing":
           "users were unable to sign in", "a compromise": "a malicious package ran",
           "something deleted": "the workers were deleted",
           "unavailable": "the API was unreachable"}


@settings(max_examples=20, deadline=None)
@given(first=st.tuples(SERVICES, SYMPTOMS), second=st.tuples(SERVICES, SYMPTOMS))
def test_a_repeat_is_exactly_the_same_service_and_the_same_symptom(first, second):
    """Two lessons with the same long text (as similar as can be) and their own titles: a
    repeat exactly when their services meet (or, lacking one, the link is strong) and their
    stated symptoms meet."""
    shared = ("## Summary\n\nThe orchestrator rolled the fleet while the provisioner "
              "rebuilt its templates, and the scheduler lost track of the rollout.\n")
    lessons, bodies = {}, {}
    for key, (services, symptom), date, title in (
            ("pm-a", first, "2024-01-10", "Fleet rollout stalled"),
            ("pm-b", second, "2024-03-10", "Provisioner templates rebuilt mid-rollout")):
        said = f" {_PHRASE[symptom]}." if symptom else ""
        lessons[key] = {"title": title + said.rstrip("."), "date": date,
                        "services": sorted(services)}
        bodies[key] = shared
    analysis = _analysis(lessons, bodies)
    link = next(x for x in analysis.similar.similar("pm-b") if x.id == "pm-a")
    symptoms = {first[1], second[1]} - {None}
    same_symptom = first[1] is not None and first[1] == second[1]
    if not (first[1] and second[1]):  # neither stated: the titles must say the same
        same_symptom = False
    same_service = (bool(first[0] & second[0]) if first[0] and second[0]
                    else link.score >= 0.3)
    expected = [("pm-a", "pm-b")] if same_service and same_symptom and symptoms else []
    assert _pairs(analysis) == expected, (first, second, link.score)


def test_a_repeat_after_follow_ups_of_unknown_status_does_not_say_they_were_all_done():
    body = ("## Summary\n\nThe KIAM server certificate expired and pods could not assume "
            "their roles until it was renewed by hand.\n")
    lessons = {"pm-a": {"title": "KIAM certificate expired", "date": "2020-01-21",
                        "services": ["kiam"],
                        "follow_ups": [{"action": "Renew the certificate", "status": "done"},
                                       {"action": "Alert before expiry",
                                        "status": "unknown"}]},
               "pm-b": {"title": "KIAM certificate expired again", "date": "2020-09-21",
                        "services": ["kiam"]}}
    (repeat,) = _analysis(lessons, {"pm-a": body, "pm-b": body}).recurring.repeats
    assert "All" not in repeat.verdict
    assert "2 follow-ups, 1 is done and 1 has no known status" in repeat.verdict


def test_statuses_decide_even_when_both_also_say_the_service_was_down():
    body = ("## Summary\n\nThe router lost its routes and the API went down for an hour "
            "while the ingress controller restarted.\n")
    lessons = {"pm-a": {"title": "API down, answering 503", "date": "2021-06-30",
                        "services": ["api"]},
               "pm-b": {"title": "API down, answering 404", "date": "2021-09-06",
                        "services": ["api"]}}
    assert _pairs(_analysis(lessons, {"pm-a": body, "pm-b": body})) == []
