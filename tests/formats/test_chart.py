"""The papers-per-year chart: its year ticks and legend labels, as drawn text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from lclm.formats.chart import year_chart

SVG = "{http://www.w3.org/2000/svg}"


def texts(svg: str) -> list[str]:
    return ["".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG}text")]


def test_few_years_are_each_labelled_and_nothing_between() -> None:
    one = texts(year_chart({2023: {"Architecture": 3}}))
    assert "2023" in one
    assert not any("." in t for t in one if t[:2] == "20")  # no 2022.4, 2023.2
    several = texts(year_chart({2019: {"A": 1}, 2024: {"A": 2}}))
    for year in range(2019, 2025):
        assert str(year) in several


def test_section_names_are_shown_as_written() -> None:
    # A heading is shown as written: a leading "_", dollars, and markup characters escaped for XML.
    drawn = texts(year_chart({2023: {"_Drafts": 1, "Cost in $ and $": 2}}, title="Price $x$"))
    assert "_Drafts" in drawn
    assert "Cost in $ and $" in drawn
    assert "Price $x$" in drawn


def test_the_chart_is_labelled_for_screen_readers_and_escapes_names() -> None:
    svg = year_chart({2023: {"A <b> & C": 3}, 2025: {"A <b> & C": 1}}, title="Papers per year")
    root = ET.fromstring(svg)  # well-formed XML whatever the section names hold
    assert root.get("role") == "img" and root.get("aria-label") == "Papers per year"
    assert root.find(f"{SVG}title").text == "Papers per year"  # type: ignore[union-attr]
    assert root.find(f"{SVG}desc").text == "2023: 3 papers; 2024: 0 papers; 2025: 1 papers"  # type: ignore[union-attr]
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert [r.find(f"{SVG}title").text for r in bars] == ["2023, A <b> & C: 3", "2025, A <b> & C: 1"]  # type: ignore[union-attr]
    # Stacks scale to one axis: the 3-paper bar is three times the 1-paper one.
    heights = [float(r.get("height", 0)) for r in bars]
    assert abs(heights[0] - 3 * heights[1]) < 0.2


def test_no_plotting_library_is_imported() -> None:
    import subprocess
    import sys

    code = "import sys; from lclm.formats.chart import year_chart; year_chart({2024: {'A': 1}}); print('matplotlib' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"
