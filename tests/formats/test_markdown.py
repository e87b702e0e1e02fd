"""`lclm export markdown`: the list, its README between markers, and --check."""

from __future__ import annotations

from pathlib import Path

from conftest import run
from lclm.formats.markdown import END, START, github_anchor, render_entry
from lclm.model import Paper


def test_entry_line_formats() -> None:
    paper = Paper(key="k", title="Title", year=2024, authors=["A B", "others"], venue="Venue, 3, 1--2", url="https://x.org/p")
    assert render_entry(paper) == "* **[Title.](https://x.org/p)** A B, others. Venue, 3, 1--2, 2024"
    question = Paper(key="k", title="Why?", year=2023, authors=["OpenAI"])
    assert render_entry(question) == "* **Why?** OpenAI. 2023"
    assert render_entry(Paper(key="k", title="Index", year=2024)) == "* **Index.** 2024"


def test_github_anchors() -> None:
    assert github_anchor("Survey & Technical Report") == "survey--technical-report"
    assert github_anchor("Long-Context MLLM") == "long-context-mllm"
    assert github_anchor("长度外推") == "长度外推"


def test_export_lists_sections_in_store_order_with_counts(seed_store: Path) -> None:
    out = run("--papers", str(seed_store), "export", "markdown").stdout.splitlines()
    assert out[0] == "641 papers in 12 categories."  # the seed lists two papers twice
    assert out[2:4] == [
        "- [Survey & Technical Report](#survey--technical-report) (48)",
        "- [Architecture](#architecture) (227)",
    ]
    headings = [line for line in out if line.startswith("#")]
    assert headings[:3] == ["### Survey & Technical Report", "### Architecture", "#### Length Extrapolation"]
    assert headings[-1] == "#### Unanswered Question"
    assert sum(line.startswith("* ") for line in out) == 641


def test_no_toc_and_chinese_headings(seed_store: Path) -> None:
    out = run("--papers", str(seed_store), "export", "markdown", "--no-toc", "--lang", "zh").stdout.splitlines()
    assert out[:4] == ["共 641 篇论文，12 个类别。", "", "### 综述和技术报告", ""]
    assert "#### 长度外推" in out


def test_output_file(store: Path, tmp_path: Path) -> None:
    target = tmp_path / "list.md"
    result = run("--papers", str(store), "export", "markdown", "-o", str(target))
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8") == run("--papers", str(store), "export", "markdown").stdout


def test_readme_is_replaced_only_between_markers_and_checked(seed_store: Path, tmp_path: Path) -> None:
    store = seed_store
    readme = tmp_path / "README.md"
    readme.write_text(f"# Intro\n\nkeep me\n\n{START}\nstale\n{END}\n\n## Footer\n", encoding="utf-8")
    check = run("--papers", str(store), "export", "markdown", "--readme", str(readme), "--check")
    assert check.exit_code == 1
    assert check.stderr == f"{readme}: out of date; run `lclm export markdown --readme {readme}`\n"
    assert "stale" in readme.read_text(encoding="utf-8")  # --check writes nothing

    assert run("--papers", str(store), "export", "markdown", "--readme", str(readme)).stdout == f"{readme}: updated\n"
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# Intro\n\nkeep me\n\n" + START + "\n641 papers in 12 categories.")
    assert text.endswith(f"{END}\n\n## Footer\n")
    assert run("--papers", str(store), "export", "markdown", "--readme", str(readme), "--check").exit_code == 0


def test_committed_readmes_are_up_to_date() -> None:
    for readme, lang in (("papers/README.md", "en"), ("papers/README_zh.md", "zh")):
        result = run("export", "markdown", "--readme", readme, "--check", "--lang", lang)
        assert result.exit_code == 0, result.stderr


def test_readme_without_markers_and_bad_flags(store: Path, tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# no markers\n", encoding="utf-8")
    result = run("--papers", str(store), "export", "markdown", "--readme", str(readme))
    assert (result.exit_code, result.stderr) == (
        1, f"lclm: error: {readme}: no '{START}' ... '{END}' marker lines to write the list between\n"
    )
    assert run("--papers", str(store), "export", "markdown", "--check").exit_code == 2
    missing_dir = run("--papers", str(store), "export", "markdown", "-o", str(tmp_path / "no" / "x.md"))
    assert (missing_dir.exit_code, missing_dir.stderr) == (
        1, f"lclm: error: {tmp_path}/no/x.md: cannot write: directory {tmp_path}/no does not exist\n"
    )


HOSTILE = Paper(
    key="evil2024x",
    title="Attention](https://evil.example) <img src=x onerror=alert(1)> *all* _you_ `need` $x$ ~~no~~ &amp;",
    year=2024,
    authors=["A [B](https://evil.example)", "C_D"],
    venue="<script>alert(1)</script> Conf",
    url="https://x.org/p (1)",
    code="https://github.com/x/y",
)


def _rendered(line: str) -> tuple[list[str], str]:
    """The link targets and the visible text of a list line, as a CommonMark renderer gives them."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parseInline(line)[0].children or []
    hrefs = [str(t.attrs["href"]) for t in tokens if t.type == "link_open"]
    html = [t for t in tokens if t.type == "html_inline"]
    assert html == []  # no raw HTML reaches the page
    return hrefs, "".join(t.content for t in tokens if t.type in ("text", "code_inline"))


def test_every_field_is_escaped_so_markup_stays_text() -> None:
    hrefs, text = _rendered(render_entry(HOSTILE).removeprefix("* "))
    assert hrefs == ["https://x.org/p%20%281%29", "https://github.com/x/y"]  # the title cannot re-point its link
    assert HOSTILE.title + "." in text
    assert "A [B](https://evil.example), C_D" in text and "<script>alert(1)</script> Conf, 2024" in text


def test_the_list_reader_reads_escaped_fields_back() -> None:
    from lclm.sources.markdown import parse_markdown

    plain = Paper(key="k", title="Cost in [brackets] with *stars*, <b>tags</b> and C_D", year=2024, authors=["A B"], venue="Conf", url="https://x.org/p")
    entry = parse_markdown(f"# List\n\n## Papers\n\n{render_entry(plain)}\n").entries()[0]
    assert (entry.title, entry.authors, entry.venue, entry.url) == (plain.title, plain.authors, plain.venue, plain.url)
