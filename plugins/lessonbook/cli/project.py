"""mkdocs.yml as the CLI sees it: read by MkDocs' own loader, in the MkDocs adapter.

The CLI must judge lessons with the same settings as the build, so ``INHERIT:``, ``!ENV`` and
``!relative`` are resolved by MkDocs itself and the plugin's options validated by the class the
build uses (``mkdocs_adapter/project_config.py``). This module turns that into the
:class:`Project` the commands work on, and prints the configuration's warnings the way
``mkdocs build`` logs them.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..analysis.analyse import Analysis, lesson_settings
from ..load.selection import SELECTS_NOTHING, has_lesson_suffix, selection_problems
from ..load.sources import find_lesson_files, is_lesson_path
from ..model.options import ConfigError, Options, SiteConfig
from ..model.problems import Problem, Severity
from ..model.vocabulary import Settings
from ..pipeline import Run, Session

__all__ = ["ConfigError", "Project", "configuration_problems", "load_project", "open_project",
           "project_settings"]


@dataclass
class Project:
    """Where the lessons are, and the plugin options they are validated and linted with."""

    config_path: Path | None
    docs_dir: Path
    options: Options = field(default_factory=Options)
    option_warnings: list[str] = field(default_factory=list)
    """Configuration warnings, as `mkdocs build` logs them (and fails on with --strict)."""
    strict: bool = False
    """mkdocs.yml's own `strict:` setting."""
    site: SiteConfig | None = None
    """Everything read from mkdocs.yml (site_url, the INHERIT chain, ...); None for a
    project made without one."""

    @property
    def site_url(self) -> str | None:
        """Where the site is published (`lessonbook review` links to its pages)."""
        return self.site.site_url if self.site is not None else None

    @property
    def use_directory_urls(self) -> bool:
        """How the site's page URLs look (MkDocs' setting of the same name)."""
        return self.site is None or self.site.settings.get("use_directory_urls", True) \
            is not False

    @property
    def root(self) -> Path:
        return self.config_path.parent if self.config_path else Path.cwd()

    @property
    def settings(self) -> Settings:
        """The lesson settings, with the files mkdocs.yml's ``exclude_docs`` and
        ``draft_docs`` keep out of a build left out here too."""
        settings = lesson_settings(self.options)
        if self.site is None:
            return settings
        lines = [line for key in ("exclude_docs", "draft_docs")
                 if isinstance(value := self.site.settings.get(key), str)
                 for line in value.splitlines()]
        return replace(settings, docs_exclude=tuple(lines)) if lines else settings

    def run(self, *, audience: str | None = None, build_date: dt.date | None = None,
            session: Session | None = None) -> Run:
        """A run over this project's lessons, as the build would make it (optionally for
        another audience, judged on another day, or with what an earlier run kept)."""
        options = self.options if audience is None else replace(self.options,
                                                                audience=audience)
        return Run(options, build_date=build_date, template_dir=self.root / "templates",
                   session=session)


def project_settings(config_path: str | os.PathLike[str], *, optional: bool) -> Settings:
    """The settings of a mkdocs.yml, or the built-in defaults when ``optional`` and there is
    no such file (commands that also work outside a site). Raises ConfigError."""
    if optional and not Path(config_path).is_file():
        return Settings()
    return load_project(config_path).settings


def load_project(config_path: str | os.PathLike[str]) -> Project:
    """The project of a mkdocs.yml, read as `mkdocs build` reads it; raises ConfigError with
    a message naming the file (and the inherited file) and what to do."""
    try:
        from ..mkdocs_adapter.project_config import read_site_config
    except ImportError as exc:  # the CLI is installed with MkDocs; say so if it is not
        raise ConfigError(f"{config_path}: cannot read it without MkDocs ({exc}): install "
                          "Lessonbook with its dependencies (`pip install lessonbook`)"
                          ) from None
    site = read_site_config(config_path)
    warnings = [f"{config_path}: {w}" for w in site.warnings]
    if not site.plugin_enabled:
        warnings.append(f"{config_path}: the lessonbook plugin is not in `plugins:` (or has "
                        "`enabled: false`): `mkdocs build` would publish every file as a "
                        "plain page, unchecked and for any audience")
    docs_dir = Path(site.docs_dir)
    if not Path(config_path).is_absolute():  # paths printed as the user gave them
        docs_dir = Path(os.path.relpath(docs_dir))
    return Project(Path(config_path), docs_dir, site.options, warnings,
                   strict=site.strict, site=site)


def open_project(command: str, config_path: str | os.PathLike[str]) -> Project | None:
    """The project for a subcommand, its configuration warnings printed as `mkdocs build`
    prints them; None (the message printed) when mkdocs.yml cannot be used: exit 2."""
    try:
        project = load_project(config_path)
    except ConfigError as exc:
        for line in str(exc).splitlines():
            print(f"lessonbook {command}: {line}", file=sys.stderr)
        return None
    for warning in project.option_warnings:
        print(f"lessonbook {command}: {warning}", file=sys.stderr)
    return project


def configuration_problems(project: Project, analysis: Analysis | None = None
                           ) -> list[Problem]:
    """What the build says about the options' choice of lessons (load/selection.py), paths
    as the user sees them: warnings for options that name nothing (with ``analysis``, the
    ``start_here`` ids too). Files outside the selection with lesson front-matter are
    refused where the sources are read (load/sources.py), as in the build."""
    from ..site.start_here import start_here_notes

    config = str(project.config_path or "mkdocs.yml")
    if not project.docs_dir.is_dir():
        return []
    settings = project.settings
    markdown = [p for p in find_lesson_files(project.docs_dir, _every_markdown(settings))
                if has_lesson_suffix(p)]
    lessons = [p for p in markdown if is_lesson_path(p, settings)]
    notes = [] if analysis is None else [
        Problem(config, None, Severity.WARNING, note, None, code=SELECTS_NOTHING)
        for note in start_here_notes(analysis)]
    return [*selection_problems(config, project.docs_dir, settings, markdown, lessons),
            *notes]


def _every_markdown(settings: Settings) -> Settings:
    from dataclasses import replace

    return replace(settings, lesson_dirs=(".",), exclude=())
