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


def _sections(text: str) -> list[tuple[str, list[int]]]:
    out: list[tuple[str, list[int]]] = []
    stack = list(reversed(parse_markdown(text).headings))
    while stack:
        h = stack.pop()
        out.append((h.name, [e.line for e in h.entries]))
        stack.extend(reversed(h.children))
    return out


HEADING_LINKS = (
    "# awesome-x\n\n## Papers and Summaries\n\n"
    "### [The Hidden Life of Tokens](https://arxiv.org/abs/2502.03628)\n"
    "- **Metrics:** CHAIRs, POPE F1\n- **Datasets:** MSCOCO 2014\n"
    "- **Comments:** Introduces **VISTA**, a training-free method. (ICML 2025)\n\n"
    "### [Retrieval-Based Prompt Selection for Code](https://people.ece.example.ca/papers/cedar-icse23.pdf)\n"
    "- **Metrics:** Accuracy\n- **Comments:**: Published at ICSE 2023, see [the code](https://github.com/a/b)\n\n"
    "### [The Illusion of Progress](https://aclanthology.org/2025.emnlp-main.1761/)\n- **Metrics:** AUROC\n\n"
    "## [Our Survey of Hallucination](https://arxiv.org/abs/2401.00001)\n\nPlease read it.\n\n"
    "## Definitions and Notes\n\n### Extrinsic Hallucinations\nSome words.\n"
)


def test_a_heading_that_links_to_a_paper_is_an_entry_and_its_detail_bullets_are_not() -> None:
    entries = parse_markdown(HEADING_LINKS).entries()
    assert [(e.line, e.title, e.authors, e.year, e.venue, e.arxiv) for e in entries] == [
        (5, "The Hidden Life of Tokens", [], 2025, "ICML", "2502.03628"),  # the summary's closing "(ICML 2025)"
        (14, "The Illusion of Progress", [], 2025, "", ""),  # the year in the ACL Anthology id
    ]
    problems = parse_markdown(HEADING_LINKS).problems  # no year anywhere ("ICSE 2023" is a comment's word): reported
    assert [(p.line, p.reason) for p in problems] == [(10, "no year (none in the text, a date column, the arXiv id or the link)")]
    # the paper headings are no categories; a lone linked heading among sections is no paper
    assert _sections(HEADING_LINKS) == [("Papers and Summaries", [5, 14])]


HEADING_BIBTEX = (
    "# Extended RoPE\n\n### Intro\n\n[RoPE](../pes.md#rope) is widely used.\n\n"
    "### Table of Contents\n* [Intro](#intro)\n* [Scaling Strategies](#scaling-strategies)\n\n"
    "### Scaling Strategies\n\n"
    "#### Giraffe: Adventures in expanding context lengths in llms (Power-Scaling)\n\n"
    "paper link: [here](https://arxiv.org/pdf/2308.10882)\n\ncitation:\n```bibtex\n@article{pal2023giraffe,\n"
    "  title={Giraffe: Adventures in expanding context lengths in llms},\n"
    "  author={Pal, Arka and Karkhanis, Deep and Roberts, Manley},\n"
    "  journal={arXiv preprint arXiv:2308.10882},\n  year={2023}\n}\n```\n\n"
    "#### Transformer Upgrade Roadmap: 12. ReRoPE for Infinite Extrapolation?\n\n"
    "blog link: [here](https://spaces.ac.cn/archives/9708)\n\ncitation:\n```bibtex\n@misc{transformer-upgrade-12,\n"
    '    author = "Su, Jianlin",\n    title = "Transformer Upgrade Roadmap: 12. ReRoPE for Infinite Extrapolation?",\n'
    '    year = "2023",\n    howpublished = "\\url{https://spaces.ac.cn/archives/9708}"\n}\n```\n\n'
    "### Miscellaneous\n\n#### CoCA: Collinear Constrained Attention\n\npaper link: [here](https://arxiv.org/pdf/2309.08646)\n"
)


def test_a_heading_over_its_paper_link_and_bibtex_block_is_an_entry_read_through_the_bibtex_reader() -> None:
    assert _read(HEADING_BIBTEX) == [
        # the cited title, without the method name the heading adds; authors and year from the BibTeX block
        (13, "Giraffe: Adventures in expanding context lengths in llms", ["Arka Pal", "Deep Karkhanis", "Manley Roberts"], 2023, "2308.10882"),
        (27, "Transformer Upgrade Roadmap: 12. ReRoPE for Infinite Extrapolation?", ["Jianlin Su"], 2023, ""),
        (43, "CoCA: Collinear Constrained Attention", [], 2023, "2309.08646"),  # no citation: the arXiv id gives the year
    ]
    assert _sections(HEADING_BIBTEX) == [("Scaling Strategies", [13, 27]), ("Miscellaneous", [43])]


def test_topic_headings_over_lists_of_papers_stay_sections() -> None:
    text = "".join(
        f"### Topic {n}\n- [Paper {n} About Things](https://arxiv.org/abs/2401.0000{n}) 2024\n\n" for n in range(3)
    ) + "### Topic 9\npaper link: [here](https://arxiv.org/abs/2402.00001)\n"
    # a heading with one labelled paper link is a paper only when most headings of its level are
    assert [name for name, _ in _sections(text)] == ["Topic 0", "Topic 1", "Topic 2"]
    assert [e.line for e in parse_markdown(text).entries()] == [2, 5, 8]


def test_an_old_acl_anthology_id_gives_the_year() -> None:
    text = (
        "## Fine-tuning\n5. **PANLP at MEDIQA 2019: Pre-trained Language Models**. *Wei Zhu, Xiaofeng Zhou*. "
        "The 18th BioNLP workshop. [[pdf](https://www.aclweb.org/anthology/W19-5040)]\n"
        "6. **Universal Language Model Fine-tuning**. *Jeremy Howard, Sebastian Ruder*. ACL. "
        "[[pdf](https://aclanthology.org/P18-1031.pdf)]\n"
    )
    assert [(e.year, e.cleaned) for e in parse_markdown(text).entries()] == [
        (2019, ["took the missing year 2019 from the ACL Anthology id"]),
        (2018, ["took the missing year 2018 from the ACL Anthology id"]),
    ]


def test_workshops_tutorials_and_courses_are_set_aside() -> None:
    text = (  # pliang279/awesome-multimodal-ml ends with these sections, jxzhangjhu/Awesome-LLM-RAG has "Workshops and Tutorials"
        "# Papers\n- [A Real Paper Title](https://arxiv.org/abs/2107.00135), NeurIPS 2021\n"
        "# Workshops\n- [Multimodal KDD 2023: International Workshop on Multimodal Learning](https://multimodal-kdd-2023.github.io), KDD 2023\n"
        "## Workshops and Tutorials\n- [First Workshop on Generative Information Retrieval](https://example.org/gir), SIGIR 2023\n"
        "# Courses\n- [CMU 11-777 Multimodal Machine Learning](https://cmu-multicomp-lab.github.io/mmml-course/fall2022/), Fall 2022\n"
        "# Workshop Papers\n- [A Paper at a Workshop](https://arxiv.org/abs/2301.00001), ICLR Workshop 2023\n"
    )
    parsed = parse_markdown(text)
    assert [e.title for e in parsed.entries()] == ["A Real Paper Title", "A Paper at a Workshop"]
    assert [(s.heading, s.count) for s in parsed.set_aside] == [("Workshops", 1), ("Workshops and Tutorials", 1), ("Courses", 1)]
