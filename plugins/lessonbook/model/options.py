"""Every option of the ``lessonbook`` plugin, declared once: name, type, default, help.

The MkDocs config class (``mkdocs_adapter/config.py``) calls :func:`parse_options`, and the CLI
reads mkdocs.yml through that same class (``mkdocs_adapter/project_config.py``), so ``mkdocs
build`` and ``lessonbook check`` accept and reject the same values with the same message. An
unknown option is an error, not MkDocs' usual warning: a misspelt ``lesson_dir:`` or
``exclud:`` would otherwise silently change which files are lessons, and so what is published.
Each option is a field of a frozen dataclass; its type annotation is what is checked,
``option()`` adds the help text and the allowed range.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Union

from .problems import did_you_mean
from .vocabulary import DEFAULT_CATEGORIES, DEFAULT_DEFENSE_LAYERS, DEFAULT_SEVERITIES

Audience = Literal["public", "internal", "restricted"]


def option(default: Any, help: str, *, minimum: float | None = None,
           maximum: float | None = None) -> Any:
    """A declared option: its default, a line of help, and an optional range for numbers."""
    return field(default=default, metadata={"help": help, "minimum": minimum,
                                            "maximum": maximum})


def group(cls: type, help: str) -> Any:
    """A nested mapping of options (``search:``, ``similar:``)."""
    return field(default_factory=cls, metadata={"help": help})


@dataclass(frozen=True)
class SearchOptions:
    enabled: bool = option(True, "Generate the Explore page (explore/) and index the lesson "
                           "pages with Pagefind.")
    pagefind: bool = option(True, "Index the lessons with Pagefind during the build. Turn off "
                            "if you run `pagefind --site site` yourself.")
    results_per_page: int = option(20, "How many results the Explore page shows before "
                                   "'Show more'.", minimum=1)
    material_terms: bool = option(True, "Let Material's header search find lessons by summary, "
                                  "tags, services and teams.")
    pages_per_part: int = option(1000, "The search index is written in parts of at most this "
                                 "many lessons, each by its own Pagefind process, so indexing "
                                 "memory does not grow with the number of lessons (about "
                                 "0.3 GB per 1,000 lessons of 600 words).", minimum=1)
    join_parts: bool = option(True, "Join the parts into one index once written, so results "
                              "are ranked with the whole site's word statistics. Off: the "
                              "browser searches the parts side by side, each ranked alone.")


@dataclass(frozen=True)
class SimilarWeights:
    """How much each signal counts in a pair's score (a weighted mean; 0 turns one off)."""

    text: float = option(1.0, "Weight of the shared distinctive words.", minimum=0)
    tags: float = option(0.3, "Weight of shared tags.", minimum=0)
    services: float = option(0.3, "Weight of shared services.", minimum=0)
    categories: float = option(0.15, "Weight of shared categories.", minimum=0)
    failure_type: float = option(0.05, "Weight of the same failure type.", minimum=0)
    defense_layers: float = option(0.05, "Weight of shared defense layers.", minimum=0)

    def as_dict(self) -> dict[str, float]:
        return {f.name: float(getattr(self, f.name)) for f in dataclasses.fields(self)}


@dataclass(frozen=True)
class SimilarOptions:
    enabled: bool = option(True, "Compute similar lessons (the author's links show anyway).")
    count: int = option(5, "How many computed links per lesson (author links come on top).",
                        minimum=0)
    min_score: float = option(0.13, "Below this score (0..1) a lesson is not linked: fewer "
                              "links rather than noise.", minimum=0, maximum=1)
    min_relative: float = option(0.5, "A link must also score this share (0..1) of the "
                                 "lesson's best link: one strong match is shown alone.",
                                 minimum=0, maximum=1)
    mutual: bool = option(True, "Link two lessons only when each is among the other's `count` "
                          "best: a long, generic lesson is nobody's link.")
    max_drop: float = option(0.7, "A list stops before its steepest drop when the next link "
                             "scores less than this share of the one before (0: off).",
                             minimum=0, maximum=1)
    neighbour_weight: float = option(0.5, "Neighbour support: two lessons close to the same "
                                     "third rank higher for each other (0: off; the score "
                                     "shown and `min_score` stay the pair's own).", minimum=0)
    possible: bool = option(True, "Below the confident links, the rest of the `count` best "
                            "as a folded \"Possibly related\" list (false: confident only).")
    collection_quantile: float = option(0.0, "A confident link also scores at least this "
                                        "quantile (0..1) of the collection's candidate scores: "
                                        "stricter confident links where every lesson shares the "
                                        "platform's words (0: off).", minimum=0, maximum=1)
    margin: float = option(0.0, "A confident link's own score is at least this many times "
                           "the best score either lesson has with any other lesson: a twin "
                           "stands apart from platform neighbours; the others are folded "
                           "under \"Possibly related\" (0: off).", minimum=0)
    weights: SimilarWeights = group(SimilarWeights, "How much each signal counts.")


@dataclass(frozen=True)
class InsightsOptions:
    enabled: bool = option(True, "Generate the Insights page (insights/), the Recurring "
                           "incidents page (recurring/) and api/insights.json.")
    recurring_window_months: int = option(18, "A later incident counts as a repeat of an "
                                          "earlier one only within this many months.",
                                          minimum=1)
    recurring_min_score: float = option(0.15, "How strongly (similar-incident score, 0..1) "
                                        "a later incident must resemble an earlier one to "
                                        "count as a repeat; it must also name the same service "
                                        "and symptom (twice this score when either lesson "
                                        "lists no service).", minimum=0, maximum=1)


@dataclass(frozen=True)
class ImportingOptions:
    service_map: str | None = option(None, "`lessonbook import`: a YAML file (relative to "
                                     "mkdocs.yml) mapping each service to the words and "
                                     "/patterns/ that name it (docs/import.md).")
    infer_services: bool = option(True, "`lessonbook import`: infer services from the "
                                  "component names a postmortem's title or summary gives and "
                                  "its text repeats.")


@dataclass(frozen=True)
class Options:
    """The ``lessonbook`` entry of ``plugins:`` in mkdocs.yml (docs/configuration.md)."""

    audience: Audience = option("internal", "Who the site is for: public, internal or "
                                "restricted. Lessons whose visibility is above it are left out "
                                "of everything the build writes.")
    lesson_dirs: tuple[str, ...] = option((".",), "Folders inside docs_dir whose Markdown "
                                          "files are lessons ('.' is all of docs_dir).")
    exclude: tuple[str, ...] = option(("index.md", "README.md"), "Glob patterns "
                                      "(docs-relative) of Markdown files that are ordinary "
                                      "pages, not lessons.")
    severities: tuple[str, ...] = option(DEFAULT_SEVERITIES, "Severity levels, most severe "
                                         "first.")
    categories: tuple[str, ...] = option(DEFAULT_CATEGORIES, "The categories lessons are "
                                         "filed under.")
    defense_layers: tuple[str, ...] = option(DEFAULT_DEFENSE_LAYERS, "Defense layers (the "
                                             "Swiss-cheese model's slices).")
    extra_keys: tuple[str, ...] = option((), "Front-matter keys your site uses for its own "
                                         "purposes; not warned about.")
    home_newest: int = option(8, "How many lessons the generated home page lists.", minimum=1)
    strict_warnings: bool = option(False, "Let Lessonbook warnings (unknown keys, ...) fail "
                                   "`mkdocs build --strict` too.")
    export: bool = option(True, "Write api/*.json.")
    lint: bool = option(True, "Run the blameless lint and report its warnings with the "
                        "others.")
    blame_words: tuple[str, ...] | None = option(None, "Phrases the lint warns about in the "
                                                 "narrative (default: the built-in list).")
    allowed_names: tuple[str, ...] = option((), "Owner values that look like a person's name "
                                            "but are roles here ('Release Captain').")
    checklist_max_items: int = option(9, "Task items per checklist section before the lint "
                                      "warns.", minimum=1)
    timings: bool = option(False, "Log how long each phase of the build took (parsing, lint, "
                           "similarity, rendering...) at INFO; otherwise the table is logged at "
                           "DEBUG (`mkdocs build --verbose`).")
    build_date: dt.date | None = option(None, "ISO date follow-ups are judged overdue against "
                                        "(YYYY-MM-DD); default: the day of the build.")
    rule_review_days: int | None = option(None, "Days after its adoption or last amendment "
                                          "an adopted rule without review_by is due for "
                                          "review (`lessonbook due`); default: never.",
                                          minimum=1)
    start_here: dict[str, str] | None = option(None, "The curated reading path of the Start "
                                               "here page: lesson id → one line on why to "
                                               "read it, in reading order.")
    glossary: dict[str, str] | None = option(None, "Glossary descriptions: a kind, failure "
                                             "type, defense layer, severity, category, card "
                                             "field or word of the site (rule, follow_up, "
                                             "pause_point...) → its definition (replaces or "
                                             "adds to the built-in ones).")
    feed_entries: int = option(30, "How many entries feed.xml keeps (new lessons and rule "
                               "changes, newest first).", minimum=1)
    digest_month_min: int = option(4, "New lessons a month needs to get its own digest page "
                                   "(quarters always get one).", minimum=1)
    search: SearchOptions = group(SearchOptions, "Explore page and search (docs/search.md).")
    similar: SimilarOptions = group(SimilarOptions, "Similar lessons on lesson pages and in "
                                    "api/lessons.json (docs/similarity.md).")
    insights: InsightsOptions = group(InsightsOptions, "Insights, recurring incidents and "
                                      "api/insights.json (docs/insights.md).")
    importing: ImportingOptions = group(ImportingOptions, "`lessonbook import` "
                                        "(docs/import.md).")


@dataclass(frozen=True)
class OptionProblem:
    """A bad or unknown option: ``name`` is dotted (``similar.min_score``)."""

    name: str
    message: str
    is_error: bool = True

    def format(self) -> str:
        return f"option {self.name!r}: {self.message}"


@dataclass(frozen=True)
class SiteConfig:
    """What Lessonbook needs from a site's mkdocs.yml, read as MkDocs reads it (INHERIT,
    ``!ENV``, ``!relative``): the MkDocs adapter makes it, the CLI uses it."""

    config_file: str
    """The absolute path of mkdocs.yml."""
    docs_dir: str
    """Absolute, as MkDocs resolves it (relative to the config file's folder)."""
    options: Options = field(default_factory=lambda: Options())
    site_url: str | None = None
    site_name: str = ""
    strict: bool = False
    """mkdocs.yml's own ``strict:`` setting."""
    plugin_enabled: bool = True
    """Whether ``plugins:`` has the lessonbook plugin, enabled: without it `mkdocs build`
    publishes every lesson as a plain page."""
    files: tuple[str, ...] = ()
    """The config file and the files it inherits (INHERIT), in that order."""
    warnings: tuple[str, ...] = ()
    """Worded as `mkdocs build` words its config warnings (which --strict fails on)."""
    settings: Mapping[str, Any] = field(default_factory=dict, compare=False)
    """Every setting of mkdocs.yml as MkDocs reads it (INHERIT merged, ``!ENV`` resolved),
    for commands that carry the rest of the site's configuration (`lessonbook generate`)."""


class ConfigError(Exception):
    """mkdocs.yml cannot be used: missing, not YAML, an INHERIT that leads nowhere, an option
    MkDocs would reject. The message names the file and says what to do."""


def parse_options(raw: Mapping[str, Any] | None) -> tuple[Options, list[OptionProblem]]:
    """Check the plugin's option mapping. A wrong type, a value out of range or an unknown
    name (with a did-you-mean) is an error; a bad option keeps its default."""
    problems: list[OptionProblem] = []
    options = _parse_group(Options, raw or {}, "", problems)
    return options, problems


def describe(cls: type = Options, prefix: str = "") -> list[tuple[str, str, Any, str]]:
    """(dotted name, type, default, help) of every option, for docs and `--help` texts."""
    out = []
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        name = f"{prefix}{f.name}"
        kind = hints[f.name]
        if dataclasses.is_dataclass(kind):
            out.extend(describe(kind, f"{name}."))  # type: ignore[arg-type]
        else:
            out.append((name, _type_name(kind), f.default, f.metadata["help"]))
    return out


# --- checking ---------------------------------------------------------------------------------
class _Invalid(Exception):
    pass


def _parse_group(cls: type, raw: Any, prefix: str, problems: list[OptionProblem]) -> Any:
    if not isinstance(raw, Mapping):
        problems.append(OptionProblem(prefix.rstrip(".") or "lessonbook",
                                      f"must be a mapping of options, not {_describe(raw)}"))
        return cls()
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        name = f"{prefix}{key}"
        spec = fields.get(str(key))
        if spec is None:
            hint = did_you_mean(str(key), fields)
            problems.append(OptionProblem(name, "unknown option" + (
                f" ({hint})" if hint else f"; the options are: {', '.join(fields)}")))
            continue
        kind = hints[spec.name]
        if dataclasses.is_dataclass(kind):
            values[spec.name] = _parse_group(kind, {} if value is None else value, f"{name}.",
                                             problems)
            continue
        try:
            values[spec.name] = _check(value, kind, spec.metadata)
        except _Invalid as exc:
            problems.append(OptionProblem(name, str(exc)))
    return cls(**values)


def _check(value: Any, kind: Any, meta: Mapping[str, Any]) -> Any:
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _check(value, inner, meta)
    if kind is bool:
        if isinstance(value, bool):
            return value
        raise _Invalid(f"must be true or false, not {_describe(value)}")
    if kind in (int, float):
        if isinstance(value, bool) or not isinstance(value, int | float) or (
                kind is int and not isinstance(value, int)):
            raise _Invalid(f"must be {'a whole number' if kind is int else 'a number'}, "
                           f"not {_describe(value)}")
        low, high = meta.get("minimum"), meta.get("maximum")
        if (low is not None and value < low) or (high is not None and value > high):
            raise _Invalid(f"must be {_range(low, high)}, not {value}")
        return kind(value)
    if kind is str:
        if isinstance(value, str):
            return value
        raise _Invalid(f"must be text, not {_describe(value)}")
    if origin is dict:  # dict[str, str]: a YAML mapping of text to text, order kept
        if not isinstance(value, Mapping) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            raise _Invalid(f"must be a mapping of text to text, not {_describe(value)}")
        return dict(value)
    if origin is tuple:  # tuple[str, ...]: a YAML list of text
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise _Invalid(f"must be a list of text, not {_describe(value)}")
        return tuple(value)
    if origin is Literal:
        if isinstance(value, str) and value in args:
            return value
        hint = did_you_mean(str(value), args) if isinstance(value, str) else None
        raise _Invalid(f"must be one of {', '.join(args)}, not {_describe(value)}"
                       + (f" ({hint})" if hint else ""))
    if kind is dt.date:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise _Invalid(f"must be an ISO date like 2025-03-14, not {_describe(value)}")
    raise TypeError(f"option type {kind!r} is not supported")  # a declaration bug, not input


def _range(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"between {low:g} and {high:g}"
    return f"at least {low:g}" if low is not None else f"at most {high:g}"


def _describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list" if all(isinstance(v, str) for v in value) else "a list with non-text items"
    return type(value).__name__


def _type_name(kind: Any) -> str:
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (Union, types.UnionType):
        return " or ".join(_type_name(a) for a in args if a is not type(None)) + " (optional)"
    if origin is tuple:
        return "list of text"
    if origin is dict:
        return "mapping of text to text"
    if origin is Literal:
        return ", ".join(args)
    return {bool: "true/false", int: "whole number", float: "number", str: "text",
            dt.date: "ISO date"}.get(kind, str(kind))


def markdown_table() -> str:
    """The options as the table in docs/configuration.md (`python -m
    lessonbook.model.options` prints it, to paste when an option changes)."""
    rows = ["| option | type | default | what it does |", "|---|---|---|---|"]
    for name, kind, default, help in describe():
        if isinstance(default, tuple):
            shown = "[" + ", ".join(default) + "]"
        elif isinstance(default, bool):
            shown = str(default).lower()
        else:
            shown = "none" if default is None else str(default)
        rows.append(f"| `{name}` | {kind} | `{shown}` | {help} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(markdown_table())
