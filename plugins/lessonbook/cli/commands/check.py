"""`lessonbook check`: validate and lint lessons before review, with annotations for CI."""

from __future__ import annotations

import argparse
import gc
import sys

from ...model.text import for_terminal
from ...model.vocabulary import VISIBILITIES
from ..checking import FORMATS, UsageError, run_check
from ..project import open_project


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "check", help="check lessons: what the build validates plus the blameless lint",
        description="Check lessons with the same validation as `mkdocs build` plus the "
        "blameless lint. The whole knowledge base is loaded (duplicate and unknown ids are "
        "cross-document); problems are reported for the PATHs given (default: all lessons). "
        "Exit status: 0 clean or warnings only, 1 errors (or warnings with --strict), "
        "2 bad usage.")
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="lesson files or folders (default: every lesson in docs_dir)")
    parser.add_argument("--format", choices=sorted(FORMATS), default="text",
                        help="text (default), github (Actions annotations) or json")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    parser.add_argument("--audience", choices=VISIBILITIES,
                        help="also show what a build for this audience would publish "
                        "(lessons above it are left out)")
    parser.add_argument("--config", default="mkdocs.yml",
                        help="the site's mkdocs.yml (default: ./mkdocs.yml)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    project = open_project("check", args.config)
    if project is None:
        return 2
    if project.option_warnings and (args.strict or project.strict):
        print("lessonbook check: aborted: unknown plugin options in strict mode, as "
              "`mkdocs build --strict` does", file=sys.stderr)
        return 2
    collecting = gc.isenabled()
    # Reading 10,000 lessons makes millions of objects that live until the end, and the
    # cycle collector walked them all about ten times: 12% of the check. Lessons hold no
    # cycles worth collecting in a run this short.
    gc.disable()
    try:
        result = run_check(project, args.paths, args.audience)
    except UsageError as exc:
        print(for_terminal(f"lessonbook check: {exc}"), file=sys.stderr)
        return 2
    except Exception as exc:  # never exit 1 as if the lessons were wrong
        print(for_terminal(f"lessonbook check: internal error: {type(exc).__name__}: {exc} "
                           "(please report it)"), file=sys.stderr)
        return 2
    finally:
        if collecting:
            gc.enable()
    for problem in result.internal_errors:
        print(for_terminal(f"lessonbook check: internal error in {problem.path}: "
                           f"{problem.message}"), file=sys.stderr)
    for skipped in result.skipped:
        print(for_terminal(f"lessonbook check: skipped {skipped}: not a lesson under "
                           f"{project.docs_dir}"), file=sys.stderr)
    print(FORMATS[args.format](result))
    return result.exit_status(args.strict)
