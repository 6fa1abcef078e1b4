"""Relative links that point at nothing the imported site has, written as plain text.

After the links to other imported files and to carried images are rewritten, a relative link
can still lead nowhere: an image that was not in the source, a page the import did not take
(``index.md``, ``../README.md``), an address written without its scheme
(``[Prow](prow.k8s.io)``), a target with a space (``[nb](a.ipynb b.ipynb)``: MkDocs reads
it as one path). ``mkdocs build --strict`` refuses such a link, so each one is
written as plain text that keeps what it said (``Prow (`prow.k8s.io`)``) and is named in the
import report: never dropped, never silently. Links inside code (fenced blocks, backtick
spans) are code, not links, and are left alone; raw HTML (``<img src>``) is not checked by
MkDocs and is only reported by the asset step."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

from .document import code_lines

_INLINE = re.compile(r"(!?)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(\s*"
                     r"(<[^>\n]*>|[^)\s]+(?:[ \t]+(?![\"'(])[^)\s]+)*)"
                     r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?\s*\)")
_REFERENCE = re.compile(r"^([ \t]{0,3})(\[(?!\^)[^\]\n]+\]:[ \t]*)(<[^>\n]*>|\S+)(.*)$")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def is_relative(address: str) -> bool:
    """A link MkDocs resolves among the site's files: no scheme, not absolute, not only an
    anchor."""
    return bool(address) and not _SCHEME.match(address) and \
        not address.startswith(("/", "#", "\\"))


def plain_unresolved(body: bytes, resolves: Callable[[str], bool]) -> tuple[bytes, list[str]]:
    """The body with every relative Markdown link or image whose target ``resolves`` says is
    not there written as plain text, and the targets so written (in order, once each)."""
    text = body.decode("utf-8", "surrogateescape")
    written: list[str] = []

    def target_of(raw: str) -> str | None:
        address = raw.strip("<>").split("#", 1)[0].split("?", 1)[0]
        if not is_relative(address) or resolves(unquote(address)):
            return None
        shown = raw.strip("<>")
        if shown not in written:
            written.append(shown)
        return shown

    def inline(match: re.Match[str]) -> str:
        target = target_of(match.group(3))
        if target is None:
            return match.group(0)
        label = match.group(2).strip()
        if match.group(1):
            return f"{label or 'image'} (image not found at import: `{target}`)"
        return f"{label} (`{target}`)" if label else f"`{target}`"

    out: list[str] = []
    lines = text.splitlines(keepends=True)
    for line, code in zip(lines, code_lines([x.rstrip("\r\n") for x in lines]), strict=True):
        if code:
            out.append(line)
            continue
        reference = _REFERENCE.match(line.rstrip("\n"))
        if reference and target_of(reference.group(3)) is not None:
            out.append(line[:len(reference.group(1))] + "\\" + line[len(reference.group(1)):])
            continue
        rebuilt, position = [], 0
        for span in _CODE_SPAN.finditer(line):
            rebuilt.append(_INLINE.sub(inline, line[position:span.start()]))
            rebuilt.append(span.group(0))
            position = span.end()
        rebuilt.append(_INLINE.sub(inline, line[position:]))
        out.append("".join(rebuilt))
    return "".join(out).encode("utf-8", "surrogateescape"), written


def resolver(target: Path, known: set[Path]) -> Callable[[str], bool]:
    """Whether a link from the lesson at ``target`` reaches a file: one this import writes
    (``known``: lessons and carried files) or one already in the output folder."""
    def resolves(address: str) -> bool:
        path = (target.parent / address).resolve()
        return path in known or path.is_file()
    return resolves
