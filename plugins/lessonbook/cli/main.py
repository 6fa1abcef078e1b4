"""The ``lessonbook`` command line: a second thin edge over the same core as the MkDocs plugin."""

from __future__ import annotations

import argparse
import contextlib
import os
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


SIGPIPE_STATUS = 141
"""What a shell reports for a command ended by SIGPIPE (128 + 13): `lessonbook due | head -1`."""


def main(argv: Sequence[str] | None = None) -> int:
    _never_fail_on_encoding()
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 0
    try:
        status = int(handler(args) or 0)
        sys.stdout.flush()  # a reader that went away is noticed here, not at exit
        return status
    except KeyboardInterrupt:
        print("lessonbook: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (head, grep -q, a closed pager) has what it wanted: stop quietly, as Unix
        # tools do. Python would flush stdout again at exit and complain; point it at devnull.
        _silence_stdout()
        return SIGPIPE_STATUS


def _never_fail_on_encoding() -> None:
    """Text that the terminal's encoding cannot show is printed as escapes, never a
    UnicodeEncodeError (model/text.py already escapes what no encoding should show)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def _silence_stdout() -> None:
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


if __name__ == "__main__":
    sys.exit(main())
