"""Options are declared once: `mkdocs build` and `lessonbook check` accept and reject the same
values with the same message."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import lesson_text, write_site
from lessonbook import cli
from lessonbook.model.options import Options, describe, parse_options

LESSON = {"docs/2025/pm-1.md": lesson_text({"title": "T", "type": "postmortem",
                                            "date": "2025-01-02"})}


def _site(tmp_path: Path, plugin_config: dict) -> Path:
    files = {k.removeprefix("docs/"): v for k, v in LESSON.items()}
    return write_site(tmp_path, files, plugin_config)


def _mkdocs_build(config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f",
                           str(config), "-d", str(config.parent / "out")],
                          capture_output=True, text=True, timeout=120, check=False)


BAD = [
    ({"severities": 5}, "Plugin 'lessonbook' option 'severities': must be a list of text, "
                        "not the number 5"),
    ({"similar": {"min_score": 2}}, "Plugin 'lessonbook' option 'similar.min_score': must be "
                                    "between 0 and 1, not 2"),
    ({"severites": ["P1"]}, "Plugin 'lessonbook' option 'severites': unknown option "
                            "(did you mean 'severities'?)"),
]


@pytest.mark.parametrize("options, message", BAD, ids=["wrong-type", "out-of-range", "unknown"])
def test_build_and_check_reject_a_bad_option_with_the_same_message(tmp_path, capsys, options,
                                                                    message):
    config = _site(tmp_path, options)
    built = _mkdocs_build(config)
    output = built.stdout + built.stderr
    assert built.returncode != 0 and message in output, output
    status = cli.main(["check", "--strict", "--config", str(config)])
    err = capsys.readouterr().err
    assert status == 2 and message in err, err
    assert "Traceback" not in output + err


TYPOS = [({"lesson_dir": ["incidents"]}, "'lesson_dir': unknown option (did you mean "
                                         "'lesson_dirs'?)"),
         ({"similar": {"min_scor": 0.2}}, "'similar.min_scor': unknown option (did you mean "
                                          "'min_score'?)")]


@pytest.mark.parametrize("options, message", TYPOS, ids=["top-level", "nested"])
def test_a_misspelt_option_is_an_error_with_a_suggestion_in_build_and_check_without_strict(
        tmp_path, capsys, options, message):
    """A typo'd `lesson_dir:` would silently select other files (and publish them): it stops
    the build and `check` even without --strict, naming the option it resembles."""
    config = _site(tmp_path, options)
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d",
                            str(tmp_path / "out")], capture_output=True, text=True, timeout=120,
                           check=False)
    assert built.returncode != 0 and message in built.stderr, built.stderr
    assert not (tmp_path / "out" / "2025").exists()
    assert cli.main(["check", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert message in err and str(config) in err, err


def test_check_names_the_option_mkdocs_rejects_and_exits_2(tmp_path, capsys):
    config = _site(tmp_path, {"severities": 5})
    assert cli.main(["check", "--config", str(config)]) == 2
    assert "'severities'" in capsys.readouterr().err


def test_every_problem_in_the_options_is_reported_at_once():
    _, problems = parse_options({"severities": 5, "home_newest": "eight",
                                 "search": {"results_per_page": 0}})
    assert [p.name for p in problems] == ["severities", "home_newest",
                                          "search.results_per_page"]


def test_defaults_come_from_the_declaration():
    options, problems = parse_options({})
    assert problems == [] and options == Options()
    names = {name for name, *_ in describe()}
    assert {"severities", "similar.weights.tags", "search.results_per_page"} <= names


def test_a_date_option_accepts_a_yaml_date_or_iso_text():
    import datetime as dt

    for value in ("2025-03-14", dt.date(2025, 3, 14)):
        options, problems = parse_options({"build_date": value})
        assert problems == [] and options.build_date == dt.date(2025, 3, 14)


def test_every_option_is_documented_in_docs_configuration():
    page = (Path(__file__).resolve().parent.parent / "docs" / "configuration.md").read_text(
        encoding="utf-8")
    missing = [name for name, *_ in describe() if f"`{name}`" not in page]
    assert missing == []
