"""Audience builds: a lesson above the build's audience appears nowhere in what it writes."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import REPO, build, lesson_text
from lessonbook import cli

RESTRICTED = "zqxr"  # every field of the restricted lesson carries this prefix
INTERNAL = "zqxi"


def _marked(prefix: str, visibility: str, extra: dict | None = None) -> str:
    front = {
        "id": f"pm-{prefix}id", "title": f"Payroll {prefix}title", "type": "postmortem",
        "date": "2025-06-01", "visibility": visibility, "summary": f"{prefix}summary words",
        "severity": "SEV2", "tags": [f"{prefix}tag", "postgres"],
        "services": [f"{prefix}service", "payments"], "teams": [f"{prefix}team"],
        "categories": ["capacity"], "failure_type": "complexity",
        "impact": {"actual": f"{prefix}impact"},
        "contributing_factors": [f"{prefix}factor"],
        "follow_ups": [{"action": f"{prefix}action", "owner": f"{prefix}owner",
                        "due": "2025-07-01", "produces": f"rule-{prefix}rule"}],
        "rules": [{"id": f"rule-{prefix}rule", "if": f"{prefix}if", "then": f"{prefix}then",
                   "status": "adopted", "owner": f"{prefix}keeper"}],
        "rule_updates": [{"rule": "rule-friday-deploy-freeze", "change": "applied",
                          "note": f"{prefix}note"}],
        **(extra or {}),
    }
    body = (f"## Summary\n\n{prefix}body about a pool exhausted during payroll, the same "
            "connection pool and postgres failover story as the others.\n")
    return lesson_text(front, body)


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    """The example site plus a restricted and an internal lesson marked in every field, and a
    public lesson that links to the restricted one (front-matter and body)."""
    root = tmp_path_factory.mktemp("audience")
    shutil.copytree(REPO / "lessons", root / "lessons")
    shutil.copytree(REPO / "templates", root / "templates")
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "!ENV [LESSONBOOK_AUDIENCE, internal]", "internal"))
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    new = root / "lessons" / "2025"
    (new / f"{RESTRICTED}file.md").write_text(_marked(RESTRICTED, "restricted"), "utf-8")
    (new / f"{INTERNAL}file.md").write_text(_marked(INTERNAL, "internal", {
        "related": [f"pm-{RESTRICTED}id"]}), "utf-8")
    (new / "public-link.md").write_text(lesson_text(
        {"title": "Public lesson", "type": "near-miss", "date": "2025-06-02",
         "visibility": "public", "related": [f"pm-{RESTRICTED}id"]},
        f"See [Payroll {RESTRICTED}title]({RESTRICTED}file.md) and "
        f"[the write-up]({RESTRICTED}file.md#summary).\n"), "utf-8")
    return root


def _build_for(root: Path, audience: str) -> Path:
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "lessonbook" in plugin:
            plugin["lessonbook"]["audience"] = audience
    config["site_dir"] = f"site-{audience}"
    path = root / f"mkdocs-{audience}.yml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    site = build(path, strict=True)
    assert site.ok, site.log
    return root / f"site-{audience}"


def _bytes(path: Path) -> bytes:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":  # sitemap.xml.gz and Pagefind's compressed chunks
        data = gzip.decompress(data)
    return data.lower()


def _files_with(site: Path, marker: str) -> list[str]:
    needle = marker.encode()
    return sorted(str(p.relative_to(site)) for p in site.rglob("*")
                  if p.is_file() and needle in _bytes(p))


@pytest.mark.parametrize("audience, absent, present", [
    ("public", [RESTRICTED, INTERNAL], []),
    ("internal", [RESTRICTED], [INTERNAL]),
    ("restricted", [], [RESTRICTED, INTERNAL]),
])
def test_a_lesson_above_the_audience_is_in_no_file_the_build_writes(example, audience, absent,
                                                                   present):
    site = _build_for(example, audience)
    assert list((site / "pagefind").rglob("*.pf_fragment")), "Pagefind index written"
    for marker in absent:
        assert _files_with(site, marker) == [], marker
    for marker in present:  # the test can see markers where they belong
        assert len(_files_with(site, marker)) > 5, marker


def test_a_public_lesson_linking_to_a_left_out_one_has_no_broken_link_and_no_name(example):
    site = _build_for(example, "public")
    page = (site / "2025" / "public-link" / "index.html").read_text(encoding="utf-8")
    assert "a lesson not published on this site" in page and "the write-up" in page
    assert f"{RESTRICTED}file" not in page


def test_check_warns_about_a_reference_to_a_lesson_of_higher_visibility(example, capsys,
                                                                        monkeypatch):
    monkeypatch.chdir(example)
    assert cli.main(["check", "--config", "mkdocs.yml", "--audience", "public"]) == 0
    out = capsys.readouterr().out
    assert "related names 'pm-zqxrid', which is restricted while this lesson is public" in out
    assert "a build for audience 'public' publishes" in out and f"{RESTRICTED}file.md" in out
