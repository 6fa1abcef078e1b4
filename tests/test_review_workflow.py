"""The review workflow files cannot run here: they must be valid and call commands that exist."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from lessonbook import cli

REPO = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def run_commands(workflow: dict) -> list[list[str]]:
    commands = []
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            for line in step.get("run", "").splitlines():
                for part in re.split(r"&&|;", line):
                    if part.strip() and not part.strip().startswith("#"):
                        commands.append(shlex.split(part))
    return commands


def assert_lessonbook_command_parses(argv: list[str]) -> None:
    parser = cli.build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits on an unknown command or option
        pytest.fail(f"`lessonbook {' '.join(argv)}` does not parse: exit {exc.code}")
    assert getattr(args, "handler", None) is not None, argv


def assert_mkdocs_command_exists(argv: list[str]) -> None:
    from mkdocs.__main__ import cli as mkdocs_cli

    command = mkdocs_cli.commands[argv[0]]
    options = {opt for param in command.params for opt in param.opts}
    for arg in argv[1:]:
        if arg.startswith("-"):
            assert arg.split("=")[0] in options, arg


def test_there_is_a_pull_request_and_a_publish_workflow():
    assert {p.name for p in WORKFLOWS} >= {"pr.yml", "publish.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_commands_exist(path):
    commands = run_commands(load(path))
    assert commands
    for argv in commands:
        if argv[0] == "lessonbook":
            assert_lessonbook_command_parses(argv[1:])
        elif argv[0] == "mkdocs":
            assert_mkdocs_command_exists(argv[1:])
        elif argv[0] == "bash":
            assert (REPO / argv[1]).is_file(), f"{argv[1]} is not a script in the repository"
        elif argv[:2] == ["sudo", "apt-get"]:
            assert argv[2] in {"update", "install"}, argv
        else:
            assert argv[:2] == ["pip", "install"], argv


def test_the_pull_request_workflow_annotates_and_builds_strictly():
    commands = run_commands(load(REPO / ".github" / "workflows" / "pr.yml"))
    assert ["lessonbook", "check", "--format", "github"] in commands
    assert ["mkdocs", "build", "--strict"] in commands


def test_the_publish_workflow_deploys_with_the_pages_actions():
    workflow = load(REPO / ".github" / "workflows" / "publish.yml")
    uses = [step.get("uses", "").split("@")[0] for job in workflow["jobs"].values()
            for step in job["steps"]]
    assert "actions/upload-pages-artifact" in uses and "actions/deploy-pages" in uses
    assert workflow["permissions"]["pages"] == "write"
    assert workflow["permissions"]["id-token"] == "write"


def test_the_pre_commit_hook_runs_lessonbook_check_on_markdown():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "lessonbook-check")
    argv = shlex.split(hook["entry"])
    assert argv[:2] == ["lessonbook", "check"]
    assert_lessonbook_command_parses([*argv[1:], "lessons/2025/pm-1.md"])
    assert re.search(hook["files"], "lessons/2025/pm-2025-001-x.md")
    assert not re.search(hook["files"], "plugins/lessonbook/cli/main.py")


def test_the_pull_request_workflow_keeps_one_review_comment_up_to_date():
    workflow = load(REPO / ".github" / "workflows" / "pr.yml")
    commands = run_commands(workflow)
    review = next(argv for argv in commands if argv[:2] == ["lessonbook", "review"])
    assert "--changed-from" in review and review[review.index("--format") + 1] == "markdown"
    steps = workflow["jobs"]["check"]["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0  # the base branch is there to compare with
    script = next(s for s in steps if "updateComment" in s.get("with", {}).get("script", ""))
    from lessonbook.cli.review_output.markdown import MARKER

    assert MARKER in script["with"]["script"] and "createComment" in script["with"]["script"]
    assert workflow["permissions"]["pull-requests"] == "write"
