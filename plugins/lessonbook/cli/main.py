"""The ``lessonbook`` command line: a second thin edge over the same core as the MkDocs plugin."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .. import __version__
from .commands import load_all


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lessonbook",
        description="Lessonbook: scaffold, check and export a knowledge base of lessons "
        "(postmortems, after-action reviews, near misses, pre-mortems, experiments).",
    )
    parser.add_argument("--version", action="version", version=f"lessonbook {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in load_all():
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 0
    try:
        return int(handler(args) or 0)
    except KeyboardInterrupt:
        print("lessonbook: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
