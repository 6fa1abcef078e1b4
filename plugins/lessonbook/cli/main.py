"""The ``lessonbook`` command line: a second thin edge over the same core as the MkDocs plugin."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import os
import sys
import threading
from collections.abc import Sequence
from typing import NoReturn

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


QUICK_EXIT = frozenset({"review"})
"""Commands whose program leaves without tearing the interpreter down (:func:`program`):
`review` holds some ten million objects at 10,000 lessons, and freeing them one by one at
exit cost 0.2 s of a five-second budget for nothing. Each such command has written, flushed
and closed everything it writes (its output, the review cache) before it returns."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; its exit status. Returns (never exits): tests and programs call it
    in-process."""
    return _run(argv)[0]


def program() -> NoReturn:
    """The ``lessonbook`` program (the console script, ``python -m lessonbook.cli.main``):
    :func:`main`, then exit. After a :data:`QUICK_EXIT` command the process leaves at once,
    as Python's own exit would but for freeing every object: threads are waited for (there
    are none, or the normal exit is taken), the ``atexit`` handlers run, the standard
    streams are flushed, then ``os._exit``. Nothing written is lost."""
    status, command = _run(None)
    if command in QUICK_EXIT:
        _leave(status)
    sys.exit(status)


def _run(argv: Sequence[str] | None) -> tuple[int, str | None]:
    _never_fail_on_encoding()
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 0, None
    try:
        status = int(handler(args) or 0)
        sys.stdout.flush()  # a reader that went away is noticed here, not at exit
        return status, args.command
    except KeyboardInterrupt:
        print("lessonbook: interrupted", file=sys.stderr)
        return 130, None
    except BrokenPipeError:
        # The reader (head, grep -q, a closed pager) has what it wanted: stop quietly, as Unix
        # tools do. Python would flush stdout again at exit and complain; point it at devnull.
        _silence_stdout()
        return SIGPIPE_STATUS, None


def _leave(status: int) -> None:
    """Exit now, skipping only the interpreter's teardown; returns (for the normal exit)
    when that would not be safe: a thread still running, no ``atexit`` runner to call (not
    CPython), or a stream that cannot be flushed (Python's own exit then reports it)."""
    run_handlers = getattr(atexit, "_run_exitfuncs", None)
    if threading.active_count() > 1 or run_handlers is None:
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    run_handlers()  # logging's flush, multiprocessing's clean-up, temporary folders...
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        status = status or 120  # what Python's exit reports when stdout cannot be flushed
    os._exit(status)


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
    program()
