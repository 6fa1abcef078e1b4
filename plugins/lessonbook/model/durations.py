"""Durations written the way people write them, stored as minutes."""

from __future__ import annotations

import re

_UNITS = {
    "w": 7 * 24 * 60, "wk": 7 * 24 * 60, "wks": 7 * 24 * 60, "week": 7 * 24 * 60,
    "weeks": 7 * 24 * 60,
    "d": 24 * 60, "day": 24 * 60, "days": 24 * 60,
    "h": 60, "hr": 60, "hrs": 60, "hour": 60, "hours": 60,
    "m": 1, "min": 1, "mins": 1, "minute": 1, "minutes": 1,
    "s": 1 / 60, "sec": 1 / 60, "secs": 1 / 60, "second": 1 / 60, "seconds": 1 / 60,
}
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]+)")
_ISO = re.compile(
    r"^P(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)


class DurationError(ValueError):
    pass


def parse_duration(value: object) -> float:
    """Minutes from `8m`, `2h 30m`, `25 minutes`, `1.5h`, `PT25M` or a bare number of minutes."""
    if isinstance(value, bool):
        raise DurationError(f"expected a duration such as '25m' or '2h 30m', got {value!r}")
    if isinstance(value, int | float):
        if value < 0:
            raise DurationError("a duration cannot be negative")
        return float(value)
    if not isinstance(value, str):
        raise DurationError(f"expected a duration such as '25m' or '2h 30m', got {value!r}")
    text = value.strip()
    iso = _ISO.match(text.upper())
    if iso and text.upper() not in ("P", "PT"):
        parts = {k: float(v) if v else 0.0 for k, v in iso.groupdict().items()}
        return parts["d"] * 1440 + parts["h"] * 60 + parts["m"] + parts["s"] / 60
    cleaned = text.lower().replace(",", " ").replace(" and ", " ")
    if re.fullmatch(r"\d+(?:\.\d+)?", cleaned):
        return float(cleaned)
    total = 0.0
    pos = 0
    matched = False
    for match in _PART.finditer(cleaned):
        if cleaned[pos : match.start()].strip():
            break
        unit = match.group(2)
        if unit not in _UNITS:
            raise DurationError(f"unknown unit {unit!r} in duration {value!r}; use m, h or d")
        total += float(match.group(1)) * _UNITS[unit]
        pos = match.end()
        matched = True
    if not matched or cleaned[pos:].strip():
        raise DurationError(
            f"cannot read {value!r} as a duration; write it like '8m', '2h 30m', '25 minutes' "
            "or 'PT25M'"
        )
    return total


def format_minutes(minutes: float | None) -> str:
    """`150` → `2h 30m`; what a reader scans on a card."""
    if minutes is None:
        return ""
    if minutes < 1:
        return f"{round(minutes * 60)}s"
    total = round(minutes)
    days, rest = divmod(total, 1440)
    hours, mins = divmod(rest, 60)
    parts = [f"{days}d"] if days else []
    if hours:
        parts.append(f"{hours}h")
    if mins or not parts:
        parts.append(f"{mins}m")
    return " ".join(parts)
