"""Markdown read as Markdown: the shapes a user expects to be the same, and what is not a paper."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import DATA, run
from lclm.sources.markdown import parse_markdown
from lclm.store.load import load_store

ARXIV = "https://arxiv.org/abs/2401.01234"


def _one(text: str) -> tuple[str, list[str], str, int, str, str]:
    entries = parse_markdown(text).entries()
    assert len(entries) == 1, entries
    e = entries[0]
    return e.title, e.authors, e.venue, e.year, e.url, e.code


def test_emphasis_with_stars_or_underscores_is_the_same() -> None:
    expected = ("A Title", ["Ada Lovelace", "Alan Turing"], "ICLR", 2024, ARXIV, "")
    assert _one(f"## S\n1. [**A Title.**]({ARXIV}) _Ada Lovelace, Alan Turing._ ICLR 2024.\n") == expected
    assert _one(f"## S\n1. [__A Title.__]({ARXIV}) *Ada Lovelace, Alan Turing*. ICLR 2024.\n") == expected
    assert _one(f"## S\n- **[A Title.]({ARXIV})** Ada Lovelace, Alan Turing. ICLR, 2024\n") == expected


def test_a_hard_wrapped_item_is_one_entry() -> None:
    text = f"## S\n- [**A Title\n  on Two Lines.**]({ARXIV})\n  _Ada Lovelace,\n  Alan Turing._ ICLR 2024.\n- next line is not part of it\n"
    assert _one(text) == ("A Title on Two Lines", ["Ada Lovelace", "Alan Turing"], "ICLR", 2024, ARXIV, "")


def test_comments_fences_and_news_are_not_papers() -> None:
    text = (
        "## News\n- [**Old news.**](https://arxiv.org/abs/2301.00001) _A B._ X 2023.\n"
        "## Papers\n<!--\n- [**Hidden.**](https://arxiv.org/abs/2301.00002) _A B._ X 2023.\n\n-->\n"
        "```\n- [**Code.**](https://arxiv.org/abs/2301.00003) _A B._ X 2023.\n```\n"
        "<details><summary>Weekly updates</summary>\n\n- [**Aside.**](https://arxiv.org/abs/2301.00004) _A B._ X 2023.\n\n</details>\n\n"
        f"- [**Kept.**]({ARXIV}) _A B._ X 2024.\n"
    )
    parsed = parse_markdown(text)
    assert [e.title for e in parsed.entries()] == ["Kept"]
    assert [(s.heading, s.count) for s in parsed.set_aside] == [("News", 1), ("Weekly updates", 1)]


def test_subsections_keep_their_parent(tmp_path: Path) -> None:
    md = tmp_path / "list.md"
    md.write_text(
        "# Awesome\n## Model\n### Architecture\n"
        f"- **[One.]({ARXIV})** A B. 2024\n"
        "## Systems\n### Architecture\n- **[Two.](https://arxiv.org/abs/2401.05678)** C D. 2024\n",
        encoding="utf-8",
    )
    assert run("--papers", str(tmp_path / "s"), "import", "markdown", str(md)).exit_code == 0
    store = load_store(tmp_path / "s")
    tree = [(top.name, [s.name for s in top.sections]) for top in store.sections]
    assert tree == [("Model", ["Architecture"]), ("Systems", ["Architecture"])]
    assert [p.category for p in store.papers] == ["architecture", "architecture-2"]


def test_a_date_table_gives_the_year_and_roles_give_the_links() -> None:
    text = (
        "## Papers\n| Date | Title | Paper | Code |\n|---|---|---|---|\n"
        "| 2024.05 | A Tabled Paper | [pdf](https://example.org/paper.pdf) | [code](https://github.com/a/b) |\n"
    )
    title, authors, venue, year, url, code = _one(text)
    assert (title, authors, venue, year, url, code) == ("A Tabled Paper", [], "", 2024, "https://example.org/paper.pdf", "https://github.com/a/b")
    assert parse_markdown(text).entries()[0].cleaned == []  # a year from the date column is read, not cleaned


def test_unreadable_items_are_reported_with_a_reason() -> None:
    text = "## Papers\n- [[Paper]](https://arxiv.org/abs/2401.01234) [[Code]](https://github.com/a/b)\n- **A title** with no year and no link\n"
    problems = parse_markdown(text).problems
    assert [(p.line, p.reason) for p in problems] == [
        (2, "title not found"),
        (3, "no year (none in the text, a date column, the arXiv id or the link)"),
    ]
    assert parse_markdown(text).unread_headings == [(1, "Papers", 2)]  # the heading is named, not lost


def test_the_report_names_every_unread_line_and_heading(tmp_path: Path) -> None:
    md = tmp_path / "list.md"
    md.write_text(
        "## Good\n- **[A.](https://arxiv.org/abs/2401.00001)** X Y. 2024\n"
        "## Bad\n" + "".join(f"- [[Paper]](https://arxiv.org/abs/2401.0001{n})\n" for n in range(5)),
        encoding="utf-8",
    )
    result = run("--papers", str(tmp_path / "s"), "import", "markdown", str(md))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        f"{md}:4: not read: title not found: 5 entries (lines 4, 5, 6, 7, 8; --verbose lists them)",
        f"{md}:3: 'Bad': none of its 5 entries read",
        f"lclm: error: {md}: read 1 of 6 entries; nothing written: 5 entries that look like papers could not be read or written"
        " (listed above; --report FILE writes the whole account), fix them or give --partial to import what was read",
    ]
    assert not (tmp_path / "s").exists()
    verbose = run("--papers", str(tmp_path / "s"), "import", "markdown", "--verbose", str(md)).stderr.splitlines()
    assert verbose[4] == f"{md}:8: not read: title not found: [[Paper]](https://arxiv.org/abs/2401.00014)"


def test_code_field_round_trips_through_export(tmp_path: Path) -> None:
    md = tmp_path / "list.md"
    md.write_text(
        f"## S\n- Some Tool Paper <br> ICML 2024 [[Paper]]({ARXIV}) [[Code]](https://github.com/a/b)\n"
        "- [**Weinan's.**](https://arxiv.org/abs/2402.00001) _Weinan E, Md. Tamim Iqbal._ NeurIPS 2024.\n",
        encoding="utf-8",
    )
    assert run("--papers", str(tmp_path / "a"), "import", "markdown", str(md)).exit_code == 0
    exported = run("--papers", str(tmp_path / "a"), "export", "markdown").stdout
    assert f"* **[Some Tool Paper.]({ARXIV})** ICML, 2024 [Code](https://github.com/a/b)" in exported
    # plain "Weinan E, Md. Tamim Iqbal. NeurIPS" would not read back: the names are set in italics
    assert "** _Weinan E, Md. Tamim Iqbal._ NeurIPS, 2024" in exported
    again = tmp_path / "again.md"
    again.write_text(exported, encoding="utf-8")
    assert run("--papers", str(tmp_path / "b"), "import", "markdown", str(again)).exit_code == 0
    a, b = load_store(tmp_path / "a"), load_store(tmp_path / "b")
    assert [p.to_dict() for p in b.papers] == [p.to_dict() for p in a.papers]


# ---------------------------------------------------------------- --fetch, against recorded arXiv answers

ARXIV_DATA = DATA / "arxiv"
FETCH_LIST = (
    "## Papers\n"
    "- [**Proceedings of workshop AEW10: concepts in information theory and communications.**](https://arxiv.org/abs/1707.08567)"
    " _Kees A. Schouhamer Immink, Stan Baggen, et al._ arXiv 2017.\n"
    "- [**A paper arXiv does not know.**](https://arxiv.org/abs/0808.05394) _Ada Lovelace, et al._ arXiv 2008.\n"
    "- [**No arXiv id here.**](https://example.org/p.pdf) _Alan Turing._ Mind 1950.\n"
)


@pytest.fixture
def arxiv_server(httpserver, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LCLM_ARXIV_URL", httpserver.url_for("/api/query"))
    monkeypatch.setenv("LCLM_ARXIV_DELAY", "0")
    return httpserver


def test_fetch_fills_truncated_authors_and_title_capitals_in_one_request(arxiv_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    body = (ARXIV_DATA / "new_idlist_0808.05394_1707.08567_multi_id_one_missing.xml").read_bytes()
    arxiv_server.expect_request("/api/query").respond_with_data(body, content_type="application/atom+xml")
    md = tmp_path / "list.md"
    md.write_text(FETCH_LIST, encoding="utf-8")
    result = run("--papers", str(tmp_path / "s"), "import", "markdown", "--fetch", "--partial", str(md))
    assert result.exit_code == 0, result.stderr
    asked = [parse_qs(urlsplit(r.url).query) for r, _ in arxiv_server.log]
    assert [(q["id_list"], q["max_results"]) for q in asked] == [(["1707.08567,0808.05394"], ["2"])]
    papers = {p.arxiv or p.url: p for p in load_store(tmp_path / "s").papers}
    aew = papers["1707.08567"]
    assert aew.title == "Proceedings of Workshop AEW10: Concepts in Information Theory and Communications"
    assert len(aew.authors) == 34 and aew.authors[:2] == ["Kees A. Schouhamer Immink", "Stan Baggen"]
    assert "Dirk Wübben" in aew.authors and aew.key == "immink2017proceedings"
    # arXiv has no such paper, and validate would reject the id (2008 ids have 4 digits): not written.
    assert "0808.05394" not in papers and f"{md}:3: not written: 'A paper arXiv does not know': arxiv: " in result.stderr
    assert f"{md}:2: took the 34 authors from arXiv" in result.stdout.splitlines()
    assert f"{md}: arXiv has no paper for 1 ids: 0808.05394" in result.stderr.splitlines()


def test_a_failed_fetch_keeps_the_entries_as_listed_and_says_so(arxiv_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    body = (ARXIV_DATA / "new_error_idlist_abc_http400.xml").read_bytes()
    arxiv_server.expect_request("/api/query").respond_with_data(body, status=400)
    md = tmp_path / "list.md"
    md.write_text(FETCH_LIST, encoding="utf-8")
    result = run("--papers", str(tmp_path / "s"), "import", "markdown", "--fetch", "--partial", str(md))
    assert result.exit_code == 0, result.stderr
    assert (
        f"{md}: arXiv: 2 ids not fetched, their entries kept as the list has them: arXiv: incorrect id format for abc (HTTP 400)"
        in result.stderr.splitlines()
    )
    aew = next(p for p in load_store(tmp_path / "s").papers if p.arxiv == "1707.08567")
    assert aew.authors == ["Kees A. Schouhamer Immink", "Stan Baggen", "others"]


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("- [Attention Sinks](https://arxiv.org/abs/2301.00001) - Ada Lovelace, Alan Turing. ICLR 2023.",
         ("Attention Sinks", ["Ada Lovelace", "Alan Turing"], "ICLR", 2023)),
        ("- **Sparse Things** - [[paper]](https://arxiv.org/abs/2302.00002) [[code]](https://github.com/a/b) - ICLR 2023",
         ("Sparse Things", [], "ICLR", 2023)),
        ("* Linear Attention Revisited. Ada Lovelace, Alan Turing. NeurIPS 2023. [[pdf](https://example.org/x.pdf)]",
         ("Linear Attention Revisited", ["Ada Lovelace", "Alan Turing"], "NeurIPS", 2023)),
        ("1. **[ICLR 2024]** Long Context Is Hard [[paper](https://arxiv.org/abs/2403.00003)]", ("Long Context Is Hard", [], "ICLR", 2024)),
        ("- (ICLR 2024) [Ring Attention](https://arxiv.org/abs/2404.00004)", ("Ring Attention", [], "ICLR", 2024)),
        ("- [2024/05] [Memory Layers](https://arxiv.org/abs/2405.00005) by Ada Lovelace", ("Memory Layers", ["Ada Lovelace"], "", 2024)),
        ("- [**Venue As Link.**](https://openreview.net/forum?id=abc) Ada Lovelace. [ICLR 2024](https://iclr.cc/2024)",
         ("Venue As Link", ["Ada Lovelace"], "ICLR", 2024)),
        ("- (Dynamic) Prompting Works <br> ICLR 2024 [[Paper]](https://arxiv.org/abs/2401.09999)", ("(Dynamic) Prompting Works", [], "ICLR", 2024)),
    ],
)
def test_other_shapes_people_write(item: str, expected: tuple[str, list[str], str, int]) -> None:
    title, authors, venue, year, _, _ = _one(f"## Papers\n{item}\n")
    assert (title, authors, venue, year) == expected


def test_br_separated_parts_after_a_bold_title() -> None:
    text = "## Papers\n- **Bold Title Here** <br> Ada Lovelace, Alan Turing <br> ICML 2024 [[Paper]](https://arxiv.org/abs/2401.01234)\n"
    assert _one(text) == ("Bold Title Here", ["Ada Lovelace", "Alan Turing"], "ICML", 2024, ARXIV, "")


def test_research_topics_named_like_news_or_citations_are_papers() -> None:
    # Only a whole heading such as "News" or "How to cite" sets a section aside, never a topic.
    text = "".join(
        f"## {topic}\n- [**Paper on {n}.**](https://arxiv.org/abs/2301.0000{n}) _A B._ X 2023.\n"
        for n, topic in enumerate(["Fake News Detection", "Knowledge Updates and Editing", "Citation Generation"], 1)
    ) + "## 🔥 News\n- [**Old news.**](https://arxiv.org/abs/2301.00009) _A B._ X 2023.\n"
    parsed = parse_markdown(text)
    assert [e.title for e in parsed.entries()] == ["Paper on 1", "Paper on 2", "Paper on 3"]
    assert [(s.heading, s.count) for s in parsed.set_aside] == [("🔥 News", 1)]


def test_latex_in_a_title_is_decoded_as_in_bibtex() -> None:
    from lclm.latex import decode

    text = "## S\n- [**$\\infty$Bench: \\emph{Long} $k$NN, Cost $5 to $10.**](https://arxiv.org/abs/2402.13718) _A B._ X 2024.\n"
    (entry,) = parse_markdown(text).entries()
    assert entry.title == "∞Bench: Long kNN, Cost $5 to $10"
    assert decode("{$\\infty$Bench}") == "∞Bench"


def test_a_venue_label_is_not_a_title_and_a_month_is_not_a_venue() -> None:
    text = (
        "## S\n"
        "- Ring Attention with Blockwise Transformers. Hao Liu, Pieter Abbeel. [arXiv 2023](https://arxiv.org/abs/2310.01889)\n"
        "- [Mistral 7B](https://arxiv.org/abs/2310.06825) (Oct 2023)\n"
    )
    ring, mistral = parse_markdown(text).entries()
    assert ring.title.startswith("Ring Attention with Blockwise Transformers") and ring.year == 2023
    assert (mistral.title, mistral.venue, mistral.year) == ("Mistral 7B", "", 2023)


def test_words_in_angle_brackets_stay_in_a_title_and_layout_html_goes() -> None:
    text = "## S\n- [**Q&A with <unk> tokens and <sup>x</sup>.**](https://arxiv.org/abs/2301.00001) _A B._ X 2023.\n"
    (entry,) = parse_markdown(text).entries()
    assert entry.title == "Q&A with <unk> tokens and x"


def test_italic_authors_with_affiliations_and_the_venue_after_et_al() -> None:
    # The LLM-agent survey lists' shape: "[date] **Title.** *Name (Affiliation) et al. Venue.*[[paper](url)]"
    text = (
        "## S\n"
        "- [2023/04] **Learning Things.** *Felix Hill(University of Cambridge) et al. arXiv.*[[paper](https://arxiv.org/abs/1602.03483)]\n"
        "- [2022/11] **Playing Diplomacy.** *Anton Bakhtin (Meta AI), Noam Brown et al. Science.* [[paper](https://www.science.org/doi/10.1126/science.ade9097)]\n"
    )
    hill, bakhtin = parse_markdown(text).entries()
    assert (hill.authors, hill.venue, hill.year) == (["Felix Hill", "others"], "arXiv", 2023)
    assert (bakhtin.authors, bakhtin.venue, bakhtin.year) == (["Anton Bakhtin", "Noam Brown", "others"], "Science", 2022)


def test_a_badge_labelled_with_a_venue_gives_venue_and_year() -> None:
    # Lines of weigao266/Awesome-Efficient-Arch: a "VENUE-YEAR-colour" badge beside date badges.
    base = "https://img.shields.io/badge"
    sinkhorn = f"## S\n- [Sparse Sinkhorn Attention](https://proceedings.mlr.press/v119/tay20a.html) ![]({base}/ICML-2020-blue)\n"
    assert _one(sinkhorn)[2:4] == ("ICML 2020", 2020)  # the badge is the only place the year is
    hgrn = f"## S\n- [Hierarchically Gated RNN](https://arxiv.org/abs/2311.04823) ![]({base}/arXiv-2023.11-red) ![]({base}/NeurIPS-2023-yellow)\n"
    assert _one(hgrn)[2:4] == ("NeurIPS 2023", 2023)
    # A date badge or a label the venue table does not know names no venue.
    for badge in ("abs-2025.03-red", "arXiv-2023.11-red", "GitHub-2024.01-blue", "Status-2024-green"):
        plain = f"## S\n- [A Title](https://arxiv.org/abs/2502.13189) ![]({base}/{badge})\n"
        assert _one(plain)[2:4] == ("", 2025), badge


def test_an_item_that_is_only_a_link_to_a_repository_is_set_aside_and_counted(tmp_path: Path) -> None:
    # weigao266/Awesome-Efficient-Arch lists a library among its papers: a link to GitHub and a date badge.
    fla = "[FLA: A Triton-Based Library for Linear Attention](https://github.com/fla-org/flash-linear-attention)"
    md = tmp_path / "list.md"
    md.write_text(
        f"## Implementations\n- {fla} ![](https://img.shields.io/badge/GitHub-2024.01-blue)\n"
        f"- [**Kept.**]({ARXIV}) _A B._ X 2024.\n- [Another awesome list](https://github.com/a/awesome-b)\n",
        encoding="utf-8",
    )
    parsed = parse_markdown(md.read_text(encoding="utf-8"))
    assert [e.title for e in parsed.entries()] == ["Kept"]
    assert [(s.line, s.heading, s.count, s.reason) for s in parsed.set_aside] == [
        (2, "Implementations", 2, "a link to a code repository or another list, not a paper")
    ]
    result = run("--papers", str(tmp_path / "papers"), "import", "markdown", str(md))
    assert result.exit_code == 0, result.stderr
    assert f"{md}:2: set aside 2 entries under 'Implementations': a link to a code repository or another list, not a paper" in result.stdout


def test_a_venue_tag_in_parentheses_loses_its_brackets() -> None:
    text = (  # XiaoxinHe/Awesome-Graph-LLM
        "## S\n- (*EACL'24'*) Natural Language is All a Graph Needs [[paper](https://arxiv.org/abs/2308.07134)]\n"
        "- (*NeurIPS'24*) KnowGPT: Knowledge Graph based PrompTing for Large Language Models [[paper](https://arxiv.org/abs/2312.06185)]\n"
    )
    assert [(e.venue, e.year) for e in parse_markdown(text).entries()] == [("EACL 2024", 2024), ("NeurIPS 2024", 2024)]


def test_fetch_reads_a_table_of_models_with_the_titles_arxiv_gives(arxiv_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A table whose rows name models, each with its paper's link (Paitesanshi/LLM-Agent-Survey, BradyFU's
    and MLGroupJLU's benchmark tables): no title to read, so set aside; --fetch takes each title from arXiv."""
    body = (ARXIV_DATA / "new_idlist_0808.05394_1707.08567_multi_id_one_missing.xml").read_bytes()
    arxiv_server.expect_request("/api/query").respond_with_data(body, content_type="application/atom+xml")
    md = tmp_path / "models.md"
    md.write_text(
        "## Models\n| Model | Venue | Paper | Code |\n| --- | --- | --- | --- |\n"
        "| **AEW10** | arXiv 2017 | [Paper](https://arxiv.org/abs/1707.08567) | [code](https://github.com/a/aew) |\n"
        "| Ghost | arXiv | [Paper](https://arxiv.org/abs/0808.05394) | - |\n",
        encoding="utf-8",
    )
    plain = run("--papers", str(tmp_path / "plain"), "import", "markdown", "--partial", str(md))
    assert plain.exit_code == 1 and "a row of a table with no title column" in plain.stderr and "--fetch" in plain.stderr
    assert not arxiv_server.log  # no network without --fetch
    result = run("--papers", str(tmp_path / "s"), "import", "markdown", "--fetch", "--partial", str(md))
    assert result.exit_code == 0, result.stderr
    [paper] = load_store(tmp_path / "s").papers
    assert paper.title == "Proceedings of Workshop AEW10: Concepts in Information Theory and Communications"
    assert (paper.arxiv, paper.code, len(paper.authors), paper.venue) == ("1707.08567", "https://github.com/a/aew", 34, "arXiv")
    assert f"{md}:4: took the title from arXiv (the table has no title column)" in result.stdout.splitlines()
    assert len(arxiv_server.log) == 1  # the titles and the authors in one request
