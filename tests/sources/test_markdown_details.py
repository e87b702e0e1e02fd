"""An entry's fields stated below it: nested detail bullets and a folded ``<details>`` block.

Shapes from real lists (``tests/data/lists_real``): OSU-NLP-Group/GUI-Agents-Paper-List
(``- [Title](url)`` over ``- names``, ``- 📅 Date: ...``, ``- 📑 Publisher: ...``,
``- 📖 TLDR: ...``) and tstanislawek/awesome-document-understanding (``* [Title](url)``
over ``<details><summary> Authors <em>Venue</em> Year </summary> abstract </details>``).
Before, both read the title alone: no authors, no venue, and a paper without an arXiv
link had no year at all.
"""

from __future__ import annotations

from pathlib import Path

from conftest import run
from lclm.sources.markdown import parse_markdown
from lclm.store.load import load_store

OPENREVIEW = "https://openreview.net/forum?id=BK7Mk5d4WE"
DETAILED = (
    "## Papers\n\n"
    f"- [LongHorizonUI: A Unified Framework for GUI Agents]({OPENREVIEW})\n"
    "    - Bin Kang, Shaoguo Wen, Tse-Hsun (Peter) Chen\n"
    "    - 🏛️ Institutions: Chengdu Institute, Tsinghua\n"
    "    - 📅 Date: January 26, 2026\n"
    "    - 📑 Publisher: ICLR 2026\n"
    "    - 💻 Env: [General GUI]\n"
    "    - 🔑 Key: [framework], [benchmark]\n"
    "    - 📖 TLDR: LongHorizonUI targets error accumulation in long-horizon GUI control.\n"
)


def test_detail_bullets_give_authors_year_venue_and_note() -> None:
    [entry] = parse_markdown(DETAILED).entries()
    assert entry.title == "LongHorizonUI: A Unified Framework for GUI Agents"
    assert entry.url == OPENREVIEW
    assert entry.year == 2026  # from the date bullet: the link holds no year
    assert entry.venue == "ICLR"  # the year is the year field
    assert entry.authors[:2] == ["Bin Kang", "Shaoguo Wen"]
    assert entry.note == "LongHorizonUI targets error accumulation in long-horizon GUI control."


def test_a_code_bullet_gives_the_code_link() -> None:
    text = "## S\n- ICCV'23 A Title of Four Words [[arxiv](https://arxiv.org/abs/2308.02533)]\n  - Code: [MEDA](https://github.com/a/b)\n"
    [entry] = parse_markdown(text).entries()
    assert (entry.code, entry.venue, entry.year) == ("https://github.com/a/b", "ICCV", 2023)


def test_nested_papers_are_never_details() -> None:
    text = (
        "## S\n- **[2026.05.27]**\n"
        "  - Paper: [Periodic RoPE for Infinite Context LLMs](https://arxiv.org/abs/2605.27980)\n"
        "  - Paper: [ZipRL: Adaptive Multi-Turn Context Compression](https://arxiv.org/abs/2605.28069)\n"
        "- **Vision**\n  - ViT: [An Image is Worth 16x16 Words](https://arxiv.org/abs/2010.11929)\n"
    )
    titles = [e.title for e in parse_markdown(text).entries()]
    assert "Periodic RoPE for Infinite Context LLMs" in titles
    assert "ZipRL: Adaptive Multi-Turn Context Compression" in titles
    assert "An Image is Worth 16x16 Words" in titles


def test_a_sentence_under_a_paper_is_not_its_authors() -> None:
    text = (
        "## S\n- Towards Realistic Unsupervised Fine-tuning with CLIP [[arxiv](http://arxiv.org/abs/2308.12919)]\n"
        "  - Unsupervised fine-tuning of CLIP\n"
        "- [2023/10] **Towards End-to-End Embodied Decision Making** *Liang Chen et al. arXiv.* [[paper](https://arxiv.org/abs/2310.02071)]\n"
        "  - This work proposes PCA-EVAL, which benchmarks embodied decision making, Perception, Cognition and Action.\n"
    )
    first, second = parse_markdown(text).entries()
    assert first.authors == []
    assert (second.authors, second.venue) == (["Liang Chen", "others"], "arXiv")


def test_a_label_over_a_table_is_no_detail() -> None:
    text = (
        "## S\n- **Multimodal Reasoning**\n    - **Complex Code:**\n\n"
        "    | Name | Release Date | Description |\n    |---|---|---|\n"
        "    | HumanEval-V | 2024 | Visual coding tasks for multimodal models. |\n"
    )
    parsed = parse_markdown(text)
    assert [(e.title, e.year, e.note) for e in parsed.entries()] == [
        ("HumanEval-V", 2024, "Visual coding tasks for multimodal models.")
    ]
    assert {p.line for p in parsed.problems} == {2, 3}  # the two labels, reported as before


FOLDED = (
    "## Papers\n\n"
    "* [Business Document Information Extraction: Towards Practical Benchmarks](https://arxiv.org/abs/2206.11229)\n"
    "  <details>\n"
    "  <summary> Matyáš Skalický, Štěpán Šimsa, Michal Uřičář <em>CLEF</em> 2022 </summary>\n"
    "    Information extraction from semi-structured documents is crucial for frictionless business-to-business\n"
    "    communication. While machine learning problems related to Document Information Extraction have been\n"
    "    studied for decades, many common problem definitions and benchmarks do not reflect domain-specific\n"
    "    aspects and practical needs for automating B2B document communication.\n"
    "  </details>\n"
)


def test_a_folded_summary_gives_authors_venue_year_and_the_abstract() -> None:
    [entry] = parse_markdown(FOLDED).entries()
    assert entry.authors == ["Matyáš Skalický", "Štěpán Šimsa", "Michal Uřičář"]
    assert (entry.venue, entry.year) == ("CLEF", 2022)
    assert entry.abstract.startswith("Information extraction from semi-structured documents is crucial")
    assert entry.abstract.endswith("automating B2B document communication.")
    assert entry.note == ""


def test_a_short_folded_body_is_a_note_and_a_labelled_one_its_role() -> None:
    short = "## S\n* [A Paper With a Title](https://arxiv.org/abs/2206.11229)\n  <details>\n  <summary> Ann Lee, Bo Li <em>ACL</em> 2022 </summary>\n  A short note.\n  </details>\n"
    [entry] = parse_markdown(short).entries()
    assert (entry.note, entry.abstract, entry.authors) == ("A short note.", "", ["Ann Lee", "Bo Li"])
    labelled = "## S\n* [A Paper With a Title](https://arxiv.org/abs/2206.11229) Ann Lee. ACL 2022\n  <details><summary>Abstract</summary>\n  We study things.\n  </details>\n"
    [entry] = parse_markdown(labelled).entries()
    assert (entry.abstract, entry.venue) == ("We study things.", "ACL")


def test_import_writes_the_abstract_and_the_note(tmp_path: Path) -> None:
    md = tmp_path / "list.md"
    md.write_text(FOLDED + DETAILED.replace("## Papers\n", ""), encoding="utf-8")
    result = run("--papers", str(tmp_path / "s"), "import", "markdown", str(md))
    assert result.exit_code == 0, result.output
    papers = {p.title: p for p in load_store(tmp_path / "s").papers}
    folded = papers["Business Document Information Extraction: Towards Practical Benchmarks"]
    assert folded.abstract.startswith("Information extraction from semi-structured documents")
    assert papers["LongHorizonUI: A Unified Framework for GUI Agents"].note.startswith("LongHorizonUI targets")


def test_a_description_column_is_the_note_not_the_venue() -> None:
    text = (
        "| Name | Paper | Link | Notes |\n|---|---|---|---|\n"
        "| **MSQA** | [Multi-modal Situated Reasoning in 3D Scenes](https://arxiv.org/pdf/2409.02389) | [Link](https://msr3d.github.io/) "
        "| A large scale dataset for multi-modal situated reasoning in 3D scenes |\n"
    )
    [entry] = parse_markdown(text).entries()
    assert entry.note == "A large scale dataset for multi-modal situated reasoning in 3D scenes"
    assert "dataset" not in entry.venue


def test_a_decade_is_not_a_year() -> None:
    text = "## S\n1. [The IIT CDIP Collection](https://data.nist.gov/od/id/mds2-2531) - documents from a lawsuit in the 1990s\n"
    parsed = parse_markdown(text)
    assert parsed.entries() == []
    assert [p.line for p in parsed.problems] == [2]  # no year: reported, not given 1990
