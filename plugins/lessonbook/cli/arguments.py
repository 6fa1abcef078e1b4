"""Argument types the commands share, so each says the same thing about the same mistake."""

from __future__ import annotations

import argparse
import datetime as dt


def iso_date(text: str) -> dt.date:
    """An ISO date given on the command line (``--date 2025-03-14``)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date like 2025-03-14: {text!r}") from None
