"""Services for imported lessons: from a service map the user gives, and inferred from the
component names a postmortem repeats.

An imported knowledge base without services has no service pages and an empty "In an
incident?" box, so the import gives each lesson the services its text is about, and says why:

* **The service map** (``--service-map FILE`` or the ``importing.service_map`` option): service
  → the words and patterns that name it. A lesson gets a mapped service when its title or
  summary names it, or its text does at least :data:`MAP_TEXT_MENTIONS` times (a passing
  mention is not what the incident was about).
* **Inference** (on unless turned off): a component name the title or summary gives and the
  text repeats. A name is a word written as one (an acronym like KIAM, a word with capitals
  inside like CoreDNS, a word the text capitalises mid-sentence like Traefik — and that the
  import's files do not mostly write in lower case, and that is not someone who "says" or
  "asks") or the words before "service", "SDK", "API"... in the title, repeated with that
  noun ("Feature Flags Service"); generic words (months, HTTP, SDK, Outage) never are. The
  organisation (a name in the source folder's name) and a name in nearly every file of a
  source (the platform everything runs on) are not services, and the report says so.

Nothing here reads files other than the map; the importer calls :func:`assign_services` once
per import with every lesson's title, summary and text.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ...load.slugs import slugify
from .subjects import HOST, summary_subjects, title_subjects

MAP_TEXT_MENTIONS = 3
"""How often a mapped word must appear in the text when the title and summary do not name it."""
INFER_TEXT_MENTIONS = 2
"""How often an inferred name must appear in the file's text (its title and summary count)."""
INFER_MAX = 3
"""At most this many inferred services per lesson, the most repeated first."""
PLATFORM_SHARE = 0.9
"""A name in (nearly) every file of a source is who wrote them, not what failed..."""
PLATFORM_MIN_FILES = 5
"""...when the source has at least this many files (fewer say nothing about it)."""
MAP_MAX_BYTES = 1_000_000

_COMPONENT_NOUNS = (r"service|services|sdk|api|cluster|database|db|pipeline|controller|operator|"
                    r"exporter|server|queue|gateway|proxy|worker|workers|plugin|extension|app")
_NAME_TOKEN = re.compile(r"(?<![\w@/.-])[A-Za-z][\w]*(?:[-.][A-Za-z0-9]+)*(?![\w@/-])")
_PHRASE = re.compile(rf"\b((?:[A-Za-z][\w-]+ ){{0,1}}[A-Za-z][\w-]+) (?:{_COMPONENT_NOUNS})\b",
                     re.I)
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]{1,7}s?$")
_INNER_CAPITAL = re.compile(r"^[A-Za-z][a-z0-9]*[A-Z]")
_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|\n\s*(?:[-*+#>|]+\s*)*|\|\s*)$")

_GENERIC_TEXT = """
api apis sdk sdks http https ip ips url urls ui ux pr prs ci cd cpu cpus ram utc gmt cest cet
pst pdt est edt db dbs sql tls ssl json yaml yml xml csv html css js ts iac os vm vms id ids
pm am faq rca sla slo slos sli sre ok us eu uk crud dns tcp udp ssh io mb gb tb kb ms tldr
todo n/a na eta qa poc mvp ga rfc ttd ttr mttr mttd p0 p1 p2 p3 sev sev1 sev2 sev3 oom k8s
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
saturday sunday mon tue tues wed thu thur thurs fri sat sun
the a an and or of in on at to for from with by we our it this that these those there
post-mortem postmortem post mortem incident incidents outage outages issue issues summary
impact timeline resolution root cause causes service services all some several multiple
most many two three four one a few limited amount customer customers user users team teams
production staging prod error errors failure failures problem problems bug bugs change changes
update updates upgrade upgrades downtime degradation disruption partial total major minor
critical severe unexpected data new old our their its your my his her some any other
while when after before during because since although however then once until
aws amazon gcp azure google cloud javascript typescript python java golang ruby php rust
oauth saml oidc ldap smtp grpc graphql rest pod pods node nodes container containers
ingress egress namespace namespaces deployment deployments configmap secret secrets volume
volumes chart charts manifest manifests
notready crashloopbackoff pending terminating oomkilled
bad gateway forbidden unauthorized found unavailable internal request timeout sha md5 lts
"""
_SECURITY_TEXT = """
dos ddos rce lpe xss csrf xsrf ssrf xxe sqli mitm uaf toctou cve cves cwe cvss ghsa
exploit exploits exploitation vulnerability vulnerabilities vuln vulns disclosure advisory
attacker attackers
"""
SECURITY_TERMS = frozenset(_SECURITY_TEXT.split())
"""Kinds of flaw and attack and how security write-ups are told ("a CPU DoS", "CVE-…"):
what went wrong or how it is reported, never the component it happened in."""
GENERIC = frozenset(_GENERIC_TEXT.split()) | SECURITY_TERMS
"""Words that are never a service name, however they are written: function words, time,
how postmortems are told, generic technology (protocols, languages, cloud vendors, the
nouns every platform has) and states (NotReady is a symptom, not a component)."""
SYSTEM_WORDS = frozenset({"dns", "ldap", "smtp"})
"""Generic words that are a system all the same when the title or summary says it failed
("DNS outage"): never inferred from spelling alone."""
_IDENTIFIER = re.compile(r"^[A-Za-z]{1,8}-?\d{3,}(?:-\d+)*$|^[a-z]+[A-Z]|(?:Error|Exception)s?$")
"""An id (PM2019-009, INC-1234), a code identifier (isDisabled) or an error class (TypeError)."""
_CODE_SPAN = re.compile(r"`[^`\n]+`")


class ServiceMapError(ValueError):
    """A service map that cannot be used: the message names the file and what to fix."""


@dataclass(frozen=True)
class ServiceMap:
    """Service → the patterns that name it (each word of an alias matched as a whole word,
    case-insensitive; ``/.../`` a regular expression), and the aliases as written."""

    patterns: Mapping[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict)
    written: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.patterns)


def word_pattern(words: str) -> re.Pattern[str]:
    """Whole words, case-insensitive; space, hyphen and underscore interchangeable
    ('warehouse sync' finds 'warehouse-sync' and 'Warehouse Sync')."""
    parts = [re.escape(w) for w in re.split(r"[-_\s]+", words.strip()) if w]
    return re.compile(r"(?<![\w-])" + r"[-_\s]".join(parts) + r"(?![\w-])", re.I)


def parse_service_map(data: Any, origin: str) -> ServiceMap:
    """A service map from YAML data: a mapping of service → a list of words or ``/regex/``
    (or one, or nothing: the service's own name always counts)."""
    if data is None:
        return ServiceMap()
    if not isinstance(data, Mapping):
        raise ServiceMapError(f"{origin}: must be a mapping of service → list of words, "
                              f"not {type(data).__name__}")
    patterns: dict[str, tuple[re.Pattern[str], ...]] = {}
    written: dict[str, tuple[str, ...]] = {}
    for key, value in data.items():
        if not isinstance(key, str) or not key.strip():
            raise ServiceMapError(f"{origin}: service {key!r} must be a name (text)")
        service = key.strip()
        items = [] if value is None else [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            raise ServiceMapError(f"{origin}: {service!r} must list words or /patterns/ as "
                                  f"text, e.g. {service}: [\"{service}\", \"/{service}-\\w+/\"]")
        aliases = [service, *(v.strip() for v in items if v.strip())]
        compiled = []
        for alias in aliases:
            if len(alias) > 2 and alias.startswith("/") and alias.endswith("/"):
                try:
                    compiled.append(re.compile(alias[1:-1], re.I))
                except re.error as exc:
                    raise ServiceMapError(f"{origin}: {service!r}: {alias!r} is not a regular "
                                          f"expression: {exc}") from None
            else:
                compiled.append(word_pattern(alias))
        patterns[service], written[service] = tuple(compiled), tuple(dict.fromkeys(aliases))
    return ServiceMap(patterns, written)


def read_service_map(path: str | Path) -> ServiceMap:
    """The service map in a YAML file. Raises ServiceMapError with the file and the fix."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAP_MAX_BYTES + 1)
    except OSError as exc:
        raise ServiceMapError(f"{path}: cannot read the service map: "
                              f"{exc.strerror or exc}") from None
    if len(raw) > MAP_MAX_BYTES:
        raise ServiceMapError(f"{path}: a service map over 1 MB is not one")
    try:
        data = yaml.safe_load(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" (line {where.line + 1})" if where is not None else ""
        raise ServiceMapError(f"{path}{line}: not a YAML mapping of service → words: "
                              f"{getattr(exc, 'problem', None) or exc}") from None
    return parse_service_map(data, str(path))


@dataclass
class ImportedText:
    """What the service pass needs of one imported lesson; ``services`` and ``notes`` are
    what it found (the notes go to the file's report)."""

    title: str
    summary: str
    text: str
    group: str
    """The source the file came from: a name in most of a source's files is its platform."""
    services: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unspelled: set[str] = field(default_factory=set)
    """Names taken only because the title or summary says they failed, not because they
    are written as names (ranked after those that are)."""


def assign_services(lessons: Sequence[ImportedText], service_map: ServiceMap | None = None,
                    infer: bool = True, known: Iterable[str] = ()) -> None:
    """Give every lesson its mapped and inferred services (added to ``services``), with a note
    for each saying which words were found where and how often."""
    service_map = service_map or ServiceMap()
    for lesson in lessons:
        _mapped(lesson, service_map)
    if not infer:
        return
    cases = _case_counts(lessons)
    own = [_candidates(x, cases) for x in lessons]
    groups = Counter(x.group for x in lessons)
    spread = _spread(lessons, own)
    known_slugs = {slugify(s): s for s in known}
    # A name one postmortem establishes (Kafka, capitalised and repeated there) is a name in
    # the others too, however they write it ("kafka metrics stopped being exported").
    established: dict[str, str] = {}
    for lesson, cands in zip(lessons, own, strict=True):
        trial = ImportedText(lesson.title, lesson.summary, lesson.text, lesson.group,
                             unspelled=lesson.unspelled)
        kept = _infer(trial, cands, groups[lesson.group], spread, service_map, known_slugs)
        established.update((key, cands[key]) for key in kept)
    found = []
    for lesson, cands in zip(lessons, own, strict=True):
        headline = _ngrams(f"{lesson.title}\n{lesson.summary}")
        found.append({**{k: w for k, w in established.items() if _normal(k) in headline
                         and not _organisation(k, lesson.group)}, **cands})
    for lesson, cands in zip(lessons, found, strict=True):
        _infer(lesson, cands, groups[lesson.group], spread, service_map, known_slugs)


def _spread(lessons: Sequence[ImportedText], found: list[dict[str, str]]) -> Counter[tuple[
        str, str]]:
    """(source, name) → how many of the source's files mention the name."""
    names = {_normal(key) for cands in found for key in cands}
    spread: Counter[tuple[str, str]] = Counter()
    for lesson in lessons:
        words = _ngrams(f"{lesson.title}\n{lesson.summary}\n{lesson.text}")
        spread.update((lesson.group, key) for key in names & words)
    return spread


def _organisation(name: str, group: str) -> bool:
    """Every word of the name is in the source folder's name ('PostHog' of
    'PostHog-post-mortems', 'DFDS' of 'dfds-postmortems'): who wrote them."""
    words = _normal(name).split()
    return bool(words) and set(words) <= set(_normal(Path(group).name).split())


def _mapped(lesson: ImportedText, service_map: ServiceMap) -> None:
    headline = f"{lesson.title}\n{lesson.summary}"
    for service, patterns in service_map.patterns.items():
        named = [m.group() for p in patterns for m in p.finditer(headline)]
        in_text = len({m.start() for p in patterns for m in p.finditer(lesson.text)})
        if not named and in_text < MAP_TEXT_MENTIONS:
            continue
        _add(lesson, service)
        where = (f"{named[0]!r} in the title or summary" if named
                 else f"named {in_text} times in the text")
        lesson.notes.append(f"service {service!r} from the service map: {where}"
                            + (f", {in_text} times in the text" if named else ""))


def _candidates(lesson: ImportedText, cases: dict[str, list[int]]) -> dict[str, str]:
    """Names the title or summary gives: casefolded → as written. ``cases``: how the whole
    import writes each word (:func:`_case_counts`)."""
    out: dict[str, str] = {}
    phrases: dict[str, str] = {}
    for part in (lesson.title, lesson.summary):
        for match in _NAME_TOKEN.finditer(part):
            word = match.group()
            if (len(word) < 2 or word.casefold() in GENERIC or re.match(r"^v?\d", word, re.I)
                    or _IDENTIFIER.search(word) or _mostly_code(word, lesson.text)):
                continue
            if _organisation(word, lesson.group):
                note = (f"no service {slugify(word)!r}: {word!r} is in the source folder's "
                        f"name ({Path(lesson.group).name}): the organisation, not a service")
                if note not in lesson.notes:
                    lesson.notes.append(note)
                continue
            lower, capital, upper = cases.get(word.casefold(), (0, 0, 0))
            if _ACRONYM.match(word):
                named = upper >= lower  # KIAM, not DOWN (the files write 'down' too)
            elif _INNER_CAPITAL.match(word):
                named = True
            else:  # Traefik, not Unable: the files capitalise it mid-sentence, not write it low
                named = (word[0].isupper() and capital >= lower
                         and _written_capitalised(word, lesson.text)
                         and not _PERSON.search(_person_probe(word, lesson.text)))
            if named:
                out.setdefault(word.casefold(), word)
        for match in _PHRASE.finditer(lesson.title):  # a summary's are ordinary words
            words = [w for w in match.group(1).split() if w.casefold() not in GENERIC
                     and not _organisation(w, lesson.group)]
            phrase = " ".join(words)
            # The component with its noun is repeated ("feature flags service"), not a
            # passing "the whole cluster".
            repeated = len(word_pattern(match.group()).findall(lesson.text)) >= 2
            if len(phrase) > 2 and repeated and not re.match(r"^v?\d", phrase, re.I):
                phrases[phrase.casefold()] = phrase
    for key, phrase in phrases.items():
        # "Hellman Kubernetes cluster": the names it holds, not the phrase.
        if len(key.split()) == 1 or not any(w in out for w in key.split()):
            out.setdefault(key, phrase)
    for phrase in [*title_subjects(lesson.title), *summary_subjects(lesson.summary)]:
        word = " ".join(w for w in phrase.split()
                        if w.casefold() not in GENERIC or w.casefold() in SYSTEM_WORDS)
        key = word.casefold()
        if (key in out or len(word) < 2 or key in GENERIC and key not in SYSTEM_WORDS
                or _IDENTIFIER.search(word) or _mostly_code(word, lesson.text)
                or _organisation(word, lesson.group)
                or not HOST.fullmatch(word) and _PERSON.search(_person_probe(word,
                                                                             lesson.text))):
            continue
        out[key] = word  # what failed, however it is written ("Mail outage")
        if not HOST.fullmatch(word):
            lesson.unspelled.add(key)
    return out


def _subjects(lesson: ImportedText) -> dict[str, tuple[str, int]]:
    """Casefolded name → where the title or summary says it is what failed, and in which
    order it names it."""
    found: dict[str, tuple[str, int]] = {}
    for where, phrases in (("title", title_subjects(lesson.title)),
                           ("summary", summary_subjects(lesson.summary))):
        for i, phrase in enumerate(phrases):
            key = " ".join(w for w in phrase.casefold().split()
                           if w not in GENERIC or w in SYSTEM_WORDS)
            found.setdefault(key, (where, i))
    return found


_PERSON_VERBS = ("said|says|asked|asks|suggested|suggests|mentioned|mentions|wrote|replied|"
                 "agreed|decided|realised|realized|thinks|thought|pinged|messaged|told|tells|"
                 "joined|acknowledged|escalated|noticed")
_PERSON = re.compile(rf"^(?:and \w+ )?(?:{_PERSON_VERBS})\b", re.M)
_PROSE_NOISE = re.compile(r"`[^`\n]*`|\]\([^)\n]*\)|\b(?:https?|ftp)://\S+|<[^>\n]+>")
_SENTENCE = re.compile(r"[.!?:;|]\s|\n")


def _person_probe(word: str, text: str) -> str:
    """What follows each mention of the word, one line per mention, for :data:`_PERSON`:
    "Chris says", "Tim and Chris noticed" — a person, not a component."""
    return "\n".join(m.group(1) for m in re.finditer(
        rf"(?<![\w-]){re.escape(word)}\s+((?:and \w+ )?\w+)", text))


def _case_counts(lessons: Sequence[ImportedText]) -> dict[str, list[int]]:
    """How the files write each word in prose (code, URLs and link targets aside): in lower
    case, with a capital where no sentence starts, all in capitals. A word the import mostly
    writes in lower case is an ordinary word, however a title capitalises it."""
    counts: dict[str, list[int]] = {}
    for lesson in lessons:
        prose = _PROSE_NOISE.sub(" ", lesson.text)
        for sentence in _SENTENCE.split(prose):
            words = _NAME_TOKEN.findall(sentence)
            for i, word in enumerate(words):
                entry = counts.setdefault(word.casefold(), [0, 0, 0])
                if word[0].islower():
                    entry[0] += 1
                elif i:
                    entry[1] += 1
                if len(word) > 1 and word.isupper():
                    entry[2] += 1
    return counts


def _mostly_code(word: str, text: str) -> bool:
    """The text writes the word in code spans at least as often as in prose: an identifier
    of the code (ReadableStream), not a component's name."""
    pattern = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")
    total = len(pattern.findall(text))
    in_code = sum(len(pattern.findall(span)) for span in _CODE_SPAN.findall(text))
    return total > 0 and in_code * 2 >= total


def _written_capitalised(word: str, text: str) -> bool:
    """The text writes the word with a capital where a sentence does not start, and never
    in lower case: a name (Traefik, Kafka), not a word of the title's Title Case."""
    pattern = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])", re.I)
    inside = lower = 0
    for match in pattern.finditer(text):
        if match.group()[0].islower():
            lower += 1
        elif not _SENTENCE_START.search(text[max(0, match.start() - 40):match.start()]):
            inside += 1
    return inside >= 1 and lower == 0


def _infer(lesson: ImportedText, cands: dict[str, str], files: int,
           spread: Counter[tuple[str, str]], service_map: ServiceMap,
           known_slugs: dict[str, str]) -> list[str]:
    """Infer the lesson's services from its candidates; returns the names kept."""
    mapped_words = [p for ps in service_map.patterns.values() for p in ps]
    title = _ngrams(lesson.title)
    failed = _subjects(lesson)
    scored = []
    for key, written in cands.items():
        if any(p.fullmatch(written) for p in mapped_words):
            continue  # the user's map already says what this word means
        count = len(word_pattern(key).findall(lesson.text))
        if lesson.title not in lesson.text:  # a title from front-matter is a mention too
            count += len(word_pattern(key).findall(lesson.title))
        if count < INFER_TEXT_MENTIONS:
            continue
        in_files = spread[(lesson.group, _normal(key))]
        where, order = failed.get(key, ("", 0))
        # The platform everything runs on is no service, unless the title says it failed
        # ("Prow Outage" in a collection about Prow).
        if files >= PLATFORM_MIN_FILES and in_files > PLATFORM_SHARE * files and \
                where != "title":
            lesson.notes.append(f"no service {slugify(written)!r}: {written!r} is in "
                                f"{in_files} of {files} files of this source (the "
                                "organisation or the platform everything runs on; a "
                                "service map can still name it)")
            continue
        # Rank by how often the lesson names it, discounted by how many files of the source
        # do: the specific component before the one every lesson of the platform mentions.
        # Names in the title first: the title says what failed.
        weight = count * math.log(1 + files / max(1, in_files))
        # What the title says failed, then the title's other names, then what the summary
        # says failed, then the rest; but a word the title says failed that a name in or
        # in front of it qualifies ("Inotify file watches exhaustion") after that name.
        low = key in lesson.unspelled
        modified = low and any(n in key.split() or _qualifies(n, key, lesson.title)
                               for n in cands if n not in lesson.unspelled)
        rank = (0 if where == "title" and not modified else 1 if _normal(key) in title and
                not low else 2 if where == "title" else 3 if where else 4, order)
        scored.append((rank, weight, count, key, written))
    scored.sort(key=lambda x: (x[0], -x[1], x[3]))
    kept: list[str] = []
    names: list[str] = []
    for _, _, count, key, written in scored:
        slug = slugify(written)
        service = known_slugs.get(slug, slug)
        words = set(slug.split("-"))
        if not service or service in lesson.services or any(
                words <= set(k.split("-")) or set(k.split("-")) <= words for k in kept):
            continue  # 'eks-node' after 'eks': one component
        if len(kept) == INFER_MAX:
            lesson.notes.append(f"no service {service!r}: {written!r} ({count} times in "
                                f"the text) is one more than {INFER_MAX}, the most inferred "
                                "per lesson")
            continue
        kept.append(slug)
        names.append(key)
        _add(lesson, service)
        said = {"title": "the title says it failed", "summary": "the summary says it failed"}
        lesson.notes.append(f"service {service!r}: {written!r} named in the title or summary"
                            + (f" ({said[failed[key][0]]})" if key in failed else "")
                            + f" and {count} times in the text")
    return names


def _qualifies(name: str, key: str, title: str) -> bool:
    """The name stands right in front of the key in the title, at most one word between:
    'Inotify file watches' (Inotify qualifies watches)."""
    return bool(re.search(rf"(?<![\w-]){re.escape(name)}\s+(?:[\w-]+\s+)?{re.escape(key)}"
                          r"(?![\w-])", title, re.I))


_TOKEN = re.compile(r"[^\W_]+(?:\.[^\W_]+)*")


def _normal(key: str) -> str:
    """A name as :func:`_ngrams` counts it: casefolded words joined by one space."""
    return " ".join(_TOKEN.findall(key.casefold()))


def _ngrams(text: str, longest: int = 3) -> set[str]:
    """Every run of one to ``longest`` words of the text, casefolded: which names a file
    mentions, found in one pass instead of one search per name."""
    words = _TOKEN.findall(text.casefold())
    return {" ".join(words[i:i + n]) for n in range(1, longest + 1)
            for i in range(len(words) - n + 1)}


def _add(lesson: ImportedText, service: str) -> None:
    if service not in lesson.services:
        lesson.services.append(service)
