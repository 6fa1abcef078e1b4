"""The ``lessonbook`` command line: a second thin edge over the same core as the MkDocs plugin."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lessonbook",
        description="Lessonbook: scaffold, check and export a knowledge base of lessons "
        "(postmortems, after-action reviews, near misses, pre-mortems, experiments).",
    )
    parser.add_argument("--version", action="version", version=f"lessonbook {__version__}")
    parser.add_subparsers(dest="command", metavar="COMMAND")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
