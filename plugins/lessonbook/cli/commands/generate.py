"""`lessonbook generate OUT`: the site as a plain MkDocs project (lessonbook/generate), and
`lessonbook index SITE`: Pagefind over a built site, so its Explore page can search."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from ...model.text import for_terminal
from ..project import open_project

AUDIENCES = ("public", "internal", "restricted")


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "generate", help="write the site as a plain MkDocs project (no Lessonbook plugin)",
        description="Write OUT/mkdocs.yml and OUT/docs/: every lesson page, generated page, "
        "export, feed and asset the plugin's build makes, as files, for any engine that reads "
        "a Material mkdocs.yml (MkDocs, ProperDocs, TechDocs). Build it with "
        "`cd OUT && mkdocs build --strict`, then `lessonbook index OUT/site` for Explore.")
    parser.add_argument("out", metavar="OUT", help="folder to write (created; a folder "
                        "written by an earlier run is replaced, any other is refused)")
    parser.add_argument("-f", "--config-file", default="mkdocs.yml",
                        help="the source project's mkdocs.yml (default: ./mkdocs.yml)")
    parser.add_argument("--audience", choices=AUDIENCES, default=None,
                        help="who the generated site is for (default: the plugin's "
                        "`audience` option); lessons above it are left out of every file")
    parser.add_argument("--force", action="store_true",
                        help="write into a non-empty folder that no earlier run wrote "
                        "(its mkdocs.yml, docs/ and overrides/ are replaced)")
    parser.set_defaults(handler=run_generate)
    index = subparsers.add_parser(
        "index", help="index a built site with Pagefind (the Explore page's search)",
        description="Run Pagefind over a site built from `lessonbook generate`'s output (or "
        "any Lessonbook site built without its index) into SITE/pagefind/.")
    index.add_argument("site", metavar="SITE", help="the built site folder (e.g. OUT/site)")
    index.set_defaults(handler=run_index)


def run_generate(args: argparse.Namespace) -> int:
    # Loaded for this command only: `check` must not pay for Jinja, pygal and MkDocs.
    from ...generate import CarryError, OutputRefused, generate

    project = open_project("generate", args.config_file)
    if project is None or project.site is None:
        return 2
    options = project.options
    if args.audience is not None:
        options = dataclasses.replace(options, audience=args.audience)
    out = Path(args.out)
    try:
        result = generate(project.site, out, options=options, force=args.force)
    except (OutputRefused, CarryError) as exc:
        print(f"lessonbook generate: {for_terminal(str(exc))}", file=sys.stderr)
        return 2
    for problem in result.problems:
        if problem.is_error:
            print(problem.format(), file=sys.stderr)
    for note in result.notes:
        print(f"lessonbook generate: {for_terminal(note)}", file=sys.stderr)
    errors = sum(p.is_error for p in result.problems)
    shown = for_terminal(str(out))
    print(f"Wrote {shown}/mkdocs.yml and {shown}/docs/: {result.lessons} lesson page(s), "
          f"{result.generated} generated page(s), {result.own_pages} of your own page(s) and "
          f"{result.files} other file(s) (audience: {options.audience}).")
    if result.left_out:
        print(f"Left out {len(result.left_out)} file(s)"
              + (f", {errors} with errors (listed above)" if errors else "")
              + ": " + ", ".join(for_terminal(p) for p in result.left_out[:10])
              + (" ..." if len(result.left_out) > 10 else ""))
    print(f"Build it: cd {shown} && mkdocs build --strict && lessonbook index site")
    return 1 if errors else 0


def run_index(args: argparse.Namespace) -> int:
    from ...site.pagefind_index import build_index

    site = Path(args.site)
    if not (site / "index.html").is_file():
        print(f"lessonbook index: {for_terminal(str(site))}: no index.html there; give the "
              "folder of a built site (e.g. OUT/site after `mkdocs build`)", file=sys.stderr)
        return 2
    result = build_index(site)
    print(f"lessonbook index: {for_terminal(result.message)}",
          file=sys.stdout if result.ok else sys.stderr)
    return 0 if result.ok else 1
