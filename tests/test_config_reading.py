"""`lessonbook check` reads mkdocs.yml as `mkdocs build` does: INHERIT, !ENV and !relative
resolved by MkDocs' own loader, the plugin's options validated by the build's class, so both
judge the same lessons the same way; a broken config is one clear message, never a traceback."""

from __future__ import annotations

import logging
import os
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import lesson_text
from lessonbook import cli
from lessonbook.cli.checking import run_check
from lessonbook.cli.project import load_project
from lessonbook.model.options import ConfigError

LESSONS = {
    "2025/good.md": lesson_text({"id": "pm-2025-001", "title": "Good", "type": "postmortem",
                                 "date": "2025-01-02", "severity": "P1"}),
    "2025/bad.md": lesson_text({"id": "pm-2025-002", "title": "Bad", "type": "postmortem",
                                "date": "2025-01-03", "severity": "SEV1"}),
    "2025/secret.md": lesson_text({"id": "pm-2025-003", "title": "Secret", "type": "postmortem",
                                   "date": "2025-01-04", "severity": "P2",
                                   "visibility": "restricted"}, "## Summary\n\nSECRETMARK\n"),
}
BASE = """\
docs_dir: lessons
site_name: Base
theme:
  name: material
  font: false
plugins:
  - lessonbook:
      audience: !ENV [LB_TEST_AUDIENCE, internal]
      severities: [P1, P2]
      search:
        pagefind: false
markdown_extensions:
  - pymdownx.snippets:
      base_path: !relative $config_dir
"""


def _inherited_site(root: Path, child: str = "INHERIT: config/base.yml\nsite_name: Child\n"
                    ) -> Path:
    (root / "config").mkdir()
    (root / "config" / "base.yml").write_text(BASE, encoding="utf-8")
    for rel, text in LESSONS.items():
        target = root / "lessons" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    (root / "mkdocs.yml").write_text(child, encoding="utf-8")
    return root / "mkdocs.yml"


def _build(config_file: Path):  # type: ignore[no-untyped-def]
    """A real build; its plugin instance (what it analysed) and everything it logged."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(config_file), site_dir=str(config_file.parent / "site"))
    build(config)
    return config.plugins["lessonbook"].build


def test_check_and_the_build_judge_the_same_lessons_under_an_inherited_config(
        tmp_path, monkeypatch):
    """docs_dir (relative to mkdocs.yml, as MkDocs resolves it) and the plugin's options live
    in the inherited file (the audience from !ENV):
    check counts the lessons the build analyses and reports the same problems."""
    monkeypatch.setenv("LB_TEST_AUDIENCE", "public")
    monkeypatch.chdir(tmp_path)
    config = _inherited_site(tmp_path)
    built = _build(config)
    project = load_project("mkdocs.yml")
    assert project.options.audience == "public" and project.options.severities == ("P1", "P2")
    result = run_check(project, [])
    in_build = {(p.path, p.line, p.message) for p in built.problems}
    in_check = {(os.path.relpath(p.path, "lessons"), p.line, p.message)
                for p in result.problems}
    assert in_check == in_build and any("SEV1" in m for _, _, m in in_check)
    assert result.checked == len(LESSONS)
    assert b"SECRETMARK" not in b"".join(p.read_bytes() for p in (tmp_path / "site").rglob("*")
                                         if p.is_file())


def test_check_of_one_file_under_an_inherited_docs_dir_checks_it(tmp_path, monkeypatch, capsys):
    """The reported case: `check lessons/x.md` said "not a lesson under docs" and exited 0."""
    monkeypatch.chdir(tmp_path)
    _inherited_site(tmp_path)
    status = cli.main(["check", "lessons/2025/bad.md"])
    captured = capsys.readouterr()
    assert status == 1, captured
    assert "severity" in captured.out and "1 lesson(s)" in captured.out
    assert "not a lesson" not in captured.err


BROKEN = {
    "bad-yaml-in-base": ("INHERIT: base.yml\n", {"base.yml": "plugins: [lessonbook\n"},
                         ["base.yml", "parsing the configuration file"]),
    "missing-inherit": ("INHERIT: nowhere.yml\n", {},
                        ["mkdocs.yml", "nowhere.yml", "relative to the file that names it"]),
    "inherit-loop": ("INHERIT: base.yml\n", {"base.yml": "INHERIT: mkdocs.yml\n"},
                     ["INHERIT goes round in a circle", "base.yml"]),
    "typo-in-base": ("INHERIT: base.yml\n",
                     {"base.yml": "plugins:\n  - lessonbook:\n      exclud: [x.md]\n"},
                     ["base.yml, which it inherits", "'exclud': unknown option",
                      "did you mean 'exclude'?"]),
    "not-a-mapping": ("- a\n- b\n", {}, ["expected a mapping"]),
    "plugins-not-a-list": ("plugins: 3\n", {}, ["Invalid Plugins configuration"]),
    "enabled-not-boolean": ("plugins:\n  - lessonbook:\n      enabled: maybe\n", {},
                            ["'enabled': Expected boolean"]),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_config_is_one_clear_message_naming_the_file_in_check_and_the_build(
        tmp_path, monkeypatch, capsys, case):
    child, others, expected = BROKEN[case]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: T\n" + child if not child.startswith("-")
                                         else child, encoding="utf-8")
    for name, text in others.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert cli.main(["check"]) == 2
    err = capsys.readouterr().err
    assert all(x in err for x in expected) and "Traceback" not in err, err
    if case != "inherit-loop":  # MkDocs itself recurses until Python stops it
        from mkdocs.config import load_config
        from mkdocs.exceptions import Abort, ConfigurationError

        logging.getLogger("mkdocs").disabled = True
        try:
            with pytest.raises((Abort, ConfigurationError)):
                load_config("mkdocs.yml")
        finally:
            logging.getLogger("mkdocs").disabled = False


def test_without_the_plugin_check_warns_that_the_build_would_publish_plain_pages(
        tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: T\nplugins:\n  - lessonbook:\n"
                                         "      enabled: false\n", encoding="utf-8")
    assert cli.main(["check"]) == 0
    assert "plain page" in capsys.readouterr().err
    assert cli.main(["check", "--strict"]) == 2


# --- differential: the CLI's reading = MkDocs' load_config ----------------------------------
@st.composite
def configs(draw: st.DrawFn) -> tuple[str, dict[str, str], dict[str, str]]:
    """mkdocs.yml, the files beside it, the environment: settings split between a file and
    the one it inherits, plugins as a list or a mapping, values from !ENV."""
    plugin_lines = []
    if draw(st.booleans()):
        plugin_lines.append("audience: !ENV [LB_GEN_AUDIENCE, internal]")
    if draw(st.booleans()):
        plugin_lines.append(f"lesson_dirs: [{draw(st.sampled_from(['.', 'a', 'a/b']))}]")
    if draw(st.booleans()):
        plugin_lines.append(f"home_newest: {draw(st.integers(0, 3))}")
    if draw(st.booleans()):
        plugin_lines.append(f"enabled: {draw(st.sampled_from(['true', 'false']))}")
    if draw(st.booleans()):
        plugin_lines.append(f"{draw(st.sampled_from(['exclud', 'lesson_dir']))}: [x]")
    as_mapping = draw(st.booleans())
    if as_mapping:
        body = "".join(f"    {line}\n" for line in plugin_lines) or "    {}\n"
        plugins = "plugins:\n  search: {}\n  lessonbook:\n" + body
    else:
        body = "".join(f"      {line}\n" for line in plugin_lines)
        plugins = "plugins:\n  - search\n  - lessonbook" + (":\n" + body if body else "\n")
    settings_ = {"docs_dir": f"docs_dir: {draw(st.sampled_from(['docs', 'lessons']))}\n",
                 "site_url": f"site_url: {draw(st.sampled_from(['https://x.org', 'https://x.org/kb/']))}\n",
                 "strict": f"strict: {draw(st.sampled_from(['true', 'false']))}\n",
                 "plugins": plugins}
    base_keys = draw(st.sets(st.sampled_from(sorted(settings_))))
    base = "".join(settings_[k] for k in sorted(base_keys))
    child = "site_name: Gen\n" + "".join(settings_[k] for k in sorted(settings_)
                                         if k not in base_keys and draw(st.booleans()))
    files = {}
    if base:
        child = "INHERIT: shared/base.yml\n" + child
        files["shared/base.yml"] = base
    env = {"LB_GEN_AUDIENCE": draw(st.sampled_from(["public", "restricted"]))} if draw(
        st.booleans()) else {}
    return child, files, env


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=configs())
def test_the_cli_reads_a_config_as_mkdocs_load_config_does(tmp_path_factory, case):
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    child, files, env = case
    root = tmp_path_factory.mktemp("gen")
    for folder in ("docs", "lessons", "shared/docs", "shared/lessons"):
        (root / folder).mkdir(parents=True)
    (root / "mkdocs.yml").write_text(child, encoding="utf-8")
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    saved = os.environ.pop("LB_GEN_AUDIENCE", None)
    os.environ.update(env)
    logging.getLogger("mkdocs").disabled = True
    try:
        try:
            expected = load_config(str(root / "mkdocs.yml"))
        except Abort:
            expected = None
        try:
            got = load_project(root / "mkdocs.yml")
        except ConfigError:
            got = None
    finally:
        logging.getLogger("mkdocs").disabled = False
        os.environ.pop("LB_GEN_AUDIENCE", None)
        if saved is not None:
            os.environ["LB_GEN_AUDIENCE"] = saved
    assert (got is None) == (expected is None), textwrap.indent(child, "  ")
    if got is None or expected is None:
        return
    assert str(got.docs_dir) == expected.docs_dir and got.site is not None
    assert got.site.site_url == expected.site_url and got.strict == expected.strict
    plugin = expected.plugins.get("lessonbook")
    assert got.site.plugin_enabled == (plugin is not None)
    if plugin is not None:
        assert got.options == plugin.config.options
