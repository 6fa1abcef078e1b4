"""How the candidate chart libraries compare for Insights (docs/insights.md keeps the figures).

    python benchmarks/chart_candidates.py vl-convert|matplotlib|pygal [--out DIR]

Run once per library (each in a fresh process, so import cost is counted): draws the same
stacked bar chart (16 quarters x 5 kinds) ten times and prints import time, first chart, the
next nine, and the SVG's size. The charts are written to --out for a look in light and dark.
The colours are CSS variables where the library lets them through, so the page's palette
decides them.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
from pathlib import Path

QUARTERS = [f"{y}-Q{q}" for y in range(2022, 2026) for q in range(1, 5)]
KINDS = ["postmortem", "aar", "near-miss", "premortem", "experiment"]
COLOURS = [f"var(--lb-chart-{i})" for i in range(1, 6)]
HEX = ["#3f51b5", "#ff7043", "#26a69a", "#ab47bc", "#8d6e63"]


def data() -> list[tuple[str, str, int]]:
    rng = random.Random(7)
    return [(q, k, rng.randint(0, 6)) for q in QUARTERS for k in KINDS]


def vega(rows: list[tuple[str, str, int]]) -> str:
    import vl_convert as vlc

    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": [{"quarter": q, "kind": k, "count": c} for q, k, c in rows]},
        "mark": "bar", "width": 560, "height": 220, "background": None,
        "encoding": {"x": {"field": "quarter", "type": "ordinal"},
                     "y": {"field": "count", "type": "quantitative", "stack": True},
                     "color": {"field": "kind", "scale": {"domain": KINDS, "range": COLOURS}}},
        "config": {"axis": {"labelColor": "currentColor", "titleColor": "currentColor",
                            "domainColor": "currentColor", "tickColor": "currentColor",
                            "gridColor": "currentColor", "gridOpacity": 0.15},
                   "legend": {"labelColor": "currentColor", "titleColor": "currentColor"}},
    }
    return vlc.vegalite_to_svg(spec)


def mpl(rows: list[tuple[str, str, int]]) -> str:
    import matplotlib

    matplotlib.use("svg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.fonttype"] = "none"  # text stays text (glyph paths are 5x bigger)
    fig, ax = plt.subplots(figsize=(7, 2.8))
    bottom = [0] * len(QUARTERS)
    for kind, colour in zip(KINDS, HEX, strict=True):
        values = [c for q, k, c in rows if k == kind]
        ax.bar(QUARTERS, values, bottom=bottom, color=colour, label=kind)
        bottom = [a + b for a, b in zip(bottom, values, strict=True)]
    ax.legend()
    ax.tick_params(axis="x", labelrotation=90)
    out = io.StringIO()
    fig.savefig(out, format="svg", transparent=True, bbox_inches="tight")
    plt.close(fig)
    text = out.getvalue()
    for colour, var in zip(HEX, COLOURS, strict=True):  # the palette decides, after the fact
        text = text.replace(colour, var)
    return text


def pyg(rows: list[tuple[str, str, int]]) -> str:
    import pygal
    from pygal.style import Style

    style = Style(background="transparent", plot_background="transparent",
                  foreground="currentColor", foreground_strong="currentColor",
                  foreground_subtle="currentColor", colors=tuple(COLOURS))
    chart = pygal.StackedBar(style=style, js=[], width=700, height=300, x_label_rotation=90,
                             disable_xml_declaration=True)
    chart.x_labels = QUARTERS
    for kind in KINDS:
        chart.add(kind, [c for q, k, c in rows if k == kind])
    return chart.render(is_unicode=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("library", choices=["vl-convert", "matplotlib", "pygal"])
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    draw = {"vl-convert": vega, "matplotlib": mpl, "pygal": pyg}[args.library]
    rows = data()
    t0 = time.perf_counter()
    module = {"vl-convert": "vl_convert", "matplotlib": "matplotlib.pyplot",
              "pygal": "pygal"}[args.library]
    __import__(module)
    t1 = time.perf_counter()
    svg = draw(rows)
    t2 = time.perf_counter()
    for _ in range(9):
        draw(rows)
    t3 = time.perf_counter()
    print(f"{args.library:11} import {1000 * (t1 - t0):6.0f} ms   first chart "
          f"{1000 * (t2 - t1):6.0f} ms   next {1000 * (t3 - t2) / 9:6.1f} ms each   "
          f"svg {len(svg.encode()):7,} bytes")
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / f"{args.library}.svg").write_text(svg, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
