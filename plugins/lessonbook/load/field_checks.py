"""One front-matter mapping checked against its field specs: each value cleaned to its type
(text, id, date, choice, list, duration, count, nested mapping), page meta MkDocs reads
checked, every problem reported at its key's line."""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import PurePosixPath
from typing import Any

from ..model.durations import DurationError, parse_duration
from ..model.fields import HIDE_VALUES, LESSON_TEMPLATE, PASSTHROUGH_KEYS, FieldSpec
from ..model.problems import Problem, Severity, did_you_mean
from ..model.vocabulary import Settings
from .parsing import SourceDocument
from .slugs import ID_MAX, ID_PATTERN, slugify

_ICON = re.compile(r"^[a-z0-9][a-z0-9_-]*(?:/[a-z0-9][a-z0-9_-]*)+$")


UNKNOWN_DATE = "unknown"
"""A lesson's ``date`` when nobody knows it yet (``lessonbook import`` never guesses one): a
warning, so an error under ``--strict``, until the author writes the day."""


class _Checker:
    def __init__(self, doc: SourceDocument, settings: Settings) -> None:
        self.doc = doc
        self.settings = settings
        self.problems: list[Problem] = []
        self.quiet: set[tuple[str | int, ...]] = set()
        """Fields already reported as holding text no lesson may hold: nothing more is said
        of them (or of what is under them), so each problem is one message."""

    def report(self, path: tuple[str | int, ...], message: str, suggestion: str | None = None,
               severity: Severity = Severity.ERROR, code: str = "invalid") -> None:
        if self.quiet and any(path[:n] in self.quiet for n in range(len(path) + 1)):
            return
        self.problems.append(Problem(self.doc.path, self.doc.line_of(*path), severity, message,
                                     suggestion, code))

    def mapping(self, data: Any, specs: tuple[FieldSpec, ...], path: tuple[str | int, ...],
                kind: str | None = None) -> dict[str, Any]:
        if not isinstance(data, dict):
            where = _name(path) or "front-matter"
            self.report(path, f"{where} must be a mapping of 'key: value' lines, "
                              f"not {_describe(data)}", code="type")
            return {}
        by_name = {spec.name: spec for spec in specs}
        clean: dict[str, Any] = {}
        for raw_key, value in data.items():
            key = str(raw_key)
            spec = by_name.get(key)
            if spec is None:
                if not path and key in PASSTHROUGH_KEYS:
                    self.page_meta(key, value)
                    continue
                if not path and key in self.settings.extra_keys:
                    continue
                self.report((*path, key), f"unknown key {_dotted(path, key)!r}",
                            did_you_mean(key, by_name) or "remove it, or check the "
                            "front-matter reference", Severity.WARNING, code="unknown-key")
                continue
            if spec.kinds and kind and kind not in spec.kinds:
                self.report((*path, key), f"{key!r} belongs to a {' or '.join(spec.kinds)}, "
                            f"not a {kind}; it is ignored", severity=Severity.WARNING,
                            code="wrong-kind")
                continue
            if value is None or value == "" or value == []:
                continue
            cleaned = self.value(value, spec, (*path, key), kind)
            if cleaned is not None:
                clean[key] = cleaned
        for spec in specs:
            if spec.required and spec.name not in clean and not _present(data, spec.name):
                hint = (_title_from_file(self.doc.path) if spec.name == "title" and not path
                        else None)
                self.report(path, f"missing required field {_dotted(path, spec.name)!r}",
                            f"add 'title: {hint}' (from the file name)" if hint
                            else _hint(spec), code="missing")
            elif spec.name not in clean and spec.default is not None:
                clean[spec.name] = spec.default
        return clean

    def value(self, value: Any, spec: FieldSpec, path: tuple[str | int, ...],
              kind: str | None) -> Any:
        match spec.type:
            case "text":
                if isinstance(value, str | int | float) and not isinstance(value, bool):
                    return str(value).strip()
                self.report(path, f"{_name(path)} must be text, not {_describe(value)}",
                            code="type")
            case "id":
                if isinstance(value, str | int) and not isinstance(value, bool):
                    text = str(value).strip()
                    if len(text) > ID_MAX:
                        self.report(path, f"{_name(path)} is {len(text):,} characters long; "
                                    f"an id has at most {ID_MAX}",
                                    "use a short id like pm-2025-014", code="id")
                        return None
                    if ID_PATTERN.match(text):
                        return text
                    self.report(path, f"{_name(path)} {text!r} is not a valid id: use "
                                "letters, digits, '-', '_' or '.'",
                                f"try {slugify(text)!r}" if slugify(text) else None, code="id")
                else:
                    self.report(path, f"{_name(path)} must be an id, not {_describe(value)}",
                                code="type")
            case "date":
                return self.date(value, path)
            case "choice":
                return self.choice(value, spec, path)
            case "choices":
                items = self.list_of(value, path)
                out = [self.choice(item, spec, (*path, i)) for i, item in enumerate(items)]
                return _unique([o for o in out if o is not None])
            case "texts":
                items = self.list_of(value, path)
                out = []
                for i, item in enumerate(items):
                    if isinstance(item, str | int | float) and not isinstance(item, bool):
                        if str(item).strip():
                            out.append(str(item).strip())
                    else:
                        self.report((*path, i), f"{_name(path)} items must be text, "
                                    f"not {_describe(item)}", code="type")
                return _unique(out)
            case "ids":
                items = self.list_of(value, path)
                sub = FieldSpec(spec.name, "id", spec.doc)
                out = [self.value(item, sub, (*path, i), kind) for i, item in enumerate(items)]
                return _unique([o for o in out if o is not None])
            case "duration":
                try:
                    return parse_duration(value)
                except DurationError as exc:
                    self.report(path, f"{_name(path)}: {exc}", code="duration")
            case "count":
                if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                    return value
                if isinstance(value, str) and value.replace(",", "").replace("_", "").isdigit():
                    return int(value.replace(",", "").replace("_", ""))
                self.report(path, f"{_name(path)} must be a whole number of 0 or more, "
                            f"not {value!r}", code="type")
            case "mapping":
                return self.mapping(value, spec.fields, path, kind) or None
            case "mappings":
                if isinstance(value, dict):
                    self.report(path, f"{_name(path)} must be a list: start each item with '- '",
                                code="type")
                    return None
                items = self.list_of(value, path)
                out = []
                for i, item in enumerate(items):
                    cleaned = self.mapping(item, spec.fields, (*path, i), kind)
                    if cleaned:
                        cleaned["_line"] = self.doc.line_of(*path, i)
                        out.append(cleaned)
                return out
        return None

    def page_meta(self, key: str, value: Any) -> None:
        """Keys MkDocs or Material read from a lesson's page meta. They reach templates and
        file look-ups unchecked, so a value of the wrong type or a template path out of the
        theme would crash the build or read a file it must not: each is an error here."""
        path = (key,)
        if value is None:
            return
        match key:
            case "template":
                if value != LESSON_TEMPLATE:
                    self.report(path, f"template {value!r} is not accepted: a lesson page "
                                f"always renders with {LESSON_TEMPLATE}",
                                f"remove it; to change how lessons look, put your own "
                                f"{LESSON_TEMPLATE} in the theme's custom_dir", code="template")
            case "hide":
                items = value if isinstance(value, list) else [value]
                for i, item in enumerate(items):
                    if not isinstance(item, str) or item not in HIDE_VALUES:
                        where = (key, i) if isinstance(value, list) else path
                        self.report(where, f"hide: {item!r} is not one of "
                                    f"{', '.join(HIDE_VALUES)}",
                                    (did_you_mean(item, HIDE_VALUES) if isinstance(item, str)
                                     else None) or "write hide: [toc] or similar",
                                    code="page-meta")
            case "search":
                if not isinstance(value, dict):
                    self.report(path, f"search must be a mapping like 'exclude: true', not "
                                f"{_describe(value)}", code="page-meta")
                    return
                for name, item in value.items():
                    ok = ((name == "exclude" and isinstance(item, bool))
                          or (name == "boost" and isinstance(item, int | float)
                              and not isinstance(item, bool)))
                    if not ok:
                        self.report((key, str(name)), f"search.{name}: {item!r} is not "
                                    "accepted", "use search: {exclude: true} or "
                                    "search: {boost: 2}", code="page-meta")
            case "icon":
                if not (isinstance(value, str) and _ICON.match(value)):
                    self.report(path, f"icon {value!r} is not an icon name",
                                "write it like material/alert", code="page-meta")
            case "comments":
                if not isinstance(value, bool):
                    self.report(path, f"comments must be true or false, not {_describe(value)}",
                                code="page-meta")
            case "description":
                if not isinstance(value, str | int | float) or isinstance(value, bool):
                    self.report(path, f"description must be text, not {_describe(value)}",
                                code="page-meta")

    def list_of(self, value: Any, path: tuple[str | int, ...]) -> list[Any]:
        if isinstance(value, list):
            return value
        if isinstance(value, str):
            return [value]
        self.report(path, f"{'.'.join(map(str, path))} must be a list, not {_describe(value)}",
                    code="type")
        return []

    def date(self, value: Any, path: tuple[str | int, ...]) -> dt.date | None:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = str(value).strip() if isinstance(value, str | int) else None
        if path == ("date",) and text and text.lower() == UNKNOWN_DATE:
            self.report(path, "date is 'unknown': no date was found when this lesson was "
                        "imported", "write the day the incident began, like 2025-03-14",
                        Severity.WARNING, code="date-unknown")
            return dt.date.min  # kept last in every list; insights leave it out
        if text and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError as exc:
                self.report(path, f"{_name(path)} {text!r} is not a real date ({exc})",
                            "check the day and month", code="date")
                return None
        if text and re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ][\d:.+\-Z]+", text):
            try:
                return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
            except ValueError:
                pass
        self.report(path, f"{_name(path)} must be an ISO date like 2025-03-14, not {value!r}",
                    code="date")
        return None

    def choice(self, value: Any, spec: FieldSpec, path: tuple[str | int, ...]) -> str | None:
        assert spec.vocabulary
        options = self.settings.vocabulary(spec.vocabulary)
        if not isinstance(value, str | int) or isinstance(value, bool):
            self.report(path, f"{_name(path)} must be one of {', '.join(options)}, "
                        f"not {_describe(value)}", code="type")
            return None
        text = str(value).strip()
        if isinstance(options, tuple):
            found = _by_lower(options).get(text.lower())
            if found is not None:
                return found
        else:
            for option in options:
                if option.lower() == text.lower():
                    return option
        hint = did_you_mean(text, options) or f"use one of {', '.join(options)}"
        self.report(path, f"{_name(path)} {text!r} is not one of {', '.join(options)}", hint,
                    code="choice")
        return None



def _present(data: dict[str, Any], key: str) -> bool:
    return key in data and data[key] not in (None, "", [])


def _title_from_file(path: str) -> str | None:
    """The title a file name implies: pm-2026-001-checkout-timeouts-after-a-pool-change.md →
    "Checkout timeouts after a pool change" (the id part left out); None when only an id is
    left."""
    stem = PurePosixPath(path).stem
    words = re.sub(r"^[A-Za-z]+-\d{4}-\d+(?:[-_]|$)", "", stem)
    words = " ".join(re.sub(r"[-_]+", " ", words).split())
    if not re.search(r"[^\W\d_]", words):
        return None
    return words[:1].upper() + words[1:]


def _hint(spec: FieldSpec) -> str:
    examples = {"title": "title: Checkout timeouts after a pool change",
                "type": "type: postmortem", "date": "date: 2025-03-14"}
    return f"add '{examples[spec.name]}'" if spec.name in examples else f"add {spec.name}:"


def _name(path: tuple[str | int, ...]) -> str:
    """`('follow_ups', 0, 'due')` → `follow_ups[1].due`, counting items from 1 as authors do."""
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _dotted(path: tuple[str | int, ...], key: str) -> str:
    return _name((*path, key))


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return f"the number {value}"
    return repr(value)


@functools.lru_cache(maxsize=64)
def _by_lower(options: tuple[str, ...]) -> dict[str, str]:
    """Each option by its lower case, the first one where two share it: what comparing the
    lower cases in order finds, without lowering every option for every value."""
    table: dict[str, str] = {}
    for option in options:
        table.setdefault(option.lower(), option)
    return table


def _unique(items: list[Any]) -> list[Any]:
    seen: set[Any] = set()
    return [x for x in items if not (x in seen or seen.add(x))]
