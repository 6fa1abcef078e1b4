"""Charts drawn at build time with pygal, and their data tables: the drawing every chart of the
Insights page shares (site/insights.py decides what each chart shows).

Colours are CSS variables and text is ``currentColor``, so Material's light and dark palettes
(and print) decide how they look. Output is deterministic: pygal's random chart id becomes one
derived from the chart's name, and its tooltip script and generator comment are removed.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup
from pygal.style import Style

from .svg_inline import inline_presentation

PALETTE = tuple(f"var(--lb-chart-{i})" for i in range(1, 9))
"""Series colours; insights.css defines them for the light and the dark scheme."""
WIDTH, HEIGHT = 720, 340

_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_ROOT_TITLE = re.compile(r"<title>Pygal</title>")
_SVG_OPEN = re.compile(r"<svg\b")
_TOOLTIP_DATA = re.compile(r'<desc class="[^"]*">[^<]*</desc>')
_LONG_DECIMAL = re.compile(r"(\d\.\d{2})\d+")

@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]


@dataclass
class Chart:
    """One chart of the page: its heading, what it shows, the drawing (or why there is none),
    and the data as a table."""

    key: str
    title: str
    description: str
    table: Table
    question: str = ""
    """The one question the chart answers, the section's heading ("Are follow-ups done?")."""
    svg: Markup | None = None
    too_few: str | None = None
    reading: str = ""
    """How to read it: what a healthy trend looks like."""
    term: tuple[str, str] | None = None
    """(glossary word key, the word as the page says it): linked under the description."""


# --- drawing ---------------------------------------------------------------------------------
def chart_style() -> Style:
    return Style(background="transparent", plot_background="transparent",
                 foreground="currentColor", foreground_strong="currentColor",
                 foreground_subtle="currentColor", colors=PALETTE, opacity="1",
                 opacity_hover="1", font_family="inherit", label_font_size=13,
                 major_label_font_size=13, legend_font_size=14, value_font_size=12,
                 tooltip_font_size=12, no_data_font_size=16, guide_stroke_color="currentColor",
                 major_guide_stroke_color="currentColor")


def chart_config(**extra: Any) -> dict[str, Any]:
    # No script, and none of pygal's stylesheets: insights.css styles every chart once.
    base: dict[str, Any] = dict(style=chart_style(), js=[], css=[], width=WIDTH, height=HEIGHT,
                                legend_box_size=14, margin_bottom=24,
                                disable_xml_declaration=True, legend_at_bottom=True,
                                legend_at_bottom_columns=4, truncate_legend=-1,
                                truncate_label=-1, margin=12, show_y_guides=True,
                                explicit_size=False, pretty_print=False)
    base.update(extra)
    return base


def render_svg(chart: Any, key: str, title: str, description: str) -> Markup:
    """pygal's SVG, made deterministic and script-free, named and described for assistive
    technology. Text in it (labels, series names) is escaped by pygal's XML writer."""
    _fit_legend(chart)
    svg = chart.render(is_unicode=True)
    svg = _SCRIPT.sub("", _COMMENT.sub("", svg))
    svg = _TOOLTIP_DATA.sub("", svg)  # data for pygal's tooltip script, which is not loaded
    svg = _LONG_DECIMAL.sub(r"\1", svg)  # 0.01 of a pixel is enough
    svg = inline_presentation(svg)  # colours and type survive a host that strips styles
    svg = _UUID.sub(key, svg)
    ids = f"lb-chart-{key}-title", f"lb-chart-{key}-desc"
    svg = _ROOT_TITLE.sub("", svg, count=1)
    label = (f'<title id="{ids[0]}">{html.escape(title)}</title>'
             f'<desc id="{ids[1]}">{html.escape(description)}</desc>')
    svg = svg.replace('class="pygal-chart"', 'class="pygal-chart lb-chart__svg"', 1)
    svg = _SVG_OPEN.sub(f'<svg role="img" aria-labelledby="{ids[0]} {ids[1]}" '
                        'focusable="false"', svg, count=1)
    head_end = svg.index(">") + 1
    return Markup(svg[:head_end] + label + svg[head_end:])  # title and desc escaped above


LEGEND_CHAR = 8.2
"""Width of an average legend character at legend_font_size 14, in SVG units (a little over
the real average, so the widest name still fits its column)."""


def legend_columns(names: list[str], width: int = WIDTH) -> int:
    """As many legend columns as the longest series name leaves room for: pygal gives each
    column an equal share of the width and never truncates (truncate_legend=-1), so a column
    narrower than its name would run into the next ("near mis■Repeats")."""
    longest = max((len(n) for n in names), default=1)
    room = width - 2 * 12 - 20  # margins, and pygal's indent
    per_column = 14 + 8 + longest * LEGEND_CHAR + 16  # box, gap, name, space to the next
    return max(1, min(len(names), int(room // per_column)))


def _fit_legend(chart: Any) -> None:
    names = [str(options.get("title") or "") for _, options in chart.raw_series]
    if names:
        chart.config.legend_at_bottom_columns = legend_columns(names, chart.config.width)


def quarter_labels(quarters: list[str]) -> dict[str, Any]:
    """Every quarter labelled (up to six years of them; beyond, each year's Q1), turned when
    more than six so neighbours never touch."""
    if len(quarters) <= 24:
        return {"x_labels": quarters, "x_label_rotation": -45 if len(quarters) > 6 else 0}
    return {"x_labels": quarters, "x_labels_major": [q for q in quarters if q.endswith("Q1")],
            "show_minor_x_labels": False, "x_label_rotation": -45}


def count_ticks(values: list[int]) -> dict[str, Any]:
    """Whole-number y labels for counts (pygal would print 0.2, 0.4 ... for small ones)."""
    top = max(values, default=0)
    step = max(1, -(-top // 8))
    return {"y_labels": list(range(0, top + step + 1, step)) if top else [0, 1]}


def percent(share: float | None) -> str:
    return "—" if share is None else f"{round(share * 100)}%"
