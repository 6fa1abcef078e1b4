"""What a folder of posts holds besides the posts (#23, python-discord/infra's MkDocs blog and
Berkeley DataHub's Quarto reports): Quarto `.qmd` documents are read as Markdown; a folder's
landing page that names no date while posts lie beside it (an MkDocs blog's `index.md`) and a
Quarto listing page (`listing: contents:` names the reports) are skipped with the reason, so
the imported site builds with --strict; a postmortem kept as `<incident>/README.md` beside
its images is still imported."""

from __future__ import annotations

from pathlib import Path

import yaml

from lessonbook.authoring.importer import import_files


def _front(report) -> dict:
    return yaml.safe_load(Path(report.target).read_text(encoding="utf-8").split("---\n")[1])


def test_quarto_documents_are_imported_as_markdown_with_their_front_matter(tmp_path):
    src = tmp_path / "incidents"
    src.mkdir()
    (src / "2017-02-09-db-outage.qmd").write_text(
        "---\ntitle: Hub database outage\ndate: 2017-02-09\n---\n\n## Summary\n\nThe hub "
        "database was lost.\n\n```{python}\nprint('a cell')\n```\n\nSee also "
        "[the proxy report](2017-02-24-proxy.qmd).\n\n## Action items\n\n1. Back it up\n",
        encoding="utf-8")
    (src / "2017-02-24-proxy.qmd").write_text(
        "---\ntitle: Proxy death\ndate: 2017-02-24\n---\n\nThe proxy died.\n", encoding="utf-8")
    (src / "notes.txt").write_text("not a report", encoding="utf-8")
    reports = {Path(r.source).name: r for r in import_files([src], tmp_path / "out")}
    assert reports["notes.txt"].action == "skipped"
    db = reports["2017-02-09-db-outage.qmd"]
    assert db.target.endswith(".md")
    meta = _front(db)
    assert (meta["title"], str(meta["date"])) == ("Hub database outage", "2017-02-09")
    assert [f["action"] for f in meta["follow_ups"]] == ["Back it up"]
    body = Path(db.target).read_text(encoding="utf-8")
    proxy = Path(reports["2017-02-24-proxy.qmd"].target).name
    assert f"[the proxy report]({proxy})" in body


def test_a_landing_page_without_a_date_beside_the_posts_is_not_a_lesson(tmp_path):
    blog = tmp_path / "post-mortems"
    (blog / "posts" / "images").mkdir(parents=True)
    (blog / "index.md").write_text(
        "---\ndescription: Post-mortems of past incidents.\n---\n# Post Mortems\n\nWe learn "
        "from our mistakes.\n\n## Posts\n", encoding="utf-8")
    (blog / "posts" / "outage.md").write_text(
        "---\ndate: 2020-12-11\n---\n# All services outage\n\nEverything stopped.\n",
        encoding="utf-8")
    reports = {Path(r.source).name: r for r in import_files([blog], tmp_path / "out")}
    assert reports["index.md"].action == "skipped"
    assert "landing page" in reports["index.md"].format()
    assert str(_front(reports["outage.md"])["date"]) == "2020-12-11"


def test_a_quarto_listing_page_naming_the_reports_is_an_index(tmp_path):
    src = tmp_path / "incidents"
    src.mkdir()
    (src / "index.qmd").write_text(
        "---\ntitle: Incident Reports\nlisting:\n  contents:\n    - 2017-02-09-db.qmd\n"
        "    - 2017-02-24-proxy.qmd\n---\n", encoding="utf-8")
    for name in ("2017-02-09-db.qmd", "2017-02-24-proxy.qmd"):
        (src / name).write_text(f"---\ntitle: {name}\ndate: {name[:10]}\n---\n\nIt broke.\n",
                                encoding="utf-8")
    reports = {Path(r.source).name: r for r in import_files([src], tmp_path / "out")}
    assert reports["index.qmd"].action == "skipped"
    assert "lists the other files" in reports["index.qmd"].format()


def test_an_undated_readme_postmortem_beside_its_images_is_still_imported(tmp_path):
    incident = tmp_path / "reports" / "proxy-death"
    (incident / "images").mkdir(parents=True)
    (incident / "README.md").write_text("# Proxy death\n\nThe proxy died one night.\n",
                                        encoding="utf-8")
    [report] = [r for r in import_files([tmp_path / "reports"], tmp_path / "out")
                if Path(r.source).name == "README.md"]
    assert report.target and _front(report)["date"] == "unknown"
