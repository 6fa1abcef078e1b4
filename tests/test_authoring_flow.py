"""From `lessonbook new` to a green `lessonbook check` to a page on the site; lint in the build."""

from __future__ import annotations

from pathlib import Path

import yaml

from conftest import REPO, build, lesson_text, write_site
from lessonbook import cli


def test_a_new_lesson_checks_green_and_becomes_a_page(tmp_path, monkeypatch, capsys):
    config = write_site(tmp_path, {"index.md": "# Home\n"})
    (tmp_path / "templates").mkdir()
    for template in (REPO / "templates").glob("*.md"):
        (tmp_path / "templates" / template.name).write_bytes(template.read_bytes())
    monkeypatch.chdir(tmp_path)
    assert cli.main(["new", "near-miss", "Certificate six days from expiry",
                     "--team", "identity", "--date", "2026-02-03"]) == 0
    path = Path(capsys.readouterr().out.strip())
    # As written by `new` it still holds the template's text, which --strict refuses ...
    assert cli.main(["check", str(path), "--strict"]) == 1
    assert "is as the template left it" in capsys.readouterr().out
    # ... until the author writes the body.
    front = path.read_text(encoding="utf-8").split("\n---\n", 1)[0]
    path.write_text(front + "\n---\n\n## Summary\n\nAn expiry probe found the identity "
                    "intermediate certificate six days from expiry.\n", encoding="utf-8")
    assert cli.main(["check", str(path), "--strict"]) == 0, capsys.readouterr().out
    site = build(config, strict=True)
    assert site.ok, site.log
    url = path.relative_to("docs").with_suffix("").as_posix() + "/"
    assert "Certificate six days from expiry" in site.html(url)


def test_lint_warnings_appear_in_the_mkdocs_build(make_site):
    site = make_site({"2025/pm-1.md": lesson_text(
        {"title": "Checkout timeouts", "type": "postmortem", "date": "2025-03-04",
         "contributing_factors": ["Human error"]})}, plugin_config={"strict_warnings": True})
    assert "2025/pm-1.md" in site.log
    assert "'human error' given as a contributing factor" in site.log
    assert "a postmortem with no follow-ups" in site.log


def test_the_lint_options_in_mkdocs_yml_reach_the_build(make_site):
    site = make_site({"2025/pm-1.md": lesson_text(
        {"title": "Checkout timeouts", "type": "near-miss", "date": "2025-03-04"},
        "## Summary\n\nA cowboy change. She should have known.\n")},
        plugin_config={"strict_warnings": True, "blame_words": ["cowboy"]})
    assert "blame language 'cowboy'" in site.log
    assert "should have known" not in site.log


def test_the_how_to_write_page_is_in_the_nav_and_not_a_lesson(capsys, monkeypatch):
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"),
                       Loader=yaml.BaseLoader)
    assert {"How to write a lesson": "guide/how-to-write.md"} in config["nav"]
    assert (REPO / "lessons" / "guide" / "how-to-write.md").is_file()
    monkeypatch.chdir(REPO)
    assert cli.main(["check", "lessons/guide/how-to-write.md"]) == 0
    assert "skipped lessons/guide/how-to-write.md" in capsys.readouterr().err
