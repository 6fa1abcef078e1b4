"""Shared fixtures: write a small site in a temp folder, build it with MkDocs, read the output."""

from __future__ import annotations

import json
import os
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from lessonbook.load.sources import Source

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"


def lesson_text(front: dict[str, Any] | str, body: str = "## Summary\n\nWhat happened.\n") -> str:
    """A lesson file from a front-matter mapping (or raw YAML text) and a body."""
    fm = front if isinstance(front, str) else yaml.safe_dump(front, sort_keys=False,
                                                             allow_unicode=True)
    return f"---\n{textwrap.dedent(fm).strip()}\n---\n{body}"


@dataclass
class BuiltSite:
    root: Path
    site: Path
    ok: bool
    log: str

    def html(self, url: str) -> str:
        """HTML of a site-relative URL such as 'lessons/' or '2025/pm-1/'."""
        path = self.site / url
        if url.endswith("/") or url == "":
            path = path / "index.html"
        return path.read_text(encoding="utf-8")

    def json(self, name: str) -> Any:
        return json.loads((self.site / name).read_text(encoding="utf-8"))


def write_site(root: Path, files: dict[str, str | bytes], plugin_config: dict[str, Any] | None
               = None, extra_config: dict[str, Any] | None = None) -> Path:
    """Write mkdocs.yml and docs/ files under root; returns the mkdocs.yml path."""
    docs = root / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        target = docs / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    config: dict[str, Any] = {
        "site_name": "Test lessons",
        "docs_dir": "docs",
        "site_dir": "site",
        "theme": {"name": "material", "font": False, "features": ["navigation.instant"]},
        "plugins": ["search", {"lessonbook": plugin_config or {}}],
        "markdown_extensions": ["admonition", "tables", "attr_list", "md_in_html"],
    }
    config.update(extra_config or {})
    path = root / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def build(config_file: Path, strict: bool = False, log_level: int | None = None) -> BuiltSite:
    """Run a real MkDocs build in-process (load_config → build), capturing its log (warnings
    and above, as a plain `mkdocs build` shows them; ``log_level``: from that level)."""
    import logging

    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(f"{record.levelname}: {record.getMessage()}")

    handler = Collect(level=logging.DEBUG)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    level = logger.level
    if log_level is not None:
        logger.setLevel(log_level)
    ok = True
    try:
        config = load_config(str(config_file), strict=strict)
        mkdocs_build(config)
    except (Abort, MkDocsException) as exc:
        ok = False
        records.append(f"ABORT: {exc}")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return BuiltSite(config_file.parent, config_file.parent / "site", ok, "\n".join(records))


@pytest.fixture
def make_site(tmp_path: Path):
    """make_site(files, plugin_config=None, strict=False, extra_config=None) -> BuiltSite."""

    def _make(files: dict[str, str | bytes], plugin_config: dict[str, Any] | None = None,
              strict: bool = False, extra_config: dict[str, Any] | None = None) -> BuiltSite:
        return build(write_site(tmp_path, files, plugin_config, extra_config), strict=strict)

    return _make


def broken_sources(duplicate: bytes) -> list[Source]:
    """Files with a problem of every kind a check reports rather than crashes on: empty, bad
    YAML, bad field values (with blame language), a duplicate of ``duplicate``'s id, and one
    that could not be read."""
    return [
        Source("bad/empty.md", b""),
        Source("bad/yaml.md", b"---\ntitle: [x\n---\n"),
        Source("bad/fields.md", b"---\ntitle: T\ntype: postmortem\ndate: 2025-02-30\n"
                                b"severity: SEV9\nrelated: [nope]\n---\nJohn Smith failed to "
                                b"check. Human error.\n"),
        Source("bad/dup.md", duplicate),
        Source("bad/unreadable.md", None, "permission denied"),
    ]
