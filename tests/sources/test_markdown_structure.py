"""The reader follows a list's structure (issue 22): each case is a shape a real list is written in."""

from __future__ import annotations

from lclm.sources.markdown import parse_markdown


def _read(text: str) -> list[tuple[int, str, list[str], int, str]]:
    return [(e.line, e.title, e.authors, e.year, e.arxiv) for e in parse_markdown(text).entries()]


def test_a_contents_heading_does_not_discard_the_sections_after_it() -> None:
    text = (
        "## 📖Contents\n- [Topic](#topic)\n"
        "### 📖Topic\n|Date|Title|Paper|\n|:---:|:---:|:---:|\n"
        "|2024.07|🔥[**FlashAttention-3**] FlashAttention-3: Fast and Accurate Attention(@TriDao etc)|[[pdf]](https://tridao.me/flash3.pdf)|\n"
        "|2023.10|[LightSeq] LightSeq: Sequence Level Parallelism(@UC Berkeley etc)|[[pdf]](https://arxiv.org/pdf/2310.03294.pdf)|\n"
    )
    assert _read(text) == [
        (6, "FlashAttention-3: Fast and Accurate Attention", [], 2024, ""),
        (7, "LightSeq: Sequence Level Parallelism", [], 2023, "2310.03294"),
    ]


def test_bare_link_lines_under_a_topic_bullet_are_one_paper_each() -> None:
    text = (
        "## Methods\n"
        "  - Retrieval methods\n\n"
        "    [Some Paper Title](https://arxiv.org/abs/2302.00083)\n\n"
        "    [Another Paper Title](https://doi.org/10.1109/ASE51524.2021.9678724)\n\n"
        "    [A Third Paper](https://aclanthology.org/2021.findings-emnlp.50/)\n"
    )
    # the topic is no paper and no author; each paper keeps its own id (no id from a neighbour)
    assert _read(text) == [
        (4, "Some Paper Title", [], 2023, "2302.00083"),
        (6, "Another Paper Title", [], 2021, ""),
        (8, "A Third Paper", [], 2021, ""),
    ]


def test_an_unknown_link_label_never_displaces_a_bold_title() -> None:
    text = (
        "## P\n7. **A Real Title**. *A. Author, B. Author*. NAACL 2019. "
        "[[pdf](https://aclanthology.org/N19-1001.pdf)] [[weights and code](https://example.org/w)]\n"
    )
    assert _read(text) == [(2, "A Real Title", ["A. Author", "B. Author"], 2019, "")]


def test_a_title_link_that_starts_with_a_role_word_is_a_title() -> None:
    text = "## P\n- [Code: Learning to Write Programs from Examples](https://arxiv.org/abs/2401.00001) *Ada Lovelace.* 2024\n"
    assert _read(text) == [(2, "Code: Learning to Write Programs from Examples", ["Ada Lovelace"], 2024, "2401.00001")]


def test_a_citation_paragraph_gives_title_authors_and_year() -> None:
    text = (
        "## Roadmap\n"
        '**[3]** Hinton, Geoffrey E., and Ruslan R. Salakhutdinov. "**Reducing the dimensionality of data with neural '
        'networks**." Science 313.5786 (2006): 504-507. [[pdf]](http://www.cs.toronto.edu/~hinton/science.pdf) '
        "**(Milestone)** :star::star:\n\n"
        "This list collects papers ([survey](https://arxiv.org/abs/2402.19473)).\n"
    )
    # the prose paragraph that mentions a paper is not an entry
    assert _read(text) == [
        (2, "Reducing the dimensionality of data with neural networks", ["Geoffrey E. Hinton", "Ruslan R. Salakhutdinov"], 2006, "")
    ]


def test_paragraph_entries_with_names_on_the_next_line() -> None:
    text = (
        "## RAG\n"
        "**Improving Retrieval Augmented Language Model with Self-Reasoning** \\\n"
        "Yuan Xia, Jingbo Zhou, Zhenhui Shi \\\n"
        "AAAI 25 – Mar 2025 [[paper](https://arxiv.org/abs/2407.19813)]\n\n"
        "**Evidentiality-guided Generation for Knowledge-Intensive NLP Tasks** \\\n"
        "*Akari Asai, Matt Gardner, Hannaneh Hajishirzi* \\\n"
        "NAACL 2022 - Dec 2021 [[Paper](https://arxiv.org/abs/2112.08688)]\n"
    )
    assert _read(text) == [
        (2, "Improving Retrieval Augmented Language Model with Self-Reasoning", ["Yuan Xia", "Jingbo Zhou", "Zhenhui Shi"], 2025, "2407.19813"),
        (6, "Evidentiality-guided Generation for Knowledge-Intensive NLP Tasks", ["Akari Asai", "Matt Gardner", "Hannaneh Hajishirzi"], 2022, "2112.08688"),
    ]


def test_years_from_a_year_heading_a_two_digit_venue_and_an_acl_id() -> None:
    text = (
        "## Year 2022\n- **[TransMix]** Attend to Mix for Vision Transformers [[paper](https://arxiv.org/pdf/2111.09833.pdf)]\n"
        "## Other\n1. **[Faith and Fate: Limits of Transformers on Compositionality.](https://arxiv.org/abs/2305.18654)**\n\n"
        "    *Nouha Dziri, Ximing Lu.* ACL'24\n\n"
        "| Title | Link |\n|---|---|\n| Automatic Detection of Generated Text | [pdf](https://aclanthology.org/2020.acl-main.164/) |\n"
    )
    assert [(e.title, e.year) for e in parse_markdown(text).entries()] == [
        ("Attend to Mix for Vision Transformers", 2022),
        ("Faith and Fate: Limits of Transformers on Compositionality", 2024),
        ("Automatic Detection of Generated Text", 2020),
    ]


def test_a_model_bullet_gives_the_paper_on_its_next_line() -> None:
    text = (
        "## Models\n- **BLOOM** [[BigScience]]() Nov. 2022 [[open]](https://huggingface.co/bigscience/bloom)  \n"
        "   A 176B-Parameter Open-Access Multilingual Language Model [[Preprint]](https://arxiv.org/pdf/2211.05100.pdf)\n"
        "- **DialoGPT** [[Microsoft]]() Nov. 2019  \n"
        "   DialoGPT: Large-Scale Generative Pre-training [[ACL'20]](https://arxiv.org/abs/1911.00536)\n"
    )
    assert _read(text) == [
        (2, "A 176B-Parameter Open-Access Multilingual Language Model", [], 2022, "2211.05100"),
        (4, "DialoGPT: Large-Scale Generative Pre-training", [], 2020, "1911.00536"),
    ]


def test_news_lines_and_slides_are_set_aside_not_read_as_papers() -> None:
    text = (
        "## Papers\n- [2025.01.10] We released v2 of our survey [[arXiv](https://arxiv.org/abs/2501.00001)]\n"
        '- **2024-05-16 Our paper "[A Thing](https://arxiv.org/abs/2401.00001)" has been accepted by ACL 2024.**\n'
        "- [Tutorial slides](https://example.org/talk/slides.pdf)\n"
        "- **We Need to Talk About Models.** A. B. ICML 2020. [paper](https://arxiv.org/abs/2001.00001)\n"
    )
    parsed = parse_markdown(text)
    assert [e.title for e in parsed.entries()] == ["We Need to Talk About Models"]
    assert [(s.reason, s.lines) for s in parsed.set_aside] == [
        ("a news or update line, not a paper", (2, 3)),
        ("a link to a code repository or another list, not a paper", (4,)),
    ]


def test_a_topic_is_never_an_author_and_a_short_bold_title_stays_a_title() -> None:
    text = (
        "## RAG\n  - Speculative RAG\n\n"
        "    [REST: Retrieval-Based Speculative Decoding](https://doi.org/10.48550/arXiv.2311.08252)\n\n"
        "    [GPTCache](https://github.com/zilliztech/GPTCache)\n\n"
        "## Editing\n3. **Editable Neural Networks**. (ICLR 2020) <br />\n"
        "Anton Sinitsin, Vsevolod Plokhotnyuk, Dmitry V. Pyrkin. [[paper](https://arxiv.org/abs/2004.00345)]\n"
    )
    parsed = parse_markdown(text)
    assert [(e.line, e.title, e.authors, e.year) for e in parsed.entries()] == [
        (4, "REST: Retrieval-Based Speculative Decoding", [], 2023),
        (9, "Editable Neural Networks", ["Anton Sinitsin", "Vsevolod Plokhotnyuk", "Dmitry V. Pyrkin"], 2020),
    ]
    assert [(s.reason, s.lines) for s in parsed.set_aside] == [("a link to a code repository or another list, not a paper", (6,))]
