"""The shape of the package: layers that import only downwards, modules of one job and a
readable size, and a map (docs/architecture.md) that names every one of them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import REPO

PACKAGE = REPO / "plugins" / "lessonbook"
LAYERS = ["model", "speed", "load", "authoring", "analysis", "site", "pipeline",
          "generate", "mkdocs_adapter", "cli"]
"""Lowest first: a module imports from its own layer and those before it, never after. The
last three are the edges; the core (everything before them) has no MkDocs import."""
EDGES = {"generate", "mkdocs_adapter", "cli"}
MAX_LINES = 500
MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


def _layer(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, top-level name) of every import a module runs: inside the package as its layer,
    outside it as the distribution's name. Imports only for type checkers are left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(node) for block in ast.walk(tree) if isinstance(block, ast.If)
                   and ast.unparse(block.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
                   for stmt in block.body for node in ast.walk(stmt)}
    package = list(path.relative_to(PACKAGE).parts[:-1])
    found = []
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[:len(package) - node.level + 1]
            parts = base + (node.module.split(".") if node.module else [])
            if parts:
                found.append((node.lineno, parts[0]))
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name.split(".")[0]) for alias in node.names)
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_a_module_imports_only_from_its_layer_and_those_below(path):
    layer = _layer(path)
    if layer not in LAYERS:
        return  # lessonbook/__init__.py
    rank = LAYERS.index(layer)
    upward = [f"line {line}: {name}" for line, name in _imports(path)
              if name in LAYERS and LAYERS.index(name) > rank]
    assert upward == [], f"{layer} imports from a layer above it"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_only_the_edges_import_mkdocs(path):
    if _layer(path) in EDGES:
        return
    assert "mkdocs" not in {name for _line, name in _imports(path)}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_module_is_over_five_hundred_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{lines} lines: split it into modules that each do one job"


def test_the_architecture_map_names_every_module_and_package():
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    names = {p.name for p in MODULES if p.name != "__init__.py"}
    names |= {f"{p.parent.name}/" for p in MODULES if p.name == "__init__.py"
              and p.parent != PACKAGE}
    missing = sorted(name for name in names if name not in text)
    assert missing == []
