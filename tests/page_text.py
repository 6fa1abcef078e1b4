"""Reading built pages as a reader (or a sanitising host) sees them: the visible text of a
page's main content, and a page with what Backstage TechDocs strips taken out."""

from __future__ import annotations

import re
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
INVISIBLE = {"script", "style", "template", "noscript", "title", "desc"}
BLOCK = {"p", "div", "li", "dt", "dd", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
         "section", "article", "details", "summary", "ul", "ol", "dl", "table", "thead",
         "tbody", "figure", "figcaption", "nav", "header", "footer", "br", "hr", "blockquote",
         "pre", "fieldset", "legend", "form", "label", "svg", "g", "text"}
"""Elements a browser separates from their neighbours (a line, a cell): their edges count as
whitespace, however the HTML around them was laid out."""


class _MainText(HTMLParser):
    """Text inside Material's ``article.md-content__inner``, without headings' permalinks,
    elements marked ``hidden`` and what a browser does not show."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, shown)
        self.inside = 0
        self.parts: list[str] = []

    def _shown(self) -> bool:
        return all(shown for _, shown in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if not self.inside:
            if tag == "article" and "md-content__inner" in classes:
                self.inside = 1
                self.stack = [(tag, True)]
            return
        shown = not ("hidden" in a or "headerlink" in classes or tag in INVISIBLE)
        if tag in BLOCK:
            self.parts.append(" ")
        if tag in VOID:
            return
        self.stack.append((tag, shown))

    def handle_endtag(self, tag: str) -> None:
        if not self.inside or tag in VOID:
            return
        if tag in BLOCK:
            self.parts.append(" ")
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break
        if not self.stack:
            self.inside = 0

    def handle_data(self, data: str) -> None:
        if self.inside and self._shown():
            self.parts.append(data)


def main_text(page_html: str) -> str:
    """The words a reader sees in a page's main content, whitespace normalised."""
    parser = _MainText()
    parser.feed(page_html)
    return " ".join("".join(parser.parts).split())


MATERIAL_STYLESHEET = re.compile(r"assets/stylesheets/(main|palette)\.[0-9a-f]+\.min\.css")


def strip_like_techdocs(page_html: str) -> str:
    """The page as Backstage's TechDocs reader keeps it: every <script> and <style> element
    gone, and every stylesheet other than Material's own (main and palette)."""
    page_html = re.sub(r"<script\b.*?</script\s*>", "", page_html, flags=re.S | re.I)
    page_html = re.sub(r"<style\b.*?</style\s*>", "", page_html, flags=re.S | re.I)

    def link(m: re.Match[str]) -> str:
        tag = m.group(0)
        if "stylesheet" not in tag.lower() or MATERIAL_STYLESHEET.search(tag):
            return tag
        return ""

    return re.sub(r"<link\b[^>]*>", link, page_html, flags=re.I)
