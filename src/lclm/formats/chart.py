"""The papers-per-year chart as SVG text, stacked by top-level section.

``year_chart`` is pure: counts in, SVG text out, written from a small
template (no plotting library: lclm installs in a few megabytes and the
commands that draw start fast).  Text stays text in the SVG (the page's
font, selectable); every line and label is drawn in ``currentColor``, so the
chart follows the reader's light or dark theme on the web page and, through
its own small style sheet, in a README.  ``<title>`` and ``<desc>`` name it
and give its numbers for screen readers (the web page also shows them as a
table).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import Any

# Okabe & Ito's colour-blind-safe palette, in an order whose neighbours differ
# in lightness; each reads on white and on a dark background.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
# The chart's own colours where no page styles it (an <img> in a README).
_STYLE = (
    "<style>.lclm-chart{color:#1f2328;font:11px system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif}"
    "@media (prefers-color-scheme: dark){.lclm-chart{color:#d1d7e0}}</style>"
)
# The drawing's frame in SVG units: the plot's left, right, top and bottom edges, and the legend's x.
WIDTH, HEIGHT = 780, 300  # the legend right of the plot holds names of about 30 characters
LEFT, RIGHT, TOP, BOTTOM, LEGEND = 48, 540, 34, 270, 556
YEAR_LABEL = 34  # the width a year label needs; narrower bars label every n-th year


def year_chart(counts: Mapping[int, Mapping[str, int]], title: str = "", label: str = "", ylabel: str = "papers") -> str:
    """An SVG bar chart of papers per year, each bar stacked by the sections in ``counts``.

    ``counts`` maps year -> section -> papers (sections in legend order);
    years missing between the first and the last are drawn as empty bars.
    ``title`` is drawn above the bars; ``label`` names the chart for screen
    readers (``title`` when not given).
    """
    years = list(range(min(counts), max(counts) + 1)) if counts else []
    sections = list(dict.fromkeys(s for per in counts.values() for s in per))
    totals = [sum(counts.get(y, {}).values()) for y in years]
    step = _tick_step(max(totals, default=0))
    top = step * max(1, math.ceil(max(totals, default=0) / step))
    slot = (RIGHT - LEFT) / max(len(years), 1)
    every = max(1, math.ceil(YEAR_LABEL / slot))
    scale = (BOTTOM - TOP) / top
    name = label or title or "Papers per year"
    parts = [
        f'<svg class="lclm-chart" role="img" aria-label="{escape(name)}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}">',
        f"<title>{escape(name)}</title>",
        f"<desc>{escape(_describe(years, totals, ylabel))}</desc>",
        _STYLE,
        f'<text x="{LEFT}" y="18" font-size="13">{escape(title)}</text>' if title else "",
        f'<text transform="translate(14 {(TOP + BOTTOM) // 2}) rotate(-90)" text-anchor="middle" fill="currentColor">{escape(ylabel)}</text>',
    ]
    for value in range(0, top + 1, step):  # the y axis: a faint grid line and a label per tick
        y = BOTTOM - value * scale
        parts.append(f'<line x1="{LEFT}" x2="{RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="currentColor" stroke-opacity="0.15"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="currentColor">{value}</text>')
    for i, year in enumerate(years):  # the bars, bottom section first, and every n-th year below
        x, base = LEFT + i * slot + slot * 0.1, float(BOTTOM)
        for colour, section in zip(_colours(len(sections)), sections):
            height = counts.get(year, {}).get(section, 0) * scale
            if height:
                base -= height
                parts.append(
                    f'<rect x="{x:.1f}" y="{base:.1f}" width="{slot * 0.8:.1f}" height="{height:.1f}" fill="{colour}">'
                    f"<title>{year}, {escape(section)}: {counts[year][section]}</title></rect>"
                )
        if (len(years) - 1 - i) % every == 0:
            parts.append(f'<text x="{x + slot * 0.4:.1f}" y="{BOTTOM + 16}" text-anchor="middle" fill="currentColor">{year}</text>')
    parts.append(f'<line x1="{LEFT}" x2="{RIGHT}" y1="{BOTTOM}" y2="{BOTTOM}" stroke="currentColor"/>')
    for i, (colour, section) in enumerate(zip(_colours(len(sections)), sections)):
        y = TOP + i * 18
        parts.append(f'<rect x="{LEGEND}" y="{y}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{LEGEND + 18}" y="{y + 10}" fill="currentColor">{escape(section)}</text>')
    return "".join(p for p in parts if p) + "</svg>\n"


def _tick_step(peak: int) -> int:
    """A round step (1, 2, 5, 10, 20, ...) giving at most six ticks up to ``peak``."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            if peak <= 6 * factor * magnitude:
                return factor * magnitude
        magnitude *= 10


def _colours(count: int) -> list[str]:
    return [PALETTE[i % len(PALETTE)] for i in range(count)]


def _describe(years: list[int], totals: list[int], ylabel: str) -> str:
    return "; ".join(f"{year}: {total} {ylabel}" for year, total in zip(years, totals))


def cached_year_chart(counts: Mapping[int, Mapping[str, int]], **options: Any) -> str:
    """``year_chart(counts, **options)``, from lclm's cache when drawn before."""
    import json

    from lclm.store.cache import cache_file, digest, make_stamp, read_blob, write_blob

    key = json.dumps([sorted((y, list(s.items())) for y, s in counts.items()), sorted(options.items())], ensure_ascii=False)
    path = cache_file(None, "chart", digest(key.encode()) + ".svg")
    stamp = make_stamp("chart", 2, digest(Path(__file__).read_bytes()))
    found = read_blob(path, stamp)
    if found is not None:
        return found.decode("utf-8")
    svg = year_chart(counts, **options)
    write_blob(path, stamp, svg.encode("utf-8"))
    return svg
