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
    # matplotlib hides labels starting with "_" and reads $...$ as mathtext; a heading is neither.
    drawn = texts(year_chart({2023: {"_Drafts": 1, "Cost in $ and $": 2}}, title="Price $x$"))
    assert "_Drafts" in drawn
    assert "Cost in $ and $" in drawn
    assert "Price $x$" in drawn
