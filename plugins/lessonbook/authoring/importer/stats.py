"""Fields a postmortem's Stats section gives (categories, tags, times to detect and recover)
and the services its title or summary names."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ...load.slugs import slugify
from ...model.durations import DurationError, parse_duration
from ...model.vocabulary import Settings
from .document import Section, find_section, plain

_STAT = re.compile(r"^\s*(?:[-*+][ \t]+)?\**([A-Za-z][A-Za-z ]+?)\**\s*:\s*\**(.*?)\**\s*$")


def read_stats(found: list[Section], meta: dict[str, Any], inferred: list[str], missing: list[str],
           settings: Settings) -> None:
    stats = find_section(found, r"^(stats|statistics|metrics|key stats)\b")
    if not stats:
        missing.append("categories/tags, time_to_detect, time_to_recover: no Stats section")
        return
    for line in stats.lines:
        match = _STAT.match(line)
        if not match:
            continue
        key, value = match.group(1).strip().lower(), plain(match.group(2))
        value = re.sub(r"\[\^[^\]]*\]", "", value).strip().rstrip(".").strip()
        if key in ("category", "categories"):
            for item in [v.strip() for v in re.split(r",|;", value) if v.strip()]:
                slug = slugify(item)
                if slug in settings.categories:
                    meta.setdefault("categories", []).append(slug)
                    inferred.append(f"category {slug!r} from Stats")
                else:
                    meta.setdefault("tags", []).append(item)
                    inferred.append(f"tag {item!r} from Stats (not a configured category)")
        elif key.startswith("time to"):
            name = ("time_to_detect" if re.search(r"detect", key) else
                    "time_to_recover" if re.search(r"recover|resol|mitigat", key) else None)
            if name is None:
                continue
            try:
                parse_duration(value)
            except DurationError:
                missing.append(f"{name}: {value!r} in Stats is not a duration")
                continue
            meta[name] = value
            inferred.append(f"{name} from Stats: {value}")



def services_named(text: str, known: Iterable[str]) -> list[str]:
    """Known services the text names as words ('warehouse-sync' also as 'warehouse sync')."""
    out = []
    for service in sorted(set(known)):
        words = [re.escape(w) for w in re.split(r"[-_ ]+", service) if w]
        if words and re.search(r"(?<![\w-])" + r"[-_ ]".join(words) + r"(?![\w-])", text,
                               re.I):
            out.append(service)
    return out
