"""Charts that keep their colours and type on a host that strips styles.

Backstage TechDocs (and other sanitising hosts) remove every ``<style>`` element and every
stylesheet but Material's, so a chart styled by CSS alone loses its colours, and pygal's
background rectangles and line areas fall back to SVG's default black fill: a black box. This
writes what the chart needs as SVG presentation attributes instead (fill, stroke, font size,
text anchor, visibility), and drops pygal's ``<style>`` block. Presentation attributes rank
below any CSS rule, so where insights.css does load, it still wins (the dark scheme's colours
included); these are the light scheme's.
"""

from __future__ import annotations

import re

SERIES_COLOURS = ("#3949ab", "#e64a19", "#00897b", "#8e24aa", "#6d4c41", "#c0ca33", "#546e7a",
                  "#d81b60")
"""insights.css's light-scheme ``--lb-chart-N`` values, in order."""

_STYLE_BLOCK = re.compile(r"<defs>\s*<style\b[^>]*>.*?</style>\s*</defs>|<style\b[^>]*>.*?"
                          r"</style>", re.S)
_TAG = re.compile(r"<(svg|g|rect|path|text|circle)\b([^>]*?)(/?)>")
_CLASS = re.compile(r'\bclass="([^"]*)"')

_BY_CLASS: tuple[tuple[frozenset[str], dict[str, str]], ...] = (
    (frozenset({"background"}), {"fill": "none"}),
    (frozenset({"nofill"}), {"fill": "none"}),
    (frozenset({"major", "guide", "line"}), {"fill": "none", "stroke": "currentColor",
                                             "stroke-opacity": "0.3",
                                             "stroke-dasharray": "6,6"}),
    (frozenset({"guide", "line"}), {"fill": "none", "stroke": "currentColor",
                                    "stroke-opacity": "0.2", "stroke-dasharray": "4,4"}),
    (frozenset({"axis", "line"}), {"fill": "none", "stroke": "currentColor",
                                   "stroke-opacity": "0.5"}),
    (frozenset({"line", "reactive"}), {"fill": "none", "stroke-width": "2"}),
    (frozenset({"axis", "x"}), {"text-anchor": "middle", "font-size": "13"}),
    (frozenset({"axis", "y"}), {"text-anchor": "end", "font-size": "13"}),
    (frozenset({"legends"}), {"font-size": "14"}),
    (frozenset({"titles"}), {"font-size": "16", "text-anchor": "middle"}),
    (frozenset({"text-overlay"}), {"font-size": "12"}),
    (frozenset({"tooltip-overlay"}), {"display": "none"}),
    (frozenset({"showable"}), {"visibility": "hidden"}),
    (frozenset({"backwards"}), {"text-anchor": "end"}),
    (frozenset({"dot"}), {"stroke-width": "1"}),
)
"""Class tokens → attributes, first match per attribute wins (pygal's own stylesheet, and
insights.css's rules for it, as attributes)."""


def _attributes(tag: str, classes: set[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    if tag == "svg":
        out["fill"] = "currentColor"  # text; shapes are given their own fill below
    if tag == "text":
        out["fill"] = "currentColor"
        out["stroke"] = "none"
    for token in classes:
        if token.startswith("color-") and token[6:].isdigit():
            colour = SERIES_COLOURS[int(token[6:]) % len(SERIES_COLOURS)]
            out.setdefault("fill", colour)
            out.setdefault("stroke", colour)
    for needed, attrs in _BY_CLASS:
        if needed <= classes:
            for name, value in attrs.items():
                out.setdefault(name, value)
    return out


def inline_presentation(svg: str) -> str:
    """pygal's SVG with its styling as attributes and without its <style> block."""
    svg = _STYLE_BLOCK.sub("", svg)

    def rewrite(m: re.Match[str]) -> str:
        tag, attrs, close = m.groups()
        found = _CLASS.search(attrs)
        classes = set(found.group(1).split()) if found else set()
        extra = _attributes(tag, classes)
        present = set(re.findall(r'\s([a-z-]+)=', attrs))
        added = "".join(f' {k}="{v}"' for k, v in extra.items() if k not in present)
        return f"<{tag}{attrs}{added}{close}>" if not close else \
            f"<{tag}{attrs.rstrip()}{added} />"

    return _TAG.sub(rewrite, svg)
