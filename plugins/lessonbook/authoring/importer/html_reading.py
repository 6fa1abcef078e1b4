"""Postmortems whose body is HTML inside Markdown (blog exports: `<p>`, `<ul><li>`, `<h3>`,
`<b>Summary</b><br>`, `&nbsp;`) read as the Markdown they stand for, so headings, paragraphs,
lists and strike-through are found the way they are in Markdown. Only the reading changes:
the lesson keeps the body exactly as it was written."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from .document import code_lines

_BLOCK_TAGS = re.compile(r"<(?:p|div|ul|ol|li|h[1-6]|table|pre|blockquote)\b[^>]*>|"
                         r"<br\s*/?>\s*<br\s*/?>|&nbsp;", re.I)
"""What makes a body HTML: block tags, paragraphs split by two line breaks, or entities; a
line break alone ('Status: final<br> Owners: ...') is a Markdown form's, which the Markdown
reading already handles."""
_HTML = frozenset({
    "a", "abbr", "b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl",
    "dt", "em", "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "html", "i", "img", "kbd",
    "li", "ol", "p", "pre", "q", "s", "samp", "section", "small", "span", "strike", "strong",
    "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul",
    "del", "ins", "mark", "article", "header", "footer", "figure", "figcaption", "script",
    "style", "head", "title", "nav", "main", "aside", "wbr", "cite", "time", "label"})
"""Tags read as HTML; anything else in angle brackets ('<START OF OUTAGE>', '<service>')
is kept as the text it is."""
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]+|[\w.+-]+@[\w-]+\.[\w.-]+)>")
_LABEL_LINE = re.compile(r"^([ \t]*\*\*[^*\n]{1,80}\*\*[ \t]*:?)[ \t]*\n(?=[ \t]*\S)",
                         re.MULTILINE)
_PARAGRAPH = frozenset({"p", "div", "blockquote", "table", "section", "article", "header",
                        "footer", "center"})
_SKIP = frozenset({"script", "style", "head", "title"})


class _Reader(HTMLParser):
    """HTML → Markdown for reading: block tags become blank lines, `<hN>` an ATX heading,
    `<li>` a list item indented by its depth, `<b>` / `<strong>` bold, `<s>` / `<del>` /
    `<strike>` strike-through, `<pre>` a fenced block; entities decoded; text outside any
    HTML block (Markdown written around it) is kept line for line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.lists: list[str] = []  # 'ul' / 'ol' for each open list
        self.inline = 0  # open p / li / hN / td: text inside is one line of prose
        self.pre = 0
        self.skip = 0

    def _emit(self, text: str) -> None:
        self.out.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HTML:
            self.handle_data(self.get_starttag_text() or "")
        elif tag in _SKIP:
            self.skip += 1
        elif tag in _PARAGRAPH:
            self._emit("\n\n")
            self.inline += tag not in ("div", "table", "section", "article", "center")
        elif re.fullmatch(r"h[1-6]", tag):
            self._emit("\n\n" + "#" * int(tag[1]) + " ")
            self.inline += 1
        elif tag in ("ul", "ol"):
            self.lists.append(tag)
            self._emit("\n")
        elif tag == "li":
            depth = max(len(self.lists) - 1, 0)
            marker = "1." if self.lists and self.lists[-1] == "ol" else "-"
            self._emit("\n" + "    " * depth + marker + " ")
            self.inline += 1
        elif tag == "br":
            self._emit(" " if self._in_item() else "\n")
        elif tag in ("b", "strong"):
            self._emit("**")
        elif tag in ("s", "del", "strike"):
            self._emit("~~")
        elif tag == "pre":
            self._emit("\n\n```\n")
            self.pre += 1
        elif tag in ("td", "th"):
            self._emit(" | ")
        elif tag == "tr":
            self._emit("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag not in _HTML:
            self.handle_data(f"</{tag}>")
        elif tag in _SKIP:
            self.skip = max(self.skip - 1, 0)
        elif tag in _PARAGRAPH:
            self._emit("\n\n")
            if tag not in ("div", "table", "section", "article", "center"):
                self.inline = max(self.inline - 1, 0)
        elif re.fullmatch(r"h[1-6]", tag):
            self._emit("\n\n")
            self.inline = max(self.inline - 1, 0)
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self._emit("\n\n" if not self.lists else "")
        elif tag == "li":
            self.inline = max(self.inline - 1, 0)
        elif tag in ("b", "strong"):
            self._emit("**")
        elif tag in ("s", "del", "strike"):
            self._emit("~~")
        elif tag == "pre":
            self._emit("\n```\n\n")
            self.pre = max(self.pre - 1, 0)

    def _in_item(self) -> bool:
        return bool(self.lists) and self.inline > 0

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        data = data.replace("\xa0", " ")
        if self.pre:
            self._emit(data)
        elif self.inline or self.lists:
            self._emit(re.sub(r"\s+", " ", data))
        else:
            self._emit(data)


def _tidy(text: str) -> str:
    """Bold that wraps only spaces dropped, each line's spaces trimmed, runs of blank lines
    one, and a bold label alone on its line ('**Overview:**' then a line break) a paragraph
    of its own, as a label above its text."""
    text = re.sub(r"\*\*([ \t]*)\*\*", r"\1", text)
    lines = []
    for line in text.split("\n"):
        stripped = line.rstrip()
        item = re.match(r"^( *)(-|1\.) +(.*)$", stripped)
        lines.append(f"{item.group(1)}{item.group(2)} {item.group(3)}" if item
                     else stripped.lstrip() if stripped.strip().startswith(("**", "#"))
                     else stripped)
    text = "\n".join(lines)
    text = _LABEL_LINE.sub(r"\1\n\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


def readable(text: str) -> str:
    """The text as it reads: HTML blocks written inside the Markdown as Markdown, fenced
    code untouched. Text with no HTML block tag is returned as it is."""
    if not _BLOCK_TAGS.search(text):
        return text
    lines = text.split("\n")
    code = code_lines(lines)
    chunks: list[tuple[bool, list[str]]] = []
    for line, fenced in zip(lines, code, strict=True):
        if chunks and chunks[-1][0] == fenced:
            chunks[-1][1].append(line)
        else:
            chunks.append((fenced, [line]))
    out: list[str] = []
    for fenced, chunk in chunks:
        if fenced:
            out.append("\n".join(chunk) + "\n")
            continue
        reader = _Reader()
        reader.feed(_AUTOLINK.sub(r"\1", "\n".join(chunk)).replace("\\<", "&lt;"))
        reader.close()
        out.append(_tidy("".join(reader.out)))
    return "\n".join(out)
