"""A list's description of a paper is its note, never its venue or part of its title.

Real rows of dair-ai/ML-Papers-of-the-Week (tests/data/lists_real, commit in
SOURCES.md), whose table puts a title and a description in one cell: the
older rows ``N) **Title** - description``, the newer ``N) Title  Description``
(a wide gap); links and quotes inside the description are not the title.
Before, 891 of its 1,004 records carried a description as venue and 93 a
description as title (the whole README; the corpus keeps its first 1,058 lines).
"""

from __future__ import annotations

from conftest import DATA
from lclm.sources.markdown import ListEntry, parse_markdown

REAL = DATA / "lists_real" / "dair-ai__ML-Papers-of-the-Week.md"
LINES = REAL.read_text(encoding="utf-8").splitlines()


def _read(*lines: int) -> dict[int, ListEntry]:
    """The entries read from these source lines, under a table header and a dated heading like the list's."""
    head = ["## Top ML Papers of the Week (March 24 - March 30) - 2025", "| **Paper**  | **Links** |", "| --- | --- |"]
    parsed = parse_markdown("\n".join(head + [LINES[n - 1] for n in lines]) + "\n")
    return {lines[e.line - len(head) - 1]: e for e in parsed.entries()}


def test_a_dash_separated_description_is_the_note() -> None:
    entry = _read(523)[523]  # | 3) **ModernBERT** - a new encoder-only transformer model that achieves ...
    assert (entry.title, entry.venue, entry.arxiv, entry.year) == ("ModernBERT", "", "2412.13663", 2024)
    assert entry.note.startswith("a new encoder-only transformer model that achieves state-of-the-art performance")


def test_a_title_ends_at_a_wide_gap_and_links_or_quotes_in_the_description_are_not_titles() -> None:
    read = _read(157, 163, 339, 410)
    assert {n: (e.title, e.venue) for n, e in read.items()} == {
        157: ("Ultra-Fast Diffusion-based Language Models", ""),
        163: ("Claude for Affective Use", ""),  # "... from it[s Claude.ai](http://claude.ai/) assistant"
        339: ("Tracing the Thoughts of LLMs", ""),  # '● Multilingual "language of thought" – Claude ...'
        410: ("The AI CUDA Engineer", ""),
    }
    assert read[157].note.startswith("This paper introduces Mercury, a family of large-scale diffusion-based")


def test_a_venue_in_lower_case_stays_the_venue() -> None:
    # the survey's own Google Scholar style: lower case, but the venue table knows it for a venue
    parsed = parse_markdown(
        "# X\n\n* **[Language models are few-shot learners.](https://arxiv.org/abs/2005.14165)** Tom Brown, Benjamin Mann."
        " Advances in neural information processing systems, 33, 1877--1901, 2020\n"
    )
    (entry,) = parsed.entries()
    assert (entry.venue, entry.note) == ("Advances in neural information processing systems, 33, 1877--1901", "")


def test_paper_lines_indented_into_a_code_block_are_counted_and_named() -> None:
    # ChaofanTao/Autoregressive-Models-in-Vision-Survey indents 20 papers under '   - ##### Text-to-Video Generation'
    # by four and five spaces: GitHub shows them as a code block. They are no entries, but not dropped unseen.
    real = DATA / "lists_real" / "ChaofanTao__Autoregressive-Models-in-Vision-Survey.md"
    parsed = parse_markdown(real.read_text(encoding="utf-8"))
    (aside,) = [a for a in parsed.set_aside if a.reason.startswith("in an indented code block")]
    assert (aside.heading, aside.count, aside.lines) == ("Text-to-Video Generation", 20, tuple(range(315, 335)))
    assert not [e for e in parsed.entries() if 315 <= e.line <= 334]


def test_a_bracketed_short_name_is_an_aka_and_a_bold_note_in_parentheses_no_title() -> None:
    parsed = parse_markdown(
        "# R\n\n"
        '* **[RT-2]** "RT-2: Vision-Language-Action Models Transfer Web Knowledge to Robotic Control", *arXiv, July 2023*.'
        " [[Paper](https://arxiv.org/abs/2307.15818)]\n"
        # dk-liang/Awesome-Visual-Transformer, line 404, as written (its link's stray bracket included)
        "-  Paint Transformer: Feed Forward Neural Painting with Stroke Prediction  (**oral**) ) [[paper](https://arxiv.org/abs/2108.03798])\n"
    )
    rt2, paint = parsed.entries()
    assert (rt2.title, rt2.aka, rt2.venue, rt2.year) == (
        "RT-2: Vision-Language-Action Models Transfer Web Knowledge to Robotic Control", ["RT-2"], "arXiv", 2023
    )
    assert paint.title == "Paint Transformer: Feed Forward Neural Painting with Stroke Prediction"


def test_a_name_with_an_ampersand_is_one_aka_and_italics_in_parentheses_are_no_authors() -> None:
    # cmhungsteve/Awesome-Transformer-Attention (0653f4a1), lines 2095 and 1242: "M&M" was split into two
    # short names "M" (the entry was then refused as a duplicate aka), "(*Baidu*)" read as the author
    parsed = parse_markdown(
        "# X\n\n"
        '* **M&M**: "M&M Mix: A Multimodal Multiview Transformer Ensemble", CVPRW, 2022 (*Google*).'
        " [[Paper](https://arxiv.org/abs/2206.09852)]\n"
        '* **GCT**: "Gaussian Context Transformer", CVPR, 2021 (*Zhejiang University*).'
        " [[Paper](https://openaccess.thecvf.com/content/CVPR2021/html/Ruan_Gaussian_Context_Transformer_CVPR_2021_paper.html)]\n"
    )
    mm, gct = parsed.entries()
    assert (mm.title, mm.aka, mm.authors, mm.year) == ("M&M Mix: A Multimodal Multiview Transformer Ensemble", ["M&M"], [], 2022)
    assert (gct.title, gct.aka, gct.authors, gct.year) == ("Gaussian Context Transformer", ["GCT"], [], 2021)
