"""`lessonbook check`: the build's validation plus the blameless lint, for a few files or all.

The whole knowledge base is always loaded, because duplicate ids and unknown `related:` ids are
only visible across documents; problems are then reported for the paths asked about.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..load.knowledge_base import INTERNAL_ERROR
from ..load.sources import find_lesson_files, is_lesson_path, read_sources
from ..model.problems import Problem
from ..model.text import for_json, for_terminal, github_data, github_property
from .project import Project, configuration_problems


class UsageError(Exception):
    """A path that does not exist or cannot be read: exit status 2."""


@dataclass
class AudienceSummary:
    audience: str
    published: int
    left_out: list[str]
    """Docs-relative paths of valid lessons a build for this audience leaves out."""

    def format(self) -> str:
        text = (f"a build for audience {self.audience!r} publishes {self.published} "
                f"lesson(s) and leaves out {len(self.left_out)}")
        return text + "".join(f"\n  left out: {for_terminal(path)}" for path in self.left_out)


@dataclass
class CheckResult:
    problems: list[Problem]
    """Problems in the selected lessons, paths relative to the current directory."""
    checked: int
    skipped: list[str]
    """Paths given that are not lessons (outside docs_dir or excluded)."""
    audience: AudienceSummary | None = None
    """What a build for an audience would contain (`check --audience`)."""

    @property
    def errors(self) -> int:
        return sum(p.is_error for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(not p.is_error for p in self.problems)

    @property
    def internal_errors(self) -> list[Problem]:
        return [p for p in self.problems if p.code == INTERNAL_ERROR]

    def exit_status(self, strict: bool) -> int:
        """2 when Lessonbook itself failed on a file, 1 for errors in lessons (or warnings
        with --strict), 0 otherwise."""
        if self.internal_errors:
            return 2
        return 1 if self.errors or (strict and self.warnings) else 0


def select(project: Project, paths: list[str]) -> tuple[set[str] | None, list[str]]:
    """Docs-relative lesson paths for the given files/folders (None: all), and skipped paths."""
    if not paths:
        return None, []
    docs = project.docs_dir.resolve()
    selected: set[str] = set()
    skipped: list[str] = []
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise UsageError(f"{given}: no such file or directory")
        resolved = path.resolve()
        try:
            rel = resolved.relative_to(docs)
        except ValueError:
            skipped.append(given)
            continue
        if path.is_dir():
            if not os.access(path, os.R_OK | os.X_OK):
                raise UsageError(f"{given}: cannot read directory")
            prefix = "" if rel == Path(".") else rel.as_posix() + "/"
            selected.update(p for p in find_lesson_files(docs, project.settings)
                            if p.startswith(prefix))
        elif is_lesson_path(rel.as_posix(), project.settings):
            if not os.access(path, os.R_OK):
                raise UsageError(f"{given}: cannot read file (permission denied)")
            selected.add(rel.as_posix())
        else:
            skipped.append(given)
    return selected, skipped


def run_check(project: Project, paths: list[str], audience: str | None = None
              ) -> CheckResult:
    """The build's analysis of every lesson (cross-document checks need them all); problems
    are reported for the lessons asked about. With ``audience``, also what a build for it
    would publish."""
    if not project.docs_dir.is_dir():
        raise UsageError(f"{project.docs_dir}: docs_dir does not exist")
    selected, skipped = select(project, paths)
    # Each file is read by the process that parses it (several, for many files).
    sources = read_sources(project.docs_dir, project.settings, later=True)
    analysis = project.run(audience=audience).check(sources, lint_paths=selected)
    problems = analysis.problems
    if selected is not None:
        problems = [p for p in problems if p.path in selected]
    # The options' choice of lessons first: when it chose nothing, nothing else is right.
    shown = [*configuration_problems(project, analysis),
             *(_relative(p, project.docs_dir) for p in problems)]
    checked = len(sources) if selected is None else len(selected)
    summary = None if audience is None else AudienceSummary(
        audience, len(analysis.kb.lessons),
        [os.path.relpath(project.docs_dir / p).replace(os.sep, "/")
         for p in sorted(analysis.hidden)])
    return CheckResult(shown, checked, skipped, summary)


def _relative(problem: Problem, docs_dir: Path) -> Problem:
    """Paths as the user (and GitHub, from the repository root) sees them."""
    path = os.path.relpath(docs_dir / problem.path).replace(os.sep, "/")
    return Problem(path, problem.line, problem.severity, problem.message, problem.suggestion,
                   problem.code)


# --- output formats -----------------------------------------------------------------------
def format_text(result: CheckResult) -> str:
    """One line per problem (Problem.format neutralises what the files hold)."""
    lines = [p.format() for p in result.problems]
    if result.audience is not None:
        lines.append(result.audience.format())
    lines.append(f"{result.errors} error(s), {result.warnings} warning(s) in "
                 f"{result.checked} lesson(s)")
    return "\n".join(lines)


def format_github(result: CheckResult) -> str:
    """GitHub Actions workflow commands, escaped per the toolkit's rules, so each problem is an
    annotation on the pull request's diff."""
    lines = []
    for p in result.problems:
        props = [f"file={github_property(p.path)}"]
        if p.line:
            props.append(f"line={p.line}")
        props.append(f"title={github_property('Lessonbook ' + p.code)}")
        message = p.message + (f" ({p.suggestion})" if p.suggestion else "")
        level = "error" if p.is_error else "warning"
        lines.append(f"::{level} {','.join(props)}::{github_data(message)}")
    lines.append(f"{result.errors} error(s), {result.warnings} warning(s) in "
                 f"{result.checked} lesson(s)")
    return "\n".join(lines)


def format_json(result: CheckResult) -> str:
    document = {
        "version": 1,
        "summary": {"errors": result.errors, "warnings": result.warnings,
                    "lessons": result.checked},
        "problems": [{"path": p.path, "line": p.line, "severity": p.severity.value,
                      "code": p.code, "message": p.message, "suggestion": p.suggestion}
                     for p in result.problems],
        "skipped": result.skipped,
    }
    if result.audience is not None:
        document["audience"] = {"audience": result.audience.audience,
                                "published": result.audience.published,
                                "left_out": result.audience.left_out}
    return for_json(document)


FORMATS = {"text": format_text, "github": format_github, "json": format_json}
