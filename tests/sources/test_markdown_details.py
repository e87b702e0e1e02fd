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
    text = (  # jindongwang/transferlearning's awesome_paper.md
        "## S\n- 20180724 ACMMM-18 [Visual Domain Adaptation with Manifold Embedded Distribution Alignment](https://arxiv.org/abs/1807.07258)\n"
        "\t-  The state-of-the-art results of domain adaptation, better than most traditional and deep methods\n"
        "\t- Code: [MEDA](https://github.com/jindongwang/transferlearning/tree/master/code/traditional/MEDA)\n"
    )
    [entry] = parse_markdown(text).entries()
    assert entry.code == "https://github.com/jindongwang/transferlearning/tree/master/code/traditional/MEDA"
    assert (entry.title, entry.year) == ("Visual Domain Adaptation with Manifold Embedded Distribution Alignment", 2018)


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
    assert [p.line for p in parsed.problems] == [2]  # a bold line alone may be a paper: reported
    assert [a.lines for a in parsed.set_aside] == [(3,)]  # a bold label over a table is not


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


def test_a_details_block_on_the_next_line_is_read_the_same() -> None:
    text = (  # tstanislawek's topics/kie: "<details>" indented past the item, so part of its paragraph
        "## S\n* [Glean: Structured Extractions from Templatic Documents](https://research.google/pubs/pub50092/)\n"
        "      <details>\n      <summary> Sandeep Tata et al. <em>Proceedings of the VLDB Endowment</em> 2021 </summary>\n"
        "    Extracting structured information from templatic documents is an important problem with the potential\n"
        "    to automate many real-world business workflows such as payment, procurement, and payroll. The core\n"
        "    challenge is that such documents can be laid out in virtually infinitely different ways.\n  </details>\n"
    )
    [entry] = parse_markdown(text).entries()
    assert (entry.authors, entry.venue, entry.year) == (["Sandeep Tata", "others"], "Proceedings of the VLDB Endowment", 2021)
    assert entry.abstract.startswith("Extracting structured information") and entry.note == ""


def test_bold_labels_with_prose_are_set_aside_not_reported() -> None:
    text = (
        "## Natural Language Deep Reasoning\n- **Core Idea:** Aims to express deep reasoning through natural language formats.\n"
        "- **Batch Size**: Within the memory limits, increasing the batch size helps.\n"
        "- **Attention Is All You Need**\n"
        "- [Code I/O: Condensing Reasoning Patterns](https://arxiv.org/abs/2502.07316): restructures code-based reasoning.\n"
    )
    parsed = parse_markdown(text)
    assert [e.title for e in parsed.entries()] == ["Code I/O: Condensing Reasoning Patterns"]
    assert [p.line for p in parsed.problems] == [4]  # a bold title alone may be a paper: reported
    [aside] = parsed.set_aside
    assert (aside.count, aside.lines) == (2, (2, 3))
    assert "label" in aside.reason


def test_a_detail_link_is_never_the_title() -> None:
    text = "## S\n- Plain Title of Some Paper. ICML 2020 [[pdf](https://arxiv.org/abs/2001.00001)]\n  - Code: [MEDA](https://github.com/a/b)\n"
    [entry] = parse_markdown(text).entries()
    assert (entry.title, entry.venue, entry.code) == ("Plain Title of Some Paper", "ICML", "https://github.com/a/b")


def test_a_column_the_table_does_not_know_is_no_venue() -> None:
    text = (  # Hannibal046/Awesome-LLM's milestone table: the Institute column was read as the venue
        "| Date | keywords | Institute | Paper |\n|---|---|---|---|\n"
        "| 2017-06 | Transformers | Google | [Attention Is All You Need](https://arxiv.org/pdf/1706.03762.pdf) |\n"
    )
    [entry] = parse_markdown(text).entries()
    assert (entry.title, entry.venue, entry.year) == ("Attention Is All You Need", "", 2017)


def test_chinese_headers_name_their_columns() -> None:
    text = (  # mli/paper-reading
        "| 已录制 | 年份 | 名字 | 简介 | 引用 |\n| --- | --- | --- | --- | --- |\n"
        "| ✅ | 2014 | [DeepVideo](https://cs.stanford.edu/people/karpathy/deepvideo/) | 提出sports1M数据集，用深度学习做视频理解 | x |\n"
    )
    [entry] = parse_markdown(text).entries()
    assert (entry.title, entry.year, entry.venue, entry.note) == ("DeepVideo", 2014, "", "提出sports1M数据集，用深度学习做视频理解")


def test_a_dated_timeline_reads_its_titles_not_its_link_labels() -> None:
    text = (  # hollobit/GenAI_LLM_timeline: emoji-coded and two-letter links, a month/day before the title
        "### 2024\n"
        "  * 05/16 - **Many-Shot In-Context Learning in Multimodal Foundation Models** <br>([:x:](https://arxiv.org/abs/2405.09798)), "
        "([:book:](https://browse.arxiv.org/pdf/2405.09798.pdf)), ([SL](https://arxiv-sanity-lite.com/?rank=pid&pid=2405.09798))\n"
        "  * 2.21 - Coercing LLMs to do and reveal (almost) anything ([:x:](https://arxiv.org/abs/2402.14020))\n"
        "  * 2.22 - Announcing Stable Diffusion 3 ([tweet](https://twitter.com/StabilityAI/status/1760656767237656820)), ([blog](https://stability.ai/news/sd3))\n"
    )
    parsed = parse_markdown(text)
    assert [(e.title, e.venue, e.year, e.arxiv) for e in parsed.entries()] == [
        ("Many-Shot In-Context Learning in Multimodal Foundation Models", "", 2024, "2405.09798"),
        ("Coercing LLMs to do and reveal (almost) anything", "", 2024, "2402.14020"),
    ]
    [aside] = parsed.set_aside  # a post with a tweet and a blog link: no paper, but counted and named
    assert (aside.lines, "not a paper" in aside.reason) == ((4,), True)


def test_a_table_without_a_title_column_is_set_aside_row_by_row() -> None:
    text = (  # tjunlp-lab/Awesome-LLMs-Evaluation-Papers' leaderboards; MLGroupJLU's benchmark tables read names as titles
        "## LLM Leaderboards\n| Platform | Access | Domain |\n| --- | --- | --- |\n"
        "| Chatbot Arena | [[Source](https://chat.lmsys.org/)] | Evaluation Organization |\n"
        "| Some Model | [[Paper](https://arxiv.org/abs/2306.05685)] | Benchmark |\n"
    )
    parsed = parse_markdown(text)
    assert parsed.entries() == [] and parsed.problems == []  # "Some Model" is no paper's title
    assert sorted((a.lines, a.reason[:30]) for a in parsed.set_aside) == [
        ((4,), "text whose links are no paper'"), ((5,), "a row of a table with no title")
    ]


def test_a_bold_title_over_a_list_of_its_links_is_one_paper() -> None:
    text = (  # amusi/CVPR2024-Papers-with-Code: bare addresses, which GitHub shows as links
        "## 3DGS\n\n**Scaffold-GS: Structured 3D Gaussians for View-Adaptive Rendering**\n\n"
        "- Homepage: https://city-super.github.io/scaffold-gs/\n- Paper: https://arxiv.org/abs/2312.00109\n"
        "- Code: https://github.com/city-super/Scaffold-GS\n\n"
        "**Calibration & Uncertainty**\n\n"  # Yangyi-Chen/Multimodal-AND-Large-Language-Models: a bold line over papers
        "- **Knowledge of Knowledge: Exploring Known-Unknowns Uncertainty with Large Language Models;** Alfonso Amayuelas et al\n"
    )
    parsed = parse_markdown(text)
    [entry] = parsed.entries()
    assert (entry.title, entry.url, entry.code, entry.year) == (
        "Scaffold-GS: Structured 3D Gaussians for View-Adaptive Rendering",
        "https://arxiv.org/abs/2312.00109", "https://github.com/city-super/Scaffold-GS", 2023,
    )
    assert [p.line for p in parsed.problems] == [11]  # the paper under "Calibration" has no year: reported, not a detail


def test_a_name_column_beside_the_title_is_the_short_name_and_a_topic_column_no_authors() -> None:
    text = (  # BradyFU's dataset tables; SkalskiP/top-cvpr-2023-papers' topic column
        "| Name | Paper | Type |\n|---|---|---|\n"
        "| **SBU Captions** | [Im2Text: Describing Images Using 1 Million Captioned Photographs](https://proceedings.neurips.cc/paper/2011/file/5dd9db5e033da9c6fb5ba83c7a7ebea9-Paper.pdf) | Caption |\n\n"
        "| **topic** | **title** | **repository / paper** |\n|---|---|---|\n"
        "| Segmentation and Generative AI | Images Speak in Images: A Generalist Painter for In-Context Visual Learning | "
        "[![arXiv](https://img.shields.io/badge/arXiv-2212.02499-b31b1b.svg)](https://arxiv.org/abs/2212.02499) |\n"
    )
    first, second = parse_markdown(text).entries()
    assert (first.aka, first.authors, first.venue, first.year) == (["SBU Captions"], [], "", 2011)
    assert (second.title, second.authors) == ("Images Speak in Images: A Generalist Painter for In-Context Visual Learning", [])


def test_a_table_of_projects_with_no_title_column_is_set_aside_as_no_papers() -> None:
    text = (  # jianzhnie/awesome-instruction-datasets, tensorchord/Awesome-LLMOps: projects, datasets and tools
        "| Project | Datasets | Org |\n|---|---|---|\n"
        "| [Chain of Thought](https://github.com/google-research/FLAN) | [cot_data](https://github.com/google-research/FLAN/tree/main/flan/v2/cot_data) | Google |\n"
        "| [GPT4all](https://github.com/nomic-ai/gpt4all) | [gpt4all-j](https://huggingface.co/datasets/nomic-ai/gpt4all-j-prompt-generations) | nomic-ai |\n"
    )
    parsed = parse_markdown(text)
    assert parsed.entries() == [] and parsed.problems == []  # before: two "no year" problems, titled by their links
    assert [a.lines for a in parsed.set_aside] == [(3, 4)]


def test_a_code_column_saying_null_is_no_venue() -> None:
    text = (  # Xuchen-Li/llm-arxiv-daily (15,239 rows): every row without code said venue 'null'
        "|Publish Date|Title|Authors|PDF|Code|\n|---|---|---|---|---|\n"
        "|**2025-07-22**|**Zebra-CoT: A Dataset for Interleaved Vision Language Reasoning**|Ang Li et.al.|[2507.16746](http://arxiv.org/abs/2507.16746)|null|\n"
    )
    [entry] = parse_markdown(text).entries()
    assert (entry.venue, entry.year, entry.arxiv, entry.authors) == ("", 2025, "2507.16746", ["Ang Li", "others"])


def test_a_year_in_brackets_at_the_venue_end_is_the_year_alone() -> None:
    text = (  # luo-junyu/Awesome-Agent-Papers; jindongwang's "CoRR abs/1610.04420 (2016)"
        "## S\n- **[From Debate to Equilibrium: Belief-Driven Multi-Agent LLM Reasoning](https://arxiv.org/abs/2506.08292)** (*2025*) `ICML`\n"
    )
    [entry] = parse_markdown(text).entries()
    assert (entry.venue, entry.year) == ("ICML", 2025)


def test_title_comma_venue_comma_year_reads_the_venue_and_year() -> None:
    text = (  # AIoT-MLSys-Lab/Efficient-LLMs-Survey: the venue underlined, after the title's comma
        "## Quantization\n"
        "- GPTQ: Accurate Quantization for Generative Pre-trained Transformers, <ins>ICLR, 2023</ins> "
        "[[Paper](https://openreview.net/forum?id=tcbBPnfwxS)] [[Code](https://github.com/IST-DASLab/gptq)]\n"
        "- Bfloat16 Processing for Neural Networks, <ins>ARITH, 2019</ins> [[Paper](https://ieeexplore.ieee.org/document/8877390)]\n"
        "- Memory-Efficient Selective Fine-Tuning, <ins>ICML Workshop, 2023</ins> [[Paper](https://openreview.net/forum?id=zaNbLceVwm)]\n"
    )
    assert [(e.title, e.venue, e.year) for e in parse_markdown(text).entries()] == [
        ("GPTQ: Accurate Quantization for Generative Pre-trained Transformers", "ICLR", 2023),
        ("Bfloat16 Processing for Neural Networks", "ARITH", 2019),
        ("Memory-Efficient Selective Fine-Tuning", "ICML Workshop", 2023),
    ]
