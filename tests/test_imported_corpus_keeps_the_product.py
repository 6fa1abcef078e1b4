"""The shared corpus (46 real postmortems) imported as a user would — `lessonbook import` into
docs/, a minimal mkdocs.yml, `mkdocs build --strict` — keeps the product (#23): it builds
strictly, has service pages and an "In an incident?" box, a Start here path of several
lessons, and the three "All services returning 503" outages of June/July 2021 on Recurring,
not the two unrelated SDK bugs. Skipped when the corpus is absent (it is tuning data, kept
outside the repository)."""

from __future__ import annotations

import contextlib
import io
import re

import pytest
import yaml

from conftest import CORPUS, BuiltSite, build
from lessonbook.cli.main import main

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not available")

OUTAGES_503 = ["PM2021-005", "PM2021-006", "PM2021-007"]
SDK_BUGS = {"2025-10-03-surveys-sdk-bug", "2026-01-17-replay-sdk-fetch-wrapper-incident"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuiltSite, str]:
    root = tmp_path_factory.mktemp("imported-corpus")
    config = root / "mkdocs.yml"
    config.write_text(yaml.safe_dump({
        "site_name": "Imported postmortems", "theme": {"name": "material", "font": False},
        "markdown_extensions": ["tables", "footnotes"],
        "plugins": [{"lessonbook": {"search": {"pagefind": False}}}]}), encoding="utf-8")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(["import", *(str(p) for p in sorted(CORPUS.iterdir()) if p.is_dir()),
                       "--out", str(root / "docs"), "--config", str(config)])
    assert status == 0, out.getvalue()
    return build(config, strict=True), out.getvalue()


def test_the_imported_corpus_builds_with_strict(site):
    built, _ = site
    assert built.ok, built.log


def test_services_are_inferred_with_reasons_so_service_pages_and_the_incident_box_work(site):
    built, report = site
    lessons = built.json("api/lessons.json")["lessons"]
    with_services = [x for x in lessons if x["services"]]
    assert len(with_services) >= 0.8 * len(lessons)
    for service in ("kubernetes", "traefik", "kiam", "cloudwatch", "feature-flags"):
        assert (built.site / "services" / service / "index.html").is_file(), service
    box = built.html("").split("In an incident?", 1)[1].split("</div>", 1)[0]
    assert len(re.findall(r'<li><a href="services/', box)) >= 10
    assert "inferred service 'kiam': 'KIAM' named in the title or summary and" in report
    assert "inferred no service 'posthog': 'PostHog' is in the source folder's name" in report
    assert not any("posthog" in x["services"] or "dfds" in x["services"] for x in lessons)


def test_start_here_lists_several_lessons(site):
    built, _ = site
    page = built.html("start-here/")
    listed = set(re.findall(r'data-lessonbook-lesson="([^"]+)"', page))
    assert len(listed) >= 5, listed
    assert 'id="came-back"' in page


def test_the_three_503_outages_recur_and_the_two_sdk_bugs_do_not(site):
    built, _ = site
    page = built.html("recurring/")
    pairs = set(re.findall(r'id="repeat-([\w.-]+?)-((?:PM|20)[\w.-]+)"', page))
    assert {("PM2021-005", "PM2021-006"), ("PM2021-006", "PM2021-007"),
            ("PM2021-005", "PM2021-007")} <= pairs
    clusters = page.split('id="clusters"', 1)[1].split('id="repeats"', 1)[0]
    cluster = next(li for li in clusters.split("<li>") if "PM2021-005" in li)
    assert all(x in cluster for x in OUTAGES_503)
    assert not any({a, b} <= SDK_BUGS for a, b in pairs)
    assert "same service: kubernetes; same symptom: HTTP 503" in page
