"""The papers-per-year chart as SVG text, stacked by top-level section.

``year_chart`` is pure: counts in, SVG text out.  matplotlib (with its SVG
backend, never a GUI one) is imported inside it, so only the commands that
draw pay for it; importing it is most of what `lclm export html` costs, so
``cached_year_chart`` keeps each chart drawn in lclm's cache (keyed by the
counts, the labels and this module's code) and draws only what it lacks.  Text stays text in the SVG (the page's font, selectable) and
every line and label is drawn in ``currentColor``: the chart follows the
reader's light or dark theme on the web page and, through its own small
style sheet, in a README.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# Okabe & Ito's colour-blind-safe palette, in an order whose neighbours differ
# in lightness; each reads on white and on a dark background.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
# Drawn in this colour, then written as currentColor.
_INK = "#123456"
# matplotlib settings: text kept as text (never read as $mathtext$), ids that do not change between runs.
_RC: Any = {
    "svg.fonttype": "none",
    "text.parse_math": False,
    "svg.hashsalt": "lclm",
    "font.size": 11,
    "text.color": _INK,
    "axes.edgecolor": _INK,
    "axes.labelcolor": _INK,
    "xtick.color": _INK,
    "ytick.color": _INK,
}
# The chart's own colours where no page styles it (an <img> in a README).
_STYLE = (
    "<style>.lclm-chart{color:#1f2328}"
    "@media (prefers-color-scheme: dark){.lclm-chart{color:#d1d7e0}}</style>"
)
_FONTS = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
# Up to this many years, every year is a tick of its own.
ALL_YEARS = 12
_FONT_RE = re.compile(r"font-family: *[^;\"]+|font: *([0-9.]+px) *'[^']+'")


def year_chart(
    counts: Mapping[int, Mapping[str, int]],
    title: str = "",
    label: str = "",
    ylabel: str = "papers",
    width: float = 7.0,
    height: float = 3.0,
) -> str:
    """An SVG bar chart of papers per year, each bar stacked by the sections in ``counts``.

    ``counts`` maps year -> section -> papers (sections in legend order);
    years missing between the first and the last are drawn as empty bars.
    ``title`` is drawn above the bars; ``label`` names the chart for screen
    readers (``title`` when not given).
    """
    import warnings

    from matplotlib import rc_context
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    years = list(range(min(counts), max(counts) + 1)) if counts else []
    sections = list(dict.fromkeys(s for per in counts.values() for s in per))
    with rc_context(_RC), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # glyphs the metrics font lacks (CJK headings)
        figure = Figure(figsize=(width, height))
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        bottom = [0] * len(years)
        bars = []
        for i, section in enumerate(sections):
            values = [counts.get(y, {}).get(section, 0) for y in years]
            bars.append(axes.bar(years, values, bottom=bottom, color=PALETTE[i % len(PALETTE)], width=0.8))
            bottom = [b + v for b, v in zip(bottom, values)]
        if years:
            axes.set_xlim(years[0] - 0.6, years[-1] + 0.6)
        if len(years) <= ALL_YEARS:  # a locator would put ticks between the years of a short span
            axes.set_xticks(years, [str(y) for y in years])
        else:
            axes.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=ALL_YEARS))
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.spines[["top", "right"]].set_visible(False)
        axes.grid(axis="y", color=_INK, alpha=0.15, linewidth=0.6)
        axes.set_axisbelow(True)
        axes.set_ylabel(ylabel)
        if title:
            axes.set_title(title, loc="left")
        if sections:  # handles given outright: a label passed to bar() that starts with "_" is hidden
            axes.legend(bars, sections, frameon=False, loc="upper left", fontsize=10, ncols=2 if len(sections) > 6 else 1)
        figure.tight_layout(pad=0.4)
        out = io.StringIO()
        figure.savefig(out, format="svg", transparent=True, metadata={"Date": None, "Creator": None})
    return _finish(out.getvalue(), label or title or "Papers per year")


def cached_year_chart(counts: Mapping[int, Mapping[str, int]], **options: Any) -> str:
    """``year_chart(counts, **options)``, from lclm's cache when drawn before."""
    import json

    from lclm.store.cache import cache_file, digest, make_stamp, read_blob, write_blob

    key = json.dumps([sorted((y, list(s.items())) for y, s in counts.items()), sorted(options.items())], ensure_ascii=False)
    path = cache_file(None, "chart", digest(key.encode()) + ".svg")
    stamp = make_stamp("chart", 1, digest(Path(__file__).read_bytes()))
    found = read_blob(path, stamp)
    if found is not None:
        return found.decode("utf-8")
    svg = year_chart(counts, **options)
    write_blob(path, stamp, svg.encode("utf-8"))
    return svg


def _finish(svg: str, label: str) -> str:
    """Theme-following, scalable, labelled SVG: no prologue, metadata or unused ids."""
    from html import escape

    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.DOTALL)
    svg = svg.replace(_INK, "currentColor")
    svg = _FONT_RE.sub(lambda m: f"font: {m.group(1)} {_FONTS}" if m.group(1) else f"font-family: {_FONTS}", svg)
    svg = re.sub(r'<svg ([^>]*?)width="[^"]*" height="[^"]*"', r"<svg \1", svg, count=1)
    # Ids such as "figure_1" would clash with the anchors of the page the chart sits in.
    used = set(re.findall(r"#([\w.-]+)\)?\"", svg))
    svg = re.sub(r' id="([^"]*)"', lambda m: m.group(0) if m.group(1) in used else "", svg)
    head = f'<svg class="lclm-chart" role="img" aria-label="{escape(label)}" '
    svg = svg.replace("<svg ", head, 1)
    return svg.replace("<defs>", _STYLE + "<defs>", 1) if "<defs>" in svg else svg
