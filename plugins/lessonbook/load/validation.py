"""Front-matter → :class:`Lesson`, collecting every problem with its line and a suggestion."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import unicodedata
from pathlib import PurePosixPath
from typing import Any

from ..model.durations import DurationError, parse_duration
from ..model.fields import HIDE_VALUES, LESSON_TEMPLATE, PASSTHROUGH_KEYS, FieldSpec
from ..model.kinds import get_kind, lesson_fields
from ..model.lesson import FollowUp, Lesson, RuleDeclaration, RuleUpdate
from ..model.problems import Problem, Severity, did_you_mean
from ..model.vocabulary import Settings
from .parsing import SourceDocument
from .text_fields import text_problems

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_ICON = re.compile(r"^[a-z0-9][a-z0-9_-]*(?:/[a-z0-9][a-z0-9_-]*)+$")


ID_MAX = 100
"""Longest id accepted: ids become file names (import) and anchors."""
SLUG_MAX = 60
"""Longest page slug in characters; it is also kept under SLUG_MAX_BYTES of UTF-8, so a file
name made from it fits every file system's 255-byte limit with room for a prefix."""
SLUG_MAX_BYTES = 160


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by '-'; '' when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def page_slug(text: str, max_chars: int = SLUG_MAX) -> str:
    """A readable, bounded slug for a file name or URL: Latin letters lose their accents, other
    scripts are kept (a Japanese tag gets a Japanese slug), anything else becomes '-'; '' when
    no letter or digit is left. A slug that has to be cut ends with a digest of the whole text,
    so two long values sharing a beginning still get different pages."""
    slug = _unicode_words(text)
    if len(slug) <= max_chars and len(slug.encode()) <= SLUG_MAX_BYTES:
        return slug
    digest = hashlib.sha1(text.encode()).hexdigest()[:8]
    return f"{_fit(slug, max_chars - len(digest) - 1)}-{digest}"


def _unicode_words(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    kept: list[str] = []
    for char in decomposed:
        if unicodedata.combining(char) and kept and kept[-1].isascii():
            continue  # an accent on a Latin letter: café → cafe
        kept.append(char.lower() if char.isalnum() or unicodedata.category(char)[0] == "M"
                    else "-")
    return re.sub(r"-{2,}", "-", unicodedata.normalize("NFC", "".join(kept))).strip("-")


def _fit(slug: str, max_chars: int) -> str:
    """The slug cut to max_chars and SLUG_MAX_BYTES, at a '-' when one is near the end."""
    cut = slug[:max_chars]
    while len(cut.encode()) > SLUG_MAX_BYTES - 9:
        cut = cut[:-1]
    if "-" in cut[len(cut) // 2:] and len(cut) < len(slug) and slug[len(cut)] != "-":
        cut = cut.rsplit("-", 1)[0]
    return cut.strip("-")


def default_id(path: str) -> str:
    """The id of a lesson without `id:`: its file name when that is a valid id, else an ASCII
    slug of it; when letters are lost on the way (a Japanese file name), a digest of the name
    keeps it unique, so two such files never share an id."""
    stem = PurePosixPath(path).stem
    if ID_PATTERN.match(stem) and len(stem) <= ID_MAX:
        return stem
    ascii_slug = slugify(stem)
    lossless = sum(c.isalnum() for c in ascii_slug) >= sum(c.isalnum() for c in stem)
    if ascii_slug and lossless and len(ascii_slug) <= ID_MAX:
        return ascii_slug
    digest = hashlib.sha1(unicodedata.normalize("NFC", stem).encode()).hexdigest()[:10]
    return f"{ascii_slug[:ID_MAX - 11].strip('-') or 'lesson'}-{digest}"


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


UNKNOWN_DATE = "unknown"
"""A lesson's ``date`` when nobody knows it yet (``lessonbook import`` never guesses one): a
warning, so an error under ``--strict``, until the author writes the day."""


def build_lesson(doc: SourceDocument, settings: Settings, *, stand_in: bool = False
                 ) -> tuple[Lesson | None, list[Problem]]:
    """Validate one parsed file. A lesson comes back only when it has no errors of its own —
    unless ``stand_in`` is asked for: then a file whose front-matter could be read comes back
    as a lesson made of the fields that were valid (placeholders for the others), for the
    checks across lessons and the lint, so one run reports every problem. The caller knows
    it from the errors among the problems, and must never publish it."""
    if doc.meta is None:
        return None, list(doc.problems)
    checker = _Checker(doc, settings)
    checker.problems.extend(doc.problems)
    for path, problem in text_problems(doc):
        checker.problems.append(problem)
        checker.quiet.add(path)
    raw_kind = doc.meta.get("type")
    kind = None
    if isinstance(raw_kind, str):
        kind = next((k for k in settings.vocabulary("kinds")
                     if k.lower() == raw_kind.strip().lower()), None)
    clean = checker.mapping(doc.meta, lesson_fields(), (), kind)
    _check_kind_blocks(checker, clean, kind)
    _check_done_on(checker, clean)
    if any(p.is_error for p in checker.problems):
        if not stand_in or () in checker.quiet:
            return None, checker.problems
        clean = _stand_in(clean, kind)
    lesson_id = clean.get("id") or default_id(doc.path)
    lesson = Lesson(
        id=lesson_id,
        title=clean["title"],
        kind=clean["type"],
        date=clean["date"],
        path=doc.path,
        body=doc.body,
        summary=clean.get("summary", ""),
        severity=clean.get("severity"),
        status=clean.get("status", "draft"),
        visibility=clean.get("visibility", "internal"),
        tags=clean.get("tags", []),
        services=clean.get("services", []),
        teams=clean.get("teams", []),
        failure_type=clean.get("failure_type"),
        categories=clean.get("categories", []),
        defense_layers=clean.get("defense_layers", []),
        time_to_detect=clean.get("time_to_detect"),
        time_to_recover=clean.get("time_to_recover"),
        impact=clean.get("impact", {}),
        contributing_factors=clean.get("contributing_factors", []),
        follow_ups=[FollowUp(action=f["action"], owner=f.get("owner"), due=f.get("due"),
                             status=f.get("status", "open"), produces=f.get("produces"),
                             line=f.get("_line"),
                             done_on=f.get("done_on") if f.get("status") == "done" else None)
                    for f in clean.get("follow_ups", [])],
        rules=[RuleDeclaration(id=r.get("id") or f"{lesson_id}-rule-{i + 1}", if_=r["if"],
                               then=r["then"], status=r.get("status", "proposed"),
                               owner=r.get("owner"), date=r.get("date"),
                               categories=r.get("categories", []), line=r.get("_line"),
                               review_by=r.get("review_by"), title=r.get("title"))
               for i, r in enumerate(clean.get("rules", []))],
        rule_updates=[RuleUpdate(rule=u["rule"], change=u["change"], note=u.get("note"),
                                 if_=u.get("if"), then=u.get("then"), by=u.get("by"),
                                 date=u.get("date"), line=u.get("_line"))
                      for u in clean.get("rule_updates", [])],
        related=clean.get("related", []),
        unrelated=clean.get("unrelated", []),
        review_by=clean.get("review_by"),
        details=_details(clean, kind),
        meta=dict(doc.meta),
        lines=dict(doc.lines),
        body_line=doc.body_line,
    )
    return lesson, checker.problems


def _stand_in(clean: dict[str, Any], kind: str | None) -> dict[str, Any]:
    """The valid fields of a lesson with errors, with a placeholder for each required one that
    is not valid (an empty title, no type, the earliest date; an empty action, rule or
    change), so a :class:`Lesson` can be made of it for checks and the lint, never a page."""
    clean = {**clean, "title": clean.get("title", ""), "type": kind or "",
             "date": clean.get("date", dt.date.min)}
    for name, required in (("follow_ups", ("action",)), ("rules", ("if", "then")),
                           ("rule_updates", ("rule", "change"))):
        if name in clean:
            clean[name] = [{key: "" for key in required} | item for item in clean[name]]
    return clean


def _check_kind_blocks(checker: _Checker, clean: dict[str, Any], key: str | None) -> None:
    """Fields a kind recommends (kinds.Kind.recommended): a warning when one is missing."""
    kind = get_kind(key) if key else None
    for name, why, suggestion in kind.recommended if kind else ():
        if name not in clean:
            checker.report((), f"a {kind.label.lower()} has no {name!r}: {why}", suggestion,
                           Severity.WARNING, code=f"{kind.key}-{name}")


def _check_done_on(checker: _Checker, clean: dict[str, Any]) -> None:
    """A follow-up's ``done_on`` cannot come before the lesson that agreed it, and only means
    something on a done follow-up. (Not after the build date: analysis/registry/building.py,
    which knows the day.)"""
    day = clean.get("date")
    for i, item in enumerate(clean.get("follow_ups", [])):
        done_on = item.get("done_on")
        if done_on is None:
            continue
        path = ("follow_ups", i, "done_on")
        if day is not None and done_on < day:
            checker.report(path, f"{_name(path)} {done_on.isoformat()} is before the lesson's "
                           f"date {day.isoformat()}: a follow-up is done after it is agreed",
                           "check the year and month", code="done-on")
        if item.get("status", "open") != "done":
            checker.report(path, f"{_name(path)} is set but the follow-up's status is "
                           f"{item.get('status', 'open')!r}; it is ignored",
                           "add status: done, or remove done_on", Severity.WARNING,
                           code="done-on-not-done")


def _details(clean: dict[str, Any], key: str | None) -> dict[str, Any]:
    """The kind's own fields: its block, or its top-level fields (checklists)."""
    kind = get_kind(key) if key else None
    if kind is None:
        return {}
    if kind.block:
        return dict(clean.get(kind.block, {}))
    return {f.name: clean[f.name] for f in kind.fields if f.name in clean}


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
