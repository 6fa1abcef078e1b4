"""mkdocs.yml as the CLI sees it, without importing MkDocs.

The CLI must validate with the same settings as the build, so it reads ``docs_dir`` and the
``lessonbook`` plugin options from the same file. MkDocs configs use tags PyYAML's safe loader
rejects (``!ENV``, ``!!python/name:...`` for Material's emoji); the loader here resolves ``!ENV``
and turns every other tag into its plain value so reading never fails on them.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..analysis.analyse import lesson_settings
from ..model.options import OptionProblem, Options, parse_options
from ..model.vocabulary import Settings


class ConfigError(Exception):
    """mkdocs.yml is missing, unreadable or not a mapping: a one-line message for the user."""


class _ConfigLoader(yaml.SafeLoader):
    pass


def _env(loader: _ConfigLoader, node: yaml.Node) -> Any:
    """MkDocs' `!ENV NAME` / `!ENV [NAME, OTHER, default]`."""
    if isinstance(node, yaml.ScalarNode):
        return os.environ.get(str(loader.construct_scalar(node)))
    if isinstance(node, yaml.SequenceNode):
        items = loader.construct_sequence(node)
        for name in items[:-1]:
            if str(name) in os.environ:
                return os.environ[str(name)]
        if items and str(items[-1]) in os.environ:
            return os.environ[str(items[-1])]
        return items[-1] if len(items) > 1 else None
    return None


def _any_tag(loader: _ConfigLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]


_ConfigLoader.add_constructor("!ENV", _env)
_ConfigLoader.add_multi_constructor("!", _any_tag)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)


@dataclass
class Project:
    """Where the lessons are, and the plugin options they are validated and linted with."""

    config_path: Path | None
    docs_dir: Path
    options: Options = field(default_factory=Options)
    option_warnings: list[str] = field(default_factory=list)
    """Unknown options, as `mkdocs build` warns about them (and fails on with --strict)."""
    strict: bool = False
    """mkdocs.yml's own `strict:` setting."""
    site_url: str | None = None
    use_directory_urls: bool = True
    """Where the site is published and how its page URLs look (`lessonbook review` links)."""

    @property
    def root(self) -> Path:
        return self.config_path.parent if self.config_path else Path.cwd()

    @property
    def settings(self) -> Settings:
        return lesson_settings(self.options)


def project_settings(config_path: str | os.PathLike[str], *, optional: bool) -> Settings:
    """The settings of a mkdocs.yml, or the built-in defaults when ``optional`` and there is
    no such file (commands that also work outside a site). Raises ConfigError."""
    if optional and not Path(config_path).is_file():
        return Settings()
    return load_project(config_path).settings


def load_project(config_path: str | os.PathLike[str]) -> Project:
    """Read mkdocs.yml; raises ConfigError with a one-line message. The plugin's options are
    checked by the same code as in `mkdocs build` (model/options.py): a value MkDocs rejects is
    a ConfigError naming the option here too."""
    path = Path(config_path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file (pass --config PATH to mkdocs.yml)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}"
                          ) from None
    try:
        data = yaml.load(text, Loader=_ConfigLoader) or {}  # noqa: S506 - safe subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{path}{where}: not valid YAML: "
                          f"{getattr(exc, 'problem', None) or exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of settings")
    options, problems = parse_options(plugin_options(data))
    errors = [p for p in problems if p.is_error]
    if errors:
        raise ConfigError("; ".join(f"{path}: {_plugin_message(p)}" for p in errors))
    docs_dir = path.parent / str(data.get("docs_dir") or "docs")
    return Project(path, docs_dir, options, [f"{path}: {_plugin_message(p)}" for p in problems],
                   strict=data.get("strict") is True,
                   site_url=str(data["site_url"]) if data.get("site_url") else None,
                   use_directory_urls=data.get("use_directory_urls") is not False)


def open_project(command: str, config_path: str | os.PathLike[str]) -> Project | None:
    """The project for a subcommand, its option warnings printed as `mkdocs build` prints
    them; None (the message printed) when mkdocs.yml cannot be used: the command exits 2."""
    try:
        project = load_project(config_path)
    except ConfigError as exc:
        print(f"lessonbook {command}: {exc}", file=sys.stderr)
        return None
    for warning in project.option_warnings:
        print(f"lessonbook {command}: {warning}", file=sys.stderr)
    return project


def _plugin_message(problem: OptionProblem) -> str:
    """Worded as MkDocs words it: "Plugin 'lessonbook' option 'NAME': MESSAGE"."""
    return f"Plugin 'lessonbook' option {problem.name!r}: {problem.message}"


def plugin_options(config: dict[str, Any]) -> Any:
    """The `lessonbook` entry of `plugins:` (a list of names/mappings, or a mapping)."""
    plugins = config.get("plugins") or []
    entries = plugins.items() if isinstance(plugins, dict) else (
        next(iter(p.items())) if isinstance(p, dict) and len(p) == 1 else (p, {})
        for p in plugins)
    for name, options in entries:
        if isinstance(name, str) and name.split("/")[-1] == "lessonbook":
            if isinstance(options, dict):  # `enabled:` is MkDocs' own, for every plugin
                return {k: v for k, v in options.items() if k != "enabled"}
            return {} if options is None else options
    return {}
