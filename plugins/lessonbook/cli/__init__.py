"""The `lessonbook` command line: a thin edge over the same core as the MkDocs plugin."""

from .main import build_parser, main, program

__all__ = ["build_parser", "main", "program"]
