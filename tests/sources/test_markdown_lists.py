"""The Markdown reader on real lists written by others (tests/data/lists, copied from the corpus).

For each list, the entries read (plus those reported as unreadable) are
compared with a count made independently, on raw lines rather than on the
token tree: list items and table rows that hold a web link, outside fenced
code, HTML comments and the sections the list itself says are not papers.
A sample of records is then checked field by field against its source line.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

from conftest import DATA, run
from lclm.sources.markdown import ListEntry, ParsedList
from lclm.store.load import load_store
from sources.markdown_truth import parsed

LISTS = DATA / "lists"
SEED = LISTS / "thus-spake-readme.md"
ZH = LISTS / "openmoss_thus-spake-long-context-llm_README_zh.md"
XNHYACINTH = LISTS / "xnhyacinth_awesome-llm-long-context-modeling_README.md"
HUANGOWEN = LISTS / "huangowen_awesome-llm-compression_README.md"
HORSEEE = LISTS / "horseee_awesome-efficient-llm_README.md"
OCTOBER = LISTS / "october2001_awesome-kv-cache-compression_README.md"
ITEM_RE = re.compile(r"^\s*(?:[-*+]|\d+\.)\s")


def count_items(path: Path, skipped_headings: str) -> int:
    """List items and table body rows holding an http link or bold text, by lines.

    An item's text runs from its bullet to the next bullet, heading or
    unindented line after a blank (so a title whose links sit on a second,
    indented paragraph counts once).  Table rows: lines starting with "|"
    that hold a link (header rows never do in these lists).  Sections whose
    heading matches ``skipped_headings`` are left out with their subsections.
    """
    count, skip_level, fence, comment = 0, 0, False, False
    item: list[str] = []

    def close() -> None:
        nonlocal count, item
        if item and re.search(r"http|\*\*", " ".join(item)):
            count += 1
        item = []

    for line in path.read_text(encoding="utf-8").splitlines():
        bare = line.replace("\u200b", "")
        if bare.lstrip().startswith("```"):
            fence = not fence
            continue
        if comment or "<!--" in bare and "-->" not in bare.split("<!--", 1)[1]:
            comment = "-->" not in bare.split("<!--", 1)[-1] if not comment else "-->" not in bare
            continue
        if fence:
            continue
        heading = re.match(r"^(#+)\s+(.*)", bare)
        if heading:
            close()
            level = len(heading[1])
            if skip_level and level > skip_level:
                continue
            skip_level = level if re.search(skipped_headings, heading[2], re.I) else 0
            continue
        if skip_level:
            continue
        if ITEM_RE.match(bare) or bare.startswith("|"):
            close()
            if bare.startswith("|"):
                count += "http" in bare
            else:
                item = [bare]
        elif item and (bare.startswith((" ", "\t")) or not bare.strip()):
            item.append(bare)
        else:
            close()
    close()
    return count


@functools.cache
def parsed_list(path: Path) -> ParsedList:
    """What the reader makes of one list, read once per process (and kept across runs by this same lclm,
    ``markdown_truth.parsed``): the tests here only look at it."""
    return parsed(path, path.read_text(encoding="utf-8"))


# (list, headings that are not papers, entries the reader must read, lines it must report)
CASES = [
    (SEED, r"^News$|Table of Contents|Star History|Citation", 643, []),
    (ZH, r"新闻|目录|Star History|引用", 643, []),
    (XNHYACINTH, r"News|Contents|Star History|Citation|Contributors", 1475, []),
    # line 816: "BESA ... <br> OpenReview [[Paper]](openreview.net/pdf?id=...)": no year anywhere
    (HUANGOWEN, r"^\W*(Tools|Contributing|Star History)$", 794, [816]),  # its "# Contents" menu has only #anchors
    # the "Full List" menu links to sub-lists (relative .md links, one GitHub list: no paper);
    # line 176: EAGLE's row has no venue badge, no date and a Google Sites link: no year
    (HORSEEE, r"Updates|Contributing|^Quick Link|^Full List$", 214, [176]),
    # the "Project" section lists software; line 382 (NexusQuant) is software listed under Evaluation
    (OCTOBER, r"News|Notice|Project", 161, [382]),
]


@pytest.mark.parametrize(("path", "skipped", "read", "unread"), CASES, ids=lambda c: c.stem[:20] if isinstance(c, Path) else "")
def test_every_entry_is_read_or_reported(path: Path, skipped: str, read: int, unread: list[int]) -> None:
    parsed = parsed_list(path)
    assert len(parsed.entries()) + len(parsed.problems) == count_items(path, skipped)
    assert len(parsed.entries()) == read
    assert [p.line for p in parsed.problems] == unread


def _at(path: Path, line: int) -> ListEntry:
    return next(e for e in parsed_list(path).entries() if e.line == line)


def test_huangowen_plain_titles_with_labelled_links() -> None:
    # - Sparsified State-Space Models are Efficient Highway Networks <br> TMLR 2025 [[Paper]](arxiv) [[Code]](github)
    e = _at(HUANGOWEN, 1038)
    assert (e.title, e.authors, e.venue, e.year) == ("Sparsified State-Space Models are Efficient Highway Networks", [], "TMLR", 2025)
    assert (e.url, e.arxiv, e.code) == ("https://arxiv.org/abs/2505.20698", "2505.20698", "https://github.com/woominsong/Simba")
    # the venue on a second, indented paragraph of the same item
    e = _at(HUANGOWEN, 1040)
    assert (e.title, e.venue, e.year, e.code) == (
        "SDMPrune: Self-Distillation MLP Pruning for Efficient Large Language Models", "Arxiv", 2025,
        "https://github.com/visresearch/SDMPrune",
    )
    # "[[Blog]] (url)" (a space before the parenthesis: not a link) stays out of the venue
    e = _at(HUANGOWEN, 30)
    assert (e.title, e.venue, e.year, e.url) == (
        "Compressed but Compromised? A Study of Jailbreaking in Compressed LLMs", "NeurIPS Lock-LLM Workshop", 2025,
        "https://openreview.net/pdf?id=OkNfb8SmLh",
    )


def test_horseee_table_rows() -> None:
    # the title links to GitHub; the paper link is in the Links column; the venue is a badge
    e = _at(HORSEEE, 57)
    assert (e.title, e.authors) == ("SparseGPT: Massive Language Models Can Be Accurately Pruned in One-Shot", ["Elias Frantar", "Dan Alistarh"])
    assert (e.venue, e.year, e.url, e.code) == ("ICML 2023", 2023, "https://arxiv.org/abs/2301.00774", "https://github.com/IST-DASLab/sparsegpt")
    # no badge: the year from the arXiv id, and said so
    e = _at(HORSEEE, 64)
    assert (e.title, e.venue, e.year, e.authors[-2:]) == (
        "HashAttention: Semantic Sparsity for Faster Inference", "", 2024, ["Joseph E. Gonzalez", "Ion Stoica"],
    )
    assert e.cleaned == ["took the missing year 2024 from the arXiv id"]
    # "Conference-ICML'23 Oral": the badge's words are kept, its year spelled out
    e = _at(HORSEEE, 173)
    assert (e.venue, e.year, e.url, e.code) == ("ICML 2023 Oral", 2023, "https://openreview.net/forum?id=wIPIhHd00i", "https://github.com/FMInference/DejaVu")


def test_october_asterisk_authors() -> None:
    e = _at(OCTOBER, 97)
    assert e.title == "MInference 1.0: Accelerating Pre-filling for Long-Context LLMs via Dynamic Sparse Attention"
    assert e.authors[:2] == ["Huiqiang Jiang", "Yucheng Li"] and e.authors[7] == "Amir H. Abdi" and len(e.authors) == 12
    assert (e.venue, e.year, e.code) == ("NeurIPS", 2024, "https://github.com/microsoft/MInference")


def test_xnhyacinth_numbered_entries_and_news() -> None:
    parsed = parsed_list(XNHYACINTH)
    heading = "Large Language Model Based Long Context Modeling Papers and Blogs"  # its HTML navigation line, line 8
    assert [(s.heading, s.count) for s in parsed.set_aside if s.count] == [(heading, 1), ("📢 News", 50)]
    e = next(e for e in parsed.entries() if e.title.startswith("LOOM-Scope"))
    assert (e.line, e.venue, e.year, e.code) == (3131, "Arxiv", 2025, "https://github.com/LCM-Lab/LOOM-Scope")  # no &nbsp; in the venue
    assert e.authors[0] == "Zecheng Tang" and e.authors[-1] == "Min Zhang"


@pytest.mark.parametrize("path", [SEED, XNHYACINTH, HUANGOWEN, HORSEEE, OCTOBER], ids=lambda p: p.stem[:20])
def test_export_then_import_gives_back_every_record(path: Path, tmp_path: Path) -> None:
    first = run("--papers", str(tmp_path / "a"), "import", "markdown", "--partial", str(path))
    assert first.exit_code == 0, first.stderr
    rendered = tmp_path / "list.md"
    rendered.write_text(run("--papers", str(tmp_path / "a"), "export", "markdown").stdout, encoding="utf-8")
    again = run("--papers", str(tmp_path / "b"), "import", "markdown", str(rendered))
    assert again.exit_code == 0, again.stderr
    a, b = load_store(tmp_path / "a", use_cache=False), load_store(tmp_path / "b", use_cache=False)
    assert [p.to_dict() for p in b.papers] == [p.to_dict() for p in a.papers]


def test_an_incomplete_import_writes_nothing_unless_partial(tmp_path: Path) -> None:
    result = run("--papers", str(tmp_path / "s"), "import", "markdown", str(OCTOBER))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{OCTOBER}:382: not read: only a code repository, no paper link or year (software, not a paper?): "
        "[**NexusQuant.**](https://github.com/jagmarques/nexusquant) [![GitHub Repo stars](https://img.shield",
        f"{OCTOBER}:77: not written: 'On the Efficacy of Eviction Policy for Key-Value Constrained Generative Language"
        " Model Inference': shares an identifier with guo2024attention (line 75) (same arXiv id 2406.12335, but the"
        " titles and authors differ: check the id)",
        f"lclm: error: {OCTOBER}: read 161 of 164 entries; nothing written: 2 entries that look like papers could not be read or written (listed above;"
        " --report FILE writes the whole account), fix them or give --partial to import what was read",
    ]
    assert not (tmp_path / "s").exists()
    partial = run("--papers", str(tmp_path / "s"), "import", "markdown", "--partial", str(OCTOBER))
    assert partial.exit_code == 0
    assert partial.stdout.splitlines()[-1].startswith("read 161 of 164 entries, 3 set aside (listed above); added 160 papers")
    # Line 77 links the arXiv id of the entry before it (a wrong id in the list): reported, not written.
    assert (
        f"{OCTOBER}:77: not written: 'On the Efficacy of Eviction Policy for Key-Value Constrained Generative Language"
        " Model Inference': shares an identifier with guo2024attention (line 75) (same arXiv id 2406.12335" in partial.stderr
    )
    assert len(load_store(tmp_path / "s").papers) == 160
