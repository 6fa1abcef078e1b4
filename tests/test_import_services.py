"""`lessonbook import` gives lessons services: from the user's service map, and inferred from
the component names a postmortem's title or summary gives and its text repeats, each with the
reason in the report; generic words and the organisation's own name never are services."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lessonbook.authoring.importer.services import GENERIC, SYSTEM_WORDS
from lessonbook.authoring.importer.subjects import is_failure_word
from lessonbook.cli.main import main


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def postmortem(title: str, summary: str, body: str = "") -> str:
    return f"# {title}\n\n## Summary\n\n{summary}\n\n## What happened\n\n{body}\n"


def run_import(tmp_path: Path, files: dict[str, str], *args: str,
               config: str = "none.yml") -> tuple[int, dict[str, dict], str]:
    src = tmp_path / "acme-postmortems"
    src.mkdir(exist_ok=True)
    for name, text in files.items():
        (src / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    import contextlib
    import io
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        status = main(["import", str(src), "--out", str(out), "--config",
                       str(tmp_path / config), *args])
    metas = {p.stem: front(p) for p in out.glob("*.md")} if out.is_dir() else {}
    return status, metas, buffer.getvalue()


KIAM = postmortem("KIAM certificate expired", "The KIAM server certificate expired.",
                  "Pods could not assume roles.")
QUEUE = postmortem("Jobs stuck", "Jobs waited for hours.",
                   "The kube2iam sidecar failed. We restarted kube2iam. Then kube2iam worked.")
ONCE = postmortem("Slow pages", "Pages were slow.", "Unrelated to kube2iam, pages were slow.")


def test_a_mapped_service_is_given_when_the_title_or_summary_names_it_or_the_text_repeats_it(
        tmp_path):
    (tmp_path / "map.yml").write_text('kiam: [kube2iam, "/kube-?iam/"]\n')
    status, metas, out = run_import(tmp_path, {"a.md": KIAM, "b.md": QUEUE, "c.md": ONCE},
                                    "--service-map", str(tmp_path / "map.yml"),
                                    "--no-infer-services")
    assert status == 0
    assert metas["a"]["services"] == ["kiam"]
    assert metas["b"]["services"] == ["kiam"]
    assert "services" not in metas["c"]  # one passing mention is not what it was about
    assert "service 'kiam' from the service map: 'KIAM' in the title or summary" in out
    assert "service 'kiam' from the service map: named 3 times in the text" in out


def test_the_importing_option_gives_the_map_and_can_turn_inference_off(tmp_path):
    (tmp_path / "services.yml").write_text("checkout: [payments page]\n")
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump({
        "site_name": "x", "plugins": [{"lessonbook": {"importing": {
            "service_map": "services.yml", "infer_services": False}}}]}))
    text = postmortem("Payments page down", "The payments page returned errors for Traefik.",
                      "Traefik failed. Traefik restarted. Traefik was fine.")
    status, metas, _ = run_import(tmp_path, {"a.md": text}, config="mkdocs.yml")
    assert status == 0
    assert metas["a"]["services"] == ["checkout"]  # Traefik not inferred: turned off


@pytest.mark.parametrize("content, says", [
    ("kiam: [/kube(2iam/]\n", "is not a regular expression"),
    ("- kiam\n- traefik\n", "must be a mapping of service"),
    ("kiam: {alias: x}\n", "must list words or /patterns/ as text"),
    ("kiam: [x\n", "not a YAML mapping"),
])
def test_a_bad_service_map_is_a_clear_error_and_nothing_is_written(tmp_path, capsys, content,
                                                                    says):
    (tmp_path / "map.yml").write_text(content)
    status, metas, _ = run_import(tmp_path, {"a.md": KIAM}, "--service-map",
                                  str(tmp_path / "map.yml"))
    err = capsys.readouterr().err
    assert status == 2 and metas == {}
    assert "map.yml" in err and says in err


TRAEFIK = postmortem("Ingress Controller Outage After Traefik Upgrade",
                     "All requests failed after the Traefik upgrade.",
                     "We upgraded Traefik on Monday. The new Traefik rejected old routes. "
                     "Requests failed until the upgrade was rolled back.")


def test_a_component_the_title_names_and_the_text_repeats_is_inferred_with_the_reason(
        tmp_path):
    status, metas, out = run_import(tmp_path, {"a.md": TRAEFIK})
    assert status == 0
    # 'Outage', 'Ingress', 'Controller', 'Upgrade' are Title Case, not names the text keeps
    assert metas["a"]["services"] == ["traefik"]
    assert "service 'traefik': 'Traefik' named in the title or summary and 4 times in the " \
           "text" in out


def test_the_organisation_and_a_name_in_nearly_every_file_are_not_services(tmp_path):
    components = ["KIAM", "Traefik", "Kafka", "CoreDNS", "Kyverno"]
    files = {f"{i}.md": postmortem(f"Acme Platform {name} failure",
                                   f"The Acme Platform lost {name} on Platform nodes.",
                                   f"{name} failed. {name} recovered. Platform Acme Platform.")
             for i, name in enumerate(components)}
    status, metas, out = run_import(tmp_path, files)  # from the folder acme-postmortems
    assert status == 0
    assert [metas[str(i)]["services"] for i in range(5)] == [[c.lower()] for c in components]
    assert "no service 'platform': 'Platform' is in 5 of 5 files of this source" in out


def test_a_name_one_postmortem_establishes_counts_in_another_however_it_is_written(tmp_path):
    first = postmortem("Kafka lag", "Consumers of Kafka fell behind.",
                       "The Kafka brokers were slow. Once Kafka recovered, the Kafka "
                       "consumers caught up.")
    second = postmortem("metrics missing", "kafka metrics stopped being exported.",
                        "The kafka exporter hung; kafka metrics returned after a restart.")
    _, metas, _ = run_import(tmp_path, {"a.md": first, "b.md": second})
    assert metas["a"]["services"] == ["kafka"]
    assert metas["b"]["services"] == ["kafka"]


# No failure word: a word in front of one is what the title says failed ("Billing outage"),
# and DNS, LDAP, SMTP are a system there ("DNS outage"): tests/test_import_failure_subjects.py.
_COMMON = st.sampled_from(sorted(w for w in GENERIC - SYSTEM_WORDS
                                 if w.isalpha() and len(w) > 3 and not is_failure_word(w))
                          + ["latency", "network", "storage", "memory", "login", "billing"])


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(_COMMON, min_size=2, max_size=5))
def test_words_the_text_writes_in_lower_case_are_never_inferred(tmp_path, words):
    """A Title Case title made of ordinary words, repeated in lower case in the text, gives no
    service, whatever the words."""
    title = " ".join(w.capitalize() for w in words)
    body = " ".join(f"the {w} was affected." for w in words * 3)
    _, metas, _ = run_import(tmp_path, {"a.md": postmortem(title, body, body)}, "--force")
    assert "services" not in metas["a"], (title, metas["a"].get("services"))


def test_people_and_words_the_import_writes_in_lower_case_are_not_services(tmp_path):
    text = postmortem("Hub Unable To Start",
                      "Tim and Chris noticed that the Hub was Unable to start servers.",
                      "Chris says the Hub pods restarted. Tim asks Chris to look. Chris "
                      "suggests cordoning the node. Tim agreed. Servers were unable to start; "
                      "users were unable to log in; the hub was unable to reach its database.")
    _, metas, out = run_import(tmp_path, {"a.md": text})
    assert "services" not in metas["a"], metas["a"].get("services")
    assert "'tim'" not in out and "'chris'" not in out and "'unable'" not in out


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(term=st.sampled_from(["DoS", "DDoS", "RCE", "XSS", "CSRF", "SSRF", "XXE", "SQLi", "MITM",
                             "CVE", "Exploit", "Advisory"]))
def test_a_kind_of_attack_or_flaw_is_never_a_service(tmp_path, term):
    """Security write-ups name the attack over and over ("a CPU DoS"): it is what went wrong,
    not where; the component the title names still is one."""
    text = postmortem(f"{term} in the Kestrel parser",
                      f"A {term} against the Kestrel parser let a peer stall the node.",
                      f"The {term} was reported privately. The {term} needed one message. "
                      f"Kestrel now bounds it. Another {term} like it was ruled out.")
    _, metas, _ = run_import(tmp_path, {"a.md": text}, "--force")
    assert metas["a"].get("services", [])[:1] == ["kestrel"], metas["a"].get("services")
    assert term.lower() not in metas["a"].get("services", [])
