"""`lessonbook schema`: the front-matter JSON Schema, for editors and other tools."""

from __future__ import annotations

import argparse
import sys

from ...authoring.json_schema import lesson_schema
from ...authoring.scaffold import ScaffoldError, resolve_kind
from ...model.kinds import kind_keys
from ...model.text import for_json, for_terminal
from ..project import ConfigError, project_settings


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "schema", help="print the JSON Schema of lesson front-matter",
        description="Print the JSON Schema (draft 2020-12) of lesson front-matter, generated "
        "from the field specs the validator uses, with the vocabularies configured in "
        "mkdocs.yml. Point the YAML language server at it to get completion and checks while "
        "typing (see docs/authoring.md).")
    parser.add_argument("--kind", help=f"only the fields of one kind: {', '.join(kind_keys())}")
    parser.add_argument("--config", default="mkdocs.yml",
                        help="mkdocs.yml to read vocabularies from (default: ./mkdocs.yml, "
                        "built-in defaults when absent)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:  # the default ./mkdocs.yml may be absent; a --config named explicitly may not
        settings = project_settings(args.config, optional=args.config == "mkdocs.yml")
    except ConfigError as exc:
        print(for_terminal(f"lessonbook schema: {exc}"), file=sys.stderr)
        return 2
    try:
        kind = resolve_kind(args.kind) if args.kind else None
    except ScaffoldError as exc:
        print(for_terminal(f"lessonbook schema: {exc}"), file=sys.stderr)
        return 2
    print(for_json(lesson_schema(settings, kind), indent=2))
    return 0
