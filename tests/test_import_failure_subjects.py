"""`lessonbook import` infers the component a postmortem says failed, however it is written:
the words before a failure in the title ("mail outage"), a host name ("docs.example.io
outage"), the subject of a failure in the summary ("the ledger server was down") — and never
a resource, an operation, the whole fleet, or a word the text does not name again."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lessonbook.authoring.importer.services import GENERIC
from lessonbook.cli.main import main


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def run_import(tmp_path: Path, files: dict[str, str]) -> tuple[dict[str, dict], str]:
    src = tmp_path / "acme-postmortems"
    src.mkdir(exist_ok=True)
    for name, text in files.items():
        (src / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        status = main(["import", str(src), "--out", str(out), "--force", "--config",
                       str(tmp_path / "none.yml")])
    assert status == 0
    return {p.stem: front(p) for p in out.glob("*.md")}, buffer.getvalue()


def postmortem(title: str, summary: str, body: str) -> str:
    return f"# {title}\n\n## Summary\n\n{summary}\n\n## What happened\n\n{body}\n"


_NAME = st.from_regex(r"[a-z]{3,6}(?:bot|hub|box|base|vault)", fullmatch=True).filter(
    lambda w: w not in GENERIC)
_FAILURE = st.sampled_from(["outage", "down", "unavailable", "degraded", "failure",
                            "currently off-line", "undergoing emergency maintenance",
                            "partial outage", "flakiness", "crash", "connection surge",
                            "flood", "full", "responding slow"])
_HEAD = st.sampled_from(["", " master", " server", " service", " instance"])


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_NAME, head=_HEAD, failure=_FAILURE, capital=st.booleans())
def test_the_component_before_a_failure_in_the_title_is_a_service_in_any_case(
        tmp_path, name, head, failure, capital):
    """'ledgerbot outage', 'Ledgerbot master currently off-line': what failed, written in lower
    case as often as not, and named again in the text."""
    written = name.capitalize() if capital else name
    text = postmortem(f"{written}{head} {failure}", "Requests were refused for an hour.",
                      f"We restarted {name} and the queue drained.")
    metas, out = run_import(tmp_path, {"a.md": text})
    assert metas["a"].get("services", [None])[0] == name, (written, head, failure)
    assert "the title says it failed" in out


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(host=st.from_regex(r"(?:docs|status|api|pkg)\.[a-z]{4,8}\.(?:io|dev|org|rs)",
                          fullmatch=True),
       where=st.sampled_from(["{h} outage", "Problem in {h} with uploads",
                              "{h} incident report"]))
def test_a_host_name_in_the_title_is_the_service(tmp_path, host, where):
    text = postmortem(where.format(h=host), "Pages returned errors for an hour.",
                      f"Every page of {host} returned errors.")
    metas, _ = run_import(tmp_path, {"a.md": text})
    assert metas["a"]["services"][0] == host.replace(".", "-")


def test_the_subject_of_a_failure_in_the_summary_is_a_service(tmp_path):
    text = postmortem("Tuesday",
                      "At 09:00 the primary ledgerbase server at Acme became unresponsive.",
                      "The ledgerbase disk was full; ledgerbase was restarted.")
    metas, out = run_import(tmp_path, {"a.md": text})
    assert metas["a"]["services"] == ["ledgerbase"]
    assert "the summary says it failed" in out


def test_a_name_written_as_one_comes_before_a_word_the_title_says_failed(tmp_path):
    text = postmortem("Kafkaesque watcher exhaustion", "Jobs stopped.",
                      "Kafkaesque ran out of watcher slots; Kafkaesque and the watcher were "
                      "restarted.")
    metas, _ = run_import(tmp_path, {"a.md": text})
    assert metas["a"]["services"][0] == "kafkaesque"


_NOT_COMPONENTS = st.sampled_from(["Memory", "Disk space", "Launch", "Server start", "Login",
                                   "Transaction", "Health check", "Traffic", "Pool"])


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=_NOT_COMPONENTS, failure=_FAILURE)
def test_a_resource_or_an_operation_that_failed_is_not_a_service(tmp_path, words, failure):
    """'Memory outage', 'Launch failure', 'Transaction delays': what ran out or what was
    done, not a component, however often the text repeats it."""
    text = postmortem(f"{words} {failure}", "Users saw errors.",
                      f"The {words.lower()} problem; {words.lower()} again; {words.lower()}.")
    metas, _ = run_import(tmp_path, {"a.md": text})
    assert "services" not in metas["a"], metas["a"].get("services")


def test_the_whole_fleet_and_a_word_the_text_does_not_repeat_are_not_services(tmp_path):
    fleet = postmortem("Tuesday", "Acme.io services were down for an hour.",
                       "Everything was restarted.")
    once = postmortem("ledgerbot outage", "Users saw errors.", "Everything was restarted.")
    metas, out = run_import(tmp_path, {"a.md": fleet, "b.md": once})
    assert "services" not in metas["a"], metas["a"].get("services")
    assert "services" not in metas["b"], metas["b"].get("services")
    assert "missing services" in out


def test_the_platform_every_file_names_is_a_service_where_the_title_says_it_failed(tmp_path):
    """In a collection about one platform, 'Gridrunner' in every file is no service — except
    in the report whose title says Gridrunner failed."""
    files = {f"{i}.md": postmortem(f"Ledger{i} queue stall", f"Ledger{i} jobs waited.",
                                   f"Ledger{i} stalled on Gridrunner; Ledger{i} recovered.")
             for i in range(4)}
    files["4.md"] = postmortem("Gridrunner outage", "Jobs were refused.",
                               "Gridrunner restarted; Gridrunner recovered.")
    metas, _ = run_import(tmp_path, files)
    assert metas["4"]["services"] == ["gridrunner"]
    assert all("gridrunner" not in metas[str(i)].get("services", []) for i in range(4))


def test_a_cloud_region_or_zone_is_not_a_service(tmp_path):
    text = postmortem("Connectivity issues with eu-west-2a", "Nodes in eu-west-2a were lost.",
                      "eu-west-2a lost two nodes; eu-west-2a recovered; us-central1-a too.")
    metas, _ = run_import(tmp_path, {"a.md": text})
    assert "services" not in metas["a"], metas["a"].get("services")


def test_a_generic_system_word_is_a_service_only_where_the_title_says_it_failed(tmp_path):
    failed = postmortem("DNS outage", "Names did not resolve.", "The dns servers dropped "
                        "queries; dns recovered after a restart.")
    mentioned = postmortem("Slow pages after dns change", "Pages were slow.",
                           "A dns change; the dns cache was cold.")
    metas, _ = run_import(tmp_path, {"a.md": failed})
    assert metas["a"]["services"] == ["dns"]
    (tmp_path / "other").mkdir()
    metas, _ = run_import(tmp_path / "other", {"b.md": mentioned})
    assert "services" not in metas["b"], metas["b"].get("services")


def test_what_the_title_says_failed_comes_before_a_name_it_mentions_later(tmp_path):
    """'ledgerbase restarted during WAL replay': ledgerbase failed; WAL is where."""
    text = postmortem("ledgerbase restarted during WAL replay", "Queries failed.",
                      "The ledgerbase pods restarted while the WAL was replayed; Ledgerbase "
                      "and its WAL recovered; ledgerbase is fine.")
    metas, _ = run_import(tmp_path, {"a.md": text})
    assert metas["a"]["services"][0] == "ledgerbase"


_STATUS_FORMS = st.sampled_from([
    "Outage of the {n}", "Elevated error rates for {n}", "Increased latency in the {n}",
    "Loss of metrics in {n}", "Outage: {n} returning 500s", "{n} failover", "Degraded {n}",
    "{n} read-only", "Investigating issues with {n}", "{n} quorum loss",
    "Background jobs stuck in {n}", "Certificate expiry on {n}"])


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_NAME, form=_STATUS_FORMS)
def test_status_page_titles_name_what_failed(tmp_path, name, form):
    """Titles as status pages write them: the failure first and the component after a
    preposition (or two), a failure word in front ('Degraded ledgerbot'), a failover, a
    quorum loss, a read-only store."""
    text = postmortem(form.format(n=name), "Requests were refused for an hour.",
                      f"We restarted {name} and the queue drained.")
    metas, _ = run_import(tmp_path, {"a.md": text})
    assert metas["a"].get("services", [None])[0] == name, form


_SUMMARY_FORMS = st.sampled_from([
    "Users could not reach the {n} for an hour.", "The {n} was returning 502s to most clients.",
    "{n} stopped processing jobs for an hour.",
    "Our {n} cluster went read-only after a disk filled.",
    "On 2024-03-05 {n} ran out of memory and crashed.", "The {n} queue backed up for two hours.",
    "For two hours, customers were unable to log in to {n}.", "A bad push took down {n}.",
    "An expired certificate broke {n} for mobile clients.", "We saw elevated error rates from {n}.",
    "Requests to {n} timed out.", "The {n} dashboard was unavailable."])


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_NAME, form=_SUMMARY_FORMS)
def test_the_summary_s_failed_component_is_a_service_when_the_title_names_none(
        tmp_path, name, form):
    """The summary says what failed — its subject ('ledgerbot stopped processing jobs') or
    what the failure was done to ('a bad push took down ledgerbot') — in lower case."""
    text = postmortem("Tuesday", form.format(n=name), f"We restarted {name}; {name} recovered.")
    metas, out = run_import(tmp_path, {"a.md": text})
    assert metas["a"].get("services", [""])[0].split("-")[0] == name, form
    assert "the summary says it failed" in out
