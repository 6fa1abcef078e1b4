"""Text from lessons made inert in a pull-request comment: GitHub-flavoured Markdown that may
hold HTML (our <details>), rendered by GitHub, GitLab or python-markdown.

One function for every user string the comment prints (:func:`inert`). It works by character
references, not backslashes, because a reference means the same character in Markdown text,
in a table cell and inside an HTML block such as <summary> (where backslash escapes do not
work), and no Markdown or HTML construct starts with one:

* every character that opens markup (HTML tags and entities, links and images, emphasis, code
  spans and fences, table cells, headings, block quotes, list markers, escapes) is written as
  its reference, so a title like ``<img onerror=…>`` or ``[x](javascript:…)`` is shown as text;
* what GitHub links *after* rendering — @mentions, #123 issue references and bare URLs — gets
  a zero-width space after the ``@``, the ``#`` and the scheme's ``:``, so nobody is notified
  and nothing becomes a link (the text still reads the same);
* line breaks, tabs and other separators become one space: user text never starts a block.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

ZERO_WIDTH_SPACE = "\u200b"

_REFERENCES = {ch: f"&#{ord(ch)};" for ch in "&<>[]!*_`~|#\\{}$"}
"""Parentheses and quotes are left as they are: without a ``[`` or a tag they open nothing."""
_LINE_START = {ch: f"&#{ord(ch)};" for ch in "-+=>:"}
_ORDERED_ITEM = re.compile(r"\d+[.)]")
_SPACE = re.compile(r"[\s\u2028\u2029\x00-\x1f\x7f\u0085]+")
_AUTOLINK = re.compile(r"(?i)(://|www\.|mailto:|xmpp:)")


def inert(text: object) -> str:
    """``text`` as Markdown (and HTML) that renders as exactly that text, on one line."""
    value = _SPACE.sub(" ", str(text)).strip()
    value = _AUTOLINK.sub(lambda m: m.group(1)[:-1] + ZERO_WIDTH_SPACE + m.group(1)[-1], value)
    out = []
    for ch in value:
        if ch in _REFERENCES:
            out.append(_REFERENCES[ch])
            if ch == "#":
                out.append(ZERO_WIDTH_SPACE)
        elif ch == "@":
            out.append("&#64;" + ZERO_WIDTH_SPACE)
        else:
            out.append(ch)
    if out and out[0] in _LINE_START:  # never a list item, heading rule or quote
        out[0] = _LINE_START[out[0]]
    elif _ORDERED_ITEM.match(value):
        out[0] = f"&#{ord(out[0])};"
    return "".join(out)


def inert_code(text: object) -> str:
    """Short text meant to look like code (an id): shown in <code>, still inert."""
    return f"<code>{inert(text)}</code>"


def safe_url(base: str | None, path: str, anchor: str | None = None) -> str | None:
    """An absolute http(s) link to a page of the published site, every part percent-encoded;
    None when there is no usable site_url (the comment then names pages without links)."""
    if not base:
        return None
    parts = urlsplit(base.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or any(
            ch in base for ch in "<>\"' ()`\\"):
        return None
    url = base.strip().rstrip("/") + "/" + quote(path.lstrip("/"), safe="/")
    if anchor:
        url += "#" + quote(anchor, safe="")
    return url


def link(text: str, url: str | None) -> str:
    """``text`` (already inert) linked to ``url`` (from :func:`safe_url`), or plain."""
    return f"[{text}]({url})" if url else text
