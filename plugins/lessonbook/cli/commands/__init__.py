"""Subcommands of ``lessonbook``; one module each, every module exposing ``register(subparsers)``.

``register`` adds its parser and sets ``handler`` (a function taking the parsed args and
returning an exit status) with ``parser.set_defaults(handler=...)``.
"""

from __future__ import annotations

import importlib

COMMAND_MODULES: tuple[str, ...] = ("new", "check", "review", "due", "schema", "import_",
                                   "generate")
"""Module names inside lessonbook.commands, in --help order."""


def load_all():  # type: ignore[no-untyped-def]
    return [importlib.import_module(f"{__name__}.{name}") for name in COMMAND_MODULES]
