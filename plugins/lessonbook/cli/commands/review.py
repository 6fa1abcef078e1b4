"""`lessonbook review`: for the lessons a change adds or edits, what the knowledge base already
knows — similar incidents, repeats and their unfinished follow-ups, the rules and checklists
that apply, what the lesson changes — and the check's problems; for a pull-request comment."""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import sys
from dataclasses import replace
from pathlib import Path

from ...model.vocabulary import VISIBILITIES
from ...speed.pages import keep_freed_memory, prefer_small_pages
from ..arguments import iso_date
from ..checking import UsageError, select
from ..git_changes import GitError, changed_files
from ..project import Project, open_project

FORMAT_NAMES = ["json", "markdown", "text"]
"""The formats of review_output.FORMATS (a test holds the two equal)."""

NAME = "lessonbook review"


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "review", help="review the lessons a change adds or edits: similar incidents, "
        "repeats, rules that apply, what they change, problems",
        description="For each lesson named (or each one a git change adds or edits, with "
        "--changed-from), without building the site: the past incidents most like it and why "
        "(the site's own links), whether it repeats an earlier incident and what that one's "
        "follow-ups promised, the adopted rules and checklists that apply, what it changes in "
        "the registry, and the problems `lessonbook check` finds in it. Exit status: 0, or 1 "
        "when a reviewed lesson has errors (or warnings with --strict), 2 bad usage.")
    parser.add_argument("paths", nargs="*", metavar="FILE", help="lesson files to review")
    parser.add_argument("--changed-from", metavar="REF",
                        help="review the lessons added or edited since this git ref (a branch, "
                        "tag or commit; compared from where HEAD left it, working tree "
                        "included)")
    parser.add_argument("--format", choices=FORMAT_NAMES, default="text",
                        help="text (default), markdown (a pull-request comment) or json")
    parser.add_argument("--output", metavar="FILE",
                        help="write the review to FILE (replacing it) instead of printing it")
    parser.add_argument("--audience", choices=VISIBILITIES,
                        help="compare with the lessons this audience may read (default: the "
                        "site's audience option; nothing above it is named)")
    parser.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD",
                        help="judge follow-ups overdue as of this day (default: the "
                        "build_date option, else today)")
    parser.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    parser.add_argument("--no-cache", action="store_true",
                        help="read every lesson file; neither use nor write the review cache")
    parser.add_argument("--cache-dir", metavar="DIR",
                        help="where the review cache lives (default: $XDG_CACHE_HOME/lessonbook "
                        "or ~/.cache/lessonbook)")
    parser.add_argument("--config", default="mkdocs.yml",
                        help="the site's mkdocs.yml (default: ./mkdocs.yml)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if bool(args.paths) == bool(args.changed_from):
        print(f"{NAME}: name the lesson files to review, or --changed-from REF (not both)",
              file=sys.stderr)
        return 2
    prefer_small_pages()  # before numpy is imported: see speed/pages.py
    keep_freed_memory()
    project = open_project("review", args.config)
    if project is None:
        return 2
    collecting = gc.isenabled()
    gc.disable()  # as in `check`: millions of long-lived objects, no cycles worth collecting
    try:
        review = _review(project, args)
    except (UsageError, GitError) as exc:
        print(f"{NAME}: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # never exit 1 as if the lessons were wrong
        print(f"{NAME}: internal error: {type(exc).__name__}: {exc} (please report it)",
              file=sys.stderr)
        return 2
    finally:
        if collecting:
            gc.enable()
    from ..review_output import FORMATS  # the findings load numpy: only for this command

    text = FORMATS[args.format](review)
    if args.output:
        try:
            Path(args.output).write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            print(f"{NAME}: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
            return 2
        print(f"{NAME}: wrote {args.output} ({len(review.lessons)} lesson(s) reviewed)",
              file=sys.stderr)
    else:
        print(text)
    if any(p.code == "internal-error" for x in review.lessons for p in x.problems):
        return 2
    return 1 if review.errors or (args.strict and review.warnings) else 0


def _review(project: Project, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from ...analysis.change_review import review_analysis
    from ...analysis.change_review.cache import ReviewCache, cache_path, default_dir
    from ...load.sources import is_lesson_path, read_sources
    from ...pipeline import Session

    if not project.docs_dir.is_dir():
        raise UsageError(f"{project.docs_dir}: docs_dir does not exist")
    statuses: dict[str, str | None] = {}
    removed: list[str] = []
    if args.changed_from:
        change = changed_files(Path.cwd(), args.changed_from)
        found = [str(p) for p in change.files if p.exists()]
        selected, _ = select(project, found) if found else (set(), [])
        by_rel = {_docs_relative(project, Path(p)): status for p, status in change.files.items()}
        statuses = {path: by_rel.get(path) for path in sorted(selected or ())}
        removed = sorted(_display(project, rel) for p in change.removed
                         if (rel := _docs_relative(project, p)) is not None
                         and is_lesson_path(rel, project.settings))
    else:
        selected, skipped = select(project, args.paths)
        for given in skipped:
            print(f"{NAME}: skipped {given}: not a lesson under {project.docs_dir}",
                  file=sys.stderr)
        statuses = {path: None for path in sorted(selected or ())}
    options = project.options if args.audience is None else replace(project.options,
                                                                     audience=args.audience)
    cache = None
    if statuses and not args.no_cache:
        folder = Path(args.cache_dir) if args.cache_dir else default_dir()
        cache = ReviewCache(cache_path(folder, project.docs_dir), project.settings)
    # Without a cache each file is read by the process that parses it, as `check` does.
    sources = read_sources(project.docs_dir, project.settings, later=cache is None)
    if statuses:
        reads = cache.load() if cache else None
        run = project.run(audience=args.audience, build_date=args.date,
                          session=Session(reads) if reads is not None else None)
        analysis = run.check(sources, lint_paths=set(statuses))
        review = review_analysis(analysis, statuses, lambda rel: _display(project, rel),
                                 words=cache.words if cache is not None else None)
        if cache is not None:
            cache.save({s.path for s in sources})
    else:  # nothing to review: say so (a pull-request comment must not keep an old review)
        from ...analysis.change_review.findings import ChangeReview

        review = ChangeReview([], args.date or options.build_date or dt.date.today(),
                              options.audience, options.insights.recurring_window_months)
    review.site_url = project.site_url
    review.use_directory_urls = project.use_directory_urls
    review.base = args.changed_from
    review.removed = removed
    return review


def _docs_relative(project: Project, path: Path) -> str | None:
    try:
        return path.resolve().relative_to(project.docs_dir.resolve()).as_posix()
    except ValueError:
        return None


def _display(project: Project, rel: str) -> str:
    """The path as the user (and the pull request, from the repository root) sees it."""
    return os.path.relpath(project.docs_dir / rel).replace(os.sep, "/")
