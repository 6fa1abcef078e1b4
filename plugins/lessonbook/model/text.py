"""What text a lesson may hold, and how any text is printed where a reader (or a machine) reads
lines: a terminal, a build log, a CI annotation, a JSON document.

Two rules, kept together because they are two sides of one promise ("text is valid everywhere,
and printing it cannot do anything but print it"):

- **Accepted text** is what YAML itself lets an author type: every character of YAML's
  printable set (tab, line breaks and everything from U+0020 on, except the surrogates, U+FFFE
  and U+FFFF, the C1 controls and DEL). Anything else can only come from an escape such as
  ``"\\ud800"``, ``"\\e"`` or ``"\\0"``, and nothing downstream can carry it: a lone surrogate
  cannot be encoded as UTF-8 (the page, the feed, Pagefind, the terminal all fail on it) and
  control characters are not allowed in XML (the feed) or sane in a log.
- **Printed text** never starts a line or a command it was not meant to: line breaks, controls,
  escape sequences, surrogates and the bidirectional overrides become visible ``\\x..``-style
  escapes, and the two ways GitHub Actions reads a workflow command from a log line (``::name``
  at the start of the line after white space, ``##[name]`` anywhere in it) are broken up.
"""

from __future__ import annotations

import json
import re
from typing import Any

NOT_ACCEPTED = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""A character YAML does not let an author type (YAML 1.1/1.2 ``c-printable``)."""

_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029"
                          "\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
"""What a line of output never shows as is: controls (tab excepted), surrogates, the Unicode
line and paragraph separators, and the bidirectional embeddings, overrides and isolates (which
reorder how the rest of a log line is displayed)."""

_NAMED = {"\n": "\\n", "\r": "\\r"}


def bad_character(text: str) -> str | None:
    """The first character of ``text`` a lesson may not hold, or None."""
    found = NOT_ACCEPTED.search(text)
    return found.group() if found else None


def describe_character(char: str) -> str:
    """'a lone surrogate (\\ud800)', 'the control character \\x1b', ... for an error message."""
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return f"a lone surrogate ({escape_character(char)}), which is not Unicode text"
    if code in (0xFFFE, 0xFFFF):
        return f"the non-character {escape_character(char)}"
    return f"the control character {escape_character(char)}"


def escape_character(char: str) -> str:
    """One character as a Python/JSON-style escape: \\n, \\x1b, \\u2028, \\ud800."""
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every character :data:`NOT_ACCEPTED` written as an escape (for naming a
    key or value that holds one)."""
    return NOT_ACCEPTED.sub(lambda m: escape_character(m.group()), text)


def for_terminal(line: str) -> str:
    """One line of output to a terminal or a log, whatever text it holds: it stays one line,
    shows no control sequence and starts no GitHub Actions workflow command. Idempotent, so
    a line made of already neutralised parts may be passed again."""
    text = _UNPRINTABLE.sub(lambda m: escape_character(m.group()), line)
    text = text.replace("##[", "#\\#[")
    rest = text.lstrip()
    if rest.startswith("::"):
        text = text[: len(text) - len(rest)] + "\\" + rest
    return text


def github_data(text: str) -> str:
    """The message of a workflow command (``::error ...::MESSAGE``): escaped as GitHub's
    toolkit does for data (%, CR and LF, which GitHub shows as line breaks inside the
    annotation), then neutralised as a terminal line (other controls, ``##[``)."""
    return for_terminal(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def github_property(text: str) -> str:
    """A property of a workflow command (``file=``, ``title=``): data escaping plus ':' and ','
    (which end a property or the property list)."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


_JSON_UNSAFE = re.compile("[\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def for_json(document: Any, indent: int | None = 1) -> str:
    """``document`` as JSON text that prints on any terminal and parses everywhere: non-ASCII
    text kept readable, but every character :func:`for_terminal` would escape written as a
    ``\\uXXXX`` escape (json.dumps already does so below U+0020), and the '[' of ``##[`` too,
    which GitHub's runner reads as a command anywhere in a log line. Such characters can only
    be inside strings, where the escape means the same character."""
    text = json.dumps(document, ensure_ascii=False, indent=indent)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text).replace("##[", "##\\u005b")
