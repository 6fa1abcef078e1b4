"""An imported collection builds with `mkdocs build --strict`: the images and files its
postmortems link to (img/, images/, ../_static/) are carried beside the lessons, and a link
that leads to nothing the import has becomes plain text named in the report (#23)."""

from __future__ import annotations

from pathlib import Path

from conftest import build, write_site
from lessonbook.authoring.importer import import_files

PNG = b"\x89PNG\r\n\x1a\n"


def collection(root: Path) -> Path:
    """A Sphinx-like docs tree: reports/ beside _static/, images in two sub-folders, an index
    page the import is not asked for, and every kind of link that cannot be resolved."""
    reports = root / "source" / "reports"
    for folder in ("img", "images/2019-05-30"):
        (reports / folder).mkdir(parents=True)
    (root / "source" / "_static" / "images").mkdir(parents=True)
    (reports / "img" / "pods.png").write_bytes(PNG + b"pods")
    (reports / "images" / "2019-05-30" / "iops.png").write_bytes(PNG + b"iops")
    (root / "source" / "_static" / "images" / "build.png").write_bytes(PNG + b"build")
    (reports / "2019-05-30-flaky.md").write_text(
        "# May 30th, 2019 Prow Flakiness\n\n## Summary\n\nThe [Prow instance](prow.k8s.io) "
        "hit its IOPS limit.\n\n![](./images/2019-05-30/iops.png)\n\n"
        "![builds](../_static/images/build.png)\n\nSee [the pods report](2022-01-27-pods.md) "
        "and [all reports](index.md), [the template][tpl] and ![a chart](img/gone.png).\n\n"
        "The [notebook](pvc.ipynb old-pvc.ipynb) and [pods](2022-01-27-pods.md \"Pods\").\n\n"
        "Code stays code: `[x](nowhere.md)`\n\n```\n[y](nowhere-either.md)\n```\n\n"
        "Diagnosis by the USE method[^1].\n\n"
        "[tpl]: ../templates/report.md\n[^1]: USE method: utilisation, saturation, errors.\n",
        encoding="utf-8")
    (reports / "index.md").write_text(
        "# Reports\n\n- [Flaky](2019-05-30-flaky.md)\n- [Pods](2022-01-27-pods.md)\n",
        encoding="utf-8")
    (reports / "template.md").write_text(
        "# {{ incident date }}, {{ incident name }}\n\n## Timeline\n\n### {{ hh:mm }}\n\n"
        "Start.\n", encoding="utf-8")
    (reports / "2022-01-27-pods.md").write_text(
        "# 2022-01-27, too many pods\n\n## Summary\n\nPods piled up.\n\n"
        "![pods](img/pods.png)\n\nBack to [the flaky one](2019-05-30-flaky.md#summary).\n",
        encoding="utf-8")
    return reports


def test_an_imported_tree_with_images_and_dead_links_builds_strict(tmp_path):
    reports = collection(tmp_path / "repo")
    site = tmp_path / "site"
    docs = site / "docs" / "lessons"
    results = {Path(r.source).name: r for r in import_files([reports], docs)}
    assert results["index.md"].action == "skipped"  # lists the others: an index page
    assert "index page" in results["index.md"].format()
    assert results["template.md"].action == "skipped"
    assert "a template" in results["template.md"].format()
    flaky = Path(results["2019-05-30-flaky.md"].target)
    body = flaky.read_text(encoding="utf-8")
    assert (flaky.parent / "iops.png").read_bytes() == PNG + b"iops"
    assert (flaky.parent / "build.png").read_bytes() == PNG + b"build"
    assert (flaky.parent / "pods.png").read_bytes() == PNG + b"pods"
    assert "![](iops.png)" in body and "![builds](build.png)" in body
    assert "Prow instance (`prow.k8s.io`)" in body
    assert "all reports (`index.md`)" in body  # the index page was not imported
    assert "a chart (image not found at import: `img/gone.png`)" in body
    assert "notebook (`pvc.ipynb old-pvc.ipynb`)" in body  # a destination with a space
    assert "[pods](2022-01-27-pods.md \"Pods\")" in body  # a title is not part of the target
    assert "\\[tpl]: ../templates/report.md" in body
    assert "\n[^1]: USE method: utilisation" in body  # a footnote, not a link
    assert "`[x](nowhere.md)`" in body and "\n[y](nowhere-either.md)\n" in body
    report = results["2019-05-30-flaky.md"].format()
    assert "missing targets of 5 link(s), nothing the import has" in report
    for dead in ("prow.k8s.io", "index.md", "img/gone.png", "../templates/report.md",
                 "pvc.ipynb old-pvc.ipynb"):
        assert dead in report
    config = write_site(site, {"index.md": "# Home\n"}, {"search": {"pagefind": False}})
    built = build(config, strict=True)
    assert built.ok, built.log


def test_a_link_to_a_file_already_in_the_output_folder_is_kept(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "runbook.md").write_text("# Runbook\n", encoding="utf-8")
    source = tmp_path / "src"
    source.mkdir()
    (source / "pm.md").write_text("# Outage\n\nDown on 2024-01-02. See [the runbook]"
                                  "(runbook.md).\n", encoding="utf-8")
    [report] = import_files([source / "pm.md"], out)
    assert "[the runbook](runbook.md)" in Path(report.target).read_text(encoding="utf-8")
    assert "missing targets" not in report.format()


def test_an_index_page_or_template_named_on_the_command_line_is_imported(tmp_path):
    reports = collection(tmp_path / "repo")
    [report] = import_files([reports / "template.md"], tmp_path / "out")
    assert report.action == "written"
