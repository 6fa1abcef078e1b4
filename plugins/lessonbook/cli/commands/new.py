"""`lessonbook new`: scaffold a lesson from templates/KIND.md with a fresh, readable id."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ...authoring.scaffold import ScaffoldError, create_lesson
from ...model.kinds import all_kinds, kind_keys
from ...model.text import for_terminal
from ..project import ConfigError, load_project


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    prefixes = ", ".join(f"{kind.id_prefix} ({kind.key})" for kind in all_kinds())
    parser = subparsers.add_parser(
        "new", help="write a new lesson from a template and print its path",
        description="Write a new lesson from templates/KIND.md (a built-in skeleton when the "
        "template is missing) at DIR/<year>/<id>-<slug>.md, with id, title, type and date "
        f"filled in. Ids are <prefix>-<year>-<NNN>; prefixes: {prefixes}. "
        "Never overwrites: the next free id is used.")
    parser.add_argument("kind", metavar="KIND", help=f"one of {', '.join(kind_keys())}")
    parser.add_argument("title", metavar="TITLE", help="what happened, in one line")
    parser.add_argument("--team", help="the team involved (fills teams:)")
    parser.add_argument("--service", help="the service involved (fills services:)")
    parser.add_argument("--date", help="ISO date of the incident or review (default: today)")
    parser.add_argument("--dir", help="lessons folder (default: docs_dir of mkdocs.yml, "
                        "else ./lessons)")
    parser.add_argument("--templates", help="folder of KIND.md templates (default: "
                        "templates/ next to mkdocs.yml)")
    parser.add_argument("--config", default="mkdocs.yml", help="the site's mkdocs.yml")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    root = Path(".")
    lesson_dir = Path(args.dir) if args.dir else None
    config = Path(args.config)
    if config.exists():
        try:
            project = load_project(config)
        except ConfigError as exc:
            print(for_terminal(f"lessonbook new: {exc}"), file=sys.stderr)
            return 2
        root = config.parent
        lesson_dir = lesson_dir or project.docs_dir
    lesson_dir = lesson_dir or Path("lessons")
    templates = Path(args.templates) if args.templates else root / "templates"
    if args.templates and not templates.is_dir():
        print(for_terminal(f"lessonbook new: {templates}: no such template folder"),
              file=sys.stderr)
        return 2
    try:
        created = create_lesson(args.kind, args.title, lesson_dir, template_dir=templates,
                                date=args.date, team=args.team, service=args.service)
    except ScaffoldError as exc:
        print(for_terminal(f"lessonbook new: {exc}"), file=sys.stderr)
        return 2
    except OSError as exc:
        print(for_terminal(f"lessonbook new: cannot write in {lesson_dir}: {exc.strerror}"),
              file=sys.stderr)
        return 2
    print(for_terminal(str(created.path)))
    print(for_terminal(f"lessonbook new: wrote {created.id} from the {created.template} "
                       f"template; next: edit it, then `lessonbook check {created.path}`"),
          file=sys.stderr)
    return 0
