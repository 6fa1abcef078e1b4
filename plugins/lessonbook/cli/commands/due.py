"""`lessonbook due`: what is overdue — follow-ups past due, rules and lessons past review — by
owner, for a scheduled CI job that opens an issue or posts a message."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from dataclasses import replace

from ...analysis.review import DueItem, by_owner, due_items
from ...load.sources import read_sources
from ...model.problems import Problem
from ...model.text import for_json, for_terminal, github_data, github_property
from ...model.vocabulary import VISIBILITIES
from ..arguments import iso_date
from ..project import Project, configuration_problems, open_project
from .due_undated import format_undated, undated

KIND_LABELS = {"follow-up": "follow-up past due", "rule": "rule past review",
               "lesson": "lesson past review"}


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "due", help="list what is overdue: follow-ups past due, rules and lessons past review",
        description="List what is overdue, by owner: open follow-ups past their due date, "
        "adopted rules past review (review_by, or the rule_review_days option) and lessons "
        "past review_by. Reads the lessons the site's audience may see. Exit status: 0 nothing "
        "overdue, 1 something overdue, 2 bad usage, 3 some files have errors and are left "
        "out, so the list may be incomplete (the errors are printed on stderr; `lessonbook "
        "check` says more).")
    parser.add_argument("--format", choices=sorted(FORMATS), default="text",
                        help="text (default), github (Actions annotations) or json")
    parser.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD",
                        help="judge as of this day (default: the build_date option, else "
                        "today)")
    parser.add_argument("--audience", choices=VISIBILITIES,
                        help="who will read the list (default: the site's audience option)")
    parser.add_argument("--done-without-date", action="store_true",
                        help="instead, list the follow-ups marked done without a done_on date "
                        "(they are left out of closure times and digests); exit status 1 when "
                        "there are any")
    parser.add_argument("--config", default="mkdocs.yml",
                        help="the site's mkdocs.yml (default: ./mkdocs.yml)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    project = open_project("due", args.config)
    if project is None:
        return 2
    if not project.docs_dir.is_dir():
        print(f"lessonbook due: {project.docs_dir}: docs_dir does not exist", file=sys.stderr)
        return 2
    for problem in configuration_problems(project):  # "nothing overdue" may mean "none read"
        print(f"lessonbook due: {problem.format()}", file=sys.stderr)
    if args.done_without_date:
        return _run_undated(project, args)
    errors: list[Problem] = []
    today, items = find_due(project, args.date, args.audience, errors=errors)
    for problem in errors:
        print(f"lessonbook due: left out: {_relative(project, problem).format()}",
              file=sys.stderr)
    print(FORMATS[args.format](items, today, project))
    if errors:
        print(for_terminal(f"lessonbook due: {len(errors)} error(s) in lessons; the files "
                           "with errors are left out, so the list may be incomplete"),
              file=sys.stderr)
        return 3
    return 1 if items else 0


def _run_undated(project: Project, args: argparse.Namespace) -> int:
    analysis = project.run(audience=args.audience, build_date=args.date).check(
        read_sources(project.docs_dir, project.settings))
    entries = undated(analysis.registry.follow_ups)
    print(format_undated(entries, analysis.build_date, project, args.format))
    return 1 if entries else 0


def find_due(project: Project, day: dt.date | None = None, audience: str | None = None,
             errors: list[Problem] | None = None) -> tuple[dt.date, list[DueItem]]:
    """The day judged and what is overdue on it, read exactly as the build reads lessons.
    ``errors`` (a list) receives the errors that left files out of the reading."""
    run = project.run(audience=audience, build_date=day)
    analysis = run.check(read_sources(project.docs_dir, project.settings))
    if errors is not None:
        left_out = set(analysis.kb.rejected)
        errors.extend(p for p in analysis.kb.problems if p.is_error and p.path in left_out)
    today = analysis.build_date
    return today, due_items(analysis.kb, analysis.registry, today,
                            run.options.rule_review_days)


def _relative(project: Project, problem: Problem) -> Problem:
    return replace(problem, path=os.path.relpath(project.docs_dir / problem.path)
                   .replace(os.sep, "/"))


def _path(project: Project, item: DueItem) -> str:
    """The file as the user (and GitHub, from the repository root) sees it."""
    return os.path.relpath(project.docs_dir / item.path).replace(os.sep, "/")


def _line(item: DueItem, today: dt.date) -> str:
    days = item.days_overdue(today)
    what = f"rule {item.rule_id}: {item.text}" if item.rule_id else item.text
    origin = "" if item.kind == "lesson" else f" (from {item.lesson_id})"
    return (f"{KIND_LABELS[item.kind]}: {what}{origin}; {item.reason}, "
            f"{days} day{'' if days == 1 else 's'} overdue")


def format_text(items: list[DueItem], today: dt.date, project: Project) -> str:
    """One line per owner and per item; each printed as one terminal line, whatever the
    owners, actions and paths hold (model/text.py)."""
    lines = []
    for owner, owned in by_owner(items):
        lines.append(f"{owner} ({len(owned)})")
        lines.extend(f"  {_path(project, x)}{':' + str(x.line) if x.line else ''}: "
                     f"{_line(x, today)}" for x in owned)
    lines.append(_summary(items, today))
    return "\n".join(map(for_terminal, lines))


def format_github(items: list[DueItem], today: dt.date, project: Project) -> str:
    """GitHub Actions warnings on the lines that carry the date, plus a Markdown summary a
    workflow can post as an issue body (written to $GITHUB_STEP_SUMMARY by the workflow)."""
    lines = []
    for item in items:
        props = [f"file={github_property(_path(project, item))}"]
        if item.line:
            props.append(f"line={item.line}")
        props.append(f"title={github_property(f'Overdue {item.kind} ({item.owner})')}")
        lines.append(f"::warning {','.join(props)}::{github_data(_line(item, today))}")
    lines.append(_summary(items, today))
    return "\n".join(lines)


def format_json(items: list[DueItem], today: dt.date, project: Project) -> str:
    document = {
        "version": 1,
        "date": today.isoformat(),
        "summary": {kind: sum(x.kind == kind for x in items) for kind in KIND_LABELS}
        | {"total": len(items)},
        "owners": [{"owner": owner, "items": [
            {"kind": x.kind, "text": x.text, "due": x.due.isoformat(),
             "days_overdue": x.days_overdue(today), "reason": x.reason,
             "lesson": x.lesson_id, "lesson_title": x.lesson_title, "rule": x.rule_id,
             "path": _path(project, x), "line": x.line} for x in owned]}
            for owner, owned in by_owner(items)],
    }
    return for_json(document)


PLURALS = {"follow-up": ("follow-up past due", "follow-ups past due"),
           "rule": ("rule past review", "rules past review"),
           "lesson": ("lesson past review", "lessons past review")}


def _summary(items: list[DueItem], today: dt.date) -> str:
    parts = []
    for kind, (one, many) in PLURALS.items():
        n = sum(x.kind == kind for x in items)
        parts.append(f"{n} {one if n == 1 else many}")
    counts = ", ".join(parts)
    return f"{len(items)} overdue as of {today.isoformat()}: {counts}"


FORMATS = {"text": format_text, "github": format_github, "json": format_json}
