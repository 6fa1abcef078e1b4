"""mkdocs.yml read by MkDocs' own YAML loader, for the command line.

`lessonbook check` must judge lessons with the settings the build uses, so the file is read the
way MkDocs reads it: ``INHERIT:`` (a base file deep-merged under this one), ``!ENV`` and
``!relative`` all come from MkDocs' loader (``mkdocs.utils.yaml``), and the plugin's options are
validated by the very config class the build validates them with (``LessonbookConfig``), after
MkDocs' own handling of ``enabled:``. Messages are worded as MkDocs words them.

Why not ``mkdocs.config.load_config``: it validates the whole site, which imports the theme,
every Markdown extension and every plugin (ours pulls in numpy and the site assembly, a second
and a half before the first lesson is read), and fails on a plugin the build machine has but
an author's laptop lacks. The settings Lessonbook reads (docs_dir, site_url, site_name, strict,
the plugin entry) are resolved here as MkDocs resolves them; a differential test holds this
reading equal to ``load_config``'s on generated configs. The rest of mkdocs.yml is the build's
business.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from mkdocs import exceptions
from mkdocs.utils.yaml import get_yaml_loader, yaml_load

from ..model.options import ConfigError, Options, SiteConfig
from .config import LessonbookConfig

PLUGIN = "lessonbook"


class _Placeholders:
    """What MkDocs' ``!relative`` placeholders read, when a value is used as a path."""

    _current_page = None

    def __init__(self, config_file: str) -> None:
        self.config_file_path = config_file
        self.docs_dir = os.path.join(os.path.dirname(config_file), "docs")


def read_site_config(config_file: str | os.PathLike[str]) -> SiteConfig:
    """mkdocs.yml as the build sees it; raises ConfigError (file named, what to do)."""
    shown = os.fspath(config_file)
    path = os.path.abspath(shown)
    placeholders = _Placeholders(path)
    data, files = _load(shown, path, placeholders)
    where = shown if len(files) < 2 else (
        f"{shown} (with {', '.join(_relative(f, path) for f in files[1:])}, which it inherits)")
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a mapping of settings, like `site_name: ...`")
    docs_dir = _docs_dir(data.get("docs_dir"), path, where)
    placeholders.docs_dir = docs_dir
    options, enabled, warnings = _plugin(data.get("plugins", ["search"]), path, where)
    strict = data.get("strict")
    if strict is not None and not isinstance(strict, bool):
        raise ConfigError(f"{where}: Config value 'strict': must be true or false")
    name = data.get("site_name")
    return SiteConfig(path, docs_dir, options, site_url=_site_url(data.get("site_url"), where),
                      site_name=name if isinstance(name, str) else "", strict=strict is True,
                      plugin_enabled=enabled, files=tuple(files), warnings=tuple(warnings),
                      settings=data)


def _load(shown: str, path: str, placeholders: _Placeholders) -> tuple[Any, list[str]]:
    """MkDocs' loader, recording every file it opens (this one, then what it inherits)."""
    files: list[str] = []

    class Recording(yaml.Loader):  # type: ignore[misc]  # MkDocs' base loader
        def __init__(self, stream: Any) -> None:
            super().__init__(stream)
            files.append(os.fspath(getattr(stream, "name", path)))

    loader = get_yaml_loader(loader=Recording, config=placeholders)  # type: ignore[arg-type]
    try:
        with open(path, "rb") as stream:
            return yaml_load(stream, loader), files
    except FileNotFoundError as exc:
        if not files:
            raise ConfigError(f"{shown}: no such file (pass --config PATH to mkdocs.yml)"
                              ) from None
        raise ConfigError(f"{_relative(files[-1], path)}: INHERIT: cannot read "
                          f"{exc.filename}") from None
    except exceptions.ConfigurationError as exc:
        hint = (" (INHERIT is relative to the file that names it)"
                if "Inherited config file" in str(exc) else "")
        raise ConfigError(f"{_relative(files[-1] if files else path, path)}: {exc}{hint}"
                          ) from None
    except RecursionError:
        chain = " → ".join(_relative(f, path) for f in files[:4])
        raise ConfigError(f"{shown}: INHERIT goes round in a circle ({chain} → ...): a file "
                          "must not inherit itself, directly or through others") from None
    except (OSError, TypeError, ValueError) as exc:
        # An INHERIT that is not text, a folder, a file we may not read.
        what = getattr(exc, "strerror", None) or exc
        raise ConfigError(f"{_relative(files[-1] if files else path, path)}: cannot read the "
                          f"configuration: {what}") from None


def _relative(file: str, config_file: str) -> str:
    """A file of the INHERIT chain, named relative to the folder of mkdocs.yml when inside."""
    try:
        return Path(file).relative_to(Path(config_file).parent).as_posix()
    except ValueError:
        return file


def _docs_dir(value: Any, config_file: str, where: str) -> str:
    """MkDocs' DocsDir: relative to the config file's folder, never that folder itself.
    Whether it exists is each command's concern (`lessonbook new` may create it)."""
    value = "docs" if value is None else value
    if not isinstance(value, str):
        raise ConfigError(f"{where}: Config value 'docs_dir': must be a folder name, not "
                          f"{type(value).__name__}")
    folder = os.path.abspath(os.path.join(os.path.dirname(config_file), value))
    if folder == os.path.dirname(config_file):
        raise ConfigError(f"{where}: Config value 'docs_dir': The 'docs_dir' should not be the "
                          "parent directory of the config file. Use a child directory instead "
                          "so that the 'docs_dir' is a sibling of the config file.")
    return folder


def _site_url(value: Any, where: str) -> str | None:
    """MkDocs' ``site_url`` (a directory URL: it ends in a slash)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ConfigError(f"{where}: Config value 'site_url': must be a URL, not "
                          f"{type(value).__name__}")
    parts = urlsplit(value)
    if not parts.path.endswith("/"):
        parts = parts._replace(path=parts.path + "/")
    return parts.geturl()


def _plugin(plugins: Any, config_file: str, where: str) -> tuple[Options, bool, list[str]]:
    """The lessonbook entry of ``plugins:``, validated as MkDocs validates it: its options,
    whether it runs, and the warnings MkDocs would log."""
    entries = list(_entries(plugins, where))
    ours = [cfg for name, cfg in entries if name.lstrip("/") == PLUGIN]
    if not ours:
        return Options(), False, []
    warnings = ([f"Plugin '{PLUGIN}' was specified multiple times - this is likely a mistake, "
                 "because the plugin doesn't declare `supports_multiple_instances`."]
                if len(ours) > 1 else [])
    raw = ours[0] or {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: Config value 'plugins': Invalid config options for the "
                          f"'{PLUGIN}' plugin.")
    raw = dict(raw)
    enabled = raw.pop("enabled", True)
    if not isinstance(enabled, bool):
        raise ConfigError(f"{where}: Config value 'plugins': Plugin '{PLUGIN}' option "
                          f"'enabled': Expected boolean but received: {type(enabled)}")
    if not enabled:
        return Options(), False, warnings
    config = LessonbookConfig(config_file_path=config_file)
    config.load_dict(raw)
    errors, warns = config.validate()
    if errors:
        raise ConfigError("\n".join(f"{where}: Plugin '{PLUGIN}' option '{key}': {error}"
                                    for key, error in errors))
    warnings.extend(f"Plugin '{PLUGIN}' option '{key}': {message}" for key, message in warns)
    return config.options, True, warnings


def _entries(plugins: Any, where: str) -> Any:
    """(name, options) of each entry, in MkDocs' two spellings: a list of names and one-key
    mappings, or a mapping of names to options."""
    if isinstance(plugins, dict):
        yield from plugins.items()
        return
    if not isinstance(plugins, list | tuple):
        raise ConfigError(f"{where}: Config value 'plugins': Invalid Plugins configuration. "
                          "Expected a list or dict.")
    for item in plugins:
        if isinstance(item, dict):
            if len(item) != 1:
                raise ConfigError(f"{where}: Config value 'plugins': Invalid Plugins "
                                  "configuration (one name per list item, its options "
                                  "indented under it)")
            yield next(iter(item.items()))
        elif isinstance(item, str):
            yield item, {}
        else:
            raise ConfigError(f"{where}: Config value 'plugins': '{item}' is not a valid "
                              "plugin name.")
