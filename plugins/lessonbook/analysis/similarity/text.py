"""Text → words: Markdown cleaned to prose, then words and sentence breaks, stop words, numbers
and dates dropped, plurals folded, synonyms applied. The readable reference for what the index
counts (terms.py does the same on integer ids)."""

from __future__ import annotations

import re
from collections.abc import Callable

from .settings import SimilarSettings

_STOP_TEXT = """
a about above after again against all almost also am an and any are aren't as at be because been
before being below between both but by can can't cannot could couldn't did didn't do does
doesn't doing don't down during each either else etc even ever every few for from further get
gets got had hadn't has hasn't have haven't having he her here hers herself him himself his how
however i if in into is isn't it it's its itself just let like made make many may me might more
most much must mustn't my myself need needed no nor not now of off on once one only or other our
ours ourselves out over own per quite rather really same see seen she should shouldn't since so
some still such than that that's the their theirs them themselves then there there's these they
this those though through thus to too under until up upon us use used using very via was wasn't
we we'll we're we've well were weren't what when where whether which while who whom whose why
will with within without won't would wouldn't yet you your yours yourself also around across
able back way since take taken took put new first last next two three per e.g i.e
january february march april june july august september october november december
monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow
am pm hh mm utc cet cest gmt pst est morning afternoon evening night noon midnight
cause caused causes causing issue issues problem problems additional information potential
potentially started starting happened approximately
jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed weds thu thur thurs fri sat sun
weekday weekend o'clock pdt cdt edt mdt mst cst bst ist aest jst sgt ct pt et
i'm i've i'd i'll we'd you're they're he's she's let's
a.m p.m
"""
_GENERIC_TEXT = """
example concrete linked edited seem seemed seems realize realized realised realise noted note
notice noticed noticing
following went wrong well lucky thing things something someone somebody anyone people person
team teams folk folks member members general generally debug debugging come came comes goes go
going gone show showed showing shown kind feel felt sure technical confirm confirmed eventually
proceed improve improved improvement document documented totally earlier later check checked
checking say said saying lead leads attributed happen happening happens experience experienced
end ended plan planned learn learnt learned lesson lessons actually kept keep stay except result
resulted results minute minutes hour hours number chart consider considered known case page
additionally behavior behaviour update updated updating possibility possibilities visible
problematic occur occurred occurring recover recovered recovery reveal revealed reference date
address addressed prevent preventing prevented immediately quickly quick slowly time times day
days week weeks month months year years work worked working look looked looking find found
finding think thought know knew understand understood discuss discussed discussion decide decided
decision try tried trying attempt attempted help helped helpful able unable better best good
great bad worse worst big small large little lot lots many several various multiple different
similar certain specific whole part parts point detail details step steps way ways reason
reasons fact due currently current previous previously future recently soon possible possibly
likely unlikely clear clearly simple simply easy easily hard mostly almost nearly especially
incident incidents outage outages postmortem post-mortem summary impact timeline resolution
action actions item items root owner owners followup follow-up ticket tickets detected detection
resolved resolve repaired declared identified review reviewed context background
"""
GENERIC_WORDS = frozenset(_GENERIC_TEXT.split())
"""How any postmortem is told (process, narrative, time, judgement words), never what failed:
not counted, never a reason. (A collection's own habits are found by boilerplate.py.)"""
STOP_WORDS = frozenset(_STOP_TEXT.split()) | GENERIC_WORDS

_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.M | re.S)
_HTML = re.compile(r"<[^>\n]+>")
_URL = re.compile(r"\b(?:https?|ftp)://\S+|\bwww\.\S+")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_REF_DEF = re.compile(r"^\s*\[[^\]]+\]:\s*\S+.*$", re.M)
_ROLL_CALL = re.compile(r"^#{1,6}[ \t]*(?:attendees|atendees|participants|people involved)\b"
                        r"[^\n]*\n(?:(?!#)[^\n]*\n?)*", re.M | re.I)
"""A list of who attended (initials, names) says who met, not what failed."""
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}.*$", re.M)
_HANDLE = re.compile(r"(?<![\w.])@([\w][\w.-]*)|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
"""@mentions and e-mail addresses: who, not what."""
_CHAT_SPEAKER = re.compile(
    r"^[>\s]*((?:[^\W\d_][\w.-]*[ \t]+){0,2}[^\W\d_][\w.-]*)[ \t]*"
    r"\[\d{1,2}:\d{2}(?::\d{2})?[ \t]*(?:[AaPp]\.?[Mm]\.?)?\]"
    r"|^[>\s]*\[\d{1,2}:\d{2}(?::\d{2})?[^\]\n]{0,8}\][ \t]*([^\W\d_][\w.-]*):", re.M)
"""A chat export's speaker ("liggitt [4:05 PM]", "[10:32] katharine:"): the name is who spoke."""
_WORD = re.compile(r"[^\W_]+(?:['’\-.][^\W_]+)*")
_SENTENCE_BREAK = r"\n|[.!?;:,|()\[\]{}\"*]+(?:\s|$)"
_TOKEN = re.compile(f"{_WORD.pattern}|{_SENTENCE_BREAK}")
"""Words and sentence breaks in one scan: a break (like a dropped word) ends a word pair."""


def clean_text(text: str) -> str:
    """Markdown → prose: drop fenced code (logs), URLs, HTML, link targets and table rules."""
    if "```" in text or "~~~" in text:  # each pattern only runs when it can match (speed)
        text = _FENCE.sub("\n", text)
    if "<" in text:
        text = _HTML.sub(" ", text)
    if "](" in text:
        text = _LINK.sub(r"\1", text)
    if "]:" in text:
        text = _REF_DEF.sub("", text)
    if "://" in text or "www." in text:
        text = _URL.sub(" ", text)
    if "--" in text:
        text = _TABLE_RULE.sub("", text)
    if "ttendees" in text or "articipants" in text or "eople involved" in text:
        text = _ROLL_CALL.sub("", text)
    if "@" in text:
        text = _HANDLE.sub(" ", text)
    if "]" in text and ":" in text:
        text = _CHAT_SPEAKER.sub("\n", text)
    return text.replace("|", "\n")


def people(text: str) -> set[str]:
    """Lower-cased names a text shows to be people's: @handles and chat-export speakers. The
    index drops these words everywhere in the collection ("Thanks Katharine" as well as
    "Katharine [5:07 PM]"): a name says who was there, not what failed."""
    found: set[str] = set()
    if "@" in text:
        found.update(m.group(1).lower() for m in _HANDLE.finditer(text) if m.group(1))
    if "]" in text and ":" in text:
        for match in _CHAT_SPEAKER.finditer(text):
            found.update((match.group(1) or match.group(2) or "").lower().split())
    return {word for word in found if word}


def is_word(raw: str) -> bool:
    """Whether a raw token is a word (not a sentence break)."""
    return _WORD.fullmatch(raw) is not None


def raw_words(text: str) -> list[str]:
    """The lower-cased words and sentence breaks of a Markdown text, in order."""
    return _TOKEN.findall(clean_text(text).lower())


def scanner(memo: dict[str, str] | None) -> Callable[[str | None], list[str]]:
    """:func:`raw_words`, remembered per text in ``memo`` (the words joined by NUL, one
    string per text: a list of every word would be millions of objects at 10,000 lessons).
    Called with None at the end, it drops the texts not asked for this time."""
    if memo is None:
        return raw_words  # type: ignore[return-value]
    used: set[str] = set()

    def scan(text: str | None) -> list[str]:
        if text is None:
            for gone in [t for t in memo if t not in used]:
                del memo[gone]
            return []
        used.add(text)
        joined = memo.get(text)
        if joined is None:
            found = raw_words(text)
            memo[text] = "\0".join(found)
            return found
        return joined.split("\0") if joined else []

    return scan


def stem(word: str) -> str:
    """Light plural folding (incidents → incident, policies → policy); nothing clever."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "'s")):
        return word[:-1]
    return word


def tokens(text: str, settings: SimilarSettings) -> tuple[list[str], list[str]]:
    """(terms, surface forms), aligned: words, and word pairs not split by punctuation, a line
    end or a stop word. The readable reference for what the index counts (it does the same on
    integer ids)."""
    terms: list[str] = []
    surfaces: list[str] = []
    prev_term = prev_surface = None
    for raw in raw_words(text):
        term = term_of(raw, settings)
        if term is None:
            prev_term = None
            continue
        surface = surface_form(raw)
        terms.append(term)
        surfaces.append(surface)
        if settings.bigrams and prev_term is not None:
            terms.append(f"{prev_term} {term}")
            surfaces.append(f"{prev_surface} {surface}")
        prev_term, prev_surface = term, surface
    return terms, surfaces


def surface_form(raw: str) -> str:
    surface = raw.replace("’", "'").strip("'.-")
    return surface[:-2] if surface.endswith("'s") else surface


def term_of(raw: str, settings: SimilarSettings) -> str | None:
    """The term a raw word counts as; None for breaks, stop words, numbers and single letters."""
    if not _WORD.fullmatch(raw):
        return None
    surface = surface_form(raw)
    if len(surface) < 2 or surface in STOP_WORDS or is_number_like(surface):
        return None
    term = stem(surface) if settings.stem else surface
    return settings.synonyms.get(term, term)


_DIGIT = re.compile(r"\d")


_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th|am|pm)")


def is_number_like(word: str) -> bool:
    """Times, dates, versions, sizes and ordinals ("15:36", "2020-01-21", "1.2.3", "300ms",
    "1st", "9pm") are noise."""
    if not _DIGIT.search(word):
        return False
    digits = sum(ch.isdigit() for ch in word)
    return digits * 2 >= len(word) or _ORDINAL.fullmatch(word) is not None




def told_in(summary: str | None, body: str) -> bool:
    """Whether the body already tells the summary (an imported postmortem's summary is its own
    first paragraph): counted again with its boost, those words would weigh three times. The
    summary's opening words found near the top of the body is enough (and cheap)."""
    if not summary or len(summary) < 20:
        return False
    return summary[:40] in body[:len(summary) * 4 + 2000]
